"""Opening SQLite files: pragmas, integrity check, recovery of a damaged cache, migrations."""

from __future__ import annotations

import enum
import logging
import sqlite3
import time
from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DatabaseError, OperationalError

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


def check_integrity(path: Path) -> str | None:
    """None when the file is a sound SQLite database, else what is wrong with it."""
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10.0)
    except sqlite3.Error as exc:
        return str(exc)
    try:
        rows = connection.execute("PRAGMA quick_check(3)").fetchall()
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


def _alembic_config(engine_connection: Any) -> Config:
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
    config = _alembic_config(None)
    return {script.revision for script in ScriptDirectory.from_config(config).walk_revisions()}


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the offers migrations up to `revision` in one transaction."""
    with engine.begin() as connection:
        command.upgrade(_alembic_config(connection), revision)


def open_offers_database(path: Path) -> Engine:
    """Open (creating or repairing) the offers cache at `path`, migrated to the newest schema.

    The offers cache holds nothing that the network cannot give back: a damaged file, or one
    written by a newer version of the kiosk, is moved aside and a new one is built.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        problem = check_integrity(path)
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
