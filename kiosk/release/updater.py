"""Updating a terminal: fetch, verify, unpack beside the running release, self-test, switch."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kiosk.release.archive import archive_digest, unpack_archive
from kiosk.release.fetch import Fetcher, join
from kiosk.release.guard import forget_health
from kiosk.release.layout import Layout, Pending
from kiosk.release.manifest import (
    MAX_MANIFEST_BYTES,
    SIGNATURE_SUFFIX,
    Manifest,
    ManifestError,
    check_acceptable,
    check_tree,
    platform_tag,
    verify_manifest,
)
from kiosk.release.minisign import PublicKey

log = logging.getLogger("kiosk.release")

MAX_ARCHIVE_BYTES = 4 << 30
SELFTEST_TIMEOUT_S = 180.0


@dataclass(frozen=True, slots=True)
class SelfTestResult:
    """Whether a release passed `kiosk --selftest`, the end of what it printed, and all of it."""

    ok: bool
    detail: str
    output: str = ""


SelfTest = Callable[[Path, str], SelfTestResult]


def run_selftest(
    release_dir: Path,
    entry: str,
    *,
    timeout_s: float = SELFTEST_TIMEOUT_S,
    user: str | None = None,
    config: Path | None = None,
) -> SelfTestResult:
    """Run `<release>/<entry> --selftest` offscreen with a throw-away data folder.

    The live data folder is not given to a version that is not running yet (its migrations
    would upgrade the databases before the switch). `user` drops root for the test (with the
    user's primary group); an unknown user is a ValueError, raised before anything runs.
    """
    group = None if user is None else primary_group(user)
    with tempfile.TemporaryDirectory(prefix="kiosk-selftest-") as data:
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "QT_QUICK_BACKEND": "software",
            "KIOSK_DATA_DIR": data,
        }
        if config is not None:
            env["KIOSK_CONFIG"] = str(config)
        try:
            if user is not None:
                shutil.chown(data, user=user)
            done = subprocess.run(  # noqa: S603 (the executable of a verified release)
                [str((release_dir / entry).absolute()), "--selftest"],
                cwd=data,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,  # one stream, in the order it was written
                text=True,
                errors="replace",
                timeout=timeout_s,
                check=False,
                user=user,
                group=group,
            )
        except subprocess.TimeoutExpired as exc:
            output = _text(exc.stdout)
            return SelfTestResult(False, f"self-test still running after {timeout_s:.0f} s", output)
        except OSError as exc:
            return SelfTestResult(False, f"self-test could not start: {exc}", str(exc))
    output = done.stdout
    tail = output.strip().splitlines()[-5:]
    detail = f"exit status {done.returncode}" + (": " + " | ".join(tail) if tail else "")
    return SelfTestResult(done.returncode == 0, detail, output)


def _text(value: bytes | str | None) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else value.decode("utf-8", "replace")


def primary_group(user: str) -> int:
    """The primary group id of `user` (ValueError naming the user when there is none)."""
    import pwd  # noqa: PLC0415 (POSIX only)

    try:
        return pwd.getpwnam(user).pw_gid
    except KeyError:
        raise ValueError(f"--selftest-user {user}: no such user on this machine") from None


@dataclass(frozen=True, slots=True)
class UpdateSettings:
    """Where releases come from and how long a new version has to prove itself."""

    source: str  # the release folder: https://hub/v1/releases/, file:///media/usb/, /srv/rel
    channel: str = "stable"
    platform: str = ""  # default: this machine (platform_tag())
    max_starts: int = 3
    deadline_s: float = 600.0


@dataclass(frozen=True, slots=True)
class UpdateOutcome:
    """What `apply` did: up-to-date | refused | installed | self-test-failed."""

    action: str
    message: str
    version: str | None = None
    restart_needed: bool = False


class Updater:
    """Checks and applies updates into a Layout; every collaborator is injected."""

    def __init__(
        self,
        layout: Layout,
        trusted: Sequence[PublicKey],
        fetcher: Fetcher,
        settings: UpdateSettings,
        *,
        selftest: SelfTest,
        clock: Callable[[], float],
        data_dir: Path,
    ) -> None:
        self.layout = layout
        self._trusted = list(trusted)
        self._fetcher = fetcher
        self._settings = settings
        self._platform = settings.platform or platform_tag()
        self._selftest = selftest
        self._clock = clock
        self._data_dir = data_dir

    @property
    def running_version(self) -> str | None:
        """The current release; None before the first install (then any version is accepted)."""
        return self.layout.current_version()

    def fetch_manifest(self) -> tuple[Manifest, bytes, str]:
        """The channel's manifest, its bytes and signature, verified with the trusted keys."""
        name = f"{self._settings.channel}.json"
        url = join(self._settings.source, name)
        data = self._fetcher.get(url, MAX_MANIFEST_BYTES)
        signature = self._fetcher.get(url + SIGNATURE_SUFFIX, 64 << 10)
        try:
            signature_text = signature.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ManifestError("manifest signature: not text") from exc
        return verify_manifest(data, signature_text, self._trusted), data, signature_text

    def check(self) -> Manifest:
        """The newer release this terminal would install (else RefusedError, a ReleaseError)."""
        manifest, _, _ = self.fetch_manifest()
        self._acceptable(manifest)
        return manifest

    def _acceptable(self, manifest: Manifest) -> None:
        check_acceptable(
            manifest,
            running=self.running_version,
            now=self._clock(),
            channel=self._settings.channel,
            platform=self._platform,
            failed=self.layout.failed_versions(),
        )

    def apply(self) -> UpdateOutcome:
        """Install the channel's release if it is newer, valid and passes its self-test.

        Raises ManifestError/FetchError/RefusedError; the running release is never touched until
        the new one is complete, verified and self-tested.
        """
        manifest, data, signature = self.fetch_manifest()
        self._acceptable(manifest)
        version = manifest.version
        layout = self.layout
        layout.ensure()
        layout.prune()
        log.info("installing release %s (running %s)", version, self.running_version)
        staging = self._download_and_unpack(manifest)
        target = layout.release_dir(version)
        try:
            # The manifest first, the folder last: releases/<v>/ exists only when complete.
            self._discard(version)  # an earlier attempt that never became current
            layout.manifest_file(version).write_bytes(data)
            layout.signature_file(version).write_text(signature, encoding="utf-8")
            staging.rename(target)
            result = self._selftest(target, manifest.entry)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            self._discard(version)  # nothing half-installed is left behind
            raise
        if not result.ok:
            log_file = layout.selftest_log(version)
            log_file.write_text(result.output, encoding="utf-8", errors="replace")
            layout.record("self-test-failed", version, self._clock(), result.detail, failed=True)
            staying = self.running_version or "nothing installed"
            log.error("release %s failed its self-test (%s); staying on %s",
                      version, result.detail, staying)  # fmt: skip
            return UpdateOutcome(
                "self-test-failed",
                f"{version} failed its self-test ({result.detail}); staying on {staying}. "
                f"Its whole output is in {log_file}; the release stays in {target} until the "
                f"next update, to reproduce it: {target / manifest.entry} --selftest",
                version,
            )

        os.sync()  # the new files are on disk before anything points at them
        now = self._clock()
        forget_health(self._data_dir)
        old = layout.current_version()
        earlier = layout.previous_version()
        # pending.json first: a power cut between the two steps leaves a pending switch that
        # the guard drops (current is not the pending version), never an unwatched switch.
        if old is not None and old != version:
            layout.write_pending(
                Pending(
                    version=version,
                    previous=old,
                    earlier=earlier if earlier not in (old, version) else None,
                    switched_at=now,
                    max_starts=self._settings.max_starts,
                    deadline_s=self._settings.deadline_s,
                )
            )
        layout.switch_to(version)
        layout.record("installed", version, now, f"from {old}" if old else "first install")
        layout.prune()  # keeps current and previous (and, until confirmed, the one before)
        log.info("switched to release %s (previous %s)", version, old)
        return UpdateOutcome(
            "installed",
            f"installed {version}; restart the kiosk to run it"
            + (
                f" (it must report healthy within {self._settings.max_starts} starts "
                f"and {self._settings.deadline_s:.0f} s, else {old} comes back)"
                if old
                else ""
            ),
            version,
            restart_needed=True,
        )

    def _download_and_unpack(self, manifest: Manifest) -> Path:
        layout = self.layout
        archive = layout.incoming / f"{manifest.version}.tar.gz"
        staging = layout.incoming / f"{manifest.version}.unpacking"
        if manifest.archive.size > MAX_ARCHIVE_BYTES:
            raise ManifestError(f"archive: {manifest.archive.size} bytes is more than allowed")
        self._fetcher.download(
            join(self._settings.source, manifest.archive.name), archive, manifest.archive.size
        )
        try:
            size, digest = archive_digest(archive)
            if (size, digest) != (manifest.archive.size, manifest.archive.sha256):
                raise ManifestError("archive: SHA-256 or size differs from the signed manifest")
            unpack_archive(archive, manifest.files, staging)
            problems = check_tree(staging, manifest.files)
            if problems:
                raise ManifestError(f"unpacked release differs: {'; '.join(problems[:5])}")
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        finally:
            archive.unlink(missing_ok=True)
        return staging

    def _discard(self, version: str) -> None:
        self.layout.remove(version)


def roll_back_by_hand(layout: Layout, data_dir: Path, now: float) -> str | None:
    """`kiosk update rollback`: go back to `previous`; the version left is not offered again."""
    current = layout.current_version()
    back = layout.switch_back()
    if back is not None:
        layout.clear_pending()
        if current is not None and current != back:
            layout.remove(current)  # marked failed below: never offered or run again
        forget_health(data_dir)
        layout.record("rolled-back-by-hand", current or "?", now, f"to {back}", failed=True)
    return back
