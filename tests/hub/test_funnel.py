"""Proof of effect: offer views arrive in heartbeats and are stored per terminal, offer and day;
the funnel (views → applications → contacted → hired, median time to first contact) per
terminal, offer and organisation is exact on SQLite and PostgreSQL, and shows on the fleet
page behind the operator's login."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import httpx
import pytest
from sqlalchemy import insert, select, update

from hub.ingest import ingest_payload
from hub.models import Application, OfferRecord, OfferViews, Organisation
from hub.recruiters.funnel import FunnelRow, human_delay, percent, sort_rows
from tests.conftest import ft_record
from tests.hub.conftest import RunningHub, fleet_login, put_application, submission

DAY = 86400
HOUR = 3600
BEAT = {"version": "0.4.0", "uptime_s": 60, "offers": 3, "queue_depth": 0, "free_disk_mb": 9000}
A, B, C = ("francetravail", "100AAAA"), ("francetravail", "100BBBB"), ("francetravail", "100CCCC")


def _views(*entries: tuple[tuple[str, str], int]) -> list[dict[str, Any]]:
    return [{"source": s, "id": i, "views": n} for (s, i), n in entries]


def _stored(hub: RunningHub) -> list[tuple[str, str, int, int]]:
    """(terminal, offer id, day relative to the clock's day, views), in order."""
    today = int(hub.clock()) // DAY
    with hub.services.db.read() as connection:
        rows = connection.execute(
            select(OfferViews.terminal_id, OfferViews.offer_id, OfferViews.day, OfferViews.views)
        )
        return sorted((t, i, day - today, views) for t, i, day, views in rows)


# -- heartbeats ----------------------------------------------------------------------------------


def test_views_are_added_per_terminal_offer_and_day(hub: RunningHub) -> None:
    terminal = hub.client(hub.enrol("gare-01"))
    beat = terminal.post("/v1/heartbeat", json=BEAT | {"offer_views": _views((A, 4), (B, 5))})
    assert beat.status_code == 200, beat.text
    # Later the same day, the same offer again (named twice: both count).
    hub.clock.advance(HOUR)
    again = terminal.post("/v1/heartbeat", json=BEAT | {"offer_views": _views((A, 2), (A, 4))})
    assert again.status_code == 200, again.text
    assert _stored(hub) == [("gare-01", A[1], 0, 10), ("gare-01", B[1], 0, 5)]
    hub.clock.advance(DAY)
    terminal.post("/v1/heartbeat", json=BEAT | {"offer_views": _views((A, 6))})
    assert _stored(hub) == [
        ("gare-01", A[1], -1, 10),
        ("gare-01", A[1], 0, 6),
        ("gare-01", B[1], -1, 5),
    ]
    # Another terminal's views are its own.
    other = hub.client(hub.enrol("gare-02"))
    assert other.post("/v1/heartbeat", json=BEAT | {"offer_views": _views((A, 1))}).is_success
    assert ("gare-02", A[1], 0, 1) in _stored(hub)
    # Their sums per terminal and per offer, as the funnel reads them.
    funnel = hub.services.funnel
    assert [funnel.terminal("gare-01", days).views for days in (1, 2)] == [6, 21]
    assert {row.key: row.views for row in funnel.report(2).offers} == {A: 17, B: 5}
    assert {row.key: row.views for row in funnel.report(1).offers} == {A: 7}


def test_a_heartbeat_without_views_is_still_accepted(sqlite_hub: RunningHub) -> None:
    terminal = sqlite_hub.client(sqlite_hub.enrol("gare-01"))
    assert terminal.post("/v1/heartbeat", json=BEAT).status_code == 200
    assert terminal.post("/v1/heartbeat", json=BEAT | {"offer_views": []}).status_code == 200
    assert _stored(sqlite_hub) == []


@pytest.mark.parametrize(
    "views",
    [
        [{"source": "France Travail", "id": "1", "views": 1}],
        [{"source": "francetravail\n", "id": "1", "views": 1}],
        [{"source": "francetravail", "id": "", "views": 1}],
        [{"source": "francetravail", "id": "x" * 513, "views": 1}],
        [{"source": "francetravail", "id": "1", "views": 0}],
        [{"source": "francetravail", "id": "1", "views": 100_001}],
        [{"source": "francetravail", "id": "1", "views": "3"}],
        [{"source": "francetravail", "id": "1", "views": True}],
        [{"source": "francetravail", "id": "1", "views": 1.5}],
        [{"source": "francetravail", "id": 1, "views": 1}],
        [{"source": "francetravail", "id": "1"}],
        [{"source": "francetravail", "id": "1", "views": 1, "when": "2026-11-20T12:00:00Z"}],
        [{"source": "francetravail", "id": str(n), "views": 1} for n in range(501)],
        {"francetravail/1": 1},
    ],
)
def test_malformed_views_refuse_the_heartbeat_and_store_nothing(
    sqlite_hub: RunningHub, views: Any
) -> None:
    terminal = sqlite_hub.client(sqlite_hub.enrol("gare-01"))
    answer = terminal.post("/v1/heartbeat", json=BEAT | {"offer_views": views})
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"] == "invalid_request"
    assert _stored(sqlite_hub) == []
    with sqlite_hub.services.db.read() as connection:
        assert connection.scalar(select(OfferViews.views)) is None


def test_views_are_forgotten_after_their_retention(sqlite_hub: RunningHub) -> None:
    hub = sqlite_hub
    terminal = hub.client(hub.enrol("gare-01"))
    terminal.post("/v1/heartbeat", json=BEAT | {"offer_views": _views((A, 3))})
    hub.clock.advance(100 * DAY)
    terminal.post("/v1/heartbeat", json=BEAT | {"offer_views": _views((A, 1))})
    assert hub.services.purge()["offer_views"] == 0  # 100 days are kept
    hub.clock.advance(DAY)
    assert hub.services.purge()["offer_views"] == 1
    assert _stored(hub) == [("gare-01", A[1], -1, 1)]


# -- the funnel ----------------------------------------------------------------------------------


@dataclass
class Seeded:
    """The seeded hub and the report's day."""

    hub: RunningHub
    organisations: dict[str, int]


def _organisation(hub: RunningHub, slug: str, name: str) -> int:
    with hub.services.db.write() as connection:
        return int(
            connection.execute(
                insert(Organisation)
                .values(slug=slug, name=name, created_at=int(hub.clock()))
                .returning(Organisation.id)
            ).scalar_one()
        )


def _apply(
    hub: RunningHub,
    client: httpx.Client,
    terminal_id: str,
    offer: tuple[str, str],
    status: str = "new",
    contacted_after: int | None = None,
) -> None:
    """An application received now; its status as a recruiter's answer writes it."""
    application_id = uuid.uuid4()
    body = submission(hub.services.keys.public_key, application_id, terminal_id, offer)
    assert put_application(client, application_id, body).status_code == 201
    if contacted_after is None:
        return
    now = int(hub.clock())
    with hub.services.db.write() as connection:
        connection.execute(
            update(Application)
            .where(Application.application_id == str(application_id))
            .values(status=status, status_at=now, first_contact_at=now + contacted_after)
        )


@pytest.fixture
def seeded(hub: RunningHub) -> Seeded:
    return seed_funnel(hub)


def seed_funnel(hub: RunningHub) -> Seeded:
    """Three terminals, three offers (a bakery's, a hotel's, nobody's), views and applications
    over 40 days; the report's now is the day after the clock's start."""
    ingest_payload(
        hub.services.offers,
        {
            "resultats": [
                ft_record(id=A[1], intitule="Boulanger (H/F)"),
                ft_record(id=B[1], intitule="Réceptionniste (H/F)"),
                ft_record(id=C[1], intitule="Préparateur de commandes (H/F)"),
            ]
        },
        None,
        False,
    )
    bakery = _organisation(hub, "boulangerie-martin", "Boulangerie Martin")
    hotel = _organisation(hub, "hotel-du-parc", "Hôtel du Parc")
    with hub.services.db.write() as connection:
        for (source, external_id), owner in ((A, bakery), (B, hotel)):
            connection.execute(
                update(OfferRecord)
                .where(OfferRecord.source == source, OfferRecord.external_id == external_id)
                .values(organisation_id=owner)
            )
    start = hub.clock.now
    hub.clock.now = start - 40 * DAY  # outside the last 30 days, inside the last 90
    t1 = hub.client(hub.enrol("gare-01"))
    t2 = hub.client(hub.enrol("gare-02"))
    hub.enrol("gare-03")  # never seen: listed with nothing
    t1.post("/v1/heartbeat", json=BEAT | {"offer_views": _views((A, 100))})
    _apply(hub, t1, "gare-01", A, "hired", contacted_after=4 * DAY)
    hub.clock.now = start
    t1.post("/v1/heartbeat", json=BEAT | {"offer_views": _views((A, 4), (B, 5))})
    t1.post("/v1/heartbeat", json=BEAT | {"offer_views": _views((A, 6))})
    t2.post("/v1/heartbeat", json=BEAT | {"offer_views": _views((A, 4), (C, 1))})
    _apply(hub, t1, "gare-01", A, "hired", contacted_after=HOUR)
    _apply(hub, t1, "gare-01", A, "contacted", contacted_after=3 * HOUR)
    _apply(hub, t1, "gare-01", A)
    _apply(hub, t1, "gare-01", B, "not_retained", contacted_after=30 * 60)
    _apply(hub, t2, "gare-02", A)
    _apply(hub, t2, "gare-02", C, "interview", contacted_after=2 * HOUR)
    hub.clock.advance(DAY)
    t1.post("/v1/heartbeat", json=BEAT | {"offer_views": _views((A, 6))})
    return Seeded(hub, {"bakery": bakery, "hotel": hotel})


def _figures(row: FunnelRow) -> tuple[int, int, int, int, str]:
    return row.views, row.applications, row.contacted, row.hired, human_delay(row.median_s)


def test_the_funnel_of_the_last_30_days_is_exact(seeded: Seeded) -> None:
    funnel = seeded.hub.services.funnel
    report = funnel.report(30)
    assert _figures(report.total) == (26, 6, 4, 1, "1 h 30 min")  # median of 4: the middle two
    terminals = {row.key: _figures(row) for row in report.terminals}
    assert terminals == {
        "gare-01": (21, 4, 3, 1, "1 h"),
        "gare-02": (5, 2, 1, 0, "2 h"),
        "gare-03": (0, 0, 0, 0, "—"),
    }
    offers = {row.key: (row.label, *_figures(row)) for row in report.offers}
    assert offers == {
        A: ("Boulanger (H/F)", 20, 4, 2, 1, "2 h"),
        B: ("Réceptionniste (H/F)", 5, 1, 1, 0, "30 min"),
        C: ("Préparateur de commandes (H/F)", 1, 1, 1, 0, "2 h"),
    }
    assert {row.key: row.detail for row in report.offers}[A] == (
        "francetravail / 100AAAA · Boulangerie Martin"
    )
    organisations = {row.label: _figures(row) for row in report.organisations}
    assert organisations == {
        "Boulangerie Martin": (20, 4, 2, 1, "2 h"),
        "Hôtel du Parc": (5, 1, 1, 0, "30 min"),
        "No organisation": (1, 1, 1, 0, "2 h"),
    }
    one = funnel.terminal("gare-01", 30)
    assert _figures(one) == (21, 4, 3, 1, "1 h")
    assert percent(one.conversion) == "19 %"  # 4 applications per 21 views
    assert percent(one.rate(one.contacted)) == "75 %"


def test_longer_and_shorter_periods(seeded: Seeded) -> None:
    funnel = seeded.hub.services.funnel
    ninety = funnel.report(90)
    assert _figures(ninety.total) == (126, 7, 5, 2, "2 h")
    assert _figures(funnel.terminal("gare-01", 90)) == (121, 5, 4, 2, "2 h")
    week = funnel.report(7)
    assert _figures(week.total) == (26, 6, 4, 1, "1 h 30 min")
    assert funnel.since(1) == int(seeded.hub.clock()) // DAY * DAY  # today, from midnight UTC


def test_rows_sort_by_any_column_with_the_empty_last() -> None:
    rows = [
        FunnelRow("b", "beta", views=5, applications=1, median_s=60),
        FunnelRow("a", "Alpha", views=5, applications=2, median_s=None),
        FunnelRow("c", "gamma", views=0, applications=0),
    ]
    assert [r.key for r in sort_rows(rows, "views")] == ["a", "b", "c"]  # ties by name
    assert [r.key for r in sort_rows(rows, "name")] == ["a", "b", "c"]
    assert [r.key for r in sort_rows(rows, "name", descending=True)] == ["c", "b", "a"]
    assert [r.key for r in sort_rows(rows, "conversion")] == ["a", "b", "c"]
    assert [r.key for r in sort_rows(rows, "median")] == ["b", "a", "c"]
    assert [r.key for r in sort_rows(rows, "median", descending=True)] == ["b", "a", "c"]


def test_delays_and_rates_read_as_people_say_them() -> None:
    assert human_delay(None) == "—"
    assert human_delay(20) == "under 1 min"
    assert human_delay(45 * 60) == "45 min"
    assert human_delay(2 * HOUR + 10 * 60) == "2 h 10 min"
    assert human_delay(2 * HOUR) == "2 h"
    assert human_delay(3 * DAY + 4 * HOUR + 59) == "3 d 4 h"
    assert percent(None) == "—"
    assert percent(100 * 2 / 3) == "66.7 %"


# -- the page ------------------------------------------------------------------------------------


class _Tables(HTMLParser):
    """The text of each row's cells, per table id."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._table: str | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._table = dict(attrs).get("id") or ""
            self.tables[self._table] = []
        elif tag == "tr" and self._table is not None:
            self.tables[self._table].append([])
        elif tag in ("td", "th") and self._table is not None:
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._table is not None:
            text = re.sub(r"\s+", " ", "".join(self._cell)).strip()
            self.tables[self._table][-1].append(text)
            self._cell = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _tables(html: str) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def _signed_in(hub: RunningHub) -> httpx.Client:
    browser = httpx.Client(base_url=hub.url, follow_redirects=False, timeout=30)
    hub.clients.append(browser)
    assert fleet_login(browser, hub.operator_token).status_code == 303
    return browser


def test_the_fleet_funnel_page(seeded: Seeded) -> None:
    hub = seeded.hub
    anonymous = httpx.Client(base_url=hub.url, follow_redirects=False, timeout=30)
    hub.clients.append(anonymous)
    assert anonymous.get("/fleet/funnel").headers["location"] == "/fleet/login"
    browser = _signed_in(hub)
    assert 'href="/fleet/funnel"' in browser.get("/fleet").text  # linked from the fleet page
    page = browser.get("/fleet/funnel")
    assert page.status_code == 200
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert '<html lang="en">' in page.text
    assert "<caption" in page.text and 'scope="col"' in page.text and 'scope="row"' in page.text
    assert 'aria-sort="descending"' in page.text  # by views, the most first
    tables = _tables(page.text)
    assert tables["funnel-terminals"][1:] == [
        ["gare-01 Terminal gare-01", "21", "4", "3 75 %", "1 25 %", "19 %", "1 h"],
        ["gare-02 Terminal gare-02", "5", "2", "1 50 %", "0 0 %", "40 %", "2 h"],
        ["gare-03 Terminal gare-03", "0", "0", "0", "0", "—", "—"],
    ]
    assert [row[0] for row in tables["funnel-offers"][1:]] == [
        "Boulanger (H/F) francetravail / 100AAAA · Boulangerie Martin",
        "Réceptionniste (H/F) francetravail / 100BBBB · Hôtel du Parc",
        "Préparateur de commandes (H/F) francetravail / 100CCCC",
    ]
    assert tables["funnel-organisations"][1:] == [
        ["Boulangerie Martin", "20", "4", "2 50 %", "1 25 %", "20 %", "2 h"],
        ["Hôtel du Parc", "5", "1", "1 100 %", "0 0 %", "20 %", "30 min"],
        ["No organisation offers nobody answers for yet", "1", "1", "1 100 %", "0 0 %",
         "100 %", "2 h"],
    ]  # fmt: skip
    summary = re.search(r'id="funnel-total">(.*?)</dl>', page.text, re.S)
    assert summary is not None
    assert "26" in summary.group(1) and "1 h 30 min" in summary.group(1)

    # Sorted by the median time to first contact, the shortest first; then the longest first.
    by_median = _tables(browser.get("/fleet/funnel", params={"sort": "median"}).text)
    assert [row[0] for row in by_median["funnel-organisations"][1:]] == [
        "Hôtel du Parc",
        "Boulangerie Martin",
        "No organisation offers nobody answers for yet",
    ]  # 30 min, then the two of 2 h by name
    longest = browser.get("/fleet/funnel", params={"sort": "median", "order": "desc"})
    assert 'aria-sort="descending"' in longest.text
    assert [row[0] for row in _tables(longest.text)["funnel-terminals"][1:]] == [
        "gare-02 Terminal gare-02",
        "gare-01 Terminal gare-01",
        "gare-03 Terminal gare-03",  # no contact: last either way
    ]
    # The last 90 days: the old application and views count.
    ninety = _tables(browser.get("/fleet/funnel", params={"days": 90}).text)
    assert ninety["funnel-terminals"][1][:4] == ["gare-01 Terminal gare-01", "121", "5", "4 80 %"]
    for wrong in ({"days": 12}, {"sort": "title"}, {"order": "up"}, {"offers_page": 0}):
        assert browser.get("/fleet/funnel", params=wrong).status_code == 422


def test_a_terminals_page_shows_its_funnel(seeded: Seeded) -> None:
    browser = _signed_in(seeded.hub)
    page = browser.get("/fleet/terminals/gare-01")
    assert page.status_code == 200
    summary = re.search(r'id="funnel-summary">(.*?)</dl>', page.text, re.S)
    assert summary is not None
    text = re.sub(r"<[^>]+>", " ", summary.group(1))
    words = re.sub(r"\s+", " ", text).strip()
    assert words == (
        "Views 21 Applications 4 19 % of views Contacted 3 75 % of applications Hired 1 25 % "
        "Median time to first contact 1 h"
    )
