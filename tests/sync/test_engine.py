"""Sync rounds against a real hub on 127.0.0.1, and against a fault server."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from hub.ingest import ingest_payload
from kiosk.offline.models import QueuedApplication
from kiosk.sealing import generate_keypair
from kiosk.sync.state import load_cursor
from tests.conftest import ft_record
from tests.sync.conftest import PARIS_01 as TERMINAL_ID
from tests.sync.conftest import Fault, RunningHub, Terminal, form


def _ingest(hub: RunningHub, ids: list[str], full_refresh: bool = False) -> None:
    records = [ft_record(id=i) for i in ids]
    ingest_payload(hub.services.offers, {"resultats": records}, None, full_refresh)


def _listed(hub: RunningHub) -> list[str]:
    answer = hub.admin.get("/v1/admin/applications")
    assert answer.status_code == 200, answer.text
    return [a["application_id"] for a in answer.json()["applications"]]


def _queued(terminal: Terminal) -> list[Any]:
    with terminal.outbox.engine.connect() as connection:
        return list(
            connection.execute(
                select(
                    QueuedApplication.id,
                    QueuedApplication.state,
                    QueuedApplication.next_attempt_ts,
                    QueuedApplication.parked_reason,
                )
            )
        )


def test_an_application_is_delivered_once_even_when_sent_twice(
    sqlite_hub: RunningHub, terminal: Terminal
) -> None:
    token = sqlite_hub.enrol(TERMINAL_ID)
    terminal.desk(sqlite_hub.services.keys.public_key).submit(form())
    engine = terminal.engine(sqlite_hub.url, token)
    # A first delivery whose answer was lost: the row stays "sending" as after a crash.
    (item,) = terminal.outbox.claim()
    assert engine.client.put_application(item, TERMINAL_ID, terminal.clock()).status == 201
    report = engine.run_once()  # recover() queues it again; the hub answers 200 (replay)
    assert (report.delivered, report.retried, report.parked, report.errors) == (1, 0, 0, [])
    assert _queued(terminal) == []
    assert _listed(sqlite_hub) == [item.id]


def test_a_refused_application_is_parked_and_the_next_one_still_goes(
    sqlite_hub: RunningHub, terminal: Terminal
) -> None:
    token = sqlite_hub.enrol(TERMINAL_ID)
    terminal.desk(generate_keypair()[1]).submit(form("BADKEY"))  # sealed to another key: 422
    terminal.clock.advance(1)
    terminal.desk(sqlite_hub.services.keys.public_key).submit(form())
    report = terminal.engine(sqlite_hub.url, token).run_once()
    assert (report.delivered, report.parked, report.retried) == (1, 1, 0)
    ((_, state, _, reason),) = _queued(terminal)
    assert state == "parked"
    assert reason == "HTTP 422 unsealable"
    assert len(_listed(sqlite_hub)) == 1
    assert terminal.outbox.stats().parked == 1


def test_a_refused_token_stops_the_round_and_keeps_the_queue(
    sqlite_hub: RunningHub, terminal: Terminal
) -> None:
    sqlite_hub.enrol(TERMINAL_ID)
    terminal.desk(sqlite_hub.services.keys.public_key).submit(form())
    report = terminal.engine(sqlite_hub.url, "kt_not-a-real-token").run_once()
    assert report.unauthorised
    assert (report.delivered, report.parked, report.pages) == (0, 0, 0)
    assert [row.state for row in _queued(terminal)] == ["queued"]


def test_a_busy_hub_leaves_the_application_queued_with_a_retry_time(
    fault_server: tuple[str, Fault], terminal: Terminal
) -> None:
    url, fault = fault_server
    terminal.desk(generate_keypair()[1]).submit(form())
    engine = terminal.engine(url, "kt_x")
    report = engine.run_once()  # 503 without Retry-After: full jitter, rand = 0.5 → 2.5 s
    assert (report.delivered, report.retried, report.parked) == (0, 1, 0)
    assert report.errors == ["feed: HTTP 503 unavailable"]
    ((_, state, due, _),) = _queued(terminal)
    assert (state, due) == ("queued", int(terminal.clock() + 2.5))
    # Not due yet: the next round does not send it.
    assert engine.run_once().retried == 0
    terminal.clock.advance(3)
    fault.status, fault.headers = 429, {"Retry-After": "120"}
    assert engine.run_once().retried == 1
    ((_, state, due, _),) = _queued(terminal)
    assert (state, due) == ("queued", int(terminal.clock() + 120))


def test_offers_arrive_tombstones_withdraw_and_an_unchanged_feed_is_304(
    sqlite_hub: RunningHub, terminal: Terminal
) -> None:
    _ingest(sqlite_hub, ["P0", "P1", "P2"])
    engine = terminal.engine(sqlite_hub.url, sqlite_hub.enrol(TERMINAL_ID))
    first = engine.run_once()
    assert first.errors == []
    assert (first.offers_in, first.withdrawn, first.not_modified) == (3, 0, False)
    assert terminal.store.count() == 3
    cursor, etag = load_cursor(terminal.store.engine)
    assert cursor and etag
    unchanged = engine.run_once()
    assert unchanged.not_modified
    assert (unchanged.offers_in, unchanged.pages) == (0, 0)
    _ingest(sqlite_hub, ["P1", "P2"], full_refresh=True)  # P0 withdrawn at the hub
    changed = engine.run_once()
    assert (changed.offers_in, changed.withdrawn) == (0, 1)
    assert terminal.store.find("francetravail", "P0") is None
    assert terminal.store.find("francetravail", "P1") is not None
    seen = sqlite_hub.admin.get(f"/v1/admin/terminals/{TERMINAL_ID}").json()
    assert seen["status"] == "ok"
