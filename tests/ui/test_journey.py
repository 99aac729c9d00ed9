"""The journey on the real window: attract → search "serveur" → CDI → offer + QR → back → idle."""

from __future__ import annotations

from typing import Any

import pytest
import zxingcpp
from PySide6.QtCore import QCoreApplication, QPointF, Qt
from PySide6.QtGui import QGuiApplication, QInputMethodEvent
from PySide6.QtTest import QTest

from kiosk.ui.app import Kiosk, ManualClock
from tests.ui.conftest import (
    FakeChime,
    centre,
    find_item,
    item,
    keyboard_keys,
    laid_out,
    shown,
    tap,
    tap_at,
)

pytestmark = pytest.mark.ui


def test_passer_by_journey(
    qtbot: Any, kiosk: Kiosk, idle_clock: ManualClock, chime: FakeChime
) -> None:
    window = kiosk.window
    attract = item(window, "attractScreen")
    assert shown(attract)
    qtbot.waitUntil(lambda: "60" in item(window, "nearbyText").property("text"))

    # The first touch lands where the first offer card lies behind the attract screen (near
    # its start edge: in the lower layout its centre is behind the attract screen's own
    # switches): it wakes the terminal and presses nothing behind. (Where the list has placed
    # its cards, once it has drawn them.)
    laid_out(window)
    first_card = item(window, "offerCard-0")
    tap_at(window, first_card.mapToScene(QPointF(20, first_card.height() / 2)).toPoint())
    qtbot.waitUntil(lambda: not shown(attract))
    assert kiosk.navigator.page == "browse"
    assert not shown(item(window, "detailScreen"))
    assert not item(window, "searchField").hasActiveFocus()

    # Type "serveur" on the embedded keyboard.
    tap(window, "searchField")
    keyboard = item(window, "keyboard")
    qtbot.waitUntil(lambda: keyboard.property("active") is True)
    qtbot.waitUntil(lambda: "s" in keyboard_keys(window))
    for letter in "serveur":
        laid_out(window)  # the key where it is drawn (the keyboard may relayout as one types)
        key = keyboard_keys(window)[letter]
        tap_at(window, centre(key))
    qtbot.waitUntil(lambda: item(window, "searchField").property("text") == "serveur")
    assert kiosk.browse.text == "serveur"
    qtbot.waitUntil(lambda: kiosk.results.query.text == "serveur")
    qtbot.waitUntil(lambda: not kiosk.results.is_loading() and kiosk.results.total_count() == 15)
    assert item(window, "resultSummary").property("text") == "15 offres"

    # Filter on permanent contracts with the CDI chip, in the filter panel (portrait), whose
    # button back to the list says how many offers it now holds.
    tap(window, "filtersButton")
    qtbot.waitUntil(lambda: shown(item(window, "filterPanel")))
    tap(window, "chip-contract-CDI")
    qtbot.waitUntil(lambda: kiosk.results.total_count() == 10 and not kiosk.results.is_loading())
    assert item(window, "chip-contract-CDI").property("checked") is True
    qtbot.waitUntil(
        lambda: item(window, "filterPanelDone").property("text") == "Afficher 10 offres"
    )
    tap(window, "filterPanelDone")
    qtbot.waitUntil(lambda: not shown(item(window, "filterPanel")))
    # The filter in use stays in sight above the list, removable with one tap.
    assert shown(item(window, "inUse-contract-CDI"))
    for row in range(kiosk.results.rowCount()):
        summary = kiosk.results.summary(row)
        assert summary is not None
        assert summary.contract_code == "CDI"
        assert "Serveur" in summary.title
    qtbot.waitUntil(lambda: item(window, "offerCard-0").property("contract") == "CDI")

    # Open the first offer: its QR code, read off the rendered screen, is the offer's URL.
    first = kiosk.results.summary(0)
    assert first is not None
    if kiosk.browse.text:  # the keyboard covers the lower cards: hide it as a finger would
        tap(window, "resultSummary")
    tap(window, "offerCard-0")
    qtbot.waitUntil(lambda: kiosk.navigator.page == "detail")
    qtbot.waitUntil(lambda: shown(item(window, "detailScreen")))
    assert keyboard.property("active") is False  # nothing to type on an offer
    qr_image = item(window, "offerQrImage")
    qtbot.waitUntil(lambda: qr_image.property("progress") == 1.0 and qr_image.implicitWidth() > 0)
    offer = kiosk.store.get(first.id)
    assert offer is not None
    assert item(window, "offerTitle").property("text") == offer.title
    shot = window.grabWindow()
    codes = zxingcpp.read_barcodes(shot)
    assert [code.text for code in codes] == [offer.offer_url]

    # Back: the list as it was left.
    tap(window, "backButton")
    qtbot.waitUntil(lambda: kiosk.navigator.page == "browse")
    assert item(window, "searchField").property("text") == "serveur"
    assert kiosk.results.total_count() == 10
    assert keyboard.property("active") is False  # until the person taps the field again

    # Nobody touches the screen: the warning, its countdown and its chime.
    idle_clock.advance(kiosk.monitor.warning_after_s)
    qtbot.waitUntil(lambda: shown(item(window, "idleWarning")))
    assert chime.played == 1
    qtbot.waitUntil(lambda: item(window, "idleCountdown").property("text") == "25 secondes")

    # Still nobody: everything typed and chosen is wiped, the attract screen is back.
    idle_clock.advance(kiosk.monitor.countdown_s)
    qtbot.waitUntil(lambda: shown(attract))
    assert not shown(item(window, "idleWarning"))
    assert kiosk.browse.text == ""
    assert item(window, "searchField").property("text") == ""
    assert not kiosk.browse.filters.active
    qtbot.waitUntil(lambda: find_item(window, "inUse-contract-CDI") is None)
    assert not kiosk.browse.is_panel_open()
    assert keyboard.property("active") is False
    qtbot.waitUntil(lambda: kiosk.results.total_count() == 60)
    offer_list = item(window, "offerList")
    qtbot.waitUntil(  # (the list places its rows, and its origin, when it is next polished)
        lambda: offer_list.property("contentY") == pytest.approx(offer_list.property("originY"))
    )


