"""The ROME list (France Travail's trades) for the trade search of the offer form: imported
from the open-data referential by the operator, and learnt from ingested offers."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Connection, Insert, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite

from hub.db import Database
from hub.models import RomeEntry
from kiosk.domain import Offer
from kiosk.text import clean_line, fold

CODE = re.compile(r"[A-N]\d{4}")
_CODE_PREFIX = re.compile(r"[A-Na-n]\d{0,4}")
SEARCH_LIMIT = 20
MAX_LABEL = 200
# The columns of the data.gouv.fr CSV, and the keys of the France Travail API's JSON.
_CSV_COLUMNS = (("code_rome", "libelle_rome"), ("code", "libelle"))


class RomeFileError(ValueError):
    """A file that is not a ROME list; the message says what was expected."""


@dataclass(frozen=True, slots=True)
class Trade:
    """One ROME entry."""

    code: str
    label: str


def normal_code(text: str) -> str | None:
    """A ROME code as typed ("g1602 ", "G 1602") in its form, or None if it cannot be one."""
    code = "".join(text.split()).upper()
    return code if CODE.fullmatch(code) else None


def _entry(code: Any, label: Any) -> dict[str, str] | None:
    found = normal_code(code) if isinstance(code, str) else None
    text = clean_line(label) if isinstance(label, str) else None
    if found is None or not text:
        return None
    text = text[:MAX_LABEL]
    return {"code": found, "label": text, "folded": fold(text)[:MAX_LABEL]}


def _upsert(connection: Connection, rows: list[dict[str, str]], replace: bool) -> None:
    """Insert the rows; a code already there gets the new label (`replace`) or is kept."""
    dialect = sqlite if connection.dialect.name == "sqlite" else postgresql
    statement = dialect.insert(RomeEntry)
    done: Insert
    if replace:
        excluded = statement.excluded
        done = statement.on_conflict_do_update(
            index_elements=[RomeEntry.code],
            set_={"label": excluded.label, "folded": excluded.folded},
        )
    else:
        done = statement.on_conflict_do_nothing(index_elements=[RomeEntry.code])
    connection.execute(done, rows)


def read_file(path: Path) -> list[dict[str, str]]:
    """The entries of a ROME file: the data.gouv.fr CSV (`code_rome`, `libelle_rome`, separated
    by commas or semicolons) or the France Travail API's JSON list of {code, libelle}.
    Rows without a valid code and label are left out; RomeFileError if none is left."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RomeFileError(f"{path}: cannot read: {exc.strerror}") from exc
    json = data.lstrip()[:1] in (b"[", b"{")
    rows = _json_rows(data, path) if json else _csv_rows(data, path)
    entries = {e["code"]: e for row in rows if (e := _entry(*row)) is not None}
    if not entries:
        raise RomeFileError(f"{path}: no ROME code with its label in it")
    return list(entries.values())


def _json_rows(data: bytes, path: Path) -> list[tuple[Any, Any]]:
    try:
        document = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise RomeFileError(f"{path}: not JSON: {exc}") from exc
    if isinstance(document, dict):  # {"metiers": [...]} or the like: the first list in it
        document = next((v for v in document.values() if isinstance(v, list)), [])
    if not isinstance(document, list):
        raise RomeFileError(f"{path}: expected a JSON list of {{code, libelle}}")
    rows = []
    for item in document:
        if isinstance(item, Mapping):
            for code_key, label_key in _CSV_COLUMNS:
                if code_key in item:
                    rows.append((item.get(code_key), item.get(label_key)))
                    break
    return rows


def _csv_rows(data: bytes, path: Path) -> list[tuple[Any, Any]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # an export from a spreadsheet
    header = text.split("\n", 1)[0]
    delimiter = ";" if header.count(";") > header.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    columns = {fold(name).replace(" ", "_"): name for name in reader.fieldnames or ()}
    for code_key, label_key in _CSV_COLUMNS:
        if code_key in columns and label_key in columns:
            code_column, label_column = columns[code_key], columns[label_key]
            return [(row.get(code_column), row.get(label_column)) for row in reader]
    raise RomeFileError(
        f"{path}: expected the columns code_rome and libelle_rome (separated by , or ;)"
    )


class RomeList:
    """Reads and fills the `rome` table."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def import_entries(self, entries: list[dict[str, str]]) -> int:
        """Store the entries (a code already known takes the new label); how many."""
        with self._db.write() as connection:
            for start in range(0, len(entries), 500):
                _upsert(connection, entries[start : start + 500], replace=True)
        return len(entries)

    def count(self) -> int:
        """How many trades the list holds."""
        with self._db.read() as connection:
            return int(connection.scalar(select(func.count()).select_from(RomeEntry)) or 0)

    def label(self, code: str) -> str | None:
        """The label of a code, if the list has it."""
        with self._db.read() as connection:
            found = connection.scalar(select(RomeEntry.label).where(RomeEntry.code == code))
        return str(found) if found is not None else None

    def search(self, query: str, limit: int = SEARCH_LIMIT) -> list[Trade]:
        """Trades whose code starts with `query` ("G16"), or whose label has every word of it
        as the start of a word, accents and case aside ("boulang", "serveur salle")."""
        text = query.strip()
        if not text:
            return []
        statement = select(RomeEntry.code, RomeEntry.label)
        compact = "".join(text.split())
        if _CODE_PREFIX.fullmatch(compact):
            statement = statement.where(RomeEntry.code.startswith(compact.upper()))
            statement = statement.order_by(RomeEntry.code)
        else:
            words = fold(text).split()[:6]
            if not words:
                return []
            for word in words:
                statement = statement.where(
                    or_(
                        RomeEntry.folded.startswith(word, autoescape=True),
                        RomeEntry.folded.contains(" " + word, autoescape=True),
                    )
                )
            first = words[0]
            leading = RomeEntry.folded.startswith(first, autoescape=True)
            statement = statement.order_by(leading.desc(), RomeEntry.label, RomeEntry.code)
        with self._db.read() as connection:
            rows = connection.execute(statement.limit(limit)).all()
        return [Trade(str(code), str(label)) for code, label in rows]


class RomeLearner:
    """Adds the trades that ingested France Travail offers name (romeCode, romeLibelle) and
    the list lacks, in the ingest's own transaction. The codes already seen are remembered,
    so that a batch whose trades are all known costs no query."""

    def __init__(self) -> None:
        self._known: set[str] = set()

    def learn(self, connection: Connection, offers: Iterable[Offer]) -> None:
        """Store the trades of `offers` the table does not have yet (never relabels one)."""
        found: dict[str, dict[str, str]] = {}
        for offer in offers:
            code = offer.rome_code
            if not code or code in self._known or code in found:
                continue
            entry = _entry(code, offer.raw.get("romeLibelle"))
            if entry is not None:
                found[code] = entry
        if not found:
            return
        present = set(
            connection.scalars(select(RomeEntry.code).where(RomeEntry.code.in_(list(found))))
        )
        new = [entry for code, entry in found.items() if code not in present]
        if new:
            _upsert(connection, new, replace=False)
        self._known.update(found)
