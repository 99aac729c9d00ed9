"""Feed pages turned into rows ready for the offers cache, off the writing thread.

Decoding a page of 1,000 offers and parsing each record costs about 0.15 s of Python; writing
it, about 0.06 s. A long pull therefore decodes and parses its pages in worker processes
(`ParserPool`: two, spawned, so the kiosk's threads and Qt never fork) while the sync thread
asks for the next page — the hub names it in the `Feed-Cursor` header — and writes the pages
in order. Short pulls (one page, a 304) never start a process. Nothing here imports Qt.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import ParamSpec, TypeVar

from kiosk.formats import FormatError, parse_document
from kiosk.formats.common import Rejection
from kiosk.geo import Point
from kiosk.offline.offers import PreparedOffer, prepare_offer
from kiosk.sync.hub import FeedPage, RawFeedPage, decode_feed_page

_P = ParamSpec("_P")
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class PreparedPage:
    """A feed page ready for `FeedWriter.apply`: rows, rejections, tombstones, its cursor."""

    records: list[PreparedOffer | Rejection]
    withdrawn: dict[str, list[str]]  # source → ids
    cursor: str
    more: bool
    resync: bool
    etag: str | None


def prepare_page(raw: RawFeedPage, origin: Point, now: int) -> PreparedPage:
    """Decode `raw`, parse every record with the terminal's parsers, build the rows."""
    page: FeedPage = decode_feed_page(raw)
    records: list[PreparedOffer | Rejection] = []
    for entry in page.offers:
        source = str(entry.get("source"))
        try:
            for record in parse_document(
                str(entry.get("format")), entry.get("raw"), source, cards=True
            ):
                if isinstance(record, Rejection):
                    records.append(record)
                else:
                    records.append(prepare_offer(record, record.source, origin, now))
        except FormatError as exc:
            records.append(Rejection(str(entry.get("id")), str(exc)))
    withdrawn: dict[str, list[str]] = {}
    for tomb in page.tombstones:
        withdrawn.setdefault(str(tomb["source"]), []).append(str(tomb["id"]))
    return PreparedPage(records, withdrawn, page.cursor, page.more, page.resync, page.etag)


class InlineExecutor(Executor):
    """Runs each call at once on the caller's thread (tests, and pulls of a single page)."""

    def submit(self, fn: Callable[_P, _T], /, *args: _P.args, **kwargs: _P.kwargs) -> Future[_T]:
        future: Future[_T] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # handed to whoever asks for the result
            future.set_exception(exc)
        return future


PARSER_NICENESS = 5  # below the kiosk's own process: the screen and the writes go first


def _lower_priority() -> None:
    with contextlib.suppress(OSError):
        os.nice(PARSER_NICENESS)


def parser_pool(workers: int | None = None) -> Executor:
    """Worker processes for `prepare_page` (spawned: never fork a process that runs Qt), at a
    lower priority than the kiosk so that they take only the CPU time it leaves."""
    count = workers or max(1, min(2, os.cpu_count() or 1))
    return ProcessPoolExecutor(
        count, mp_context=multiprocessing.get_context("spawn"), initializer=_lower_priority
    )


PoolFactory = Callable[[], Executor]
