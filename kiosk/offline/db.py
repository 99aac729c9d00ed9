"""Opening SQLite files: pragmas, integrity check, recovery of a damaged cache, migrations."""

from __future__ import annotations

import dataclasses
import enum
import logging
import sqlite3
import threading
import time
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DatabaseError, OperationalError

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger("kiosk.offline")

# The newest migration of each database; tests check they are alembic's heads, and opening a
# file already at its head skips loading alembic.
OFFERS_HEAD = "0007"
OUTBOX_HEAD = "0001"
CACHE_PAGE_SIZE = 16384  # bytes, for a new offers cache
WAL_CHECKPOINT_BYTES = 32 * 1024 * 1024  # the offers cache's WAL is copied back past this


class Durability(enum.Enum):
    """How hard a commit waits for the disk."""

    # A cache: a power cut may lose the last transactions, never the file's consistency.
    CACHE = "NORMAL"
    # Acknowledged data (applications): the commit returns once it is on the disk.
    ACKNOWLEDGED = "FULL"


class StorageError(RuntimeError):
    """The database cannot be used (and was not silently replaced)."""


def make_engine(path: Path, durability: Durability) -> Engine:
    """An engine on a file-backed SQLite database with the kiosk's pragmas on every connection."""
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"check_same_thread": False, "timeout": 10.0},
        pool_pre_ping=False,
    )

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        if durability is Durability.CACHE:
            # A new cache gets 16 KiB pages (a file that exists keeps its own): its raw
            # records are 2–3 KB each, and writing 100,000 of them through the WAL and back
            # took a fifth less time than with 4 KiB pages.
            cursor.execute(f"PRAGMA page_size={CACHE_PAGE_SIZE}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={durability.value}")
        if durability is Durability.CACHE:
            # Checkpoint every 32 MiB of WAL rather than 4: a sync writes 3 MB a page of
            # offers, and copying the WAL back at each commit doubled the cost of a pull.
            page_size = cursor.execute("PRAGMA page_size").fetchone()[0]
            cursor.execute(f"PRAGMA wal_autocheckpoint={WAL_CHECKPOINT_BYTES // page_size}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA cache_size=-16000")  # 16 MiB per connection
        cursor.close()

    return engine


# What the kiosk reads to start and to search: checked at every open. The raw documents
# (most of the file's bytes) are checked by the full check, which runs in the background.
OFFERS_HOT_TABLES = (
    "offers", "offers_fts_data", "offers_fts_idx", "offers_fts_docsize", "offers_fts_config",
    "sources", "meta", "alembic_version",
)  # fmt: skip


def check_integrity(path: Path, tables: tuple[str, ...] = ()) -> str | None:
    """None when the file is a sound SQLite database, else what is wrong with it.

    With `tables`, only those tables (and their indexes) are checked, those that exist.
    """
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10.0)
    except sqlite3.Error as exc:
        return str(exc)
    try:
        if not tables:
            rows = connection.execute("PRAGMA quick_check(3)").fetchall()
        else:
            present = {
                name
                for (name,) in connection.execute(
                    "SELECT name FROM sqlite_master WHERE type='table'"
                )
            }
            rows = []
            for table in tables:
                if table in present:
                    rows += connection.execute(f"PRAGMA quick_check('{table}')").fetchall()
    except sqlite3.Error as exc:
        return str(exc)
    finally:
        connection.close()
    problems = [str(row[0]) for row in rows if row[0] != "ok"]
    return "; ".join(problems[:3]) or None


def move_aside(path: Path, reason: str) -> Path:
    """Rename a damaged database (with its WAL and shared-memory files) out of the way."""
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    for suffix in ("", "-wal", "-shm"):
        part = Path(f"{path}{suffix}")
        if part.exists():
            part.replace(Path(f"{target}{suffix}"))
    log.error("database %s was damaged (%s); moved aside to %s", path.name, reason, target.name)
    return target


def _damage_marker(path: Path) -> Path:
    return path.with_name(f"{path.name}.damaged")


def verify_offers_database(path: Path) -> str | None:
    """Check the whole offers cache (slow: every page is read; run it off the UI thread).

    When it is damaged, a marker file next to it records why, and the next
    `open_offers_database` moves it aside and rebuilds it. Returns the problem, or None.
    """
    problem = check_integrity(path)
    if problem is not None:
        _damage_marker(path).write_text(problem, encoding="utf-8")
        log.error("offers cache %s is damaged (%s); it is rebuilt at the next start", path, problem)
    return problem


