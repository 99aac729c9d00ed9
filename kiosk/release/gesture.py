"""The hidden operator gesture: five quick taps in the top-left corner, then the PIN."""

from __future__ import annotations

import time
from collections.abc import Callable


class OperatorGesture:
    """Recognises `taps` taps inside the top-left corner within `within_s` seconds.

    The UI feeds it every tap (window pixels) and opens the PIN pad when `tap` returns True.
    A tap anywhere else, or too slow a sequence, starts over; passers-by who touch the corner
    once or twice never see anything. Plain Python (no Qt) so it is tested on its own.
    """

    def __init__(
        self,
        *,
        taps: int = 5,
        within_s: float = 3.0,
        corner: float = 0.12,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._taps = taps
        self._within_s = within_s
        self._corner = corner
        self._clock = clock
        self._times: list[float] = []

    def tap(self, x: float, y: float, width: float, height: float) -> bool:
        """Feed one tap; True when it completes the gesture (which then starts over)."""
        side = self._corner * min(width, height)
        if not (0 <= x <= side and 0 <= y <= side):
            self._times.clear()
            return False
        now = self._clock()
        self._times = [t for t in self._times if now - t <= self._within_s]
        self._times.append(now)
        if len(self._times) >= self._taps:
            self._times.clear()
            return True
        return False

    def reset(self) -> None:
        """Forget the taps so far (on a screen change or an idle reset)."""
        self._times.clear()
