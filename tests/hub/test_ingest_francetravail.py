"""France Travail harvesting against a local server that answers like the real API: OAuth2
client credentials, range paging with 206/200/204 and Content-Range, the index ceiling,
401 (expired token) and 429 with Retry-After — with a fake clock, so nothing waits."""

from __future__ import annotations

import copy
import itertools
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest
import requests

from hub.db import open_database
from hub.ingest.francetravail import (
    FranceTravailError,
    RateLimiter,
    ingest_francetravail,
    parse_content_range,
)
from hub.offers import OfferRepository
from hub.settings import SourceSection
from kiosk.domain import Offer
from kiosk.formats import parse_payload
from tests.hub.conftest import FakeClock
from tests.hub.fakes import FakeServer, Reply, Request, fake_server

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "francetravail" / "search_page.json"
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
_DATE = "%Y-%m-%dT%H:%M:%SZ"


class FakeTime:
    """Monotonic time whose sleep moves it forward at once."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.now += seconds


def _offers(departement: str, count: int) -> list[dict[str, Any]]:
    """`count` real-shaped offers created over the last 30 days, newest first."""
    records = orjson.loads(FIXTURE.read_bytes())["resultats"]
    parsed = parse_payload({"resultats": records})
    good = {o.external_id for o in parsed if isinstance(o, Offer)}
    templates = [r for r in records if isinstance(r, dict) and r.get("id") in good]
    offers = []
    for i in range(count):
        record = copy.deepcopy(templates[i % len(templates)])
        record["id"] = f"{departement}{i:05d}"
        created = NOW - timedelta(minutes=int(i * 30 * 24 * 60 / max(count, 1)) + 1)
        record["dateCreation"] = created.strftime("%Y-%m-%dT%H:%M:%S.000Z")
        record["lieuTravail"] = {
            "libelle": f"{departement} - Ville",
            "latitude": 47.2,
            "longitude": -1.55,
        }
        offers.append(record)
    return offers


@dataclass
class FakeFranceTravail:
    """The API's behaviour, as documented and observed (design/francetravail-api.md §1–3)."""

    time: FakeTime
    offers: dict[str, list[dict[str, Any]]]
    max_index: int = 299
    throttle_on: set[int] = field(default_factory=set)  # search calls answered 429
    expire_on: set[int] = field(default_factory=set)  # search calls answered 401
    tokens: list[str] = field(default_factory=list)
    searches: list[tuple[float, dict[str, str]]] = field(default_factory=list)

    def __call__(self, request: Request) -> Reply:
        if request.path == "/token":
            form = {k: v[-1] for k, v in _form(request.body).items()}
            if form.get("client_secret") != "secret" or form.get("grant_type") != (
                "client_credentials"
            ):
                return _json(400, {"error": "invalid_client"})
            self.tokens.append(f"token-{len(self.tokens) + 1}")
            return _json(
                200,
                {
                    "access_token": self.tokens[-1],
                    "expires_in": 1499,
                    "token_type": "Bearer",
                    "scope": form.get("scope"),
                },
            )
        if request.path != "/v2/offres/search":
            return Reply(404)
        self.searches.append((self.time(), request.query))
        call = len(self.searches)
        if call in self.throttle_on:
            return Reply(
                429, b"Too Many Requests", {"Retry-After": "3", "Content-Type": "text/plain"}
            )
        if call in self.expire_on or request.headers.get("authorization") != (
            f"Bearer {self.tokens[-1]}"
        ):
            return Reply(401)
        return self._search(request.query)

    def _search(self, query: dict[str, str]) -> Reply:
        first, last = (int(x) for x in query["range"].split("-"))
        if first > self.max_index - 149 or last > self.max_index or last - first >= 150:
            return _json(
                400,
                {
                    "message": "La plage de résultats demandée est trop importante.",
                    "codeHttp": 400,
                    "codeErreur": "1722445850117",
                },
            )
        low = datetime.strptime(query["minCreationDate"], _DATE).replace(tzinfo=UTC)
        high = datetime.strptime(query["maxCreationDate"], _DATE).replace(tzinfo=UTC)
        matching = [
            o
            for o in self.offers.get(query.get("departement", ""), [])
            if low <= datetime.fromisoformat(o["dateCreation"].replace("Z", "+00:00")) <= high
        ]
        total = len(matching)
        if total == 0:
            return Reply(204, headers={"Content-Range": "*/0"})
        page = matching[first : last + 1]
        end = first + len(page) - 1
        status = 200 if end >= total - 1 else 206
        return _json(
            status,
            {"resultats": page, "filtresPossibles": []},
            {"Content-Range": f"offres {first}-{end}/{total}", "Accept-Range": "150"},
        )


