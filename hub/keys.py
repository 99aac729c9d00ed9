"""The hub's HPKE key pair: generated on first start into the data directory, loaded after."""

from __future__ import annotations

import base64
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from kiosk.sealing import SealingError, generate_keypair, load_private_key

log = logging.getLogger("hub.keys")


class KeyFileError(RuntimeError):
    """The key file cannot be read or written; the message says why."""


@dataclass(frozen=True, slots=True)
class HubKeys:
    """The private key that opens applications, its public half, and derived secrets."""

    private_key: X25519PrivateKey
    public_key: str  # base64 of the raw X25519 key, as terminals configure it
    session_secret: bytes  # signs the fleet page's session cookies
    reference_secret: bytes  # keys the hashes of applicants' reference codes

    @classmethod
    def from_private_text(cls, text: str) -> HubKeys:
        """The keys from the base64 private key."""
        private = load_private_key(text)
        raw = private.private_bytes_raw()
        secret = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=b"job-kiosk hub sessions v1"
        ).derive(raw)
        references = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=b"job-kiosk hub references v1"
        ).derive(raw)
        public = base64.b64encode(private.public_key().public_bytes_raw()).decode("ascii")
        return cls(
            private_key=private,
            public_key=public,
            session_secret=secret,
            reference_secret=references,
        )


def load_or_create_keys(path: Path) -> tuple[HubKeys, bool]:
    """The hub's keys from `path`, created (mode 0600) when absent; and whether it was created.

    The file holds one line, the base64 private key. Whoever reads it can open every
    application the hub ever received: keep it out of database backups, back it up apart.
    """
    created = False
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        private, _public = generate_keypair()
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process created it first: read theirs
        except OSError as exc:
            raise KeyFileError(f"{path}: cannot create the key file: {exc.strerror}") from exc
        else:
            with os.fdopen(descriptor, "w", encoding="ascii") as handle:
                handle.write(private + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            created = True
            log.info("created the hub's key pair in %s", path)
    try:
        text = path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as exc:
        raise KeyFileError(f"{path}: cannot read the key file: {exc}") from exc
    try:
        return HubKeys.from_private_text(text), created
    except SealingError as exc:
        raise KeyFileError(f"{path}: {exc}") from exc
