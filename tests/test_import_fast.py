"""The fast import path (kiosk.formats.cards, kiosk.offline.bulk) against the ordinary one."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest

from kiosk import demo
from kiosk.formats import cards, francetravail, parse_payload
from kiosk.formats.common import Rejection
from kiosk.offline.bulk import import_bytes, parser_pool, start_method
from kiosk.offline.db import open_offers_database
from kiosk.offline.offers import (
    OfferStore,
    PreparedOffer,
    prepare_card,
    prepare_offer,
    trade_family,
)
from tests.conftest import ORIGIN, SHARED_DATA, ft_record

FIXTURE = Path(__file__).parent / "fixtures" / "francetravail" / "search_page.json"


def _records(payload: Any) -> list[Any]:
    if isinstance(payload, dict) and "resultats" in payload:
        return list(payload["resultats"])
    return list(payload) if isinstance(payload, list) else [payload]


def _real_records() -> list[Any]:
    """Every France Travail record at hand: the real pages of ../shared/data when they are
    here, the fixture page, demo offers, and hostile variants."""
    records = _records(orjson.loads(FIXTURE.read_bytes()))
    if SHARED_DATA.is_dir():
        for path in sorted(SHARED_DATA.glob("*.json")):
            payload = orjson.loads(path.read_bytes())
            if isinstance(payload, dict) and "openapi" in payload:
                continue
            records += _records(payload)
    records += demo.generate_offers(300, ORIGIN)
    records += [
        ft_record(id="X1", intitule=None),
        ft_record(id="X2", typeContrat="LIB", lieuTravail={"libelle": "99 - Suisse"}),
        ft_record(id="X3", lieuTravail="nowhere", entreprise=[1, 2]),
        ft_record(id="X4", intitule="Serveur &amp; barman", dateCreation="hier"),
        ft_record(id=12345, alternance=True, natureContrat="Contrat apprentissage"),
        ft_record(id=None),
        "not an offer",
        [1, 2, 3],
    ]
    return records


def _slow(record: Any, source: str) -> PreparedOffer | Rejection:
    parsed = francetravail.parse_record(record, source, cards=True)
    if isinstance(parsed, Rejection):
        return parsed
    return prepare_offer(parsed, source, ORIGIN, 1_700_000_000)


def test_the_fast_path_prepares_every_record_as_the_ordinary_one() -> None:
    records = _real_records()
    assert len(records) > 300
    for record in records:
        raw = orjson.dumps(record)
        fast = prepare_card(raw, "ft", ORIGIN, 1_700_000_000)
        slow = _slow(record, "ft")
        assert fast == slow, record if isinstance(record, str) else str(record)[:200]


def test_a_pretty_printed_record_is_stored_compact_with_the_same_digest() -> None:
    record = ft_record()
    pretty = orjson.dumps(record, option=orjson.OPT_INDENT_2)
    fast = prepare_card(pretty, "ft", ORIGIN, 1_700_000_000)
    assert isinstance(fast, PreparedOffer)
    assert fast.raw == orjson.dumps(record)
    assert fast == _slow(record, "ft")


class _Recording(dict[str, Any]):
    """A record that remembers which of its keys were read."""

    read: set[str]

    def get(self, key: str, default: Any = None) -> Any:
        self.read.add(key)
        return super().get(key, default)

    def __getitem__(self, key: str) -> Any:
        self.read.add(key)
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        self.read.add(str(key))
        return super().__contains__(key)


def test_the_card_reads_only_the_fields_the_fast_path_decodes() -> None:
    read: set[str] = set()
    for record in _real_records():
        if not isinstance(record, dict):
            continue
        wrapped = _Recording(record)
        wrapped.read = read
        parsed = francetravail.parse_record(wrapped, "ft", cards=True)
        if not isinstance(parsed, Rejection):
            trade_family(parsed)
            prepare_offer(parsed, "ft", ORIGIN, 0)
    assert read - set(cards.CARD_KEYS) == set()
    assert "intitule" in read


def _envelope(records: list[Any], indent: bool = False) -> bytes:
    return orjson.dumps({"resultats": records}, option=orjson.OPT_INDENT_2 if indent else 0)


def test_bad_records_are_rejected_alone_with_their_reason(store: OfferStore) -> None:
    records = [
        ft_record(id="A1"),
        "not an offer",
        ft_record(id="A2", intitule=None),
        ft_record(id=None),
        ft_record(id="A3"),
    ]
    report = import_bytes(store, _envelope(records), pool=None)
    assert report.inserted == 2
    reasons = [(r.external_id, r.reason) for r in report.rejected]
    assert reasons == [
        (None, "record is a str, not an object"),
        ("A2", "intitule (title) is missing"),
        (None, "id is missing"),
    ]
    assert store.find(francetravail.DEFAULT_SOURCE, "A3") is not None


def test_the_fast_and_ordinary_imports_store_the_same_rows(tmp_path: Path) -> None:
    def clock() -> float:
        return 1_700_000_000.0  # rows record their import time: the same for both

    store, other = (
        OfferStore(open_offers_database(tmp_path / name), ORIGIN, clock=clock)
        for name in ("fast.sqlite", "slow.sqlite")
    )
    store.ensure_origin()
    other.ensure_origin()
    records = [*demo.generate_offers(500, ORIGIN), ft_record(id="B1")]
    fast = import_bytes(store, _envelope(records, indent=True), "mine", pool=None)
    slow = other.import_records(parse_payload({"resultats": records}, "mine", cards=True))
    assert (fast.inserted, fast.rejected) == (slow.inserted, slow.rejected) == (501, [])
    query = (
        "SELECT o.*, d.format, d.raw FROM offers o JOIN offer_documents d ON d.offer_id = o.id"
        " ORDER BY o.id"
    )
    rows = [
        sqlite3.connect(path).execute(query).fetchall() for path in (_path(store), _path(other))
    ]
    assert rows[0] == rows[1]
    store.engine.dispose()
    other.engine.dispose()


def test_importing_the_same_file_again_changes_nothing(store: OfferStore) -> None:
    data = _envelope(demo.generate_offers(200, ORIGIN))
    assert import_bytes(store, data, pool=None).inserted == 200
    again = import_bytes(store, data, pool=None)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 200)


def test_other_shapes_take_the_ordinary_path(store: OfferStore) -> None:
    bare = orjson.dumps([ft_record(id="C1"), ft_record(id="C2")])
    assert import_bytes(store, bare, pool=None).inserted == 2
    single = orjson.dumps(ft_record(id="C3"))
    assert import_bytes(store, single, pool=None).inserted == 1
    broken = orjson.dumps({"resultats": "none"})
    report = import_bytes(store, broken, pool=None)
    assert [r.reason for r in report.rejected] == ["'resultats' is not an array"]
    with pytest.raises(orjson.JSONDecodeError):
        import_bytes(store, b'{"resultats": [', pool=None)


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_a_large_file_is_parsed_in_worker_processes(store: OfferStore, method: str) -> None:
    records: list[Any] = list(demo.generate_offers(2500, ORIGIN))
    records[1234] = ft_record(id="BAD", intitule=None)
    report = import_bytes(
        store, _envelope(records), pool=lambda: parser_pool(2, method), parallel_from=1000
    )
    assert report.inserted == 2499
    assert [(r.external_id, r.reason) for r in report.rejected] == [
        ("BAD", "intitule (title) is missing")
    ]
    ordered = sqlite3.connect(_path(store)).execute("SELECT external_id FROM offers ORDER BY id")
    expected = [r["id"] for i, r in enumerate(records) if i != 1234]
    assert [external_id for (external_id,) in ordered] == expected


def _path(store: OfferStore) -> str:
    database = store.engine.url.database
    assert database is not None
    return database


def test_workers_are_forked_only_from_a_process_without_qt_or_threads() -> None:
    assert "PySide6.QtCore" in sys.modules  # pytest-qt loaded it: this process must not fork
    assert start_method() == "spawn"
    probe = "from kiosk.offline.bulk import start_method; print(start_method())"
    plain = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert plain == "fork"  # `kiosk import`: one thread, no Qt
