"""Credentials: terminal and operator tokens (stored as SHA-256, compared in constant time),
one-time enrolment codes, the fleet page's signed session cookies, and the anti-forgery
token of the sign-in forms (the fleet's and the recruiters')."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import insert, select, update

from hub import Clock
from hub.db import Database
from hub.models import OperatorToken, Terminal

if TYPE_CHECKING:
    from starlette.responses import Response

TERMINAL_PREFIX = "kt_"
OPERATOR_PREFIX = "ko_"
# Crockford-like: no 0/O, 1/I/L, U, so a code read aloud or copied by hand survives.
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
_CODE_GROUPS = 3
_CODE_GROUP = 4  # 12 symbols: about 59 bits
SESSION_COOKIE = "hub_session"


def new_token(prefix: str) -> str:
    """A new secret token: a type prefix and 256 random bits."""
    return prefix + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What the database keeps of a token or code: its SHA-256, hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def same(a: str, b: str) -> bool:
    """Constant-time comparison of two secrets (or hashes)."""
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


def bearer_token(header: str | None) -> str | None:
    """The token of an `Authorization: Bearer …` header; None when absent or of another kind."""
    if not header:
        return None
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    value = value.strip()
    if not value or len(value) > 200 or not value.isascii():
        return None
    return value


def new_enrol_code() -> str:
    """A one-time enrolment code such as `K7QM-3XPA-WB9D`."""
    symbols = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(_CODE_GROUPS * _CODE_GROUP))
    return "-".join(symbols[i : i + _CODE_GROUP] for i in range(0, len(symbols), _CODE_GROUP))


def normalise_code(text: str) -> str:
    """A code as typed (any case, spaces or dashes) in its canonical form."""
    symbols = "".join(c for c in text.upper() if c.isalnum())
    return "-".join(symbols[i : i + _CODE_GROUP] for i in range(0, len(symbols), _CODE_GROUP))


@dataclass(frozen=True, slots=True)
class TerminalIdentity:
    """The terminal a valid token belongs to, with what the feed needs to know of it."""

    id: int
    terminal_id: str
    latitude: float
    longitude: float
    radius_km: float
    feed_generation: int
    config_version: int


def authenticate_terminal(db: Database, token: str) -> TerminalIdentity | None:
    """The active terminal holding `token`, or None (unknown or revoked)."""
    if not token.startswith(TERMINAL_PREFIX):
        return None
    digest = token_hash(token)
    with db.read() as connection:
        row = connection.execute(
            select(
                Terminal.id,
                Terminal.terminal_id,
                Terminal.latitude,
                Terminal.longitude,
                Terminal.radius_km,
                Terminal.feed_generation,
                Terminal.config_version,
                Terminal.token_hash,
            ).where(Terminal.token_hash == digest, Terminal.revoked_at.is_(None))
        ).first()
    if row is None or row.token_hash is None or not same(row.token_hash, digest):
        return None
    return TerminalIdentity(
        id=row.id,
        terminal_id=row.terminal_id,
        latitude=row.latitude,
        longitude=row.longitude,
        radius_km=row.radius_km,
        feed_generation=row.feed_generation,
        config_version=row.config_version,
    )


class Operators:
    """Operator tokens: created by the command line, checked on every admin request."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    def create(self, revoke_others: bool = False) -> str:
        """A new operator token (shown once); with `revoke_others`, the only valid one."""
        token = new_token(OPERATOR_PREFIX)
        now = int(self._clock())
        with self._db.write() as connection:
            if revoke_others:
                connection.execute(
                    update(OperatorToken)
                    .where(OperatorToken.revoked_at.is_(None))
                    .values(revoked_at=now)
                )
            connection.execute(
                insert(OperatorToken).values(token_hash=token_hash(token), created_at=now)
            )
        return token

    def count_active(self) -> int:
        """How many operator tokens are valid."""
        with self._db.read() as connection:
            return len(
                connection.execute(
                    select(OperatorToken.id).where(OperatorToken.revoked_at.is_(None))
                ).all()
            )

    def authenticate(self, token: str) -> int | None:
        """The id of the valid operator token `token`, or None."""
        if not token.startswith(OPERATOR_PREFIX):
            return None
        digest = token_hash(token)
        with self._db.read() as connection:
            row = connection.execute(
                select(OperatorToken.id, OperatorToken.token_hash).where(
                    OperatorToken.token_hash == digest, OperatorToken.revoked_at.is_(None)
                )
            ).first()
        if row is None or not same(row.token_hash, digest):
            return None
        return int(row.id)

    def is_active(self, token_id: int) -> bool:
        """Whether the operator token with this id is still valid (sessions die with it)."""
        with self._db.read() as connection:
            return (
                connection.execute(
                    select(OperatorToken.id).where(
                        OperatorToken.id == token_id, OperatorToken.revoked_at.is_(None)
                    )
                ).first()
                is not None
            )


