"""The hub's background work, on two threads: webhook deliveries, the recruiters' mail and
the retention purge on one, scheduled source harvests on the other (a long harvest never
delays a delivery)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from hub import Clock
from hub.app import Services
from hub.offers import IngestReport, OfferRepository
from hub.settings import SourceSection
from hub.webhook import WebhookForwarder

log = logging.getLogger("hub.jobs")

IngestFunction = Callable[[SourceSection, OfferRepository], IngestReport]
MAX_WAIT_S = 60.0


class BackgroundJobs:
    """Starts, wakes and stops the background threads."""

    def __init__(
        self,
        services: Services,
        forwarder: WebhookForwarder | None,
        sources: list[SourceSection],
        ingest: IngestFunction,
        clock: Clock = time.time,
    ) -> None:
        self._services = services
        self._forwarder = forwarder
        self._sources = sources
        self._ingest = ingest
        self._clock = clock
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._threads: list[threading.Thread] = []
        self._next_purge = 0.0
        self._next_harvest = {source.name: 0.0 for source in sources}

    def wake(self) -> None:
        """Look for due work now (called after each new application)."""
        self._wake.set()

    def start(self) -> None:
        """Start the threads (mail a stopped hub was sending is due again first)."""
        try:
            self._services.notifier.recover()
        except Exception:
            log.exception("recovering the recruiters' mail failed")
        self._threads = [threading.Thread(target=self._deliveries, name="hub-deliveries")]
        if self._sources:
            self._threads.append(threading.Thread(target=self._harvests, name="hub-harvests"))
        for thread in self._threads:
            thread.daemon = True
            thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the threads to finish and wait for them (a harvest stops between sources)."""
        self._stop.set()
        self._wake.set()
        for thread in self._threads:
            thread.join(timeout)

    def deliveries_once(self) -> float:
        """Purge if due, deliver what is due; seconds until something is due again."""
        now = self._clock()
        if now >= self._next_purge:
            try:
                self._services.purge()
            except Exception:
                log.exception("retention purge failed")
            every = self._services.settings.config.retention.purge_every_minutes * 60
            self._next_purge = now + every
        wait = self._next_purge - now
        if self._forwarder is not None:
            try:
                self._forwarder.run_due()
                due = self._forwarder.next_due()
            except Exception:
                log.exception("webhook deliveries failed")
                due = None
            if due is not None:
                wait = min(wait, max(0.0, due - self._clock()))
        try:
            self._services.notifier.run_due()
            due = self._services.notifier.next_due()
        except Exception:
            log.exception("recruiters' mail failed")
            due = None
        if due is not None:
            wait = min(wait, max(0.0, due - self._clock()))
        return max(0.05, min(wait, MAX_WAIT_S))

    def harvests_once(self) -> float:
        """Harvest the sources that are due; seconds until the next one is."""
        for source in self._sources:
            if self._stop.is_set():
                break
            if self._clock() < self._next_harvest[source.name]:
                continue
            try:
                self._ingest(source, self._services.offers)
            except Exception as exc:  # recorded on the fleet page by ingest_source
                log.warning("harvest of %s failed: %s", source.name, type(exc).__name__)
            self._next_harvest[source.name] = self._clock() + source.refresh_minutes * 60
        upcoming = min(self._next_harvest.values(), default=self._clock() + MAX_WAIT_S)
        return max(1.0, min(upcoming - self._clock(), MAX_WAIT_S))

    def _deliveries(self) -> None:
        while not self._stop.is_set():
            wait = self.deliveries_once()
            self._wake.wait(wait)
            self._wake.clear()

    def _harvests(self) -> None:
        while not self._stop.is_set():
            self._stop.wait(self.harvests_once())
