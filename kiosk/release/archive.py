"""Release archives: a reproducible tar.gz of a folder, and an unpacker that trusts nothing."""

from __future__ import annotations

import gzip
import hashlib
import os
import tarfile
from collections.abc import Sequence
from pathlib import Path

from kiosk.release.manifest import FileEntry, ManifestError, safe_path

_CHUNK = 1 << 20


def write_archive(source: Path, files: Sequence[FileEntry], out: Path, mtime: int) -> None:
    """Pack `files` (from scan_tree) of `source` into `out`, byte for byte the same every time.

    Entries are sorted, owned by 0:0 with no names, stamped `mtime` (SOURCE_DATE_EPOCH), with
    modes 0755/0644; the gzip header carries no name and no time.
    """
    with (
        out.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=6) as zipped,
        tarfile.open(fileobj=zipped, mode="w", format=tarfile.PAX_FORMAT) as tar,
    ):
        directories: set[str] = set()
        for entry in sorted(files, key=lambda e: e.path):
            parts = entry.path.split("/")
            for depth in range(1, len(parts)):
                folder = "/".join(parts[:depth])
                if folder not in directories:
                    directories.add(folder)
                    tar.addfile(_info(folder, tarfile.DIRTYPE, 0o755, mtime))
            if entry.link is not None:
                info = _info(entry.path, tarfile.SYMTYPE, 0o777, mtime)
                info.linkname = entry.link
                tar.addfile(info)
                continue
            info = _info(entry.path, tarfile.REGTYPE, 0o755 if entry.executable else 0o644, mtime)
            info.size = entry.size
            with (source / entry.path).open("rb") as stream:
                tar.addfile(info, stream)


def _info(name: str, kind: bytes, mode: int, mtime: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.mode = mode
    info.mtime = mtime
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def unpack_archive(archive: Path, files: Sequence[FileEntry], target: Path) -> None:
    """Unpack into the new, empty folder `target` only what the manifest lists, as it lists it.

    RefusedError (ManifestError): absolute or `..` paths, links that leave the release, hard links,
    devices, anything not in the manifest or listed twice, a size or SHA-256 that differs.
    Files are written by this code (never by tarfile.extract), without following links.
    """
    expected = {entry.path: entry for entry in files}
    seen: set[str] = set()
    links: list[FileEntry] = []
    target.mkdir(parents=True, exist_ok=False)
    try:
        tar = tarfile.open(archive, mode="r:gz")  # noqa: SIM115 (closed by the with below)
    except (tarfile.TarError, OSError) as exc:
        raise ManifestError(f"archive: cannot be read: {exc}") from exc
    with tar:
        try:
            for member in tar:
                name = member.name.removeprefix("./").rstrip("/")
                safe_path(name)
                if member.isdir():
                    continue
                entry = expected.get(name)
                if entry is None or name in seen:
                    raise ManifestError(f"archive: unexpected or repeated entry {name!r}")
                seen.add(name)
                if member.issym() and entry.link is not None and member.linkname == entry.link:
                    links.append(entry)
                elif member.isreg() and entry.link is None:
                    _write_member(tar, member, entry, target)
                else:
                    raise ManifestError(f"archive: {name!r} is not what the manifest says")
        except (tarfile.TarError, EOFError, OSError, gzip.BadGzipFile) as exc:
            raise ManifestError(f"archive: damaged: {exc}") from exc
    missing = sorted(expected.keys() - seen)
    if missing:
        raise ManifestError(f"archive: {len(missing)} files missing, e.g. {missing[0]}")
    # Symlinks last, so no file above was written through one.
    for entry in links:
        assert entry.link is not None
        path = target / entry.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.symlink_to(entry.link)


def _write_member(
    tar: tarfile.TarFile, member: tarfile.TarInfo, entry: FileEntry, target: Path
) -> None:
    if member.size != entry.size:
        raise ManifestError(f"archive: {entry.path}: size differs from the manifest")
    source = tar.extractfile(member)
    if source is None:
        raise ManifestError(f"archive: {entry.path}: cannot be read")
    path = target / entry.path
    parent = path.parent
    parent.mkdir(parents=True, exist_ok=True)
    if parent.resolve() != (target.resolve() / entry.path).parent:
        raise ManifestError(f"archive: {entry.path}: its folder leads outside the release")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    digest = hashlib.sha256()
    written = 0
    descriptor = os.open(path, flags, 0o755 if entry.executable else 0o644)
    with os.fdopen(descriptor, "wb") as out, source:
        while chunk := source.read(_CHUNK):
            written += len(chunk)
            if written > entry.size:
                raise ManifestError(f"archive: {entry.path}: longer than the manifest says")
            digest.update(chunk)
            out.write(chunk)
    if written != entry.size or digest.hexdigest() != entry.sha256:
        raise ManifestError(f"archive: {entry.path}: SHA-256 differs from the manifest")


def archive_digest(path: Path) -> tuple[int, str]:
    """Size and SHA-256 of an archive file."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            size += len(chunk)
            digest.update(chunk)
    return size, digest.hexdigest()
