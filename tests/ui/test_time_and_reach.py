"""On the real window: the passer-by's "More time", the confirmation that stays while it is
used, and the lower layout that keeps every control within reach (≤ 1,220 mm)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QAccessible
from PySide6.QtQuick import QQuickItem

from kiosk.config import Settings, parse_config
from kiosk.sealing import generate_keypair
from kiosk.ui.app import Kiosk, ManualClock
from kiosk.ui.theme import REACH_TOP_MM
from tests.ui.conftest import CONFIG, item, items, shown, tap

KEYS = generate_keypair()
Role = QAccessible.Role
OPERABLE = frozenset(
    {Role.Button, Role.CheckBox, Role.RadioButton, Role.EditableText, Role.ComboBox, Role.Link}
)


@pytest.fixture
def ui_settings(tmp_path: Path) -> Settings:
    """The test terminal (a 27-inch portrait panel, bottom edge 800 mm) with a hub key."""
    config = parse_config(CONFIG + f'\n[hub]\npublic_key = "{KEYS[1]}"\n', "test configuration")
    return Settings(config=config, source="test configuration", data_dir=tmp_path, demo=False)


def painted(qtbot: Any, kiosk: Kiosk) -> None:
    with qtbot.waitSignal(kiosk.window.frameSwapped):
        kiosk.window.update()


def press(qtbot: Any, kiosk: Kiosk, name: str) -> None:
    painted(qtbot, kiosk)
    tap(kiosk.window, name)


def warned_after(qtbot: Any, kiosk: Kiosk, clock: ManualClock, seconds: float) -> None:
    """Nothing shows one second before `seconds` without input; the warning shows at it."""
    warning = item(kiosk.window, "idleWarning")
    clock.advance(seconds - 1)
    kiosk.monitor.check()
    assert not shown(warning)
    clock.advance(1)
    qtbot.waitUntil(lambda: shown(warning))


def test_more_time_on_the_attract_screen_triples_every_timer(
    qtbot: Any, kiosk: Kiosk, idle_clock: ManualClock
) -> None:
    window = kiosk.window
    switch = item(window, "attractMoreTime")
    assert switch.property("text") == "Plus de temps"  # a word, not only an icon
    access = QAccessible.queryAccessibleInterface(switch)
    assert access is not None and access.role() == Role.CheckBox
    assert "Plus de temps" in access.text(QAccessible.Text.Name)
    assert not access.state().checked

    press(qtbot, kiosk, "attractMoreTime")  # chooses and wakes, like its neighbours
    qtbot.waitUntil(lambda: kiosk.session.is_active() and kiosk.monitor.is_more_time())
    painted(qtbot, kiosk)
    assert item(window, "moreTimeSwitch").property("checked")
    assert QAccessible.queryAccessibleInterface(switch).state().checked
    # 60 s and 25 s in the test configuration, ×3.
    assert kiosk.monitor.countdown_s == 75
    warned_after(qtbot, kiosk, idle_clock, 180)
    assert item(window, "idleCountdown").property("text").startswith("75")
    idle_clock.advance(74)
    kiosk.monitor.check()
    assert kiosk.session.is_active()
    idle_clock.advance(1)
    qtbot.waitUntil(lambda: shown(item(window, "attractScreen")))
    # The next person starts without it.
    assert not kiosk.monitor.is_more_time() and kiosk.monitor.warning_after_s == 60
    painted(qtbot, kiosk)
    assert not switch.property("checked")


def test_the_access_bar_switch_toggles_more_time(qtbot: Any, kiosk: Kiosk) -> None:
    press(qtbot, kiosk, "attractScreen")
    qtbot.waitUntil(kiosk.session.is_active)
    switch = item(kiosk.window, "moreTimeSwitch")
    assert switch.property("text") == "Plus de temps"
    press(qtbot, kiosk, "moreTimeSwitch")
    qtbot.waitUntil(kiosk.monitor.is_more_time)
    assert kiosk.monitor.warning_after_s == 180
    press(qtbot, kiosk, "moreTimeSwitch")
    qtbot.waitUntil(lambda: not kiosk.monitor.is_more_time())
    press(qtbot, kiosk, "moreTimeSwitch")
    qtbot.waitUntil(kiosk.monitor.is_more_time)
    kiosk.session.end()
    assert not kiosk.monitor.is_more_time()


def reach_the_confirmation(qtbot: Any, kiosk: Kiosk) -> None:
    press(qtbot, kiosk, "attractScreen")
    qtbot.waitUntil(kiosk.session.is_active)
    press(qtbot, kiosk, "offerCard-0")
    qtbot.waitUntil(lambda: kiosk.navigator.page == "detail" and kiosk.detail.canApplyHere)
    press(qtbot, kiosk, "applyHereButton")
    qtbot.waitUntil(lambda: kiosk.navigator.page == "apply")
    apply = kiosk.apply
    apply.firstName, apply.lastName, apply.phone, apply.consent = (
        "Léa",
        "Martin",
        "0612345678",
        True,
    )
    assert apply.review() and apply.send()
    qtbot.waitUntil(lambda: shown(item(kiosk.window, "applyDone")))
    qtbot.waitUntil(kiosk.monitor.is_confirming)


@pytest.mark.parametrize("more_time", [False, True])
def test_the_confirmation_stays_while_used_then_goes(
    qtbot: Any, kiosk: Kiosk, idle_clock: ManualClock, more_time: bool
) -> None:
    window = kiosk.window
    if more_time:
        kiosk.monitor.setMoreTime(True)
    reach_the_confirmation(qtbot, kiosk)
    delay = 45 * (3 if more_time else 1)
    countdown = 25 * (3 if more_time else 1)
    code = item(window, "referenceCode")
    for _ in range(4):  # someone copying the code touches the screen now and then
        idle_clock.advance(delay - 1)
        kiosk.monitor.check()
        painted(qtbot, kiosk)
        assert shown(item(window, "applyDone")) and not shown(item(window, "idleWarning"))
        tap(window, "referenceCode")
    assert code.property("text") == kiosk.apply.reference != ""
    warned_after(qtbot, kiosk, idle_clock, delay)  # then nobody: warned first ...
    idle_clock.advance(countdown)
    qtbot.waitUntil(lambda: shown(item(window, "attractScreen")))  # ... and gone
    assert kiosk.apply.reference == "" and not kiosk.monitor.is_confirming()


# -- reach ---------------------------------------------------------------------------------


def visible_rect(target: QQuickItem) -> QRectF:
    """The part of `target` not clipped away by a scrolling ancestor, in window coordinates."""
    rect = target.mapRectToScene(QRectF(0, 0, target.width(), target.height()))
    parent = target.parentItem()
    while parent is not None:
        if parent.clip():
            rect = rect.intersected(
                parent.mapRectToScene(QRectF(0, 0, parent.width(), parent.height()))
            )
        parent = parent.parentItem()
    return rect


def too_high(kiosk: Kiosk) -> list[str]:
    """The operable controls that show with a part above 1,220 mm from the floor."""
    window = kiosk.window
    bottom_edge = kiosk.settings.config.panel.bottom_edge_mm
    ppm = kiosk.theme.pxPerMm
    found = []
    for candidate in items(window):
        if not candidate.isVisible() or candidate.width() <= 0:
            continue
        access = QAccessible.queryAccessibleInterface(candidate)
        if access is None or access.role() not in OPERABLE or access.state().invisible:
            continue
        rect = visible_rect(candidate)
        if rect.isEmpty() or rect.bottom() <= 0:
            continue
        top_mm = bottom_edge + (window.height() - rect.top()) / ppm
        if top_mm > REACH_TOP_MM:
            found.append(f"{candidate.objectName() or access.text(QAccessible.Text.Name)}")
    return found


def operable_count(kiosk: Kiosk) -> int:
    return sum(
        1
        for candidate in items(kiosk.window)
        if candidate.isVisible()
        and (access := QAccessible.queryAccessibleInterface(candidate)) is not None
        and access.role() in OPERABLE
        and not visible_rect(candidate).isEmpty()
    )


def test_a_high_portrait_panel_keeps_every_control_within_reach(qtbot: Any, kiosk: Kiosk) -> None:
    window = kiosk.window
    assert kiosk.theme.lowerBand and kiosk.theme.bandTop > 0  # on by default
    reach = item(window, "attractLowerBand")
    assert shown(reach) and reach.property("checked")
    assert reach.property("text") == "À portée de main"

    press(qtbot, kiosk, "attractScreen")
    qtbot.waitUntil(kiosk.session.is_active)
    painted(qtbot, kiosk)
    assert operable_count(kiosk) > 10  # the check below looks at something
    assert too_high(kiosk) == []  # the browse screen

    press(qtbot, kiosk, "offerCard-0")
    qtbot.waitUntil(lambda: kiosk.navigator.page == "detail" and kiosk.detail.canApplyHere)
    press(qtbot, kiosk, "applyHereButton")
    qtbot.waitUntil(lambda: shown(item(window, "applyForm")))
    painted(qtbot, kiosk)
    assert too_high(kiosk) == []  # the form's top, with the keyboard open
    flick = item(window, "applyForm")
    while flick is not None and not flick.inherits("QQuickFlickable"):
        flick = flick.parentItem()
    assert flick is not None
    flick.setProperty("contentY", max(0.0, flick.property("contentHeight") - flick.height()))
    painted(qtbot, kiosk)
    assert too_high(kiosk) == []  # its end ("Continue")

    # Without the lower layout, the top of the screen is out of reach: the check sees it.
    press(qtbot, kiosk, "lowerBandSwitch")
    qtbot.waitUntil(lambda: kiosk.theme.bandTop == 0)
    painted(qtbot, kiosk)
    assert too_high(kiosk) != []
    kiosk.session.end()
    assert kiosk.theme.lowerBand  # back to this panel's default


@pytest.fixture
def low_settings(ui_settings: Settings) -> Settings:
    config = parse_config(CONFIG + "\n[panel]\nbottom_edge_mm = 600\n", "test configuration")
    return Settings(config, ui_settings.source, ui_settings.data_dir, ui_settings.demo)


def test_a_low_panel_starts_in_the_full_layout(
    qtbot: Any, low_settings: Settings, seeded_store: Any, idle_clock: ManualClock
) -> None:
    from kiosk.ui.app import build_kiosk  # noqa: PLC0415

    built = build_kiosk(low_settings, size=(1080, 1920), idle_clock=idle_clock)
    try:
        qtbot.waitExposed(built.window)
        assert not built.theme.lowerBand and built.theme.bandTop == 0
        assert not item(built.window, "attractLowerBand").isVisible()
        built.session.wake()
        qtbot.waitUntil(built.session.is_active)
        assert not item(built.window, "lowerBandSwitch").isVisible()
    finally:
        built.shutdown()
