"""UI fixtures: a seeded offers cache, the kiosk built offscreen, and touch helpers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtQml import QQmlProperty
from PySide6.QtQuick import QQuickItem, QQuickWindow
from PySide6.QtTest import QTest

from kiosk import i18n
from kiosk.config import Settings, parse_config
from kiosk.offline.db import open_offers_database
from kiosk.offline.offers import OfferStore
from kiosk.ui.app import Kiosk, ManualClock, build_kiosk, prepare_environment, settle
from kiosk.ui.refcounts import pin
from kiosk.ui.scrolling import ensure_visible
from tests.conftest import ORIGIN, ft_record
from tests.hub.conftest import (  # noqa: F401 (fixtures: a real hub for the sync tests)
    sqlite_database,
    sqlite_hub,
    sqlite_template,
)

# Before any QGuiApplication exists: the embedded keyboard, offscreen software rendering.
prepare_environment(headless=True)

# PySide6 6.12 on CPython 3.11: QEventLoop.exec, QCoreApplication.processEvents and
# QTest.qWait each release a reference to None they never took (test_pyside_canary.py measures
# it). pytest-qt's waits call them every 10 ms, and CPython aborts ("none_dealloc") when None's
# count reaches zero, so a long UI session would crash at random. Until PySide is fixed, the
# test process holds a million extra references. The kiosk itself is not exposed: its event
# loop runs once in app.exec(), and its own waits use QEventLoop.processEvents, which is sound.
NONE_REFERENCES = [None] * 1_000_000
pin(NONE_REFERENCES)  # never freed: at exit they make up for the dropped ones

TODAY = datetime.now(UTC).replace(microsecond=0)

CONFIG = """\
[terminal]
id = "test-terminal"
name = "Test terminal"

[location]
latitude = 48.8443
longitude = 2.3744
label = "Paris Gare de Lyon"
radius_km = 30

[idle]
warning_after_s = 60
countdown_s = 25

[audio]
engine = "mock"    # Qt's engine that speaks nothing; the guide's transcript is what it said
attract_hint_s = 0
"""


class FakeChime:
    """Counts the chimes instead of playing them (the test machine has no audio output)."""

    def __init__(self) -> None:
        self.played = 0

    def play(self) -> None:
        self.played += 1


def _iso(days_ago: int) -> str:
    return (TODAY - timedelta(days=days_ago)).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def seed_records() -> list[dict[str, Any]]:
    """60 offers around the terminal: waiters on permanent and fixed-term contracts, cooks,
    sellers and cleaners at growing distances, one of them accessible, some part time."""
    trades = [
        ("Serveur / Serveuse en restauration (H/F)", "LE BISTROT DU QUAI"),
        ("Cuisinier / Cuisinière (H/F)", "BRASSERIE DE LYON"),
        ("Vendeur / Vendeuse en boulangerie (H/F)", None),
        ("Agent / Agente de propreté (H/F)", "NETTOYAGE EXPRESS"),
    ]
    records = []
    for i in range(60):
        title, company = trades[i % len(trades)]
        contract = "CDI" if i % 3 else "CDD"
        records.append(
            ft_record(
                id=f"T{i:03d}",
                intitule=title,
                appellationlibelle=title.removesuffix(" (H/F)"),
                romeLibelle=title.removesuffix(" (H/F)"),
                entreprise={"nom": company} if company else {},
                typeContrat=contract,
                typeContratLibelle="CDI" if contract == "CDI" else "CDD - 6 Mois",
                dateCreation=_iso(i % 20),
                dureeTravailLibelleConverti="Temps partiel" if i % 5 == 0 else "Temps plein",
                accessibleTH=i == 7,
                lieuTravail={
                    "libelle": "75 - PARIS 12",
                    "latitude": ORIGIN.latitude + 0.002 * (i + 1),
                    "longitude": ORIGIN.longitude,
                    "codePostal": "75012",
                    "commune": "75112",
                },
            )
        )
    return records


@pytest.fixture(scope="session", autouse=True)
def compiled_translations() -> None:
    """The .qm files, as scripts/setup builds them (they are not committed)."""
    i18n.build()


@pytest.fixture
def ui_settings(tmp_path: Path) -> Settings:
    return Settings(
        config=parse_config(CONFIG, "test configuration"),
        source="test configuration",
        data_dir=tmp_path,
        demo=False,
    )


@pytest.fixture
def seeded_store(ui_settings: Settings) -> Iterator[OfferStore]:
    """The terminal's cache with the seed offers (the kiosk opens it again by itself)."""
    from kiosk.formats import parse_payload  # noqa: PLC0415

    engine = open_offers_database(ui_settings.offers_db)
    store = OfferStore(engine, ui_settings.config.origin)
    store.ensure_origin()
    store.import_records(parse_payload({"resultats": seed_records()}, "test"))
    yield store
    engine.dispose()


