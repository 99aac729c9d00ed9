"""A fault-injecting reverse proxy on 127.0.0.1, in front of a real hub (tests and benchmarks).

Every request is read whole, then either forwarded to the upstream hub as it is or given one
fault, taken from a plan (the next request on a path gets this fault) or drawn at random from a
seeded generator (the soak). Every answer closes its connection, so that each request arrives
on a connection of its own and a fault never leaks into the next request.

The faults:

- `refuse`: the connection is reset as soon as the request is read (not forwarded);
  `down()` closes the listening socket itself, so that connections are refused (ECONNREFUSED)
  until `up()`;
- `timeout`: not forwarded, no answer: the connection is held until the client gives up;
- `500`, `502`, `503`: that status with an error body, not forwarded;
- `429`: Too Many Requests with a `Retry-After` header, not forwarded;
- `garbage`: 200 with a body that is not JSON (a captive portal), not forwarded;
- `truncate`: forwarded; the answer's head, then half its body, then the connection closes;
- `drip`: forwarded; the answer trickles one byte every `drip_interval_s` (set it above the
  client's read timeout);
- `lost`: forwarded and answered by the hub (which stored it), then the connection is reset
  without a byte of the answer;
- `stall`: forwarded and answered by the hub, then held without a byte of the answer until the
  client gives up (or is killed).

`counts` says what was done; `wait_for` waits until a fault was applied (after the hub answered,
for the faults that forward).
"""

from __future__ import annotations

import contextlib
import random
import socket
import struct
import threading
from collections import Counter, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from types import TracebackType
from urllib.parse import urlsplit

HEAD_MAX = 64 * 1024
BODY_MAX = 64 * 1024 * 1024
GARBAGE = b"<html><body>Welcome to the station Wi-Fi: accept the terms to continue</body></html>"


class Fault(StrEnum):
    """What the proxy can do to one request."""

    REFUSE = "refuse"
    TIMEOUT = "timeout"
    HTTP_500 = "500"
    HTTP_502 = "502"
    HTTP_503 = "503"
    TOO_MANY = "429"
    GARBAGE = "garbage"
    TRUNCATE = "truncate"
    DRIP = "drip"
    LOST = "lost"
    STALL = "stall"


FORWARDED = "forwarded"  # the count of requests passed through untouched
# The faults after which the hub has the request (it answered before the fault).
AFTER_UPSTREAM = frozenset({Fault.TRUNCATE, Fault.DRIP, Fault.LOST, Fault.STALL})
_STATUS_TEXT = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}


@dataclass(slots=True)
class Planned:
    """One planned fault: for the next request whose path (with its query) starts with `path`
    (any request if None), once `after` such requests went through untouched."""

    fault: Fault
    path: str | None = None
    retry_after: str = "120"
    after: int = 0


@dataclass(frozen=True, slots=True)
class Seen:
    """One request and what the proxy did with it."""

    method: str
    path: str
    done: str  # a Fault value or FORWARDED


@dataclass(frozen=True, slots=True)
class _Request:
    method: str
    path: str
    raw: bytes  # head rewritten with "Connection: close", then the body


class _ClientGoneError(Exception):
    """The client closed its connection before the request was whole."""


def _reset(conn: socket.socket) -> None:
    """Close with a TCP reset instead of an orderly close."""
    with contextlib.suppress(OSError):
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()


def _split_head(data: bytes) -> tuple[list[bytes], bytes]:
    head, _, rest = data.partition(b"\r\n\r\n")
    return head.split(b"\r\n"), rest


def _with_close(lines: list[bytes], length: int | None = None) -> bytes:
    """The head `lines` with any Connection header replaced by "Connection: close" (and the
    Content-Length replaced by `length` when given)."""
    kept = [lines[0]]
    for line in lines[1:]:
        name = line.split(b":", 1)[0].strip().lower()
        if name in (b"connection", b"keep-alive"):
            continue
        if length is not None and name == b"content-length":
            continue
        kept.append(line)
    kept.append(b"Connection: close")
    if length is not None:
        kept.append(b"Content-Length: %d" % length)
    return b"\r\n".join(kept) + b"\r\n\r\n"


def _read_request(conn: socket.socket) -> _Request:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            raise _ClientGoneError
        data += chunk
        if len(data) > HEAD_MAX and b"\r\n\r\n" not in data:
            raise _ClientGoneError
    lines, body = _split_head(data)
    method, path, _version = lines[0].decode("latin-1").split(" ", 2)
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    if length > BODY_MAX:
        raise _ClientGoneError
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            raise _ClientGoneError
        body += chunk
    return _Request(method, path, _with_close(lines) + body[:length])


