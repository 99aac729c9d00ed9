"""The browse screen's view-model: search text, filter chips with their counts, the result list."""

from __future__ import annotations

import enum
import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    Property,
    QAbstractListModel,
    QByteArray,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtQml import QmlElement

from kiosk import trades
from kiosk.domain import CONTRACT_FILTER_CODES, WorkingTime
from kiosk.offline.search import (
    DISTANCE_STEPS_KM,
    OTHER_CONTRACTS,
    RECENT_STEPS_DAYS,
    Facets,
    SearchPage,
    SearchQuery,
)
from kiosk.ui.formatting import CONTRACT_NAMES, OfferFormatter
from kiosk.ui.offer_model import OfferListModel
from kiosk.ui.qmltypes import uncreatable
from kiosk.ui.trade_tiles import TradeTileModel, trade_name

QML_IMPORT_NAME = "Kiosk"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger("kiosk.ui")

_Index = QModelIndex | QPersistentModelIndex


class Group(enum.StrEnum):
    """Filter groups: chips of one group are alternatives, groups combine with AND."""

    CONTRACT = "contract"  # any of the chosen contracts
    TIME = "time"  # full or part time (one)
    APPRENTICESHIP = "apprenticeship"
    DISTANCE = "distance"  # one radius
    RECENT = "recent"  # one age
    ACCESSIBLE = "accessible"
    TRADE = "trade"  # one family of trades (the tiles choose it too)


_GROUP_LABELS = {
    Group.CONTRACT: QT_TRANSLATE_NOOP("Filters", "Contract"),
    Group.TIME: QT_TRANSLATE_NOOP("Filters", "Hours"),
    Group.APPRENTICESHIP: QT_TRANSLATE_NOOP("Filters", "Training"),
    Group.DISTANCE: QT_TRANSLATE_NOOP("Filters", "Distance"),
    Group.RECENT: QT_TRANSLATE_NOOP("Filters", "Posted"),
    Group.ACCESSIBLE: QT_TRANSLATE_NOOP("Filters", "Accessibility"),
    Group.TRADE: QT_TRANSLATE_NOOP("Filters", "Trade"),
}
GROUP_LABELS: dict[Group, str] = {group: str(label) for group, label in _GROUP_LABELS.items()}


@dataclass(frozen=True, slots=True)
class Chip:
    """One filter choice: its group and its key within the group."""

    group: Group
    key: str  # contract code, "full"/"part", km, days, "on", or a trade family

    @property
    def name(self) -> str:
        """A stable name for QML object names and tests: "contract-CDI", "distance-5"."""
        return f"{self.group.value}-{self.key}"


CHIPS: tuple[Chip, ...] = (
    *(Chip(Group.CONTRACT, code) for code in (*CONTRACT_FILTER_CODES, OTHER_CONTRACTS)),
    Chip(Group.TIME, WorkingTime.FULL.value),
    Chip(Group.TIME, WorkingTime.PART.value),
    Chip(Group.APPRENTICESHIP, "on"),
    *(Chip(Group.DISTANCE, str(km)) for km in DISTANCE_STEPS_KM),
    *(Chip(Group.RECENT, str(days)) for days in RECENT_STEPS_DAYS),
    Chip(Group.ACCESSIBLE, "on"),
    *(Chip(Group.TRADE, code) for code in trades.CODES),
)


@dataclass(frozen=True, slots=True)
class Filters:
    """The chosen filters; every operation returns a new value."""

    contracts: frozenset[str] = frozenset()
    working_time: WorkingTime | None = None
    apprenticeship: bool = False
    max_km: int | None = None
    posted_within_days: int | None = None
    accessible: bool = False
    trade: str | None = None  # a family of kiosk.trades.CODES

    @property
    def active(self) -> bool:
        """Whether any filter is chosen."""
        return self != Filters()

    def selected(self, chip: Chip) -> bool:
        """Whether `chip` is chosen."""
        match chip.group:
            case Group.CONTRACT:
                return chip.key in self.contracts
            case Group.TIME:
                return self.working_time is not None and self.working_time.value == chip.key
            case Group.APPRENTICESHIP:
                return self.apprenticeship
            case Group.DISTANCE:
                return self.max_km is not None and str(self.max_km) == chip.key
            case Group.RECENT:
                return (
                    self.posted_within_days is not None and str(self.posted_within_days) == chip.key
                )
            case Group.ACCESSIBLE:
                return self.accessible
            case Group.TRADE:
                return self.trade == chip.key

    def toggled(self, chip: Chip) -> Filters:
        """`chip` chosen if it was not, dropped if it was (choosing one radius drops another)."""
        on = not self.selected(chip)
        match chip.group:
            case Group.CONTRACT:
                contracts = self.contracts | {chip.key} if on else self.contracts - {chip.key}
                return replace(self, contracts=frozenset(contracts))
            case Group.TIME:
                return replace(self, working_time=WorkingTime(chip.key) if on else None)
            case Group.APPRENTICESHIP:
                return replace(self, apprenticeship=on)
            case Group.DISTANCE:
                return replace(self, max_km=int(chip.key) if on else None)
            case Group.RECENT:
                return replace(self, posted_within_days=int(chip.key) if on else None)
            case Group.ACCESSIBLE:
                return replace(self, accessible=on)
            case Group.TRADE:
                return replace(self, trade=chip.key if on else None)

    def query(self, text: str, area_km: float | None = None) -> SearchQuery:
        """The search for `text` with these filters, in the terminal's area (`area_km`)."""
        return SearchQuery(
            text=text,
            contracts=self.contracts,
            working_time=self.working_time,
            apprenticeship=self.apprenticeship,
            max_km=self.max_km,
            posted_within_days=self.posted_within_days,
            accessible_only=self.accessible,
            trade=self.trade,
            area_km=area_km,
        )


