"""A passer-by's session: every input counts as activity; idle warns, then wipes and goes home.

Rules (WCAG 2.2.1, EN 301 549): after `warning_after_s × more_time_factor` seconds without
input, a full-screen "are you still there?" counts down `countdown_s × more_time_factor`
seconds (at least 20), seen and heard; one tap extends, as often as wanted; at zero the session
ends: everything typed or chosen is wiped and the attract screen comes back.

"More time" is also the passer-by's: a switch on screen multiplies every limit by
MORE_TIME_MULTIPLIER on top of the operator's factor, until the session ends.

The confirmation (the reference code) gives way sooner: `done_after_s` after the last input
instead of `warning_after_s`. It warns first, like every other screen, rather than vanishing: a
person copying the code onto paper touches nothing, and must be able to say "still here"
(WCAG 2.2.1); the warning also covers the code, so a passer-by who walked away does not leave
it readable for the countdown's length.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Sequence
from typing import Protocol

from PySide6.QtCore import Property, QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QMouseEvent
from PySide6.QtQml import QmlElement

from kiosk.config import IdleSection
from kiosk.ui.qmltypes import uncreatable

QML_IMPORT_NAME = "Kiosk"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger("kiosk.ui.session")

MIN_COUNTDOWN_S = 20
MORE_TIME_MULTIPLIER = 3  # the passer-by's "More time" (at least ×3: the product brief)

# Input that a person made. A tap that does not move is TouchBegin + TouchEnd, or a mouse
# press + release: both count. Key and input-method events come from the on-screen keyboard.
ACTIVITY_EVENTS = frozenset(
    {
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.TouchEnd,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.Wheel,
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
        QEvent.Type.InputMethod,
    }
)


class ActivityFilter(QObject):
    """An application-wide event filter that reports input and never consumes it."""

    def __init__(self, on_activity: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._on_activity = on_activity

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in ACTIVITY_EVENTS or (
            kind == QEvent.Type.MouseMove
            and isinstance(event, QMouseEvent)
            and event.buttons() != Qt.MouseButton.NoButton  # a drag, not a cursor resting
        ):
            self._on_activity()
        return False


class AlertSound(Protocol):
    """What the idle warning needs of a sound."""

    def play(self) -> None:
        """Start playing (from the beginning)."""


@QmlElement
@uncreatable("the application creates the idle monitor")
class IdleMonitor(QObject):
    """Idle time from the last input to a warning and from the warning to expiry.

    `clock` is monotonic seconds, injectable: tests move time instead of waiting for it. A
    timer calls `check()` a few times a second while a session is running.
    """

    stateChanged = Signal()
    secondsLeftChanged = Signal()
    timingsChanged = Signal()  # the configuration, "More time" or the confirmation changed
    warningStarted = Signal()
    expired = Signal()

    def __init__(
        self,
        idle: IdleSection,
        clock: Callable[[], float] = time.monotonic,
        tick_ms: int = 250,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._idle = idle
        self._more_time = False
        self._confirming = False
        self._clock = clock
        self._running = False
        self._warning = False
        self._last_input = clock()
        self._deadline = 0.0
        self._seconds_left = 0
        self.extensions = 0
        self._timer = QTimer(self)
        self._timer.setInterval(tick_ms)
        self._timer.timeout.connect(self.check)

    def configure(self, idle: IdleSection) -> None:
        """New timings (pushed by the hub), from the next check on."""
        self._idle = idle
        self.timingsChanged.emit()

    @property
    def factor(self) -> float:
        """What every limit is multiplied by: the operator's factor, times "More time"."""
        return self._idle.more_time_factor * (MORE_TIME_MULTIPLIER if self._more_time else 1)

    @property
    def warning_after_s(self) -> float:
        """Seconds without input before the warning (on any screen but the confirmation)."""
        return self._idle.warning_after_s * self.factor

    @property
    def done_after_s(self) -> float:
        """Seconds without input before the warning while the confirmation shows."""
        return self._idle.done_after_s * self.factor

    @property
    def countdown_s(self) -> float:
        """Seconds the warning counts down."""
        return max(MIN_COUNTDOWN_S, self._idle.countdown_s * self.factor)

    def is_more_time(self) -> bool:
        """Whether the passer-by asked for more time."""
        return self._more_time

    @Slot(bool)
    def setMoreTime(self, on: bool) -> None:
        """The passer-by's "More time" switch; it counts from the next check on."""
        if on != self._more_time:
            self._more_time = on
            log.info("more time %s", "on" if on else "off")
            self.timingsChanged.emit()

    def is_confirming(self) -> bool:
        """Whether the confirmation (the reference code) is on screen."""
        return self._confirming

    @Slot(bool)
    def setConfirming(self, on: bool) -> None:
        """The confirmation appeared or went: its own, shorter delay applies meanwhile."""
        if on != self._confirming:
            self._confirming = on
            self.timingsChanged.emit()

    def reset(self) -> None:
        """The passer-by's choice back to its default (end of a session)."""
        self.setMoreTime(False)

    def is_warning(self) -> bool:
        """Whether "are you still there?" is showing."""
        return self._warning

    def seconds_left(self) -> int:
        """Seconds left on the warning's countdown (0 when there is no warning)."""
        return self._seconds_left

    def start(self) -> None:
        """A session begins: count idle time from now."""
        self._running = True
        self._last_input = self._clock()
        self.extensions = 0
        self._set_warning(False)
        self._timer.start()

    def stop(self) -> None:
        """No session (attract screen): nothing to time."""
        self._running = False
        self._timer.stop()
        self._set_warning(False)

    def poke(self) -> None:
        """Input happened. During the warning only an explicit tap (`extend`) counts."""
        self._last_input = self._clock()

    @Slot()
    def extend(self) -> None:
        """The passer-by is still there: leave the warning, count again from now."""
        if self._warning:
            self.extensions += 1
            log.info("session extended (%d)", self.extensions)
        self._last_input = self._clock()
        self._set_warning(False)

    @Slot()
    def check(self) -> None:
        """Compare the clock with the limits; warn or expire."""
        if not self._running:
            return
        now = self._clock()
        if not self._warning:
            delay = self.done_after_s if self._confirming else self.warning_after_s
            if now - self._last_input < delay:
                return
            self._deadline = now + self.countdown_s
            self._set_warning(True)
            log.info("idle warning: %.0f s to answer", self.countdown_s)
            self.warningStarted.emit()
        left = self._deadline - now
        if left <= 0:
            log.info("idle time out: ending the session")
            self.stop()
            self.expired.emit()
            return
        self._set_seconds_left(math.ceil(left))

    def _set_warning(self, on: bool) -> None:
        if on != self._warning:
            self._warning = on
            self.stateChanged.emit()
        if not on:
            self._set_seconds_left(0)

    def _set_seconds_left(self, value: int) -> None:
        if value != self._seconds_left:
            self._seconds_left = value
            self.secondsLeftChanged.emit()

    running = Property(bool, lambda self: self._running, notify=stateChanged)
    warning = Property(bool, lambda self: self._warning, notify=stateChanged)
    secondsLeft = Property(int, lambda self: self._seconds_left, notify=secondsLeftChanged)
    countdownTotal = Property(int, lambda self: math.ceil(self.countdown_s), notify=timingsChanged)
    moreTime = Property(bool, is_more_time, setMoreTime, notify=timingsChanged)
    confirming = Property(bool, is_confirming, setConfirming, notify=timingsChanged)


