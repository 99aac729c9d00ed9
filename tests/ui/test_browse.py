"""The browse view-model: text and chips make the query; answers bring totals and chip counts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from kiosk.domain import WorkingTime
from kiosk.i18n import translations_dir
from kiosk.offline.offers import OfferStore
from kiosk.offline.search import Facets, Searcher
from kiosk.ui.browse import (
    CHIPS,
    BrowseViewModel,
    Chip,
    ChipRole,
    FilterGroupModel,
    Filters,
    Group,
    chip_count,
    leading_family,
    leading_trades,
)
from kiosk.ui.formatting import OfferFormatter
from kiosk.ui.language import LanguageController
from kiosk.ui.offer_model import OfferListModel
from kiosk.ui.search_worker import SearchService


@pytest.fixture
def browse(qapp: Any, seeded_store: OfferStore) -> Iterator[BrowseViewModel]:
    formatter = OfferFormatter()
    language = LanguageController(["fr"], "fr", translations_dir(), formatter)
    service = SearchService(lambda: Searcher(seeded_store.engine))
    service.start()
    results = OfferListModel(service, formatter)
    view_model = BrowseViewModel(results, formatter)
    yield view_model
    service.stop()
    language.unload()


def settled(browse: BrowseViewModel) -> bool:
    results: OfferListModel = browse.results
    return not results.is_loading() and results.query.text == browse.text


def test_filters_toggle_within_their_group() -> None:
    cdi, cdd = Chip(Group.CONTRACT, "CDI"), Chip(Group.CONTRACT, "CDD")
    near, far = Chip(Group.DISTANCE, "5"), Chip(Group.DISTANCE, "20")
    filters = Filters().toggled(cdi).toggled(cdd).toggled(near)
    assert filters.contracts == {"CDI", "CDD"}  # contracts add up
    assert filters.toggled(far).max_km == 20  # one radius replaces the other
    assert not filters.toggled(near).selected(near)
    assert filters.toggled(cdi).contracts == {"CDD"}
    query = filters.toggled(Chip(Group.TIME, "part")).query("serveur")
    assert query.text == "serveur"
    assert query.working_time is WorkingTime.PART
    assert query.max_km == 5
    assert Filters().toggled(Chip(Group.ACCESSIBLE, "on")).query("").accessible_only
    assert not Filters().active and filters.active


def test_every_chip_has_a_count() -> None:
    facets = Facets(
        contracts={"CDI": 3, "CDD": 2, "MIS": 1, "SAI": 0, "OTHER": 4},
        working_time={"full": 5, "part": 1},
        apprenticeship=2,
        within_km={2: 1, 5: 2, 10: 3, 20: 4, 50: 5},
        posted_within_days={1: 1, 3: 2, 7: 3, 30: 4},
        accessible=7,
    )
    counts = {chip.name: chip_count(chip, facets) for chip in CHIPS}
    assert counts["contract-OTHER"] == 4
    assert counts["time-part"] == 1
    assert counts["distance-10"] == 3
    assert counts["recent-7"] == 3
    assert counts["accessible-on"] == 7
    assert counts["apprenticeship-on"] == 2


def test_typing_updates_the_results_and_counts(qtbot: Any, browse: BrowseViewModel) -> None:
    browse.start()
    qtbot.waitUntil(lambda: settled(browse) and browse.results.total_count() == 60)
    assert browse.summary == "60 offres"
    browse.text = "cuisin"
    qtbot.waitUntil(lambda: settled(browse) and browse.results.total_count() == 15)
    contracts = browse.filterGroups[0]
    assert contracts.label == "Contrat"
    counts = {
        contracts.data(contracts.index(row, 0), ChipRole.NAME): contracts.data(
            contracts.index(row, 0), ChipRole.COUNT
        )
        for row in range(contracts.rowCount())
    }
    assert counts == {
        "contract-CDI": 10,
        "contract-CDD": 5,
        "contract-MIS": 0,
        "contract-SAI": 0,
        "contract-OTHER": 0,
    }


def test_chips_filter_and_show_their_choice(qtbot: Any, browse: BrowseViewModel) -> None:
    browse.start()
    qtbot.waitUntil(lambda: settled(browse))
    contracts: FilterGroupModel = browse.filterGroups[0]
    with qtbot.waitSignal(contracts.dataChanged):
        browse.toggleChip("contract-CDD")
    assert browse.hasFilters
    assert contracts.data(contracts.index(1, 0), ChipRole.SELECTED) is True
    qtbot.waitUntil(lambda: settled(browse) and browse.results.total_count() == 20)
    browse.toggleChip("distance-2")
    qtbot.waitUntil(lambda: settled(browse) and browse.results.query.max_km == 2)
    for row in range(browse.results.rowCount()):
        summary = browse.results.summary(row)
        assert summary is not None
        assert summary.contract_code == "CDD"
        assert summary.distance_km is not None and summary.distance_km <= 2
    browse.clearFilters()
    assert not browse.hasFilters
    qtbot.waitUntil(lambda: settled(browse) and browse.results.total_count() == 60)


def test_empty_state(qtbot: Any, browse: BrowseViewModel) -> None:
    browse.start()
    browse.text = "astronaute"
    qtbot.waitUntil(lambda: settled(browse) and browse.empty)
    assert browse.emptyHint == "Essayez un autre mot, ou vérifiez l’orthographe."
    browse.toggleChip("contract-CDI")
    qtbot.waitUntil(lambda: settled(browse) and browse.empty)
    assert "filtre" in browse.emptyHint


def test_reset_forgets_text_and_filters(qtbot: Any, browse: BrowseViewModel) -> None:
    browse.start()
    browse.text = "agent"
    browse.toggleChip("accessible-on")
    qtbot.waitUntil(lambda: settled(browse))
    with qtbot.waitSignals([browse.textChanged, browse.filtersChanged]):
        browse.reset()
    assert browse.text == "" and not browse.hasFilters
    qtbot.waitUntil(lambda: settled(browse) and browse.results.total_count() == 60)


def test_filter_group_models(qtbot: Any, qtmodeltester: Any, browse: BrowseViewModel) -> None:
    browse.start()
    qtbot.waitUntil(lambda: settled(browse))
    assert [group.name for group in browse.filterGroups] == [g.value for g in Group]
    for group in browse.filterGroups:
        qtmodeltester.check(group, force_py=True)
        qtmodeltester.check(group)


def test_the_leading_family_holds_at_least_half_of_a_few_offers() -> None:
    assert leading_family({"G": 6, "D": 3, "other": 2}) == "G"
    assert leading_family({"G": 5, "D": 5}) in {"G", "D"}  # a tie: half each
    assert leading_family({"G": 4, "D": 3, "N": 2}) == ""  # no family holds half
    assert leading_family({"G": 2}) == ""  # too few to say
    assert leading_family({}) == ""


def test_the_leading_trade_holds_at_least_half_of_a_few_offers() -> None:
    assert leading_trades({"G1803": 6, "G1602": 2}, 10) == ("G1803",)
    assert leading_trades({"G1803": 5, "G1602": 1}, 10) == ("G1803",)  # half is enough
    assert leading_trades({"G1803": 4, "G1602": 3}, 9) == ()  # none holds half
    assert leading_trades({"G1803": 2}, 2) == ()  # too few offers to say
    assert leading_trades({"G1803": 3}, 3) == ("G1803",)
    # A tie at half each: both, in the order of their codes (the firms held decide).
    assert leading_trades({"G1803": 4, "G1602": 4}, 8) == ("G1602", "G1803")
    assert leading_trades({}, 0) == leading_trades({}, 12) == ()
