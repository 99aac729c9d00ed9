"""Firms near here travel from the hub to the terminal's cache in the sync round: the list is
there after one sync, a firm withdrawn at the hub is gone after the next, an unchanged list is
not sent again (304), and a hub that fails, answers nonsense or predates the firms leaves the
terminal's list as it was, with nothing personal in the log."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import delete

from hub.models import Firm
from kiosk.offline.firms import FirmsCache
from kiosk.sync.firms import FirmsStep
from kiosk.sync.hub import HubClient
from tests.conftest import ORIGIN
from tests.hub.conftest import RunningHub, start_hub
from tests.hub.firms_seed import firms_config, seed_firms, spontaneous_organisation
from tests.sync.conftest import TERMINAL_ID, Fault, Terminal


@pytest.fixture
def firms_hub(sqlite_database: str, tmp_path: Path) -> Iterator[RunningHub]:
    """The hub with a `[labonneboite]` section (never called: its firms are seeded)."""
    running = start_hub(sqlite_database, tmp_path / "hub", config=firms_config())
    yield running
    running.stop()


def _cache(terminal: Terminal) -> FirmsCache:
    return FirmsCache(terminal.store.engine, ORIGIN)


def _names(terminal: Terminal) -> list[str]:
    return sorted(
        n.firm.name for n in _cache(terminal).for_family("D") + _cache(terminal).for_family("G")
    )


def test_the_firms_reach_the_cache_in_one_sync_and_a_withdrawn_one_leaves(
    firms_hub: RunningHub, terminal: Terminal
) -> None:
    hub = firms_hub
    token = hub.enrol(TERMINAL_ID)
    engine = terminal.engine(hub.url, token)
    changes: list[int] = []
    engine.on_firms = lambda: changes.append(1)

    assert engine.run_once().errors == []
    assert _cache(terminal).count() == 0 and changes == []  # none yet: as it was

    seed_firms(hub.services.db)
    report = engine.run_once()
    assert report.errors == [] and report.not_modified  # the offers did not change...
    cache = _cache(terminal)
    # ...the firms did: those of the Paris area (not the one in Lyon), with the hub's labels.
    assert _names(terminal) == ["Boulangerie Martin", "Brasserie du Lion", "Supermarché Bercy"]
    (martin,) = cache.for_rome("D1102")
    assert martin.key == "12345678900012.D1102"
    assert martin.trade.label == "Boulangerie - viennoiserie" and martin.trade.high
    assert martin.firm.headcount_min == 10 and martin.firm.city == "Paris"
    assert [t.rome for t in cache.for_rome("D1106")[0].firm.trades] == ["D1106"]
    assert not cache.spontaneous()  # no organisation takes them: no button on screen
    assert changes == [1]

    # Nothing changed at the hub: the list is not sent again.
    changes.clear()
    assert engine.run_once().errors == [] and changes == []
    assert HubClient(hub.url, token).get_firms(cache.etag()) is None

    # The operator designates an organisation: the terminal learns it at its next sync.
    spontaneous_organisation(hub)
    assert engine.run_once().errors == []
    assert cache.spontaneous() and changes == [1]

    # La Bonne Boîte withdrew the brasserie: gone from the terminal after the next harvest.
    with hub.services.db.write() as connection:
        connection.execute(delete(Firm).where(Firm.siret == "98765432100034"))
    seed_firms(hub.services.db, [], at=1_795_100_000)  # a new complete harvest
    changes.clear()
    assert engine.run_once().errors == []
    assert _names(terminal) == ["Boulangerie Martin", "Supermarché Bercy"]
    assert cache.for_family("G") == [] and changes == [1]


def test_a_failing_or_older_hub_leaves_the_list_held(
    firms_hub: RunningHub,
    terminal: Terminal,
    fault_server: tuple[str, Fault],
    caplog: pytest.LogCaptureFixture,
) -> None:
    hub = firms_hub
    token = hub.enrol(TERMINAL_ID)
    seed_firms(hub.services.db)
    spontaneous_organisation(hub)
    terminal.engine(hub.url, token).run_once()
    cache = _cache(terminal)
    assert cache.count() == 3 and cache.spontaneous()

    url, fault = fault_server
    step = FirmsStep(cache)
    # The hub is down (503, asking for a wait): kept, the error reported with its wait.
    fault.headers = {"Retry-After": "120"}
    pulled = step.run(HubClient(url, token))
    assert pulled.error is not None and "503" in pulled.error and pulled.retry_after_s == 120
    assert cache.count() == 3 and cache.spontaneous()
    # A hub from before the firms (404): kept, and no error.
    fault.status, fault.headers = 404, {}
    pulled = step.run(HubClient(url, token))
    assert pulled.error is None and not pulled.changed
    # A 200 that is no firms list (the fault server's error body): kept, reported.
    fault.status = 200
    with caplog.at_level(logging.INFO, logger="kiosk.sync"):
        pulled = step.run(HubClient(url, token))
    assert pulled.error == "firms: the firms answer has no `firms` list"
    assert cache.count() == 3 and cache.spontaneous()
    # And the whole round goes on to the heartbeat: the offers still sync.
    fault.status = 503
    report = terminal.engine(url, token).run_once()
    assert report.errors and cache.count() == 3
    # Firms are public, but the log names none of them anyway (nor any person: none here).
    assert "Boulangerie" not in caplog.text and "12345678900012" not in caplog.text
