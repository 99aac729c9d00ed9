"""Start-up: the session's screens are made just after the attract screen's first frame, and a
session begun before them (a touch in the first frames) still opens the browse screen."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtQuick import QQuickWindow

from kiosk.config import Settings
from kiosk.offline.offers import OfferStore
from kiosk.ui.app import ManualClock, build_kiosk, screens_made
from tests.ui.conftest import FakeChime, find_item, item, laid_out, shown

pytestmark = pytest.mark.ui

SCREENS = ("browseScreen", "servicesScreen", "applyScreen", "detailScreen", "firmsScreen")


def made(window: QQuickWindow) -> list[str]:
    """The session's screens that exist in the window."""
    return [name for name in SCREENS if find_item(window, name) is not None]


def test_the_screens_are_made_after_the_first_frame(
    qtbot: Any,
    ui_settings: Settings,
    seeded_store: OfferStore,
    idle_clock: ManualClock,
    chime: FakeChime,
) -> None:
    built = build_kiosk(ui_settings, size=(1080, 1920), idle_clock=idle_clock, sound=chime)
    try:
        window = built.window
        assert built.first_frame_at is None  # nothing painted yet: the frames come from the loop
        made_at_first_frame: list[list[str]] = []

        def on_frame() -> None:
            if not made_at_first_frame:
                made_at_first_frame.append(made(window))

        window.frameSwapped.connect(on_frame)
        qtbot.waitUntil(lambda: bool(made_at_first_frame))
        window.frameSwapped.disconnect(on_frame)
        assert made_at_first_frame == [[]]  # the attract screen was painted without them
        qtbot.waitUntil(lambda: screens_made(window))
        assert made(window) == list(SCREENS)
        laid_out(window)
        assert shown(item(window, "attractScreen"))
        assert not any(shown(item(window, name)) for name in SCREENS)  # under it, no session
    finally:
        built.shutdown()


def test_a_session_begun_before_the_screens_opens_the_browse_screen(
    qtbot: Any,
    ui_settings: Settings,
    seeded_store: OfferStore,
    idle_clock: ManualClock,
    chime: FakeChime,
) -> None:
    built = build_kiosk(ui_settings, size=(1080, 1920), idle_clock=idle_clock, sound=chime)
    try:
        window = built.window
        woken: list[tuple[bool, list[str]]] = []

        def wake_on_first_frame() -> None:
            # What a touch on the attract screen does (wakeArea), before the screens are made.
            if not woken and not screens_made(window):
                built.session.wake()
                woken.append((bool(item(window, "band").isVisible()), made(window)))

        window.frameSwapped.connect(wake_on_first_frame)
        qtbot.waitUntil(lambda: built.first_frame_at is not None)
        window.frameSwapped.disconnect(wake_on_first_frame)
        # The band shows, and the screens were made at once with it: no frame of it empty.
        assert woken == [(True, list(SCREENS))]
        qtbot.waitUntil(lambda: built.results.rowCount() > 0)
        laid_out(window)
        assert not shown(item(window, "attractScreen"))
        assert shown(item(window, "browseScreen"))
        assert shown(item(window, "offerList"))
        assert not any(shown(item(window, name)) for name in SCREENS[1:])
    finally:
        built.shutdown()
