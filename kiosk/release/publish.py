"""Making a release from a built folder: manifest, reproducible archive, signature, channel."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kiosk.release.archive import archive_digest, unpack_archive, write_archive
from kiosk.release.manifest import (
    PRODUCT,
    SIGNATURE_SUFFIX,
    ArchiveInfo,
    FileEntry,
    Manifest,
    ReleaseError,
    check_tree,
    scan_tree,
    sign_manifest,
    with_expiry,
)
from kiosk.release.minisign import BadSignatureError, PublicKey, SecretKey, Signature, key_id_hex
from kiosk.release.versions import Version, is_version

DAY = 86400


@dataclass(frozen=True, slots=True)
class ReleaseFiles:
    """What `make_release` wrote into the output folder."""

    archive: Path
    archive_signature: Path  # for `minisign -V` by hand and for provision.sh
    manifest: Path
    signature: Path
    channel_manifest: Path


def make_release(
    source: Path,
    out: Path,
    key: SecretKey,
    *,
    version: str,
    min_from: str,
    channel: str,
    platform: str,
    built_at: int,
    now: int,
    expires_days: int,
    entry: str = "kiosk",
    force: bool = False,
) -> ReleaseFiles:
    """Archive the built folder `source`, write and sign its manifest, publish it on `channel`.

    `built_at` (SOURCE_DATE_EPOCH, else `folder_epoch`) stamps the archive, which is then
    byte-identical for the same folder, so publishing one build on two channels into one folder
    leaves the archive the first manifest names as it was; an archive of that name with other
    bytes is never replaced. `now + expires_days` is when terminals stop accepting this
    manifest. The channel never goes back to an older version unless `force`.
    """
    if Version.parse(min_from) > Version.parse(version):
        raise ReleaseError(
            f"--min-from {min_from} is above the release's own version {version}: no terminal "
            f"could install it (min_from is the oldest version allowed to update to this one; "
            f"leave it out to allow any)"
        )
    if not source.is_dir():
        raise ReleaseError(f"{source}: not a folder")
    files = scan_tree(source)
    if not any(f.path == entry and f.executable for f in files):
        raise ReleaseError(f"{source}: no executable {entry!r} (the program systemd starts)")
    out.mkdir(parents=True, exist_ok=True)
    channel_path = out / f"{channel}.json"
    _check_channel_moves_forward(channel_path, version, force=force)
    stem = f"{PRODUCT}-{version}-{platform}"
    archive = out / f"{stem}.tar.gz"
    _write_archive_once(source, files, archive, built_at)
    archive_signature = archive.with_name(archive.name + SIGNATURE_SUFFIX)
    archive_signature.write_text(
        key.sign_file(archive, f"{PRODUCT} {version} platform={platform} archive").to_text(),
        encoding="utf-8",
    )
    size, digest = archive_digest(archive)
    manifest = Manifest(
        version=version,
        channel=channel,
        platform=platform,
        built_at=built_at,
        expires_at=now + expires_days * DAY,
        min_from=min_from,
        entry=entry,
        archive=ArchiveInfo(name=archive.name, size=size, sha256=digest),
        files=tuple(files),
    )
    return _write_signed(manifest, key, out / f"{stem}.json", channel_path)


def renew_release(
    manifest_path: Path, key: SecretKey, *, now: int, expires_days: int, force: bool = False
) -> ReleaseFiles:
    """Sign the same release again with a later expiry (the archive does not change).

    Refused when `<channel>.json` beside it names a newer version (renewing would move the
    channel back), unless `force`.
    """
    manifest = Manifest.from_bytes(manifest_path.read_bytes())
    renewed = with_expiry(manifest, now + expires_days * DAY)
    channel_path = manifest_path.parent / f"{manifest.channel}.json"
    _check_channel_moves_forward(channel_path, manifest.version, force=force)
    return _write_signed(renewed, key, manifest_path, channel_path)


def _check_channel_moves_forward(channel_path: Path, version: str, *, force: bool) -> None:
    """ReleaseError when `channel_path` already names a newer version than `version`."""
    if force or not channel_path.is_file():
        return
    try:
        published = Manifest.from_bytes(channel_path.read_bytes()).version
    except ReleaseError:
        return  # not a manifest we can read: it is replaced
    if Version.parse(published) > Version.parse(version):
        raise ReleaseError(
            f"{channel_path} names {published}, newer than {version}: this would move the "
            f"channel back (terminals refuse an older version; new terminals would get "
            f"{version}). Pass --force if that is what you want"
        )


def _write_archive_once(
    source: Path, files: Sequence[FileEntry], archive: Path, built_at: int
) -> None:
    """Write the archive, refusing to replace one of the same name with other bytes."""
    scratch = archive.with_name(f".{archive.name}.{os.getpid()}")
    try:
        write_archive(source, files, scratch, built_at)
        if archive.exists() and archive_digest(archive) != archive_digest(scratch):
            raise ReleaseError(
                f"{archive} exists with other bytes, and a published manifest may name it: "
                f"make the release from the same build with the same SOURCE_DATE_EPOCH, or "
                f"use another --out"
            )
        scratch.replace(archive)
    finally:
        scratch.unlink(missing_ok=True)


def folder_epoch(folder: Path) -> int:
    """The newest modification time in a built folder: the default SOURCE_DATE_EPOCH, the
    same every time one build is made into releases (pilot, then stable)."""
    newest = 0
    for path in folder.rglob("*"):
        newest = max(newest, int(path.lstat().st_mtime))
    return newest


def bundle_version(folder: Path, entry: str, *, timeout_s: float = 120.0) -> str:
    """What `<folder>/<entry> --version` says ("job-kiosk 1.4.2" → "1.4.2")."""
    program = (folder / entry).absolute()
    try:
        done = subprocess.run(  # noqa: S603 (the operator's own build)
            [str(program), "--version"],
            capture_output=True,
            text=True,
            errors="replace",
            timeout=timeout_s,
            check=False,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ReleaseError(
            f"{program} --version: cannot run ({exc}); make the release on a machine of the "
            f"bundle's platform"
        ) from exc
    words = done.stdout.split()
    if done.returncode != 0 or len(words) < 2 or not is_version(words[1]):
        raise ReleaseError(
            f"{program} --version: exit status {done.returncode}, said {done.stdout.strip()!r} "
            f"(expected 'job-kiosk VERSION')"
        )
    return words[1]


def _write_signed(
    manifest: Manifest, key: SecretKey, path: Path, channel_path: Path
) -> ReleaseFiles:
    data, signature = sign_manifest(manifest, key)
    path.write_bytes(data)
    signature_path = path.with_name(path.name + SIGNATURE_SUFFIX)
    signature_path.write_text(signature, encoding="utf-8")
    if channel_path != path:
        shutil.copyfile(path, channel_path)
        shutil.copyfile(
            signature_path, channel_path.with_name(channel_path.name + SIGNATURE_SUFFIX)
        )
    archive = path.parent / manifest.archive.name
    return ReleaseFiles(
        archive=archive,
        archive_signature=archive.with_name(archive.name + SIGNATURE_SUFFIX),
        manifest=path,
        signature=signature_path,
        channel_manifest=channel_path,
    )


def verify_release(
    manifest_path: Path,
    keys: Sequence[PublicKey],
    *,
    archive: Path | None = None,
    folder: Path | None = None,
    deep: bool = False,
) -> tuple[Manifest, str, list[str]]:
    """Check a manifest's signature, then the archive beside it or an unpacked folder.

    `deep` also unpacks the archive (into a temporary folder) and checks every file, as a
    terminal will. Returns the manifest, its trusted comment and the problems found.
    """
    data = manifest_path.read_bytes()
    signature_path = manifest_path.with_name(manifest_path.name + SIGNATURE_SUFFIX)
    signature = Signature.from_text(signature_path.read_text(encoding="utf-8"))
    matching = [key for key in keys if key.key_id == signature.key_id]
    if not matching:
        raise BadSignatureError(
            f"signed with key {key_id_hex(signature.key_id)}, not a trusted key"
        )
    comment = matching[0].verify(data, signature)
    manifest = Manifest.from_bytes(data)
    problems: list[str] = []
    if folder is not None:
        problems += check_tree(folder, manifest.files)
    if archive is None and folder is None:
        archive = manifest_path.parent / manifest.archive.name
    if archive is not None:
        if not archive.is_file():
            problems.append(f"{archive}: missing")
        elif archive_digest(archive) != (manifest.archive.size, manifest.archive.sha256):
            problems.append(f"{archive}: SHA-256 or size differs from the manifest")
        elif deep:
            with tempfile.TemporaryDirectory(prefix="kiosk-verify-") as scratch:
                try:
                    unpack_archive(archive, manifest.files, Path(scratch) / "release")
                except ReleaseError as exc:
                    problems.append(str(exc))
    return manifest, comment, problems
