"""Salvage of a damaged outbox: every application row that can still be read, back in the queue.

A damaged outbox file is moved aside whole (kiosk.offline.db), but most of its pages are
usually sound: a torn write or a bad sector spoils a page or two, a full disk truncates the
end. The rows of the sound pages are complete applications — the sealed body carries
everything, the hub opens it with the UUID — so they go back into the fresh outbox with their
UUIDs (the hub answers a replay of one it already has as such: nothing is delivered twice)
and leave at the next sync. The damaged file is never written to: it is copied before it is
read, and kept for the operator.
"""

from __future__ import annotations

import json
import logging
import shutil
import sqlite3
import tempfile
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path

log = logging.getLogger("kiosk.outbox")

REPORT_SUFFIX = ".salvage.json"  # beside the damaged file: what was salvaged from it
_COLUMNS = "id, reference, offer_source, offer_id, state, sealed, created_ts, parked_reason"
MAX_SKIPPED_ROWIDS = 50_000  # without a readable end: unreachable rowids tried in a row


@dataclass(frozen=True, slots=True)
class SalvagedRow:
    """One application row read back from a damaged file."""

    id: str
    reference: str
    offer_source: str
    offer_id: str
    parked: bool
    sealed: bytes
    created_ts: int
    parked_reason: str | None


@dataclass(slots=True)
class SalvageReport:
    """What a salvage found and did (counts only: never personal data)."""

    source: str  # the damaged file's name
    read: int = 0  # rows read back whole
    added: int = 0  # of those, put back into the outbox
    already_there: int = 0  # already in the outbox (a salvage run twice)
    unreadable: int = 0  # places in the file where rows could not be read
    problem: str | None = None  # nothing at all could be read: why
    ids: list[str] = field(default_factory=list)  # the UUIDs put back (not personal data)

    def summary(self) -> str:
        """One line for people."""
        if self.problem is not None:
            return f"{self.source}: nothing could be read ({self.problem})"
        return (
            f"{self.source}: {self.read} applications read back, {self.added} queued again, "
            f"{self.already_there} already queued, {self.unreadable} unreadable places skipped"
        )

    def save(self, damaged: Path) -> None:
        """Write the report beside the damaged file (status shows it)."""
        data = asdict(self)
        data.pop("ids")
        report_path(damaged).write_text(json.dumps(data), encoding="utf-8")


def report_path(damaged: Path) -> Path:
    """Where the report of a damaged file's salvage is kept."""
    return damaged.with_name(damaged.name + REPORT_SUFFIX)


def load_report(damaged: Path) -> SalvageReport | None:
    """The saved report of a damaged file's salvage, if any."""
    try:
        data = json.loads(report_path(damaged).read_text(encoding="utf-8"))
        return SalvageReport(**data)
    except (OSError, ValueError, TypeError):
        return None


def _row(values: tuple[object, ...]) -> SalvagedRow | None:
    """A row as read, or None when its fields are not those of an application (a damaged
    cell can still decode into garbage)."""
    identifier, reference, source, offer_id, state, sealed, created, reason = values
    if not (
        isinstance(identifier, str)
        and isinstance(reference, str)
        and isinstance(source, str)
        and isinstance(offer_id, str)
        and isinstance(sealed, bytes)
        and len(sealed) > 32
        and isinstance(created, int)
        and state in ("queued", "sending", "parked")
    ):
        return None
    try:
        canonical = str(uuid.UUID(identifier))
    except ValueError:
        return None
    if canonical != identifier:
        return None
    return SalvagedRow(
        identifier,
        reference,
        source,
        offer_id,
        state == "parked",
        sealed,
        created,
        reason if isinstance(reason, str) else None,
    )


def read_rows(damaged: Path) -> tuple[list[SalvagedRow], int, str | None]:
    """Every readable application row of a damaged outbox file (it is not modified: a copy is
    read); the number of places that could not be read, and why nothing could, if so."""
    with tempfile.TemporaryDirectory(prefix="outbox-salvage-") as folder:
        copy = Path(folder) / "outbox.sqlite"
        try:
            shutil.copyfile(damaged, copy)
            for suffix in ("-wal",):  # committed rows still in the log
                part = Path(f"{damaged}{suffix}")
                if part.exists():
                    shutil.copyfile(part, Path(f"{copy}{suffix}"))
        except OSError as exc:
            return [], 0, f"cannot read the file: {exc.strerror}"
        try:
            connection = sqlite3.connect(copy, timeout=10.0)
        except sqlite3.Error as exc:
            return [], 0, str(exc)
        try:
            # A file shorter than its header says (cut off by a full disk) is refused as a
            # whole unless the schema is "writable": the copy is ours to read as it is.
            connection.execute("PRAGMA writable_schema=ON")
            return _walk(connection)
        finally:
            connection.close()


def _last_rowid(connection: sqlite3.Connection) -> int | None:
    """The highest rowid of the table, from the table or else from any readable index (each
    index entry holds its row's rowid); None when none can say."""
    try:
        return int(connection.execute("SELECT max(rowid) FROM applications").fetchone()[0] or 0)
    except sqlite3.Error:
        pass  # the right edge of the table is damaged
    try:
        indexes = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'applications'"
            )
        ]
    except sqlite3.Error:
        return None
    tops = []
    for name in indexes:
        try:
            found = connection.execute(
                f'SELECT max(rowid) FROM applications INDEXED BY "{name}"'
            ).fetchone()[0]
        except sqlite3.Error:
            continue
        tops.append(int(found or 0))
    return max(tops) if tops else None


def _walk(connection: sqlite3.Connection) -> tuple[list[SalvagedRow], int, str | None]:
    """The table's rows in rowid order. Where a rowid cannot be reached (its page is damaged
    or cut off), the walk steps over it one rowid at a time, so that the rows of the sound
    pages after it are still found; without a readable end it gives up after
    MAX_SKIPPED_ROWIDS failures in a row."""
    top = _last_rowid(connection)
    rows: list[SalvagedRow] = []
    stretches = 0  # damaged places met
    failing = 0  # failures in a row
    last_error: str | None = None
    rowid = 0
    query = f"SELECT rowid, {_COLUMNS} FROM applications WHERE rowid > ? ORDER BY rowid LIMIT 1"
    while top is None or rowid < top:
        try:
            found = connection.execute(query, (rowid,)).fetchone()
        except sqlite3.Error as exc:
            last_error = str(exc)
            stretches += 1 if failing == 0 else 0
            failing += 1
            rowid += 1
            if top is None and failing > MAX_SKIPPED_ROWIDS:
                break
            continue
        if found is None:
            break
        rowid, failing = found[0], 0
        row = _row(tuple(found[1:]))
        if row is None:
            stretches += 1
        else:
            rows.append(row)
    if not rows and last_error is not None:
        return [], stretches, last_error
    return rows, stretches, None
