"""The release and operator commands of `kiosk`: keygen, make/sign/verify releases, update, guard,
hash-pin (heavy imports stay inside the handlers so `kiosk --help` stays fast)."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiosk.config import Settings
    from kiosk.release.layout import Layout
    from kiosk.release.minisign import PublicKey, SecretKey

ROOT_ENV = "KIOSK_RELEASE_ROOT"
SYSTEM_PUBKEY = Path("/etc/job-kiosk/release.pub")
BUNDLED_PUBKEY = "release.pub"  # in the package kiosk.release of a bundle (packaging/build.sh)


class CommandError(Exception):
    """A release command cannot go on; the message says why (exit status 1)."""


# -- secrets from the terminal or a pipe ---------------------------------------------------------


def read_secret(prompt: str, *, confirm: bool) -> str:
    """A password or PIN: typed without echo, twice when `confirm`; or lines of a pipe."""
    if sys.stdin.isatty():
        first = getpass.getpass(prompt)
        second = getpass.getpass("Again: ") if confirm else first
    else:
        first = sys.stdin.readline().rstrip("\r\n")
        second = sys.stdin.readline().rstrip("\r\n") if confirm else first
    if first != second:
        raise CommandError("the two entries differ")
    return first


def load_secret_key(path: Path) -> SecretKey:
    """Read a secret key file, asking for its password when it has one."""
    from kiosk.release.minisign import MinisignError, SecretKey  # noqa: PLC0415

    try:
        text = path.read_text(encoding="utf-8")
        password = (
            read_secret(f"Password for {path}: ", confirm=False)
            if SecretKey.is_encrypted(text)
            else None
        )
        return SecretKey.from_text(text, password)
    except OSError as exc:
        raise CommandError(f"{path}: {exc.strerror}") from exc
    except MinisignError as exc:
        raise CommandError(f"{path}: {exc}") from exc


def trusted_keys(explicit: list[Path] | None) -> list[PublicKey]:
    """The release keys this terminal trusts: --pubkey, else /etc/job-kiosk/release.pub, else
    the key shipped inside the bundle."""
    from importlib import resources  # noqa: PLC0415

    from kiosk.release.minisign import MinisignError, PublicKey  # noqa: PLC0415

    texts: list[tuple[str, str]] = []
    try:
        if explicit:
            texts = [(str(p), p.read_text(encoding="utf-8")) for p in explicit]
        elif SYSTEM_PUBKEY.is_file():
            texts = [(str(SYSTEM_PUBKEY), SYSTEM_PUBKEY.read_text(encoding="utf-8"))]
        else:
            bundled = resources.files("kiosk.release") / BUNDLED_PUBKEY
            if bundled.is_file():
                texts = [("bundled release.pub", bundled.read_text(encoding="utf-8"))]
    except OSError as exc:
        raise CommandError(f"cannot read a release key: {exc}") from exc
    if not texts:
        raise CommandError(f"no trusted release key: pass --pubkey or install {SYSTEM_PUBKEY}")
    try:
        return [PublicKey.from_text(text) for _, text in texts]
    except MinisignError as exc:
        raise CommandError(f"{texts[0][0]}: {exc}") from exc


def _restart(unit: str) -> None:
    command = ["systemctl", "restart", "--no-block", unit]
    subprocess.run(command, check=False, timeout=60)  # noqa: S603 (a unit name from argv)


def _epoch_now() -> int:
    return int(time.time())


# -- keys and releases (on the release machine) -------------------------------------------------


def cmd_keygen(args: argparse.Namespace, settings: Settings) -> int:
    """kiosk keygen --out PREFIX [--no-password] [--force]"""
    from kiosk.release import minisign  # noqa: PLC0415
    from kiosk.release.minisign import SecretKey, key_id_hex  # noqa: PLC0415

    secret_path = args.out.with_name(args.out.name + ".key")
    public_path = args.out.with_name(args.out.name + ".pub")
    for path in (secret_path, public_path):
        if path.exists() and not args.force:
            raise CommandError(f"{path} exists (--force to replace it)")
    password = None if args.no_password else read_secret("Password for the new key: ", confirm=True)
    if password == "":
        raise CommandError("an empty password: use --no-password if the key is kept in a vault")
    key = SecretKey.generate()
    text = key.to_text(
        password, opslimit=minisign.DEFAULT_OPSLIMIT, memlimit=minisign.DEFAULT_MEMLIMIT
    )
    secret_path.parent.mkdir(parents=True, exist_ok=True)
    secret_path.unlink(missing_ok=True)
    descriptor = os.open(secret_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        out.write(text)
    public_path.write_text(key.public_key().to_text(), encoding="utf-8")
    print(f"secret key: {secret_path} (keep it off the terminals, back it up)")
    print(f"public key: {public_path} (key id {key_id_hex(key.key_id)}; ship it to terminals)")
    print(f"minisign -Vm <file> -P {key.public_key().to_line()}")
    return 0


def cmd_make_release(args: argparse.Namespace, settings: Settings) -> int:
    """kiosk make-release FOLDER --key FILE --out DIR [--version V] [--min-from V] ..."""
    from kiosk.release.manifest import platform_tag  # noqa: PLC0415
    from kiosk.release.publish import bundle_version, folder_epoch, make_release  # noqa: PLC0415
    from kiosk.release.versions import Version  # noqa: PLC0415

    if not (args.folder / args.entry).is_file():
        raise CommandError(f"{args.folder}: no {args.entry!r} (the built folder, dist/job-kiosk)")
    own = bundle_version(args.folder, args.entry)
    if args.version is not None and Version.parse(args.version) != Version.parse(own):
        raise CommandError(
            f"--version {args.version}, but {args.folder / args.entry} --version says {own}: "
            f"terminals would run {own} and never confirm {args.version} (leave --version out "
            f"to use the bundle's own)"
        )
    key = load_secret_key(args.key)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    files = make_release(
        args.folder,
        args.out,
        key,
        version=args.version or own,
        min_from=args.min_from,
        channel=args.channel,
        platform=args.platform or platform_tag(),
        built_at=int(epoch) if epoch else folder_epoch(args.folder),
        now=_epoch_now(),
        expires_days=args.expires_days,
        entry=args.entry,
        force=args.force,
    )
    for path in (
        files.archive,
        files.archive_signature,
        files.manifest,
        files.signature,
        files.channel_manifest,
    ):
        print(path)
    return 0


def cmd_sign_release(args: argparse.Namespace, settings: Settings) -> int:
    """kiosk sign-release MANIFEST --key FILE [--expires-days N]: renew its signature."""
    from kiosk.release.publish import renew_release  # noqa: PLC0415

    key = load_secret_key(args.key)
    files = renew_release(
        args.manifest, key, now=_epoch_now(), expires_days=args.expires_days, force=args.force
    )
    print(files.manifest)
    print(files.channel_manifest)
    return 0


def cmd_verify_build(args: argparse.Namespace, settings: Settings) -> int:
    """kiosk verify-build MANIFEST [--archive FILE | --dir FOLDER] [--deep] [--pubkey FILE]"""
    from kiosk.release.manifest import ReleaseError, iso  # noqa: PLC0415
    from kiosk.release.minisign import MinisignError  # noqa: PLC0415
    from kiosk.release.publish import verify_release  # noqa: PLC0415

    keys = trusted_keys(args.pubkey)
    try:
        manifest, comment, problems = verify_release(
            args.manifest, keys, archive=args.archive, folder=args.dir, deep=args.deep
        )
    except (OSError, ReleaseError, MinisignError) as exc:
        raise CommandError(f"{args.manifest}: {exc}") from exc
    print(f"signature ok: {comment}")
    print(
        f"version {manifest.version}, built {iso(manifest.built_at)}, "
        f"expires {iso(manifest.expires_at)}, {len(manifest.files)} files"
    )
    for problem in problems:
        print(f"  PROBLEM {problem}")
    if time.time() > manifest.expires_at:
        print("  PROBLEM the manifest has expired: terminals will refuse it (kiosk sign-release)")
        return 1
    return 1 if problems else 0


# -- updates (on the terminal) ------------------------------------------------------------------


def _update_source(args: argparse.Namespace, settings: Settings) -> tuple[str, dict[str, str]]:
    if args.source:
        return args.source, {}
    hub = settings.config.hub
    if hub.url is None:
        raise CommandError("no release location: pass --from URL, or set [hub] url")
    base = str(hub.url).rstrip("/") + "/v1/releases/"
    return base, ({"Authorization": f"Bearer {hub.token}"} if hub.token else {})


def cmd_update(args: argparse.Namespace, settings: Settings) -> int:
    """kiosk update check|apply|status|rollback [--from URL] [--root DIR] ..."""
    from kiosk.release.fetch import UrlFetcher  # noqa: PLC0415
    from kiosk.release.layout import Layout  # noqa: PLC0415
    from kiosk.release.manifest import RefusedError, ReleaseError, iso  # noqa: PLC0415
    from kiosk.release.updater import (  # noqa: PLC0415
        Updater,
        UpdateSettings,
        primary_group,
        roll_back_by_hand,
        run_selftest,
    )

    layout = Layout(args.root)
    if args.action == "status":
        return _print_status(layout, args.json)
    if args.action == "rollback":
        back = roll_back_by_hand(layout, settings.data_dir, time.time())
        if back is None:
            raise CommandError("no previous release to go back to")
        print(f"now on {back}")
        if args.restart_unit:
            _restart(args.restart_unit)
        return 0

    if args.selftest_user is not None:
        primary_group(args.selftest_user)  # an unknown user stops here, before any download
    source, headers = _update_source(args, settings)
    updater = Updater(
        layout,
        trusted_keys(args.pubkey),
        UrlFetcher(headers=headers),
        UpdateSettings(
            source=source,
            channel=args.channel,
            max_starts=args.max_starts,
            deadline_s=args.health_deadline,
        ),
        selftest=lambda folder, entry: run_selftest(
            folder,
            entry,
            timeout_s=args.selftest_timeout,
            user=args.selftest_user,
            config=Path(settings.source) if not settings.demo else None,
        ),
        clock=time.time,
        data_dir=settings.data_dir,
    )
    try:
        if args.action == "check":
            manifest = updater.check()
            print(
                f"{manifest.version} is available (running {updater.running_version}; "
                f"manifest expires {iso(manifest.expires_at)})"
            )
            return 0
        outcome = updater.apply()
    except RefusedError as exc:
        print(f"no update: {exc}")
        return 0 if exc.reason in ("same", "rollback", "failed") else 1
    except ReleaseError as exc:
        raise CommandError(str(exc)) from exc
    print(outcome.message)
    if outcome.restart_needed and args.restart_unit:
        _restart(args.restart_unit)
    return 0 if outcome.action == "installed" else 1


def _print_status(layout: Layout, as_json: bool) -> int:
    pending = layout.read_pending()
    status = {
        "root": str(layout.root),
        "current": layout.current_version(),
        "previous": layout.previous_version(),
        "installed": layout.installed(),
        "pending": None
        if pending is None
        else {
            "version": pending.version,
            "starts": pending.starts,
            "max_starts": pending.max_starts,
            "switched_at": pending.switched_at,
            "deadline_s": pending.deadline_s,
        },
        "failed": layout.failed_versions(),
        "last": layout.read_state().get("last"),
    }
    if as_json:
        print(json.dumps(status, indent=2))
    else:
        print(status_text(status))
    return 0


def status_text(status: dict[str, Any]) -> str:
    """`kiosk update status` for people: times as dates, nothing as a dash."""
    from kiosk.release.manifest import iso  # noqa: PLC0415

    def when(at: Any) -> str:
        return iso(float(at)).replace("T", " ").replace("Z", " UTC") if at is not None else "—"

    pending = status["pending"]
    last = status["last"] if isinstance(status["last"], dict) else None
    lines = [
        f"{'root':>10}: {status['root']}",
        f"{'current':>10}: {status['current'] or '— (nothing installed)'}",
        f"{'previous':>10}: {status['previous'] or '—'}",
        f"{'installed':>10}: {', '.join(status['installed']) or '—'}",
        f"{'pending':>10}: "
        + (
            "—"
            if pending is None
            else f"{pending['version']} since {when(pending['switched_at'])}, start "
            f"{pending['starts']} of {pending['max_starts']}, must report healthy within "
            f"{pending['deadline_s']:.0f} s"
        ),
        f"{'failed':>10}: {', '.join(status['failed']) or '—'}",
        f"{'last':>10}: "
        + (
            "—"
            if last is None
            else f"{last.get('outcome')} {last.get('version')} at {when(last.get('at'))}"
            + (f" ({last['detail']})" if last.get("detail") else "")
        ),
    ]
    return "\n".join(lines)


def cmd_guard(args: argparse.Namespace, settings: Settings) -> int:
    """kiosk guard [--count-start] [--restart-unit UNIT]: before each start and every minute."""
    from kiosk.release.guard import run_guard  # noqa: PLC0415
    from kiosk.release.layout import Layout  # noqa: PLC0415

    result = run_guard(
        Layout(args.root), settings.data_dir, time.time(), count_start=args.count_start
    )
    print(f"guard: {result.action}: {result.message}")
    if result.action == "rolled-back" and args.restart_unit:
        _restart(args.restart_unit)
    return 0


# -- operator PIN --------------------------------------------------------------------------------


def cmd_hash_pin(args: argparse.Namespace, settings: Settings) -> int:
    """kiosk hash-pin: read the PIN twice without echo, print the line for [operator]."""
    from kiosk.release.pin import PinFormatError, check_pin_rule, hash_pin  # noqa: PLC0415

    pin = read_secret("Operator PIN (6–12 digits): ", confirm=True)
    try:
        check_pin_rule(pin)
    except PinFormatError as exc:
        raise CommandError(str(exc)) from exc
    print("# in the [operator] section of the terminal's configuration:")
    print(f'pin_hash = "{hash_pin(pin)}"')
    return 0


# -- registration --------------------------------------------------------------------------------


def _guarded(handler: Any) -> Any:
    def run(args: argparse.Namespace, settings: Settings) -> int:
        try:
            return int(handler(args, settings))
        except Exception as exc:
            from kiosk.release.manifest import ReleaseError  # noqa: PLC0415
            from kiosk.release.minisign import MinisignError  # noqa: PLC0415

            # What the environment or the operator got wrong is a message; bugs propagate.
            expected = (CommandError, ReleaseError, MinisignError, OSError, ValueError)
            if not isinstance(exc, expected):
                raise
            print(f"kiosk: {exc}", file=sys.stderr)
            return 1

    run.__doc__ = handler.__doc__
    return run


def _root(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--root",
        type=Path,
        default=Path(os.environ.get(ROOT_ENV, "/opt/job-kiosk")),
        help=f"the install root (${ROOT_ENV}, default /opt/job-kiosk)",
    )


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    """Add this module's sub-commands to the `kiosk` parser."""
    keygen = commands.add_parser("keygen", parents=[common], help="new release signing key pair")
    keygen.add_argument(
        "--out",
        type=Path,
        default=Path("release"),
        metavar="PREFIX",
        help="writes PREFIX.key and PREFIX.pub (default: release)",
    )
    keygen.add_argument(
        "--no-password",
        action="store_true",
        help="do not encrypt the secret key (only inside a vault or HSM host)",
    )
    keygen.add_argument("--force", action="store_true", help="replace existing files")
    keygen.set_defaults(handler=_guarded(cmd_keygen))

    make = commands.add_parser(
        "make-release", parents=[common], help="archive, manifest and signature of a built folder"
    )
    make.add_argument("folder", type=Path, help="the PyInstaller folder (dist/job-kiosk)")
    make.add_argument("--key", type=Path, required=True, help="the secret key file")
    make.add_argument("--out", type=Path, required=True, help="where the release files go")
    make.add_argument(
        "--version", help="must be what FOLDER's `kiosk --version` says (default: that)"
    )
    make.add_argument(
        "--min-from",
        default="0.0.0",
        metavar="VERSION",
        help="oldest version allowed to update to this one (default: any)",
    )
    make.add_argument("--channel", default="stable")
    make.add_argument("--platform", help="default: this machine, e.g. linux-x86_64")
    make.add_argument("--expires-days", type=int, default=90)
    make.add_argument("--entry", default="kiosk", help="the executable, relative to FOLDER")
    make.add_argument(
        "--force", action="store_true", help="publish even if the channel names a newer version"
    )
    make.set_defaults(handler=_guarded(cmd_make_release))

    sign = commands.add_parser(
        "sign-release", parents=[common], help="sign a release's manifest again with a later expiry"
    )
    sign.add_argument("manifest", type=Path)
    sign.add_argument("--key", type=Path, required=True)
    sign.add_argument("--expires-days", type=int, default=90)
    sign.add_argument(
        "--force", action="store_true", help="even if <channel>.json names a newer version"
    )
    sign.set_defaults(handler=_guarded(cmd_sign_release))

    verify = commands.add_parser(
        "verify-build", parents=[common], help="check a release's signature and files"
    )
    verify.add_argument("manifest", type=Path, help="the .json manifest (its .minisig beside it)")
    verify.add_argument("--archive", type=Path, help="default: the archive beside the manifest")
    verify.add_argument("--dir", type=Path, help="an unpacked release folder to check")
    verify.add_argument("--deep", action="store_true", help="also unpack and check every file")
    verify.add_argument("--pubkey", type=Path, action="append", help="default: the terminal's")
    verify.set_defaults(handler=_guarded(cmd_verify_build))

    update = commands.add_parser("update", parents=[common], help="check for or apply an update")
    update.add_argument("action", choices=["check", "apply", "status", "rollback"])
    update.add_argument(
        "--from",
        dest="source",
        metavar="URL",
        help="release folder (https://, file://, path); default: the hub's",
    )
    update.add_argument("--channel", default="stable")
    update.add_argument("--pubkey", type=Path, action="append", help="trusted release key")
    _root(update)
    update.add_argument("--restart-unit", metavar="UNIT", help="systemctl restart UNIT after")
    update.add_argument("--selftest-user", metavar="USER", help="run the self-test as USER")
    update.add_argument("--selftest-timeout", type=float, default=180.0, metavar="S")
    update.add_argument("--max-starts", type=int, default=3, metavar="N")
    update.add_argument("--health-deadline", type=float, default=600.0, metavar="S")
    update.add_argument("--json", action="store_true", help="status as JSON")
    update.set_defaults(handler=_guarded(cmd_update))

    guard = commands.add_parser(
        "guard", parents=[common], help="switch back if a new release does not report healthy"
    )
    _root(guard)
    guard.add_argument("--count-start", action="store_true", help="called before a start")
    guard.add_argument("--restart-unit", metavar="UNIT", help="restart UNIT after switching back")
    guard.set_defaults(handler=_guarded(cmd_guard))

    pin = commands.add_parser("hash-pin", parents=[common], help="hash an operator PIN")
    pin.set_defaults(handler=_guarded(cmd_hash_pin))
