"""The offers cache: upsert by (source, id), full refresh, reading back, hostile text."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kiosk.formats import parse_payload
from kiosk.geo import Point
from kiosk.offline.db import open_offers_database
from kiosk.offline.offers import OfferStore
from kiosk.offline.search import Searcher, SearchQuery
from tests.conftest import ORIGIN, ft_record


def test_import_counts_inserted_updated_unchanged(store: OfferStore) -> None:
    first = store.import_records(parse_payload([ft_record(id="A1"), ft_record(id="A2")]))
    assert (first.inserted, first.updated, first.unchanged) == (2, 0, 0)

    again = store.import_records(
        parse_payload([ft_record(id="A1"), ft_record(id="A2", intitule="Barman (H/F)")])
    )
    assert (again.inserted, again.updated, again.unchanged) == (0, 1, 1)
    assert store.count() == 2
    offer_id = store.find("francetravail", "A2")
    assert offer_id is not None
    offer = store.get(offer_id)
    assert offer is not None
    assert offer.title == "Barman (H/F)"


def test_the_same_id_from_two_sources_is_two_offers(store: OfferStore) -> None:
    store.import_records(parse_payload([ft_record(id="A1")]), source="agence-lyon")
    store.import_records(parse_payload([ft_record(id="A1")]), source="agence-paris")
    assert store.count() == 2
    assert store.find("agence-lyon", "A1") != store.find("agence-paris", "A1")


def test_a_full_refresh_withdraws_what_the_source_no_longer_lists(store: OfferStore) -> None:
    store.import_records(parse_payload([ft_record(id=f"R{i}") for i in range(5)]))
    store.import_records(parse_payload([ft_record(id="X1")]), source="other")
    report = store.import_records(
        parse_payload([ft_record(id="R0"), ft_record(id="R3")]), full_refresh=True
    )
    assert report.withdrawn == 3
    assert store.find("francetravail", "R1") is None
    assert store.find("francetravail", "R3") is not None
    assert store.find("other", "X1") is not None  # other sources are left alone


def test_rejections_are_reported_and_the_rest_is_stored(store: OfferStore) -> None:
    records = [ft_record(id="G1"), ft_record(id="B1", intitule=None), ft_record(id="G2")]
    report = store.import_records(parse_payload(records))
    assert report.inserted == 2
    assert report.as_json()["rejected"] == [{"id": "B1", "reason": "intitule (title) is missing"}]


def test_get_parses_the_stored_raw_record_again(store: OfferStore) -> None:
    store.import_records(parse_payload([ft_record(id="D1")]))
    offer_id = store.find("francetravail", "D1")
    assert offer_id is not None
    offer = store.get(offer_id)
    assert offer is not None
    assert offer.description == "Vous assurez le service en salle.\nVous accueillez la clientèle."
    assert offer.raw == ft_record(id="D1")
    assert store.get(offer_id + 1000) is None


def test_updates_and_withdrawals_reach_the_search_index(
    store: OfferStore, searcher: Searcher
) -> None:
    store.import_records(parse_payload([ft_record(id="S1", intitule="Boulanger (H/F)")]))
    assert searcher.search(SearchQuery(text="boulanger")).total == 1
    store.import_records(parse_payload([ft_record(id="S1", intitule="Pâtissier (H/F)")]))
    assert searcher.search(SearchQuery(text="boulanger")).total == 0
    assert searcher.search(SearchQuery(text="patissier")).total == 1
    store.withdraw("francetravail", ["S1"])
    assert searcher.search(SearchQuery(text="patissier")).total == 0
    assert searcher.search(SearchQuery()).total == 0


HOSTILE = {
    "H1": "Serveur 😀🍽️ (H/F)",
    "H2": "مساعد مطبخ — عمل بدوام كامل",
    "H3": "'; DROP TABLE offers; --",
    "H4": 'Vendeur "quoted" AND NEAR(a b) OR title:* -x ^',
    "H5": "Développeur " + "x" * 10_000,
}


def test_hostile_text_round_trips_through_the_store(store: OfferStore, searcher: Searcher) -> None:
    store.import_records(parse_payload([ft_record(id=i, intitule=t) for i, t in HOSTILE.items()]))
    for external_id, title in HOSTILE.items():
        offer_id = store.find("francetravail", external_id)
        assert offer_id is not None
        offer = store.get(offer_id)
        assert offer is not None
        assert offer.title == title
    # Typing any of them is a search for words, never SQL or FTS syntax.
    for title in HOSTILE.values():
        assert searcher.search(SearchQuery(text=title[:200])).total >= 1
    assert searcher.search(SearchQuery(text="مطبخ")).total == 1
    assert searcher.search(SearchQuery(text="drop table")).total == 1
    assert store.count() == 5


def test_distances_follow_the_configured_location(offers_path: Path) -> None:
    engine = open_offers_database(offers_path)
    near = OfferStore(engine, ORIGIN)
    near.import_records(parse_payload([ft_record(id="P1")]))
    searcher = Searcher(engine)
    [before] = searcher.search(SearchQuery()).results
    assert before.distance_km == pytest.approx(1.03, abs=0.01)

    lyon = OfferStore(engine, Point(45.7606, 4.8593))
    assert lyon.ensure_origin()
    assert not lyon.ensure_origin()  # already there: nothing recomputed
    [after] = searcher.search(SearchQuery()).results
    assert after.distance_km == pytest.approx(392, abs=5)
    searcher.close()
    engine.dispose()


def test_the_offers_database_uses_wal_and_foreign_keys(store: OfferStore) -> None:
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10000


def test_deleting_an_offer_deletes_its_document(store: OfferStore, offers_path: Path) -> None:
    store.import_records(parse_payload([ft_record(id="F1")]))
    store.withdraw("francetravail", ["F1"])
    connection = sqlite3.connect(offers_path)
    assert connection.execute("SELECT count(*) FROM offer_documents").fetchone() == (0,)
    connection.close()
