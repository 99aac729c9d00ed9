"""Opening SQLite files: pragmas, integrity check, recovery of a damaged cache, migrations."""

from __future__ import annotations

import enum
import logging
import sqlite3
import time
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DatabaseError, OperationalError

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger("kiosk.offline")

# The newest migration of the offers database; tests check it is alembic's head, and opening
# a file already at this revision skips loading alembic's script directory.
OFFERS_HEAD = "0001"


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
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={durability.value}")
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


# Alembic is imported only when a migration has to run: opening a file already at
# OFFERS_HEAD (every start but the first after an update) does not pay for it.


def _alembic_config(engine_connection: Any) -> Config:
    from alembic.config import Config  # noqa: PLC0415

    config = Config()
    config.set_main_option("script_location", str(resources.files("kiosk.offline") / "migrations"))
    config.attributes["connection"] = engine_connection
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


def known_revisions() -> set[str]:
    """Every revision of the offers migrations."""
    from alembic.script import ScriptDirectory  # noqa: PLC0415

    config = _alembic_config(None)
    return {script.revision for script in ScriptDirectory.from_config(config).walk_revisions()}


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the offers migrations up to `revision` in one transaction."""
    from alembic import command  # noqa: PLC0415

    with engine.begin() as connection:
        command.upgrade(_alembic_config(connection), revision)


def open_offers_database(path: Path) -> Engine:
    """Open (creating or repairing) the offers cache at `path`, migrated to the newest schema.

    The offers cache holds nothing that the network cannot give back: a damaged file, or one
    written by a newer version of the kiosk, is moved aside and a new one is built. The tables
    needed to start are checked here; `check_integrity(path)` checks the whole file.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    marker = _damage_marker(path)
    if marker.exists():
        if path.exists():
            move_aside(path, marker.read_text(encoding="utf-8", errors="replace")[:500])
        marker.unlink()
    if path.exists():
        problem = check_integrity(path, OFFERS_HOT_TABLES)
        if problem is not None:
            move_aside(path, problem)
    engine = make_engine(path, Durability.CACHE)
    try:
        revision = current_revision(engine)
    except DatabaseError as exc:  # not a database at all (the header is gone)
        engine.dispose()
        move_aside(path, str(exc.orig))
        engine = make_engine(path, Durability.CACHE)
        revision = None
    if revision == OFFERS_HEAD:
        return engine
    if revision is not None and revision not in known_revisions():
        engine.dispose()
        move_aside(path, f"schema revision {revision} is newer than this kiosk")
        engine = make_engine(path, Durability.CACHE)
    log.info("migrating offers database %s from %s", path.name, revision or "nothing")
    try:
        upgrade(engine)
    except OperationalError as exc:
        raise StorageError(f"cannot migrate {path}: {exc.orig}") from exc
    return engine
