"""France Travail harvesting into the hub against a local server that answers like the real
API (tests/hub/fakes.py): windows split under the index ceiling, at most five requests a second,
withdrawals only after a complete harvest — with a fake clock, so nothing waits. The client's
own rules (tokens, ranges, 429) are tested with the terminal's sources (tests/sync)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from hub.db import open_database
from hub.ingest.francetravail import ingest_francetravail
from hub.offers import OfferRepository
from hub.settings import SourceSection
from kiosk.sources import FranceTravailError
from tests.hub.conftest import FakeClock
from tests.hub.fakes import FT_NOW, FakeFranceTravail, FakeServer, FakeTime, fake_server, ft_offers


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
        now=FT_NOW,
        clock=time,
        sleep=time.sleep,
    )


def test_a_harvest_pages_splits_windows_and_keeps_under_five_requests_a_second(
    offers: OfferRepository,
) -> None:
    time = FakeTime()
    api = FakeFranceTravail(
        time, {"44": ft_offers("44", 700), "85": []}, throttle_on={4}, expire_on={7}
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
    data = {"44": ft_offers("44", 40), "85": ft_offers("85", 10)}
    api = FakeFranceTravail(time, data)
    with fake_server(api) as server:
        assert _harvest(server, offers, time).inserted == 50
        data["44"] = data["44"][5:]
        again = _harvest(server, offers, time)
    assert (again.inserted, again.unchanged, again.withdrawn) == (0, 45, 5)
    assert offers.counts() == {"francetravail": 45}


def test_a_failed_harvest_withdraws_nothing_and_says_why(offers: OfferRepository) -> None:
    time = FakeTime()
    data = {"44": ft_offers("44", 40)}
    api = FakeFranceTravail(time, data)
    with fake_server(api) as server:
        _harvest(server, offers, time, departements=["44"])
        api.throttle_on = set(range(len(api.searches) + 1, len(api.searches) + 50))
        with pytest.raises(FranceTravailError, match="429"):
            _harvest(server, offers, time, departements=["44"])
        with pytest.raises(FranceTravailError, match="invalid_client"):
            _harvest(server, offers, time, client_secret="wrong")
    assert offers.counts() == {"francetravail": 40}