def test_one_tap_on_the_warning_extends(qtbot: Any, kiosk: Kiosk, idle_clock: ManualClock) -> None:
    window = kiosk.window
    tap(window, "attractScreen")
    qtbot.waitUntil(kiosk.session.is_active)
    for extension in range(1, 12):  # WCAG 2.2.1: at least ten extensions
        idle_clock.advance(kiosk.monitor.warning_after_s)
        qtbot.waitUntil(lambda: shown(item(window, "idleWarning")))
        tap(window, "idleWarning")
        qtbot.waitUntil(lambda: not shown(item(window, "idleWarning")))
        assert kiosk.monitor.extensions == extension
    assert kiosk.session.is_active()
    assert kiosk.navigator.page == "browse"


def test_keys_typed_count_as_activity(qtbot: Any, kiosk: Kiosk, idle_clock: ManualClock) -> None:
    window = kiosk.window
    tap(window, "attractScreen")
    qtbot.waitUntil(kiosk.session.is_active)
    tap(window, "searchField")
    qtbot.waitUntil(lambda: item(window, "searchField").hasActiveFocus())
    # A hardware key and a commit from the input method both count.
    idle_clock.advance(kiosk.monitor.warning_after_s - 1)
    QTest.keyClick(window, Qt.Key.Key_C)
    qtbot.waitUntil(lambda: kiosk.browse.text == "c")
    idle_clock.advance(kiosk.monitor.warning_after_s - 1)
    commit = QInputMethodEvent()
    commit.setCommitString("u")
    focus = QGuiApplication.focusObject()
    assert focus is not None
    QCoreApplication.sendEvent(focus, commit)
    qtbot.waitUntil(lambda: kiosk.browse.text == "cu")
    idle_clock.advance(2)
    kiosk.monitor.check()
    assert not kiosk.monitor.is_warning()


