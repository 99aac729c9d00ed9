"""Browsing by trade without typing, and the attract screen, on the real window: the count the
attract screen shows is the list's, a tile's count is the length of the list it opens, and a
passer-by applies with a tile, an offer and the name and phone number alone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAccessible, QColor
from PySide6.QtTest import QTest

from kiosk import trades
from kiosk.config import Settings, parse_config
from kiosk.formats import parse_payload
from kiosk.offline.db import open_offers_database
from kiosk.offline.offers import OfferStore
from kiosk.ui.app import Kiosk, build_kiosk
from kiosk.ui.attract import NearbyOfferModel, walking_minutes
from kiosk.ui.formatting import OfferFormatter
from kiosk.ui.trade_tiles import TradeIconProvider, TradeTileModel
from tests.conftest import ORIGIN, ft_record
from tests.ui.conftest import CONFIG, find_item, item, seed_records, shown
from tests.ui.test_accessibility_tree import check_tree
from tests.ui.test_apply import KEYS, Taps, press, sealed_rows, type_into

pytestmark = pytest.mark.ui

Role = QAccessible.Role
ROME_BY_TITLE = {"Serveur": "G1803", "Cuisinier": "G1602", "Vendeur": "D1106", "Agent": "K2204"}


@pytest.fixture
def ui_settings(tmp_path: Path) -> Settings:
    """A terminal that takes applications (a hub key)."""
    config = parse_config(CONFIG + f'\n[hub]\npublic_key = "{KEYS[1]}"\n', "test configuration")
    return Settings(config=config, source="test configuration", data_dir=tmp_path, demo=False)


def trade_records() -> list[dict[str, Any]]:
    """The 60 seed offers with the ROME code of their trade (30 in hotels and restaurants, 15
    shops, 15 cleaning), 3 drivers located only by their département (in the area), and 2
    warehouse offers 80 km away (beyond the terminal's 30 km: never counted nor listed)."""
    records = []
    for record in seed_records():
        first = record["intitule"].split()[0]
        records.append({**record, "romeCode": ROME_BY_TITLE[first]})
    records += [
        ft_record(
            id=f"U{i}",
            intitule="Chauffeur livreur (H/F)",
            romeCode="N4105",
            lieuTravail={"libelle": "75 - Paris (Dept.)"},
        )
        for i in range(3)
    ]
    records += [
        ft_record(
            id=f"F{i}",
            intitule="Magasinier (H/F)",
            romeCode="N1103",
            lieuTravail={
                "libelle": "45 - ORLEANS",
                "latitude": ORIGIN.latitude - 0.72,
                "longitude": ORIGIN.longitude,
            },
        )
        for i in range(2)
    ]
    return records


@pytest.fixture
def seeded_store(ui_settings: Settings) -> Iterator[OfferStore]:
    engine = open_offers_database(ui_settings.offers_db)
    store = OfferStore(engine, ui_settings.config.origin)
    store.ensure_origin()
    store.import_records(parse_payload({"resultats": trade_records()}, "test"))
    yield store
    engine.dispose()


def settled(kiosk: Kiosk) -> bool:
    return not kiosk.results.is_loading() and kiosk.results.rowCount() > 0


def tile_count(kiosk: Kiosk, name: str) -> str:
    return str(item(kiosk.window, name).property("countText"))


def test_the_attract_count_is_the_list_count(qtbot: Any, kiosk: Kiosk) -> None:
    window = kiosk.window
    # 60 offers within 30 km and 3 located only by département; the 2 at 80 km are not near.
    qtbot.waitUntil(lambda: kiosk.attract.offer_count() == 63)
    nearby = item(window, "nearbyText").property("text")
    assert nearby == "63 offres près de Paris Gare de Lyon"
    press(qtbot, kiosk, "wakeArea")
    qtbot.waitUntil(kiosk.session.is_active)
    qtbot.waitUntil(lambda: settled(kiosk) and kiosk.results.total_count() == 63)
    assert item(window, "resultSummary").property("text") == "63 offres"
    assert nearby.startswith(item(window, "resultSummary").property("text"))


def test_a_tile_counts_the_offers_it_opens(qtbot: Any, kiosk: Kiosk) -> None:
    window = kiosk.window
    # On the attract screen: the families with offers, the most first.
    qtbot.waitUntil(lambda: find_item(window, "attractTrade-G") is not None)
    assert kiosk.attract.tradeTiles.counts() == {"G": 30, "D": 15, "K": 15, "N": 3}
    assert tile_count(kiosk, "attractTrade-D") == "15 offres"
    assert find_item(window, "attractTrade-A") is None  # no farming offer: no tile

    # One tap on a tile wakes the terminal on that trade's offers, nearest first.
    press(qtbot, kiosk, "attractTrade-D")
    qtbot.waitUntil(kiosk.session.is_active)
    assert kiosk.navigator.page == "browse"
    qtbot.waitUntil(lambda: settled(kiosk) and kiosk.results.total_count() == 15)
    assert item(window, "resultSummary").property("text") == "15 offres"
    distances = [kiosk.results.summary(row).distance_km for row in range(15)]  # type: ignore[union-attr]
    assert distances == sorted(distances)
    assert all("Vendeur" in kiosk.results.summary(r).title for r in range(15))  # type: ignore[union-attr]
    # The trade is a filter in use like the others, removable with one tap.
    assert kiosk.browse.trade == "D"
    assert {"name": "trade-D", "label": "Métier : Commerce et vente"} in kiosk.browse.activeFilters
    qtbot.waitUntil(lambda: shown(item(window, "inUse-trade-D")))
    assert not shown(item(window, "tradeTiles"))  # the tiles step aside for the list

    press(qtbot, kiosk, "inUse-trade-D")
    qtbot.waitUntil(lambda: kiosk.browse.trade == "" and kiosk.results.total_count() == 63)
    qtbot.waitUntil(lambda: shown(item(window, "tradeTiles")))

    # The tiles of the list follow the other filters, and still count what they open.
    kiosk.browse.toggleChip("time-part")
    qtbot.waitUntil(lambda: settled(kiosk) and kiosk.results.total_count() == 12)
    counts = kiosk.browse.tradeTiles.counts()
    assert sum(counts.values()) == 12
    for code, count in counts.items():
        qtbot.waitUntil(lambda code=code: find_item(window, f"tradeTile-{code}") is not None)
        expected = f"{count} offre" + ("s" if count > 1 else "")
        qtbot.waitUntil(lambda code=code, e=expected: tile_count(kiosk, f"tradeTile-{code}") == e)
    press(qtbot, kiosk, "tradeTile-G")
    qtbot.waitUntil(lambda: settled(kiosk) and kiosk.browse.trade == "G")
    qtbot.waitUntil(lambda: kiosk.results.total_count() == counts["G"])
    assert item(window, "resultSummary").property("text") == f"{counts['G']} offres"


def test_a_tile_an_offer_and_the_name_and_phone_are_enough_to_apply(
    qtbot: Any, kiosk: Kiosk
) -> None:
    window = kiosk.window
    taps = Taps(qtbot, kiosk)
    qtbot.waitUntil(lambda: find_item(window, "attractTrade-K") is not None)

    taps("attractTrade-K")  # wakes the terminal on the cleaning offers
    qtbot.waitUntil(lambda: settled(kiosk) and kiosk.results.total_count() == 15)
    taps("offerCard-0")
    qtbot.waitUntil(lambda: kiosk.navigator.page == "detail" and kiosk.detail.canApplyHere)
    offer = kiosk.detail.offer
    assert offer is not None
    assert offer.rome_code == "K2204"

    taps("applyHereButton")
    qtbot.waitUntil(lambda: shown(item(window, "applyForm")))
    type_into(qtbot, kiosk, "firstNameInput", "Amélie")
    QTest.keyClick(window, Qt.Key.Key_Return)
    type_into(qtbot, kiosk, "lastNameInput", "Ndiaye")
    QTest.keyClick(window, Qt.Key.Key_Return)
    type_into(qtbot, kiosk, "phoneInput", "06 12 34 56 78")
    taps("consentButton")
    taps("reviewButton")
    qtbot.waitUntil(lambda: shown(item(window, "applyReview")))
    taps("sendButton")
    qtbot.waitUntil(lambda: shown(item(window, "applyDone")))

    # Nothing typed but the name and the phone number: no search, no other field.
    assert kiosk.browse.text == ""
    assert item(window, "searchField").property("text") == ""
    assert taps.count <= 6  # tile, offer, apply, consent, review, send
    assert len(sealed_rows(kiosk)) == 1


def test_tiles_and_nearest_offers_in_the_accessibility_tree(qtbot: Any, kiosk: Kiosk) -> None:
    window = kiosk.window
    qtbot.waitUntil(lambda: find_item(window, "attractTrade-G") is not None)
    qtbot.waitUntil(lambda: find_item(window, "nearestOffer-0") is not None)
    nodes = check_tree(qtbot, kiosk, "attract")  # every control named and 20 mm both ways

    def node(name: str) -> Any:
        [found] = [n for n in nodes if n.target is item(window, name)]
        return found

    tile = node("attractTrade-G")
    assert tile.role == Role.Button
    assert tile.name == "Hôtellerie, restauration, loisirs, 30 offres"
    nearest = node("nearestOffer-0")
    assert nearest.role == Role.StaticText  # passing by: read, not pressed
    first = kiosk.attract.nearest
    assert nearest.name.startswith(first.data(first.index(0, 0)))
    assert "min à pied" in nearest.name

    press(qtbot, kiosk, "wakeArea")
    qtbot.waitUntil(lambda: kiosk.session.is_active() and settled(kiosk))
    qtbot.waitUntil(lambda: find_item(window, "tradeTile-N") is not None)
    nodes = check_tree(qtbot, kiosk, "browse")
    tile = node("tradeTile-N")
    assert tile.role == Role.Button
    assert tile.name == "Transport et logistique, 3 offres"
    [group] = [n for n in nodes if n.target is item(window, "tradeTiles")]
    assert group.role == Role.Grouping and group.name == "Offres par métier"


def test_motion_can_be_switched_off(qtbot: Any, kiosk: Kiosk, tmp_path: Path) -> None:
    # By default the nearest offers pass by (one slide every few seconds, never a flash).
    assert item(kiosk.window, "attractScreen").property("moving") is True
    assert item(kiosk.window, "nearestOffers").property("highlightMoveDuration") > 0

    config = parse_config(CONFIG + "\n[panel]\nmotion = false\n", "test configuration")
    settings = Settings(config=config, source="test", data_dir=tmp_path / "still", demo=False)
    settings.data_dir.mkdir()
    engine = open_offers_database(settings.offers_db)
    store = OfferStore(engine, config.origin)
    store.import_records(parse_payload({"resultats": trade_records()}, "test"))
    engine.dispose()
    still = build_kiosk(settings, size=(1080, 1920))
    try:
        qtbot.waitExposed(still.window)
        qtbot.waitUntil(lambda: find_item(still.window, "nearestOffer-0") is not None)
        assert item(still.window, "attractScreen").property("moving") is False
        assert item(still.window, "nearestOffers").property("highlightMoveDuration") == 0
    finally:
        still.shutdown()


def test_the_models(qtbot: Any, qtmodeltester: Any) -> None:
    formatter = OfferFormatter()
    tiles = TradeTileModel(formatter)
    tiles.set_counts({"N": 212, "G": 300, "other": 500, "A": 0}, selected="N")
    assert [tiles.data(tiles.index(r, 0), Qt.ItemDataRole.UserRole + 1) for r in range(3)] == [
        "G",
        "N",
        "other",  # last, however many: a trade named "other" says little
    ]
    qtmodeltester.check(tiles, force_py=True)
    nearest = NearbyOfferModel(formatter)
    qtmodeltester.check(nearest, force_py=True)
    assert walking_minutes(0.45) == 8  # 450 m as the crow flies, 585 m of streets, 4.5 km/h
    assert walking_minutes(None) is None
    assert walking_minutes(12.0) is None  # too far to walk: the distance says it


def test_every_family_has_a_pictogram_drawn_in_the_colour_asked(qtbot: Any) -> None:
    provider = TradeIconProvider()
    for code in trades.CODES:
        image = provider.requestImage(f"{code}/c2410c", QSize(), QSize(76, 76))  # 20 mm here
        assert (image.width(), image.height()) == (76, 76)
        inked = [
            QColor(image.pixel(x, y))
            for x in range(76)
            for y in range(76)
            if QColor.fromRgba(image.pixel(x, y)).alpha() == 255
        ]
        assert len(inked) > 76 * 76 // 20, code  # lines that show, not a speck
        # One colour, the one asked (to the rounding of premultiplied alpha).
        asked = QColor("#c2410c")
        assert all(
            abs(c.red() - asked.red())
            + abs(c.green() - asked.green())
            + abs(c.blue() - asked.blue())
            <= 3
            for c in inked
        ), code
    blank = provider.requestImage("Z/c2410c", QSize(), QSize(10, 10))  # no such family
    assert QColor.fromRgba(blank.pixel(5, 5)).alpha() == 0
