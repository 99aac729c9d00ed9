"""The hub under hostile clients: oversized uploads with invented credentials, invented tokens
by the hundred, slow clients, too many connections, log storms, and guessing spread over
several hub instances. The hub is the real server, with the protocol `kiosk-hub serve` uses."""

from __future__ import annotations

import logging
import re
import secrets
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from hub.app import build_services, create_app
from hub.connections import RepeatThrottle, connection_budget, server_config
from hub.db import open_database
from hub.keys import HubKeys
from hub.settings import HubConfig, HubSettings, LimitsSection, ServerSection
from kiosk.sealing import generate_keypair
from tests.conftest import ft_record
from tests.hub.conftest import GENEROUS, FakeClock, RunningHub, fleet_login, wait_until

UPLOAD = 60 * 1024 * 1024  # what the audit sent: below the 64 MiB cap
CHUNK = b"x" * (1024 * 1024)


def start_guarded_hub(
    database_url: str,
    data_dir: Path,
    config: HubConfig | None = None,
    limits_clock: FakeClock | None = None,
) -> RunningHub:
    """The hub as `kiosk-hub serve` runs it (hub.connections.server_config), on a free port."""
    config = config or HubConfig(limits=GENEROUS)
    settings = HubSettings(
        config=config, data_dir=data_dir, database_url=database_url, source="tests"
    )
    clock = FakeClock()
    db = open_database(database_url)
    services = build_services(settings, db, HubKeys.from_private_text(generate_keypair()[0]), clock)
    operator_token = services.operators.create()
    app = create_app(services, limits_clock=limits_clock or time.monotonic)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    port = sock.getsockname()[1]
    server = uvicorn.Server(server_config(app, config.server, "127.0.0.1", port))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    wait_until(lambda: server.started)
    return RunningHub(f"http://127.0.0.1:{port}", services, clock, operator_token, server, thread)


@pytest.fixture
def guarded(sqlite_database: str, tmp_path: Path) -> Iterator[RunningHub]:
    running = start_guarded_hub(sqlite_database, tmp_path)
    yield running
    running.stop()


def _port(hub: RunningHub) -> int:
    return int(hub.url.rsplit(":", 1)[1])


def _connect(hub: RunningHub, timeout: float = 10.0) -> socket.socket:
    return socket.create_connection(("127.0.0.1", _port(hub)), timeout=timeout)


def _read_all(sock: socket.socket) -> bytes:
    """Everything until the server closes the connection (or resets it)."""
    data = b""
    try:
        while chunk := sock.recv(65536):
            data += chunk
    except ConnectionResetError:
        pass
    return data


def _peak_rss_reset() -> None:
    Path("/proc/self/clear_refs").write_text("5")  # VmHWM := VmRSS (Linux)


def _peak_rss() -> int:
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) * 1024  # type: ignore[union-attr]


def _blind_upload(port: int, head: bytes, outcome: dict[str, object]) -> None:
    """Send the headers and 60 MB of body without waiting for any answer, as an attacker
    would; record how much the hub took before it closed the connection, and its answer."""
    sent = 0
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        try:
            sock.sendall(head)
            while sent < UPLOAD:
                sock.sendall(CHUNK)
                sent += len(CHUNK)
        except (BrokenPipeError, ConnectionResetError):
            pass
        outcome["sent"] = sent
        try:
            outcome["answer"] = sock.recv(200)
        except (ConnectionResetError, TimeoutError):
            outcome["answer"] = b""


def _upload_head(path: str, headers: str) -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}"
        f"Content-Type: application/json\r\nContent-Length: {UPLOAD}\r\n\r\n"
    ).encode()


