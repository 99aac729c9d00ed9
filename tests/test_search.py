"""Search: folding, prefixes, filters, orders, paging and counts, checked against brute force."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from kiosk.domain import Offer, WorkingTime
from kiosk.formats import parse_payload
from kiosk.geo import haversine_km
from kiosk.offline.db import open_offers_database
from kiosk.offline.offers import OfferStore
from kiosk.offline.search import (
    DISTANCE_STEPS_KM,
    RECENT_STEPS_DAYS,
    TOP_ROMES,
    Order,
    Searcher,
    SearchQuery,
    iter_positions,
)
from tests.conftest import ORIGIN, ft_record

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def titled(store: OfferStore, *titles: str) -> None:
    """Offers that differ only by title (no trade label, so only titles can match)."""
    records = [
        ft_record(id=f"T{i}", intitule=t, appellationlibelle=None, romeLibelle=None)
        for i, t in enumerate(titles)
    ]
    store.import_records(parse_payload(records))


def titles(searcher: Searcher, text: str) -> set[str]:
    return {r.title for r in searcher.search(SearchQuery(text=text, limit=100)).results}


def test_accents_case_and_ligatures_are_ignored(store: OfferStore, searcher: Searcher) -> None:
    titled(store, "Électricien (H/F)", "Chef de cœur de métier", "Maçon", "ÆRO technicien")
    assert titles(searcher, "electricien") == {"Électricien (H/F)"}
    assert titles(searcher, "ÉLECTRICIEN") == {"Électricien (H/F)"}
    assert titles(searcher, "coeur") == {"Chef de cœur de métier"}
    assert titles(searcher, "cœur") == {"Chef de cœur de métier"}
    assert titles(searcher, "macon") == {"Maçon"}
    assert titles(searcher, "aero") == {"ÆRO technicien"}


def test_prefixes_match_from_two_letters(store: OfferStore, searcher: Searcher) -> None:
    titled(store, "Serveur (H/F)", "Serveuse en brasserie", "Sécurité incendie", "Vendeur")
    assert titles(searcher, "se") == {"Serveur (H/F)", "Serveuse en brasserie", "Sécurité incendie"}
    assert titles(searcher, "serv") == {"Serveur (H/F)", "Serveuse en brasserie"}
    # One letter is not a search yet: everything stays listed.
    assert len(titles(searcher, "s")) == 4
    assert titles(searcher, "serveuses") == set()


def test_hyphens_and_apostrophes_split_words(store: OfferStore, searcher: Searcher) -> None:
    titled(store, "Aide-soignant de nuit", "Agent d'accueil", "Auxiliaire de vie")
    assert titles(searcher, "soignant") == {"Aide-soignant de nuit"}
    assert titles(searcher, "aide-soi") == {"Aide-soignant de nuit"}
    assert titles(searcher, "accueil") == {"Agent d'accueil"}
    assert titles(searcher, "d'accueil") == {"Agent d'accueil"}
    assert titles(searcher, "agent accueil") == {"Agent d'accueil"}  # every word must match


def test_company_place_and_trade_are_searched(store: OfferStore, searcher: Searcher) -> None:
    store.import_records(parse_payload([ft_record(id="C1", intitule="Employé polyvalent")]))
    assert titles(searcher, "bistrot") == {"Employé polyvalent"}  # company
    assert titles(searcher, "paris") == {"Employé polyvalent"}  # place
    assert titles(searcher, "restauration") == {"Employé polyvalent"}  # trade


@pytest.mark.parametrize(
    "text", ['"', "*", "NEAR(", "a OR b", "x AND", "title:x", "-", "^", "(", "'", "%", "\x00"]
)
def test_fts_syntax_in_user_text_is_only_words(
    store: OfferStore, searcher: Searcher, text: str
) -> None:
    titled(store, "Serveur")
    page = searcher.search(SearchQuery(text=text))
    assert page.total in (0, 1)


def _random_records(count: int, seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    contracts = ["CDI", "CDI", "CDD", "MIS", "SAI", "LIB", "FRA"]
    records = []
    for i in range(count):
        place: dict[str, Any] = {"libelle": "75 - PARIS"}
        if rng.random() < 0.85:
            place |= {
                "latitude": ORIGIN.latitude + rng.uniform(-0.6, 0.6),
                "longitude": ORIGIN.longitude + rng.uniform(-0.9, 0.9),
            }
        posted = NOW - timedelta(days=rng.randint(0, 45), minutes=rng.randint(0, 1000))
        records.append(
            ft_record(
                id=f"Z{i:04d}",
                intitule=rng.choice(["Serveur", "Vendeur", "Agent de sécurité", "Cuisinier"]),
                appellationlibelle=None,
                romeLibelle=None,
                lieuTravail=place,
                typeContrat=rng.choice(contracts),
                dureeTravailLibelleConverti=rng.choice(["Temps plein", "Temps partiel", None]),
                alternance=rng.random() < 0.1,
                accessibleTH=rng.random() < 0.2,
                dateCreation=posted.isoformat().replace("+00:00", "Z"),
            )
        )
    return records


@pytest.fixture
def many(store: OfferStore) -> list[Offer]:
    offers = [o for o in parse_payload(_random_records(600)) if isinstance(o, Offer)]
    store.import_records(offers)
    return offers


@pytest.fixture
def fixed_searcher(store: OfferStore) -> Searcher:
    return Searcher(store.engine, clock=NOW.timestamp)


def _distance(offer: Offer) -> float | None:
    if offer.latitude is None or offer.longitude is None:
        return None
    return round(haversine_km(ORIGIN, offer.latitude, offer.longitude), 3)


def _matches(offer: Offer, query: SearchQuery, skip: str = "") -> bool:
    """The reference semantics of SearchQuery, written the slow and obvious way."""
    if query.text and query.text.lower() not in offer.title.lower():
        return False
    chip = offer.contract_code if offer.contract_code in {"CDI", "CDD", "MIS", "SAI"} else "OTHER"
    if skip != "contracts" and query.contracts and chip not in query.contracts:
        return False
    if skip != "working_time" and query.working_time and offer.working_time != query.working_time:
        return False
    if skip != "apprenticeship" and query.apprenticeship and not offer.apprenticeship:
        return False
    distance = _distance(offer)
    too_far = distance is None or (query.max_km is not None and distance > query.max_km)
    if skip != "distance" and query.max_km is not None and too_far:
        return False
    if skip != "recent" and query.posted_within_days is not None:
        age = (NOW.date() - offer.posted_at.date()).days
        if age >= query.posted_within_days:
            return False
    return not (skip != "accessible" and query.accessible_only and not offer.accessible_disabled)


QUERIES = [
    SearchQuery(),
    SearchQuery(text="serveur"),
    SearchQuery(contracts=frozenset({"CDI", "OTHER"})),
    SearchQuery(text="agent", max_km=20, working_time=WorkingTime.FULL),
    SearchQuery(posted_within_days=7, accessible_only=True),
    SearchQuery(apprenticeship=True, contracts=frozenset({"CDD"})),
    SearchQuery(text="vendeur", max_km=50, posted_within_days=30, order=Order.NEWEST),
]


@pytest.mark.parametrize("query", QUERIES)
def test_totals_pages_and_facets_match_brute_force(
    many: list[Offer], fixed_searcher: Searcher, query: SearchQuery
) -> None:
    expected = [o for o in many if _matches(o, query)]
    page = fixed_searcher.search(SearchQuery(**{**_fields(query), "limit": 1000}))
    assert page.total == len(expected)
    assert {r.external_id for r in page.results} == {o.external_id for o in expected}

    facets = page.facets
    for code, count in facets.contracts.items():
        reference = [o for o in many if _matches(o, query, skip="contracts")]
        chip = {"CDI", "CDD", "MIS", "SAI"}
        assert count == sum(
            1
            for o in reference
            if (o.contract_code if o.contract_code in chip else "OTHER") == code
        )
    base = [o for o in many if _matches(o, query, skip="working_time")]
    assert facets.working_time == {
        wt.value: sum(1 for o in base if o.working_time is wt) for wt in WorkingTime
    }
    base = [o for o in many if _matches(o, query, skip="distance")]
    assert facets.within_km == {
        km: sum(1 for o in base if (d := _distance(o)) is not None and d <= km)
        for km in DISTANCE_STEPS_KM
    }
    base = [o for o in many if _matches(o, query, skip="recent")]
    assert facets.posted_within_days == {
        days: sum(1 for o in base if (NOW.date() - o.posted_at.date()).days < days)
        for days in RECENT_STEPS_DAYS
    }
    base = [o for o in many if _matches(o, query, skip="accessible")]
    assert facets.accessible == sum(1 for o in base if o.accessible_disabled)
    base = [o for o in many if _matches(o, query, skip="apprenticeship")]
    assert facets.apprenticeship == sum(1 for o in base if o.apprenticeship)


def _fields(query: SearchQuery) -> dict[str, Any]:
    return {name: getattr(query, name) for name in SearchQuery.__dataclass_fields__}


def test_nearest_first_then_newest_and_unlocated_last(
    many: list[Offer], fixed_searcher: Searcher
) -> None:
    results = fixed_searcher.search(SearchQuery(limit=1000)).results
    located = [r for r in results if r.distance_km is not None]
    unlocated = results[len(located) :]
    assert located and unlocated
    assert all(r.distance_km is None for r in unlocated)
    keys = [(r.distance_km, -r.posted_at.timestamp()) for r in located]
    assert keys == sorted(keys)
    assert [r.posted_at for r in unlocated] == sorted(
        (r.posted_at for r in unlocated), reverse=True
    )
    assert all(r.place_label for r in unlocated)


def test_newest_first(many: list[Offer], fixed_searcher: Searcher) -> None:
    results = fixed_searcher.search(SearchQuery(order=Order.NEWEST, limit=1000)).results
    assert len(results) == 600
    stamps = [r.posted_at for r in results]
    assert stamps == sorted(stamps, reverse=True)


@pytest.mark.parametrize("order", list(Order))
def test_pages_follow_each_other_without_gap_or_overlap(
    many: list[Offer], fixed_searcher: Searcher, order: Order
) -> None:
    whole = [r.id for r in fixed_searcher.search(SearchQuery(order=order, limit=1000)).results]
    paged: list[int] = []
    for offset in range(0, 620, 37):
        page = fixed_searcher.search(SearchQuery(order=order, offset=offset, limit=37))
        paged.extend(r.id for r in page.results)
    assert paged == whole


def test_a_change_by_another_connection_is_seen(offers_path: Any) -> None:
    engine = open_offers_database(offers_path)
    writer_engine = open_offers_database(offers_path)
    searcher = Searcher(engine)
    assert searcher.search(SearchQuery()).total == 0
    OfferStore(writer_engine, ORIGIN).import_records(parse_payload([ft_record(id="N1")]))
    assert searcher.search(SearchQuery()).total == 1
    searcher.close()
    engine.dispose()
    writer_engine.dispose()


def test_the_commonest_trades_are_counted_in_a_family_holding_half(
    store: OfferStore, searcher: Searcher
) -> None:
    def offer(key: str, title: str, rome: str | None) -> dict[str, Any]:
        return ft_record(id=key, intitule=title, romeCode=rome, appellationlibelle=None)

    store.import_records(
        parse_payload(
            [
                *(offer(f"W{i}", "Serveur", "G1803") for i in range(5)),
                offer("G1", "Serveur en cuisine", "G1602"),
                offer("G2", "Serveur d'étage", "G1503"),
                offer("G3", "Serveur de banquet", "G1502"),
                offer("G4", "Serveur", None),  # in the family by its title; no code
                offer("D1", "Serveur vendeur", "D1211"),
                offer("D2", "Vendeur", "D1211"),
                offer("D3", "Vendeur en boulangerie", "D1214"),
                offer("K1", "Agent de sécurité", "K2503"),
                offer("K2", "Agent de sécurité", "K2503"),
                offer("N1", "Agent de quai", "N1103"),
                offer("N2", "Agent de quai", "N1103"),
                offer("M1", "Agent d'accueil", "M1601"),
            ]
        )
    )
    serveur = searcher.search(SearchQuery(text="serveur")).facets
    assert serveur.trades["G"] == 9 and sum(serveur.trades.values()) == 10
    # The few commonest (ties by code); the offer without a code and the seller's are not.
    assert TOP_ROMES == 3
    assert serveur.romes == {"G1803": 5, "G1502": 1, "G1503": 1}
    assert searcher.search(SearchQuery(text="vendeur")).facets.romes == {"D1211": 2, "D1214": 1}
    # Like the families, counted as if no family were chosen.
    chosen = searcher.search(SearchQuery(text="serveur", trade="D"))
    assert chosen.total == 1 and chosen.facets.romes == serveur.romes
    # No family holds half of the agents (K 2, N 2, M 1): no code can, none is counted.
    assert searcher.search(SearchQuery(text="agent")).facets.romes == {}
    assert searcher.search(SearchQuery(text="plombier")).facets.romes == {}


def test_iter_positions_skips_to_offsets_across_chunks() -> None:
    positions = [0, 3, 9, 4095, 4096, 9000, 40_000]
    mask = sum(1 << p for p in positions)
    for offset in range(len(positions) + 1):
        assert list(iter_positions(mask, offset)) == positions[offset:]
    assert list(iter_positions(0)) == []


def test_card_fields(store: OfferStore, searcher: Searcher) -> None:
    store.import_records(
        parse_payload(
            [
                ft_record(
                    id="K1", entreprise={}, typeContrat="CDD", typeContratLibelle="CDD - 6 Mois"
                )
            ]
        )
    )
    [card] = searcher.search(SearchQuery()).results
    assert card.company is None
    assert card.contract_label == "CDD 6 mois"
    assert card.working_time is WorkingTime.FULL
    assert card.place_label == "Paris 12e (75)"
    assert card.posted_at == datetime(2026, 11, 18, 9, 30, tzinfo=UTC)
