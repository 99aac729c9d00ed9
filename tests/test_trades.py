"""Trade families: ROME letters, JobPosting occupations and titles, the search's counts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kiosk import trades
from kiosk.domain import Offer
from kiosk.formats import parse_payload
from kiosk.offline.db import (
    OFFERS_HEAD,
    Durability,
    current_revision,
    make_engine,
    open_offers_database,
    upgrade,
)
from kiosk.offline.offers import OfferStore, trade_family
from kiosk.offline.search import Searcher, SearchQuery
from tests.conftest import ORIGIN, ft_record

FIXTURES = Path(__file__).parent / "fixtures"


def offers_of(name: str) -> list[Offer]:
    payload = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    return [o for o in parse_payload(payload, "test") if isinstance(o, Offer)]


def test_france_travail_offers_are_in_the_family_of_their_rome_letter() -> None:
    offers = offers_of("francetravail/search_page.json")
    assert offers
    for offer in offers:
        assert offer.rome_code is not None
        assert trade_family(offer) == offer.rome_code[0]
    assert {trade_family(o) for o in offers} == {"N", "I"}


@pytest.mark.parametrize(
    ("code", "family"),
    [("N4105", "N"), ("n4105", "N"), ("M1811 - Data engineer", "M"), ("G 1602", "G")],
)
def test_rome_codes_old_and_new(code: str, family: str) -> None:
    assert trades.from_rome(code) == family


@pytest.mark.parametrize("code", ["", "Z1234", "1234", "Personnel de cuisine", "M18"])
def test_what_is_not_a_rome_code(code: str) -> None:
    assert trades.from_rome(code) is None


def test_jobposting_offers_by_occupation_then_title() -> None:
    families = {
        o.title: trade_family(o)
        for name in ("graph_page_fr", "array_feed", "mixed_good_bad", "single_posting")
        for o in offers_of(f"jobposting/{name}.json")
    }
    assert families["Cuisinier (H/F)"] == "G"  # occupationalCategory "G1602 - …"
    assert families["Préparateur de commandes H/F"] == "N"
    assert families["Apprenti(e) boulanger"] == "D"
    assert families["Développeur Python confirmé (H/F) – 100 % télétravail"] == "M"
    assert families["Aide-soignant de nuit (H/F)"] == "J"
    assert families["Agent d'entretien (H/F)"] == "K"
    assert families["Plombier chauffagiste"] == "F"
    # Nothing in it places it: "other", never a guess.
    assert families["Employé(e) polyvalent(e) de remontées mécaniques"] == trades.OTHER


def test_an_occupation_code_beats_the_title() -> None:
    posting: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "identifier": "X1",
        "title": "Serveur (H/F)",  # the title says restaurant…
        "description": "<p>Livraisons en ville.</p>",
        "datePosted": "2026-11-20",
        "jobLocation": {"@type": "Place", "address": {"addressLocality": "Lyon"}},
        # …the O*NET-SOC code says transport (53: transportation and material moving).
        "occupationalCategory": {"@type": "CategoryCode", "codeValue": "53-3031.00"},
    }
    [offer] = offers_of_payload(posting)
    assert trade_family(offer) == "N"
    posting["occupationalCategory"] = ["K2204 - Nettoyage de locaux"]
    [offer] = offers_of_payload(posting)
    assert trade_family(offer) == "K"


def offers_of_payload(payload: Any) -> list[Offer]:
    return [o for o in parse_payload(payload, "test") if isinstance(o, Offer)]


@pytest.mark.parametrize(
    ("title", "family"),
    [
        ("Conducteur de travaux (H/F)", "F"),  # the longer words win over "conducteur"
        ("Conducteur de bus", "N"),
        ("Conducteur de ligne de production", "H"),
        ("Chauffeur-livreur", "N"),
        ("AGENT DE SÉCURITÉ", "K"),
        ("Waiter / waitress", "G"),
        ("Conserverie : ouvrier", trades.OTHER),  # "serv" inside a word is not "serveur"
    ],
)
def test_titles(title: str, family: str) -> None:
    assert trades.classify(None, None, title) == family


# -- the search ---------------------------------------------------------------------------------


def _seed(store: OfferStore) -> None:
    records = []
    for i in range(30):
        rome = ("N4105", "G1803", "D1106")[i % 3]
        records.append(
            ft_record(
                id=f"R{i:02d}",
                romeCode=rome,
                typeContrat="CDI" if i % 2 else "CDD",
                lieuTravail={
                    "libelle": "75 - PARIS",
                    "latitude": ORIGIN.latitude + 0.05 * i,  # 0 to ~160 km north
                    "longitude": ORIGIN.longitude,
                },
            )
        )
    # Located only by département: in the terminal's area whatever the radius.
    records += [
        ft_record(id=f"U{i}", romeCode="N1103", lieuTravail={"libelle": "75 - Paris (Dept.)"})
        for i in range(4)
    ]
    store.import_records(parse_payload({"resultats": records}, "test"))


def test_tile_counts_are_the_totals_of_their_lists(store: OfferStore, searcher: Searcher) -> None:
    _seed(store)
    for base in (SearchQuery(), SearchQuery(area_km=30), SearchQuery(contracts=frozenset({"CDI"}))):
        facets = searcher.search(base).facets
        assert sum(facets.trades.values()) == searcher.search(base).total
        for code in trades.CODES:
            narrowed = SearchQuery(**{**_fields(base), "trade": code})
            assert searcher.search(narrowed).total == facets.trades[code], (base, code)
    # Choosing a trade keeps the other families' counts (a tile never counts itself out).
    facets = searcher.search(SearchQuery(trade="N")).facets
    assert facets.trades["G"] == 10
    both = SearchQuery(trade="N", contracts=frozenset({"CDI"}))
    assert facets.contracts["CDI"] == searcher.search(both).total


def _fields(query: SearchQuery) -> dict[str, Any]:
    return {name: getattr(query, name) for name in SearchQuery.__slots__}


def test_the_area_is_the_radius_and_the_offers_without_coordinates(
    store: OfferStore, searcher: Searcher
) -> None:
    _seed(store)
    page = searcher.search(SearchQuery(area_km=30, limit=100))
    within = [r for r in page.results if r.distance_km is not None]
    assert all(r.distance_km <= 30 for r in within)
    assert len(within) == searcher.search(SearchQuery(max_km=30)).total
    assert page.total == len(within) + 4
    assert [r.external_id for r in page.results[-4:]] == ["U0", "U1", "U2", "U3"]
    assert searcher.search(SearchQuery()).total == 34


def test_the_migration_classifies_the_offers_already_cached(tmp_path: Path) -> None:
    path = tmp_path / "offers.sqlite"
    engine = make_engine(path, Durability.CACHE)
    upgrade(engine, "0002")
    store = OfferStore(engine, ORIGIN)
    records = [ft_record(id="A1", romeCode="A1414"), ft_record(id="N1", romeCode="N4101")]
    posting = {
        "@type": "JobPosting",
        "identifier": "JP1",
        "title": "Chauffeur livreur",
        "description": "Tournées.",
        "datePosted": "2026-11-20",
        "jobLocation": {"@type": "Place", "address": {"addressLocality": "Paris"}},
    }
    store.import_records(parse_payload({"resultats": records}, "test"))
    store.import_records(parse_payload(posting, "feed"))
    with engine.begin() as connection:  # as a kiosk before families wrote them
        connection.exec_driver_sql("UPDATE offers SET facets = facets & 127")
    engine.dispose()

    engine = open_offers_database(path)
    assert current_revision(engine) == OFFERS_HEAD
    searcher = Searcher(engine)
    facets = searcher.search(SearchQuery()).facets
    assert {code: n for code, n in facets.trades.items() if n} == {"A": 1, "N": 2}
    searcher.close()
    engine.dispose()


def test_the_migration_files_the_rome_codes_of_the_offers_already_cached(
    tmp_path: Path,
) -> None:
    path = tmp_path / "offers.sqlite"
    engine = make_engine(path, Durability.CACHE)
    upgrade(engine, "0006")
    store = OfferStore(engine, ORIGIN)
    records = [ft_record(id="G1", romeCode="G1803"), ft_record(id="G2", romeCode="G1803")]
    posting = {
        "@type": "JobPosting",
        "identifier": "JP1",
        "title": "Serveur",
        "description": "Service en salle.",
        "datePosted": "2026-11-20",
        "occupationalCategory": "G1803 - Service en restauration",
        "jobLocation": {"@type": "Place", "address": {"addressLocality": "Paris"}},
    }
    untold = {**posting, "identifier": "JP2", "occupationalCategory": None}
    store.import_records(parse_payload({"resultats": records}, "test"))
    store.import_records(parse_payload(posting, "feed"))
    store.import_records(parse_payload(untold, "feed"))
    with engine.begin() as connection:  # as a kiosk before the codes were filed
        connection.exec_driver_sql("UPDATE offers SET facets = facets & 2047")
    searcher = Searcher(engine)
    assert searcher.search(SearchQuery()).facets.romes == {}
    searcher.close()
    engine.dispose()

    engine = open_offers_database(path)
    assert current_revision(engine) == OFFERS_HEAD
    searcher = Searcher(engine)
    facets = searcher.search(SearchQuery()).facets
    assert facets.trades["G"] == 4 and facets.romes == {"G1803": 3}
    searcher.close()
    engine.dispose()


def test_rome_numbers() -> None:
    for code in ("A1101", "D1501", "N4105"):
        assert trades.rome_code(trades.rome_number(code)) == code
    assert trades.rome_number("g1803 - Service") == trades.rome_number("G1803")
    assert trades.rome_number(None) == trades.rome_number("Z1234") == 0
    assert trades.rome_code(0) is None
    assert trades.rome_number("N9999") < 1 << 18  # bits 11–28 of offers.facets


@pytest.mark.parametrize(
    ("occupation", "family"),
    [
        ({"@type": "CategoryCode", "codeValue": "8322", "inCodeSet": "ISCO-08"}, "N"),
        ({"@type": "CategoryCode", "codeValue": "5120", "inCodeSet": {"name": "ISCO-08"}}, "G"),
        ("ISCO-08: 2221", "J"),
        ("isco 7411", "I"),
        ("8322", trades.OTHER),  # four bare digits: not said to be ISCO, not taken for it
    ],
)
def test_isco_codes(occupation: Any, family: str) -> None:
    text = trades.occupation_text(occupation)
    assert trades.classify(None, text, "Poste polyvalent") == family