LEADING_MIN_OFFERS = 3  # fewer offers found say too little about a trade


def leading_family(counts: Mapping[str, int]) -> str:
    """The family that holds at least half of the offers counted (and a few), else ""."""
    total = sum(counts.values())
    family, most = max(counts.items(), key=lambda item: item[1], default=("", 0))
    return family if most >= LEADING_MIN_OFFERS and 2 * most >= total else ""


def leading_trades(counts: Mapping[str, int], total: int) -> tuple[str, ...]:
    """The ROME codes (`counts`: offers by code) that each hold at least half of the `total`
    offers found (and a few): one, or two that tie at half each, in the order of their codes;
    none when no code holds half."""
    return tuple(
        sorted(
            code
            for code, offers in counts.items()
            if offers >= LEADING_MIN_OFFERS and 2 * offers >= total
        )
    )


def chip_count(chip: Chip, facets: Facets) -> int:
    """How many results choosing `chip` would give (the other groups applied)."""
    match chip.group:
        case Group.CONTRACT:
            return facets.contracts.get(chip.key, 0)
        case Group.TIME:
            return facets.working_time.get(chip.key, 0)
        case Group.APPRENTICESHIP:
            return facets.apprenticeship
        case Group.DISTANCE:
            return facets.within_km.get(int(chip.key), 0)
        case Group.RECENT:
            return facets.posted_within_days.get(int(chip.key), 0)
        case Group.ACCESSIBLE:
            return facets.accessible
        case Group.TRADE:
            return facets.trades.get(chip.key, 0)


def chip_label(chip: Chip, formatter: OfferFormatter) -> str:
    """What the chip says, in the current language."""
    match chip.group:
        case Group.CONTRACT:
            return QCoreApplication.translate("OfferText", CONTRACT_NAMES[chip.key])
        case Group.TIME:
            return formatter.working_time(WorkingTime(chip.key))
        case Group.APPRENTICESHIP:
            return QCoreApplication.translate("Filters", "Apprenticeship")
        case Group.DISTANCE:
            return QCoreApplication.translate("Filters", "Within %1").replace(
                "%1", formatter.radius(int(chip.key))
            )
        case Group.RECENT:
            days = int(chip.key)
            if days == 1:
                return QCoreApplication.translate("Filters", "Today")
            return QCoreApplication.translate("Filters", "Last %n day(s)", None, days)
        case Group.ACCESSIBLE:
            return QCoreApplication.translate("Filters", "Open to disabled workers")
        case Group.TRADE:
            return trade_name(chip.key)


class ChipRole(enum.IntEnum):
    """The roles a chip delegate reads."""

    NAME = Qt.ItemDataRole.UserRole + 1
    LABEL = enum.auto()
    COUNT = enum.auto()
    COUNT_TEXT = enum.auto()
    DESCRIPTION = enum.auto()
    SELECTED = enum.auto()
    SPOKEN = enum.auto()  # its group and its label: "Contract: CDI"


_CHIP_ROLE_NAMES = {
    ChipRole.NAME: b"name",
    ChipRole.LABEL: b"label",
    ChipRole.COUNT: b"count",
    ChipRole.COUNT_TEXT: b"countText",
    ChipRole.DESCRIPTION: b"description",
    ChipRole.SELECTED: b"selected",
    ChipRole.SPOKEN: b"spoken",
}
_STATE_ROLES = [ChipRole.COUNT, ChipRole.COUNT_TEXT, ChipRole.DESCRIPTION, ChipRole.SELECTED]


