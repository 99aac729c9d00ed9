"""The hub's background work, on its own threads: webhook deliveries, the recruiters' mail and
the retention purge on one, scheduled source harvests on another, La Bonne Boîte's firms on a
third (a long harvest never delays a delivery, nor the offers)."""

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
        # La Bonne Boîte's firms (hub/firms/), harvested every `refresh_hours`.
        self._firms = services.settings.config.labonneboite
        self._next_firms = 0.0

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
        if self._firms is not None:  # its own thread: a long harvest never delays offers
            self._threads.append(threading.Thread(target=self._firm_harvests, name="hub-firms"))
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

    def firms_once(self) -> float:
        """Harvest La Bonne Boîte if due (recorded for the fleet page, whatever happens);
        seconds until it is due again."""
        from hub.firms.harvest import harvest_firms  # noqa: PLC0415

        section = self._firms
        if section is None:
            return MAX_WAIT_S
        if self._next_firms == 0.0:  # a restart does not harvest again before it is due
            from hub.firms.store import FirmStore  # noqa: PLC0415

            last = FirmStore(self._services.db, self._clock).last_run()
            if last is not None:
                self._next_firms = last["started_at"] + section.refresh_hours * 3600
        if self._clock() >= self._next_firms:
            try:
                harvest_firms(section, self._services.db, self._services.clock)
            except Exception as exc:
                log.warning("harvest of La Bonne Boîte failed: %s", type(exc).__name__)
            self._next_firms = self._clock() + section.refresh_hours * 3600
        return max(1.0, min(self._next_firms - self._clock(), MAX_WAIT_S))

    def _firm_harvests(self) -> None:
        while not self._stop.is_set():
            self._stop.wait(self.firms_once())

    def _deliveries(self) -> None:
        while not self._stop.is_set():
            wait = self.deliveries_once()
            self._wake.wait(wait)
            self._wake.clear()

    def _harvests(self) -> None:
        while not self._stop.is_set():
            self._stop.wait(self.harvests_once())
