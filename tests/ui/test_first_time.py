"""What a first-time passer-by stumbled on, on the real window: the keyboard only while a
field has the focus, every filter reachable without a sideways swipe and in sight when in
use, "finish" asking before it clears what was typed, and no button known by its icon alone."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtQml import QQmlProperty
from PySide6.QtQuick import QQuickItem
from PySide6.QtTest import QTest

from kiosk.ui.app import Kiosk
from kiosk.ui.browse import CHIPS, Group
from kiosk.ui.scrolling import ensure_visible
from tests.ui.conftest import centre, find_item, item, keyboard_keys, shown, tap_at
from tests.ui.test_apply import (  # noqa: F401 (the fixture: a terminal that takes applications)
    open_direct_offer,
    painted,
    press,
    type_into,
    ui_settings,
)

pytestmark = pytest.mark.ui


def descendants(root: QQuickItem) -> list[QQuickItem]:
    found, stack = [], [root]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(current.childItems())
    return found


def keyboard_up(kiosk: Kiosk) -> bool:
    return item(kiosk.window, "keyboard").property("active") is True


def test_the_keyboard_shows_only_while_a_field_has_the_focus(qtbot: Any, kiosk: Kiosk) -> None:
    window = kiosk.window
    press(qtbot, kiosk, "attractScreen")
    qtbot.waitUntil(kiosk.session.is_active)
    assert not keyboard_up(kiosk)
    press(qtbot, kiosk, "searchField")
    qtbot.waitUntil(lambda: keyboard_up(kiosk))
    type_into(qtbot, kiosk, "searchField", "serveur")
    qtbot.waitUntil(lambda: not kiosk.results.is_loading() and kiosk.results.rowCount() > 0)

    # An offer: nothing to type there, so no keyboard over it.
    press(qtbot, kiosk, "offerCard-0")
    qtbot.waitUntil(lambda: kiosk.navigator.page == "detail")
    qtbot.waitUntil(lambda: not keyboard_up(kiosk))
    assert not item(window, "searchField").hasActiveFocus()

    # Back to the list: the search is kept, the keyboard waits for a tap on the field.
    press(qtbot, kiosk, "backButton")
    qtbot.waitUntil(lambda: kiosk.navigator.page == "browse")
    painted(qtbot, kiosk)
    assert item(window, "searchField").property("text") == "serveur"
    assert not keyboard_up(kiosk)
    press(qtbot, kiosk, "searchField")
    qtbot.waitUntil(lambda: keyboard_up(kiosk))


def test_a_form_opens_with_its_first_field_ready_to_type_also_after_a_wipe(
    qtbot: Any, kiosk: Kiosk
) -> None:
    window = kiosk.window
    for _session in range(2):
        open_direct_offer(qtbot, kiosk)
        press(qtbot, kiosk, "applyHereButton")
        qtbot.waitUntil(lambda: shown(item(window, "applyForm")))
        # The person is about to type their name: focus and keyboard, without a tap.
        qtbot.waitUntil(lambda: item(window, "firstNameInput").hasActiveFocus())
        qtbot.waitUntil(lambda: keyboard_up(kiosk))
        kiosk.session.end()
        qtbot.waitUntil(lambda: shown(item(window, "attractScreen")))
        qtbot.waitUntil(lambda: not keyboard_up(kiosk))


def type_name_and_phone(qtbot: Any, kiosk: Kiosk) -> None:
    """Open an offer's form and type a name and a phone number with the keyboard, the focus
    left in the phone field."""
    open_direct_offer(qtbot, kiosk)
    press(qtbot, kiosk, "applyHereButton")
    type_into(qtbot, kiosk, "firstNameInput", "Amélie")
    QTest.keyClick(kiosk.window, Qt.Key.Key_Return)
    type_into(qtbot, kiosk, "lastNameInput", "Ndiaye")
    QTest.keyClick(kiosk.window, Qt.Key.Key_Return)
    type_into(qtbot, kiosk, "phoneInput", "06 12 34 56 78")


def test_a_missing_consent_takes_the_keyboard_away_to_show_the_box(
    qtbot: Any, kiosk: Kiosk
) -> None:
    """Seen live: "Continue" with the box unticked left the phone keypad over the form, the
    box and its reason hidden behind it."""
    window = kiosk.window
    type_name_and_phone(qtbot, kiosk)
    qtbot.waitUntil(lambda: keyboard_up(kiosk))
    press(qtbot, kiosk, "reviewButton")
    error = item(window, "consentError")
    qtbot.waitUntil(lambda: shown(error))
    qtbot.waitUntil(lambda: not keyboard_up(kiosk))
    assert not item(window, "phoneInput").hasActiveFocus()
    # The box and its reason are in sight, above the footer's "Continue".
    footer_top = item(window, "applyFooter").mapToScene(QPointF(0, 0)).y()
    for name in ("consentButton", "consentError"):
        target = item(window, name)
        qtbot.waitUntil(
            lambda t=target: 0 <= t.mapToScene(QPointF(0, t.height())).y() <= footer_top
        )
    # Ticked, the form goes on to the review.
    press(qtbot, kiosk, "consentButton")
    press(qtbot, kiosk, "reviewButton")
    qtbot.waitUntil(lambda: shown(item(window, "applyReview")))


def test_similar_offers_show_the_list_without_the_keyboard(qtbot: Any, kiosk: Kiosk) -> None:
    window = kiosk.window
    type_name_and_phone(qtbot, kiosk)
    press(qtbot, kiosk, "consentButton")
    press(qtbot, kiosk, "reviewButton")
    qtbot.waitUntil(lambda: shown(item(window, "applyReview")))
    press(qtbot, kiosk, "sendButton")
    qtbot.waitUntil(lambda: shown(item(window, "applyDone")))
    assert not keyboard_up(kiosk)

    press(qtbot, kiosk, "similarButton")
    qtbot.waitUntil(lambda: kiosk.navigator.page == "browse")
    painted(qtbot, kiosk)
    assert kiosk.browse.text != ""  # the trade of the offer, searched for the person
    assert not keyboard_up(kiosk)
    assert not item(window, "searchField").hasActiveFocus()


def test_finish_asks_first_when_something_was_typed(qtbot: Any, kiosk: Kiosk) -> None:
    window = kiosk.window
    # Nothing typed: "finish" ends the session at once.
    press(qtbot, kiosk, "attractScreen")
    qtbot.waitUntil(kiosk.session.is_active)
    press(qtbot, kiosk, "finishButton")
    qtbot.waitUntil(lambda: shown(item(window, "attractScreen")))
    assert not shown(item(window, "leaveDialog"))

    # A form begun: it asks, and "no" keeps everything as it was.
    open_direct_offer(qtbot, kiosk)
    press(qtbot, kiosk, "applyHereButton")
    type_into(qtbot, kiosk, "firstNameInput", "Amélie")
    press(qtbot, kiosk, "finishButton")
    qtbot.waitUntil(lambda: shown(item(window, "leaveDialog")))
    assert kiosk.session.is_active()
    assert item(window, "leaveDialog").property("title") == "Effacer et quitter ?"
    [close] = [
        i for i in descendants(item(window, "leaveDialog")) if i.objectName() == "dialogClose"
    ]
    painted(qtbot, kiosk)
    tap_at(window, centre(close))
    qtbot.waitUntil(lambda: not shown(item(window, "leaveDialog")))
    assert kiosk.navigator.page == "apply"
    assert item(window, "firstNameInput").property("text") == "Amélie"

    # Asked again, "clear and leave" wipes it.
    press(qtbot, kiosk, "finishButton")
    qtbot.waitUntil(lambda: shown(item(window, "leaveDialog")))
    press(qtbot, kiosk, "leaveConfirm")
    press(qtbot, kiosk, "verdictSkip")  # an offer was opened: the passer-by's verdict first
    qtbot.waitUntil(lambda: shown(item(window, "attractScreen")))
    assert not shown(item(window, "leaveDialog"))
    assert kiosk.apply.firstName == ""
    assert item(window, "firstNameInput").property("text") == ""

    # A search typed counts too; the idle wipe never asks (nobody is there to answer).
    press(qtbot, kiosk, "attractScreen")
    qtbot.waitUntil(kiosk.session.is_active)
    kiosk.browse.text = "boulanger"
    press(qtbot, kiosk, "finishButton")
    qtbot.waitUntil(lambda: shown(item(window, "leaveDialog")))
    kiosk.monitor.expired.emit()
    qtbot.waitUntil(lambda: shown(item(window, "attractScreen")))
    assert not shown(item(window, "leaveDialog"))
    assert kiosk.browse.text == ""


def within_width(target: QQuickItem, frame: QQuickItem) -> bool:
    left = target.mapToItem(frame, QPointF(0, 0)).x()
    return left >= 0 and left + target.width() <= frame.width() + 0.5


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_every_filter_is_reached_without_a_sideways_swipe(
    qtbot: Any, kiosk: Kiosk, lang: str
) -> None:
    window = kiosk.window
    press(qtbot, kiosk, "attractScreen")
    qtbot.waitUntil(kiosk.session.is_active)
    kiosk.language.setLanguage(lang)
    assert kiosk.theme.portrait
    press(qtbot, kiosk, "filtersButton")
    qtbot.waitUntil(lambda: shown(item(window, "filterPanel")))
    painted(qtbot, kiosk)  # its chips placed in their rows (when the window is polished)
    panel = item(window, "filterPanel")
    groups = item(window, "filterGroups")
    for chip in CHIPS:
        target = item(window, f"chip-{chip.name}")
        if chip.group is Group.TRADE and not target.isVisible():
            assert target.property("detail") == "0"  # a trade with no offer here is left out
            continue
        assert within_width(target, panel), chip.name
        ensure_visible(target)  # scrolling down the panel, if large text needs it
        painted(qtbot, kiosk)
        top = target.mapToItem(groups, QPointF(0, 0)).y()
        assert top >= 0 and top + target.height() <= groups.height() + 0.5, chip.name

    # The chosen filters stay in sight over the list, and one tap removes each.
    press(qtbot, kiosk, "chip-distance-10")
    assert kiosk.navigator.page == "browse"  # the list behind took none of these taps
    press(qtbot, kiosk, "chip-accessible-on")
    qtbot.waitUntil(lambda: len(kiosk.browse.activeFilters) == 2)
    press(qtbot, kiosk, "filterPanelDone")
    qtbot.waitUntil(lambda: not shown(panel))
    painted(qtbot, kiosk)
    in_use = [item(window, "inUse-distance-10"), item(window, "inUse-accessible-on")]
    bar = item(window, "filtersInUse")
    for chip_item in in_use:
        assert shown(chip_item)
        assert within_width(chip_item, window.contentItem())
        assert chip_item.mapToItem(bar, QPointF(0, 0)).y() >= 0
    assert item(window, "filtersButton").property("detail") == "2"
    press(qtbot, kiosk, "inUse-distance-10")
    qtbot.waitUntil(lambda: [f["name"] for f in kiosk.browse.activeFilters] == ["accessible-on"])
    qtbot.waitUntil(lambda: find_item(window, "inUse-distance-10") is None)


def test_back_closes_the_filter_panel_first(qtbot: Any, kiosk: Kiosk) -> None:
    window = kiosk.window
    press(qtbot, kiosk, "attractScreen")
    qtbot.waitUntil(kiosk.session.is_active)
    press(qtbot, kiosk, "filtersButton")
    qtbot.waitUntil(lambda: shown(item(window, "filterPanel")))
    QTest.keyClick(window, Qt.Key.Key_F4)  # the keypad's "back"
    qtbot.waitUntil(lambda: not kiosk.browse.is_panel_open())
    assert kiosk.session.is_active() and kiosk.navigator.page == "browse"


def test_no_button_is_known_by_its_icon_alone(qtbot: Any, kiosk: Kiosk) -> None:
    window = kiosk.window
    open_direct_offer(qtbot, kiosk)
    press(qtbot, kiosk, "applyHereButton")
    qtbot.waitUntil(lambda: shown(item(window, "applyForm")))
    painted(qtbot, kiosk)
    bar = item(window, "finishButton").parentItem().parentItem()
    stack = [bar]
    checked = []
    while stack:
        current = stack.pop()
        stack.extend(current.childItems())
        if current.objectName() and current.property("glyph") and shown(current):
            assert current.property("text"), f"{current.objectName()} shows only an icon"
            checked.append(current.objectName())
    assert {"finishButton", "homeButton", "largeTextSwitch", "contrastSwitch"} <= set(checked)


@pytest.mark.parametrize("lang", ["fr", "ar"])
@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)])
def test_search_text_and_keyboard_fit_in_both_directions(
    qtbot: Any, kiosk: Kiosk, lang: str, size: tuple[int, int]
) -> None:
    window = kiosk.window
    window.resize(*size)
    press(qtbot, kiosk, "attractScreen")
    qtbot.waitUntil(kiosk.session.is_active)
    kiosk.language.setLanguage(lang)
    press(qtbot, kiosk, "searchField")
    qtbot.waitUntil(lambda: keyboard_up(kiosk))
    # A long search in Arabic, whatever the language of the screen: never under the ✕.
    type_into(qtbot, kiosk, "searchField", "مساعد طباخ في مطعم كبير قرب المحطة المركزية للقطارات")
    painted(qtbot, kiosk)
    search, clear = item(window, "searchField"), item(window, "clearSearch")
    assert shown(clear)
    start = search.mapToScene(QPointF(search.property("leftPadding"), 0)).x()
    end = search.mapToScene(QPointF(search.width() - search.property("rightPadding"), 0)).x()
    clear_start = clear.mapToScene(QPointF(0, 0)).x()
    clear_end = clear_start + clear.width()
    assert clear_end <= start or clear_start >= end, (start, end, clear_start, clear_end)
    # Every key of the keyboard, letters and symbols, inside the window.
    for symbols in (False, True):
        QQmlProperty.write(item(window, "keyboard"), "keyboard.symbolMode", symbols)
        painted(qtbot, kiosk)
        keys = keyboard_keys(window).values()
        assert len(keys) > 20
        for key in keys:
            left = key.mapToScene(QPointF(0, 0)).x()
            assert left >= 0 and left + key.width() <= window.width() + 0.5, key.property("text")


def test_continue_without_consent_shows_the_box_and_why(qtbot: Any, kiosk: Kiosk) -> None:
    window = kiosk.window
    type_name_and_phone(qtbot, kiosk)
    kiosk.window.contentItem().forceActiveFocus()  # the keyboard's "Done"
    press(qtbot, kiosk, "reviewButton")
    error = item(window, "consentError")
    qtbot.waitUntil(lambda: shown(error))
    painted(qtbot, kiosk)
    # The box and the reason under it, both in sight above the pinned "Continue".
    footer_top = item(window, "reviewButton").mapToScene(QPointF(0, 0)).y()
    box_top = item(window, "consentButton").mapToScene(QPointF(0, 0)).y()
    error_bottom = error.mapToScene(QPointF(0, error.height())).y()
    bar_bottom = item(window, "finishButton").mapToScene(QPointF(0, 0)).y()
    assert bar_bottom < box_top and error_bottom <= footer_top, (box_top, error_bottom, footer_top)
