"""A terminal process killed (SIGKILL) at five chosen moments of its work, then restarted on a
clean network: every confirmed application reaches the hub exactly once, the queue empties and
the offers cache ends sound and equal to the hub's (benchmarks/soak.py does the same at random
moments, many more times)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.soak_terminal import TerminalProcess
from hub.ingest import ingest_payload
from tests.conftest import ft_record
from tests.hub.conftest import RunningHub
from tests.sync.conftest import CONFIG, PARIS_01, listed
from tests.sync.faults import Fault, FaultProxy

pytestmark = pytest.mark.slow

APPLICATIONS = "/v1/applications/"
PAGE = 40  # offers and tombstones per feed page in the terminal: a pull takes a few pages


@pytest.fixture
def proxy(sqlite_hub: RunningHub) -> Iterator[FaultProxy]:
    with FaultProxy(sqlite_hub.url) as running:
        yield running


def _ingest(hub: RunningHub, prefix: str, count: int) -> set[str]:
    ids = [f"{prefix}{n:04d}" for n in range(count)]
    records = [ft_record(id=i) for i in ids]
    ingest_payload(hub.services.offers, {"resultats": records}, None, full_refresh=True)
    return set(ids)


def _rows(path: Path, query: str) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute(query).fetchall()
    finally:
        connection.close()


def test_applications_survive_kills_at_every_stage_of_their_delivery(
    sqlite_hub: RunningHub, proxy: FaultProxy, tmp_path: Path
) -> None:
    token = sqlite_hub.enrol(PARIS_01)
    hub_offers = _ingest(sqlite_hub, "A", 100)
    config = tmp_path / "kiosk.toml"
    config.write_text(
        CONFIG + f'\n[hub]\nurl = "{proxy.url}"\ntoken = "{token}"\n'
        f'public_key = "{sqlite_hub.services.keys.public_key}"\n',
        encoding="utf-8",
    )
    data, ledger = tmp_path / "terminal", tmp_path / "ledger.txt"
    options = ["--config", str(config), "--data-dir", str(data), "--ledger", str(ledger)]
    options += ["--page-limit", str(PAGE)]
    stderr = tmp_path / "terminal.log"

    def terminal(*extra: str) -> TerminalProcess:
        return TerminalProcess([*options, *extra], stderr)

    # 1. The first delivery is on its way, the hub has not seen it yet.
    proxy.plan(Fault.TIMEOUT, path=APPLICATIONS)
    with terminal("--submit", "2") as child:
        child.wait_for("submitted", 2)
        proxy.wait_for(Fault.TIMEOUT)
        assert child.kill() is None
    assert listed(sqlite_hub) == []

    # 2. The hub stored the oldest application; its answer never reached the terminal.
    proxy.plan(Fault.STALL, path=APPLICATIONS)
    with terminal("--submit", "2") as child:
        child.wait_for("submitted", 2)
        proxy.wait_for(Fault.STALL)
        assert child.kill() is None
    assert len(listed(sqlite_hub)) == 1

    # 3. Half-way through a feed that withdraws every offer and brings new ones.
    hub_offers = _ingest(sqlite_hub, "B", 100)
    proxy.plan(Fault.STALL, path="/v1/feed", after=2)
    with terminal("--submit", "2") as child:
        child.wait_for("submitted", 2)
        proxy.wait_for(Fault.STALL, 2)
        assert child.kill() is None

    # 4. Just confirmed on screen, the hub out of reach.
    proxy.down()
    with terminal("--submit", "2") as child:
        child.wait_for("submitted", 2)
        assert child.kill() is None
    proxy.up()

    # 5. Delivered, the answer lost, a retry waiting.
    proxy.plan(Fault.LOST, path=APPLICATIONS)
    with terminal("--submit", "2") as child:
        child.wait_for("submitted", 2)
        proxy.wait_for(Fault.LOST)
        assert child.kill() is None

    # Back on a clean network, an hour later (every backoff has run out).
    proxy.calm()
    with terminal("--until-drained", "--clock-offset", "3700") as child:
        assert child.wait(60) == 0
        assert child.lines[-2:] == ["drained parked=0", ""]

    confirmed = [line.split()[0] for line in ledger.read_text(encoding="ascii").splitlines()]
    assert len(confirmed) == len(set(confirmed)) == 10
    at_hub = listed(sqlite_hub)
    assert sorted(at_hub) == sorted(confirmed)  # none lost, none twice
    for name in ("outbox.sqlite", "offers.sqlite"):
        assert _rows(data / name, "PRAGMA integrity_check") == [("ok",)]
    assert _rows(data / "outbox.sqlite", "SELECT count(*) FROM applications") == [(0,)]
    offers = _rows(data / "offers.sqlite", "SELECT external_id FROM offers")
    assert {str(row[0]) for row in offers} == hub_offers
