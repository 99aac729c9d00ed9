"""Opening the offers database: migrations, models matching them, recovery from damage."""

from __future__ import annotations

import sqlite3
import warnings
from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from kiosk.formats import parse_payload
from kiosk.offline.db import (
    OFFERS_HEAD,
    Durability,
    current_revision,
    known_revisions,
    make_engine,
    open_offers_database,
    upgrade,
    verify_in_background,
    verify_offers_database,
)
from kiosk.offline.models import OffersBase
from kiosk.offline.offers import OfferStore
from kiosk.offline.search import Searcher, SearchQuery
from tests.conftest import ORIGIN, ft_record


def _fill(path: Path, count: int = 50) -> None:
    engine = open_offers_database(path)
    OfferStore(engine, ORIGIN).import_records(
        parse_payload([ft_record(id=f"M{i}") for i in range(count)])
    )
    engine.dispose()  # the last connection checkpoints the WAL into the file


def _damage_documents(path: Path) -> None:
    """Overwrite the root page of the raw documents' b-tree (the tables needed to start are
    left sound)."""
    connection = sqlite3.connect(path)
    root = connection.execute(
        "SELECT rootpage FROM sqlite_master WHERE name = 'offer_documents'"
    ).fetchone()[0]
    page = connection.execute("PRAGMA page_size").fetchone()[0]
    connection.close()
    data = bytearray(path.read_bytes())
    start = (root - 1) * page
    data[start + 8 : start + page - 96] = b"\xa5" * (page - 104)
    path.write_bytes(bytes(data))


def _damaged_copies(path: Path) -> list[Path]:
    """The database files moved aside (without their -wal and -shm companions)."""
    found = path.parent.glob(f"{path.name}.damaged-*")
    return sorted(p for p in found if not p.name.endswith(("-wal", "-shm")))


def test_offers_head_is_the_newest_migration() -> None:
    assert OFFERS_HEAD in known_revisions()
    # Every other revision is an ancestor: OFFERS_HEAD is the single head.
    from alembic.config import Config  # noqa: PLC0415
    from alembic.script import ScriptDirectory  # noqa: PLC0415

    from kiosk.offline import db  # noqa: PLC0415

    config: Config = db._alembic_config(db.OFFERS, None)
    assert ScriptDirectory.from_config(config).get_heads() == [OFFERS_HEAD]


def test_migrating_step_by_step_from_the_first_schema_keeps_offers(tmp_path: Path) -> None:
    path = tmp_path / "offers.sqlite"
    engine = make_engine(path, Durability.CACHE)
    first = sorted(known_revisions())[0]
    upgrade(engine, first)
    assert current_revision(engine) == first
    engine.dispose()
    _fill(path, 10)  # opening migrates to the head, then fills
    engine = open_offers_database(path)
    assert current_revision(engine) == OFFERS_HEAD
    assert OfferStore(engine, ORIGIN).count() == 10
    engine.dispose()


def _include(name: str | None, type_: str, _parent: Any) -> bool:
    # The FTS5 table and its shadow tables are created by SQL in the migration on purpose.
    return not (type_ == "table" and name is not None and name.startswith("offers_fts"))


def test_models_match_the_migrations(tmp_path: Path) -> None:
    engine = open_offers_database(tmp_path / "offers.sqlite")
    with engine.connect() as connection, warnings.catch_warnings():
        # ix_offers_rank is an expression index that SQLite reflection cannot read back.
        warnings.filterwarnings("ignore", message=".*expression-based index ix_offers_rank.*")
        context = MigrationContext.configure(connection, opts={"include_name": _include})
        differences = compare_metadata(context, OffersBase.metadata)
    engine.dispose()
    assert differences == []


def test_the_search_index_follows_the_rank_index(tmp_path: Path) -> None:
    engine = open_offers_database(tmp_path / "offers.sqlite")
    with engine.connect() as connection:
        plan = connection.exec_driver_sql(
            "EXPLAIN QUERY PLAN SELECT id, posted_ts, facets FROM offers"
            " ORDER BY distance_km IS NULL, distance_km, posted_ts DESC, id"
        ).all()
    engine.dispose()
    assert any("COVERING INDEX ix_offers_rank" in str(row) for row in plan)


