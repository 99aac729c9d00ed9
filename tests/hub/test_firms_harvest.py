"""Harvesting La Bonne Boîte into the hub against a local stand-in speaking its API
(tests/hub/labonneboite.py), with a fake clock so that nothing waits: paging, two calls a
second, 429 with Retry-After, a token that expires mid-harvest, 5xx, 422, and a firm
withdrawn between two harvests — removed only by a complete harvest."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
import requests
from sqlalchemy import insert, select

from hub.db import Database, open_database
from hub.firms.areas import Area, merge_areas
from hub.firms.harvest import HarvestReport, harvest_firms
from hub.firms.store import FirmStore
from hub.jobs import BackgroundJobs
from hub.models import Firm, FirmHarvest, OfferRecord, Terminal
from hub.offers import OFFER_SEQ, lock_counter, set_counter
from hub.settings import LaBonneBoiteSection, SettingsError, parse_hub_config
from tests.hub.conftest import LYON, PARIS, FakeClock, RunningHub, start_hub
from tests.hub.fakes import FakeServer, FakeTime, fake_server
from tests.hub.firms_seed import firms_config
from tests.hub.labonneboite import FakeLaBonneBoite, lbb_firm

NEAR_PARIS = (48.85, 2.38)


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    """The hub's database, SQLite and PostgreSQL (when installed)."""
    database = open_database(database_url)
    yield database
    database.dispose()


def add_terminal(
    db: Database, terminal_id: str, where: tuple[float, float], radius_km: float = 30.0
) -> None:
    """An enrolled terminal, straight into its table."""
    with db.write() as connection:
        connection.execute(
            insert(Terminal).values(
                terminal_id=terminal_id,
                name=terminal_id,
                latitude=where[0],
                longitude=where[1],
                radius_km=radius_km,
                token_hash=f"hash-{terminal_id}",
                enrolled_at=0,
            )
        )


def bakeries(count: int, rome: str = "D1102") -> list[dict[str, Any]]:
    """`count` firms near the Paris terminal, the first the most likely to hire."""
    return [
        lbb_firm(f"{10_000_000_000_000 + i}", rome, NEAR_PARIS, round(5.0 - i * 0.01, 2))
        for i in range(count)
    ]


def section(server: FakeServer, **overrides: Any) -> LaBonneBoiteSection:
    values: dict[str, Any] = {
        "client_id": "PAR_kiosk",
        "client_secret": "secret",
        "api_url": f"{server.url}/v2",
        "token_url": f"{server.url}/token",
        "romes": ["D1102", "G1602"],
        "max_pages": 5,
    }
    return LaBonneBoiteSection(**(values | overrides))


def harvest(server: FakeServer, db: Database, time: FakeTime, **overrides: Any) -> HarvestReport:
    return harvest_firms(
        section(server, **overrides),
        db,
        clock=FakeClock(),
        session=requests.Session(),
        monotonic=time,
        sleep=time.sleep,
    )


def stored(db: Database) -> dict[tuple[str, str], float]:
    with db.read() as connection:
        return {
            (row.siret, row.rome): row.hiring_potential
            for row in connection.execute(select(Firm.siret, Firm.rome, Firm.hiring_potential))
        }


def test_a_harvest_pages_keeps_to_two_calls_a_second_and_survives_429_and_expiry(
    db: Database,
) -> None:
    add_terminal(db, "gare-01", PARIS)
    time = FakeTime()
    firms = {"D1102": bakeries(250), "G1602": bakeries(3, "G1602")}
    # The 2nd search is refused as expired (401), the 4th throttled (429, Retry-After: 3);
    # tokens live 61 s, renewed 60 s before: each lasts about a second of harvest.
    api = FakeLaBonneBoite(time, firms, expire_on={2}, throttle_on={4}, expires_in=61)
    with fake_server(api) as server:
        report = harvest(server, db, time)
    assert report.complete and report.errors == [] and report.refused == []
    assert (report.areas, report.queries, report.found) == (1, 2, 253)
    assert len(stored(db)) == 253
    # Pages of 100 until the hits are read; the best potential first; the terminal's radius.
    pages = [(q["rome"], q["page"]) for _, q in api.searches]
    assert sorted(set(pages)) == [("D1102", "1"), ("D1102", "2"), ("D1102", "3"), ("G1602", "1")]
    first = api.searches[0][1]
    assert (first["page_size"], first["sort_by"], first["sort_direction"]) == (
        "100",
        "hiring_potential",
        "desc",
    )
    assert first["distance"] == "30"
    assert (float(first["latitude"]), float(first["longitude"])) == PARIS
    # 429 → waited its Retry-After; 401 and expiry → new tokens.
    assert 3.0 in time.sleeps
    assert len(api.tokens) >= 3
    # At most two calls (tokens included) in any second, as the server saw them.
    assert len(api.calls) == report.calls
    for start in api.calls:
        assert sum(1 for t in api.calls if start <= t < start + 1.0) <= 2
    assert all(b - a >= 0.5 - 1e-9 for a, b in itertools.pairwise(api.calls))
    run = FirmStore(db, FakeClock()).last_run()
    assert run is not None and run["complete"] and run["firms"] == 253


