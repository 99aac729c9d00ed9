"""The passer-by's verdict: one question, "Did this terminal help you?", as a session ends.

It is asked only when the person ends the session themselves (the "Leave" button, "Finish"
on the confirmation) after opening at least one offer or sending an application; never when
the session ends by idle time (nobody is there to answer), never twice in a session. It never
blocks: it goes by itself `VERDICT_S` seconds after the last input (scaled like every other
limit), and the session then ends as it would have.

The answer is an anonymous count in the heartbeat's usage counters, nothing else:
`verdict.helped`, `verdict.neutral`, `verdict.not_helped`, `verdict.skipped` (the person chose
"Skip") and `verdict.unanswered` (the question went by itself). A skip and a walk-away are kept
apart: the first says the question was seen and declined, the second that nobody was there.
"""

from __future__ import annotations

import enum
import logging
import time
from collections.abc import Callable

from PySide6.QtCore import Property, QObject, QTimer, Signal, Slot
from PySide6.QtQml import QmlElement

from kiosk.ui.qmltypes import uncreatable

QML_IMPORT_NAME = "Kiosk"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger("kiosk.ui.verdict")

VERDICT_S = 15.0  # seconds after the last input before the question goes by itself


class Answer(enum.StrEnum):
    """What a passer-by can answer, and the usage counter each one adds to."""

    HELPED = "helped"
    NEUTRAL = "neutral"
    NOT_HELPED = "not_helped"
    SKIPPED = "skipped"
    UNANSWERED = "unanswered"  # the question went by itself

    @property
    def counter(self) -> str:
        """The name of its usage counter."""
        return f"verdict.{self.value}"


@QmlElement
@uncreatable("the application creates the verdict")
class VerdictViewModel(QObject):
    """Whether the question shows, and what an answer (or its absence) counts.

    `count` adds one to a usage counter; `done` ends the session once the question went;
    `factor` is what every limit is multiplied by (the operator's factor, "More time");
    `clock` is monotonic seconds, injectable so tests move time instead of waiting for it.
    """

    showingChanged = Signal()

    def __init__(
        self,
        count: Callable[[str], None],
        done: Callable[[], None],
        factor: Callable[[], float] = lambda: 1.0,
        clock: Callable[[], float] = time.monotonic,
        tick_ms: int = 250,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._count = count
        self._done = done
        self._factor = factor
        self._clock = clock
        self._earned = False  # an offer opened or an application sent in this session
        self._asked = False  # asked once in this session: never again
        self._showing = False
        self._last_input = clock()
        self._timer = QTimer(self)
        self._timer.setInterval(tick_ms)
        self._timer.timeout.connect(self.check)

    @property
    def timeout_s(self) -> float:
        """Seconds after the last input before the question goes by itself."""
        return VERDICT_S * self._factor()

    def is_showing(self) -> bool:
        """Whether the question is on screen."""
        return self._showing

    def note_offer(self, *_offer: object) -> None:
        """An offer's screen was opened in this session (Navigator.offerOpened)."""
        self._earned = True

    def note_sent(self, *_reference: object) -> None:
        """An application was sent in this session (ApplyViewModel.sent)."""
        self._earned = True

    def ask(self) -> bool:
        """The person ends the session: show the question if this session earned it and has
        not had it yet. True: it shows (or already did: a second "leave" changes nothing), and
        `done` will end the session once it goes."""
        if self._showing:
            return True
        if not self._earned or self._asked:
            return False
        self._asked = True
        self._last_input = self._clock()
        self._set_showing(True)
        self._timer.start()
        log.info("verdict asked")
        return True

    def poke(self) -> None:
        """Input happened: the question stays for another `timeout_s`."""
        self._last_input = self._clock()

    @Slot(str)
    def answer(self, value: str) -> None:
        """The person's answer: "helped", "neutral", "not_helped" or "skipped"."""
        if not self._showing:
            return
        try:
            chosen = Answer(value)
        except ValueError:
            raise ValueError(f"not an answer to the verdict: {value!r}") from None
        if chosen is Answer.UNANSWERED:
            raise ValueError("'unanswered' is counted by the timeout, not chosen")
        self._finish(chosen)

    @Slot()
    def check(self) -> None:
        """Compare the clock with the timeout: the question goes by itself when it is past."""
        if self._showing and self._clock() - self._last_input >= self.timeout_s:
            self._finish(Answer.UNANSWERED)

    def wipe(self) -> None:
        """The session ended (whichever way): no question, and the next session starts with
        nothing earned. Nothing is counted here: an answer counted itself."""
        self._timer.stop()
        self._earned = False
        self._asked = False
        self._set_showing(False)

    def _finish(self, answer: Answer) -> None:
        self._timer.stop()
        self._count(answer.counter)
        log.info("verdict: %s", answer.value)
        self._set_showing(False)
        self._done()

    def _set_showing(self, on: bool) -> None:
        if on != self._showing:
            self._showing = on
            self.showingChanged.emit()

    showing = Property(bool, is_showing, notify=showingChanged)
