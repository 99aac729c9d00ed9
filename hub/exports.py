"""Exports of applications, streamed: rows read in keyset pages (a short read each), written
as CSV of safe cells or as JSON a page at a time, and sent while they are written.

Memory holds one page of rows, not the file. No connection is held between pages: a slow or
broken download keeps none from the pool, and a page is read in the time of one query. Rows
that arrive during an export sort before its first page (newest first) and are not in it.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from typing import Any

import orjson
from fastapi.responses import StreamingResponse
from sqlalchemy import Connection, Select, tuple_
from starlette.types import Receive, Scope, Send

from hub.db import Database
from hub.models import Application

# Rows per page: a few hundred kilobytes of CSV, one short query each.
EXPORT_BATCH = 500
# The fields a terminal seals (docs/protocol.md, "What is sealed"): the export's columns.
PERSON_FIELDS = ("first_name", "last_name", "phone", "email")
EXPORT_COLUMNS = (
    "application_id", "received_at", "created_at", "terminal_id", "offer_source", "offer_id",
    "offer_title", *PERSON_FIELDS, "answers", "consent", "language", "other", "unreadable",
)  # fmt: skip
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# Line breaks and tabs inside a cell become one space; other control characters (NUL, BEL,
# ESC…, the bidirectional overrides that disguise text, lone surrogates) are dropped. Old
# terminals accepted them in typed fields; the JSON export keeps every character.
_SPACES = re.compile(r"(?:\r\n|[\t\n\v\f\r\x1c-\x1e\x85\u2028\u2029])")
_DROPPED = re.compile(
    r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)

View = dict[str, Any]
# Turns a page of rows into views, on the connection that read them (for lookups).
Convert = Callable[[Sequence[Any], Connection], list[View]]
Chunks = Generator[bytes, None, None]


def keyset_pages(
    db: Database,
    query: Select[*tuple[Any, ...]],
    convert: Convert,
    batch: int | None = EXPORT_BATCH,
) -> Iterator[list[View]]:
    """The rows of `query` as views, `batch` at a time (None: all in one page).

    `query` is ordered newest first by `Application.received_at, Application.id` and selects
    both (as `received_at` and `id`); each page starts after the last row of the one before,
    read and converted in its own short connection, given back before the page is yielded.
    """
    after: tuple[int, int] | None = None
    while True:
        page = query
        if after is not None:
            page = page.where(
                Application.received_at <= after[0],  # an index range for both databases
                tuple_(Application.received_at, Application.id) < tuple_(*after),
            )
        if batch is not None:
            page = page.limit(batch)
        with db.read() as connection:
            rows = connection.execute(page).all()
            views = convert(rows, connection)
        if views:
            yield views
        if batch is None or len(rows) < batch:
            return
        after = (rows[-1].received_at, rows[-1].id)


def cell(value: Any) -> str:
    """A CSV cell that a spreadsheet will not run as a formula, on one line, without controls."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else orjson.dumps(value).decode()
    text = _DROPPED.sub("", _SPACES.sub(" ", text))
    return "'" + text if text.lstrip(" ").startswith(_FORMULA_START) else text


def csv_row(view: Mapping[str, Any], extra: tuple[str, ...] = ()) -> list[str]:
    """A view (as `Inbox.iter_views` gives it) as safe cells, in `EXPORT_COLUMNS` and the
    `extra` columns the view carries (the recruiters' export)."""
    content = dict(view["application"] or {})
    row: dict[str, Any] = {
        "application_id": view["application_id"],
        "received_at": view["received_at"].isoformat().replace("+00:00", "Z"),
        "created_at": view["created_at"],
        "terminal_id": view["terminal_id"],
        "offer_source": view["offer_source"],
        "offer_id": view["offer_id"],
        "offer_title": view["offer_title"],
        "unreadable": view["unreadable"] or ("purged" if view["purged"] else None),
    }
    for name in (*PERSON_FIELDS, "answers", "consent", "language"):
        row[name] = content.pop(name, None)
    for name in ("application_id", "offer", *extra):
        content.pop(name, None)
    row["other"] = content or None
    row.update({name: view.get(name) for name in extra})
    return [cell(row[column]) for column in (*EXPORT_COLUMNS, *extra)]


def csv_chunks(pages: Iterable[list[View]], extra: tuple[str, ...] = ()) -> Iterator[bytes]:
    """CSV in UTF-8, one chunk per page: a byte-order mark (so that spreadsheets read the
    accents as UTF-8) and the header with the first page, a header alone when there is none."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow((*EXPORT_COLUMNS, *extra))
    written = False
    for views in pages:
        writer.writerows(csv_row(view, extra) for view in views)
        yield buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()
        written = True
    if not written:
        yield buffer.getvalue().encode("utf-8")


def json_chunks(pages: Iterable[list[View]], key: str = "applications") -> Iterator[bytes]:
    """`{key: [views]}` indented by two spaces, byte for byte as `orjson.dumps` with
    OPT_INDENT_2 writes it whole, one chunk per page."""
    opening = b'{\n  "' + key.encode() + b'": ['
    first = True
    for views in pages:
        items = (
            b"    " + orjson.dumps(view, option=orjson.OPT_INDENT_2).replace(b"\n", b"\n    ")
            for view in views
        )
        body = b",\n".join(items)
        yield (opening + b"\n" if first else b",\n") + body
        first = False
    yield opening + b"]\n}" if first else b"\n  ]\n}"


def encoded(
    pages: Iterable[list[View]],
    fmt: str,
    extra: tuple[str, ...],
    done: Callable[[int, bool], None],
) -> Chunks:
    """The pages as CSV (with the `extra` columns) or JSON; `done(count, complete)` at the end,
    also when the download stops before it (complete False: the client went away)."""
    count = 0

    def tallied() -> Iterator[list[View]]:
        nonlocal count
        for views in pages:
            count += len(views)
            yield views

    chunks = json_chunks(tallied()) if fmt == "json" else csv_chunks(tallied(), extra)
    complete = False
    try:
        yield from chunks
        complete = True
    finally:
        done(count, complete)


def download(chunks: Chunks, media_type: str, headers: Mapping[str, str]) -> StreamingResponse:
    """A download streamed from `chunks` (read in the server's thread pool while it is sent).
    Its first chunk (the first page) is read here, in the request's thread, so that a database
    that cannot be read answers an error rather than a cut file."""
    first = next(chunks)
    return _Download(_resumed(first, chunks), media_type=media_type, headers=headers)


def _resumed(first: bytes, chunks: Chunks) -> Chunks:
    """`first`, then the rest of `chunks`, which are closed when this is."""
    with contextlib.closing(chunks):
        yield first
        yield from chunks


class _Download(StreamingResponse):
    """A streamed response that closes its chunks once sent or broken off (the client went
    away): their end runs then, not whenever the garbage collector meets them."""

    def __init__(self, chunks: Chunks, media_type: str, headers: Mapping[str, str]) -> None:
        super().__init__(chunks, media_type=media_type, headers=headers)
        self._chunks = chunks

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            # Not running: a page being read in a thread is awaited even when cancelled.
            self._chunks.close()
