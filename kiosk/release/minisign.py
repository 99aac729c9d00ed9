"""Ed25519 keys and signatures in minisign's file formats, so the stock `minisign` reads them."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import struct
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

# The formats, as minisign 0.11 writes them (https://jedisct1.github.io/minisign/):
#   public key:  "Ed" ‖ key id (8) ‖ Ed25519 public key (32)
#   signature:   "ED" ‖ key id (8) ‖ Ed25519(BLAKE2b-512(file)) (64)   ("Ed": Ed25519(file))
#                then the trusted comment and Ed25519(signature ‖ trusted comment)
#   secret key:  "Ed" ‖ "Sc" ‖ "B2" ‖ salt (32) ‖ opslimit (8, LE) ‖ memlimit (8, LE)
#                ‖ [key id (8) ‖ seed+public (64) ‖ BLAKE2b-256 checksum (32)] xor scrypt stream
ALG_LEGACY = b"Ed"
ALG_HASHED = b"ED"
KDF_SCRYPT = b"Sc"
KDF_NONE = b"\0\0"
CHK_BLAKE2B = b"B2"
UNTRUSTED = "untrusted comment: "
TRUSTED = "trusted comment: "
KEY_ID_BYTES = 8
# libsodium's crypto_pwhash_scryptsalsa208sha256 "sensitive" limits: what `minisign -G` uses
# (scrypt N=2^20, r=8, p=1: 1 GiB of memory, a few seconds).
DEFAULT_OPSLIMIT = 33_554_432
DEFAULT_MEMLIMIT = 1_073_741_824
_SECRET_PAYLOAD = KEY_ID_BYTES + 64 + 32


class MinisignError(Exception):
    """A key or signature file cannot be read or used; the message says why."""


class BadSignatureError(MinisignError):
    """The signature does not match the data, the key or its trusted comment."""


def _b64decode(line: str, what: str) -> bytes:
    try:
        return base64.b64decode(line.strip(), validate=True)
    except binascii.Error as exc:
        raise MinisignError(f"{what}: not valid base64") from exc


def _lines(text: str, count: int, what: str) -> list[str]:
    lines = text.splitlines()
    if len(lines) < count:
        raise MinisignError(f"{what}: expected {count} lines, found {len(lines)}")
    if not lines[0].startswith(UNTRUSTED):
        raise MinisignError(f"{what}: the first line must start with {UNTRUSTED!r}")
    return lines


def key_id_hex(key_id: bytes) -> str:
    """A key id as minisign prints it: the little-endian 64-bit number in upper-case hex."""
    return f"{struct.unpack('<Q', key_id)[0]:016X}"


def blake2b_file_hash(data: bytes) -> bytes:
    """The pre-hash of the "ED" signatures."""
    return hashlib.blake2b(data, digest_size=64).digest()


@dataclass(frozen=True, slots=True)
class Signature:
    """A detached signature (`.minisig`)."""

    algorithm: bytes
    key_id: bytes
    signature: bytes
    trusted_comment: str
    global_signature: bytes
    untrusted_comment: str = "signature from minisign secret key"

    @classmethod
    def from_text(cls, text: str) -> Signature:
        """Parse a `.minisig` file."""
        lines = _lines(text, 4, "signature")
        blob = _b64decode(lines[1], "signature")
        if len(blob) != 2 + KEY_ID_BYTES + 64 or blob[:2] not in (ALG_HASHED, ALG_LEGACY):
            raise MinisignError("signature: unknown algorithm or wrong length")
        if not lines[2].startswith(TRUSTED):
            raise MinisignError(f"signature: the third line must start with {TRUSTED!r}")
        global_sig = _b64decode(lines[3], "signature (global)")
        if len(global_sig) != 64:
            raise MinisignError("signature: the global signature has the wrong length")
        return cls(
            algorithm=blob[:2],
            key_id=blob[2:10],
            signature=blob[10:],
            trusted_comment=lines[2][len(TRUSTED) :],
            global_signature=global_sig,
            untrusted_comment=lines[0][len(UNTRUSTED) :],
        )

    def to_text(self) -> str:
        """The `.minisig` file."""
        blob = base64.b64encode(self.algorithm + self.key_id + self.signature).decode()
        return (
            f"{UNTRUSTED}{self.untrusted_comment}\n{blob}\n"
            f"{TRUSTED}{self.trusted_comment}\n{base64.b64encode(self.global_signature).decode()}\n"
        )


@dataclass(frozen=True, slots=True)
class PublicKey:
    """An operator's public key (`.pub`), as shipped on every terminal."""

    key_id: bytes
    key: bytes

    @classmethod
    def from_text(cls, text: str) -> PublicKey:
        """Parse a `.pub` file (two lines) or the bare base64 line (`minisign -P`)."""
        lines = text.strip().splitlines()
        line = lines[1] if len(lines) >= 2 and lines[0].startswith(UNTRUSTED) else lines[0]
        blob = _b64decode(line, "public key") if lines else b""
        if len(blob) != 2 + KEY_ID_BYTES + 32 or blob[:2] != ALG_LEGACY:
            raise MinisignError("public key: not an Ed25519 minisign public key")
        return cls(key_id=blob[2:10], key=blob[10:])

    def to_line(self) -> str:
        """The base64 line (what `minisign -P` takes)."""
        return base64.b64encode(ALG_LEGACY + self.key_id + self.key).decode()

    def to_text(self) -> str:
        """The `.pub` file."""
        return f"{UNTRUSTED}minisign public key {key_id_hex(self.key_id)}\n{self.to_line()}\n"

    def verify(self, data: bytes, signature: Signature, *, allow_legacy: bool = True) -> str:
        """Check `signature` over `data`; return its trusted comment, or raise BadSignatureError."""
        if signature.key_id != self.key_id:
            raise BadSignatureError(
                f"signed with key {key_id_hex(signature.key_id)}, "
                f"expected key {key_id_hex(self.key_id)}"
            )
        if signature.algorithm == ALG_LEGACY and not allow_legacy:
            raise BadSignatureError("legacy (not pre-hashed) signatures are not accepted")
        message = blake2b_file_hash(data) if signature.algorithm == ALG_HASHED else data
        key = Ed25519PublicKey.from_public_bytes(self.key)
        try:
            key.verify(signature.signature, message)
        except InvalidSignature as exc:
            raise BadSignatureError("the signature does not match the data") from exc
        try:
            key.verify(
                signature.global_signature,
                signature.signature + signature.trusted_comment.encode("utf-8"),
            )
        except InvalidSignature as exc:
            raise BadSignatureError("the trusted comment was altered") from exc
        return signature.trusted_comment