def test_oversized_unauthenticated_uploads_are_refused_unread(guarded: RunningHub) -> None:
    hub = guarded
    heads = [
        _upload_head(
            "/v1/admin/ingest", f"Authorization: Bearer ko_{secrets.token_urlsafe(32)}\r\n"
        ),
        _upload_head(
            "/v1/admin/ingest", f"Authorization: Bearer ko_{secrets.token_urlsafe(32)}\r\n"
        ),
        _upload_head("/v1/admin/ingest", ""),
        _upload_head("/fleet/ingest", "Cookie: hub_session=1.9999999999.forged.forged\r\n"),
    ]
    outcomes: list[dict[str, object]] = [{} for _ in heads]
    _peak_rss_reset()
    before = _peak_rss()
    threads = [
        threading.Thread(target=_blind_upload, args=(_port(hub), head, outcome))
        for head, outcome in zip(heads, outcomes, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    grown = _peak_rss() - before
    for outcome in outcomes:
        # Cut off early: the hub never read the 60 MB (the kernel's buffers hold a few MB).
        assert isinstance(outcome["sent"], int) and outcome["sent"] < UPLOAD // 2, outcome
    # The four uploads together did not cost the hub the size of one.
    assert grown < UPLOAD // 2, f"the hub grew by {grown >> 20} MiB"
    assert hub.client().get("/v1/health").status_code == 200


def test_an_unauthenticated_upload_is_answered_before_its_body(guarded: RunningHub) -> None:
    with _connect(guarded) as sock:
        sock.sendall(
            _upload_head("/v1/admin/ingest", "Authorization: Bearer ko_invented\r\n").replace(
                b"\r\n\r\n", b"\r\nExpect: 100-continue\r\n\r\n"
            )
        )
        answer = _read_all(sock)  # no "100 Continue": the hub wants no body from this caller
    assert answer.startswith(b"HTTP/1.1 401 "), answer[:100]
    assert b"connection: close" in answer.lower()


def test_operator_uploads_go_to_disk_within_the_cap(
    sqlite_database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spool = tmp_path / "spool"
    spool.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spool))
    config = HubConfig(limits=GENEROUS.model_copy(update={"upload_bytes": 64 * 1024}))
    hub = start_guarded_hub(sqlite_database, tmp_path, config)
    try:
        small = hub.admin.post("/v1/admin/ingest", json={"resultats": [ft_record(id="S1")]})
        assert small.status_code == 200, small.text
        assert small.json()["inserted"] == 1
        big = b'{"resultats": [' + b" " * (70 * 1024) + b"]}"

        def spooled() -> int:
            return sum(path.stat().st_size for path in spool.iterdir())

        def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it streams
            yield big[: 40 * 1024]
            wait_until(lambda: spooled() >= 40 * 1024)  # on disk as it arrives
            for start in range(40 * 1024, len(big), 8192):
                yield big[start : start + 8192]

        over = hub.admin.post(
            "/v1/admin/ingest", content=chunks(), headers={"Content-Type": "application/json"}
        )
        assert over.status_code == 413
        assert over.json()["error"] == "too_large"
        assert list(spool.iterdir()) == []  # every spooled body is deleted
    finally:
        hub.stop()


def test_invented_tokens_take_from_their_address_bucket(
    sqlite_database: str, tmp_path: Path
) -> None:
    limits_clock = FakeClock(0.0)
    config = HubConfig(limits=LimitsSection(anonymous_per_s=1, anonymous_burst=5))
    hub = start_guarded_hub(sqlite_database, tmp_path, config, limits_clock)
    try:
        client = hub.client()
        statuses = [
            client.get(
                "/v1/admin/terminals",
                headers={"Authorization": f"Bearer ko_{secrets.token_urlsafe(32)}"},
            ).status_code
            for _ in range(30)
        ]
        assert statuses[:5] == [401] * 5
        assert set(statuses[5:]) == {429}
        invented_terminal = client.get(
            "/v1/feed", headers={"Authorization": f"Bearer kt_{secrets.token_urlsafe(32)}"}
        )
        assert invented_terminal.status_code == 429
        # A verified credential has its own bucket, whatever its address did.
        assert hub.admin.get("/v1/admin/terminals").status_code == 200
    finally:
        hub.stop()


def _drip(sock: socket.socket, data: bytes, stop: threading.Event) -> None:
    """One byte every 50 ms until the hub closes the connection (a slow client)."""
    for byte in data:
        if stop.wait(0.05):
            return
        try:
            sock.send(bytes([byte]))
        except OSError:
            return


def test_slow_clients_are_disconnected_within_the_timeouts(
    sqlite_database: str, tmp_path: Path
) -> None:
    server = ServerSection(header_timeout_s=1.0, body_timeout_s=1.0)
    hub = start_guarded_hub(sqlite_database, tmp_path, HubConfig(server=server, limits=GENEROUS))
    stop = threading.Event()
    slow_headers = b"GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 10_000
    slow_body = b"POST /v1/heartbeat HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5000\r\n\r\n"
    sockets = [_connect(hub, timeout=30) for _ in range(6)]
    try:
        sockets[0].sendall(slow_body)
        sockets[1].sendall(slow_body)
        drips = [
            threading.Thread(target=_drip, args=(sockets[0], b"{" * 5000, stop)),
            threading.Thread(target=_drip, args=(sockets[1], b"{" * 5000, stop)),
            threading.Thread(target=_drip, args=(sockets[2], slow_headers, stop)),
            threading.Thread(target=_drip, args=(sockets[3], slow_headers, stop)),
        ]  # sockets 4 and 5 send nothing at all
        for thread in drips:
            thread.start()
        answers: dict[int, bytes] = {}

        def read(i: int) -> None:
            answers[i] = _read_all(sockets[i])

        readers = [threading.Thread(target=read, args=(i,)) for i in range(len(sockets))]
        for reader in readers:
            reader.start()
        wait_until(lambda: len(answers) == len(sockets), timeout=15)
        for i in range(4):  # they had started a request: told why
            assert answers[i].startswith(b"HTTP/1.1 408 "), (i, answers[i][:80])
        assert answers[4] == answers[5] == b""  # idle: just closed
        assert hub.client().get("/v1/health").status_code == 200
    finally:
        stop.set()
        for sock in sockets:
            sock.close()
        hub.stop()


def test_connections_beyond_the_limit_are_refused_cleanly(
    sqlite_database: str, tmp_path: Path
) -> None:
    server = ServerSection(max_connections=16, header_timeout_s=60)
    hub = start_guarded_hub(sqlite_database, tmp_path, HubConfig(server=server, limits=GENEROUS))
    held = [_connect(hub) for _ in range(16)]
    try:
        state = hub.server.server_state
        wait_until(lambda: len(state.connections) == 16)
        with _connect(hub) as extra:
            answer = _read_all(extra)
        assert answer.startswith(b"HTTP/1.1 503 "), answer[:80]
        assert b"retry-after: 1" in answer.lower()
        held.pop().close()
        wait_until(lambda: len(state.connections) == 15)
        assert hub.client().get("/v1/health").status_code == 200
    finally:
        for sock in held:
            sock.close()
        hub.stop()


def test_the_connection_limit_stays_below_the_descriptor_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import resource  # noqa: PLC0415

    limits = [(1024, 1024)]
    monkeypatch.setattr(resource, "getrlimit", lambda _which: limits[0])
    monkeypatch.setattr(resource, "setrlimit", lambda _which, value: limits.__setitem__(0, value))
    assert connection_budget(5000) == 1024 - 128  # the hard limit allows no more
    limits[0] = (1024, 65536)
    assert connection_budget(5000) == 5000  # the soft limit was raised as far as needed
    assert limits[0] == (5128, 65536)


def test_refusals_are_logged_as_counts_per_minute_with_the_proxy_hint(
    sqlite_database: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # The balancer is on another host: the hub sees its address, not listed in trusted_proxies.
    config = HubConfig(
        server=ServerSection(trusted_proxies=["10.9.9.9"]),
        limits=LimitsSection(anonymous_per_s=1, anonymous_burst=5),
    )
    hub = start_guarded_hub(sqlite_database, tmp_path, config, FakeClock(0.0))
    forwarded = {"X-Forwarded-For": "203.0.113.7"}
    try:
        with caplog.at_level(logging.WARNING, logger="hub.limits"):
            client = hub.client()
            statuses = [
                client.get("/v1/admin/terminals", headers=forwarded).status_code for _ in range(30)
            ]
            assert statuses.count(429) == 25
            assert not [r for r in caplog.records if "refused" in r.getMessage()]
            hub.clock.advance(60)  # the minute is over: the next request logs it
            client.get("/v1/admin/terminals", headers=forwarded)
    finally:
        hub.stop()
    [line] = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert line.startswith(
        "refused 25 requests (429) in the minute 2026-11-20 12:00 UTC: "
        "requests without a credential; client addresses: 1; "
        "25 carried X-Forwarded-For from a peer not in [server] trusted_proxies"
    )
    assert "127.0.0.1" not in line
    assert "203.0.113.7" not in line


def test_a_repeated_log_line_is_written_once_a_second() -> None:
    clock = FakeClock(0.0)
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(self.format(record))

    handler = Collect()
    handler.addFilter(RepeatThrottle(1.0, clock))
    logger = logging.getLogger("tests.hostile.throttle")
    logger.propagate = False
    logger.addHandler(handler)
    try:
        for fd in range(1000):
            clock.advance(0.0005)
            logger.error("socket.accept() out of system resource\nsocket: <fd=%d>", fd)
        logger.warning("connection refused: %d open, the limit", 16)
        clock.advance(1.0)
        logger.error("socket.accept() out of system resource\nsocket: <fd=%d>", 7)
    finally:
        logger.removeHandler(handler)
    assert len(lines) == 3, lines
    assert lines[0].startswith("socket.accept() out of system resource")
    assert lines[1] == "connection refused: 16 open, the limit"
    assert "999 more like this" in lines[2]


def test_guessing_is_limited_across_hub_instances(database_url: str, tmp_path: Path) -> None:
    config = HubConfig(limits=GENEROUS.model_copy(update={"attempts_per_minute": 3}))
    first = start_guarded_hub(database_url, tmp_path / "a", config)
    second = start_guarded_hub(database_url, tmp_path / "b", config)
    try:
        guess = {
            "code": "AAAA-BBBB-CCCC",
            "terminal_id": "gare-01",
            "name": "Gare",
            "latitude": 48.8,
            "longitude": 2.3,
            "radius_km": 30,
            "version": "0.1.0",
        }
        hubs = [first, second, first, second, first]
        statuses = [hub.client().post("/v1/enrol", json=guess).status_code for hub in hubs]
        assert statuses == [403, 403, 403, 429, 429]
        logins = [
            fleet_login(hub.client(), "ko_wrong").status_code
            for hub in (second, first, second, first)
        ]
        assert logins == [401, 401, 401, 429]
        for hub in (first, second):
            hub.clock.advance(60)
        assert second.client().post("/v1/enrol", json=guess).status_code == 403
    finally:
        first.stop()
        second.stop()


def test_the_new_limits_are_validated_like_the_others() -> None:
    from hub.settings import SettingsError, parse_hub_config  # noqa: PLC0415

    for text, key in (
        ("[server]\nheader_timeout_s = 0\n", "header_timeout_s"),
        ("[server]\nmax_connections = 2\n", "max_connections"),
        ("[limits]\nattempts_per_minute = 0\n", "attempts_per_minute"),
    ):
        with pytest.raises(SettingsError, match=key):
            parse_hub_config(text, "hub.toml")
    config = parse_hub_config("[server]\nbody_timeout_s = 5\n", "hub.toml")
    assert (config.server.body_timeout_s, config.server.max_connections) == (5.0, 4096)
