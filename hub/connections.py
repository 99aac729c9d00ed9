"""Connections under hostile clients: uvicorn's HTTP/1.1 protocol with header and body
deadlines and a cap on open connections, the descriptor limit, and a log filter that writes a
repeated line once a second with the count of those it held back."""

from __future__ import annotations

import asyncio
import logging
import resource
import threading
import time
from collections import OrderedDict
from typing import Any, ClassVar

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol, RequestResponseCycle

from hub import Clock
from hub.limits import UPLOAD_PATHS
from hub.settings import ServerSection

log = logging.getLogger("hub.connections")

# Descriptors the hub needs besides its clients: database pool, log, key, temporary files.
RESERVED_DESCRIPTORS = 128


def _answer(status: int, reason: str, code: str, message: str) -> bytes:
    body = f'{{"error":"{code}","message":"{message}","details":null}}'.encode()
    head = (
        f"HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\n"
        f"content-length: {len(body)}\r\nconnection: close\r\n"
    )
    if status == 503:
        head += "retry-after: 1\r\n"
    return head.encode("ascii") + b"\r\n" + body


_BUSY = _answer(503, "Service Unavailable", "busy", "too many connections: try again shortly")
_TIMEOUT = _answer(408, "Request Timeout", "timeout", "the request did not arrive in time")


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with what it lacks against slow clients (uvicorn's keep-alive
    timer is reset by every byte, so a client dripping one byte at a time holds its
    connection for ever):

    - the request line and headers must be complete `header_timeout_s` after the connection
      opens, or after the first byte of a later request on a kept-alive connection;
    - the body must be complete `body_timeout_s` after the headers (`upload_timeout_s` on the
      upload routes);
    - past `max_connections` open connections, a new one is answered 503 and closed at once,
      so the process never runs out of descriptors and `accept()` never fails.

    A deadline is absolute: bytes arriving slowly do not extend it. On expiry the client gets
    408 if no answer was started, and the connection is closed.
    """

    header_timeout_s: ClassVar[float] = 10.0
    body_timeout_s: ClassVar[float] = 30.0
    upload_timeout_s: ClassVar[float] = 600.0
    max_connections: ClassVar[int] = 4096

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deadline: asyncio.TimerHandle | None = None
        self._deadline_kind = ""
        self._refused = False

    # -- the connection cap ----------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        if len(self.connections) >= self.max_connections:
            self._refused = True
            self.transport = transport  # type: ignore[assignment]
            assert isinstance(transport, asyncio.WriteTransport)
            transport.write(_BUSY)
            transport.close()
            log.warning("connection refused: %d open, the limit", self.max_connections)
            return
        super().connection_made(transport)  # type: ignore[arg-type]
        self._arm("header", self.header_timeout_s)

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        if self._refused:
            return
        super().connection_lost(exc)

    # -- the deadlines ---------------------------------------------------------------------

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return
        if self._deadline is None and self.conn.their_state is h11.IDLE:
            self._arm("header", self.header_timeout_s)  # a later request's first byte
        super().data_received(data)
        self._follow()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._follow()

    def _follow(self) -> None:
        """Move the deadline along with the request: headers, then body, then none."""
        state = self.conn.their_state
        if state is h11.SEND_BODY:
            if self._deadline_kind != "body":
                upload = str(self.scope["path"]).rstrip("/") in UPLOAD_PATHS
                self._arm("body", self.upload_timeout_s if upload else self.body_timeout_s)
        elif state is not h11.IDLE or self._deadline_kind == "body":
            self._disarm()

    def _arm(self, kind: str, seconds: float) -> None:
        self._disarm()
        self._deadline_kind = kind
        self._deadline = self.loop.call_later(seconds, self._expired)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        self._deadline = None
        self._deadline_kind = ""

    def _expired(self) -> None:
        kind = self._deadline_kind
        self._deadline = None
        self._deadline_kind = ""
        if self.transport.is_closing():
            return
        cycle: RequestResponseCycle | None = self.cycle
        answered = False
        if cycle is not None and not cycle.response_complete:
            answered = cycle.response_started
            cycle.disconnected = True  # the application reads a disconnect and stops
            cycle.message_event.set()
        # 408 unless an answer was started, or nothing at all was sent (an idle connection
        # opened ahead of time by a client's pool is just closed).
        partial = kind == "body" or bool(self.conn.trailing_data[0])
        if partial and not answered:
            self.transport.write(_TIMEOUT)
        self.transport.close()
        log.warning("slow client: the request's %s did not arrive in time; closed", kind)


def guarded_protocol(server: ServerSection, max_connections: int) -> type[GuardedH11Protocol]:
    """The protocol class with these settings (uvicorn builds one instance per connection)."""
    return type(
        "GuardedH11Protocol",
        (GuardedH11Protocol,),
        {
            "header_timeout_s": server.header_timeout_s,
            "body_timeout_s": server.body_timeout_s,
            "upload_timeout_s": server.upload_timeout_s,
            "max_connections": max_connections,
        },
    )


def connection_budget(wanted: int, reserve: int = RESERVED_DESCRIPTORS) -> int:
    """How many connections the hub may hold open: `wanted`, but below the descriptor limit.

    The soft limit is first raised as far as the hard limit allows (and as far as needed).
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    needed = wanted + reserve
    if soft != resource.RLIM_INFINITY and soft < needed:
        target = needed if hard == resource.RLIM_INFINITY else min(hard, needed)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            pass
    if soft == resource.RLIM_INFINITY:
        return wanted
    budget = max(16, min(wanted, soft - reserve))
    if budget < wanted:
        log.warning(
            "max_connections %d lowered to %d: the descriptor limit is %d (raise LimitNOFILE)",
            wanted,
            budget,
            soft,
        )
    return budget


