"""The hub's database: one migration head, models that match the migrations, both databases."""

from __future__ import annotations

import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from hub import db as hub_db
from hub.db import HUB_HEAD, current_revision, known_revisions, normalise_url, open_database
from hub.models import HubBase
from hub.settings import sqlite_url
from tests.hub.postgres import Cluster

ROOT = Path(__file__).resolve().parents[2]


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


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database with no table yet, on each kind of database."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path / "empty" / "hub.sqlite")
        return
    cluster: Cluster | None = request.getfixturevalue("pg_cluster")
    if cluster is None:
        pytest.skip("PostgreSQL binaries (initdb, pg_ctl) are not installed")
    name = f"hub_{uuid.uuid4().hex[:12]}"
    yield cluster.create_database(name)
    cluster.drop_database(name)


@pytest.mark.parametrize("start", [None, "0003"], ids=["empty", "older"])
def test_instances_started_together_migrate_once(
    empty_database_url: str, start: str | None, tmp_path: Path
) -> None:
    if start is not None:
        engine = hub_db.make_engine(empty_database_url)
        hub_db.upgrade(engine, start)
        engine.dispose()
    # Each waits for the other before its first schema change: without a lock they collide.
    names = ["first", "second"]
    racers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.hub.racing_migration",
                empty_database_url,
                str(tmp_path),
                name,
                *(peer for peer in names if peer != name),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for name in names
    ]
    outputs = [racer.communicate(timeout=120)[0] for racer in racers]
    assert [racer.returncode for racer in racers] == [0, 0], outputs
    # One migrated; the other waited for the lock, then found the schema up to date.
    assert len(list(tmp_path.glob("*.ddl"))) == 1
    engine = hub_db.make_engine(empty_database_url)
    try:
        assert current_revision(engine) == HUB_HEAD
    finally:
        engine.dispose()