@QmlElement
@uncreatable("the browse view-model owns the filter groups")
class FilterGroupModel(QAbstractListModel):
    """The chips of one filter group, always in the same order; counts and choices change in
    place (only the rows that changed are signalled, so chips never flicker)."""

    labelChanged = Signal()

    def __init__(
        self, group: Group, formatter: OfferFormatter, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.group = group
        self._chips = [chip for chip in CHIPS if chip.group is group]
        self._formatter = formatter
        self._filters = Filters()
        self._counts = [0] * len(self._chips)

    def set_state(self, filters: Filters, facets: Facets | None) -> None:
        """New choices and, with `facets`, new counts."""
        counts = (
            [chip_count(c, facets) for c in self._chips] if facets is not None else self._counts
        )
        changed = [
            row
            for row, chip in enumerate(self._chips)
            if counts[row] != self._counts[row]
            or filters.selected(chip) != self._filters.selected(chip)
        ]
        self._filters, self._counts = filters, counts
        for row in changed:
            index = self.index(row, 0)
            self.dataChanged.emit(index, index, _STATE_ROLES)

    def retranslate(self) -> None:
        """Labels in the new language."""
        self.labelChanged.emit()
        self.dataChanged.emit(
            self.index(0, 0),
            self.index(len(self._chips) - 1, 0),
            [ChipRole.LABEL, ChipRole.COUNT_TEXT, ChipRole.DESCRIPTION, ChipRole.SPOKEN],
        )

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._chips)

    def roleNames(self) -> dict[int, QByteArray]:
        return {int(role): QByteArray(name) for role, name in _CHIP_ROLE_NAMES.items()}

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = index.row()
        if not index.isValid() or index.parent().isValid() or not 0 <= row < len(self._chips):
            return None
        chip = self._chips[row]
        match role:
            case ChipRole.NAME:
                return chip.name
            case ChipRole.LABEL | Qt.ItemDataRole.DisplayRole:
                return chip_label(chip, self._formatter)
            case ChipRole.COUNT:
                return self._counts[row]
            case ChipRole.COUNT_TEXT:
                return self._formatter.number(self._counts[row])
            case ChipRole.DESCRIPTION:
                return self._formatter.offers(self._counts[row])
            case ChipRole.SELECTED:
                return self._filters.selected(chip)
            case ChipRole.SPOKEN:
                return (
                    QCoreApplication.translate(
                        "Filters", "%1: %2", "a filter chip: its group, its label"
                    )
                    .replace("%1", self._get_label())
                    .replace("%2", chip_label(chip, self._formatter))
                )
        return None

    def _get_label(self) -> str:
        return QCoreApplication.translate("Filters", GROUP_LABELS[self.group])

    label = Property(str, _get_label, notify=labelChanged)
    name = Property(str, lambda self: self.group.value, constant=True)


