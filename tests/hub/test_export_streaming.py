"""Exports streamed over the real server: 5,000 applications arrive in pages (chunked, read
a page at a time) equal byte for byte to the export read whole; a download broken off, or
stalled, holds no database connection."""

from __future__ import annotations

import csv
import io
import logging
import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import orjson
import pytest
from sqlalchemy import select

from hub.exports import EXPORT_BATCH
from hub.models import Application
from hub.recruiters.inbox_query import InboxQueries
from tests.hub.conftest import RunningHub, start_hub, wait_until
from tests.hub.inbox_bulk_seed import SeededInbox, seed_inbox
from tests.hub.recruiters.inbox_seed import browser, recruiter_session

COUNT = 5000
BROKEN_OFF = "then the download broke off"


def _busy(
    database_url: str, tmp_path: Path, send_buffer: int | None = None
) -> Iterator[tuple[RunningHub, SeededInbox]]:
    hub = start_hub(database_url, tmp_path, send_buffer=send_buffer)
    seeded = seed_inbox(hub.services, int(hub.clock.now), COUNT, organisations=3)
    yield hub, seeded
    hub.stop()


@pytest.fixture
def busy_hub(database_url: str, tmp_path: Path) -> Iterator[tuple[RunningHub, SeededInbox]]:
    """A hub (SQLite and PostgreSQL) with 5,000 applications, 80 % of them the first
    organisation's (tests/hub/inbox_bulk_seed.py)."""
    yield from _busy(database_url, tmp_path)


@pytest.fixture
def narrow_hub(database_url: str, tmp_path: Path) -> Iterator[tuple[RunningHub, SeededInbox]]:
    """The same, sending through small socket buffers: a client that stops reading stops the
    server within a page, where the kernel would otherwise take in the whole file."""
    yield from _busy(database_url, tmp_path, send_buffer=4096)


def _newest_first(hub: RunningHub, organisation_id: int | None = None) -> list[str]:
    query = select(Application.application_id).order_by(
        Application.received_at.desc(), Application.id.desc()
    )
    if organisation_id is not None:
        query = query.where(Application.organisation_id == organisation_id)
    with hub.services.db.read() as connection:
        return list(connection.scalars(query))


def _rows(body: bytes) -> list[list[str]]:
    text = body.decode("utf-8")
    assert text.startswith("\ufeffapplication_id,") and text.count("\ufeff") == 1
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def test_an_export_of_many_applications_streams_in_pages_equal_to_one_read(
    busy_hub: tuple[RunningHub, SeededInbox],
) -> None:
    hub, seeded = busy_hub
    inbox = hub.services.inbox
    # Read whole, as before: every row in one query, the file in one piece.
    [whole] = list(inbox.export("csv", batch=None))
    pages = list(inbox.export("csv"))
    assert len(pages) == COUNT // EXPORT_BATCH
    assert b"".join(pages) == whole

    exported = hub.admin.get("/v1/admin/applications/export")
    assert exported.status_code == 200
    assert exported.headers["transfer-encoding"] == "chunked"
    assert "content-length" not in exported.headers
    assert exported.headers["content-type"] == "text/csv; charset=utf-8"
    assert exported.headers["content-disposition"] == (
        "attachment; filename=\"applications.csv\"; filename*=UTF-8''applications.csv"
    )
    assert exported.headers["cache-control"] == "no-store"
    assert exported.content == whole
    header, *rows = _rows(exported.content)
    assert header[:2] == ["application_id", "received_at"]
    assert [row[0] for row in rows] == _newest_first(hub)  # each once, newest first
    assert all(row[7] and row[8] for row in rows)  # first and last names, unsealed
    # The fleet page's download is the same.
    assert hub.admin.get("/fleet/export", params={"format": "csv"}).content == whole

    # JSON: the array streamed, byte for byte what orjson wrote of the whole list.
    as_json = hub.admin.get("/v1/admin/applications/export", params={"format": "json"})
    assert as_json.headers["transfer-encoding"] == "chunked"
    views = list(inbox.iter_views())
    assert as_json.content == orjson.dumps({"applications": views}, option=orjson.OPT_INDENT_2)
    assert len(list(inbox.export("json"))) == COUNT // EXPORT_BATCH + 1  # and the closing

    # One offer's applications, fewer than a page.
    offer = ("agence-fournil", seeded.offers["fournil"][0])
    params = {"offer_source": offer[0], "offer_id": offer[1]}
    one_offer = hub.admin.get("/v1/admin/applications/export", params=params)
    assert one_offer.content == b"".join(inbox.export("csv", *offer, batch=None))
    assert 0 < len(_rows(one_offer.content)) - 1 < EXPORT_BATCH
    assert all(row[4:6] == list(offer) for row in _rows(one_offer.content)[1:])
    # No application: the header alone, as before.
    empty = hub.admin.get("/v1/admin/applications/export", params={**params, "offer_id": "X"})
    assert _rows(empty.content) == [header]
    nothing = hub.admin.get(
        "/v1/admin/applications/export", params={**params, "offer_id": "X", "format": "json"}
    )
    assert nothing.content == b'{\n  "applications": []\n}'


