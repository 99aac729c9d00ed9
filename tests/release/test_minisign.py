"""minisign formats: our keys and signatures, and the stock `minisign` tool reading them."""

from __future__ import annotations

import base64
import shutil
import subprocess
from pathlib import Path

import pytest

from kiosk.release.minisign import (
    ALG_HASHED,
    ALG_LEGACY,
    DEFAULT_MEMLIMIT,
    DEFAULT_OPSLIMIT,
    BadSignatureError,
    MinisignError,
    PublicKey,
    SecretKey,
    Signature,
    key_id_hex,
    scrypt_parameters,
)

# Cheap scrypt limits for tests: libsodium turns them into N=2^10, r=8, p=1.
FAST = {"opslimit": 32768, "memlimit": 16 << 20}
MINISIGN = shutil.which("minisign")
needs_minisign = pytest.mark.skipif(MINISIGN is None, reason="minisign is not installed")


def test_sign_and_verify_round_trip(key: SecretKey) -> None:
    signature = key.sign(b"release manifest", "job-kiosk 1.2.0")
    assert signature.algorithm == ALG_HASHED
    parsed = Signature.from_text(signature.to_text())
    assert parsed == signature
    public = PublicKey.from_text(key.public_key().to_text())
    assert public.verify(b"release manifest", parsed) == "job-kiosk 1.2.0"


def test_a_changed_byte_is_rejected(key: SecretKey) -> None:
    signature = key.sign(b"release manifest", "c")
    with pytest.raises(BadSignatureError, match="does not match the data"):
        key.public_key().verify(b"release manifesT", signature)


def test_another_key_is_rejected(key: SecretKey) -> None:
    other = SecretKey.generate()
    signature = other.sign(b"data", "c")
    with pytest.raises(BadSignatureError, match="signed with key"):
        key.public_key().verify(b"data", signature)
    # Same key id, different key: the signature itself fails.
    impostor = SecretKey(key_id=key.key_id, seed=other.seed)
    with pytest.raises(BadSignatureError):
        key.public_key().verify(b"data", impostor.sign(b"data", "c"))


def test_an_edited_trusted_comment_is_rejected(key: SecretKey) -> None:
    text = key.sign(b"data", "job-kiosk 1.2.0").to_text()
    edited = Signature.from_text(text.replace("1.2.0", "9.9.9"))
    with pytest.raises(BadSignatureError, match="trusted comment"):
        key.public_key().verify(b"data", edited)


def test_legacy_signatures_are_accepted_unless_refused(key: SecretKey) -> None:
    signature = key.sign(b"data", "old", prehash=False)
    assert signature.algorithm == ALG_LEGACY
    assert key.public_key().verify(b"data", signature) == "old"
    with pytest.raises(BadSignatureError, match="legacy"):
        key.public_key().verify(b"data", signature, allow_legacy=False)


def test_public_key_file_shape(key: SecretKey) -> None:
    text = key.public_key().to_text()
    comment, line = text.splitlines()
    assert comment == f"untrusted comment: minisign public key {key_id_hex(key.key_id)}"
    assert base64.b64decode(line)[:2] == b"Ed"
    # The bare line (as `minisign -P` takes it) reads too.
    assert PublicKey.from_text(line) == key.public_key()
    assert key_id_hex(bytes([1, 0, 0, 0, 0, 0, 0, 0x80])) == "8000000000000001"


def test_malformed_files_are_reported() -> None:
    with pytest.raises(MinisignError, match="untrusted comment"):
        Signature.from_text("a\nb\nc\nd\n")
    with pytest.raises(MinisignError, match="base64"):
        PublicKey.from_text("untrusted comment: x\n!!!\n")
    with pytest.raises(MinisignError, match="one line"):
        SecretKey.generate().sign(b"x", "two\nlines")


def test_encrypted_secret_key_round_trip(key: SecretKey) -> None:
    text = key.to_text("correct horse", **FAST)
    assert SecretKey.is_encrypted(text)
    assert SecretKey.from_text(text, "correct horse") == key
    with pytest.raises(MinisignError, match="wrong password"):
        SecretKey.from_text(text, "wrong horse")
    with pytest.raises(MinisignError, match="password is needed"):
        SecretKey.from_text(text, None)


def test_unencrypted_secret_key_is_written_as_minisign_does(key: SecretKey) -> None:
    text = key.to_text(None)
    assert not SecretKey.is_encrypted(text)
    blob = base64.b64decode(text.splitlines()[1])
    assert blob[:6] == b"Ed\0\0B2" and blob[-32:] == bytes(32)  # no checksum (minisign -W)
    assert SecretKey.from_text(text, None) == key