def test_a_throttled_token_request_waits_its_retry_after_then_harvests(db: Database) -> None:
    add_terminal(db, "gare-01", PARIS)
    time = FakeTime()
    api = FakeLaBonneBoite(time, {"D1102": bakeries(2)}, throttle_tokens=1, retry_after="0")
    with fake_server(api) as server:
        report = harvest(server, db, time, romes=["D1102"])
    assert report.complete and report.errors == [], report.errors
    assert len(stored(db)) == 2
    assert api.throttle_tokens == 0 and api.tokens == ["token-1"]
    # Asked twice (429, then the token) and searched once; the 429 was waited for at least
    # a second, though its Retry-After said 0.
    assert len(api.calls) == report.calls == 3
    assert api.calls[1] - api.calls[0] >= 1.0


def test_a_token_request_throttled_too_long_fails_the_harvest(db: Database) -> None:
    add_terminal(db, "gare-01", PARIS)
    time = FakeTime()
    api = FakeLaBonneBoite(time, {"D1102": bakeries(2)}, throttle_tokens=1, retry_after="3600")
    with fake_server(api) as server:
        report = harvest(server, db, time, romes=["D1102"])
    assert not report.complete
    assert "token request refused (429): retry after 3600 s" in report.errors[0]
    assert api.searches == [] and stored(db) == {}


def test_max_pages_caps_a_query(db: Database) -> None:
    add_terminal(db, "gare-01", PARIS)
    time = FakeTime()
    api = FakeLaBonneBoite(time, {"D1102": bakeries(250)})
    with fake_server(api) as server:
        report = harvest(server, db, time, romes=["D1102"], max_pages=2)
    assert report.complete and report.found == 200
    # The 200 most likely to hire were kept.
    assert min(stored(db).values()) == pytest.approx(5.0 - 199 * 0.01)


def test_a_firm_withdrawn_between_two_harvests_is_removed(db: Database) -> None:
    add_terminal(db, "gare-01", PARIS)
    time = FakeTime()
    firms = {"D1102": bakeries(5), "G1602": bakeries(2, "G1602")}
    api = FakeLaBonneBoite(time, firms)
    with fake_server(api) as server:
        assert harvest(server, db, time).found == 7
        gone = firms["D1102"].pop(2)
        firms["D1102"][0]["hiring_potential"] = 9.5
        again = harvest(server, db, time)
    assert again.complete and again.removed == 1
    now = stored(db)
    assert (gone["siret"], "D1102") not in now and len(now) == 6
    assert now[(firms["D1102"][0]["siret"], "D1102")] == 9.5  # the new potential


def test_an_incomplete_harvest_removes_nothing_and_says_why(db: Database) -> None:
    add_terminal(db, "gare-01", PARIS)
    time = FakeTime()
    firms = {"D1102": bakeries(5), "G1602": bakeries(2, "G1602")}
    api = FakeLaBonneBoite(time, firms)
    with fake_server(api) as server:
        harvest(server, db, time)
        firms["D1102"].pop(0)
        # Every search from now on answers 503: retried with backoff, then given up.
        api.fail_on = set(range(len(api.searches) + 1, len(api.searches) + 100))
        failed = harvest(server, db, time)
    assert not failed.complete and failed.removed == 0
    assert len(failed.errors) == 2 and "503" in failed.errors[0]
    assert len(stored(db)) == 7  # the firm gone from the API is still there
    assert [s for s in time.sleeps if s >= 2] == [2.0, 4.0, 8.0, 16.0, 32.0] * 2
    run = FirmStore(db, FakeClock()).last_run()
    assert run is not None and not run["complete"] and run["errors"] == 2
    assert "503" in run["error_text"][0]


