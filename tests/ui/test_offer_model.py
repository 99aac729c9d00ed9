"""The offer list model: pages from the search thread, stale answers dropped, model rules kept."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex

from kiosk.formats import parse_payload
from kiosk.i18n import translations_dir
from kiosk.offline.offers import OfferStore
from kiosk.offline.search import Searcher, SearchQuery
from kiosk.ui.formatting import OfferFormatter
from kiosk.ui.language import LanguageController
from kiosk.ui.offer_model import OfferListModel, OfferRole
from kiosk.ui.search_worker import SearchService
from tests.ui.conftest import seed_records


@pytest.fixture
def service(seeded_store: OfferStore) -> Iterator[SearchService]:
    search = SearchService(lambda: Searcher(seeded_store.engine))
    search.start()
    yield search
    search.stop()


@pytest.fixture
def formatter() -> OfferFormatter:
    return OfferFormatter(clock=lambda: datetime.now(UTC))


@pytest.fixture
def language(qapp: Any, formatter: OfferFormatter) -> Iterator[LanguageController]:
    """French installed, as the kiosk starts."""
    controller = LanguageController(["fr", "en"], "fr", translations_dir(), formatter)
    yield controller
    controller.unload()


@pytest.fixture
def model(
    service: SearchService, formatter: OfferFormatter, language: LanguageController
) -> OfferListModel:
    return OfferListModel(service, formatter, page_size=10)


def test_pages_load_as_the_view_asks(qtbot: Any, model: OfferListModel) -> None:
    with qtbot.waitSignal(model.firstPageLoaded):
        model.set_query(SearchQuery())
    assert model.rowCount() == 10
    assert model.total_count() == 60
    assert model.canFetchMore(QModelIndex())
    with qtbot.waitSignal(model.rowsInserted):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == 20
    assert not model.canFetchMore(QModelIndex()) or model.is_loading() is False
    ids = [model.offerIdAt(row) for row in range(model.rowCount())]
    assert len(set(ids)) == 20  # no offer twice


def test_rows_hold_ready_text(qtbot: Any, model: OfferListModel) -> None:
    """Every text a card shows comes ready, in the current language."""
    with qtbot.waitSignal(model.firstPageLoaded):
        model.set_query(SearchQuery(text="vendeur"))
    index = model.index(0, 0)
    assert model.data(index, OfferRole.TITLE) == "Vendeur / Vendeuse en boulangerie (H/F)"
    assert model.data(index, OfferRole.COMPANY) == "Entreprise non communiquée"
    assert model.data(index, OfferRole.COMPANY_KNOWN) is False
    assert model.data(index, OfferRole.LOCATION).startswith("Paris 12e")
    assert " · " in model.data(index, OfferRole.LOCATION)  # place · distance
    assert model.data(index, OfferRole.CONTRACT) in {"CDI", "CDD 6 mois"}
    assert model.data(index, OfferRole.TITLE) in model.data(index, OfferRole.SPOKEN)
    assert model.data(model.index(99, 0), OfferRole.TITLE) is None
    names = {bytes(name.data()) for name in model.roleNames().values()}
    assert names >= {b"title", b"company", b"contract", b"posted"}


def test_retranslate_signals_the_text_roles(
    qtbot: Any, model: OfferListModel, language: LanguageController
) -> None:
    with qtbot.waitSignal(model.firstPageLoaded):
        model.set_query(SearchQuery(text="vendeur"))
    language.setLanguage("en")
    with qtbot.waitSignal(model.dataChanged) as blocker:
        model.retranslate()
    first, last, roles = blocker.args
    assert (first.row(), last.row()) == (0, model.rowCount() - 1)
    assert OfferRole.COMPANY in roles
    assert model.data(model.index(0, 0), OfferRole.COMPANY) == "Company not disclosed"


def test_scrolling_prefetches_before_the_end(qtbot: Any, model: OfferListModel) -> None:
    with qtbot.waitSignal(model.firstPageLoaded):
        model.set_query(SearchQuery())
    with qtbot.waitSignal(model.rowsInserted):
        model.data(model.index(model.rowCount() - 1, 0), OfferRole.TITLE)  # the view reads on
    assert model.rowCount() == 20


def test_a_stale_answer_is_dropped(qtbot: Any, model: OfferListModel) -> None:
    with qtbot.waitSignal(model.firstPageLoaded):
        model.set_query(SearchQuery())
    model.fetchMore(QModelIndex())  # asked, then the passer-by types before it arrives
    with qtbot.waitSignal(model.firstPageLoaded) as blocker:
        model.set_query(SearchQuery(text="agent"))
    assert blocker.args[0].query.text == "agent"
    qtbot.waitUntil(lambda: not model.is_loading())
    assert model.total_count() == 15
    for row in range(model.rowCount()):
        assert "Agent" in model.data(model.index(row, 0), OfferRole.TITLE)


def test_model_tester(qtbot: Any, qtmodeltester: Any, model: OfferListModel) -> None:
    with qtbot.waitSignal(model.firstPageLoaded):
        model.set_query(SearchQuery())
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(model)
    qtbot.waitUntil(lambda: not model.is_loading())


def test_failure_then_retry(qtbot: Any, seeded_store: OfferStore) -> None:
    calls = {"n": 0}

    class Flaky(Searcher):
        def search(self, query: SearchQuery) -> Any:
            calls["n"] += 1
            if calls["n"] == 1:
                raise OSError("database is locked")
            return super().search(query)

    service = SearchService(lambda: Flaky(seeded_store.engine))
    service.start()
    try:
        model = OfferListModel(service, OfferFormatter())
        with qtbot.waitSignal(model.failedChanged):
            model.set_query(SearchQuery())
        assert model.has_failed()
        with qtbot.waitSignal(model.firstPageLoaded):
            model.refresh()
        assert not model.has_failed()
        assert model.rowCount() == 40
    finally:
        service.stop()


def test_a_refresh_in_place_changes_rows_without_a_reset(
    qtbot: Any, model: OfferListModel, seeded_store: OfferStore
) -> None:
    with qtbot.waitSignal(model.firstPageLoaded):
        model.set_query(SearchQuery())
    with qtbot.waitSignal(model.rowsInserted):
        model.fetchMore(QModelIndex())
    before = [model.summary(row) for row in range(model.rowCount())]
    assert all(before)
    gone, retitled = before[3], before[12]
    assert gone is not None and retitled is not None
    seeded_store.withdraw("test", [gone.external_id])
    changed = seed_records()[int(retitled.external_id[1:])] | {"intitule": "Plongeur (H/F)"}
    seeded_store.import_records(parse_payload({"resultats": [changed]}, "test"))
    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(1))
    with qtbot.waitSignals([model.rowsRemoved, model.dataChanged, model.rowsInserted]):
        model.refresh_in_place()
    qtbot.waitUntil(lambda: not model.is_loading())
    after = [model.summary(row) for row in range(model.rowCount())]
    assert resets == []  # rows removed, changed and inserted: the view keeps its place
    assert gone not in after and len(after) == 20  # the 21st offer moved up into the rows
    assert [s.id for s in after if s is not None][:3] == [s.id for s in before[:3] if s]
    assert any(s is not None and s.title == "Plongeur (H/F)" for s in after)
