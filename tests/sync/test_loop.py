"""The sync loop: when the next round comes, what it reports, and how it stops."""

from __future__ import annotations

import threading

from kiosk.sealing import generate_keypair
from kiosk.sync.engine import SyncLoop, SyncReport, SyncStatus
from tests.sync.conftest import PARIS_01 as TERMINAL_ID
from tests.sync.conftest import Fault, RunningHub, Terminal, form


def test_next_round_waits_the_interval_unless_an_application_falls_due_sooner(
    fault_server: tuple[str, Fault], terminal: Terminal
) -> None:
    url, _ = fault_server
    loop = SyncLoop(terminal.engine(url, "kt_x"), 60, clock=terminal.clock, rand=lambda: 1.0)
    assert loop.next_delay(SyncReport()) == 60
    terminal.desk(generate_keypair()[1]).submit(form())
    terminal.outbox.retry_later(terminal.outbox.claim()[0].id, 12, "test")
    assert loop.next_delay(SyncReport()) == 12
    terminal.clock.advance(30)  # overdue: at once, but never in a busy loop
    assert loop.next_delay(SyncReport()) == 1.0


def test_failed_rounds_back_off_exponentially_up_to_the_interval(
    fault_server: tuple[str, Fault], terminal: Terminal
) -> None:
    url, _ = fault_server  # answers 503 to everything
    loop = SyncLoop(terminal.engine(url, "kt_x"), 3600, clock=terminal.clock, rand=lambda: 1.0)
    loop.engine.outbox.next_due = lambda: None  # type: ignore[method-assign] # the backoff alone
    delays = []
    for failures in range(1, 9):
        loop._failures = failures
        delays.append(loop.next_delay(SyncReport(errors=["feed: HTTP 503 unavailable"])))
    assert delays == [5, 10, 20, 40, 80, 160, 300, 300]  # capped at 5 minutes
    loop._failures = 3
    unauthorised = SyncReport(unauthorised=True, errors=["401"])
    assert loop.next_delay(unauthorised) == 3600  # no point asking again before re-enrolment


def test_the_loop_delivers_when_woken_reports_its_state_and_stops(
    sqlite_hub: RunningHub, terminal: Terminal
) -> None:
    token = sqlite_hub.enrol(TERMINAL_ID)
    statuses: list[SyncStatus] = []
    rounds = threading.Semaphore(0)

    def on_status(status: SyncStatus) -> None:
        statuses.append(status)
        if not status.syncing:
            rounds.release()

    loop = SyncLoop(terminal.engine(sqlite_hub.url, token), 3600, on_status=on_status)
    worker = threading.Thread(target=loop.run, name="sync-test")
    worker.start()
    try:
        assert rounds.acquire(timeout=30)  # the first round, at once
        first = statuses[-1]
        assert (first.online, first.queue_depth, first.error) == (True, 0, None)
        assert first.last_sync_ts is not None
        terminal.desk(sqlite_hub.services.keys.public_key).submit(form())
        loop.wake()  # as the kiosk does when an application is sent
        assert rounds.acquire(timeout=30)
        assert statuses[-1].queue_depth == 0
        assert any(s.syncing for s in statuses)
        listed = sqlite_hub.admin.get("/v1/admin/applications").json()["applications"]
        assert len(listed) == 1
    finally:
        loop.stop()
        worker.join(30)
    assert not worker.is_alive()


def test_a_retry_after_of_the_hub_holds_the_next_round_back(
    fault_server: tuple[str, Fault], terminal: Terminal
) -> None:
    url, fault = fault_server
    fault.status, fault.headers = 429, {"Retry-After": "240"}
    loop = SyncLoop(terminal.engine(url, "kt_x"), 60, clock=terminal.clock, rand=lambda: 1.0)
    report = loop.engine.run_once()  # the feed answers 429: no application to deliver
    assert report.errors == ["feed: HTTP 429 unavailable"]
    loop._failures = 1
    assert loop.next_delay(report) == 240  # not 5 s of backoff, not the 60 s interval