def test_the_distance_counts_use_the_rank_index(tmp_path: Path) -> None:
    engine = open_offers_database(tmp_path / "offers.sqlite")
    with engine.connect() as connection:
        indexes = connection.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'offers'"
        ).all()
        plan = connection.exec_driver_sql(
            "EXPLAIN QUERY PLAN SELECT count(*) FROM offers"
            " WHERE distance_km IS NULL = 0 AND distance_km <= 10"
        ).all()
    engine.dispose()
    assert ("ix_offers_distance",) not in indexes  # redundant: dropped (0005)
    assert any(
        "COVERING INDEX ix_offers_rank (<expr>=? AND distance_km<?)" in str(row) for row in plan
    )


def test_a_damaged_offers_cache_is_moved_aside_and_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "offers.sqlite"
    _fill(path, 300)
    connection = sqlite3.connect(path)
    page = connection.execute("PRAGMA page_size").fetchone()[0]
    connection.close()
    data = bytearray(path.read_bytes())
    for start in range(3 * page, len(data) - page, 5 * page):
        data[start + 100 : start + 900] = b"\xa5" * 800  # garbage inside b-tree pages
    path.write_bytes(bytes(data))

    engine = open_offers_database(path)
    store = OfferStore(engine, ORIGIN)
    assert store.count() == 0
    store.import_records(parse_payload([ft_record(id="NEW")]))
    searcher = Searcher(engine)
    assert searcher.search(SearchQuery(text="serveur")).total == 1
    searcher.close()
    engine.dispose()
    [aside] = _damaged_copies(path)
    assert aside.stat().st_size == len(data)  # kept for inspection, never deleted


def test_damage_in_the_documents_is_found_by_the_full_check(tmp_path: Path) -> None:
    path = tmp_path / "offers.sqlite"
    _fill(path, 300)
    _damage_documents(path)

    # The tables needed to start and search are sound: the kiosk opens at once...
    engine = open_offers_database(path)
    assert OfferStore(engine, ORIGIN).count() == 300
    engine.dispose()
    assert _damaged_copies(path) == []
    # ...and the full check, run in the background, finds the damage and marks the file,
    assert verify_offers_database(path) is not None
    # so that the next start moves it aside and rebuilds.
    engine = open_offers_database(path)
    assert OfferStore(engine, ORIGIN).count() == 0
    engine.dispose()
    assert len(_damaged_copies(path)) == 1
    assert verify_offers_database(path) is None


def test_a_file_that_is_not_a_database_is_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "offers.sqlite"
    path.write_bytes(b"this is not sqlite" * 1000)
    engine = open_offers_database(path)
    assert current_revision(engine) == OFFERS_HEAD
    engine.dispose()
    assert len(_damaged_copies(path)) == 1


def test_a_cache_from_a_newer_kiosk_is_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "offers.sqlite"
    _fill(path, 5)
    connection = sqlite3.connect(path)
    connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.commit()
    connection.close()
    engine = open_offers_database(path)
    assert current_revision(engine) == OFFERS_HEAD
    assert OfferStore(engine, ORIGIN).count() == 0
    engine.dispose()
    assert len(_damaged_copies(path)) == 1


def test_a_sound_database_is_opened_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "offers.sqlite"
    _fill(path, 5)
    engine = open_offers_database(path)
    assert OfferStore(engine, ORIGIN).count() == 5
    engine.dispose()
    assert _damaged_copies(path) == []


def test_the_kiosk_checks_the_whole_cache_in_the_background(tmp_path: Path) -> None:
    path = tmp_path / "offers.sqlite"
    _fill(path, 300)
    _damage_documents(path)
    thread = verify_in_background(path)
    thread.join(60)
    assert not thread.is_alive()
    assert (tmp_path / "offers.sqlite.damaged").exists()  # rebuilt at the next start