def test_a_recruiters_export_streams_their_organisations_applications_only(
    busy_hub: tuple[RunningHub, SeededInbox],
) -> None:
    hub, seeded = busy_hub
    fournil = seeded.organisations["fournil"]
    queries = InboxQueries(hub.services.db, hub.services.inbox, hub.services.keys, hub.clock)
    [whole] = list(queries.export_csv(fournil, batch=None))
    theirs = _newest_first(hub, fournil)
    assert EXPORT_BATCH < len(theirs) < COUNT
    assert len(list(queries.export_csv(fournil))) == -(-len(theirs) // EXPORT_BATCH)

    page = browser(hub, recruiter_session(hub, fournil, "lea@fournil.example"))
    exported = page.get("/recruiters/export.csv")
    assert exported.status_code == 200
    assert exported.headers["transfer-encoding"] == "chunked"
    assert "candidatures-fournil.csv" in exported.headers["content-disposition"]
    assert exported.headers["x-frame-options"] == "DENY"
    assert exported.content == whole
    header, *rows = _rows(exported.content)
    assert header[-4:] == ["reference", "status", "status_at", "first_contact_at"]
    assert [row[0] for row in rows] == theirs
    # Another organisation's recruiter gets theirs, none of these.
    hotel = seeded.organisations["hotel-gare"]
    other = browser(hub, recruiter_session(hub, hotel, "nour@hotel.example"))
    _, *their_rows = _rows(other.get("/recruiters/export.csv").content)
    assert [row[0] for row in their_rows] == _newest_first(hub, hotel)
    assert not {row[0] for row in their_rows} & set(theirs)


def test_a_stalled_or_broken_off_download_holds_no_database_connection(
    narrow_hub: tuple[RunningHub, SeededInbox], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="hub.inbox")
    hub, _ = narrow_hub
    pool = hub.services.db.engine.pool
    client = httpx.Client(
        base_url=hub.url,
        headers={"Authorization": f"Bearer {hub.operator_token}"},
        transport=httpx.HTTPTransport(socket_options=[(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)]),
    )
    hub.clients.append(client)

    def broken_off() -> list[str]:
        return [r.getMessage() for r in caplog.records if BROKEN_OFF in r.getMessage()]

    with client.stream("GET", "/v1/admin/applications/export") as response:
        assert response.status_code == 200
        chunks = response.iter_raw()
        assert next(chunks).startswith("\ufeffapplication_id,".encode())
        # The client reads no more: the server waits to send a page, holding no connection.
        wait_until(lambda: pool.checkedout() == 0)  # type: ignore[attr-defined]
        assert not broken_off()
        assert not any("exported" in r.getMessage() for r in caplog.records)
    # The client went away in the middle of the file: the export ends, and says so.
    wait_until(lambda: bool(broken_off()))
    assert pool.checkedout() == 0  # type: ignore[attr-defined]
    [message] = broken_off()
    sent = int(message.split()[2])
    assert EXPORT_BATCH <= sent < COUNT, message
    # The hub serves the next export whole.
    again = hub.admin.get("/v1/admin/applications/export")
    assert len(_rows(again.content)) == COUNT + 1
    assert pool.checkedout() == 0  # type: ignore[attr-defined]
