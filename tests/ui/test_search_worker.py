"""The search thread: answers come back through signals, the latest request of a channel wins."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest

from kiosk.offline.offers import OfferStore
from kiosk.offline.search import Searcher, SearchPage, SearchQuery
from kiosk.ui.search_worker import Mailbox, SearchRequest, SearchService


class GatedSearcher(Searcher):
    """A Searcher whose first search waits for the test to open a gate."""

    def __init__(self, store: OfferStore, gate: threading.Event, started: threading.Event) -> None:
        super().__init__(store.engine)
        self.gate, self.started = gate, started
        self.asked: list[str] = []

    def search(self, query: SearchQuery) -> SearchPage:
        self.asked.append(query.text)
        if len(self.asked) == 1:
            self.started.set()
            assert self.gate.wait(10)
        return super().search(query)


@pytest.fixture
def service(seeded_store: OfferStore) -> Iterator[SearchService]:
    search = SearchService(lambda: Searcher(seeded_store.engine))
    search.start()
    yield search
    search.stop()


def test_mailbox_keeps_the_latest_per_channel() -> None:
    box = Mailbox()
    box.put(SearchRequest(1, "browse", SearchQuery(text="s")))
    box.put(SearchRequest(2, "nearby", SearchQuery()))
    box.put(SearchRequest(3, "browse", SearchQuery(text="se")))
    taken = [box.take(), box.take(), box.take()]
    assert [r.ticket if r else None for r in taken] == [2, 3, None]
    box.close()
    assert not box.put(SearchRequest(4, "browse", SearchQuery()))


def test_answers_arrive_with_their_ticket(qtbot: Any, service: SearchService) -> None:
    with qtbot.waitSignal(service.pageReady) as blocker:
        ticket = service.search(SearchQuery(text="cuisinier", limit=5))
    answered, page = blocker.args
    assert answered == ticket
    assert page.total == 15
    assert len(page.results) == 5


def test_a_newer_request_replaces_a_waiting_one(qtbot: Any, seeded_store: OfferStore) -> None:
    gate, started = threading.Event(), threading.Event()
    searchers: list[GatedSearcher] = []

    def factory() -> Searcher:
        searchers.append(GatedSearcher(seeded_store, gate, started))
        return searchers[-1]

    service = SearchService(factory)
    answers: list[int] = []
    service.pageReady.connect(lambda ticket, _page: answers.append(ticket))
    service.start()
    try:
        first = service.search(SearchQuery(text="s"))
        assert started.wait(10)  # the worker is busy with "s"
        service.search(SearchQuery(text="se"))
        service.search(SearchQuery(text="ser"))
        last = service.search(SearchQuery(text="serv"))
        gate.set()
        qtbot.waitUntil(lambda: last in answers)
    finally:
        service.stop()
    assert answers == [first, last]
    assert searchers[0].asked == ["s", "serv"]


def test_a_failure_is_reported(qtbot: Any, seeded_store: OfferStore) -> None:
    def broken() -> Searcher:
        raise OSError("disk unplugged")

    service = SearchService(broken)
    service.start()
    try:
        with qtbot.waitSignal(service.failed) as blocker:
            ticket = service.search(SearchQuery())
    finally:
        service.stop()
    assert blocker.args[0] == ticket
    assert "disk unplugged" in blocker.args[1]


def test_stop_is_idempotent(service: SearchService) -> None:
    service.stop()
    service.stop()
    assert service.search(SearchQuery()) > 0  # refused quietly once stopped
