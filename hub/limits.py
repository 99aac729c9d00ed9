"""Request limits as ASGI middleware: who is calling is checked first (a credential verified
against the database, else the client address), then its token bucket; uploads are refused
before a byte of their body is read unless an operator sends them, and are then streamed to a
temporary file with a cap; other bodies are read into memory up to a small cap."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import math
import os
import tempfile
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import orjson
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hub import Clock
from hub.attempts import Attempts
from hub.auth import (
    OPERATOR_PREFIX,
    SESSION_COOKIE,
    TERMINAL_PREFIX,
    authenticate_terminal,
    bearer_token,
    read_session,
)
from hub.recruiters.guard import RECRUITER_COOKIE, session_holder
from hub.settings import LimitsSection

if TYPE_CHECKING:
    from hub.app import Services

log = logging.getLogger("hub.limits")

MAX_BUCKETS = 100_000  # the least recently used are forgotten beyond this
UPLOAD_PATHS = ("/v1/admin/ingest", "/fleet/ingest")
# Routes for callers without a credential: limited per address whatever headers they send,
# so that inventing tokens or cookies does not buy fresh buckets for guessing codes; their
# attempts are also counted in the database (`Attempts`), across every hub instance.
ANONYMOUS_PATHS = frozenset({"/v1/enrol", "/fleet/login"})
# Liveness for load balancers and monitoring, which poll from one address: never limited (its
# answer costs no more than a 429 would, and a limited health check takes the hub out).
UNLIMITED_PATHS = frozenset({"/v1/health"})
UPLOAD_SCOPE_KEY = "hub.upload"  # the scope entry holding the path of a spooled upload
VERIFIED_FOR_S = 60.0  # a verified credential picks its bucket without the database this long
REFUSALS_LOG_S = 61.0  # an idle hub logs the last minute's refusals this long after the first
_CHUNK = 1 << 20


@dataclass(slots=True)
class _Bucket:
    tokens: float
    updated: float


class TokenBuckets:
    """Per-key token buckets: `rate` tokens a second up to `burst`."""

    def __init__(self, rate: float, burst: int, clock: Clock) -> None:
        self._rate = rate
        self._burst = float(burst)
        self._clock = clock
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, key: str) -> float | None:
        """None when a request may go; else the seconds to wait before the next one."""
        now = self._clock()
        with self._lock:
            bucket = self._buckets.pop(key, None) or _Bucket(self._burst, now)
            bucket.tokens = min(self._burst, bucket.tokens + (now - bucket.updated) * self._rate)
            bucket.updated = now
            self._buckets[key] = bucket
            if len(self._buckets) > MAX_BUCKETS:
                self._buckets.popitem(last=False)
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return None
            return (1.0 - bucket.tokens) / self._rate


@dataclass(slots=True)
class _Minute:
    """What was refused in one minute of one kind: how many, from how many addresses, and how
    many carried X-Forwarded-For from a peer not in trusted_proxies (the balancer, say)."""

    count: int = 0
    addresses: set[str] = field(default_factory=set)
    untrusted_proxy: int = 0


class Refusals:
    """429s counted per minute and kind, logged as one line per kind when the minute is over
    (at the next request, or by a timer on an idle hub): a flood costs a few lines a minute,
    and no line holds a client's address."""

    MAX_ADDRESSES = 10_000  # distinct addresses counted per minute and kind, at most

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._minute: int | None = None
        self._kinds: dict[str, _Minute] = {}
        self._lock = threading.Lock()

    def add(self, kind: str, address: str, untrusted_proxy: bool) -> None:
        """Count one refusal (logging the previous minute's first, if it is over)."""
        self.tick()
        with self._lock:
            if self._minute is None:
                self._minute = int(self._clock() // 60)
            counted = self._kinds.setdefault(kind, _Minute())
            counted.count += 1
            if len(counted.addresses) < self.MAX_ADDRESSES:
                counted.addresses.add(_digest(address))
            counted.untrusted_proxy += untrusted_proxy

    @property
    def pending(self) -> bool:
        """Whether refusals wait to be logged."""
        return self._minute is not None

    def tick(self) -> None:
        """Log the counted minute once it is over."""
        now = int(self._clock() // 60)
        with self._lock:
            if self._minute is None or self._minute == now:
                return
            minute, kinds = self._minute, self._kinds
            self._minute, self._kinds = None, {}
        stamp = datetime.fromtimestamp(minute * 60, UTC).strftime("%Y-%m-%d %H:%M")
        for kind, counted in sorted(kinds.items()):
            many = len(counted.addresses)
            addresses = f"{many}+" if many >= self.MAX_ADDRESSES else str(many)
            hint = ""
            if counted.untrusted_proxy:
                hint = (
                    f"; {counted.untrusted_proxy} carried X-Forwarded-For from a peer not in "
                    "[server] trusted_proxies: if it is your proxy or load balancer, list it "
                    "there, else every client shares its address and its limit"
                )
            log.warning(
                "refused %d requests (429) in the minute %s UTC: %s; client addresses: %s%s",
                counted.count,
                stamp,
                kind,
                addresses,
                hint,
            )


def _untrusted_proxy(scope: Scope, address: str) -> bool:
    """The request names a client in X-Forwarded-For, yet its address is still the peer's:
    the peer is a proxy the hub does not trust (uvicorn rewrites the address of trusted ones)."""
    forwarded = _header(scope, b"x-forwarded-for")
    if not forwarded:
        return False
    return address not in (part.strip() for part in forwarded.split(","))


@dataclass(frozen=True, slots=True)
class Caller:
    """A verified credential: a terminal or an operator token, or a recruiter's session (by
    the row id of the terminal, token or recruiter)."""

    kind: str  # "terminal", "operator" or "recruiter"
    id: int


class Verifier:
    """Which terminal or operator a request's credential belongs to, checked against the
    database; genuine ones are remembered a minute (they only pick a rate-limit bucket: every
    route checks its credential again, so a revocation takes effect at once)."""

    MAX_REMEMBERED = 100_000

    def __init__(self, services: Services, clock: Clock) -> None:
        self._services = services
        self._clock = clock
        self._known: OrderedDict[str, tuple[Caller, float]] = OrderedDict()
        self._lock = threading.Lock()

    def remembered(self, token: str) -> Caller | None:
        """The caller of a token verified in the last minute, without the database."""
        key = _digest(token)
        with self._lock:
            known = self._known.get(key)
        if known is None or self._clock() - known[1] > VERIFIED_FOR_S:
            return None
        return known[0]

    def verify(self, token: str) -> Caller | None:
        """The caller of a bearer token, from the database (blocking: call off the loop)."""
        caller: Caller | None = None
        if token.startswith(TERMINAL_PREFIX):
            terminal = authenticate_terminal(self._services.db, token)
            caller = Caller("terminal", terminal.id) if terminal is not None else None
        elif token.startswith(OPERATOR_PREFIX):
            operator = self._services.operators.authenticate(token)
            caller = Caller("operator", operator) if operator is not None else None
        if caller is not None:
            with self._lock:
                self._known[_digest(token)] = (caller, self._clock())
                self._known.move_to_end(_digest(token))
                if len(self._known) > self.MAX_REMEMBERED:
                    self._known.popitem(last=False)
        return caller

    def recruiter(self, cookie: str) -> Caller | None:
        """The recruiter of a live session cookie of the recruiters' pages, from the database
        (blocking: call off the loop); remembered a minute like a token."""
        recruiter = session_holder(self._services.db, cookie, int(self._services.clock()))
        if recruiter is None:
            return None
        caller = Caller("recruiter", recruiter)
        with self._lock:
            self._known[_digest(cookie)] = (caller, self._clock())
            self._known.move_to_end(_digest(cookie))
            if len(self._known) > self.MAX_REMEMBERED:
                self._known.popitem(last=False)
        return caller

    def session(self, cookie: str, active: bool) -> Caller | None:
        """The operator of a genuine fleet session cookie (signed: no database), and with
        `active` only if its operator token is still valid (blocking then)."""
        services = self._services
        operator = read_session(services.keys.session_secret, cookie, services.clock())
        if operator is None or (active and not services.operators.is_active(operator)):
            return None
        return Caller("operator", operator)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()[:32]


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return str(value.decode("latin-1"))
    return None


def _cookie(scope: Scope, name: str) -> str | None:
    header = _header(scope, b"cookie")
    if not header:
        return None
    for part in header.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return None


def _has_body(scope: Scope) -> bool:
    length = _header(scope, b"content-length")
    return _header(scope, b"transfer-encoding") is not None or (
        length is not None and length.strip() not in ("", "0")
    )


async def _send_error(
    send: Send,
    status: int,
    code: str,
    message: str,
    headers: dict[str, str] | None = None,
    close: bool = False,
) -> None:
    """A JSON error; with `close`, the connection is closed after it, so that the body the
    client may still be sending is never read."""
    body = orjson.dumps({"error": code, "message": message, "details": None})
    raw_headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]
    raw_headers += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    if close:
        raw_headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": body})


def uploaded_file(scope: Scope) -> Path | None:
    """The temporary file holding the body of an upload (see LimitsMiddleware)."""
    path = scope.get(UPLOAD_SCOPE_KEY)
    return path if isinstance(path, Path) else None


class LimitsMiddleware:
    """Limits, cheapest first: the caller, its rate limit, then the body.

    - A credential (bearer token, fleet session cookie) is verified before it picks a bucket:
      a verified terminal or operator has its own; anything else (no credential, an invented
      or revoked one) takes from the bucket of the client's address, so inventing tokens buys
      nothing.
    - Upload routes answer 401 (or 403) before reading a byte of the body unless an active
      operator sends it, then stream the body to a temporary file, up to `upload_bytes` (413
      beyond); the route reads the file (`uploaded_file`). Early answers close the connection.
    - Other bodies are read into memory up to `body_bytes` (413 beyond) and replayed.
    """

    def __init__(
        self,
        app: ASGIApp,
        limits: LimitsSection,
        clock: Clock,
        services: Services | None = None,
        upload_dir: Path | None = None,
    ) -> None:
        self.app = app
        self._limits = limits
        self._terminals = TokenBuckets(limits.terminal_per_s, limits.terminal_burst, clock)
        self._operators = TokenBuckets(limits.operator_per_s, limits.operator_burst, clock)
        self._anonymous = TokenBuckets(limits.anonymous_per_s, limits.anonymous_burst, clock)
        # Recruiters are people at a browser, as operators are: each has their own bucket.
        self._recruiters = TokenBuckets(limits.operator_per_s, limits.operator_burst, clock)
        self._verifier = Verifier(services, clock) if services is not None else None
        self._attempts = (
            Attempts(services.db, services.clock, limits.attempts_per_minute)
            if services is not None
            else None
        )
        self._upload_dir = upload_dir
        self._refusals = Refusals(services.clock if services is not None else time.time)
        self._flush_timer: asyncio.TimerHandle | None = None

    def _refused(self, scope: Scope, kind: str, address: str) -> None:
        """Count a 429; make sure the minute is logged even if no request follows."""
        self._refusals.add(kind, address, _untrusted_proxy(scope, address))
        if self._flush_timer is None:
            self._flush_timer = asyncio.get_running_loop().call_later(REFUSALS_LOG_S, self._flush)

    def _flush(self) -> None:
        self._flush_timer = None
        self._refusals.tick()
        if self._refusals.pending:
            self._flush_timer = asyncio.get_running_loop().call_later(REFUSALS_LOG_S, self._flush)

    async def _caller(self, scope: Scope, fresh: bool) -> Caller | None:
        verifier = self._verifier
        if verifier is None:
            return None
        token = bearer_token(_header(scope, b"authorization"))
        if token is not None:
            known = None if fresh else verifier.remembered(token)
            return known or await run_in_threadpool(verifier.verify, token)
        cookie = _cookie(scope, SESSION_COOKIE)
        if cookie and scope["path"].startswith("/fleet"):
            if fresh:
                return await run_in_threadpool(verifier.session, cookie, True)
            return verifier.session(cookie, False)
        recruiter = _cookie(scope, RECRUITER_COOKIE)
        if recruiter and scope["path"].startswith("/recruiters"):
            known = None if fresh else verifier.remembered(recruiter)
            return known or await run_in_threadpool(verifier.recruiter, recruiter)
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or (
            scope["path"] in UNLIMITED_PATHS and scope["method"] in ("GET", "HEAD")
        ):
            await self.app(scope, receive, send)
            return
        self._refusals.tick()
        client = scope.get("client")
        address = client[0] if client else "unknown"
        path: str = scope["path"]
        method: str = scope["method"]
        upload = method == "POST" and path.rstrip("/") in UPLOAD_PATHS
        close = _has_body(scope)
        caller = None if path in ANONYMOUS_PATHS else await self._caller(scope, upload)
        if caller is None:
            buckets, key, kind = self._anonymous, address, "requests without a credential"
        elif caller.kind == "terminal":
            buckets, key, kind = self._terminals, f"t{caller.id}", "terminals' requests"
        elif caller.kind == "recruiter":
            buckets, key, kind = self._recruiters, f"r{caller.id}", "recruiters' requests"
        else:
            buckets, key, kind = self._operators, f"o{caller.id}", "operators' requests"
        wait = buckets.take(key)
        if wait is None and path in ANONYMOUS_PATHS and method == "POST" and self._attempts:
            wait = await run_in_threadpool(self._attempts.take, path.strip("/"), address)
            kind = "enrolment attempts" if path == "/v1/enrol" else "fleet sign-in attempts"
        if wait is not None:
            self._refused(scope, kind, address)
            await _send_error(
                send,
                429,
                "rate_limited",
                "too many requests: wait as Retry-After says",
                {"Retry-After": str(max(1, math.ceil(wait)))},
                close=close,
            )
            return
        if upload:
            await self._upload(scope, receive, send, caller)
            return
        if method not in ("POST", "PUT", "PATCH", "DELETE"):
            await self.app(scope, receive, send)
            return
        await self._small_body(scope, receive, send)

    def _too_large(self, scope: Scope, limit: int) -> bool:
        declared = _header(scope, b"content-length")
        return declared is not None and declared.isdigit() and int(declared) > limit

    async def _small_body(self, scope: Scope, receive: Receive, send: Send) -> None:
        limit = self._limits.body_bytes
        if self._too_large(scope, limit):
            await _send_error(
                send, 413, "too_large", f"the body is larger than {limit} bytes", close=True
            )
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await _send_error(
                    send, 413, "too_large", f"the body is larger than {limit} bytes", close=True
                )
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _upload(
        self, scope: Scope, receive: Receive, send: Send, caller: Caller | None
    ) -> None:
        if caller is None or caller.kind != "operator":
            if caller is not None:  # a terminal's token
                await _send_error(
                    send, 403, "forbidden", "terminal tokens cannot upload offers", close=True
                )
            else:
                await _send_error(
                    send,
                    401,
                    "unauthorised",
                    "a valid operator token (or fleet session) is required to upload",
                    {"WWW-Authenticate": 'Bearer realm="kiosk-hub"'},
                    close=True,
                )
            return
        limit = self._limits.upload_bytes
        if self._too_large(scope, limit):
            await _send_error(
                send, 413, "too_large", f"the upload is larger than {limit} bytes", close=True
            )
            return
        handle, name = tempfile.mkstemp(prefix="hub-upload-", dir=self._upload_dir)
        path = Path(name)
        try:
            with os.fdopen(handle, "wb") as out:
                size = 0
                while True:
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        return
                    chunk = message.get("body", b"")
                    size += len(chunk)
                    if size > limit:
                        await _send_error(
                            send,
                            413,
                            "too_large",
                            f"the upload is larger than {limit} bytes",
                            close=True,
                        )
                        return
                    out.write(chunk)
                    if not message.get("more_body", False):
                        break
            await self.app({**scope, UPLOAD_SCOPE_KEY: path}, _replay_file(path, receive), send)
        finally:
            with contextlib.suppress(OSError):
                path.unlink()


def _replay_file(path: Path, receive: Receive) -> Receive:
    """A `receive` that reads the spooled body back in chunks (for the multipart parser)."""
    offset = 0
    done = False

    async def replay() -> Message:
        nonlocal offset, done
        if done:
            return await receive()
        with path.open("rb") as source:
            source.seek(offset)
            chunk = source.read(_CHUNK)
        offset += len(chunk)
        done = len(chunk) < _CHUNK
        return {"type": "http.request", "body": chunk, "more_body": not done}

    return replay