def _form(body: bytes) -> dict[str, list[str]]:
    from urllib.parse import parse_qs  # noqa: PLC0415

    return parse_qs(body.decode())


def _json(status: int, body: Any, headers: dict[str, str] | None = None) -> Reply:
    return Reply(status, orjson.dumps(body), {"Content-Type": "application/json"} | (headers or {}))


@pytest.fixture
def offers(tmp_path: Path) -> Iterator[OfferRepository]:
    database = open_database(f"sqlite:///{tmp_path / 'hub.sqlite'}")
    yield OfferRepository(database, FakeClock())
    database.dispose()


def _section(server: FakeServer, **overrides: Any) -> SourceSection:
    values: dict[str, Any] = {
        "kind": "francetravail",
        "name": "francetravail",
        "client_id": "PAR_kiosk",
        "client_secret": "secret",
        "departements": ["44", "85"],
        "max_index": 299,
        "api_url": f"{server.url}/v2",
        "token_url": f"{server.url}/token",
    }
    return SourceSection(**(values | overrides))


def _harvest(server: FakeServer, offers: OfferRepository, time: FakeTime, **overrides: Any) -> Any:
    return ingest_francetravail(
        _section(server, **overrides),
        offers,
        requests.Session(),
        now=NOW,
        clock=time,
        sleep=time.sleep,
    )


def test_a_harvest_pages_splits_windows_and_keeps_under_five_requests_a_second(
    offers: OfferRepository,
) -> None:
    time = FakeTime()
    api = FakeFranceTravail(
        time, {"44": _offers("44", 700), "85": []}, throttle_on={4}, expire_on={7}
    )
    with fake_server(api) as server:
        report = _harvest(server, offers, time)
    assert report.inserted == 700
    assert report.rejected == []
    assert report.complete
    assert offers.counts() == {"francetravail": 700}
    # The 700 offers of one window are over the ceiling (300): the window was split.
    windows = {(q["minCreationDate"], q["maxCreationDate"]) for _, q in api.searches}
    assert len(windows) > 3
    assert all(int(q["range"].split("-")[1]) <= 299 for _, q in api.searches)
    assert {q.get("departement") for _, q in api.searches} == {"44", "85"}
    assert all(q["sort"] == "1" for _, q in api.searches)
    # 429 → waited Retry-After (3 s); 401 → a new token, once.
    assert 3.0 in time.sleeps
    assert len(api.tokens) == 2
    # At most 5 requests a second, measured on the calls the server received.
    times = [t for t, _ in api.searches]
    assert all(b - a >= 0.2 - 1e-9 for a, b in itertools.pairwise(times))


def test_a_later_complete_harvest_withdraws_what_is_gone(offers: OfferRepository) -> None:
    time = FakeTime()
    data = {"44": _offers("44", 40), "85": _offers("85", 10)}
    api = FakeFranceTravail(time, data)
    with fake_server(api) as server:
        assert _harvest(server, offers, time).inserted == 50
        data["44"] = data["44"][5:]
        again = _harvest(server, offers, time)
    assert (again.inserted, again.unchanged, again.withdrawn) == (0, 45, 5)
    assert offers.counts() == {"francetravail": 45}


def test_a_failed_harvest_withdraws_nothing_and_says_why(offers: OfferRepository) -> None:
    time = FakeTime()
    data = {"44": _offers("44", 40)}
    api = FakeFranceTravail(time, data)
    with fake_server(api) as server:
        _harvest(server, offers, time, departements=["44"])
        api.throttle_on = set(range(len(api.searches) + 1, len(api.searches) + 50))
        with pytest.raises(FranceTravailError, match="429"):
            _harvest(server, offers, time, departements=["44"])
        with pytest.raises(FranceTravailError, match="invalid_client"):
            _harvest(server, offers, time, client_secret="wrong")
    assert offers.counts() == {"francetravail": 40}


def test_content_range_and_rate_limiter() -> None:
    assert parse_content_range("offres 0-149/15262") is not None
    parsed = parse_content_range("offres 300-352/353")
    assert parsed is not None
    assert (parsed.first, parsed.last, parsed.total) == (300, 352, 353)
    empty = parse_content_range("*/0")
    assert empty is not None
    assert empty.total == 0
    assert parse_content_range("bytes nonsense") is None
    time = FakeTime()
    limiter = RateLimiter(5, time, time.sleep)
    for _ in range(6):
        limiter.wait()
    assert time.now == pytest.approx(1001.0)
