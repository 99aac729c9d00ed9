"""The hub's database: one migration head, models that match the migrations, both databases."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from hub import db as hub_db
from hub.db import HUB_HEAD, current_revision, known_revisions, normalise_url, open_database
from hub.models import HubBase
from hub.settings import sqlite_url


def test_hub_head_is_the_single_head() -> None:
    assert HUB_HEAD in known_revisions()
    script = ScriptDirectory.from_config(hub_db._alembic_config(None))
    assert script.get_heads() == [HUB_HEAD]


def test_models_match_the_migrations(database_url: str) -> None:
    database = open_database(database_url)
    try:
        assert current_revision(database.engine) == HUB_HEAD
        with database.engine.connect() as connection:
            context = MigrationContext.configure(connection)
            assert compare_metadata(context, HubBase.metadata) == []
    finally:
        database.dispose()


def test_opening_twice_keeps_the_feed_epoch(database_url: str) -> None:
    first = open_database(database_url)
    with first.read() as connection:
        epoch = connection.exec_driver_sql("SELECT value FROM meta WHERE key = 'epoch'").scalar()
    first.dispose()
    again = open_database(database_url)
    with again.read() as connection:
        assert (
            connection.exec_driver_sql("SELECT value FROM meta WHERE key = 'epoch'").scalar()
            == epoch
        )
    again.dispose()


def test_postgres_urls_use_psycopg_3() -> None:
    assert normalise_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("sqlite:///x.sqlite") == "sqlite:///x.sqlite"


def test_an_empty_database_is_migrated_at_open(tmp_path: Path) -> None:
    database = open_database(sqlite_url(tmp_path / "new" / "hub.sqlite"))
    try:
        assert current_revision(database.engine) == HUB_HEAD
        with database.read() as connection:
            assert connection.exec_driver_sql("SELECT count(*) FROM counters").scalar() == 2
    finally:
        database.dispose()
