"""Anonymous usage counters for the heartbeat: how many sessions, screens and applications
since the kiosk started, and how many times each offer was opened. Counts only: nothing about
who, what they typed, or which offers one person looked at."""

from __future__ import annotations

import json
import logging
import re
import threading
from collections import Counter
from dataclasses import dataclass

log = logging.getLogger("kiosk.usage")

_NAME = re.compile(r"^[a-z0-9][a-z0-9_.]{0,63}$")  # the hub's rule for counter names
MAX_NAMES = 64
# The hub's rules for an offer in `offer_views` (hub/schemas.py SOURCE_NAME, OfferId).
_SOURCE = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")  # whole
MAX_ID = 512
MAX_VIEWS = 100_000  # per entry of one heartbeat
BATCH_ENTRIES = 500  # per heartbeat
BATCH_BYTES = 32 * 1024  # of JSON per heartbeat (the hub takes bodies up to 64 KiB)
MAX_PENDING = 20_000  # offers held between two acknowledged heartbeats


class UsageCounters:
    """Thread-safe counters (the UI thread counts, the sync thread reads)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()
        self.offer_views = OfferViews()  # sent apart: per offer, since the last heartbeat

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


@dataclass(frozen=True, slots=True)
class ViewBatch:
    """The views one heartbeat carries: what to subtract once the hub acknowledged it."""

    entries: tuple[tuple[str, str, int], ...]  # (source, id, views)

    def body(self) -> list[dict[str, str | int]]:
        """The heartbeat's `offer_views`."""
        return [{"source": s, "id": i, "views": v} for s, i, v in self.entries]


class OfferViews:
    """How many times each offer's detail screen was opened since the last heartbeat the hub
    acknowledged (thread-safe: the UI thread counts, the sync thread sends).

    The counts live in memory only: a crash or a restart loses the views not yet sent (at
    most one heartbeat interval's worth when the hub is reachable). A heartbeat that does not
    reach the hub loses nothing: its views are subtracted only after a 2xx answer.
    """

    def __init__(self, max_pending: int = MAX_PENDING) -> None:
        self._lock = threading.Lock()
        self._views: dict[tuple[str, str], int] = {}  # in the order first seen
        self._max_pending = max_pending
        self.dropped = 0  # views not counted because too many offers were pending

    def add(self, source: str, offer_id: str) -> None:
        """Count one opening of offer (source, id); an offer the hub could not name (a source
        or id outside the protocol's rules) is not counted."""
        if not _SOURCE.fullmatch(source) or not 0 < len(offer_id) <= MAX_ID:
            return
        key = (source, offer_id)
        with self._lock:
            if key not in self._views and len(self._views) >= self._max_pending:
                if not self.dropped:
                    waiting = len(self._views)
                    log.warning(
                        "views of %d offers wait for the hub: no new offer counted", waiting
                    )
                self.dropped += 1
                return
            self._views[key] = self._views.get(key, 0) + 1

    def pending(self) -> int:
        """How many offers have views waiting for the hub."""
        with self._lock:
            return len(self._views)

    def batch(self, entries: int = BATCH_ENTRIES, size: int = BATCH_BYTES) -> ViewBatch:
        """The oldest pending views, at most `entries` offers and about `size` bytes of JSON
        (an offer seen over MAX_VIEWS times sends MAX_VIEWS and keeps the rest)."""
        chosen: list[tuple[str, str, int]] = []
        used = 0
        with self._lock:
            for (source, offer_id), views in self._views.items():
                # As requests writes it: {"source": "…", "id": "…", "views": 100000},
                cost = len(json.dumps(source)) + len(json.dumps(offer_id)) + 40
                if len(chosen) >= entries or used + cost > size:
                    break
                chosen.append((source, offer_id, min(views, MAX_VIEWS)))
                used += cost
        return ViewBatch(tuple(chosen))

    def acknowledge(self, batch: ViewBatch) -> None:
        """The hub has the batch: forget its views (those counted since stay)."""
        with self._lock:
            for source, offer_id, views in batch.entries:
                key = (source, offer_id)
                left = self._views.get(key, 0) - views
                if left > 0:
                    self._views[key] = left
                else:
                    self._views.pop(key, None)
            if batch.entries:
                self.dropped = 0
