"""`GET /v1/firms` over the real server: the firms within the terminal's area, best hiring
potential first, each with its trades and their labels; ETag and 304; at most 3,000; empty
without a `[labonneboite]` section; a firm withdrawn between two harvests is gone."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from hub.auth import TerminalIdentity
from hub.firms.directory import FirmDirectory
from hub.firms.harvest import harvest_firms
from tests.hub.conftest import LYON, PARIS, FakeClock, RunningHub, start_hub
from tests.hub.fakes import FakeTime, fake_server
from tests.hub.firms_seed import (
    SAMPLE_FIRMS,
    SeedFirm,
    firms_config,
    seed_firms,
    spontaneous_organisation,
)
from tests.hub.labonneboite import FakeLaBonneBoite, lbb_firm
from tests.hub.recruiters.test_notify import sign_in_to_fleet


@pytest.fixture
def firms_hub(database_url: str, tmp_path: Path) -> Iterator[RunningHub]:
    """A hub with La Bonne Boîte configured (SQLite and PostgreSQL), firms seeded."""
    hub = start_hub(database_url, tmp_path, config=firms_config())
    seed_firms(hub.services.db)
    yield hub
    hub.stop()


def _firms(hub: RunningHub, token: str, etag: str | None = None) -> Any:
    headers = {"If-None-Match": etag} if etag else {}
    return hub.client(token).get("/v1/firms", headers=headers)


def test_a_terminal_gets_the_firms_of_its_area_best_first(firms_hub: RunningHub) -> None:
    hub = firms_hub
    paris = _firms(hub, hub.enrol("gare-01", PARIS, 10))
    assert paris.status_code == 200, paris.text
    body = paris.json()
    assert body["spontaneous"] is False  # no organisation receives them yet
    assert body["source"] == "La Bonne Boîte, France Travail"
    assert body["harvested_at"] == "2026-11-18T11:06:40Z"
    assert [f["name"] for f in body["firms"]] == [
        "Boulangerie Martin",
        "Brasserie du Lion",
        "Supermarché Bercy",
    ]
    bakery = body["firms"][0]
    assert bakery == {
        "siret": "12345678900012",
        "name": "Boulangerie Martin",
        "sector": "Boulangerie et boulangerie-pâtisserie",
        "naf": "1071C",
        "headcount_min": 10,
        "headcount_max": 19,
        "latitude": 48.845,
        "longitude": 2.38,
        "city": "Paris",
        "postcode": "75012",
        "trades": [
            {"rome": "D1102", "label": "Boulangerie - viennoiserie", "hiring_potential": 2.4,
             "high": True},
            {"rome": "D1106", "label": "Vente en alimentation", "hiring_potential": 1.1,
             "high": False},
        ],
    }  # fmt: skip
    assert body["firms"][2]["headcount_min"] is None
    lyon = _firms(hub, hub.enrol("lyon-01", LYON, 10)).json()
    assert [f["city"] for f in lyon["firms"]] == ["Lyon"]
    assert hub.client().get("/v1/firms").status_code == 401


def test_etag_gives_304_until_a_harvest_or_the_spontaneous_organisation_changes(
    firms_hub: RunningHub,
) -> None:
    hub = firms_hub
    token = hub.enrol("gare-01", PARIS, 10)
    first = _firms(hub, token)
    etag = first.headers["ETag"]
    again = _firms(hub, token, etag)
    assert again.status_code == 304 and again.content == b""
    assert again.headers["ETag"] == etag
    # The operator designates an organisation: terminals may now offer to write.
    spontaneous_organisation(hub)
    changed = _firms(hub, token, etag)
    assert changed.status_code == 200 and changed.json()["spontaneous"] is True
    etag = changed.headers["ETag"]
    assert _firms(hub, token, etag).status_code == 304
    # A new harvest (a firm less, a label the ROME list lacks: the code itself).
    seed_firms(
        hub.services.db,
        [SeedFirm("44455566600077", "H2909", "Atelier Nation", 48.848, 2.395, 5.0)],
        labels={},
        at=1_795_100_000,
    )
    newer = _firms(hub, token, etag)
    assert newer.status_code == 200
    firms = newer.json()["firms"]
    assert firms[0]["trades"] == [
        {"rome": "H2909", "label": "H2909", "hiring_potential": 5.0, "high": False}
    ]


def test_without_la_bonne_boite_the_list_is_empty(sqlite_hub: RunningHub) -> None:
    hub = sqlite_hub
    seed_firms(hub.services.db)  # left over from an earlier configuration
    token = hub.enrol("gare-01", PARIS, 10)
    body = _firms(hub, token).json()
    assert body == {
        "spontaneous": False,
        "source": "La Bonne Boîte, France Travail",
        "harvested_at": None,
        "firms": [],
    }
    spontaneous_organisation(hub)
    assert _firms(hub, token).json()["spontaneous"] is True


def test_the_list_is_capped_keeping_the_best(sqlite_hub: RunningHub) -> None:
    hub = sqlite_hub
    many = [
        SeedFirm(f"{20_000_000_000_000 + i}", "D1102", f"Firme {i}", 48.845, 2.375, i / 10)
        for i in range(30)
    ]
    seed_firms(hub.services.db, many)
    directory = FirmDirectory(hub.services.db, configured=True, max_firms=12)
    terminal = TerminalIdentity(1, "gare-01", *PARIS, 10.0, 1, 0)
    import orjson  # noqa: PLC0415

    body = orjson.loads(directory.for_terminal(terminal)[0])
    assert [f["name"] for f in body["firms"]] == [f"Firme {i}" for i in range(29, 17, -1)]


def test_a_firm_withdrawn_between_two_harvests_leaves_the_terminals(
    sqlite_database: str, tmp_path: Path
) -> None:
    time = FakeTime()
    firms = {
        "D1102": [
            lbb_firm("10000000000001", "D1102", (48.846, 2.376), 3.0, "Au Bon Pain"),
            lbb_firm("10000000000002", "D1102", (48.842, 2.371), 2.0, "Fournil Bercy"),
        ]
    }
    api = FakeLaBonneBoite(time, firms)
    with fake_server(api) as server:
        hub = start_hub(
            sqlite_database,
            tmp_path,
            config=firms_config(
                api_url=f"{server.url}/v2", token_url=f"{server.url}/token", romes=["D1102"]
            ),
        )
        try:
            token = hub.enrol("gare-01", PARIS, 10)
            section = hub.services.settings.config.labonneboite
            assert section is not None

            def harvest() -> None:
                report = harvest_firms(
                    section, hub.services.db, FakeClock(), requests.Session(), time, time.sleep
                )
                assert report.complete

            harvest()
            before = _firms(hub, token)
            assert [f["name"] for f in before.json()["firms"]] == ["Au Bon Pain", "Fournil Bercy"]
            firms["D1102"].pop(0)
            harvest()
            after = _firms(hub, token, before.headers["ETag"])
            assert after.status_code == 200
            assert [f["name"] for f in after.json()["firms"]] == ["Fournil Bercy"]
            # The fleet page says how the last harvest went.
            fleet = sign_in_to_fleet(hub).get("/fleet")
            shown = re.sub(r"\s+", " ", fleet.text)
            assert "Firms that hire near the terminals" in shown
            assert "1 firm. Last harvest" in shown and "complete," in shown
            assert "1 firms × trades from 1 searches" in shown and "1 removed" in shown
        finally:
            hub.stop()


def test_sample_firms_are_what_the_seed_promises() -> None:
    # The terminal's tests rely on these (tests/hub/firms_seed.py).
    assert {f.siret for f in SAMPLE_FIRMS if f.city == "Paris"} == {
        "12345678900012",
        "98765432100034",
        "55566677700011",
    }


def test_the_etag_holds_without_the_answer_in_memory(sqlite_hub: RunningHub) -> None:
    """A fleet of more areas than the hub keeps answers for: a terminal whose list did not
    change still gets the same ETag (its 304) once its answer left the memory, and the
    answer built again is the same."""
    hub = sqlite_hub
    seed_firms(hub.services.db, [SeedFirm("30000000000001", "D1102", "Au Fournil", *PARIS, 3.0)])
    directory = FirmDirectory(hub.services.db, configured=True, cached_areas=1)
    here = TerminalIdentity(1, "gare-01", *PARIS, 10.0, 1, 0)
    there = TerminalIdentity(2, "gare-02", 45.76, 4.83, 10.0, 1, 0)
    body, etag = directory.for_terminal(here)
    assert directory.for_terminal(there)[1] != etag  # another area: another answer
    assert directory.etag(here)[0] == etag  # `here` left the memory: the same ETag
    assert directory.for_terminal(here) == (body, etag)
    seed_firms(hub.services.db, [SeedFirm("30000000000002", "D1102", "Chez Lulu", *PARIS, 2.0)])
    assert directory.etag(here)[0] != etag  # a new harvest: a new ETag
