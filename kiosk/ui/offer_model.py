"""The list of offer cards: pages fetched from the search thread as the list scrolls."""

from __future__ import annotations

import enum
import logging
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from typing import Any

from PySide6.QtCore import (
    Property,
    QAbstractListModel,
    QByteArray,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtQml import QmlElement

from kiosk.offline.search import OfferSummary, SearchPage, SearchQuery
from kiosk.ui.formatting import OfferFormatter
from kiosk.ui.qmltypes import uncreatable
from kiosk.ui.search_worker import SearchService

QML_IMPORT_NAME = "Kiosk"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger("kiosk.ui")

PAGE_SIZE = 40
PREFETCH_ROWS = 15  # ask for the next page when the view reads this close to the end
CARD_CACHE_ROWS = 256  # formatted cards kept (a screen and a half, both ways, and then some)
_Index = QModelIndex | QPersistentModelIndex


class OfferRole(enum.IntEnum):
    """The roles a card delegate reads (all text prepared here, in the current language)."""

    OFFER_ID = Qt.ItemDataRole.UserRole + 1
    TITLE = enum.auto()
    COMPANY = enum.auto()
    COMPANY_KNOWN = enum.auto()
    PLACE = enum.auto()
    DISTANCE = enum.auto()
    LOCATION = enum.auto()
    CONTRACT = enum.auto()
    WORKING_TIME = enum.auto()
    POSTED = enum.auto()
    ACCESSIBLE = enum.auto()
    DIRECT_APPLY = enum.auto()
    SPOKEN = enum.auto()


_ROLE_NAMES = {
    OfferRole.OFFER_ID: b"offerId",
    OfferRole.TITLE: b"title",
    OfferRole.COMPANY: b"company",
    OfferRole.COMPANY_KNOWN: b"companyKnown",
    OfferRole.PLACE: b"place",
    OfferRole.DISTANCE: b"distance",
    OfferRole.LOCATION: b"location",
    OfferRole.CONTRACT: b"contract",
    OfferRole.WORKING_TIME: b"workingTime",
    OfferRole.POSTED: b"posted",
    OfferRole.ACCESSIBLE: b"accessible",
    OfferRole.DIRECT_APPLY: b"directApply",
    OfferRole.SPOKEN: b"spoken",
}
_TEXT_ROLES = [
    OfferRole.COMPANY,
    OfferRole.DISTANCE,
    OfferRole.LOCATION,
    OfferRole.SPOKEN,
    OfferRole.CONTRACT,
    OfferRole.WORKING_TIME,
    OfferRole.POSTED,
]


@dataclass(frozen=True, slots=True)
class Card:
    """One card's values by role, formatted once per language."""

    values: dict[int, Any]


def card(summary: OfferSummary, formatter: OfferFormatter) -> Card:
    """What a card shows of `summary`."""
    company = formatter.company(summary.company)
    distance = formatter.distance(summary.distance_km)
    location = f"{summary.place_label}  ·  {distance}" if distance else summary.place_label
    contract = formatter.contract(
        summary.contract_code,
        summary.contract_duration,
        summary.contract_duration_unit,
        summary.apprenticeship,
    )
    working_time = formatter.working_time(summary.working_time)
    posted = formatter.posted(summary.posted_at)
    spoken = ". ".join(
        part for part in (summary.title, company, location, contract, working_time, posted) if part
    )
    return Card(
        {
            OfferRole.OFFER_ID: summary.id,
            OfferRole.TITLE: summary.title,
            OfferRole.COMPANY: company,
            OfferRole.COMPANY_KNOWN: summary.company is not None,
            OfferRole.PLACE: summary.place_label,
            OfferRole.DISTANCE: distance,
            OfferRole.LOCATION: location,
            OfferRole.CONTRACT: contract,
            OfferRole.WORKING_TIME: working_time,
            OfferRole.POSTED: posted,
            OfferRole.ACCESSIBLE: summary.accessible_disabled,
            OfferRole.DIRECT_APPLY: summary.direct_apply,
            OfferRole.SPOKEN: spoken,
        }
    )


@QmlElement
@uncreatable("the application creates the offer list")
class OfferListModel(QAbstractListModel):
    """Offer cards of the current query, `PAGE_SIZE` at a time.

    `set_query` asks the search thread for the first page and keeps the old rows on screen
    until it arrives (so typing does not blank the list); `fetchMore` asks for the next page
    when the view reaches the end. Only the answer to the latest ticket is used.
    """

    totalChanged = Signal()
    loadingChanged = Signal()
    failedChanged = Signal()
    firstPageLoaded = Signal(object)  # the SearchPage of a new query (facets, total)

    def __init__(
        self,
        service: SearchService,
        formatter: OfferFormatter,
        channel: str = "browse",
        page_size: int = PAGE_SIZE,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._formatter = formatter
        self._channel = channel
        self._page_size = page_size
        self._query = SearchQuery(limit=page_size)
        self._summaries: list[OfferSummary] = []
        self._cards: OrderedDict[int, Card] = OrderedDict()  # row → card, most recent last
        self._total = 0
        self._ticket = 0
        self._ticket_offset = 0
        self._loading = False
        self._failed = False
        self._generation = 0  # bumped when a new query's first page replaces the rows
        self._in_place = False  # the awaited answer refreshes the loaded rows in place
        self._stale = False  # the offers changed while an answer was awaited
        # The next page is asked for from the event loop, never from inside data().
        self._prefetch = QTimer(self)
        self._prefetch.setSingleShot(True)
        self._prefetch.setInterval(0)
        self._prefetch.timeout.connect(lambda: self.fetchMore(QModelIndex()))
        service.pageReady.connect(self._on_page)
        service.failed.connect(self._on_failed)

    # -- Python API ---------------------------------------------------------------------------

    @property
    def query(self) -> SearchQuery:
        """The query whose results are (or will soon be) shown."""
        return self._query

    def set_query(self, query: SearchQuery) -> None:
        """Show the results of `query` from its first result on."""
        self._query = replace(query, offset=0, limit=self._page_size)
        self._request(0)

    @Slot()
    def refresh(self) -> None:
        """Ask again for the current query from the top (after a failure or a wipe)."""
        self._request(0)

    @Slot()
    def refresh_in_place(self) -> None:
        """Ask again for the rows already loaded, after the offers changed (a sync): the answer
        updates them row by row, so the list keeps its scroll position and nothing blinks."""
        if self._loading:
            self._stale = True  # the answer on its way may predate the change: ask once more
            return
        rows = max(self._page_size, len(self._summaries))
        self._ticket = self._service.search(
            replace(self._query, offset=0, limit=rows), self._channel
        )
        self._ticket_offset = 0
        self._in_place = True

    def retranslate(self) -> None:
        """Rebuild the card text in the new language."""
        self._cards.clear()
        if self._summaries:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._summaries) - 1, 0), list(_TEXT_ROLES)
            )

    def total_count(self) -> int:
        """How many offers the current query found (0 before the first answer)."""
        return self._total

    def is_loading(self) -> bool:
        """Whether an answer is awaited."""
        return self._loading

    def has_failed(self) -> bool:
        """Whether the last search failed (the list offers a retry)."""
        return self._failed

    def summary(self, row: int) -> OfferSummary | None:
        """The search result on `row`, if loaded."""
        return self._summaries[row] if 0 <= row < len(self._summaries) else None

    # -- Qt model API -------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._summaries)

    def roleNames(self) -> dict[int, QByteArray]:
        return {int(role): QByteArray(name) for role, name in _ROLE_NAMES.items()}

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = index.row()
        if not index.isValid() or index.parent().isValid() or row >= len(self._summaries):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            role = OfferRole.TITLE
        if row >= len(self._summaries) - PREFETCH_ROWS and not self._prefetch.isActive():
            self._prefetch.start()
        cached = self._cards.get(row)
        if cached is None:
            cached = self._cards[row] = card(self._summaries[row], self._formatter)
            if len(self._cards) > CARD_CACHE_ROWS:
                self._cards.popitem(last=False)
        else:
            self._cards.move_to_end(row)
        return cached.values.get(role)

    def canFetchMore(self, parent: _Index) -> bool:
        if parent.isValid():
            return False
        return not self._loading and not self._failed and len(self._summaries) < self._total

    def fetchMore(self, parent: _Index) -> None:
        if self.canFetchMore(parent):
            self._request(len(self._summaries))

    @Slot(int, result=int)
    def offerIdAt(self, row: int) -> int:
        """The cache id of the offer on `row` (-1 if none)."""
        summary = self.summary(row)
        return summary.id if summary is not None else -1

    # -- answers from the search thread -------------------------------------------------------

    def _request(self, offset: int) -> None:
        self._ticket = self._service.search(replace(self._query, offset=offset), self._channel)
        self._ticket_offset = offset
        self._in_place = False
        self._set_loading(True)
        self._set_failed(False)

    @Slot(int, object)
    def _on_page(self, ticket: int, page: SearchPage) -> None:
        if ticket != self._ticket:
            return  # an older question: the passer-by has moved on
        self._set_loading(False)
        if self._in_place:
            self._in_place = False
            self._merge(page.results)
            self.firstPageLoaded.emit(page)
        elif self._ticket_offset == 0:
            self.beginResetModel()
            self._summaries = list(page.results)
            self._cards.clear()
            self._generation += 1
            self.endResetModel()
            self.firstPageLoaded.emit(page)
        elif page.results and self._ticket_offset == len(self._summaries):
            first = len(self._summaries)
            self.beginInsertRows(QModelIndex(), first, first + len(page.results) - 1)
            self._summaries.extend(page.results)
            self.endInsertRows()
        if page.total != self._total:
            self._total = page.total
            self.totalChanged.emit()
        if self._stale:
            self._stale = False
            self.refresh_in_place()

    def _merge(self, fresh: Sequence[OfferSummary]) -> None:
        """Turn the loaded rows into `fresh` with row removals, insertions and changes (no
        reset), from the end backwards so that the opcodes' indexes stay true."""
        old_ids = [s.id for s in self._summaries]
        new_ids = [s.id for s in fresh]
        matcher = SequenceMatcher(None, old_ids, new_ids, autojunk=False)
        for tag, i1, i2, j1, j2 in reversed(matcher.get_opcodes()):
            if tag == "equal":
                changed = [
                    i1 + k for k in range(i2 - i1) if self._summaries[i1 + k] != fresh[j1 + k]
                ]
                for row in changed:
                    self._summaries[row] = fresh[j1 + row - i1]
                    self._cards.pop(row, None)  # rebuilt from the new summary when drawn
                    self.dataChanged.emit(self.index(row, 0), self.index(row, 0))
                continue
            if i2 > i1:  # "delete" or the first half of "replace"
                self.beginRemoveRows(QModelIndex(), i1, i2 - 1)
                del self._summaries[i1:i2]
                self.endRemoveRows()
            if j2 > j1:  # "insert" or the second half of "replace"
                self.beginInsertRows(QModelIndex(), i1, i1 + j2 - j1 - 1)
                self._summaries[i1:i1] = fresh[j1:j2]
                self.endInsertRows()
        if any(tag != "equal" for tag, *_ in matcher.get_opcodes()):
            self._cards.clear()  # rows moved: the cached cards are keyed by row

    @Slot(int, str)
    def _on_failed(self, ticket: int, reason: str) -> None:
        if ticket == self._ticket:
            log.error("the offer list could not be loaded: %s", reason)
            self._set_loading(False)
            self._set_failed(True)

    def _set_loading(self, value: bool) -> None:
        if value != self._loading:
            self._loading = value
            self.loadingChanged.emit()

    def _set_failed(self, value: bool) -> None:
        if value != self._failed:
            self._failed = value
            self.failedChanged.emit()

    total = Property(int, lambda self: self._total, notify=totalChanged)
    loading = Property(bool, lambda self: self._loading, notify=loadingChanged)
    failed = Property(bool, lambda self: self._failed, notify=failedChanged)
