"""Request limits as ASGI middleware: a token bucket per credential (or per client address
when there is none), and a cap on body size (413) read before the application sees it."""

from __future__ import annotations

import hashlib
import math
import threading
from collections import OrderedDict
from dataclasses import dataclass

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hub import Clock
from hub.auth import OPERATOR_PREFIX, SESSION_COOKIE, TERMINAL_PREFIX, bearer_token
from hub.settings import LimitsSection

MAX_BUCKETS = 100_000  # the least recently used are forgotten beyond this
UPLOAD_PATHS = ("/v1/admin/ingest", "/fleet/ingest")
# Routes for callers without a credential: limited per address whatever headers they send,
# so that inventing tokens or cookies does not buy fresh buckets for guessing codes.
ANONYMOUS_PATHS = frozenset({"/v1/enrol", "/fleet/login"})


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


async def _send_error(
    send: Send, status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> None:
    body = orjson.dumps({"error": code, "message": message, "details": None})
    raw_headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]
    raw_headers += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": body})


class LimitsMiddleware:
    """Rate limits first (cheap), then the body is read up to its cap and replayed."""

    def __init__(self, app: ASGIApp, limits: LimitsSection, clock: Clock) -> None:
        self.app = app
        self._limits = limits
        self._terminals = TokenBuckets(limits.terminal_per_s, limits.terminal_burst, clock)
        self._operators = TokenBuckets(limits.operator_per_s, limits.operator_burst, clock)
        self._anonymous = TokenBuckets(limits.anonymous_per_s, limits.anonymous_burst, clock)

    def _bucket(self, scope: Scope) -> tuple[TokenBuckets, str]:
        client = scope.get("client")
        address = client[0] if client else "unknown"
        if scope["path"] in ANONYMOUS_PATHS:
            return self._anonymous, address
        token = bearer_token(_header(scope, b"authorization"))
        if token is not None:
            digest = hashlib.sha256(token.encode()).hexdigest()[:32]
            if token.startswith(TERMINAL_PREFIX):
                return self._terminals, digest
            if token.startswith(OPERATOR_PREFIX):
                return self._operators, digest
        session = _cookie(scope, SESSION_COOKIE)
        if session:
            return self._operators, hashlib.sha256(session.encode()).hexdigest()[:32]
        return self._anonymous, address

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        buckets, key = self._bucket(scope)
        wait = buckets.take(key)
        if wait is not None:
            await _send_error(
                send,
                429,
                "rate_limited",
                "too many requests: wait as Retry-After says",
                {"Retry-After": str(max(1, math.ceil(wait)))},
            )
            return
        if scope["method"] not in ("POST", "PUT", "PATCH", "DELETE"):
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        limit = (
            self._limits.upload_bytes if path.startswith(UPLOAD_PATHS) else self._limits.body_bytes
        )
        declared = _header(scope, b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _send_error(send, 413, "too_large", f"the body is larger than {limit} bytes")
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
                await _send_error(send, 413, "too_large", f"the body is larger than {limit} bytes")
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