def scrypt_parameters(opslimit: int, memlimit: int) -> tuple[int, int, int]:
    """libsodium's pickparams(): (log2 N, r, p) for crypto_pwhash_scryptsalsa208sha256 limits."""
    opslimit = max(opslimit, 32768)
    r = 8
    if opslimit < memlimit // 32:
        p = 1
        max_n = opslimit // (r * 4)
    else:
        max_n = memlimit // (r * 128)
    log2_n = 1
    while log2_n < 63 and (1 << log2_n) <= max_n // 2:
        log2_n += 1
    if opslimit >= memlimit // 32:
        max_rp = min((opslimit // 4) // (1 << log2_n), 0x3FFFFFFF)
        p = max_rp // r
    return log2_n, r, p


def _scrypt_stream(password: str, salt: bytes, opslimit: int, memlimit: int) -> bytes:
    log2_n, r, p = scrypt_parameters(opslimit, memlimit)
    if log2_n > 24 or p > 16:
        raise MinisignError("secret key: the key derivation asks for too much memory or time")
    need = 128 * r * ((1 << log2_n) + p + 2)
    return hashlib.scrypt(
        password.encode("utf-8"),
        salt=salt,
        n=1 << log2_n,
        r=r,
        p=p,
        maxmem=need + (1 << 20),
        dklen=_SECRET_PAYLOAD,
    )


def _xor(left: bytes, right: bytes) -> bytes:
    return bytes(a ^ b for a, b in zip(left, right, strict=True))


def _checksum(key_id: bytes, secret: bytes) -> bytes:
    return hashlib.blake2b(ALG_LEGACY + key_id + secret, digest_size=32).digest()


@dataclass(frozen=True, slots=True)
class SecretKey:
    """An operator's signing key; kept on the release machine, never on a terminal."""

    key_id: bytes
    seed: bytes

    @classmethod
    def generate(cls) -> SecretKey:
        """A new random key pair."""
        return cls(key_id=os.urandom(KEY_ID_BYTES), seed=os.urandom(32))

    @property
    def _private(self) -> Ed25519PrivateKey:
        return Ed25519PrivateKey.from_private_bytes(self.seed)

    def public_key(self) -> PublicKey:
        """The matching public key."""
        raw = self._private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return PublicKey(key_id=self.key_id, key=raw)

    def sign_file(self, path: Path, trusted_comment: str) -> Signature:
        """Sign a large file ("ED"), hashing it in pieces rather than reading it whole."""
        digest = hashlib.blake2b(digest_size=64)
        with path.open("rb") as stream:
            while chunk := stream.read(1 << 20):
                digest.update(chunk)
        return self._sign_message(digest.digest(), ALG_HASHED, trusted_comment)

    def sign(
        self,
        data: bytes,
        trusted_comment: str,
        *,
        untrusted_comment: str = "signature from minisign secret key",
        prehash: bool = True,
    ) -> Signature:
        """Sign `data` ("ED", pre-hashed with BLAKE2b-512, unless `prehash` is False)."""
        message = blake2b_file_hash(data) if prehash else data
        algorithm = ALG_HASHED if prehash else ALG_LEGACY
        return self._sign_message(message, algorithm, trusted_comment, untrusted_comment)

    def _sign_message(
        self,
        message: bytes,
        algorithm: bytes,
        trusted_comment: str,
        untrusted_comment: str = "signature from minisign secret key",
    ) -> Signature:
        if "\n" in trusted_comment or "\r" in trusted_comment:
            raise MinisignError("a trusted comment is one line")
        private = self._private
        signature = private.sign(message)
        global_signature = private.sign(signature + trusted_comment.encode("utf-8"))
        return Signature(
            algorithm=algorithm,
            key_id=self.key_id,
            signature=signature,
            trusted_comment=trusted_comment,
            global_signature=global_signature,
            untrusted_comment=untrusted_comment,
        )

    def to_text(
        self,
        password: str | None,
        *,
        opslimit: int = DEFAULT_OPSLIMIT,
        memlimit: int = DEFAULT_MEMLIMIT,
    ) -> str:
        """The secret key file, encrypted with `password` (None: unencrypted, `minisign -W`)."""
        secret = self.seed + self.public_key().key
        if password is None:
            # As `minisign -G -W` writes it: no salt, no limits, and a zero checksum that
            # minisign never reads.
            kdf, salt, opslimit, memlimit = KDF_NONE, bytes(32), 0, 0
            payload = self.key_id + secret + bytes(32)
        else:
            kdf, salt = KDF_SCRYPT, os.urandom(32)
            payload = self.key_id + secret + _checksum(self.key_id, secret)
            payload = _xor(payload, _scrypt_stream(password, salt, opslimit, memlimit))
        blob = (
            ALG_LEGACY + kdf + CHK_BLAKE2B + salt + struct.pack("<QQ", opslimit, memlimit) + payload
        )
        return f"{UNTRUSTED}minisign encrypted secret key\n{base64.b64encode(blob).decode()}\n"

    @classmethod
    def from_text(cls, text: str, password: str | None) -> SecretKey:
        """Read a secret key file written by `minisign -G` or by `to_text`."""
        lines = _lines(text, 2, "secret key")
        blob = _b64decode(lines[1], "secret key")
        if len(blob) != 6 + 32 + 16 + _SECRET_PAYLOAD:
            raise MinisignError("secret key: wrong length")
        if blob[:2] != ALG_LEGACY or blob[4:6] != CHK_BLAKE2B:
            raise MinisignError("secret key: unknown algorithm")
        kdf, salt = blob[2:4], blob[6:38]
        opslimit, memlimit = struct.unpack("<QQ", blob[38:54])
        payload = blob[54:]
        if kdf == KDF_SCRYPT:
            if password is None:
                raise MinisignError("secret key: this key is encrypted, a password is needed")
            payload = _xor(payload, _scrypt_stream(password, salt, opslimit, memlimit))
        elif kdf != KDF_NONE:
            raise MinisignError("secret key: unknown key derivation")
        key_id, secret, checksum = payload[:8], payload[8:72], payload[72:]
        # Only an encrypted key carries a checksum (minisign's seckey_compute_chk runs in
        # encrypt_key/decrypt_key only); an unencrypted key has 32 zero bytes there.
        if kdf == KDF_SCRYPT and not hmac.compare_digest(checksum, _checksum(key_id, secret)):
            raise MinisignError("secret key: wrong password (or damaged key file)")
        key = cls(key_id=key_id, seed=secret[:32])
        if key.public_key().key != secret[32:]:
            raise MinisignError("secret key: damaged (its public half does not match)")
        return key

    @staticmethod
    def is_encrypted(text: str) -> bool:
        """Whether a secret key file needs a password."""
        blob = _b64decode(_lines(text, 2, "secret key")[1], "secret key")
        return blob[2:4] == KDF_SCRYPT
