"""Sealing applications to the hub's public key with HPKE (RFC 9180).

The suite is X25519 + HKDF-SHA256 + ChaCha20-Poly1305. A terminal can seal but never open what
it sealed: only the hub holds the private key. The application's UUID is bound into the HPKE
`info`, so a sealed body replayed under another UUID does not open.
"""

from __future__ import annotations

import base64
import binascii
import uuid

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

SUITE = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.CHACHA20_POLY1305)
_INFO = b"job-kiosk application v1 "


class SealingError(ValueError):
    """A key or a sealed body is not usable; the message says why."""


def _info(application_id: uuid.UUID) -> bytes:
    return _INFO + str(application_id).encode("ascii")


def generate_keypair() -> tuple[str, str]:
    """A new key pair as (private, public), each the base64 of the raw 32-byte key."""
    private = X25519PrivateKey.generate()
    return (
        base64.b64encode(private.private_bytes_raw()).decode("ascii"),
        base64.b64encode(private.public_key().public_bytes_raw()).decode("ascii"),
    )


def _raw_key(text: str, what: str) -> bytes:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise SealingError(f"the {what} is not base64") from exc
    if len(raw) != 32:
        raise SealingError(f"the {what} must be 32 bytes (base64 of a raw X25519 key)")
    return raw


def load_public_key(text: str) -> X25519PublicKey:
    """The hub's public key from its base64 text (as in the terminal's configuration).

    Any 32 bytes make an X25519 key, but not every one can be sealed to (the all-zero key and
    the other small-order points): a trial seal refuses those here rather than at the first
    application."""
    key = X25519PublicKey.from_public_bytes(_raw_key(text, "public key"))
    try:
        SUITE.encrypt(b"", key, info=_info(uuid.UUID(int=0)))
    except ValueError as exc:
        raise SealingError(
            "the public key is not a usable X25519 key (a small-order point)"
        ) from exc
    return key


def load_private_key(text: str) -> X25519PrivateKey:
    """The hub's private key from its base64 text."""
    return X25519PrivateKey.from_private_bytes(_raw_key(text, "private key"))


def seal(public_key: X25519PublicKey, application_id: uuid.UUID, plaintext: bytes) -> bytes:
    """The sealed body (encapsulated key followed by the ciphertext)."""
    return SUITE.encrypt(plaintext, public_key, info=_info(application_id))


def unseal(private_key: X25519PrivateKey, application_id: uuid.UUID, sealed: bytes) -> bytes:
    """The plaintext of a body sealed for `application_id`; SealingError if it does not open."""
    try:
        return SUITE.decrypt(sealed, private_key, info=_info(application_id))
    except (InvalidTag, ValueError) as exc:
        raise SealingError("the sealed application does not open with this key and id") from exc
