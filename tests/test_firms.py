"""Firms near here in the offers cache (kiosk/offline/firms.py), on real SQLite files: the
hub's list kept whole and replaced whole, firms a terminal cannot show left out one by one, and
the screen's three questions (a trade, a family of trades, a search) in the screen's order."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from kiosk.geo import Point
from kiosk.offline.db import open_offers_database
from kiosk.offline.firms import FirmsCache, FirmsFormatError, demo_firms, parse_firms

HERE = Point(48.8443, 2.3744)  # Paris Gare de Lyon


def firm(siret: str, name: str, trades: list[tuple[str, str, float, bool]], **extra: Any) -> dict:
    """A firm as GET /v1/firms gives it, `km_north` kilometres north of the terminal."""
    km = extra.pop("km_north", 1.0)
    return {
        "siret": siret,
        "name": name,
        "sector": "Boulangerie et boulangerie-pâtisserie",
        "naf": "1071C",
        "headcount_min": 10,
        "headcount_max": 19,
        "latitude": HERE.latitude + km / 111.2,
        "longitude": HERE.longitude,
        "city": "Paris",
        "postcode": "75012",
        "trades": [
            {"rome": rome, "label": label, "hiring_potential": potential, "high": high}
            for rome, label, potential, high in trades
        ],
        **extra,
    }


BAKERY = ("D1102", "Boulangerie - viennoiserie", 2.0, True)
FOOD_SALES = ("D1106", "Vente en alimentation", 1.0, False)
WAITER = ("G1803", "Service en restauration", 3.0, True)
BODY: dict[str, Any] = {
    "spontaneous": True,
    "source": "La Bonne Boîte, France Travail",
    "harvested_at": "2026-12-05T06:00:00Z",
    "firms": [
        firm("11111111100011", "Fournil Martin", [BAKERY, FOOD_SALES], km_north=3.0),
        firm("22222222200022", "Pains d'Œuvre", [BAKERY], km_north=0.5),
        firm(
            "33333333300033",
            "Brasserie de la Gare",
            [WAITER, ("D1106", "Vente en alimentation", 0.4, False)],
            sector="Restauration traditionnelle",
            km_north=1.5,
        ),
        firm(
            "44444444400044",
            "Épicerie Lenoir",
            [FOOD_SALES],
            sector="Commerce d'alimentation générale",
            km_north=0.2,
        ),
    ],
}


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    return open_offers_database(tmp_path / "offers.sqlite")


def held(engine: Engine, body: dict[str, Any] = BODY, etag: str | None = 'W/"1"') -> FirmsCache:
    cache = FirmsCache(engine, HERE)
    answer, rejected = parse_firms(body)
    assert rejected == 0
    cache.replace(answer, etag)
    return cache


def names(found: list[Any]) -> list[str]:
    return [n.firm.name for n in found]


def test_a_trade_lists_its_firms_most_likely_to_hire_first_then_nearest(engine: Engine) -> None:
    cache = held(engine)
    # Both flagged "high": the nearer first, whatever its slightly lower potential.
    assert names(cache.for_rome("D1102")) == ["Pains d'Œuvre", "Fournil Martin"]
    # Not flagged: after the flagged ones, the nearer first.
    found = cache.for_rome("D1106")
    assert names(found) == ["Épicerie Lenoir", "Brasserie de la Gare", "Fournil Martin"]
    first = found[0]
    assert first.key == "44444444400044.D1106"
    assert first.trade.label == "Vente en alimentation"
    assert first.distance_km == pytest.approx(0.2, abs=0.01)
    assert cache.for_rome("K2204") == [] and cache.for_rome("'; DROP TABLE firms; --") == []


def test_a_family_shows_each_firm_once_for_its_best_trade_there(engine: Engine) -> None:
    cache = held(engine)
    found = cache.for_family("D")
    assert names(found) == [
        "Pains d'Œuvre",
        "Fournil Martin",
        "Épicerie Lenoir",
        "Brasserie de la Gare",
    ]
    martin = found[1]
    assert martin.trade.rome == "D1102"  # its high-potential trade, not its food sales
    assert names(cache.for_family("G")) == ["Brasserie de la Gare"]
    assert cache.for_family("other") == [] and cache.for_family("Z") == []


def test_a_search_matches_word_starts_of_trade_name_sector_and_town(engine: Engine) -> None:
    cache = held(engine)
    # Accents and case folded, the start of a word: "boulang" finds the bakers by their trade.
    assert names(cache.for_text("BOULANG")) == ["Pains d'Œuvre", "Fournil Martin"]
    # "oeuvre" finds the name written with Œ; a word's middle does not match ("ournil").
    assert names(cache.for_text("oeuvre")) == ["Pains d'Œuvre"]
    assert cache.for_text("ournil") == []
    # Every word must match: the trade and the town.
    assert names(cache.for_text("service paris")) == ["Brasserie de la Gare"]
    # By its sector ("Restauration traditionnelle"), the brasserie shows for its best trade.
    (brasserie,) = cache.for_text("restauration")
    assert brasserie.trade.rome == "G1803"
    # Too short, or nothing: no firm (and what is typed is never SQL).
    assert cache.for_text("a") == [] and cache.for_text("  ") == []
    assert cache.for_text("%") == [] and cache.for_text("_") == []


def test_a_search_in_a_family_shows_each_firm_for_its_best_match_there(engine: Engine) -> None:
    cache = held(engine)
    # The brasserie's sector matches both its trades: in the food trades (D) it shows for its
    # food sales, though its waiters' trade (G) is its best overall.
    (brasserie,) = cache.for_text("restauration", "D")
    assert brasserie.trade.rome == "D1106"
    assert [n.trade.rome for n in cache.for_text("restauration", "G")] == ["G1803"]
    assert names(cache.for_text("boulang", "D")) == ["Pains d'Œuvre", "Fournil Martin"]
    assert cache.for_text("boulang", "G") == [] and cache.for_text("boulang", "other") == []


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (("rome", "D1102"), 2),
        (("rome", "D1106"), 3),
        (("rome", "K2204"), 0),  # a trade no firm hires for
        (("rome", "not a code"), 0),
        (("family", "D"), 4),  # Fournil Martin's two food trades: counted once
        (("family", "G"), 1),
        (("family", "A"), 0),
        (("family", "other"), 0),
        (("text", "vente"), 3),
        (("text", "restauration"), 1),  # the brasserie's sector and its trade: once
        (("text", "paris"), 4),  # every firm, each for its best trade (Martin: two)
        (("text", "boulang paris"), 2),
        (("text", "plombier"), 0),
        (("text", "a"), 0),  # too short to search
        (("text", "restauration", "D"), 1),
        (("text", "paris", "D"), 4),
        (("text", "paris", "G"), 1),
        (("text", "boulang", "G"), 0),
    ],
)
def test_a_count_is_the_length_of_its_list(
    engine: Engine, question: tuple[str, ...], expected: int
) -> None:
    cache = held(engine)
    kind, *arguments = question
    listed = getattr(cache, f"for_{kind}")(*arguments)
    assert len({n.firm.siret for n in listed}) == len(listed)  # each firm listed once
    assert getattr(cache, f"count_{kind}")(*arguments) == len(listed) == expected


def test_a_new_list_replaces_the_old_whole_and_says_whether_spontaneous(engine: Engine) -> None:
    cache = held(engine)
    assert cache.count() == 4 and cache.spontaneous() and cache.etag() == 'W/"1"'
    assert cache.source() == "La Bonne Boîte, France Travail"
    before = cache.digest()
    # The same list again: the same fingerprint (the sync does not tell the screen).
    held(engine, etag='W/"2"')
    assert cache.digest() == before and cache.etag() == 'W/"2"'

    smaller = copy.deepcopy(BODY)
    del smaller["firms"][0]  # withdrawn between two harvests
    smaller["spontaneous"] = False
    held(engine, smaller, 'W/"3"')
    assert cache.count() == 3 and not cache.spontaneous() and cache.digest() != before
    assert cache.find("11111111100011.D1102") is None
    with engine.connect() as connection:  # no trade of the firm gone is left behind
        assert connection.scalar(text("SELECT count(*) FROM firm_trades")) == 4

    held(engine, {"spontaneous": True, "firms": []}, 'W/"4"')
    assert cache.count() == 0 and cache.for_family("D") == []


def test_a_failed_write_keeps_the_list_held(engine: Engine) -> None:
    cache = held(engine)
    answer, _ = parse_firms(BODY)
    broken = copy.deepcopy(answer)
    # Two firms with the same SIRET cannot be written: the transaction rolls back whole.
    broken.firms.append(broken.firms[0])
    with pytest.raises(Exception, match="UNIQUE"):
        cache.replace(broken, 'W/"bad"')
    assert cache.count() == 4 and cache.etag() == 'W/"1"'


def test_firms_a_terminal_cannot_show_are_left_out_one_by_one() -> None:
    good = firm("55555555500055", "Bonne", [BAKERY])
    listed = [
        good,
        good | {"siret": "123"},
        good | {"siret": "66666666600066", "name": "  "},
        good | {"siret": "77777777700077", "latitude": None},
        good | {"siret": "88888888800088", "latitude": 0.0, "longitude": 0.0},
        good | {"siret": "99999999900099", "trades": [{"rome": "bad", "hiring_potential": 1}]},
        good | {"siret": "12121212100012", "trades": "D1102"},
        "not a firm",
        good,  # the same firm twice: the first kept
        good | {"siret": "13131313100013", "headcount_min": 50, "headcount_max": 10},
    ]
    answer, rejected = parse_firms({"firms": listed})
    assert [f.siret for f in answer.firms] == ["55555555500055", "13131313100013"]
    assert rejected == 8
    assert answer.firms[1].headcount_min is None  # a range that says nothing true
    assert not answer.spontaneous  # said only by `true`
    label_less = firm("14141414100014", "X", [("D1102", "", 1.0, False)])
    (only,) = parse_firms({"firms": [label_less]})[0].firms
    assert only.trades[0].label == "D1102"  # the code itself when there is no label
    for body in ({}, {"firms": {}}, [], None, "firms"):
        with pytest.raises(FirmsFormatError):
            parse_firms(body)


def test_the_demo_firms_seed_once_and_never_over_a_hub_list(engine: Engine) -> None:
    cache = FirmsCache(engine, HERE)
    demo = demo_firms()
    assert len(demo.firms) >= 10 and demo.spontaneous
    assert cache.seed_demo() == len(demo.firms)
    assert cache.seed_demo() == 0  # once
    assert cache.for_family("D") and cache.for_family("G")  # the demo's tiles have firms
    cache.replace(parse_firms({"spontaneous": False, "firms": []})[0], 'W/"hub"')
    assert cache.seed_demo() == 0 and cache.count() == 0  # the hub's empty list stands
