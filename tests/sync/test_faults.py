"""Sync rounds through a faulty network (tests/sync/faults.py) to a real hub on 127.0.0.1.

Whatever the network does, an application stays queued until the hub confirmed it, reaches the
hub exactly once, and the offers cache and its cursor change only with a page applied whole.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from email.utils import formatdate
from typing import Any

import pytest
from sqlalchemy import select

from kiosk.offline.models import OfferRow, QueuedApplication
from kiosk.sync import hub as hub_client
from kiosk.sync.engine import MIN_DELAY_S, SyncEngine
from kiosk.sync.hub import HubClient
from kiosk.sync.retry import BASE_S, CAP_S
from kiosk.sync.state import load_cursor
from tests.hub.conftest import RunningHub
from tests.sync.conftest import PARIS_01 as TERMINAL_ID
from tests.sync.conftest import Terminal, form, ingest, listed
from tests.sync.faults import AFTER_UPSTREAM, FORWARDED, Fault, FaultProxy

# Short client timeouts for the rounds that meet a fault (a timeout costs half a second); clean
# rounds keep the kiosk's own, so that a busy test machine never turns them into retries.
SHORT = (0.5, 0.5)
APPLICATIONS = "/v1/applications/"
Engines = Callable[..., SyncEngine]


@pytest.fixture
def proxy(sqlite_hub: RunningHub) -> Iterator[FaultProxy]:
    with FaultProxy(sqlite_hub.url, drip_interval_s=0.75) as running:
        yield running


@pytest.fixture
def engines(terminal: Terminal) -> Iterator[Engines]:
    """Engines on the terminal's stores and clock, each with a client of its own."""
    clients: list[HubClient] = []

    def make(
        url: str,
        token: str,
        timeout: tuple[float, float] | None = None,
        rand: Callable[[], float] = lambda: 0.5,
    ) -> SyncEngine:
        client = HubClient(url, token, timeout=timeout)
        clients.append(client)
        return SyncEngine(
            terminal.settings,
            terminal.store,
            terminal.outbox,
            client,
            clock=terminal.clock,
            rand=rand,
        )

    yield make
    for client in clients:
        client.close()


def _queued(terminal: Terminal) -> list[Any]:
    with terminal.outbox.engine.connect() as connection:
        return list(
            connection.execute(
                select(
                    QueuedApplication.id,
                    QueuedApplication.state,
                    QueuedApplication.next_attempt_ts,
                    QueuedApplication.attempts,
                ).order_by(QueuedApplication.created_ts)
            )
        )


def _offer_ids(terminal: Terminal) -> set[str]:
    with terminal.store.engine.connect() as connection:
        return set(connection.scalars(select(OfferRow.external_id)))


def _submit(terminal: Terminal, hub: RunningHub, count: int = 1) -> list[str]:
    """Queue `count` applications a second apart; their ids, oldest first."""
    desk = terminal.desk(hub.services.keys.public_key)
    before = {row.id for row in _queued(terminal)}
    for _ in range(count):
        desk.submit(form())
        terminal.clock.advance(1)
    return [row.id for row in _queued(terminal) if row.id not in before]


def _puts(proxy: FaultProxy) -> int:
    return sum(1 for seen in proxy.seen if seen.path.startswith(APPLICATIONS))


