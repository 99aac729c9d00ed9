"""The signed release manifest: version, times, limits and every file's SHA-256, and its checks."""

from __future__ import annotations

import hashlib
import json
import os
import platform
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from kiosk.release.minisign import BadSignatureError, MinisignError, PublicKey, SecretKey, Signature
from kiosk.release.versions import Version

FORMAT = 1
PRODUCT = "job-kiosk"
MAX_MANIFEST_BYTES = 8 << 20
SIGNATURE_SUFFIX = ".minisig"
_CHUNK = 1 << 20


class ReleaseError(Exception):
    """A release cannot be built, checked or installed; the message says why."""


class ManifestError(ReleaseError):
    """The manifest is unsigned, badly signed, malformed, or does not match the files."""


class RefusedError(ReleaseError):
    """A correctly signed release that this terminal must not install (`reason` says which rule)."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason  # rollback | same | min-from | expired | channel | platform | failed


def platform_tag() -> str:
    """This machine's platform as releases name it, e.g. linux-x86_64."""
    return f"{platform.system().lower()}-{platform.machine().lower()}"


def iso(timestamp: float) -> str:
    """A UTC time as the manifest writes it."""
    return datetime.fromtimestamp(int(timestamp), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_time(value: Any, key: str) -> int:
    if not isinstance(value, str):
        raise ManifestError(f"manifest: {key} must be a UTC time like 2026-11-21T10:00:00Z")
    try:
        parsed = datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError as exc:
        raise ManifestError(f"manifest: {key}: {exc}") from exc
    return int(parsed.timestamp())


def safe_path(text: str) -> PurePosixPath:
    """A relative path inside the release, or ManifestError (absolute, `..`, odd characters)."""
    path = PurePosixPath(text)
    if (
        not text
        or path.is_absolute()
        or any(part in ("", ".", "..") for part in text.split("/"))
        or "\\" in text
        or "\0" in text
        or any(ord(char) < 32 for char in text)
    ):
        raise ManifestError(f"unsafe path in release: {text!r}")
    return path


def link_stays_inside(path: str, target: str) -> bool:
    """Whether a relative symlink at `path` pointing to `target` stays inside the release."""
    if target.startswith("/") or "\0" in target:
        return False
    depth = len(PurePosixPath(path).parts) - 1
    for part in target.split("/"):
        if part == "..":
            depth -= 1
            if depth < 0:
                return False
        elif part not in ("", "."):
            depth += 1
    return True


def sha256_file(path: Path) -> str:
    """SHA-256 of a file, in hex."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class FileEntry:
    """One file of the release: a regular file (size, SHA-256, executable) or a symlink."""

    path: str
    size: int = 0
    sha256: str = ""
    executable: bool = False
    link: str | None = None

    def as_json(self) -> dict[str, Any]:
        """The entry in the manifest."""
        if self.link is not None:
            return {"path": self.path, "link": self.link}
        entry: dict[str, Any] = {"path": self.path, "size": self.size, "sha256": self.sha256}
        if self.executable:
            entry["executable"] = True
        return entry


@dataclass(frozen=True, slots=True)
class ArchiveInfo:
    """The archive that carries the files (its name is relative to the manifest's URL)."""

    name: str
    size: int
    sha256: str


@dataclass(frozen=True, slots=True)
class Manifest:
    """What a release is; the signature covers the exact bytes of its JSON file."""

    version: str
    channel: str
    platform: str
    built_at: int
    expires_at: int
    min_from: str
    entry: str  # the executable that starts the kiosk, relative to the release folder
    archive: ArchiveInfo
    files: tuple[FileEntry, ...] = field(default=())

    @property
    def parsed_version(self) -> Version:
        """The version, comparable."""
        return Version.parse(self.version)

    def to_bytes(self) -> bytes:
        """The manifest file: stable JSON (sorted keys, one file per line)."""
        body = {
            "format": FORMAT,
            "product": PRODUCT,
            "version": self.version,
            "channel": self.channel,
            "platform": self.platform,
            "built_at": iso(self.built_at),
            "expires": iso(self.expires_at),
            "min_from": self.min_from,
            "entry": self.entry,
            "archive": {
                "name": self.archive.name,
                "size": self.archive.size,
                "sha256": self.archive.sha256,
            },
            "files": [entry.as_json() for entry in self.files],
        }
        return (json.dumps(body, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode()

    @classmethod
    def from_bytes(cls, data: bytes) -> Manifest:
        """Parse and validate a manifest file (only call this on signed bytes)."""
        if len(data) > MAX_MANIFEST_BYTES:
            raise ManifestError("manifest: too large")
        try:
            body = json.loads(data)
        except ValueError as exc:
            raise ManifestError(f"manifest: not valid JSON: {exc}") from exc
        if not isinstance(body, dict):
            raise ManifestError("manifest: expected a JSON object")
        if body.get("format") != FORMAT or body.get("product") != PRODUCT:
            raise ManifestError(f"manifest: not a {PRODUCT} manifest of format {FORMAT}")
        try:
            for key in ("version", "min_from"):
                Version.parse(str(body[key]))
            archive = body["archive"]
            files = tuple(_file_entry(item) for item in body["files"])
            manifest = cls(
                version=str(body["version"]),
                channel=str(body["channel"]),
                platform=str(body["platform"]),
                built_at=_parse_time(body["built_at"], "built_at"),
                expires_at=_parse_time(body["expires"], "expires"),
                min_from=str(body["min_from"]),
                entry=str(safe_path(str(body["entry"]))),
                archive=ArchiveInfo(
                    name=str(safe_path(str(archive["name"]))),
                    size=int(archive["size"]),
                    sha256=str(archive["sha256"]),
                ),
                files=files,
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ManifestError(f"manifest: missing or invalid field: {exc}") from exc
        paths = [entry.path for entry in files]
        if len(set(paths)) != len(paths):
            raise ManifestError("manifest: a path is listed twice")
        if not any(e.path == manifest.entry and e.executable for e in files):
            raise ManifestError(f"manifest: the entry {manifest.entry!r} is not an executable file")
        return manifest

    def trusted_comment(self) -> str:
        """What `minisign -V` shows an operator: the signed one-line summary."""
        return (
            f"{PRODUCT} {self.version} channel={self.channel} platform={self.platform} "
            f"min_from={self.min_from} expires={iso(self.expires_at)}"
        )


def _file_entry(item: Any) -> FileEntry:
    if not isinstance(item, dict):
        raise ValueError("a files[] entry must be an object")
    path = str(safe_path(str(item["path"])))
    if "link" in item:
        link = str(item["link"])
        if not link_stays_inside(path, link):
            raise ManifestError(f"manifest: symlink {path!r} points outside the release")
        return FileEntry(path=path, link=link)
    digest = str(item["sha256"])
    if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise ValueError(f"bad sha256 for {path}")
    size = int(item["size"])
    if size < 0:
        raise ValueError(f"bad size for {path}")
    return FileEntry(path=path, size=size, sha256=digest, executable=bool(item.get("executable")))


# -- folders --------------------------------------------------------------------------------------


def scan_tree(root: Path) -> list[FileEntry]:
    """Every file and symlink under `root`, sorted, as manifest entries."""
    entries: list[FileEntry] = []
    for folder, dirnames, filenames in os.walk(root):
        dirnames.sort()
        base = Path(folder)
        for name in sorted(filenames) + [d for d in dirnames if (base / d).is_symlink()]:
            path = base / name
            relative = path.relative_to(root).as_posix()
            safe_path(relative)
            info = path.lstat()
            if stat.S_ISLNK(info.st_mode):
                target = str(path.readlink())
                if not link_stays_inside(relative, target):
                    raise ReleaseError(f"{path}: symlink points outside the release: {target}")
                entries.append(FileEntry(path=relative, link=target))
            elif stat.S_ISREG(info.st_mode):
                entries.append(
                    FileEntry(
                        path=relative,
                        size=info.st_size,
                        sha256=sha256_file(path),
                        executable=bool(info.st_mode & stat.S_IXUSR),
                    )
                )
            else:
                raise ReleaseError(f"{path}: not a regular file or symlink")
        dirnames[:] = [d for d in dirnames if not (base / d).is_symlink()]
    return sorted(entries, key=lambda entry: entry.path)


def check_tree(root: Path, files: Iterable[FileEntry]) -> list[str]:
    """What differs between the folder and the manifest's files (empty: identical)."""
    expected = {entry.path: entry for entry in files}
    try:
        found = {entry.path: entry for entry in scan_tree(root)}
    except ReleaseError as exc:
        return [str(exc)]
    problems = [f"missing: {path}" for path in sorted(expected.keys() - found.keys())]
    problems += [f"not in the manifest: {path}" for path in sorted(found.keys() - expected.keys())]
    for path in sorted(expected.keys() & found.keys()):
        want, have = expected[path], found[path]
        if want.link != have.link:
            problems.append(f"symlink differs: {path}")
        elif want.link is None and (want.size, want.sha256) != (have.size, have.sha256):
            problems.append(f"content differs (SHA-256): {path}")
        elif want.executable and not have.executable:
            problems.append(f"not executable: {path}")
    return problems


# -- signing and checking -------------------------------------------------------------------------


def sign_manifest(manifest: Manifest, key: SecretKey) -> tuple[bytes, str]:
    """The manifest file and its `.minisig` text."""
    data = manifest.to_bytes()
    return data, key.sign(data, manifest.trusted_comment()).to_text()


def verify_manifest(data: bytes, signature_text: str, trusted: Sequence[PublicKey]) -> Manifest:
    """Check the signature with one of the trusted keys, then parse; ManifestError otherwise."""
    if not trusted:
        raise ManifestError("no trusted release key on this terminal")
    try:
        signature = Signature.from_text(signature_text)
    except MinisignError as exc:
        raise ManifestError(f"manifest signature: {exc}") from exc
    keys = [key for key in trusted if key.key_id == signature.key_id]
    if not keys:
        raise ManifestError("manifest signature: signed by a key this terminal does not trust")
    try:
        keys[0].verify(data, signature)
    except BadSignatureError as exc:
        raise ManifestError(f"manifest signature: {exc}") from exc
    return Manifest.from_bytes(data)


def check_acceptable(
    manifest: Manifest,
    *,
    running: str | None,
    now: float,
    channel: str,
    platform: str,
    failed: Iterable[str] = (),
) -> None:
    """Raise RefusedError when a verified manifest must not be installed over version `running`
    (None: nothing is installed yet, so there is nothing to roll back from)."""
    if manifest.channel != channel:
        raise RefusedError("channel", f"release is for channel {manifest.channel}, not {channel}")
    if manifest.platform != platform:
        raise RefusedError("platform", f"release is for {manifest.platform}, not {platform}")
    if now > manifest.expires_at:
        raise RefusedError(
            "expired",
            f"manifest of {manifest.version} expired at {iso(manifest.expires_at)} "
            "(a stale or frozen update server?)",
        )
    if manifest.version in set(failed):
        raise RefusedError(
            "failed", f"{manifest.version} failed here before; waiting for a newer one"
        )
    if running is None:
        return
    new, current = manifest.parsed_version, Version.parse(running)
    if new == current:
        raise RefusedError("same", f"{running} is already installed")
    if new < current:
        raise RefusedError("rollback", f"refusing {manifest.version}: older than {running}")
    if current < Version.parse(manifest.min_from):
        raise RefusedError(
            "min-from",
            f"{manifest.version} can only be installed over {manifest.min_from} or later",
        )


def with_expiry(manifest: Manifest, expires_at: int) -> Manifest:
    """The same release with a new expiry (`kiosk sign-release --renew`)."""
    return replace(manifest, expires_at=expires_at)