@QmlElement
@uncreatable("the application creates the session")
class Session(QObject):
    """Wakes the terminal, ends the session on expiry or on request, and wipes what it held.

    `wipers` are called in order when a session ends: each forgets one kind of state (search
    text and filters, the open offer, the keyboard, the language, the display switches).
    """

    activeChanged = Signal()
    timingsChanged = Signal()
    wiped = Signal()  # QML resets what only the view holds (focus, scroll position)
    askingChanged = Signal()  # "Clear and leave?" shows or goes

    def __init__(
        self,
        monitor: IdleMonitor,
        wipers: Sequence[Callable[[], None]],
        sound: AlertSound | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._monitor = monitor
        self._wipers = list(wipers)
        self._drafts: list[Callable[[], bool]] = []
        self._sound = sound
        self._active = False
        self._asking = False
        self._before_leaving: Callable[[], bool] | None = None
        monitor.warningStarted.connect(self._on_warning)
        monitor.expired.connect(self.end)
        monitor.timingsChanged.connect(self.timingsChanged)

    def is_active(self) -> bool:
        """Whether a session is running (False: the attract screen shows)."""
        return self._active

    def warning(self) -> bool:
        """Whether "are you still there?" is showing."""
        return self._monitor.is_warning()

    def add_wiper(self, wiper: Callable[[], None]) -> None:
        """Also call `wiper` when a session ends."""
        self._wipers.append(wiper)

    def add_draft(self, typed: Callable[[], bool]) -> None:
        """`typed` says whether the person typed something that leaving would clear: then
        "finish" asks before clearing."""
        self._drafts.append(typed)

    def has_typed(self) -> bool:
        """Whether something typed would be lost by leaving now."""
        return any(typed() for typed in self._drafts)

    def set_before_leaving(self, hold: Callable[[], bool]) -> None:
        """`hold()` is asked when the person ends the session themselves (never on idle time):
        True means it shows something last (the passer-by's verdict) and ends the session
        itself once that goes; meanwhile the idle monitor stands still."""
        self._before_leaving = hold

    @Slot()
    def leave(self) -> None:
        """The person's "finish": at once when nothing was typed, else ask first."""
        if self.has_typed():
            self._set_asking(True)
        else:
            self.finish()

    @Slot()
    def finish(self) -> None:
        """The person ends the session (after "Clear and leave?" if it was asked): the last
        question first when there is one, then the end."""
        self._set_asking(False)
        if self._active and self._before_leaving is not None and self._before_leaving():
            self._monitor.stop()  # the question times itself; no warning over it
            return
        self.end()

    @Slot()
    def stay(self) -> None:
        """The answer "no, go on" to "Clear and leave?"."""
        self._set_asking(False)

    def _set_asking(self, on: bool) -> None:
        if on != self._asking:
            self._asking = on
            self.askingChanged.emit()

    @Slot()
    def wake(self) -> None:
        """The first touch on the attract screen: a session begins."""
        if not self._active:
            self._active = True
            log.info("session started")
            self._monitor.start()
            self.activeChanged.emit()

    @Slot()
    def extend(self) -> None:
        """A tap on the "are you still there?" screen."""
        self._monitor.extend()

    @Slot()
    def end(self) -> None:
        """End the session: wipe everything, back to the attract screen."""
        self._monitor.stop()
        self._set_asking(False)
        for wipe in self._wipers:
            wipe()
        self.wiped.emit()
        if self._active:
            self._active = False
            log.info("session ended and wiped")
            self.activeChanged.emit()

    def _on_warning(self) -> None:
        if self._sound is not None:
            self._sound.play()

    def _set_more_time(self, on: bool) -> None:
        self._monitor.setMoreTime(on)

    def _set_confirming(self, on: bool) -> None:
        self._monitor.setConfirming(on)

    active = Property(bool, lambda self: self._active, notify=activeChanged)
    asking = Property(bool, lambda self: self._asking, notify=askingChanged)
    monitor = Property(QObject, lambda self: self._monitor, constant=True)
    # The passer-by's "More time" switch, and whether the confirmation shows (set by its
    # screen): both only change the monitor's limits, timed here in Python.
    moreTime = Property(
        bool, lambda self: self._monitor.is_more_time(), _set_more_time, notify=timingsChanged
    )
    confirming = Property(
        bool, lambda self: self._monitor.is_confirming(), _set_confirming, notify=timingsChanged
    )
