"""Sync with the hub: deliver the outbox, pull the offers feed, send a heartbeat; and the loop
that runs those rounds on a thread of their own in the kiosk (plain Python: no Qt here).

A round never sleeps. Between rounds the loop waits for the heartbeat interval, for the next
queued application to fall due, for a backoff after a failed round, or until it is woken
(an application was just sent, an operator asked for "sync now") or stopped.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import random
import shutil
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import Any

import requests
from sqlalchemy import Connection

from kiosk import __version__
from kiosk.config import KioskConfig, Settings
from kiosk.offline.firms import FirmsCache
from kiosk.offline.offers import FeedPageWrite, OfferStore
from kiosk.offline.outbox import Outbox, OutboxItem
from kiosk.offline.services import ServicesCache
from kiosk.sources import SourceError, due_sources, harvest_source
from kiosk.status import terminal_alerts
from kiosk.sync import pushed
from kiosk.sync.feed import InlineExecutor, PoolFactory, PreparedPage, prepare_page
from kiosk.sync.firms import FirmsStep
from kiosk.sync.hub import HubClient, HubError, UnauthorisedError
from kiosk.sync.retry import CAP_S, backoff_s
from kiosk.sync.services import ServicesStep
from kiosk.sync.state import (
    full_refreshes,
    last_sync,
    load_cursor,
    mark_up_to_date,
    save_cursor,
)
from kiosk.usage import OfferViews, ViewBatch

log = logging.getLogger("kiosk.sync")

BATCH = 20
MAX_PAGES = 10_000
PIPELINE_PAGES = 4  # pages fetched and parsing ahead of the one being written
MIN_DELAY_S = 1.0
# After a failed round the loop waits 5 s, 10 s, 20 s… (full jitter) up to 5 minutes.
FAILED_ROUND_BASE_S = 5.0
FAILED_ROUND_CAP_S = 300.0
ALERTS_MAX, ALERT_MAX = 20, 500  # alerts in a heartbeat, characters in one (the hub's limits)


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
    errors: list[str] = field(default_factory=list)  # the hub's (they make the round fail)
    source_errors: list[str] = field(default_factory=list)  # the direct sources'
    config: dict[str, Any] | None = None  # pushed by the hub in this round's heartbeat
    config_applied: int | None = None  # its version, once applied
    config_refused: str | None = None  # or why it was refused
    stopped: bool = False  # the loop was asked to stop half-way
    retry_after_s: float | None = None  # the longest wait the hub asked for (Retry-After)

    def wait_at_least(self, seconds: float | None) -> None:
        """Note a wait the hub asked for."""
        if seconds is not None:
            self.retry_after_s = max(seconds, self.retry_after_s or 0.0)

    @property
    def online(self) -> bool:
        """Whether the hub answered this round (a refused token is an answer)."""
        return self.unauthorised or not any(e.startswith(NETWORK_PREFIXES) for e in self.errors)

    def summary(self) -> str:
        """One line for people."""
        line = (
            f"delivered {self.delivered}, retried {self.retried}, parked {self.parked}; "
            f"offers in {self.offers_in}, withdrawn {self.withdrawn}"
        )
        if self.not_modified:
            line += " (feed not modified)"
        if self.errors or self.source_errors:
            line += f"; errors: {'; '.join(self.errors + self.source_errors)}"
        return line


# Errors of the network or of a hub that is down (as opposed to a refusal): the terminal is
# offline as far as the passer-by is concerned.
NETWORK_PREFIXES = ("network:", "delivery: HTTP 5", "feed: HTTP 5", "heartbeat: HTTP 5")


@dataclass(frozen=True, slots=True)
class SyncStatus:
    """What the screen and the operator panel show of sync (no personal data)."""

    syncing: bool
    online: bool | None  # None before the first round ended
    last_sync_ts: int | None  # when the offers were last known up to date (epoch seconds)
    queue_depth: int
    parked: int
    pages: int = 0  # progress of the round under way
    offers_in: int = 0
    error: str | None = None  # the last round's first error
    unauthorised: bool = False


def _save(page: PreparedPage, now: int, connection: Connection) -> None:
    save_cursor(connection, page.cursor, page.etag, now)


class SyncEngine:
    """Plain Python (no Qt): call `run_once()` from a worker thread or the command line."""

    def __init__(
        self,
        settings: Settings,
        store: OfferStore,
        outbox: Outbox,
        client: HubClient | None,
        clock: Callable[[], float] = time.time,
        rand: Callable[[], float] = random.random,
        counters: Callable[[], dict[str, int]] = dict,
        on_config: Callable[[KioskConfig], None] | None = None,
        parsers: PoolFactory | None = None,
        offer_views: OfferViews | None = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self.outbox = outbox
        self.client = client
        self._clock = clock
        self._rand = rand
        self._counters = counters
        # The offers opened since the last heartbeat the hub acknowledged (None: not sent);
        # False once a hub that predates them refused them.
        self._offer_views = offer_views
        self._views_welcome = True
        self.on_config = on_config
        # Worker processes that parse a long pull's pages (None: this thread parses them).
        self.parsers = parsers
        self._started = clock()
        self._config_version = pushed.version_of(pushed.load(settings.data_dir))
        self._config_refused: str | None = None
        # Offer sources this terminal harvests itself: a resync of the hub feed keeps them.
        self._direct_sources = frozenset(s.name for s in settings.config.sources if s.kind != "hub")
        self.progress: Callable[[SyncReport], None] | None = None
        # Called with an application's id once the hub confirmed it (from the sync thread):
        # the confirmation on screen then says "sent".
        self.on_delivered: Callable[[str], None] | None = None
        self._http = requests.Session()  # the direct sources' connections
        # When each direct source was last tried (epoch seconds): the last refresh that was
        # recorded, until this process tries it.
        self._harvested: dict[str, float | None] = dict(full_refreshes(store.engine))
        self.page_limit = 1000  # offers and tombstones per feed page (the hub's maximum)
        # The services corner, fetched whole after the feed (kiosk/sync/services.py); called
        # from the sync thread when its list changed.
        self.on_services: Callable[[], None] | None = None
        self._services = ServicesStep(
            ServicesCache(store.engine), lambda: self.on_services() if self.on_services else None
        )
        # The firms that hire near here, fetched whole after the services (kiosk/sync/firms.py);
        # called from the sync thread when their list changed.
        self.on_firms: Callable[[], None] | None = None
        self._firms = FirmsStep(
            FirmsCache(store.engine, store.origin),
            lambda: self.on_firms() if self.on_firms else None,
        )

    @property
    def configured(self) -> bool:
        """Whether there is anything to sync with: a hub, or a source of its own."""
        return self.client is not None or bool(self._direct_sources)

    def close(self) -> None:
        """Release the connections."""
        self._http.close()
        if self.client is not None:
            self.client.close()

    def run_once(self, should_stop: Callable[[], bool] = lambda: False) -> SyncReport:
        """With a hub: recover, drain the outbox, pull the feed, send one heartbeat. Then
        harvest the direct sources that are due."""
        report = SyncReport()
        if self.client is not None:
            self._hub_round(report, should_stop)
        if not report.stopped and not should_stop():
            self._harvest(report, should_stop)
        return report

    def _hub_round(self, report: SyncReport, should_stop: Callable[[], bool]) -> None:
        assert self.client is not None
        self.outbox.recover()
        try:
            self._drain(report, should_stop)
            if report.unauthorised or should_stop():
                report.stopped = should_stop()
                return
            self._pull(report, should_stop)
            if report.stopped:
                return
            services = self._services.run(self.client)
            if services.error is not None:
                report.errors.append(services.error)
                report.wait_at_least(services.retry_after_s)
            firms = self._firms.run(self.client)
            if firms.error is not None:
                report.errors.append(firms.error)
                report.wait_at_least(firms.retry_after_s)
            report.config = self._heartbeat()
            if report.config is not None:
                self._apply_config(report.config, report)
        except UnauthorisedError:
            report.unauthorised = True
            report.errors.append("the hub refused the terminal's token (401)")
        except HubError as exc:
            report.errors.append(str(exc))
            report.wait_at_least(exc.retry_after_s)

    # -- direct sources -----------------------------------------------------------------------

    def _harvest(self, report: SyncReport, should_stop: Callable[[], bool]) -> None:
        """Harvest each due direct source into the cache (a full refresh of that source)."""
        config = self.settings.config
        now = self._clock()
        for section in due_sources(config.sources, self._harvested, now):
            if should_stop():
                report.stopped = True
                return
            self._harvested[section.name] = now  # an attempt: a failing source waits its turn
            records = harvest_source(section, config.origin, config.location.radius_km, self._http)
            try:
                imported = self.store.import_records(
                    records, source=section.name, full_refresh=True
                )
            except SourceError as exc:
                report.source_errors.append(f"{section.name}: {exc}")
                log.error("source %s: %s", section.name, exc)
                continue
            report.offers_in += imported.inserted + imported.updated
            report.withdrawn += imported.withdrawn
            report.rejected += len(imported.rejected)
            log.info("source %s: %s", section.name, imported.summary())
            self._report(report)

    def _report(self, report: SyncReport) -> None:
        if self.progress is not None:
            self.progress(report)

    # -- outbox -------------------------------------------------------------------------------

    def _drain(self, report: SyncReport, should_stop: Callable[[], bool]) -> None:
        assert self.client is not None
        terminal_id = self.settings.config.terminal.id
        seen: set[str] = set()
        while batch := self.outbox.claim(BATCH):
            fresh = [item for item in batch if item.id not in seen]
            # Due again within this round (a short Retry-After): left for the next round.
            self.outbox.release([item.id for item in batch if item.id in seen])
            if not fresh:
                return
            for index, item in enumerate(fresh):
                seen.add(item.id)
                going = self._deliver(item, terminal_id, report)
                self._report(report)
                if not going or should_stop():
                    self.outbox.release([rest.id for rest in fresh[index + 1 :]])
                    report.stopped = going
                    return

    def _deliver(self, item: OutboxItem, terminal_id: str, report: SyncReport) -> bool:
        """Deliver one item; False when the round should stop delivering."""
        assert self.client is not None
        result = self.client.put_application(item, terminal_id, self._clock())
        if result.outcome == "delivered":
            self.outbox.delivered(item.id)
            report.delivered += 1
            if self.on_delivered is not None:
                self.on_delivered(item.id)
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
        report.wait_at_least(delay)
        if delay is None:
            delay = backoff_s(item.attempts, rand=self._rand)
        self.outbox.retry_later(item.id, max(MIN_DELAY_S, delay), result.reason)
        report.retried += 1
        log.info("application %s: retry in %.0f s (%s)", item.id, delay, result.reason)
        if result.status is None:
            report.errors.append(result.reason)  # "network: …"
        elif result.status >= 500:
            report.errors.append(f"delivery: {result.reason}")
        # A network error or a busy hub: the others would fare no better now.
        return result.status is not None and result.status < 500 and result.status != 429

    # -- feed ---------------------------------------------------------------------------------

    def _pull(self, report: SyncReport, should_stop: Callable[[], bool]) -> None:
        """Apply the feed page by page, each with its cursor in one transaction.

        A fetching thread asks for the pages (the hub names the next one in a header) and
        hands each to the parsers; this thread writes them in order as they are ready. So the
        network, the parsing (other processes) and the writing overlap.
        """
        assert self.client is not None
        engine = self.store.engine
        cursor, etag = load_cursor(engine)
        writer = self.store.feed_writer()
        # A first pull lists everything the terminal should have: what it does not list (the
        # demo offers of a first start, say) goes when it is complete, as after a resync.
        listing = cursor is None
        fetch = _Fetcher(self, cursor, etag, int(self._clock()))
        fetch.start()
        try:
            while (item := fetch.next()) is not None:
                if item is NOT_MODIFIED:
                    report.not_modified = True
                    mark_up_to_date(engine, int(self._clock()))
                    return
                if should_stop():
                    report.stopped = True
                    return
                assert isinstance(item, Future)
                page = item.result()
                report.pages += 1
                if page.resync:
                    listing = report.resynced = True
                write = FeedPageWrite(
                    page.records,
                    page.withdrawn,
                    start_listing=listing,
                    last=not page.more,
                    keep_sources=self._direct_sources,
                )
                imported = writer.apply(write, partial(_save, page, int(self._clock())))
                listing = False
                report.offers_in += imported.inserted + imported.updated
                report.withdrawn += imported.withdrawn
                report.rejected += len(imported.rejected)
                self._report(report)
        finally:
            fetch.close()

    # -- heartbeat and configuration ----------------------------------------------------------

    def _heartbeat(self) -> dict[str, Any] | None:
        """Send the heartbeat with the oldest pending offer views; they are forgotten once the
        hub answered 2xx (a lost heartbeat sends them again next time)."""
        assert self.client is not None
        views = self._offer_views if self._views_welcome else None
        batch = views.batch() if views is not None else ViewBatch(())
        try:
            config = self.client.heartbeat(self._heartbeat_body(batch))
        except HubError as exc:
            if not batch.entries or "HTTP 422" not in str(exc):
                raise
            # A hub older than `offer_views` refuses the field: say so, and go on without it.
            config = self.client.heartbeat(self._heartbeat_body())
            log.warning("the hub refused offer_views (an older hub?): offer views not sent")
            self._views_welcome = False
            return config
        if views is not None:
            views.acknowledge(batch)
        return config

    def _heartbeat_body(self, views: ViewBatch | None = None) -> dict[str, Any]:
        stats = self.outbox.stats()
        try:
            free_mb = shutil.disk_usage(self.settings.data_dir).free // (1024 * 1024)
        except OSError:
            free_mb = 0
        last = last_sync(self.store.engine)
        alerts = terminal_alerts(self.settings, self.outbox)
        body: dict[str, Any] = {
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
            "counters": self._counters(),
            "config_version": self._config_version,
            # What needs an operator (a key applications cannot be sealed to, a damaged
            # outbox…): shown on the hub's fleet page.
            "alerts": [alert[:ALERT_MAX] for alert in alerts[:ALERTS_MAX]],
        }
        if self._config_refused is not None:
            body["config_refused"] = self._config_refused
        if views is not None and views.entries:
            body["offer_views"] = views.body()
        return body

    def _apply_config(self, config: dict[str, Any], report: SyncReport) -> None:
        """Apply the hub's configuration whole, or refuse it whole and say why next time."""
        version = pushed.version_of(config)
        try:
            merged = pushed.merge(self.settings.config, config)
            pushed.save(self.settings.data_dir, config)
        except (pushed.PushedConfigError, OSError) as exc:
            reason = f"version {version}: {exc}"[:500]
            if reason != self._config_refused:
                log.error("configuration from the hub refused: %s", reason)
            self._config_refused = report.config_refused = reason
            return
        log.info("configuration version %s from the hub applied", version)
        self._config_version, self._config_refused = version, None
        report.config_applied = version
        if self.on_config is not None:
            self.on_config(merged)


