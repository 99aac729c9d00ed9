"""The signed manifest and the archive: what a terminal refuses before anything is installed."""

from __future__ import annotations

import gzip
import io
import json
import tarfile
from pathlib import Path

import pytest

from kiosk.release.archive import unpack_archive, write_archive
from kiosk.release.manifest import (
    FileEntry,
    Manifest,
    ManifestError,
    RefusedError,
    check_acceptable,
    check_tree,
    link_stays_inside,
    safe_path,
    scan_tree,
    verify_manifest,
)
from kiosk.release.minisign import SecretKey
from kiosk.release.versions import Version
from tests.release.conftest import DAY, NOW, Publish, build_folder


def _verified(files_manifest: Path, key: SecretKey) -> Manifest:
    data = files_manifest.read_bytes()
    signature = files_manifest.with_name(files_manifest.name + ".minisig").read_text()
    return verify_manifest(data, signature, [key.public_key()])


def _accept(manifest: Manifest, running: str | None = "1.0.0", now: float = NOW) -> None:
    check_acceptable(manifest, running=running, now=now, channel="stable", platform="linux-x86_64")


def test_a_published_manifest_verifies_and_lists_every_file(
    publish: Publish, key: SecretKey
) -> None:
    files = publish("1.2.0")
    manifest = _verified(files.channel_manifest, key)
    assert manifest.version == "1.2.0" and manifest.entry == "kiosk"
    assert manifest.expires_at == NOW + 30 * DAY
    paths = {entry.path: entry for entry in manifest.files}
    assert paths["kiosk"].executable
    assert paths["_internal/libpython3.11.so"].link == "libpython3.11.so.1.0"
    assert len(paths["_internal/base_library.zip"].sha256) == 64
    assert files.manifest.read_bytes() == files.channel_manifest.read_bytes()
    _accept(manifest)


def test_a_changed_byte_in_the_manifest_is_rejected(publish: Publish, key: SecretKey) -> None:
    files = publish("1.2.0")
    data = files.manifest.read_bytes().replace(b'"1.2.0"', b'"1.2.1"', 1)
    signature = files.signature.read_text()
    with pytest.raises(ManifestError, match="does not match"):
        verify_manifest(data, signature, [key.public_key()])


def test_a_manifest_signed_by_another_key_is_rejected(publish: Publish, key: SecretKey) -> None:
    files = publish("1.2.0", signer=SecretKey.generate())
    with pytest.raises(ManifestError, match="does not trust"):
        _verified(files.manifest, key)
    with pytest.raises(ManifestError, match="no trusted release key"):
        verify_manifest(files.manifest.read_bytes(), files.signature.read_text(), [])


def test_a_lower_or_equal_version_is_refused(publish: Publish, key: SecretKey) -> None:
    manifest = _verified(publish("1.2.0").manifest, key)
    with pytest.raises(RefusedError) as lower:
        _accept(manifest, running="1.10.0")
    assert lower.value.reason == "rollback"
    with pytest.raises(RefusedError) as same:
        _accept(manifest, running="1.2.0")
    assert same.value.reason == "same"
    _accept(manifest, running=None)  # nothing installed yet: any signed release will do


def test_an_expired_manifest_is_refused(publish: Publish, key: SecretKey) -> None:
    manifest = _verified(publish("1.2.0", expires_days=7).manifest, key)
    _accept(manifest, now=NOW + 7 * DAY)
    with pytest.raises(RefusedError) as refused:
        _accept(manifest, now=NOW + 7 * DAY + 1)
    assert refused.value.reason == "expired"


@pytest.mark.parametrize(
    ("options", "reason"),
    [
        ({"min_from": "1.1.0"}, "min-from"),
        ({"channel": "beta"}, "channel"),
        ({"platform": "linux-aarch64"}, "platform"),
    ],
)
def test_other_refusals(
    publish: Publish, key: SecretKey, options: dict[str, str], reason: str
) -> None:
    manifest = _verified(publish("1.2.0", **options).manifest, key)
    with pytest.raises(RefusedError) as refused:
        _accept(manifest)
    assert refused.value.reason == reason


def test_versions_order() -> None:
    assert Version.parse("1.10.0") > Version.parse("1.9.9")
    assert Version.parse("1.2") == Version.parse("1.2.0")
    assert Version.parse("1.2.0rc1") < Version.parse("1.2.0") < Version.parse("1.2.1a1")
    with pytest.raises(ValueError, match="not a release version"):
        Version.parse("1.2.0-dirty")


