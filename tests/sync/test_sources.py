"""Sources a terminal reads without a hub, against real HTTP servers on 127.0.0.1: the France
Travail client (tokens, ranges, 401, 429, five requests a second) and JobPosting feeds (JSON,
HTML pages), with a fake clock whose sleep returns at once, so nothing waits."""

from __future__ import annotations

import itertools
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
import requests
from pydantic import ValidationError

from kiosk.config import SourceSection
from kiosk.domain import Offer
from kiosk.formats import Rejection, parse_payload
from kiosk.geo import Point
from kiosk.sources import (
    Endpoints,
    FeedError,
    FranceTravailError,
    SourceError,
    due_sources,
    harvest_source,
)
from kiosk.sources.francetravail import FranceTravailClient, RateLimiter, parse_content_range
from kiosk.sources.jobposting import fetch_feed, json_ld_from_html
from tests.conftest import ft_record
from tests.hub.fakes import (
    FT_NOW,
    FakeFranceTravail,
    FakeServer,
    FakeTime,
    Reply,
    Request,
    fake_server,
    ft_json,
    ft_offers,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "jobposting"
NANTES = Point(47.2184, -1.5536)  # the terminal of these tests; the fake offers are near it
SECRET = "s3cr3t-Zq81-never-shown"
WINDOW = {"minCreationDate": "2026-10-20T12:00:00Z", "maxCreationDate": "2026-11-20T12:00:00Z"}


def _endpoints(server: FakeServer) -> Endpoints:
    return Endpoints(api_url=f"{server.url}/v2", token_url=f"{server.url}/token")


def _client(server: FakeServer, time: FakeTime, secret: str = "secret") -> FranceTravailClient:
    return FranceTravailClient(
        requests.Session(), "PAR_kiosk", secret, _endpoints(server), clock=time, sleep=time.sleep
    )


def _section(**values: Any) -> SourceSection:
    defaults: dict[str, Any] = {
        "kind": "francetravail",
        "name": "francetravail",
        "client_id": "PAR_kiosk",
        "client_secret": "secret",
        "departements": ["44"],
    }
    if values.get("kind", "francetravail") != "francetravail":
        defaults = {"name": "agence"}
    return SourceSection.model_validate(defaults | values)


def _harvest(
    section: SourceSection, server: FakeServer | None, time: FakeTime
) -> list[Offer | Rejection]:
    return list(
        harvest_source(
            section,
            NANTES,
            30.0,
            requests.Session(),
            clock=time,
            sleep=time.sleep,
            now=FT_NOW,
            endpoints=_endpoints(server) if server else Endpoints(),
        )
    )


def _messages(exc: BaseException) -> Iterator[str]:
    """The text of an exception and of every exception chained to it."""
    seen: BaseException | None = exc
    while seen is not None:
        yield str(seen)
        yield repr(seen)
        seen = seen.__cause__ or seen.__context__


# -- France Travail -------------------------------------------------------------------------


def test_a_token_is_fetched_once_and_renewed_before_it_expires() -> None:
    time = FakeTime()
    api = FakeFranceTravail(time, {"44": ft_offers("44", 10)}, expires_in=1499)
    with fake_server(api) as server:
        client = _client(server, time)
        client.search(WINDOW | {"departement": "44"}, 0, 149)
        time.now += 1400  # 99 s left: still good
        client.search(WINDOW | {"departement": "44"}, 0, 149)
        assert len(api.tokens) == 1
        time.now += 50  # 49 s left: renewed before the call
        client.search(WINDOW | {"departement": "44"}, 0, 149)
    assert len(api.tokens) == 2
    assert api.refused == 0


def test_a_401_fetches_a_new_token_once() -> None:
    time = FakeTime()
    api = FakeFranceTravail(time, {"44": ft_offers("44", 10)}, expire_on={1})
    with fake_server(api) as server:
        page = _client(server, time).search(WINDOW | {"departement": "44"}, 0, 149)
        assert (page.status, len(page.records), len(api.tokens)) == (200, 10, 2)
        api.expire_on = {3, 4}
        with pytest.raises(FranceTravailError, match=r"\(401\)"):
            _client(server, time).search(WINDOW | {"departement": "44"}, 0, 149)
    assert len(api.tokens) == 4  # one each, and one renewal for the first 401 only


def test_ranges_page_through_206_and_200_and_204_is_empty() -> None:
    time = FakeTime()
    api = FakeFranceTravail(time, {"44": ft_offers("44", 320)}, max_index=3149)
    with fake_server(api) as server:
        records = _harvest(_section(departements=["44", "85"]), server, time)
    assert len(records) == 320
    assert all(isinstance(r, Offer) and r.source == "francetravail" for r in records)
    asked = [(q.get("departement"), q["range"]) for _, q in api.searches]
    assert asked == [("44", "0-149"), ("44", "150-299"), ("44", "300-319"), ("85", "0-149")]
    assert all(q["sort"] == "1" for _, q in api.searches)


def test_a_429_waits_as_retry_after_says() -> None:
    time = FakeTime()
    api = FakeFranceTravail(time, {"44": ft_offers("44", 200)}, throttle_on={2}, retry_after="7")
    with fake_server(api) as server:
        records = _harvest(_section(), server, time)
    assert len(records) == 200
    assert [s for s in time.sleeps if s > 0.2 + 1e-9] == [7.0]
    assert len(api.searches) == 3  # the refused page was asked again


def test_a_retry_after_too_long_to_wait_fails_the_harvest() -> None:
    time = FakeTime()
    api = FakeFranceTravail(time, {"44": ft_offers("44", 10)}, throttle_on={1}, retry_after="3600")
    with fake_server(api) as server, pytest.raises(FranceTravailError, match="3600 s"):
        _harvest(_section(), server, time)
    assert all(s <= 0.2 + 1e-9 for s in time.sleeps)


def test_at_most_five_requests_a_second() -> None:
    time = FakeTime()
    api = FakeFranceTravail(
        time, {"44": ft_offers("44", 400), "85": ft_offers("85", 50)}, max_index=3149
    )
    with fake_server(api) as server:
        _harvest(_section(departements=["44", "85"]), server, time)
    times = sorted([*api.token_times, *(t for t, _ in api.searches)])
    assert len(times) == 5  # a token, three pages of 44, one of 85
    assert all(b - a >= 0.2 - 1e-9 for a, b in itertools.pairwise(times))
    limiter_time = FakeTime()
    limiter = RateLimiter(5, limiter_time, limiter_time.sleep)
    for _ in range(6):
        limiter.wait()
    assert limiter_time.now == pytest.approx(1001.0)


def test_content_ranges() -> None:
    parsed = parse_content_range("offres 300-352/353")
    assert parsed is not None
    assert (parsed.first, parsed.last, parsed.total) == (300, 352, 353)
    empty = parse_content_range("*/0")
    assert empty is not None
    assert (empty.first, empty.total) == (None, 0)
    assert parse_content_range("offres 0-149/15262") is not None
    assert parse_content_range("bytes nonsense") is None
    assert parse_content_range(None) is None


def test_only_offers_near_the_terminal_are_kept_and_bad_records_are_rejected_alone() -> None:
    records = ft_offers("44", 5)
    records[1]["lieuTravail"] = {"libelle": "75 - PARIS 12", "latitude": 48.84, "longitude": 2.39}
    records[2]["lieuTravail"] = {"libelle": "44 - LOIRE ATLANTIQUE"}  # no coordinates
    del records[3]["intitule"]
    time = FakeTime()
    api = FakeFranceTravail(time, {"44": records})
    with fake_server(api) as server:
        harvested = _harvest(_section(), server, time)
    offers = {r.external_id for r in harvested if isinstance(r, Offer)}
    assert offers == {"4400000", "4400002", "4400004"}  # Paris is 340 km away
    rejections = [r for r in harvested if isinstance(r, Rejection)]
    assert rejections == [Rejection("4400003", "intitule (title) is missing")]


def test_a_truncated_harvest_fails_at_its_end_so_nothing_is_withdrawn() -> None:
    """More offers within one hour than the API lets anyone reach: the windows are split down
    to an hour, the reachable pages are read, then the harvest fails."""
    time = FakeTime()
    page = ft_offers("44", 150)
    busy = "2026-11-20T11:30:00Z"

    def api(request: Request) -> Reply:
        if request.path == "/token":
            return ft_json(200, {"access_token": "t", "expires_in": 1499})
        query = request.query
        if not query["minCreationDate"] <= busy <= query["maxCreationDate"]:
            return Reply(204, headers={"Content-Range": "*/0"})
        first = int(query["range"].split("-")[0])
        last = first + 149
        headers = {"Content-Range": f"offres {first}-{last}/5000"}
        return ft_json(206, {"resultats": page}, headers)

    records: list[Offer | Rejection] = []
    with fake_server(api) as server:
        harvest = harvest_source(
            _section(),
            NANTES,
            30.0,
            requests.Session(),
            clock=time,
            sleep=time.sleep,
            now=FT_NOW,
            endpoints=_endpoints(server),
        )
        with pytest.raises(FranceTravailError, match="none withdrawn"):
            for record in harvest:
                records.append(record)
        ranges = [r.query["range"] for r in server.requests if r.path != "/token"]
    assert len(records) == 21 * 150  # indexes 0 to 3149
    assert ranges[-1] == "3000-3149"


def test_the_client_secret_never_appears_in_an_error() -> None:
    def echo(request: Request) -> Reply:
        return ft_json(400, {"error": f"invalid_client: {request.body.decode()}"})

    errors: list[BaseException] = []
    time = FakeTime()
    with fake_server(echo) as server:
        with pytest.raises(SourceError) as refused:
            _harvest(_section(client_secret=SECRET), server, time)
        errors.append(refused.value)
        with pytest.raises(FranceTravailError) as direct:
            _client(server, time, SECRET).search(WINDOW, 0, 149)
        errors.append(direct.value)
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    nowhere = FakeServer(f"http://127.0.0.1:{port}", [])
    with pytest.raises(FranceTravailError, match="token request failed") as unreachable:
        _harvest(_section(client_secret=SECRET), nowhere, time)
    errors.append(unreachable.value)
    assert "invalid_client" in str(errors[0])
    for error in errors:
        assert all(SECRET not in text for text in _messages(error)), error


def test_a_terminal_source_needs_departements() -> None:
    # The API searches by département, not around a point: the configuration says so at start.
    with pytest.raises(ValidationError, match="needs 'departements'"):
        _section(departements=[])


# -- JobPosting feeds and files ---------------------------------------------------------------


def _html(*blocks: Any) -> bytes:
    scripts = "".join(
        f'<script type="application/ld+json">{orjson.dumps(b).decode()}</script>' for b in blocks
    )
    return (
        '<!doctype html><html><head><script type="application/ld+json">{"@type": "WebSite"}'
        f"</script>{scripts}<script>var x = 1;</script></head><body><h1>Offres</h1></body></html>"
    )


def _expected(data: Any) -> list[Offer | Rejection]:
    return list(parse_payload(data, "agence"))


def test_a_json_ld_feed_gives_its_postings_and_rejects_bad_ones_alone() -> None:
    mixed = orjson.loads((FIXTURES / "mixed_good_bad.json").read_bytes())
    body = orjson.dumps(mixed)
    with fake_server(lambda _r: Reply(200, body, {"Content-Type": "application/ld+json"})) as srv:
        records = _harvest(_section(kind="jobposting", url=f"{srv.url}/jobs"), srv, FakeTime())
    assert records == _expected(mixed)
    assert 0 < sum(isinstance(r, Offer) for r in records) < len(records)
    assert all(r.reason for r in records if isinstance(r, Rejection))


def test_an_html_page_gives_its_json_ld_postings_in_its_charset() -> None:
    posting = orjson.loads((FIXTURES / "single_posting.json").read_bytes())
    posting["title"] = "Pâtissier / Pâtissière (H/F)"
    graph = orjson.loads((FIXTURES / "graph_page_fr.json").read_bytes())
    assert json_ld_from_html(_html(posting, graph)) == [posting, graph]
    page = _html(posting).replace("<head>", '<head><meta charset="iso-8859-1">')
    latin1 = page.encode("iso-8859-1")
    with fake_server(lambda _r: Reply(200, latin1, {"Content-Type": "text/html"})) as srv:
        assert fetch_feed(requests.Session(), srv.url) == [posting]
        records = _harvest(_section(kind="jobposting", url=srv.url), srv, FakeTime())
    assert records == _expected([posting])
    assert isinstance(records[0], Offer)
    assert records[0].title == "Pâtissier / Pâtissière (H/F)"


def test_unusable_feeds_say_why() -> None:
    empty_page = Reply(200, b"<html></html>", {"Content-Type": "text/html"})
    with fake_server(lambda _r: empty_page) as srv, pytest.raises(FeedError, match="no JobPosting"):
        fetch_feed(requests.Session(), srv.url)
    with fake_server(lambda _r: Reply(503)) as srv, pytest.raises(FeedError, match="503"):
        _harvest(_section(kind="jobposting", url=srv.url), srv, FakeTime())
    unknown = Reply(200, b'{"hello": "world"}', {"Content-Type": "application/json"})
    with fake_server(lambda _r: unknown) as srv, pytest.raises(FeedError, match="JobPosting"):
        _harvest(_section(kind="jobposting", url=srv.url), srv, FakeTime())


def test_a_file_source_is_read_from_disk(tmp_path: Path) -> None:
    path = tmp_path / "offres.json"
    path.write_bytes(orjson.dumps({"resultats": [ft_record(id="F1"), ft_record(id="F2")]}))
    section = _section(kind="file", name="partage", path=str(path))
    records = _harvest(section, None, FakeTime())
    assert [r.external_id for r in records] == []  # Paris offers: 340 km from Nantes
    far = list(harvest_source(section, Point(48.8443, 2.3744), 30.0, requests.Session()))
    assert [r.external_id for r in far] == ["F1", "F2"]
    with pytest.raises(SourceError, match="cannot read"):
        _harvest(
            _section(kind="file", name="partage", path=str(tmp_path / "gone")), None, FakeTime()
        )


def test_due_sources_follow_refresh_minutes() -> None:
    sources = [
        _section(kind="hub", name="hub"),
        _section(name="francetravail", refresh_minutes=60),
        _section(kind="jobposting", name="agence", url="https://emplois.example.org/offres"),
        _section(kind="file", name="partage", path="/srv/offres.json", refresh_minutes=5),
    ]
    now = 1_800_000_000.0
    last = {"hub": None, "francetravail": now - 3599, "partage": now - 300}
    assert [s.name for s in due_sources(sources, last, now)] == ["agence", "partage"]
    assert [s.name for s in due_sources(sources, last, now + 1)] == [
        "francetravail",
        "agence",
        "partage",
    ]
