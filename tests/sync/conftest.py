"""A real hub on 127.0.0.1 (the hub tests' fixtures), a terminal's stores, and a fault server."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from hub.ingest import ingest_payload
from kiosk.applications import ApplicationDesk, ApplicationForm
from kiosk.config import Settings, parse_config
from kiosk.offline.db import open_offers_database
from kiosk.offline.offers import OfferStore
from kiosk.offline.outbox import Outbox, open_outbox_database
from kiosk.sealing import load_public_key
from kiosk.sync.engine import SyncEngine
from kiosk.sync.hub import HubClient
from tests.conftest import ORIGIN, ft_record
from tests.hub.conftest import (  # noqa: F401 (fixtures)
    START,
    FakeClock,
    RunningHub,
    sqlite_database,
    sqlite_hub,
    sqlite_template,
)

PARIS_01 = TERMINAL_ID = "paris-01"
CONFIG = f"""
[terminal]
id = "{TERMINAL_ID}"
name = "Paris"

[location]
latitude = {ORIGIN.latitude}
longitude = {ORIGIN.longitude}
label = "Paris Gare de Lyon"
"""


def ingest(hub: RunningHub, ids: list[str], full_refresh: bool = False) -> None:
    """Offers with these ids into the hub (with `full_refresh`, the others are withdrawn)."""
    records = [ft_record(id=i) for i in ids]
    ingest_payload(hub.services.offers, {"resultats": records}, None, full_refresh)


def listed(hub: RunningHub) -> list[str]:
    """The application ids the hub holds, one per stored row."""
    answer = hub.admin.get("/v1/admin/applications", params={"limit": 1000})
    assert answer.status_code == 200, answer.text
    return [a["application_id"] for a in answer.json()["applications"]]


def form(offer_id: str = "100AAAA") -> ApplicationForm:
    """A valid form from an invented person."""
    return ApplicationForm(
        offer_source="francetravail",
        offer_id=offer_id,
        offer_title="Serveur (H/F)",
        first_name="Camille",
        last_name="Exemple",
        phone="06 12 34 56 78",
        consent=True,
        answers={"available_now": "yes", "experience": "none", "driving_licence": "yes"},
    )


@dataclass
class Terminal:
    """One terminal's stores and clock, ready to build an engine against some URL."""

    settings: Settings
    store: OfferStore
    outbox: Outbox
    clock: FakeClock

    def desk(self, public_key: str) -> ApplicationDesk:
        return ApplicationDesk(self.outbox, TERMINAL_ID, load_public_key(public_key), self.clock)

    def engine(self, url: str, token: str, timeout: Any = None) -> SyncEngine:
        """An engine whose backoff draws are always 0.5 (a round never sleeps)."""
        client = HubClient(url, token, timeout=timeout)
        return SyncEngine(
            self.settings, self.store, self.outbox, client, clock=self.clock, rand=lambda: 0.5
        )


@pytest.fixture
def terminal(tmp_path: Path) -> Terminal:
    data = tmp_path / "terminal"
    data.mkdir()
    settings = Settings(parse_config(CONFIG, "test"), "test", data, demo=False)
    clock = FakeClock(START)
    store = OfferStore(open_offers_database(settings.offers_db), ORIGIN, clock)
    outbox = Outbox(open_outbox_database(settings.outbox_db), clock)
    return Terminal(settings, store, outbox, clock)


@dataclass
class Fault:
    """What the fault server answers to every request."""

    status: int
    headers: dict[str, str]


@pytest.fixture
def fault_server() -> Iterator[tuple[str, Fault]]:
    """An HTTP server on 127.0.0.1 that answers every request with `fault.status`."""
    fault = Fault(503, {})

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            body = b'{"error": "unavailable", "message": "test fault"}'
            self.send_response(fault.status)
            for key, value in fault.headers.items():
                self.send_header(key, value)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_PUT = do_POST = _answer  # noqa: N815 (http.server names)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", fault
    server.shutdown()
    server.server_close()
    thread.join(10)