@pytest.fixture
def idle_clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def chime() -> FakeChime:
    return FakeChime()


@pytest.fixture
def kiosk(
    qtbot: Any,
    ui_settings: Settings,
    seeded_store: OfferStore,
    idle_clock: ManualClock,
    chime: FakeChime,
) -> Iterator[Kiosk]:
    """The real kiosk window, portrait 1080×1920, offscreen, with its data on screen."""
    built = build_kiosk(ui_settings, size=(1080, 1920), idle_clock=idle_clock, sound=chime)
    try:
        qtbot.waitExposed(built.window)
        qtbot.waitUntil(lambda: built.attract.offer_count() is not None)
        qtbot.waitUntil(lambda: built.results.rowCount() > 0)
        yield built
    finally:
        built.shutdown()


# -- finding and touching items ---------------------------------------------------------------


def items(window: QQuickWindow) -> Iterator[QQuickItem]:
    """Every item of the window's scene, parents first (delegates included: they are not
    QObject children of the view, only items of its content)."""
    stack = [window.contentItem()]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.childItems()))


def find_item(window: QQuickWindow, name: str) -> QQuickItem | None:
    """The first item called `name` (objectName) in the scene, or None."""
    return next((i for i in items(window) if i.objectName() == name), None)


def item(window: QQuickWindow, name: str) -> QQuickItem:
    """The item called `name` (objectName) in the window."""
    found = find_item(window, name)
    assert found is not None, f"no item called {name}"
    return found


def centre(target: QQuickItem) -> QPoint:
    """The centre of `target` in window coordinates."""
    return target.mapToScene(QPointF(target.width() / 2, target.height() / 2)).toPoint()


def shown(target: QQuickItem) -> bool:
    """Whether `target` is visible on screen (itself and its ancestors)."""
    return target.isVisible() and target.opacity() > 0


def laid_out(window: QQuickWindow) -> None:
    """Wait for the window's next frame. Positioners and layouts place their children when the
    window is polished, just before it draws, so a position or size read sooner (right after
    something became visible, moved or changed its text) may still be the old one."""
    settle(window, frames=1)


def tap_at(window: QQuickWindow, point: QPoint) -> None:
    """A finger's tap: press and release at the same place."""
    QTest.mousePress(window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
    QTest.mouseRelease(window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)


def tap(window: QQuickWindow, name: str) -> None:
    """Tap the item called `name` at its centre, scrolled into view first as a finger would;
    it must be visible. As for a finger, the tap goes where the window has drawn the item:
    after its next frame, once its layouts have placed it."""
    laid_out(window)
    target = item(window, name)
    assert shown(target), f"{name} is not visible"
    ensure_visible(target)
    tap_at(window, centre(target))


def keyboard_keys(window: QQuickWindow) -> dict[str, QQuickItem]:
    """The visible keys of the on-screen keyboard by the character they type."""
    keys: dict[str, QQuickItem] = {}
    stack = list(item(window, "keyboard").childItems())
    while stack:
        current = stack.pop()
        stack.extend(current.childItems())
        # (QQmlProperty, not metaObject(): PySide keeps a QML type's meta-object wrapper after
        # the type is gone, and hands it back for an item made later at the same address.)
        if (
            QQmlProperty(current, "key").isValid()
            and QQmlProperty(current, "text").isValid()
            and current.isVisible()
            and current.width() > 0
        ):
            text = current.property("text")
            if isinstance(text, str) and text:
                keys.setdefault(text, current)
    return keys