@pytest.mark.parametrize("fault", list(Fault), ids=str)
def test_after_a_fault_the_application_waits_and_a_clean_round_delivers_it_once(
    fault: Fault,
    sqlite_hub: RunningHub,
    proxy: FaultProxy,
    terminal: Terminal,
    engines: Engines,
) -> None:
    token = sqlite_hub.enrol(TERMINAL_ID)
    ingest(sqlite_hub, ["P0", "P1", "P2"])
    clean = engines(proxy.url, token)
    assert clean.run_once().errors == []
    synced = (load_cursor(terminal.store.engine), _offer_ids(terminal))
    ingest(sqlite_hub, ["P1", "P2", "P3"], full_refresh=True)  # P0 withdrawn, P3 new
    (application,) = _submit(terminal, sqlite_hub)

    proxy.plan(fault, path=APPLICATIONS)
    proxy.plan(fault, path="/v1/feed")
    report = engines(proxy.url, token, timeout=SHORT).run_once()

    assert proxy.pending() == 0
    assert proxy.counts[fault] == 2
    assert (report.delivered, report.retried, report.parked) == (0, 1, 0)
    assert [e for e in report.errors if "feed" in e] != []
    # Queued again, due after the backoff (rand = 0.5: 2.5 s) or the hub's Retry-After.
    delay = 120 if fault is Fault.TOO_MANY else 2
    assert [(r.id, r.state, r.next_attempt_ts) for r in _queued(terminal)] == [
        (application, "queued", int(terminal.clock()) + delay)
    ]
    # The page was not applied: neither the offers nor the cursor moved.
    assert (load_cursor(terminal.store.engine), _offer_ids(terminal)) == synced
    # The faults that let the request through leave the hub with it already.
    assert listed(sqlite_hub) == ([application] if fault in AFTER_UPSTREAM else [])

    terminal.clock.advance(delay - 1)
    early = clean.run_once()
    assert (early.delivered, early.retried, early.errors) == (0, 0, [])
    assert _offer_ids(terminal) == {"P1", "P2", "P3"}
    terminal.clock.advance(1)
    late = clean.run_once()
    assert (late.delivered, late.retried, late.parked, late.errors) == (1, 0, 0, [])
    assert _queued(terminal) == []
    assert listed(sqlite_hub) == [application]


def test_backoff_grows_within_its_bounds_and_nothing_goes_before_it_is_due(
    sqlite_hub: RunningHub, proxy: FaultProxy, terminal: Terminal, engines: Engines
) -> None:
    token = sqlite_hub.enrol(TERMINAL_ID)
    draws = random.Random(6)
    drawn: list[float] = []

    def rand() -> float:
        drawn.append(draws.random())
        return drawn[-1]

    engine = engines(proxy.url, token, rand=rand)
    (application,) = _submit(terminal, sqlite_hub)
    for attempt in range(1, 11):
        proxy.plan(Fault.HTTP_503, path=APPLICATIONS)
        assert engine.run_once().retried == 1
        ((_, state, due, attempts),) = _queued(terminal)
        ceiling = min(CAP_S, BASE_S * 2 ** (attempt - 1))
        delay = due - int(terminal.clock())
        assert (state, attempts) == ("queued", attempt)
        assert delay == int(max(MIN_DELAY_S, ceiling * drawn[-1]))
        assert MIN_DELAY_S <= delay <= ceiling
        puts = _puts(proxy)
        terminal.clock.advance(delay - 1)
        assert engine.run_once().retried == 0
        assert _puts(proxy) == puts  # not due: not sent
        terminal.clock.advance(1)
    assert len(drawn) == 10
    assert engine.run_once().delivered == 1
    assert listed(sqlite_hub) == [application]


def test_retry_after_is_honoured_as_seconds_and_as_an_http_date(
    sqlite_hub: RunningHub, proxy: FaultProxy, terminal: Terminal, engines: Engines
) -> None:
    engine = engines(proxy.url, sqlite_hub.enrol(TERMINAL_ID))
    (application,) = _submit(terminal, sqlite_hub)
    when = formatdate(terminal.clock() + 600, usegmt=True)
    proxy.plan(Fault.TOO_MANY, path=APPLICATIONS, retry_after=when)
    assert engine.run_once().retried == 1
    assert _queued(terminal)[0].next_attempt_ts == int(terminal.clock()) + 600
    terminal.clock.advance(600)
    # "0": at once by the hub's word, but never sooner than the engine's floor.
    proxy.plan(Fault.TOO_MANY, path=APPLICATIONS, retry_after="0")
    assert engine.run_once().retried == 1
    assert _queued(terminal)[0].next_attempt_ts == int(terminal.clock() + MIN_DELAY_S)
    terminal.clock.advance(MIN_DELAY_S)
    assert engine.run_once().delivered == 1
    assert listed(sqlite_hub) == [application]
    assert proxy.counts[Fault.TOO_MANY] == 2


