"""Importing a whole file of offers fast: records split undecoded, parsed in worker processes,
written by the calling thread in large transactions.

A France Travail search response is split into its records' JSON texts without decoding them
(`kiosk.formats.cards`); chunks of records go to worker processes (forked from `kiosk import`,
which then read the records from the memory they share with it; spawned elsewhere), which
decode only the card's fields, parse them with the France Travail parser and build the cache's rows
(`prepare_cards`); the calling thread writes the rows in order, 20,000 to a transaction, while
the workers parse the next chunks. Any other payload (JobPosting, a bare array, one offer) takes
the ordinary path: decoded whole, parsed and written on the calling thread. Small files never
start a process. Nothing here imports Qt.
"""

from __future__ import annotations

import contextlib
import marshal
import multiprocessing
import os
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from itertools import islice
from typing import Any

import msgspec
import orjson

from kiosk.formats import cards, francetravail, parse_payload
from kiosk.formats.cards import split_envelope
from kiosk.formats.common import Rejection
from kiosk.geo import Point
from kiosk.offline.offers import (
    ROW_COLUMNS,
    ImportReport,
    OfferStore,
    PreparedOffer,
    prepare_card,
    prepare_cards,
)

_DIGEST = ROW_COLUMNS.index("content_hash")
PARSER_NICENESS = 5  # below the kiosk's own process: the screen and the writes go first
CHUNK = 2000  # records handed to a worker at a time
PARALLEL_FROM = 10_000  # fewer records are parsed on the calling thread: no process to start
TRANSACTION = 20_000  # rows a transaction: FTS5 merges fewer segments, the WAL fewer pages

PoolFactory = Callable[[], Executor]


def _lower_priority() -> None:
    with contextlib.suppress(OSError):
        os.nice(PARSER_NICENESS)


def start_method() -> str:
    """How to start the parser processes: forked when this process is only one thread and has
    not loaded Qt (`kiosk import`: a worker is ready at once), else spawned (never fork a
    process that runs Qt or other threads; a spawned worker first imports the whole command
    again, ≈ 0.6 s of CPU each)."""
    forkable = (
        "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
        and not any(name.startswith("PySide6") for name in sys.modules)
    )
    return "fork" if forkable else "spawn"


class ParserPool(ProcessPoolExecutor):
    """Worker processes that parse offers, at a lower priority than the kiosk so that they
    take only the CPU time it leaves. Forked workers (`forked`) read the records of the file
    being imported from the memory they share with this process: they are sent where a
    chunk starts and ends, not its 5 MB of JSON."""

    def __init__(self, workers: int, method: str) -> None:
        context = multiprocessing.get_context(method)
        super().__init__(workers, mp_context=context, initializer=_lower_priority)
        self.forked = method == "fork"


def parser_pool(workers: int | None = None, method: str | None = None) -> Executor:
    """Two parser processes (one on a single core), started as `start_method` says unless
    `method` is given."""
    return ParserPool(workers or max(1, min(2, os.cpu_count() or 1)), method or start_method())


def import_bytes(
    store: OfferStore,
    data: bytes,
    source: str | None = None,
    *,
    pool: PoolFactory | None = parser_pool,
    full_refresh: bool = False,
    parallel_from: int = PARALLEL_FROM,
) -> ImportReport:
    """Import a file's bytes, record by record (bad records are rejected alone, with their
    reason). Raises orjson.JSONDecodeError for bytes that are not JSON and FormatError for a
    payload of no known format, like `parse_payload`. `pool`: how to start the worker
    processes for a large France Travail file (None: parse on this thread)."""
    records = split_envelope(data)
    if records is None:
        offers = parse_payload(orjson.loads(data), source, cards=True)
        return store.import_records(
            offers, source=source, full_refresh=full_refresh, batch_size=TRANSACTION
        )
    name = source or francetravail.DEFAULT_SOURCE
    now = store.now()
    if pool is None or len(records) < parallel_from:
        batches: Iterator[list[PreparedOffer | Rejection]] = (
            prepare_cards(chunk, name, store.origin, now) for chunk in _chunks(records, CHUNK)
        )
        return store.import_prepared(batches, full_refresh=full_refresh, batch_size=TRANSACTION)
    with pool() as executor:
        batches = _in_workers(executor, records, name, store, now)
        return store.import_prepared(batches, full_refresh=full_refresh, batch_size=TRANSACTION)