def test_wrong_credentials_fail_the_harvest_without_echoing_the_secret(db: Database) -> None:
    add_terminal(db, "gare-01", PARIS)
    time = FakeTime()
    api = FakeLaBonneBoite(time, {"D1102": bakeries(2)})
    with fake_server(api) as server:
        report = harvest(server, db, time, client_secret="not-the-secret-42")
    assert not report.complete
    assert "invalid_client" in report.errors[0]
    assert all("not-the-secret-42" not in e for e in report.errors)
    assert stored(db) == {}


def test_a_refused_query_is_recorded_skipped_and_its_trade_kept(db: Database) -> None:
    add_terminal(db, "gare-01", PARIS)
    time = FakeTime()
    firms = {"D1102": bakeries(3), "G1602": bakeries(2, "G1602")}
    api = FakeLaBonneBoite(time, firms)
    with fake_server(api) as server:
        harvest(server, db, time)
        api.refuse_romes = {"G1602"}
        firms["D1102"].pop()
        report = harvest(server, db, time)
    assert report.complete and len(report.refused) == 1 and "422" in report.refused[0]
    assert report.removed == 1  # the bakery gone; the refused trade's firms are kept
    assert sum(1 for _, rome in stored(db) if rome == "G1602") == 2
    assert FirmStore(db, FakeClock()).last_run()["errors"] == 1  # type: ignore[index]


def test_nearby_terminals_share_one_search_and_the_distance_stays_within_200_km(
    db: Database,
) -> None:
    add_terminal(db, "gare-01", PARIS)
    add_terminal(db, "gare-02", (48.8530, 2.3690))  # 1 km away: the same search
    add_terminal(db, "lyon-01", LYON, radius_km=500)  # the API refuses beyond 200 km
    time = FakeTime()
    api = FakeLaBonneBoite(time, {"D1102": bakeries(1)})
    with fake_server(api) as server:
        report = harvest(server, db, time, romes=["D1102"])
    assert report.areas == 2 and report.queries == 2
    assert sorted(q["distance"] for _, q in api.searches) == ["200", "31"]


def test_merged_areas_hold_every_terminal() -> None:
    paris = Area(*PARIS, 30.0, ("a",))
    near = Area(48.8530, 2.3690, 30.0, ("b",))
    inside = Area(*PARIS, 5.0, ("c",))
    far = Area(48.40, 2.70, 30.0, ("d",))  # 55 km away: merging would widen too much
    areas = merge_areas([paris, near, inside, far])
    assert len(areas) == 2
    merged = next(a for a in areas if "a" in a.terminals)
    assert set(merged.terminals) == {"a", "b", "c"}
    assert merged.radius_km < 31.0


def _offer(db: Database, external_id: str, rome: str, where: tuple[float, float]) -> None:
    with db.write() as connection:
        seq = lock_counter(connection, OFFER_SEQ) + 1
        set_counter(connection, OFFER_SEQ, seq)
        connection.execute(
            insert(OfferRecord).values(
                source="francetravail",
                external_id=external_id,
                format="francetravail",
                title="Offre",
                raw=orjson.dumps({"id": external_id, "romeCode": rome}).decode(),
                content_hash="0" * 32,
                latitude=where[0],
                longitude=where[1],
                seq=seq,
                withdrawn=False,
                changed_at=0,
            )
        )


def test_auto_searches_the_trades_of_the_live_offers_of_each_area(db: Database) -> None:
    add_terminal(db, "gare-01", PARIS)
    for i in range(3):
        _offer(db, f"a{i}", "G1602", NEAR_PARIS)
    for i in range(2):
        _offer(db, f"b{i}", "D1102", NEAR_PARIS)
    _offer(db, "c0", "K2204", NEAR_PARIS)
    _offer(db, "lyon", "N1103", LYON)  # not in the area
    time = FakeTime()
    api = FakeLaBonneBoite(time, {"G1602": bakeries(1, "G1602")})
    with fake_server(api) as server:
        report = harvest(server, db, time, romes="auto", auto_romes=2)
    assert [q["rome"] for _, q in api.searches] == ["G1602", "D1102"]
    assert report.complete and report.found == 1