def verify_in_background(path: Path) -> threading.Thread:
    """`verify_offers_database` on a thread of its own (it only reads), for a running kiosk."""

    def check() -> None:
        if verify_offers_database(path) is None:
            log.info("offers cache %s checked: sound", path.name)

    thread = threading.Thread(target=check, name="offers-check", daemon=True)
    thread.start()
    return thread


# Alembic is imported only when a migration has to run: opening a file already at its head
# revision (every start but the first after an update) does not pay for it.


@dataclasses.dataclass(frozen=True, slots=True)
class Schema:
    """One kind of database file: its migrations, head revision, durability, what to check."""

    name: str  # also the folder of its migrations under kiosk/offline/migrations
    head: str
    durability: Durability
    hot_tables: tuple[str, ...]  # checked at every open; () means the whole file
    disposable: bool  # a cache: rebuilt when damaged; else moved aside, reported, kept


OFFERS = Schema("offers", OFFERS_HEAD, Durability.CACHE, OFFERS_HOT_TABLES, disposable=True)
OUTBOX = Schema("outbox", OUTBOX_HEAD, Durability.ACKNOWLEDGED, (), disposable=False)


def _alembic_config(schema: Schema, engine_connection: Any) -> Config:
    from alembic.config import Config  # noqa: PLC0415

    migrations = resources.files("kiosk.offline") / "migrations"
    config = Config()
    config.set_main_option("script_location", str(migrations))
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_locations", str(migrations / schema.name))
    config.attributes["connection"] = engine_connection
    config.attributes["schema"] = schema.name
    return config


def current_revision(engine: Engine) -> str | None:
    """The alembic revision the file is at, or None for a new file."""
    with engine.connect() as connection:
        has_table = connection.execute(
            text("SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'")
        ).first()
        if not has_table:
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def known_revisions(schema: Schema = OFFERS) -> set[str]:
    """Every revision of a schema's migrations."""
    from alembic.script import ScriptDirectory  # noqa: PLC0415

    script = ScriptDirectory.from_config(_alembic_config(schema, None))
    return {revision.revision for revision in script.walk_revisions()}


def upgrade(engine: Engine, revision: str = "head", schema: Schema = OFFERS) -> None:
    """Run a schema's migrations up to `revision` in one transaction."""
    from alembic import command  # noqa: PLC0415

    with engine.begin() as connection:
        command.upgrade(_alembic_config(schema, connection), revision)


def open_database(path: Path, schema: Schema) -> Engine:
    """Open (creating or repairing) a database file, migrated to the newest schema.

    A damaged file is moved aside (never deleted) with its WAL; a disposable one (the offers
    cache) is rebuilt empty, the network fills it again; a precious one (the outbox) is
    reported loudly, kept for recovery, and a new empty one lets the terminal go on.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    marker = _damage_marker(path)
    if marker.exists():
        if path.exists():
            move_aside(path, marker.read_text(encoding="utf-8", errors="replace")[:500])
        marker.unlink()
    if path.exists():
        problem = check_integrity(path, schema.hot_tables)
        if problem is not None:
            move_aside(path, problem)
    engine = make_engine(path, schema.durability)
    try:
        revision = current_revision(engine)
    except DatabaseError as exc:  # not a database at all (the header is gone)
        engine.dispose()
        move_aside(path, str(exc.orig))
        engine = make_engine(path, schema.durability)
        revision = None
    if revision == schema.head:
        return engine
    if revision is not None and revision not in known_revisions(schema):
        engine.dispose()
        if not schema.disposable:
            raise StorageError(
                f"{path} was written by a newer version of the kiosk (schema {revision}); "
                "it is left untouched: run that version, or move the file aside by hand"
            )
        move_aside(path, f"schema revision {revision} is newer than this kiosk")
        engine = make_engine(path, schema.durability)
    log.info("migrating %s database %s from %s", schema.name, path.name, revision or "nothing")
    try:
        upgrade(engine, schema=schema)
    except OperationalError as exc:
        raise StorageError(f"cannot migrate {path}: {exc.orig}") from exc
    return engine


def open_offers_database(path: Path) -> Engine:
    """Open the offers cache (see open_database). The tables needed to start and search are
    checked here; `verify_offers_database` checks the whole file, in the background."""
    return open_database(path, OFFERS)
