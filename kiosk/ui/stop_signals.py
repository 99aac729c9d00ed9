"""The signals that stop the kiosk (SIGTERM from systemd, SIGINT), delivered by the event loop."""

from __future__ import annotations

import logging
import signal
import socket
from collections.abc import Iterable
from types import FrameType

from PySide6.QtCore import QObject, QSocketNotifier, Signal

log = logging.getLogger("kiosk.ui")

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class StopSignals(QObject):
    """Emits `received` with the signal's number, from the top of Qt's event loop.

    Python runs its signal handlers between two bytecodes, wherever the main thread is: often
    in a slot that Qt called from the middle of a timer pass or a frame. Stopping there (the
    kiosk once closed its window there) crashed Qt when a timer of that window fired later in
    the same pass. Here the handler does nothing; the C-level handler writes the signal's
    number to a socket (`signal.set_wakeup_fd`), a notifier wakes the event loop at once, and
    `received` is emitted when the loop reads it, with no Qt call in progress. A signal that
    comes before the loop runs waits in the socket.
    """

    received = Signal(int)

    def __init__(
        self, numbers: Iterable[signal.Signals] = STOP_SIGNALS, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._numbers = frozenset(int(number) for number in numbers)
        self._reader, self._writer = socket.socketpair()
        self._reader.setblocking(False)
        self._writer.setblocking(False)
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._read)
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno(), warn_on_full_buffer=False)
        self._previous = {number: signal.signal(number, _noted) for number in self._numbers}

    def close(self) -> None:
        """Give the signals back to their previous handlers (after the ordered shutdown)."""
        self._notifier.setEnabled(False)
        for number, handler in self._previous.items():
            if handler is not None:  # None: a handler set outside Python, which Python cannot set
                signal.signal(number, handler)
        signal.set_wakeup_fd(self._previous_fd)
        self._reader.close()
        self._writer.close()

    def _read(self) -> None:
        try:
            numbers = self._reader.recv(64)
        except BlockingIOError:
            return
        for number in numbers:
            if number in self._numbers:
                log.info("%s received: stopping", signal.Signals(number).name)
                self.received.emit(number)


def _noted(number: int, frame: FrameType | None) -> None:
    """The Python-level handler: nothing, `StopSignals` acts from the event loop."""
