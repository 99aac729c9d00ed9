"""One sync round with the hub: deliver the outbox, pull the offers feed, send a heartbeat."""

from __future__ import annotations

import logging
import random
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from kiosk import __version__
from kiosk.config import Settings
from kiosk.domain import Offer
from kiosk.formats import FormatError, parse_document
from kiosk.formats.common import Rejection
from kiosk.offline.offers import OfferStore
from kiosk.offline.outbox import Outbox, OutboxItem
from kiosk.sync.hub import FeedPage, HubClient, HubError, UnauthorisedError
from kiosk.sync.retry import backoff_s
from kiosk.sync.state import load_cursor, save_cursor

log = logging.getLogger("kiosk.sync")

BATCH = 20
MAX_PAGES = 10_000
MIN_DELAY_S = 1.0


@dataclass(slots=True)
class SyncReport:
    """What one round did (counts and error codes only: never personal data)."""

    delivered: int = 0
    retried: int = 0
    parked: int = 0
    offers_in: int = 0
    withdrawn: int = 0
    rejected: int = 0
    pages: int = 0
    not_modified: bool = False
    resynced: bool = False
    unauthorised: bool = False
    errors: list[str] = field(default_factory=list)
    config: dict[str, Any] | None = None

    def summary(self) -> str:
        """One line for people."""
        line = (
            f"delivered {self.delivered}, retried {self.retried}, parked {self.parked}; "
            f"offers in {self.offers_in}, withdrawn {self.withdrawn}"
        )
        if self.not_modified:
            line += " (feed not modified)"
        if self.errors:
            line += f"; errors: {'; '.join(self.errors)}"
        return line


def _records(page: FeedPage) -> Iterator[Offer | Rejection]:
    for entry in page.offers:
        try:
            yield from parse_document(
                str(entry.get("format")), entry.get("raw"), str(entry["source"])
            )
        except FormatError as exc:
            yield Rejection(str(entry.get("id")), str(exc))


class SyncEngine:
    """Plain Python (no Qt): call `run_once()` from a worker thread or the command line."""

    def __init__(
        self,
        settings: Settings,
        store: OfferStore,
        outbox: Outbox,
        client: HubClient,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        rand: Callable[[], float] = random.random,
    ) -> None:
        self.settings = settings
        self.store = store
        self.outbox = outbox
        self.client = client
        self._clock = clock
        self._sleep = sleep  # kept for a periodic loop; one round never sleeps
        self._rand = rand
        self._started = clock()
        self._last_sync: float | None = None

    def run_once(self) -> SyncReport:
        """Recover, drain the outbox, pull the feed, send one heartbeat."""
        report = SyncReport()
        self.outbox.recover()
        try:
            self._drain(report)
            if report.unauthorised:
                return report
            self._pull(report)
            report.config = self.client.heartbeat(self._heartbeat_body())
        except UnauthorisedError:
            report.unauthorised = True
            report.errors.append("the hub refused the terminal's token (401)")
        except HubError as exc:
            report.errors.append(str(exc))
        return report

    # -- outbox -------------------------------------------------------------------------------

    def _drain(self, report: SyncReport) -> None:
        terminal_id = self.settings.config.terminal.id
        seen: set[str] = set()
        while batch := self.outbox.claim(BATCH):
            fresh = [item for item in batch if item.id not in seen]
            for item in batch:
                if item.id in seen:  # due again within this round: leave it for the next one
                    self.outbox.retry_later(item.id, MIN_DELAY_S, "deferred")
            if not fresh:
                return
            for index, item in enumerate(fresh):
                seen.add(item.id)
                if not self._deliver(item, terminal_id, report):
                    for rest in fresh[index + 1 :]:
                        self.outbox.retry_later(rest.id, 0, "not tried: the hub is unavailable")
                    return

    def _deliver(self, item: OutboxItem, terminal_id: str, report: SyncReport) -> bool:
        """Deliver one item; False when the round should stop delivering."""
        result = self.client.put_application(item, terminal_id, self._clock())
        if result.outcome == "delivered":
            self.outbox.delivered(item.id)
            report.delivered += 1
            return True
        if result.outcome == "park":
            self.outbox.park(item.id, result.reason)
            report.parked += 1
            return True
        if result.outcome == "reauth":
            self.outbox.retry_later(item.id, 0, "unauthorised")
            report.unauthorised = True
            report.errors.append("the hub refused the terminal's token (401)")
            return False
        delay = result.retry_after_s
        if delay is None:
            delay = backoff_s(item.attempts, rand=self._rand)
        self.outbox.retry_later(item.id, max(MIN_DELAY_S, delay), result.reason)
        report.retried += 1
        log.info("application %s: retry in %.0f s (%s)", item.id, delay, result.reason)
        # A network error or a busy hub: the others would fare no better now.
        return result.status is not None and result.status < 500 and result.status != 429

    # -- feed ---------------------------------------------------------------------------------

    def _pull(self, report: SyncReport) -> None:
        engine = self.store.engine
        cursor, etag = load_cursor(engine)
        shadow: dict[str, set[str]] | None = None
        for _ in range(MAX_PAGES):
            page = self.client.get_feed(cursor, etag)
            if page is None:
                report.not_modified = True
                self._last_sync = self._clock()
                return
            report.pages += 1
            if page.resync:
                shadow, report.resynced = {}, True
            imported = self.store.import_records(_records(page))
            report.offers_in += imported.inserted + imported.updated
            report.rejected += len(imported.rejected)
            if shadow is not None:
                for entry in page.offers:
                    shadow.setdefault(str(entry["source"]), set()).add(str(entry["id"]))
            by_source: dict[str, list[str]] = {}
            for tomb in page.tombstones:
                by_source.setdefault(str(tomb["source"]), []).append(str(tomb["id"]))
            for source, ids in by_source.items():
                report.withdrawn += self.store.withdraw(source, ids)
            save_cursor(engine, page.cursor, page.etag, int(self._clock()))
            if not page.more:
                if shadow is not None:
                    for source, listed in shadow.items():
                        report.withdrawn += self.store.withdraw_missing(source, listed)
                self._last_sync = self._clock()
                return
            # The ETag goes back only with the cursor of a finished feed (more = false).
            cursor, etag = page.cursor, None
        raise HubError("feed: too many pages in one round")

    # -- heartbeat ----------------------------------------------------------------------------

    def _heartbeat_body(self) -> dict[str, Any]:
        stats = self.outbox.stats()
        try:
            free_mb = shutil.disk_usage(self.settings.data_dir).free // (1024 * 1024)
        except OSError:
            free_mb = 0
        last = self._last_sync
        return {
            "version": __version__,
            "uptime_s": max(0, int(self._clock() - self._started)),
            "last_sync": (
                datetime.fromtimestamp(last, UTC).isoformat().replace("+00:00", "Z")
                if last is not None
                else None
            ),
            "offers": self.store.count(),
            "queue_depth": stats.depth,
            "oldest_queued_age_s": stats.oldest_age_s,
            "free_disk_mb": free_mb,
        }
