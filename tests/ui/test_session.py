"""Session rules: every input counts, the warning counts down and extends, expiry wipes."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, Qt
from PySide6.QtGui import (
    QEventPoint,
    QInputMethodEvent,
    QKeyEvent,
    QMouseEvent,
    QPointingDevice,
    QTouchEvent,
    QWheelEvent,
)
from PySide6.QtTest import QTest

from kiosk.config import IdleSection
from kiosk.ui.app import ManualClock
from kiosk.ui.session import (
    MIN_COUNTDOWN_S,
    MORE_TIME_MULTIPLIER,
    ActivityFilter,
    IdleMonitor,
    Session,
)
from tests.ui.conftest import FakeChime


def _mouse(kind: QEvent.Type, buttons: Qt.MouseButton) -> QMouseEvent:
    point = QPointF(5, 5)
    return QMouseEvent(
        kind, point, point, Qt.MouseButton.LeftButton, buttons, Qt.KeyboardModifier.NoModifier
    )


def _touch(kind: QEvent.Type, device: QPointingDevice) -> QTouchEvent:
    state = {
        QEvent.Type.TouchBegin: QEventPoint.State.Pressed,
        QEvent.Type.TouchEnd: QEventPoint.State.Released,
    }.get(kind, QEventPoint.State.Stationary)
    point = QEventPoint(0, state, QPointF(5, 5), QPointF(5, 5))
    return QTouchEvent(kind, device, Qt.KeyboardModifier.NoModifier, [point])


def _activity_events(device: QPointingDevice) -> dict[str, QEvent]:
    commit = QInputMethodEvent()
    commit.setCommitString("a")
    return {
        "touch begin": _touch(QEvent.Type.TouchBegin, device),
        "touch end": _touch(QEvent.Type.TouchEnd, device),
        "mouse press": _mouse(QEvent.Type.MouseButtonPress, Qt.MouseButton.LeftButton),
        "mouse release": _mouse(QEvent.Type.MouseButtonRelease, Qt.MouseButton.NoButton),
        "drag": _mouse(QEvent.Type.MouseMove, Qt.MouseButton.LeftButton),
        "key": QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier, "a"),
        "input method": commit,
        "wheel": QWheelEvent(
            QPointF(5, 5),
            QPointF(5, 5),
            QPoint(0, 0),
            QPoint(0, 120),
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        ),
    }


def test_every_kind_of_input_counts(qapp: Any) -> None:
    pokes: list[int] = []
    activity = ActivityFilter(lambda: pokes.append(1))
    target = QObject()
    device = QTest.createTouchDevice()
    for name, event in _activity_events(device).items():
        before = len(pokes)
        assert activity.eventFilter(target, event) is False, f"{name} must not be eaten"
        assert len(pokes) == before + 1, f"{name} was not counted"


def test_what_is_not_input_does_not_count(qapp: Any) -> None:
    pokes: list[int] = []
    activity = ActivityFilter(lambda: pokes.append(1))
    target = QObject()
    for event in (
        QEvent(QEvent.Type.UpdateRequest),
        QEvent(QEvent.Type.Timer),
        _mouse(QEvent.Type.MouseMove, Qt.MouseButton.NoButton),  # a resting cursor's hover
    ):
        activity.eventFilter(target, event)
    assert pokes == []


def monitor_with(clock: ManualClock, **idle: Any) -> IdleMonitor:
    return IdleMonitor(IdleSection(**idle), clock=clock)


def test_warning_then_expiry(qtbot: Any) -> None:
    clock = ManualClock()
    monitor = monitor_with(clock, warning_after_s=90, countdown_s=30)
    monitor.start()
    clock.advance(89)
    monitor.check()
    assert not monitor.is_warning()
    clock.advance(1)
    with qtbot.waitSignal(monitor.warningStarted):
        monitor.check()
    assert monitor.is_warning() and monitor.seconds_left() == 30
    clock.advance(29.5)
    monitor.check()
    assert monitor.seconds_left() == 1
    with qtbot.waitSignal(monitor.expired):
        clock.advance(0.5)
        monitor.check()
    assert not monitor.is_warning() and not monitor.running


def test_input_during_the_warning_needs_the_tap(qtbot: Any) -> None:
    clock = ManualClock()
    monitor = monitor_with(clock, warning_after_s=60, countdown_s=20)
    monitor.start()
    clock.advance(60)
    monitor.check()
    monitor.poke()  # the press of the tap: the warning stays until the tap completes
    assert monitor.is_warning()
    monitor.extend()
    assert not monitor.is_warning() and monitor.extensions == 1
    clock.advance(59)
    monitor.check()
    assert not monitor.is_warning()  # counted again from the tap


def test_more_time_multiplies_every_limit(qapp: Any) -> None:
    clock = ManualClock()
    monitor = monitor_with(clock, warning_after_s=90, countdown_s=30, more_time_factor=3)
    assert monitor.warning_after_s == 270
    assert monitor.countdown_s == 90
    assert MIN_COUNTDOWN_S == 20


def test_no_timing_without_a_session(qapp: Any) -> None:
    clock = ManualClock()
    monitor = monitor_with(clock)
    clock.advance(10_000)
    monitor.check()
    assert not monitor.is_warning()


def test_session_wipes_in_order_and_chimes(qtbot: Any) -> None:
    clock = ManualClock()
    monitor = monitor_with(clock, warning_after_s=60, countdown_s=20)
    wiped: list[str] = []
    chime = FakeChime()
    session = Session(monitor, [lambda: wiped.append("text"), lambda: wiped.append("offer")], chime)
    session.add_wiper(lambda: wiped.append("language"))
    with qtbot.waitSignal(session.activeChanged):
        session.wake()
    clock.advance(60)
    monitor.check()
    assert chime.played == 1
    with qtbot.waitSignal(session.wiped):
        clock.advance(20)
        monitor.check()
    assert wiped == ["text", "offer", "language"]
    assert not session.is_active()


@pytest.mark.parametrize("countdown", [20, 25])
def test_the_countdown_is_at_least_20_s(qapp: Any, countdown: int) -> None:
    assert monitor_with(ManualClock(), countdown_s=countdown).countdown_s >= 20


def test_the_passers_by_more_time_triples_every_limit(qtbot: Any) -> None:
    clock = ManualClock()
    monitor = monitor_with(
        clock, warning_after_s=60, countdown_s=20, done_after_s=30, more_time_factor=1.5
    )
    assert MORE_TIME_MULTIPLIER >= 3
    with qtbot.waitSignal(monitor.timingsChanged):
        monitor.setMoreTime(True)
    # ×3 on top of the operator's ×1.5.
    assert (monitor.warning_after_s, monitor.countdown_s, monitor.done_after_s) == (270, 90, 135)
    assert monitor.countdownTotal == 90
    monitor.start()
    clock.advance(269)
    monitor.check()
    assert not monitor.is_warning()
    clock.advance(1)
    monitor.check()
    assert monitor.is_warning() and monitor.seconds_left() == 90
    clock.advance(89)
    monitor.check()
    assert monitor.running
    with qtbot.waitSignal(monitor.expired):
        clock.advance(1)
        monitor.check()


def test_the_confirmation_stays_while_it_is_used(qtbot: Any) -> None:
    clock = ManualClock()
    monitor = monitor_with(clock, warning_after_s=90, countdown_s=20, done_after_s=45)
    monitor.start()
    monitor.setConfirming(True)
    for _ in range(5):  # someone copying the code, touching the screen now and then
        clock.advance(44)
        monitor.check()
        assert not monitor.is_warning()
        monitor.poke()
    clock.advance(45)  # then nobody: its own delay from the last input, not warning_after_s
    with qtbot.waitSignal(monitor.warningStarted):
        monitor.check()
    with qtbot.waitSignal(monitor.expired):
        clock.advance(20)
        monitor.check()


def test_the_confirmation_delay_follows_more_time(qtbot: Any) -> None:
    clock = ManualClock()
    monitor = monitor_with(clock, done_after_s=45, more_time_factor=2)
    monitor.setConfirming(True)
    monitor.setMoreTime(True)
    monitor.start()
    clock.advance(45 * 2 * 3 - 1)
    monitor.check()
    assert not monitor.is_warning()
    clock.advance(1)
    monitor.check()
    assert monitor.is_warning()


def test_more_time_goes_at_the_end_of_the_session(qtbot: Any) -> None:
    clock = ManualClock()
    monitor = monitor_with(clock, warning_after_s=60, countdown_s=20)
    session = Session(monitor, [monitor.reset])
    session.wake()
    with qtbot.waitSignal(session.timingsChanged):
        session.setProperty("moreTime", True)
    assert monitor.is_more_time() and monitor.warning_after_s == 180
    clock.advance(180)
    monitor.check()
    with qtbot.waitSignal(session.wiped):
        clock.advance(60)
        monitor.check()
    assert not session.property("moreTime")
    assert monitor.warning_after_s == 60 and monitor.countdown_s == 20
