"""The locked-down session: escape shortcuts and close swallowed; gesture + PIN; the self-test."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeyEvent

from kiosk.config import Settings, parse_config
from kiosk.offline.offers import OfferStore
from kiosk.release.pin import hash_pin
from kiosk.ui.app import Kiosk, ManualClock
from tests.ui.conftest import CONFIG, item, shown, tap, tap_at

PIN = "246810"
PIN_HASH = hash_pin(PIN, log2_n=10)  # a cheap hash for tests: the format is the same


@pytest.fixture
def ui_settings(tmp_path: Path) -> Settings:
    config = parse_config(CONFIG + f'\n[operator]\npin_hash = "{PIN_HASH}"\n', "test")
    return Settings(config=config, source="test", data_dir=tmp_path, demo=False)


@pytest.mark.parametrize(
    ("key", "modifiers"),
    [
        (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier),
        (Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier),
    ],
)
def test_escape_shortcuts_are_swallowed(
    kiosk: Kiosk, key: Qt.Key, modifiers: Qt.KeyboardModifier
) -> None:
    event = QKeyEvent(QEvent.Type.KeyPress, key, modifiers)
    assert kiosk.lockdown.eventFilter(kiosk.window, event) is True
    plain = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier, "a")
    assert kiosk.lockdown.eventFilter(kiosk.window, plain) is False


def test_closing_the_window_is_refused(qtbot: Any, kiosk: Kiosk) -> None:
    close = QCloseEvent()
    QGuiApplication.sendEvent(kiosk.window, close)
    assert kiosk.window.isVisible()
    assert kiosk.lockdown.eventFilter(kiosk.window, QCloseEvent()) is True


def test_gesture_then_pin_opens_the_panel_and_lets_out(qtbot: Any, kiosk: Kiosk) -> None:
    window = kiosk.window
    tap(window, "attractScreen")
    qtbot.waitUntil(kiosk.session.is_active)
    assert not shown(item(window, "operatorPanel"))
    for _ in range(5):
        tap_at(window, QPoint(10, 10))
    qtbot.waitUntil(lambda: shown(item(window, "operatorPanel")))

    for digit in PIN:
        tap(window, f"pinKey-{digit}")
    tap(window, "pinKey-OK")
    qtbot.waitUntil(lambda: kiosk.operator.unlocked)
    assert shown(item(window, "operatorStatus"))
    labels = {row["label"] for row in kiosk.operator.status}
    assert {"Terminal", "Version", "Offers", "Queued applications"} <= labels
    quits: list[bool] = []
    kiosk.operator._quit = lambda: quits.append(True)  # type: ignore[method-assign]
    tap(window, "operatorExit")
    assert quits == [True]
    assert kiosk.lockdown.exit_allowed


def test_a_wrong_pin_is_refused(qtbot: Any, kiosk: Kiosk) -> None:
    kiosk.operator.request()
    kiosk.operator.submitPin("000000")
    qtbot.waitUntil(lambda: kiosk.operator.message == "wrong PIN")
    assert not kiosk.operator.unlocked
    assert kiosk.operator.status == []


def test_the_right_pin_unlocks(qtbot: Any, kiosk: Kiosk) -> None:
    kiosk.operator.request()
    kiosk.operator.submitPin(PIN)
    qtbot.waitUntil(lambda: kiosk.operator.unlocked)
    assert kiosk.operator.status[0]["value"].startswith("test-terminal")
    kiosk.operator.close()
    assert not kiosk.operator.open


def test_pin_lock_out_after_repeated_failures(qtbot: Any, kiosk: Kiosk) -> None:
    from kiosk.release.pin import PinGate  # noqa: PLC0415

    clock = ManualClock(5_000_000.0)
    gate = PinGate(PIN_HASH, kiosk.settings.data_dir, clock=clock)
    outcomes = []
    for _ in range(5):
        outcomes.append(gate.verify("111111").outcome)
        clock.advance(60)
    assert outcomes[-1] == "locked"
    assert gate.verify(PIN).outcome == "locked"  # even the right PIN, during the lock-out


def test_the_idle_wipe_closes_the_operator_panel(
    qtbot: Any, kiosk: Kiosk, idle_clock: ManualClock
) -> None:
    tap(kiosk.window, "attractScreen")
    qtbot.waitUntil(kiosk.session.is_active)
    kiosk.operator.request()
    assert kiosk.operator.open
    idle_clock.advance(kiosk.monitor.warning_after_s)
    qtbot.waitUntil(kiosk.monitor.is_warning)
    idle_clock.advance(kiosk.monitor.countdown_s)
    qtbot.waitUntil(lambda: not kiosk.session.is_active())
    assert not kiosk.operator.open


def test_selftest_of_the_source_tree(tmp_path: Path, seeded_store: OfferStore) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "--data-dir", str(tmp_path), "--selftest"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "selftest: attract screen rendered, 60 offers" in result.stderr
