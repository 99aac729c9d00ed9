"""JobPosting feeds and uploaded files into the hub, all through the terminal's own parsers;
bad records are rejected one by one with their reason. Reading feeds (HTML pages, charsets) is
tested with the terminal's sources (tests/sync/test_sources.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
import requests

from hub.db import open_database
from hub.ingest.jobposting import ingest_jobposting
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