def prepare_packed(raws: list[bytes], source: str, origin: Point, now: int) -> bytes:
    """`prepare_cards` in a worker process, packed with `marshal` for the way back: each
    record as (row, format, its JSON if compacting changed it) or (None, id, reason). Rows
    are plain values, and pickling named tuples cost more than building them; a record
    already compact (one writer per file: the first ones tell) is not sent back."""
    compacted = all(cards.compact(raw) == raw for raw in raws[:3])
    packed: list[tuple[Any, ...]] = []
    for raw in raws:
        record = prepare_card(raw, source, origin, now, compacted=compacted)
        if isinstance(record, Rejection):
            packed.append((None, record.external_id, record.reason))
        else:
            packed.append((record.row, record.format, None if compacted else record.raw))
    return marshal.dumps(packed)


# The records of the file being imported, for forked workers to read (see `ParserPool`):
# set before the workers fork, emptied once the file is written.
_RECORDS: Sequence[msgspec.Raw] = ()


def prepare_inherited(start: int, stop: int, source: str, origin: Point, now: int) -> bytes:
    """`prepare_packed` in a forked worker, of the records it inherited from `start` to `stop`."""
    return prepare_packed([bytes(raw) for raw in _RECORDS[start:stop]], source, origin, now)


def _unpack(packed: bytes, raws: list[bytes], source: str) -> list[PreparedOffer | Rejection]:
    records: list[PreparedOffer | Rejection] = []
    values = marshal.loads(packed)  # noqa: S302 (written by our own worker processes)
    for (row, second, document), raw in zip(values, raws, strict=True):
        if row is None:
            records.append(Rejection(second, document))
        else:
            records.append(
                PreparedOffer(source, row[1], row[_DIGEST], row, second, document or raw)
            )
    return records


def _chunks(records: Sequence[msgspec.Raw], size: int) -> Iterator[list[bytes]]:
    iterator = iter(records)
    while chunk := [bytes(raw) for raw in islice(iterator, size)]:
        yield chunk


def _in_workers(
    executor: Executor, records: Sequence[msgspec.Raw], source: str, store: OfferStore, now: int
) -> Iterator[list[PreparedOffer | Rejection]]:
    """The prepared chunks in order, with enough chunks ahead to keep the workers busy while
    a transaction is written (and no more: memory stays bounded)."""
    global _RECORDS  # noqa: PLW0603 (what forked workers read: see ParserPool)
    ahead = TRANSACTION // CHUNK + 4
    forked = isinstance(executor, ParserPool) and executor.forked
    starts = iter(range(0, len(records), CHUNK))
    pending: deque[tuple[Future[bytes], list[bytes]]] = deque()

    def submit(start: int) -> None:
        stop = min(start + CHUNK, len(records))
        chunk = [bytes(raw) for raw in records[start:stop]]  # the documents this thread writes
        if forked:
            future = executor.submit(prepare_inherited, start, stop, source, store.origin, now)
        else:
            future = executor.submit(prepare_packed, chunk, source, store.origin, now)
        pending.append((future, chunk))

    _RECORDS = records if forked else ()
    try:
        for start in islice(starts, ahead):
            submit(start)
        while pending:
            future, chunk = pending.popleft()
            for following in islice(starts, 1):
                submit(following)
            yield _unpack(future.result(), chunk, source)
    finally:
        _RECORDS = ()