def test_language_switch_from_the_corner_retranslates(qtbot: Any, kiosk: Kiosk) -> None:
    window = kiosk.window
    tap(window, "attractScreen")
    qtbot.waitUntil(kiosk.session.is_active)
    assert item(window, "resultSummary").property("text") == "60 offres"
    tap(window, "lang-en")
    qtbot.waitUntil(lambda: item(window, "resultSummary").property("text") == "60 offers")
    assert item(window, "homeButton").property("text") == "Home"
    tap(window, "lang-ar")
    qtbot.waitUntil(lambda: kiosk.language.language == "ar")
    assert window.contentItem().property("LayoutMirroring.enabled") in (True, None)
    home, french = item(window, "homeButton"), item(window, "lang-fr")
    # Mirrored: home sits at the right edge, the language buttons on the left (once the rows
    # have placed them again, when the window is next polished).
    qtbot.waitUntil(lambda: centre(home).x() > window.width() / 2 > centre(french).x())
    assert item(window, "resultSummary").property("text") == "60 عرضًا"


def test_large_text_and_contrast_switches(qtbot: Any, kiosk: Kiosk) -> None:
    window = kiosk.window
    tap(window, "attractScreen")
    qtbot.waitUntil(kiosk.session.is_active)
    body = kiosk.theme.fontBody
    tap(window, "largeTextSwitch")
    qtbot.waitUntil(lambda: kiosk.theme.largeText)
    assert kiosk.theme.fontBody > body
    assert item(window, "largeTextSwitch").property("checked") is True
    tap(window, "contrastSwitch")
    qtbot.waitUntil(lambda: kiosk.theme.highContrast)
    assert window.color().name() == "#000000"
    kiosk.session.end()
    assert not kiosk.theme.largeText and not kiosk.theme.highContrast


def test_every_button_is_at_least_20_mm(qtbot: Any, kiosk: Kiosk) -> None:
    window = kiosk.window
    tap(window, "attractScreen")
    qtbot.waitUntil(kiosk.session.is_active)
    minimum = kiosk.theme.target
    assert minimum >= 20 * kiosk.theme.pxPerMm
    tap(window, "filtersButton")
    qtbot.waitUntil(lambda: shown(item(window, "filterPanel")))
    names = ["homeButton", "largeTextSwitch", "contrastSwitch", "lang-fr", "finishButton"]
    names += ["filtersButton", "chip-contract-CDI", "chip-distance-10", "filterPanelDone"]
    for name in names:
        button = item(window, name)
        assert button.width() >= minimum and button.height() >= minimum, name


@pytest.mark.parametrize("size", [(1920, 1080)])
def test_landscape_layout(qtbot: Any, kiosk: Kiosk, size: tuple[int, int]) -> None:
    window = kiosk.window
    window.resize(*size)
    qtbot.waitUntil(lambda: not kiosk.theme.portrait)
    tap(window, "attractScreen")
    qtbot.waitUntil(kiosk.session.is_active)
    laid_out(window)  # the new width's layout, as drawn
    search, card = item(window, "searchField"), item(window, "offerCard-0")
    # Search and filters on one side, the list beside them.
    assert centre(card).x() > centre(search).x()
    assert card.width() > window.width() * 0.5
    assert shown(item(window, "filterColumn"))
    assert find_item(window, "filtersButton") is None  # every filter in sight: no panel
    # Every chip in the column within its width: wrapped, never a sideways strip.
    column = item(window, "filterColumn")
    for chip in (item(window, "chip-contract-CDI"), item(window, "chip-accessible-on")):
        left = chip.mapToItem(column, QPointF(0, 0)).x()
        assert left >= 0 and left + chip.width() <= column.width() + 0.5
