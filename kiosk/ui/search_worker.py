"""Searches run on one worker thread that owns its Searcher; the latest request of a channel wins.

The UI thread posts a request into a mailbox (one slot per channel: a newer request replaces
one still waiting) and wakes the worker with a queued signal. The worker answers with the
request's ticket through a queued signal; a consumer keeps only the ticket it asked for last,
so a page that arrives after the passer-by typed another letter is dropped.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal, Slot

from kiosk.offline.search import Searcher, SearchQuery

log = logging.getLogger("kiosk.ui.search")

SearcherFactory = Callable[[], Searcher]


@dataclass(frozen=True, slots=True)
class SearchRequest:
    """One query to answer, with the ticket its answer will carry."""

    ticket: int
    channel: str
    query: SearchQuery


class Mailbox:
    """The requests waiting for the worker, at most one per channel (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiting: dict[str, SearchRequest] = {}
        self._closed = False

    def put(self, request: SearchRequest) -> bool:
        """File `request`, replacing the channel's older one; False once closed."""
        with self._lock:
            if self._closed:
                return False
            replaced = self._waiting.get(request.channel)
            if replaced is not None:
                log.debug("search %d superseded by %d", replaced.ticket, request.ticket)
            self._waiting[request.channel] = request
            return True

    def take(self) -> SearchRequest | None:
        """The oldest waiting request, or None."""
        with self._lock:
            if not self._waiting:
                return None
            request = min(self._waiting.values(), key=lambda r: r.ticket)
            del self._waiting[request.channel]
            return request

    def close(self) -> None:
        """Refuse new requests and forget the waiting ones."""
        with self._lock:
            self._closed = True
            self._waiting.clear()

    @property
    def closed(self) -> bool:
        """Whether the mailbox was closed (the service stopped)."""
        return self._closed


class SearchWorker(QObject):
    """Lives on the search thread: opens its Searcher there and answers the mailbox."""

    pageReady = Signal(int, object)  # ticket, SearchPage
    failed = Signal(int, str)  # ticket, what went wrong (for the log and a retry state)

    def __init__(self, factory: SearcherFactory, mailbox: Mailbox) -> None:
        super().__init__()
        self._factory = factory
        self._mailbox = mailbox
        self._searcher: Searcher | None = None
        self._broken: str | None = None  # why the Searcher could not be opened

    @Slot()
    def open(self) -> None:
        """Create the Searcher on this thread (its connection must stay on it) and warm it."""
        started = time.perf_counter()
        try:
            searcher = self._factory()
            size = searcher.index().size
        except Exception as exc:  # the environment: every request will report it
            log.exception("the search worker cannot open the offers cache")
            self._broken = f"{type(exc).__name__}: {exc}"
        else:
            self._searcher = searcher
            log.info(
                "search worker ready: index of %d offers in %.0f ms",
                size,
                (time.perf_counter() - started) * 1000,
            )
        self.drain()

    @Slot()
    def drain(self) -> None:
        """Answer every waiting request, the oldest channel first."""
        if self._broken is not None:
            while (request := self._mailbox.take()) is not None:
                self.failed.emit(request.ticket, self._broken)
            return
        if self._searcher is None:
            return  # not open yet: `open` drains when it is
        while (request := self._mailbox.take()) is not None:
            try:
                page = self._searcher.search(request.query)
            except Exception as exc:  # the environment (locked, damaged file): report, go on
                log.exception("search %d failed", request.ticket)
                self.failed.emit(request.ticket, f"{type(exc).__name__}: {exc}")
                continue
            self.pageReady.emit(request.ticket, page)

    @Slot()
    def close(self) -> None:
        """Release the connection and hand this object back to the main thread."""
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        app = QCoreApplication.instance()
        if app is not None:
            self.moveToThread(app.thread())


class SearchService(QObject):
    """The UI thread's side of the search thread: `search()` returns a ticket at once and the
    page arrives later through `pageReady(ticket, page)`."""

    pageReady = Signal(int, object)  # ticket, SearchPage
    failed = Signal(int, str)
    _wake = Signal()
    _close = Signal()

    def __init__(self, factory: SearcherFactory, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._mailbox = Mailbox()
        self._tickets = itertools.count(1)
        self._thread = QThread()
        self._thread.setObjectName("search")
        self._worker = SearchWorker(factory, self._mailbox)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.open)
        self._wake.connect(self._worker.drain)
        self._close.connect(self._worker.close, Qt.ConnectionType.BlockingQueuedConnection)
        self._worker.pageReady.connect(self.pageReady)
        self._worker.failed.connect(self.failed)

    def start(self) -> None:
        """Start the thread (once; later calls do nothing); the Searcher opens there."""
        if not self._thread.isRunning() and not self._mailbox.closed:
            self._thread.start()

    def search(self, query: SearchQuery, channel: str = "browse") -> int:
        """Ask for `query`; a newer request on the same channel replaces it if still waiting."""
        ticket = next(self._tickets)
        if self._mailbox.put(SearchRequest(ticket, channel, query)):
            self._wake.emit()
        return ticket

    def stop(self) -> None:
        """Close the Searcher on its thread, then end the thread (waits for a running query)."""
        self._mailbox.close()  # also keeps a thread that never started from starting later
        if not self._thread.isRunning():
            return
        self._close.emit()  # blocking: returns once the worker closed its connection
        self._thread.quit()
        self._thread.wait()
        log.info("search worker stopped")
