"""Anonymous usage counters for the heartbeat: how many sessions, screens and applications
since the kiosk started. Counts only: nothing about who, what they typed or which offer."""

from __future__ import annotations

import re
import threading
from collections import Counter

_NAME = re.compile(r"^[a-z0-9][a-z0-9_.]{0,63}$")  # the hub's rule for counter names
MAX_NAMES = 64


class UsageCounters:
    """Thread-safe counters (the UI thread counts, the sync thread reads)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()

    def add(self, name: str, amount: int = 1) -> None:
        """Count `amount` more of `name` (a malformed or 65th name is a bug: ValueError)."""
        if not _NAME.match(name):
            raise ValueError(f"counter name {name!r} is not [a-z0-9][a-z0-9_.]*")
        with self._lock:
            if name not in self._counts and len(self._counts) >= MAX_NAMES:
                raise ValueError(f"more than {MAX_NAMES} counters")
            self._counts[name] += amount

    def snapshot(self) -> dict[str, int]:
        """The counts so far."""
        with self._lock:
            return dict(self._counts)