def test_a_revoked_token_stops_the_round_keeps_the_queue_and_a_new_one_delivers(
    sqlite_hub: RunningHub, proxy: FaultProxy, terminal: Terminal, engines: Engines
) -> None:
    ingest(sqlite_hub, ["P0"])
    token = sqlite_hub.enrol(TERMINAL_ID)
    assert engines(proxy.url, token).run_once().errors == []
    cursor = load_cursor(terminal.store.engine)
    sqlite_hub.services.terminals.revoke(TERMINAL_ID)
    revoked = engines(proxy.url, token)

    idle = revoked.run_once()  # nothing queued: the feed says 401
    assert idle.unauthorised
    assert (idle.pages, load_cursor(terminal.store.engine)) == (0, cursor)

    applications = _submit(terminal, sqlite_hub, 3)
    seen = len(proxy.seen)
    report = revoked.run_once()
    assert report.unauthorised
    assert (report.delivered, report.retried, report.parked, report.pages) == (0, 0, 0, 0)
    # One refused delivery ends the round: no other delivery, no feed, no heartbeat.
    assert [(s.method, s.path) for s in proxy.seen[seen:]] == [
        ("PUT", f"{APPLICATIONS}{applications[0]}")
    ]
    rows = _queued(terminal)
    assert [(r.id, r.state) for r in rows] == [(a, "queued") for a in applications]
    assert all(r.next_attempt_ts <= terminal.clock() for r in rows)  # due once re-enrolled
    assert terminal.outbox.stats().parked == 0
    assert listed(sqlite_hub) == []

    report = engines(proxy.url, sqlite_hub.enrol(TERMINAL_ID)).run_once()
    assert (report.delivered, report.unauthorised, report.errors) == (3, False, [])
    assert sorted(listed(sqlite_hub)) == sorted(applications)


def test_a_hub_that_refuses_connections_keeps_a_long_queue_whole(
    sqlite_hub: RunningHub, proxy: FaultProxy, terminal: Terminal, engines: Engines
) -> None:
    token = sqlite_hub.enrol(TERMINAL_ID)
    applications = _submit(terminal, sqlite_hub, 25)  # more than one batch
    proxy.down()
    report = engines(proxy.url, token).run_once()
    assert (report.delivered, report.retried, report.parked) == (0, 1, 0)
    assert report.errors == [
        f"network: PUT {APPLICATIONS}{applications[0]}: ConnectionError",
        "network: GET /v1/feed: ConnectionError",
    ]
    assert [(r.id, r.state) for r in _queued(terminal)] == [(a, "queued") for a in applications]
    proxy.up()
    terminal.clock.advance(3)
    report = engines(proxy.url, token).run_once()
    assert (report.delivered, report.retried, report.errors) == (25, 0, [])
    assert sorted(listed(sqlite_hub)) == sorted(applications)
    # Each application once, then the feed, the services corner, the firms and the heartbeat.
    assert proxy.counts[FORWARDED] == 25 + 4


def test_an_answer_dripped_slower_than_the_deadline_is_given_up(
    sqlite_hub: RunningHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A byte every 50 ms never trips the read timeout (0.5 s between two bytes), but the
    # whole answer must come within the request's deadline.
    monkeypatch.setattr(hub_client, "REQUEST_DEADLINE_S", 0.5)
    token = sqlite_hub.enrol(TERMINAL_ID)
    with FaultProxy(sqlite_hub.url, drip_interval_s=0.05) as dripping:
        dripping.plan(Fault.DRIP, path="/v1/feed")
        client = HubClient(dripping.url, token, timeout=SHORT)
        try:
            with pytest.raises(hub_client.HubError, match="no whole answer"):
                client.get_feed_raw(None, None)
        finally:
            client.close()