def test_the_section_is_checked_at_start_naming_the_key() -> None:
    for text, key in (
        ('[labonneboite]\nclient_id = "x"\n', "labonneboite.client_secret"),
        ('[labonneboite]\nclient_id = "x"\nclient_secret = "y"\nromes = ["bread"]\n', "romes"),
        ('[labonneboite]\nclient_id = "x"\nclient_secret = "y"\nromes = []\n', "romes"),
        ('[labonneboite]\nclient_id = "x"\nclient_secret = "y"\nmax_pages = 0\n', "max_pages"),
        ('[[sources]]\nkind = "jobposting"\nname = "spontaneous"\nurl = "https://a.b/"\n', "spon"),
    ):
        with pytest.raises(SettingsError, match=key):
            parse_hub_config(text, "hub.toml")
    config = parse_hub_config(
        '[labonneboite]\nclient_id = "x"\nclient_secret = "y"\nromes = ["D1102"]\n', "hub.toml"
    )
    assert config.labonneboite is not None and config.labonneboite.requests_per_s == 2.0


def test_the_scheduled_harvest_runs_when_due_and_not_again_after_a_restart(
    sqlite_database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hub.firms.harvest as harvest_module  # noqa: PLC0415

    hub: RunningHub = start_hub(sqlite_database, tmp_path, config=firms_config(refresh_hours=6))
    runs: list[float] = []

    def recorded(section: LaBonneBoiteSection, db: Database, clock: Any) -> HarvestReport:
        runs.append(clock())
        store = FirmStore(db, clock)
        run = store.start_run()
        store.finish_run(run, complete=True, queries=0, calls=0, found=0, errors=[])
        return HarvestReport(run=run, complete=True)

    monkeypatch.setattr(harvest_module, "harvest_firms", recorded)
    try:
        jobs = BackgroundJobs(hub.services, None, [], lambda *_: pytest.fail(), clock=hub.clock)
        jobs.firms_once()
        jobs.firms_once()
        assert len(runs) == 1
        hub.clock.advance(5 * 3600)
        restarted = BackgroundJobs(hub.services, None, [], lambda *_: pytest.fail(), hub.clock)
        assert restarted.firms_once() > 0 and len(runs) == 1  # due in an hour, not now
        hub.clock.advance(3600)
        restarted.firms_once()
        assert len(runs) == 2
    finally:
        hub.stop()


def test_the_command_harvests_and_reports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from hub.cli import main  # noqa: PLC0415
    from hub.settings import sqlite_url  # noqa: PLC0415

    database = open_database(sqlite_url(tmp_path / "hub.sqlite"))
    add_terminal(database, "gare-01", PARIS)
    database.dispose()
    time = FakeTime()
    api = FakeLaBonneBoite(time, {"D1102": bakeries(3)})
    with fake_server(api) as server:
        config = tmp_path / "hub.toml"
        config.write_text(
            "[labonneboite]\n"
            'client_id = "PAR_kiosk"\nclient_secret = "secret"\n'
            f'api_url = "{server.url}/v2"\ntoken_url = "{server.url}/token"\n'
            'romes = ["D1102"]\n'
        )
        folder = ["--config", str(config), "--data-dir", str(tmp_path)]
        assert main(["firms", "harvest", *folder]) == 0
        assert "3 firms × trades from 1 queries over 1 areas" in capsys.readouterr().out
        assert main(["firms", "status", "--json", *folder]) == 0
        status = orjson.loads(capsys.readouterr().out)
        assert status["count"] == 3 and status["last"]["complete"] is True
    assert main(["firms", "harvest", "--data-dir", str(tmp_path / "other")]) == 2
    assert "no [labonneboite] section" in capsys.readouterr().err


def test_old_harvest_records_are_purged_but_the_latest_ones(db: Database) -> None:
    store = FirmStore(db, FakeClock())
    day = 86400

    def run(started_at: int, complete: bool) -> int:
        with db.write() as connection:
            return int(
                connection.execute(
                    insert(FirmHarvest)
                    .values(started_at=started_at, finished_at=started_at + 60, complete=complete)
                    .returning(FirmHarvest.id)
                ).scalar_one()
            )

    def kept() -> list[int]:
        with db.read() as connection:
            return list(connection.scalars(select(FirmHarvest.id).order_by(FirmHarvest.id)))

    first, dated, last = run(1 * day, True), run(2 * day, True), run(3 * day, False)
    assert store.purge(older_than=100 * day) == 1
    assert first not in kept()
    # The latest complete harvest dates the terminals' firms; the latest shows on the fleet.
    assert kept() == [dated, last]
    recent = run(150 * day, False)
    assert store.purge(older_than=100 * day) == 1
    assert kept() == [dated, recent]