NOT_MODIFIED = object()  # what the fetcher hands over for a 304
_END = object()


class _Fetcher:
    """The fetching thread of one pull: pages in order, as futures of `PreparedPage`."""

    def __init__(self, engine: SyncEngine, cursor: str | None, etag: str | None, now: int):
        assert engine.client is not None
        self._client = engine.client
        self._limit = engine.page_limit
        self._parsers = engine.parsers
        self._origin = engine.settings.config.origin
        self._cursor, self._etag, self._now = cursor, etag, now
        self._queue: queue.Queue[object] = queue.Queue(maxsize=PIPELINE_PAGES)
        self._closing = threading.Event()
        self._pool: Executor | None = None
        self._thread = threading.Thread(target=self._run, name="sync-fetch", daemon=True)

    def start(self) -> None:
        """Start asking for pages."""
        self._thread.start()

    def next(self) -> object | None:
        """The next page's future, NOT_MODIFIED, or None after the last page (re-raises what
        went wrong while fetching)."""
        item = self._queue.get()
        if isinstance(item, BaseException):
            raise item
        return None if item is _END else item

    def close(self) -> None:
        """Stop fetching, let the thread go, stop the parsers."""
        self._closing.set()
        while self._thread.is_alive():
            with contextlib.suppress(queue.Empty):
                item = self._queue.get(timeout=0.1)  # unblocks a thread waiting to put
                if isinstance(item, Future):
                    item.cancel()
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)

    def _put(self, item: object) -> bool:
        while not self._closing.is_set():
            with contextlib.suppress(queue.Full):
                self._queue.put(item, timeout=0.1)
                return True
        return False

    def _run(self) -> None:
        try:
            self._fetch_all()
        except BaseException as exc:  # handed to the writing thread, which raises it
            self._put(exc)

    def _fetch_all(self) -> None:
        cursor, etag, more = self._cursor, self._etag, True
        for _ in range(MAX_PAGES):
            if self._closing.is_set():
                return
            raw = self._client.get_feed_raw(cursor, etag, self._limit)
            if raw is None:
                self._put(NOT_MODIFIED)
                return
            future: Future[PreparedPage]
            if raw.cursor is None or raw.more is None:
                # A hub without the Feed-Cursor header: decode here to know the next page.
                future = Future()
                future.set_result(prepare_page(raw, self._origin, self._now))
                cursor, more = future.result().cursor, future.result().more
            else:
                if raw.more and self._pool is None and self._parsers is not None:
                    self._pool = self._parsers()
                executor = self._pool or InlineExecutor()
                future = executor.submit(prepare_page, raw, self._origin, self._now)
                cursor, more = raw.cursor, raw.more
            etag = None  # the ETag goes back only with the cursor of a finished feed
            if not self._put(future) or not more:
                self._put(_END)
                return
        raise HubError("feed: too many pages in one round")


