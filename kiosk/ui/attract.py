"""The attract screen's view-model: the offers near here, the nearest of them, the trades.

It asks the search thread the question the list asks first when someone wakes the terminal
(kiosk.ui.browse: no text, no filter, the terminal's area), so the count it shows is the count
the list shows, and its trade tiles' counts are those of the list each one opens.
"""

from __future__ import annotations

import enum
import math
from dataclasses import replace
from operator import attrgetter

from PySide6.QtCore import (
    Property,
    QCoreApplication,
    QObject,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtQml import QmlElement

from kiosk.offline.search import OfferSummary, SearchPage, SearchQuery
from kiosk.ui.browse import Filters
from kiosk.ui.formatting import OfferFormatter
from kiosk.ui.list_model import RowsModel
from kiosk.ui.qmltypes import uncreatable
from kiosk.ui.search_worker import SearchService
from kiosk.ui.trade_tiles import TradeTileModel

QML_IMPORT_NAME = "Kiosk"
QML_IMPORT_MAJOR_VERSION = 1

CHANNEL = "nearby"
NEAREST = 8  # offers passing by on the attract screen
WALKING_KM_H = 4.5
DETOUR = 1.3  # streets are longer than the straight line the distance measures
WALK_MAX_MIN = 45  # further than this on foot, only the distance is given


def opening_query(area_km: float | None) -> SearchQuery:
    """The list's first question after a wake: no text, no filter, the terminal's area."""
    return Filters().query("", area_km)


def walking_minutes(km: float | None) -> int | None:
    """Minutes on foot to an offer `km` away (straight line), None when too far or unknown."""
    if km is None:
        return None
    minutes = max(1, math.ceil(km * DETOUR / WALKING_KM_H * 60))
    return minutes if minutes <= WALK_MAX_MIN else None


class NearbyRole(enum.IntEnum):
    """The roles a passing offer's delegate reads."""

    OFFER_ID = Qt.ItemDataRole.UserRole + 1
    TITLE = enum.auto()
    DISTANCE = enum.auto()
    WALK = enum.auto()
    SPOKEN = enum.auto()


@QmlElement
@uncreatable("the attract view-model owns the nearest offers")
class NearbyOfferModel(RowsModel[OfferSummary]):
    """The nearest offers: title, distance, minutes on foot."""

    def __init__(self, formatter: OfferFormatter, parent: QObject | None = None) -> None:
        super().__init__(
            {
                NearbyRole.OFFER_ID: attrgetter("id"),
                NearbyRole.TITLE: attrgetter("title"),
                NearbyRole.DISTANCE: self._distance,
                NearbyRole.WALK: lambda offer: self.walk(offer.distance_km),
                NearbyRole.SPOKEN: self._spoken,
            },
            display=NearbyRole.TITLE,
            parent=parent,
        )
        self._formatter = formatter

    def set_offers(self, offers: list[OfferSummary]) -> None:
        """New nearest offers (the model resets only when they changed)."""
        if [o.id for o in offers] == [o.id for o in self.rows]:
            self._rows = offers  # the same offers: nothing to signal
            return
        self.reset(offers)

    def retranslate(self) -> None:
        """Distances and minutes in the new language."""
        self.refresh()

    def walk(self, km: float | None) -> str:
        """ "12 min walk", or empty when too far to walk."""
        minutes = walking_minutes(km)
        if minutes is None:
            return ""
        return QCoreApplication.translate("Attract", "%n min walk", None, minutes)

    def _distance(self, offer: OfferSummary) -> str:
        return self._formatter.distance(offer.distance_km) or offer.place_label

    def _spoken(self, offer: OfferSummary) -> str:
        parts = (offer.title, self._distance(offer), self.walk(offer.distance_km))
        return ". ".join(part for part in parts if part)


@QmlElement
@uncreatable("the application creates the attract view-model")
class AttractViewModel(QObject):
    """Counts the offers of the terminal's area (on the search thread), with the nearest of
    them and the count of each trade family, and words it."""

    changed = Signal()
    tradeChosen = Signal(str)  # a trade tile was touched: the list opens on that trade

    def __init__(
        self,
        service: SearchService,
        formatter: OfferFormatter,
        place: str,
        radius_km: float,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._formatter = formatter
        self._place = place
        self._radius_km = radius_km
        self._count: int | None = None
        self._ticket = 0
        self._nearest = NearbyOfferModel(formatter, self)
        self._tiles = TradeTileModel(formatter, self)
        service.pageReady.connect(self._on_page)

    @Slot()
    def refresh(self) -> None:
        """Count again (at start and whenever the offers cache changed)."""
        query = replace(opening_query(self._radius_km), limit=NEAREST)
        self._ticket = self._service.search(query, channel=CHANNEL)

    @Slot(str)
    def chooseTrade(self, code: str) -> None:
        """A trade tile was touched (the session wakes with the list on that trade)."""
        self.tradeChosen.emit(code)

    def offer_count(self) -> int | None:
        """The offers of the area, once counted."""
        return self._count

    def retranslate(self) -> None:
        """Words in the new language."""
        self._nearest.retranslate()
        self._tiles.retranslate()
        self.changed.emit()

    @Slot(int, object)
    def _on_page(self, ticket: int, page: SearchPage) -> None:
        if ticket != self._ticket:
            return
        self._nearest.set_offers(page.results)
        self._tiles.set_counts(page.facets.trades)
        if page.total != self._count:
            self._count = page.total
            self.changed.emit()

    def _get_nearby(self) -> str:
        if self._count is None:
            return ""
        return (
            QCoreApplication.translate("Attract", "%1 near %2", "offers, place")
            .replace("%1", self._formatter.offers(self._count))
            .replace("%2", self._place)
        )

    count = Property(
        int, lambda self: self._count if self._count is not None else -1, notify=changed
    )
    nearby = Property(str, _get_nearby, notify=changed)
    nearest = Property(QObject, lambda self: self._nearest, constant=True)
    tradeTiles = Property(QObject, lambda self: self._tiles, constant=True)