def server_config(
    app: Any, server: ServerSection, host: str | None = None, port: int | None = None
) -> uvicorn.Config:
    """uvicorn's configuration for the hub: the guarded protocol, no access log, no
    WebSocket, no lifespan; the client address from trusted proxies only."""
    return uvicorn.Config(
        app,
        host=host or server.host,
        port=server.port if port is None else port,
        http=guarded_protocol(server, connection_budget(server.max_connections)),
        proxy_headers=True,
        forwarded_allow_ips=server.trusted_proxies,
        timeout_keep_alive=server.keep_alive_s,
        log_config=None,
        access_log=False,
        server_header=False,
        ws="none",
        lifespan="off",
    )


class RepeatThrottle(logging.Filter):
    """At most one line a second of each kind (logger, level, first line of the message);
    the next one written says how many were held back in between.

    Installed on the log handlers at `serve`, so that a storm (asyncio's "socket.accept() out
    of system resource", a refused connection per attacker) costs one line a second.
    """

    MAX_KINDS = 10_000

    def __init__(self, interval_s: float = 1.0, clock: Clock = time.monotonic) -> None:
        super().__init__()
        self._interval = interval_s
        self._clock = clock
        self._kinds: OrderedDict[tuple[str, int, str], list[float]] = OrderedDict()
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        key = (record.name, record.levelno, str(record.msg).partition("\n")[0])
        now = self._clock()
        with self._lock:
            seen = self._kinds.get(key)
            if seen is not None and now - seen[0] < self._interval:
                seen[1] += 1
                return False
            held = int(seen[1]) if seen is not None else 0
            self._kinds[key] = [now, 0]
            self._kinds.move_to_end(key)
            if len(self._kinds) > self.MAX_KINDS:
                self._kinds.popitem(last=False)
        if held:
            record.msg = f"{record.getMessage()} ({held} more like this since the last one shown)"
            record.args = None
        return True


def throttle_logs(interval_s: float = 1.0) -> RepeatThrottle:
    """Put one RepeatThrottle on every handler of the root logger."""
    throttle = RepeatThrottle(interval_s)
    for handler in logging.getLogger().handlers:
        handler.addFilter(throttle)
    return throttle
