"""The reference hub: the server job kiosk terminals enrol with, sync offers from, and send
applications to. Never installed on a terminal (`pip install job-kiosk[hub]`)."""

from __future__ import annotations

from collections.abc import Callable

from kiosk import __version__

__all__ = ["Clock", "__version__"]

Clock = Callable[[], float]  # UTC epoch seconds; injected so tests never wait