def _answer(status: int, text: str, body: bytes, headers: Iterable[str] = ()) -> bytes:
    lines = [f"HTTP/1.1 {status} {text}", *headers, "Content-Type: application/json"]
    lines += [f"Content-Length: {len(body)}", "Connection: close"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


class FaultProxy:
    """A reverse proxy on 127.0.0.1 to `upstream` (http://host:port) that injects faults.

    Thread-safe: plans may be changed while requests are under way.
    """

    def __init__(
        self,
        upstream: str,
        *,
        drip_interval_s: float = 0.75,
        hold_limit_s: float = 60.0,
        upstream_timeout_s: float = 60.0,
    ) -> None:
        parts = urlsplit(upstream)
        if parts.scheme != "http" or parts.hostname is None or parts.port is None:
            raise ValueError(f"the upstream must be http://host:port, not {upstream!r}")
        self._upstream = (parts.hostname, parts.port)
        self.drip_interval_s = drip_interval_s
        self.hold_limit_s = hold_limit_s
        self._upstream_timeout_s = upstream_timeout_s
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._plan: deque[Planned] = deque()
        self._rate = 0.0
        self._rng = random.Random(0)
        self._kinds: tuple[Fault, ...] = ()
        self._retry_after: tuple[str, ...] = ("1",)
        self._counts: Counter[str] = Counter()
        self._seen: list[Seen] = []
        self._open: set[socket.socket] = set()
        self._threads: set[threading.Thread] = set()
        self._stopping = threading.Event()
        self._listener: socket.socket | None = None
        self._acceptor: threading.Thread | None = None
        self.port = 0
        self.up()

    @property
    def url(self) -> str:
        """Where clients connect."""
        return f"http://127.0.0.1:{self.port}"

    # -- the plan -----------------------------------------------------------------------------

    def plan(
        self, *faults: Fault, path: str | None = None, retry_after: str = "120", after: int = 0
    ) -> None:
        """The next requests (on `path`, a path prefix, or any) get these faults, in order;
        with `after`, the first fault waits for that many such requests to go through."""
        with self._lock:
            for n, fault in enumerate(faults):
                self._plan.append(Planned(fault, path, retry_after, after if n == 0 else 0))

    def randomly(
        self,
        rate: float,
        seed: int,
        faults: Sequence[Fault] = tuple(Fault),
        retry_after: Sequence[str] = ("1", "2"),
    ) -> None:
        """Beyond the plan, each request gets a fault drawn from `faults` with probability
        `rate` (a seeded generator: the same seed, the same draws in the same order)."""
        with self._lock:
            self._rate, self._rng = rate, random.Random(seed)
            self._kinds, self._retry_after = tuple(faults), tuple(retry_after)

    def calm(self) -> None:
        """No more faults: the plan is emptied and the random mode is off."""
        with self._lock:
            self._plan.clear()
            self._rate = 0.0

    def pending(self) -> int:
        """Planned faults not applied yet."""
        with self._lock:
            return len(self._plan)

    # -- what was done ------------------------------------------------------------------------

    @property
    def counts(self) -> Counter[str]:
        """How many requests got each fault (by its value) or were forwarded untouched."""
        with self._lock:
            return Counter(self._counts)

    @property
    def seen(self) -> list[Seen]:
        """Every request so far, in the order they were dealt with."""
        with self._lock:
            return list(self._seen)

    def wait_for(self, done: str, count: int = 1, timeout: float = 30.0) -> None:
        """Return once `done` (a Fault value or FORWARDED) was applied `count` times in all."""
        with self._changed:
            if not self._changed.wait_for(lambda: self._counts[done] >= count, timeout):
                raise AssertionError(f"the proxy did not apply {done!r} {count} times in time")

    # -- listening ----------------------------------------------------------------------------

    def down(self) -> None:
        """Close the listening socket: new connections are refused until `up()`."""
        listener, acceptor = self._listener, self._acceptor
        self._listener = self._acceptor = None
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept()
            listener.close()
        if acceptor is not None:
            acceptor.join(10)

    def up(self) -> None:
        """Listen (again, on the same port once it has one)."""
        if self._listener is not None:
            return
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(128)
        self.port = listener.getsockname()[1]
        self._listener = listener
        self._acceptor = threading.Thread(
            target=self._accept, args=(listener,), name="fault-proxy", daemon=True
        )
        self._acceptor.start()

    def close(self) -> None:
        """Stop listening, cut every connection under way, wait for the handlers."""
        self._stopping.set()
        self.down()
        with self._lock:
            conns, threads = list(self._open), list(self._threads)
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        for thread in threads:
            thread.join(10)

    def __enter__(self) -> FaultProxy:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # -- serving ------------------------------------------------------------------------------

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return  # the listener was closed
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            with self._lock:
                self._open.add(conn)
                self._threads.add(thread)
            thread.start()

    def _choose(self, path: str) -> Planned | None:
        with self._lock:
            for planned in self._plan:
                if planned.path is None or path.startswith(planned.path):
                    if planned.after:  # not yet: this one goes through
                        planned.after -= 1
                        return None
                    self._plan.remove(planned)
                    return planned
            if self._rate and self._rng.random() < self._rate:
                fault = self._rng.choice(self._kinds)
                return Planned(fault, None, self._rng.choice(self._retry_after))
        return None

    def _record(self, request: _Request, done: str) -> None:
        with self._changed:
            self._counts[done] += 1
            self._seen.append(Seen(request.method, request.path, done))
            self._changed.notify_all()

    def _serve(self, conn: socket.socket) -> None:
        try:
            conn.settimeout(self.hold_limit_s)
            request = _read_request(conn)
            planned = self._choose(request.path)
            if planned is None:
                conn.sendall(self._forward(request))
                self._record(request, FORWARDED)
                conn.shutdown(socket.SHUT_WR)
            else:
                self._apply(planned, request, conn)
        except (_ClientGoneError, OSError, ValueError):
            pass  # the client left (or was killed), or the proxy is closing
        finally:
            with self._lock:
                self._open.discard(conn)
                self._threads.discard(threading.current_thread())
            conn.close()

    def _forward(self, request: _Request) -> bytes:
        """The upstream's whole answer, with "Connection: close"."""
        with socket.create_connection(self._upstream, self._upstream_timeout_s) as upstream:
            upstream.sendall(request.raw)
            chunks = []
            while chunk := upstream.recv(65536):
                chunks.append(chunk)
        lines, body = _split_head(b"".join(chunks))
        return _with_close(lines) + body

    def _apply(self, planned: Planned, request: _Request, conn: socket.socket) -> None:
        fault = planned.fault
        answer = self._forward(request) if fault in AFTER_UPSTREAM else b""
        if fault in AFTER_UPSTREAM:
            # Counted once the hub has answered: a test may then kill the client knowing the
            # hub has the request.
            self._record(request, fault)
        if fault is Fault.REFUSE:
            self._record(request, fault)
            _reset(conn)
        elif fault is Fault.TIMEOUT:
            self._record(request, fault)
            self._hold(conn)
        elif fault in (Fault.HTTP_500, Fault.HTTP_502, Fault.HTTP_503):
            status = int(fault.value)
            body = b'{"error": "internal", "message": "injected fault"}'
            self._record(request, fault)
            conn.sendall(_answer(status, _STATUS_TEXT[status], body))
        elif fault is Fault.TOO_MANY:
            body = b'{"error": "rate_limited", "message": "injected fault"}'
            self._record(request, fault)
            headers = [f"Retry-After: {planned.retry_after}"]
            conn.sendall(_answer(429, "Too Many Requests", body, headers))
        elif fault is Fault.GARBAGE:
            self._record(request, fault)
            conn.sendall(_answer(200, "OK", GARBAGE))
        elif fault is Fault.TRUNCATE:
            lines, body = _split_head(answer)
            if body:
                conn.sendall(_with_close(lines) + body[: len(body) // 2])
            else:  # nothing to cut: announce a body that never comes
                conn.sendall(_with_close(lines, length=64))
        elif fault is Fault.DRIP:
            self._drip(conn, answer)
        elif fault is Fault.LOST:
            _reset(conn)
        elif fault is Fault.STALL:
            self._hold(conn)

    def _hold(self, conn: socket.socket) -> None:
        """Wait until the client closes its side (or the proxy closes, or the hold limit)."""
        try:
            while conn.recv(65536):
                pass
        except (TimeoutError, OSError):
            pass

    def _drip(self, conn: socket.socket, answer: bytes) -> None:
        for i in range(len(answer)):
            conn.sendall(answer[i : i + 1])  # raises once the client has gone
            if self._stopping.wait(self.drip_interval_s):
                return