def test_libsodium_scrypt_parameters() -> None:
    assert scrypt_parameters(DEFAULT_OPSLIMIT, DEFAULT_MEMLIMIT) == (20, 8, 1)
    assert scrypt_parameters(FAST["opslimit"], FAST["memlimit"]) == (10, 8, 1)
    # crypto_pwhash_scryptsalsa208sha256 "interactive" limits.
    assert scrypt_parameters(524288, 16777216) == (14, 8, 1)


# -- the stock tool ------------------------------------------------------------------------------


def _minisign(*args: str, cwd: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    assert MINISIGN is not None
    return subprocess.run(
        [MINISIGN, *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@needs_minisign
def test_stock_minisign_verifies_our_signature(tmp_path: Path, key: SecretKey) -> None:
    (tmp_path / "release.pub").write_text(key.public_key().to_text())
    (tmp_path / "stable.json").write_bytes(b'{"version": "1.2.0"}\n')
    signature = key.sign(b'{"version": "1.2.0"}\n', "job-kiosk 1.2.0 channel=stable")
    (tmp_path / "stable.json.minisig").write_text(signature.to_text())
    done = _minisign("-V", "-p", "release.pub", "-m", "stable.json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Trusted comment: job-kiosk 1.2.0 channel=stable" in done.stdout
    (tmp_path / "stable.json").write_bytes(b'{"version": "1.2.1"}\n')
    assert _minisign("-V", "-p", "release.pub", "-m", "stable.json", cwd=tmp_path).returncode != 0


@needs_minisign
def test_stock_minisign_signs_with_our_encrypted_key(tmp_path: Path, key: SecretKey) -> None:
    (tmp_path / "release.key").write_text(key.to_text("pw", **FAST))
    (tmp_path / "file").write_bytes(b"payload")
    done = _minisign(
        "-S", "-s", "release.key", "-m", "file", "-t", "from the tool", cwd=tmp_path, stdin="pw\n"
    )
    assert done.returncode == 0, done.stderr
    signature = Signature.from_text((tmp_path / "file.minisig").read_text())
    assert key.public_key().verify(b"payload", signature) == "from the tool"


@needs_minisign
def test_we_read_keys_and_signatures_of_stock_minisign(tmp_path: Path) -> None:
    done = _minisign("-G", "-W", "-p", "tool.pub", "-s", "tool.key", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    (tmp_path / "file").write_bytes(b"signed by minisign")
    assert _minisign("-S", "-s", "tool.key", "-m", "file", cwd=tmp_path).returncode == 0
    public = PublicKey.from_text((tmp_path / "tool.pub").read_text())
    signature = Signature.from_text((tmp_path / "file.minisig").read_text())
    assert signature.algorithm == ALG_HASHED
    assert public.verify(b"signed by minisign", signature).startswith("timestamp:")
    secret = SecretKey.from_text((tmp_path / "tool.key").read_text(), None)
    assert secret.public_key() == public
    assert secret.to_text(None) == (tmp_path / "tool.key").read_text()


def test_signing_a_file_in_pieces_gives_the_same_signature(tmp_path: Path, key: SecretKey) -> None:
    data = bytes(range(256)) * 9000
    (tmp_path / "archive").write_bytes(data)
    assert key.sign_file(tmp_path / "archive", "c") == key.sign(data, "c")


@needs_minisign
def test_stock_minisign_verifies_a_published_release(tmp_path: Path, key: SecretKey) -> None:
    from kiosk.release.publish import make_release  # noqa: PLC0415
    from tests.release.conftest import build_folder  # noqa: PLC0415

    (tmp_path / "release.pub").write_text(key.public_key().to_text())
    files = make_release(
        build_folder(tmp_path, "1.2.0"), tmp_path / "out", key, version="1.2.0",
        min_from="1.0.0", channel="stable", platform="linux-x86_64", built_at=0, now=0,
        expires_days=30,
    )  # fmt: skip
    for signed in (files.archive, files.channel_manifest):
        done = _minisign("-V", "-p", "release.pub", "-m", str(signed), cwd=tmp_path)
        assert done.returncode == 0, done.stderr
    assert "job-kiosk 1.2.0 channel=stable platform=linux-x86_64 min_from=1.0.0" in done.stdout
