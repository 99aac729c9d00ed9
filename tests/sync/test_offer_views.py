"""The offers opened on a terminal travel in its heartbeat as anonymous counts per offer: sent
in bounded batches, forgotten only once the hub acknowledged them, never lost to a failed
heartbeat, and left out for a hub that predates them."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from sqlalchemy import func, select

from hub.models import OfferViews as OfferViewsRow
from kiosk.sync.engine import SyncEngine
from kiosk.sync.hub import HubClient
from kiosk.usage import MAX_VIEWS, OfferViews, UsageCounters
from tests.hub.conftest import RunningHub
from tests.sync.conftest import TERMINAL_ID, Fault, Terminal


def _engine(terminal: Terminal, url: str, token: str, views: OfferViews) -> SyncEngine:
    return SyncEngine(
        terminal.settings,
        terminal.store,
        terminal.outbox,
        HubClient(url, token),
        clock=terminal.clock,
        rand=lambda: 0.5,
        offer_views=views,
    )


def _stored(hub: RunningHub) -> dict[tuple[str, str], int]:
    """The views the hub holds for the test terminal, per offer (every day summed)."""
    with hub.services.db.read() as connection:
        rows = connection.execute(
            select(
                OfferViewsRow.offer_source, OfferViewsRow.offer_id, func.sum(OfferViewsRow.views)
            )
            .where(OfferViewsRow.terminal_id == TERMINAL_ID)
            .group_by(OfferViewsRow.offer_source, OfferViewsRow.offer_id)
        )
        return {(source, offer_id): int(views) for source, offer_id, views in rows}


# -- the counts on the terminal ------------------------------------------------------------------


def test_views_are_counted_per_offer_and_forgotten_only_as_acknowledged() -> None:
    views = UsageCounters().offer_views
    for _ in range(3):
        views.add("francetravail", "100AAAA")
    views.add("francetravail", "100BBBB")
    batch = views.batch()
    assert batch.body() == [
        {"source": "francetravail", "id": "100AAAA", "views": 3},
        {"source": "francetravail", "id": "100BBBB", "views": 1},
    ]
    views.add("francetravail", "100AAAA")  # while the heartbeat is on its way
    views.acknowledge(batch)
    assert views.batch().body() == [{"source": "francetravail", "id": "100AAAA", "views": 1}]


def test_offers_the_hub_could_not_name_are_not_counted() -> None:
    views = OfferViews()
    views.add("France Travail", "100AAAA")  # not a source name of the protocol
    views.add("francetravail\n", "100AAAA")
    views.add("francetravail", "")
    views.add("francetravail", "x" * 513)
    assert views.pending() == 0


def test_a_batch_is_bounded_in_entries_bytes_and_views() -> None:
    views = OfferViews()
    for number in range(700):
        views.add("francetravail", f"{number:07d}")
    assert len(views.batch().entries) == 500
    assert len(views.batch(entries=1000, size=10**6).entries) == 700
    long_ids = OfferViews()
    for number in range(200):
        long_ids.add("jobs", f"{number:03d}" + "é" * 400)  # escaped as \u00e9 in JSON
    batch = long_ids.batch()
    assert 0 < len(batch.entries) < 200
    assert len(json.dumps({"offer_views": batch.body()})) <= 32 * 1024
    many = OfferViews()
    for _ in range(MAX_VIEWS + 5):
        many.add("francetravail", "100AAAA")
    sent = many.batch()
    assert sent.entries == (("francetravail", "100AAAA", MAX_VIEWS),)
    many.acknowledge(sent)
    assert many.batch().entries == (("francetravail", "100AAAA", 5),)


def test_past_the_pending_limit_new_offers_are_dropped_not_the_counted_ones() -> None:
    views = OfferViews(max_pending=2)
    views.add("francetravail", "A")
    views.add("francetravail", "B")
    views.add("francetravail", "C")
    views.add("francetravail", "A")
    assert views.dropped == 1
    assert views.batch().entries == (("francetravail", "A", 2), ("francetravail", "B", 1))


# -- through the real sync engine and the real hub -----------------------------------------------


def test_the_heartbeat_brings_the_views_to_the_hub(
    terminal: Terminal, sqlite_hub: RunningHub
) -> None:
    hub = sqlite_hub
    token = hub.enrol(TERMINAL_ID)
    views = OfferViews()
    for offer_id in ("100AAAA", "100AAAA", "100BBBB"):
        views.add("francetravail", offer_id)
    engine = _engine(terminal, hub.url, token, views)
    report = engine.run_once()
    assert not report.errors
    assert views.pending() == 0
    assert _stored(hub) == {("francetravail", "100AAAA"): 2, ("francetravail", "100BBBB"): 1}
    # Nothing new: the next heartbeat carries none, the hub's counts stay.
    assert not engine.run_once().errors
    assert _stored(hub) == {("francetravail", "100AAAA"): 2, ("francetravail", "100BBBB"): 1}


def test_more_views_than_one_heartbeat_carries_arrive_over_the_next_ones(
    terminal: Terminal, sqlite_hub: RunningHub
) -> None:
    hub = sqlite_hub
    token = hub.enrol(TERMINAL_ID)
    views = OfferViews()
    for number in range(1200):
        views.add("francetravail", f"{number:07d}")
    engine = _engine(terminal, hub.url, token, views)
    engine.run_once()
    assert views.pending() == 700
    engine.run_once()
    engine.run_once()
    assert views.pending() == 0
    stored = _stored(hub)
    assert len(stored) == 1200 and set(stored.values()) == {1}


def test_a_failed_heartbeat_loses_no_view(
    terminal: Terminal, sqlite_hub: RunningHub, fault_server: tuple[str, Fault]
) -> None:
    hub = sqlite_hub
    token = hub.enrol(TERMINAL_ID)
    views = OfferViews()
    views.add("francetravail", "100AAAA")
    url, fault = fault_server
    fault.status = 503
    down = _engine(terminal, url, token, views)
    assert down.run_once().errors
    views.add("francetravail", "100AAAA")
    assert views.batch().entries == (("francetravail", "100AAAA", 2),)
    assert not _engine(terminal, hub.url, token, views).run_once().errors
    assert _stored(hub) == {("francetravail", "100AAAA"): 2}
    assert views.pending() == 0


@pytest.fixture
def older_hub() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """A stand-in for a hub from before `offer_views`: its heartbeat refuses unknown fields
    (422, as the hub does), accepts the rest; the bodies it was sent, in order."""
    bodies: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            bodies.append(body)
            refused = "offer_views" in body
            answer = (
                {"error": "invalid_request", "message": "body.offer_views: Extra inputs"}
                if refused
                else {"config": None}
            )
            data = json.dumps(answer).encode()
            self.send_response(422 if refused else 200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", bodies
    server.shutdown()
    server.server_close()
    thread.join(10)


def test_a_hub_that_predates_offer_views_still_gets_its_heartbeats(
    terminal: Terminal, older_hub: tuple[str, list[dict[str, Any]]]
) -> None:
    url, bodies = older_hub
    views = OfferViews()
    views.add("francetravail", "100AAAA")
    engine = _engine(terminal, url, "kt_test", views)
    assert engine._heartbeat() is None  # the heartbeat alone: this stand-in has no feed
    assert ["offer_views" in body for body in bodies] == [True, False]
    engine._heartbeat()
    assert "offer_views" not in bodies[-1]  # not offered again to this hub
    assert views.pending() == 1  # kept, bounded, in case the terminal restarts on a newer hub
