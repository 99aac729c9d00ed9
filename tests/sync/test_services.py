"""The services corner travels from the hub to the terminal's cache in the sync round: a new
entry is there after one sync, a removed one gone after another, an unchanged list is not sent
again (304), and a hub without the services corner leaves the terminal's list as it was."""

from __future__ import annotations

from typing import Any

from kiosk.offline.services import ServiceEntry, ServicesCache, demo_services, parse_services
from kiosk.sync.hub import HubClient
from kiosk.sync.services import ServicesStep
from tests.hub.conftest import LYON, RunningHub
from tests.sync.conftest import TERMINAL_ID, Fault, Terminal, ingest

PIX = {
    "category": "digital",
    "title": "Pix",
    "text": "Tester ses compétences numériques.",
    "url": "https://pix.fr/",
    "languages": ["fr", "en"],
}
LYON_AGENCY = {
    "category": "agency",
    "title": "France Travail Lyon Part-Dieu",
    "text": "Lundi–vendredi 8 h 30 – 16 h 30. 3949.",
    "url": "https://www.francetravail.fr/",
    "area": {"label": "Lyon", "latitude": LYON[0], "longitude": LYON[1], "radius_km": 20},
}


def _titles(terminal: Terminal) -> list[str]:
    return [entry.title for entry in ServicesCache(terminal.store.engine).entries()]


def test_an_entry_reaches_the_cache_in_one_sync_and_leaves_in_another(
    sqlite_hub: RunningHub, terminal: Terminal
) -> None:
    hub = sqlite_hub
    token = hub.enrol(TERMINAL_ID)
    ingest(hub, ["100AAAA"])
    engine = terminal.engine(hub.url, token)
    changes: list[int] = []
    engine.on_services = lambda: changes.append(1)

    assert engine.run_once().errors == []
    assert _titles(terminal) == []  # the hub's list is empty: so is the terminal's
    assert changes == []  # as it was: nothing to tell the screen

    added = hub.admin.post("/v1/admin/services", json=PIX).json()
    hub.admin.post("/v1/admin/services", json=LYON_AGENCY)  # 390 km away: not for Paris
    changes.clear()
    report = engine.run_once()
    assert report.errors == [] and report.not_modified  # the offers did not change...
    (entry,) = ServicesCache(terminal.store.engine).entries()  # ...the services did
    assert entry == ServiceEntry(
        added["id"], "digital", "Pix", PIX["text"], PIX["url"], ("fr", "en")
    )
    assert changes  # the screen is told

    # Nothing changed at the hub: the list is not sent again.
    changes.clear()
    assert engine.run_once().errors == []
    assert changes == []
    cache = ServicesCache(terminal.store.engine)
    assert HubClient(hub.url, token).get_services(cache.etag()) is None

    assert hub.admin.delete(f"/v1/admin/services/{added['id']}").status_code == 204
    assert engine.run_once().errors == []
    assert _titles(terminal) == [] and changes == [1]


def test_the_list_survives_a_restart_offline(
    sqlite_hub: RunningHub, terminal: Terminal, fault_server: tuple[str, Fault]
) -> None:
    hub = sqlite_hub
    token = hub.enrol(TERMINAL_ID)
    hub.admin.post("/v1/admin/services", json=PIX)
    terminal.engine(hub.url, token).run_once()
    # The hub is gone (503 to everything): the terminal keeps and shows what it has.
    url, fault = fault_server
    report = terminal.engine(url, token).run_once()
    assert report.errors
    assert _titles(terminal) == ["Pix"]
    # A hub older than the services corner (404): the list is kept, and it is no error.
    fault.status = 404
    step = ServicesStep(ServicesCache(terminal.store.engine))
    pulled = step.run(HubClient(url, token))
    assert pulled.error is None and not pulled.changed
    assert _titles(terminal) == ["Pix"]


def test_the_demo_list_is_real_and_a_hub_list_replaces_it(
    sqlite_hub: RunningHub, terminal: Terminal
) -> None:
    cache = ServicesCache(terminal.store.engine)
    assert cache.seed_demo() == len(demo_services()) >= 8
    demo = cache.entries()
    assert {e.category for e in demo} == {"choose_trade", "train", "prepare", "digital", "agency"}
    assert all(e.url.startswith("https://") and ".example" not in e.url for e in demo)
    assert cache.seed_demo() == 0  # once
    hub = sqlite_hub
    token = hub.enrol(TERMINAL_ID)
    hub.admin.post("/v1/admin/services", json=PIX)
    terminal.engine(hub.url, token).run_once()
    assert _titles(terminal) == ["Pix"]
    hub.admin.delete("/v1/admin/services/1")
    terminal.engine(hub.url, token).run_once()
    assert cache.entries() == [] and cache.seed_demo() == 0  # the hub's empty list stands


def test_entries_a_terminal_cannot_show_are_left_out_one_by_one() -> None:
    good: dict[str, Any] = {"id": 1, **PIX}
    entries, rejected = parse_services(
        {
            "services": [
                good,
                good | {"id": 2, "category": "unknown"},
                good | {"id": 3, "url": "javascript:alert(1)"},
                good | {"id": 4, "title": "  "},
                good | {"id": True},
                "not an entry",
                good | {"id": 5, "languages": None},
            ],
            "version": "x",
        }
    )
    assert [e.id for e in entries] == [1] and rejected == 6