# -- the fleet page's session cookie -----------------------------------------------------------


def _mac(secret: bytes, message: str) -> str:
    digest = hmac.new(secret, message.encode("ascii"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def make_session(secret: bytes, token_id: int, expires_at: int) -> str:
    """A cookie value naming the operator token that logged in, valid until `expires_at`."""
    body = f"{token_id}.{expires_at}.{secrets.token_urlsafe(12)}"
    return f"{body}.{_mac(secret, 'session|' + body)}"


def read_session(secret: bytes, cookie: str | None, now: float) -> int | None:
    """The operator token id of a genuine, unexpired session cookie, else None."""
    if not cookie or len(cookie) > 200 or not cookie.isascii():
        return None
    body, _, mac = cookie.rpartition(".")
    parts = body.split(".")
    if len(parts) != 3 or not same(mac, _mac(secret, "session|" + body)):
        return None
    try:
        token_id, expires_at = int(parts[0]), int(parts[1])
    except ValueError:
        return None
    return token_id if now < expires_at else None


def csrf_token(secret: bytes, cookie: str) -> str:
    """The anti-forgery token that the fleet page's forms carry for this session."""
    return _mac(secret, "csrf|" + cookie)


# -- the sign-in forms -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SignInForm:
    """Ties a sign-in form to the browser that loaded it: a random value in an HttpOnly,
    SameSite=Strict cookie, and in the form a token derived from it with the hub's secret.
    Another site's page cannot post the form for a browser (and sign it in to an account of
    its choosing): it can neither read the cookie nor have the browser send it along."""

    secret: bytes
    cookie: str  # the cookie's name
    path: str  # where the browser sends it back
    purpose: str  # keeps the tokens of two forms apart
    secure: bool
    max_age_s: int = 12 * 3600

    def nonce(self, cookies: Mapping[str, str]) -> str:
        """The value this browser holds, or a new one (to `give` with the page)."""
        held = self._held(cookies)
        return held if held is not None else secrets.token_urlsafe(24)

    def token(self, nonce: str) -> str:
        """The form's token for `nonce`."""
        return csrf_token(self.secret, f"{self.purpose}|{nonce}")

    def give(self, response: Response, nonce: str) -> Response:
        """Set (or renew) the cookie on the page that carries the form."""
        response.set_cookie(
            self.cookie,
            nonce,
            max_age=self.max_age_s,
            path=self.path,
            httponly=True,
            samesite="strict",
            secure=self.secure,
        )
        return response

    def allowed(self, cookies: Mapping[str, str], csrf: str | None) -> bool:
        """Whether a posted form came from a page this browser loaded from the hub."""
        held = self._held(cookies)
        return bool(held and csrf and same(csrf, self.token(held)))

    def _held(self, cookies: Mapping[str, str]) -> str | None:
        value = cookies.get(self.cookie)
        return value if value and len(value) <= 64 and value.isascii() else None
