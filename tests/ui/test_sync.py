"""The kiosk syncing on its own thread: offers arrive from a real hub on 127.0.0.1 while the
passer-by keeps their place, the offline banner, and sync in the operator's panel."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Q_ARG, QMetaObject

from hub.ingest import ingest_payload
from kiosk.config import Settings, parse_config
from kiosk.ui.app import Kiosk, build_kiosk, settle
from tests.conftest import ORIGIN, ft_record
from tests.hub.conftest import RunningHub
from tests.ui.conftest import CONFIG, FakeChime, centre, item, seed_records, shown, tap

TERMINAL_ID = "test-terminal"


def _settings(data_dir: Path, url: str, token: str, public_key: str) -> Settings:
    hub = f'\n[hub]\nurl = "{url}"\ntoken = "{token}"\npublic_key = "{public_key}"\n'
    data_dir.mkdir(exist_ok=True)
    return Settings(parse_config(CONFIG + hub, "test"), "test", data_dir, demo=False)


def _ingest(hub: RunningHub, records: list[dict[str, Any]], full_refresh: bool = False) -> None:
    ingest_payload(hub.services.offers, {"resultats": records}, None, full_refresh)


@pytest.fixture
def synced(qtbot: Any, sqlite_hub: RunningHub, tmp_path: Path) -> Iterator[Kiosk]:
    """A kiosk with an empty cache, pointed at a hub that holds the seed offers."""
    _ingest(sqlite_hub, seed_records())
    token = sqlite_hub.enrol(TERMINAL_ID)
    settings = _settings(
        tmp_path / "terminal", sqlite_hub.url, token, sqlite_hub.services.keys.public_key
    )
    built = build_kiosk(settings, size=(1080, 1920), sound=FakeChime())
    try:
        qtbot.waitExposed(built.window)
        yield built
    finally:
        built.shutdown()


def _top_row(kiosk: Kiosk) -> int:
    """The model row of the card at the top of the list on screen."""
    view = item(kiosk.window, "offerList")
    row = view.indexAt(view.width() / 2, view.property("contentY") + 10)
    assert isinstance(row, int) and row >= 0
    return row


def test_offers_arrive_from_the_hub_and_the_list_keeps_its_place(
    qtbot: Any, synced: Kiosk, sqlite_hub: RunningHub
) -> None:
    kiosk = synced
    # The first round runs by itself after the first frame: the 60 offers fill the list.
    qtbot.waitUntil(lambda: kiosk.results.total_count() == 60, timeout=20_000)
    kiosk.session.wake()
    view = item(kiosk.window, "offerList")
    QMetaObject.invokeMethod(
        view,
        "positionViewAtIndex",
        Q_ARG(int, 20),
        Q_ARG(int, 0),  # ListView.Beginning
    )
    qtbot.waitUntil(lambda: _top_row(kiosk) == 20)
    top = kiosk.results.summary(20)
    assert top is not None
    # At the hub: a new offer right by the terminal (first in the list, above the screen) and
    # the farthest one withdrawn. The operator's "sync now" (or the next round) brings them.
    near = ft_record(
        id="NEW1",
        intitule="Plongeur / Plongeuse (H/F)",
        lieuTravail={
            "libelle": "75 - PARIS 12",
            "latitude": ORIGIN.latitude,
            "longitude": ORIGIN.longitude,
            "codePostal": "75012",
            "commune": "75112",
        },
    )
    records = seed_records()
    _ingest(sqlite_hub, [near, *records[:-1]], full_refresh=True)
    kiosk.sync.syncNow()
    qtbot.waitUntil(
        lambda: (
            kiosk.results.summary(0) is not None
            and kiosk.results.summary(0).title.startswith("Plongeur")
        ),
        timeout=20_000,
    )
    assert kiosk.results.total_count() == 60
    # The same offer is still at the top of the screen: the list moved its rows, not the view.
    qtbot.waitUntil(lambda: kiosk.results.summary(_top_row(kiosk)) == top)


def test_an_open_offer_stays_open_when_the_hub_withdraws_it(
    qtbot: Any, synced: Kiosk, sqlite_hub: RunningHub
) -> None:
    kiosk = synced
    qtbot.waitUntil(lambda: kiosk.results.total_count() == 60, timeout=20_000)
    kiosk.session.wake()
    opened = kiosk.results.summary(0)
    assert opened is not None
    kiosk.navigator.openOffer(opened.id)
    title = kiosk.detail.property("title")
    _ingest(sqlite_hub, seed_records()[1:], full_refresh=True)  # the first offer withdrawn
    kiosk.sync.syncNow()
    qtbot.waitUntil(lambda: kiosk.results.total_count() == 59, timeout=20_000)
    assert kiosk.navigator.property("page") == "detail"
    assert kiosk.detail.property("title") == title
    assert item(kiosk.window, "detailScreen").isVisible()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_without_network_the_banner_says_how_old_the_offers_are(
    qtbot: Any, tmp_path: Path, seeded_store: Any
) -> None:
    settings = _settings(tmp_path, f"http://127.0.0.1:{_closed_port()}", "kt_x", "")
    settings = Settings(
        settings.config.model_copy(
            update={"hub": settings.config.hub.model_copy(update={"public_key": None})}
        ),
        "test",
        tmp_path,
        demo=False,
    )
    kiosk = build_kiosk(settings, size=(1080, 1920), sound=FakeChime())
    try:
        qtbot.waitExposed(kiosk.window)
        attract_text = item(kiosk.window, "attractOffline")
        qtbot.waitUntil(attract_text.isVisible, timeout=20_000)
        assert "Pas de réseau." in attract_text.property("text")
        assert "votre candidature partira" in attract_text.property("text")
        kiosk.session.wake()
        banner = item(kiosk.window, "offlineBanner")
        assert banner.isVisible() and banner.height() > 0
        kiosk.language.setLanguage("en")
        qtbot.waitUntil(lambda: "No network." in item(kiosk.window, "offlineText").property("text"))
        # The list sits under the banner, not behind it.
        screen = item(kiosk.window, "browseScreen")
        assert screen.mapToScene(screen.position()).y() >= banner.mapToScene(banner.position()).y()
    finally:
        kiosk.shutdown()


def _settled(window: Any, name: str) -> bool:
    """Whether item `name` stays where it is over the next frames."""
    before = centre(item(window, name))
    settle(window, 2)
    return centre(item(window, name)) == before


def test_offers_opened_on_screen_reach_the_hub_as_anonymous_views(
    qtbot: Any, synced: Kiosk, sqlite_hub: RunningHub
) -> None:
    kiosk = synced
    window = kiosk.window
    qtbot.waitUntil(lambda: kiosk.results.total_count() == 60, timeout=20_000)
    # The first round over (the banner and the list settled), a passer-by's first touch.
    qtbot.waitUntil(lambda: not kiosk.sync.property("syncing"), timeout=20_000)
    tap(window, "attractScreen")
    qtbot.waitUntil(lambda: not shown(item(window, "attractScreen")))
    qtbot.waitUntil(lambda: _settled(window, "offerCard-0"))  # the list slides into place
    first = kiosk.results.summary(0)
    assert first is not None
    for _ in range(2):  # tapped, back to the list, tapped again: two views
        tap(window, "offerCard-0")
        qtbot.waitUntil(lambda: kiosk.navigator.property("page") == "detail")
        tap(window, "backButton")
        qtbot.waitUntil(lambda: kiosk.navigator.property("page") == "browse")
    offer = kiosk.store.get(first.id)
    assert offer is not None
    assert kiosk.usage.offer_views.pending() == 1
    kiosk.sync.syncNow()  # its heartbeat carries them; once acknowledged they are forgotten
    qtbot.waitUntil(lambda: kiosk.usage.offer_views.pending() == 0, timeout=20_000)
    figures = sqlite_hub.services.funnel.terminal(TERMINAL_ID)
    assert figures.views == 2
    report = sqlite_hub.services.funnel.report()
    assert [(r.key, r.views) for r in report.offers] == [((offer.source, offer.external_id), 2)]
