"""The hub's database: SQLite (embedded) or PostgreSQL through one engine, migrated at open."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
import time
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger("hub.db")

# The newest migration; a test checks it is alembic's single head.
HUB_HEAD = "0010"
# The PostgreSQL advisory lock taken around migrations (any constant the hub alone uses).
MIGRATION_LOCK = 0x4B494F534B  # "KIOSK"
WAL_SWITCH_S = 30.0  # as long as the busy timeout


class DatabaseError(RuntimeError):
    """The database cannot be opened or migrated; the message says why."""


def normalise_url(url: str) -> str:
    """`postgresql://…` → the psycopg 3 driver; SQLite URLs as they are."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def redacted(url: str) -> str:
    """The URL without its password, for logs and messages."""
    return make_url(normalise_url(url)).render_as_string(hide_password=True)


def make_engine(url: str) -> Engine:
    """An engine with the hub's connection settings for its dialect."""
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database in (None, "", ":memory:"):
            raise DatabaseError("the hub needs a SQLite file, not an in-memory database")
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30.0},
            pool_size=20,
            max_overflow=20,
            hide_parameters=True,  # errors never show values (they may be personal data)
        )
        _sqlite_transactions(engine)
        return engine
    if parsed.get_backend_name() == "postgresql":
        # No pre-ping: it costs a round trip per transaction; connections are recycled
        # instead, and a request that meets a dropped connection fails once with a 500.
        return create_engine(
            url, pool_size=10, max_overflow=20, pool_recycle=1800, hide_parameters=True
        )
    raise DatabaseError(f"unsupported database {parsed.get_backend_name()!r}: sqlite or postgresql")


def _wal(cursor: sqlite3.Cursor) -> None:
    """Put the file in WAL mode (it stays so). Two processes doing it at once on a new file:
    one is refused "database is locked" at once, without the busy handler: it tries again."""
    deadline = time.monotonic() + WAL_SWITCH_S
    pause = threading.Event()
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
        pause.wait(0.02)


def _sqlite_transactions(engine: Engine) -> None:
    """SQLite: the driver's own transaction handling off, BEGIN (IMMEDIATE for writers) ours.

    A writer that starts with a plain BEGIN and later writes can fail at once with "database
    is locked" instead of waiting; BEGIN IMMEDIATE takes the write lock first and waits.
    """

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        _wal(cursor)
        # Acknowledged applications: the commit returns once they are on the disk.
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        # A feed page of 1,000 offers reads about 2.5 MB of records: keep them in memory.
        cursor.execute("PRAGMA cache_size=-32000")  # 32 MiB per connection, at most
        cursor.execute("PRAGMA mmap_size=268435456")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get("hub_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class Database:
    """Short units of work on the engine: `read()` for queries, `write()` for changes.

    On SQLite the writers of this process also take a lock, so they queue in order instead
    of polling SQLite's busy handler; PostgreSQL needs no such thing.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.is_sqlite = engine.dialect.name == "sqlite"
        self._write_lock = threading.Lock()

    @contextlib.contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection for reading (its transaction is rolled back at the end)."""
        with self.engine.connect() as connection:
            yield connection

    @contextlib.contextmanager
    def write(self) -> Iterator[Connection]:
        """A connection in a transaction committed at the end (rolled back on an exception)."""
        if not self.is_sqlite:
            with self.engine.begin() as connection:
                yield connection
            return
        with self._write_lock, self.engine.connect() as plain:
            connection = plain.execution_options(hub_write=True)
            with connection.begin():
                yield connection

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def _alembic_config(connection: Connection | None) -> Config:
    from alembic.config import Config  # noqa: PLC0415

    migrations = resources.files("hub") / "migrations"
    config = Config()
    config.set_main_option("script_location", str(migrations))
    config.set_main_option("path_separator", "os")
    config.attributes["connection"] = connection
    return config


def current_revision(engine: Engine) -> str | None:
    """The alembic revision of the database, or None for an empty one."""
    with engine.connect() as connection:
        return _revision_of(connection)


def known_revisions() -> set[str]:
    """Every revision of the hub's migrations."""
    from alembic.script import ScriptDirectory  # noqa: PLC0415

    script = ScriptDirectory.from_config(_alembic_config(None))
    return {revision.revision for revision in script.walk_revisions()}


@contextlib.contextmanager
def migration_lock(engine: Engine) -> Iterator[Connection]:
    """A transaction that holds the database's migration lock until it ends.

    Hub instances started together on one database queue here: the first migrates, the others
    then find the schema up to date. PostgreSQL: a transaction-level advisory lock; SQLite:
    BEGIN IMMEDIATE (the database's write lock, waited for up to the busy timeout).
    """
    if engine.dialect.name == "sqlite":
        with engine.connect() as plain:
            connection = plain.execution_options(hub_write=True)
            with connection.begin():
                yield connection
        return
    with engine.begin() as connection:
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        yield connection


def _revision_of(connection: Connection) -> str | None:
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the migrations up to `revision` in one transaction, under the migration lock."""
    from alembic import command  # noqa: PLC0415

    with migration_lock(engine) as connection:
        command.upgrade(_alembic_config(connection), revision)


def _migrate(engine: Engine, url: str) -> None:
    """Migrate to HUB_HEAD unless another instance did it while this one waited for the lock."""
    from alembic import command  # noqa: PLC0415

    with migration_lock(engine) as connection:
        revision = _revision_of(connection)
        if revision == HUB_HEAD:
            log.info("the hub database was migrated by another instance meanwhile")
            return
        if revision is not None and revision not in known_revisions():
            raise DatabaseError(
                f"{redacted(url)} is at schema {revision}, newer than this hub: update the hub"
            )
        log.info("migrating the hub database from %s to %s", revision or "empty", HUB_HEAD)
        command.upgrade(_alembic_config(connection), HUB_HEAD)


def open_database(url: str) -> Database:
    """Open the hub's database, migrated to the newest schema."""
    engine = make_engine(url)
    try:
        revision = current_revision(engine)
    except Exception as exc:
        engine.dispose()
        raise DatabaseError(f"cannot open {redacted(url)}: {exc}") from exc
    if revision != HUB_HEAD:
        if revision is not None and revision not in known_revisions():
            engine.dispose()
            raise DatabaseError(
                f"{redacted(url)} is at schema {revision}, newer than this hub: update the hub"
            )
        try:
            _migrate(engine, url)
        except BaseException:
            engine.dispose()
            raise
    return Database(engine)