@QmlElement
@uncreatable("the application creates the browse view-model")
class BrowseViewModel(QObject):
    """What the passer-by asked for and what the store answered.

    Text and chips make a SearchQuery for the result list; the first page of each answer
    brings the total and the chip counts.
    """

    textChanged = Signal()
    filtersChanged = Signal()
    summaryChanged = Signal()
    activeFiltersChanged = Signal()  # the filters in use, or their language, changed
    panelChanged = Signal()

    def __init__(
        self,
        results: OfferListModel,
        formatter: OfferFormatter,
        parent: QObject | None = None,
        area_km: float | None = None,
    ) -> None:
        super().__init__(parent)
        self._results = results
        self._formatter = formatter
        self._area_km = area_km  # the terminal's area (kiosk.ui.attract counts the same)
        self._groups = [FilterGroupModel(group, formatter, self) for group in Group]
        self._tiles = TradeTileModel(formatter, self)
        self._text = ""
        self._filters = Filters()
        self._answered = False  # the first answer arrived (before it, no empty state)
        self._leading = ""  # the trade family most of the offers found are in (see below)
        self._leading_trades: tuple[str, ...] = ()  # the ROME codes they are in (idem)
        self._panel = False  # portrait's filter panel is open
        self.filtersChanged.connect(self.activeFiltersChanged)
        results.firstPageLoaded.connect(self._on_first_page)
        results.totalChanged.connect(self.summaryChanged)
        results.loadingChanged.connect(self.summaryChanged)
        results.failedChanged.connect(self.summaryChanged)

    @property
    def filters(self) -> Filters:
        """The chosen filters."""
        return self._filters

    def start(self) -> None:
        """Ask for the first results (everything near the terminal)."""
        self._search()

    def reset(self) -> None:
        """Forget the text and the filters and go back to the top (end of a session)."""
        self._text = ""
        self._filters = Filters()
        self.closePanel()
        self._update_chips(None)
        self.textChanged.emit()
        self.filtersChanged.emit()
        self._search()

    def retranslate(self) -> None:
        """Rebuild every text in the new language."""
        for group in self._groups:
            group.retranslate()
        self._tiles.retranslate()
        self._results.retranslate()
        self.summaryChanged.emit()
        self.activeFiltersChanged.emit()

    # -- QML API ------------------------------------------------------------------------------

    def _get_text(self) -> str:
        return self._text

    def _set_text(self, text: str) -> None:
        if text != self._text:
            self._text = text
            self.textChanged.emit()
            self._search()

    @Slot(str)
    def toggleChip(self, name: str) -> None:
        """Choose or drop the chip called `name` ("contract-CDI")."""
        for chip in CHIPS:
            if chip.name == name:
                self._set_filters(self._filters.toggled(chip))
                return
        log.error("no filter chip called %s", name)

    @Slot()
    def clearFilters(self) -> None:
        """Drop every filter, keep the text."""
        self._set_filters(Filters())

    @Slot()
    def openPanel(self) -> None:
        """Show portrait's filter panel."""
        self._set_panel(True)

    @Slot()
    def closePanel(self) -> None:
        """Back from the filter panel to the list."""
        self._set_panel(False)

    def is_panel_open(self) -> bool:
        """Whether portrait's filter panel shows (the "back" key closes it first)."""
        return self._panel

    def _set_panel(self, on: bool) -> None:
        if on != self._panel:
            self._panel = on
            self.panelChanged.emit()

    def _get_active_filters(self) -> list[dict[str, str]]:
        """The chips in use, in the order of the panel: name and "Group: label"."""
        active = []
        for group in self._groups:
            for row in range(group.rowCount()):
                index = group.index(row, 0)
                if group.data(index, ChipRole.SELECTED):
                    active.append(
                        {
                            "name": group.data(index, ChipRole.NAME),
                            "label": group.data(index, ChipRole.SPOKEN),
                        }
                    )
        return active

    @Slot()
    def retry(self) -> None:
        """Ask again after a failed search."""
        self._results.refresh()

    def _set_filters(self, filters: Filters) -> None:
        if filters != self._filters:
            self._filters = filters
            self._update_chips(None)
            self.filtersChanged.emit()
            self._search()

    @Slot(str)
    def chooseTrade(self, code: str) -> None:
        """Show the offers of the family `code` (a trade tile): the other filters stay."""
        if code not in trades.CODES:
            log.error("no trade family called %s", code)
            return
        self._set_filters(replace(self._filters, trade=code))

    def _search(self) -> None:
        self._leading, self._leading_trades = "", ()  # until the new answer says
        self._results.set_query(self._filters.query(self._text, self._area_km))

    def _update_chips(self, facets: Facets | None) -> None:
        for group in self._groups:
            group.set_state(self._filters, facets)

    @Slot(object)
    def _on_first_page(self, page: SearchPage) -> None:
        self._update_chips(page.facets)
        self._tiles.set_counts(page.facets.trades, self._filters.trade)
        self._leading = leading_family(page.facets.trades)
        self._leading_trades = leading_trades(page.facets.romes, sum(page.facets.trades.values()))
        self._answered = True
        self.summaryChanged.emit()

    def leading_family(self) -> str:
        """The trade family most of the offers found are in, when it holds at least half of
        them ("" otherwise, or before the first answer)."""
        return self._leading

    def leading_trades(self) -> tuple[str, ...]:
        """The ROME code that holds at least half of the offers found, or the two that tie at
        half each (none otherwise, or before the first answer)."""
        return self._leading_trades

    def _get_summary(self) -> str:
        return self._formatter.offers(self._results.total_count())

    def _get_empty(self) -> bool:
        results = self._results
        return (
            self._answered
            and not results.is_loading()
            and not results.has_failed()
            and results.total_count() == 0
        )

    def _get_empty_hint(self) -> str:
        if self._filters.active:
            return QCoreApplication.translate(
                "Browse", "Try removing a filter or searching for another word."
            )
        return QCoreApplication.translate("Browse", "Try another word, or check the spelling.")

    text = Property(str, _get_text, _set_text, notify=textChanged)
    hasFilters = Property(bool, lambda self: self._filters.active, notify=filtersChanged)
    filterGroups = Property(list, lambda self: list(self._groups), constant=True)
    tradeTiles = Property(QObject, lambda self: self._tiles, constant=True)
    trade = Property(str, lambda self: self._filters.trade or "", notify=filtersChanged)
    activeFilters = Property(list, _get_active_filters, notify=activeFiltersChanged)
    panelOpen = Property(bool, is_panel_open, notify=panelChanged)
    results = Property(QObject, lambda self: self._results, constant=True)
    summary = Property(str, _get_summary, notify=summaryChanged)
    empty = Property(bool, _get_empty, notify=summaryChanged)
    emptyHint = Property(str, _get_empty_hint, notify=summaryChanged)
    failed = Property(bool, lambda self: self._results.has_failed(), notify=summaryChanged)