class SyncLoop:
    """Runs rounds of `engine` until stopped; `wake()` starts the next one at once.

    `on_status` is called from the loop's thread whenever something the screen shows changed.
    """

    def __init__(
        self,
        engine: SyncEngine,
        interval_s: float,
        clock: Callable[[], float] = time.time,
        rand: Callable[[], float] = random.random,
        on_status: Callable[[SyncStatus], None] | None = None,
    ) -> None:
        self.engine = engine
        self.interval_s = interval_s
        self._clock = clock
        self._rand = rand
        self.on_status = on_status
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._failures = 0
        self._last: SyncReport | None = None
        engine.progress = lambda report: self._status(report, syncing=True)

    def wake(self) -> None:
        """Start the next round now (or right after the one under way)."""
        self._wake.set()

    def stop(self) -> None:
        """End the loop: the round under way stops between two requests."""
        self._stopping.set()
        self._wake.set()

    def run(self) -> None:
        """Rounds until `stop()`: call it on a thread of its own."""
        while not self._stopping.is_set():
            self._wake.clear()
            self._status(SyncReport(), syncing=True)
            try:
                report = self.engine.run_once(self._stopping.is_set)
            except Exception as exc:  # a bug or the disk: log it, keep the loop alive
                log.exception("sync round failed")
                report = SyncReport(errors=[f"internal: {type(exc).__name__}"])
            self._last = report
            self._failures = self._failures + 1 if report.errors else 0
            if report.errors:
                log.warning("sync round: %s", report.summary())
            elif report.delivered or report.offers_in or report.withdrawn or report.parked:
                log.info("sync round: %s", report.summary())
            self._status(report, syncing=False)
            self._wake.wait(self.next_delay(report))

    def next_delay(self, report: SyncReport) -> float:
        """Seconds until the next round: the interval, sooner when an application falls due
        or after failed rounds (capped exponential backoff with full jitter), never sooner
        than a `Retry-After` of the hub."""
        delay = self.interval_s
        if self._failures and not report.unauthorised:
            delay = min(
                delay,
                max(
                    MIN_DELAY_S,
                    backoff_s(self._failures, FAILED_ROUND_BASE_S, FAILED_ROUND_CAP_S, self._rand),
                ),
            )
        if report.unauthorised:
            return delay  # nothing will go before an operator re-enrols the terminal
        due = self.engine.outbox.next_due()
        if due is not None:
            delay = min(delay, max(MIN_DELAY_S, due - self._clock()))
        if report.retry_after_s is not None:  # the hub said how long: not sooner
            delay = max(delay, min(report.retry_after_s, CAP_S))
        return delay

    def status(self) -> SyncStatus:
        """The state of sync between rounds (reads the stores: not on the UI thread)."""
        return self._build_status(self._last or SyncReport(), syncing=False)

    def _build_status(self, report: SyncReport, syncing: bool) -> SyncStatus:
        engine = self.engine
        stats = engine.outbox.stats()
        last = self._last
        return SyncStatus(
            syncing=syncing,
            online=None if last is None else last.online,
            last_sync_ts=last_sync(engine.store.engine),
            queue_depth=stats.depth,
            parked=stats.parked,
            pages=report.pages,
            offers_in=report.offers_in,
            error=last.errors[0] if last is not None and last.errors else None,
            unauthorised=last.unauthorised if last is not None else False,
        )

    def _status(self, report: SyncReport, syncing: bool) -> None:
        if self.on_status is not None:
            self.on_status(self._build_status(report, syncing))