def test_unsafe_paths_and_links() -> None:
    for bad in ("/etc/passwd", "../x", "a/../../x", "a//b", "a\\b", "./a", ""):
        with pytest.raises(ManifestError):
            safe_path(bad)
    assert link_stays_inside("_internal/lib.so", "lib.so.1")
    assert link_stays_inside("a/b/c", "../x")
    assert not link_stays_inside("a/c", "../../etc/passwd")
    assert not link_stays_inside("a", "/etc/passwd")


def test_manifest_must_name_an_executable_entry(publish: Publish, key: SecretKey) -> None:
    files = publish("1.2.0")
    body = json.loads(files.manifest.read_bytes())
    body["entry"] = "_internal/base_library.zip"
    with pytest.raises(ManifestError, match="not an executable"):
        Manifest.from_bytes(json.dumps(body).encode())


def test_archive_is_reproducible_and_unpacks_exactly(tmp_path: Path) -> None:
    folder = build_folder(tmp_path, "1.2.0")
    files = scan_tree(folder)
    write_archive(folder, files, tmp_path / "a.tar.gz", mtime=NOW)
    write_archive(folder, files, tmp_path / "b.tar.gz", mtime=NOW)
    assert (tmp_path / "a.tar.gz").read_bytes() == (tmp_path / "b.tar.gz").read_bytes()
    unpack_archive(tmp_path / "a.tar.gz", files, tmp_path / "out")
    assert check_tree(tmp_path / "out", files) == []
    assert (tmp_path / "out" / "kiosk").stat().st_mode & 0o111


def test_tree_check_names_what_differs(tmp_path: Path) -> None:
    folder = build_folder(tmp_path, "1.2.0")
    files = scan_tree(folder)
    (folder / "_internal" / "kiosk_assets" / "fr.qm").write_bytes(b"changed")
    (folder / "extra.txt").write_text("x")
    (folder / "_internal" / "base_library.zip").unlink()
    assert check_tree(folder, files) == [
        "missing: _internal/base_library.zip",
        "not in the manifest: extra.txt",
        "content differs (SHA-256): _internal/kiosk_assets/fr.qm",
    ]


def _tar(path: Path, members: list[tuple[tarfile.TarInfo, bytes]]) -> None:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for info, data in members:
            info.size = len(data) if info.isreg() else 0
            tar.addfile(info, io.BytesIO(data) if info.isreg() else None)
    path.write_bytes(gzip.compress(buffer.getvalue()))


def _member(name: str, kind: bytes = tarfile.REGTYPE, link: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = link
    return info


@pytest.mark.parametrize(
    "member",
    [
        _member("../evil"),
        _member("/tmp/evil"),
        _member("x", tarfile.SYMTYPE, "/etc/passwd"),
        _member("x", tarfile.LNKTYPE, "kiosk"),
        _member("x", tarfile.CHRTYPE),
        _member("not-listed"),
    ],
)
def test_archive_tricks_are_refused(tmp_path: Path, member: tarfile.TarInfo) -> None:
    files = [FileEntry(path="x", size=4, sha256="0" * 64)]
    _tar(tmp_path / "evil.tar.gz", [(member, b"evil")])
    with pytest.raises(ManifestError):
        unpack_archive(tmp_path / "evil.tar.gz", files, tmp_path / "out")
    assert not (tmp_path / "evil").exists()
    assert not (tmp_path / "out" / "x").exists() or member.name == "x"


def test_archive_content_must_match_the_manifest(tmp_path: Path) -> None:
    folder = build_folder(tmp_path, "1.2.0")
    files = scan_tree(folder)
    write_archive(folder, files, tmp_path / "a.tar.gz", mtime=NOW)
    lying = [
        FileEntry(e.path, e.size, "f" * 64, e.executable) if e.path == "kiosk" else e for e in files
    ]
    with pytest.raises(ManifestError, match="SHA-256 differs"):
        unpack_archive(tmp_path / "a.tar.gz", lying, tmp_path / "out")
    with pytest.raises(ManifestError, match="files missing"):
        unpack_archive(
            tmp_path / "a.tar.gz", [*files, FileEntry("more", 1, "0" * 64)], tmp_path / "out2"
        )
