"""JobPosting feeds (JSON-LD documents and HTML pages) and uploaded files, all through the
terminal's own parsers; bad records are rejected one by one with their reason."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
import requests

from hub.db import open_database
from hub.ingest.jobposting import FeedError, fetch_feed, ingest_jobposting, json_ld_from_html
from hub.offers import OfferRepository
from hub.settings import SourceSection
from kiosk.formats import parse_payload
from tests.conftest import ft_record
from tests.hub.conftest import FakeClock, RunningHub
from tests.hub.fakes import Reply, fake_server

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "jobposting"


@pytest.fixture
def offers(tmp_path: Path) -> Iterator[OfferRepository]:
    database = open_database(f"sqlite:///{tmp_path / 'hub.sqlite'}")
    yield OfferRepository(database, FakeClock())
    database.dispose()


def _expected(name: str) -> int:
    """How many offers the terminal's parser finds in a fixture."""
    data = orjson.loads((FIXTURES / name).read_bytes())
    return sum(1 for r in parse_payload(data) if not hasattr(r, "reason"))


def _html(*blocks: Any) -> bytes:
    scripts = "".join(
        f'<script type="application/ld+json">{orjson.dumps(b).decode()}</script>' for b in blocks
    )
    return (
        '<!doctype html><html><head><script type="application/ld+json">{"@type": "WebSite"}'
        f"</script>{scripts}<script>var x = 1;</script></head><body><h1>Offres</h1></body></html>"
    ).encode()


def test_a_json_ld_feed_is_ingested_as_a_complete_listing(offers: OfferRepository) -> None:
    feed = orjson.loads((FIXTURES / "array_feed.json").read_bytes())
    body = {"value": orjson.dumps(feed)}
    with fake_server(
        lambda _r: Reply(200, body["value"], {"Content-Type": "application/ld+json"})
    ) as server:
        section = SourceSection(kind="jobposting", name="agence", url=server.url + "/jobs.json")  # type: ignore[arg-type]
        first = ingest_jobposting(section, offers, requests.Session())
        assert first.inserted == _expected("array_feed.json") > 0
        body["value"] = orjson.dumps(feed[1:])
        second = ingest_jobposting(section, offers, requests.Session())
    assert second.withdrawn == 1
    assert offers.counts() == {"agence": first.inserted - 1}


def test_an_html_page_gives_its_json_ld_postings() -> None:
    posting = orjson.loads((FIXTURES / "single_posting.json").read_bytes())
    graph = orjson.loads((FIXTURES / "graph_page_fr.json").read_bytes())
    blocks = json_ld_from_html(_html(posting, graph).decode())
    assert blocks == [posting, graph]
    with fake_server(lambda _r: Reply(200, _html(posting), {"Content-Type": "text/html"})) as srv:
        assert fetch_feed(requests.Session(), srv.url) == [posting]
    empty_page = Reply(200, b"<html></html>", {"Content-Type": "text/html"})
    with fake_server(lambda _r: empty_page) as srv, pytest.raises(FeedError, match="no JobPosting"):
        fetch_feed(requests.Session(), srv.url)
    with fake_server(lambda _r: Reply(503)) as srv, pytest.raises(FeedError, match="503"):
        fetch_feed(requests.Session(), srv.url)


def test_an_empty_listing_withdraws_nothing(offers: OfferRepository) -> None:
    feed = orjson.loads((FIXTURES / "array_feed.json").read_bytes())
    answers = iter([orjson.dumps(feed), b"[]"])
    with fake_server(lambda _r: Reply(200, next(answers))) as server:
        section = SourceSection(kind="jobposting", name="agence", url=server.url)  # type: ignore[arg-type]
        before = ingest_jobposting(section, offers, requests.Session()).inserted
        empty = ingest_jobposting(section, offers, requests.Session())
    assert empty.complete is False
    assert offers.counts() == {"agence": before}


def test_operators_upload_files_and_see_each_rejection(sqlite_hub: RunningHub) -> None:
    admin = sqlite_hub.admin
    mixed = (FIXTURES / "mixed_good_bad.json").read_bytes()
    answer = admin.post(
        "/v1/admin/ingest",
        params={"source": "agence-lyon"},
        content=mixed,
        headers={"Content-Type": "application/json"},
    )
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert report["inserted"] == _expected("mixed_good_bad.json")
    assert report["rejected"] == len(report["rejections"]) > 0
    assert all(r["reason"] for r in report["rejections"])
    france = admin.post("/v1/admin/ingest", json={"resultats": [ft_record(id="X1")]})
    assert france.json()["inserted"] == 1
    listing = admin.post(
        "/v1/admin/ingest", params={"full_refresh": "true"}, json=[ft_record(id="X2")]
    ).json()
    assert (listing["inserted"], listing["withdrawn"]) == (1, 1)
    sources = admin.get("/v1/admin/sources").json()
    assert sources["offers"] == {"agence-lyon": report["inserted"], "francetravail": 1}
    not_json = admin.post(
        "/v1/admin/ingest", content=b"{nope", headers={"Content-Type": "application/json"}
    )
    assert not_json.status_code == 422
    assert not_json.json()["error"] == "invalid_json"
    unknown = admin.post("/v1/admin/ingest", json={"hello": "world"})
    assert unknown.status_code == 422
    assert unknown.json()["error"] == "unknown_format"
