"""The Firms screen's view-model: the firms near here that often hire for a trade (a trade
tile, an open offer's trade, or a search), best first, and the firm open with what a passer-by
needs to send it a spontaneous application.

The browse and offer screens ask it, as their trade or search changes, whether there are firms
to show: their button to this screen appears only then.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Protocol, TypeVar

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    Property,
    QCoreApplication,
    QObject,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtQml import QmlElement
from sqlalchemy.exc import SQLAlchemyError

from kiosk import trades
from kiosk.domain import Offer
from kiosk.offline.firms import NearbyFirm
from kiosk.ui.formatting import OfferFormatter
from kiosk.ui.list_model import RowsModel, qml_name
from kiosk.ui.qmltypes import uncreatable
from kiosk.ui.trade_tiles import trade_name

QML_IMPORT_NAME = "Kiosk"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger("kiosk.ui")

# One literal each: lupdate reads only the first of several adjacent string literals.
NOT_OFFERS = str(
    QT_TRANSLATE_NOOP(
        "Firms",
        "These firms have not published a job offer: they are firms that often hire people for this trade. You can send them a spontaneous application.",  # noqa: E501
    )
)
NOT_OFFERS_NO_APPLY = str(
    QT_TRANSLATE_NOOP(
        "Firms",
        "These firms have not published a job offer: they are firms that often hire people for this trade. You can go and offer your services.",  # noqa: E501
    )
)
HOW_IT_GOES = str(
    QT_TRANSLATE_NOOP(
        "Firms",
        "Your application goes to the job agency that runs this terminal, not to the firm directly. The agency calls you back and, if your profile fits, passes it on to the firm.",  # noqa: E501
    )
)
NO_APPLY_HERE = str(
    QT_TRANSLATE_NOOP(
        "Firms", "This terminal cannot send spontaneous applications: ask at the job agency."
    )
)
_SIZES = {
    "range": QT_TRANSLATE_NOOP("Firms", "%1 to %2 employees"),
    "from": QT_TRANSLATE_NOOP("Firms", "%1 employees or more"),
    "upto": QT_TRANSLATE_NOOP("Firms", "up to %1 employees"),
}
SIZES: dict[str, str] = {key: str(text) for key, text in _SIZES.items()}
_SCOPES = {
    "rome": QT_TRANSLATE_NOOP("Firms", "For the trade: %1"),
    "family": QT_TRANSLATE_NOOP("Firms", "For the trades: %1"),
    "text": QT_TRANSLATE_NOOP("Firms", "For your search: %1"),
}
SCOPES: dict[str, str] = {key: str(text) for key, text in _SCOPES.items()}
HIGH = str(QT_TRANSLATE_NOOP("Firms", "Hires often"))
CREDIT = str(QT_TRANSLATE_NOOP("Firms", "Source: %1"))


# The apply screen's words for a spontaneous application (kiosk/ui/apply.py): it goes to the
# job agency (the organisation the operator designates), which calls back, never the firm.
PRIVACY_SPONTANEOUS = str(
    QT_TRANSLATE_NOOP(
        "Firms",
        "Your name and your phone number or e-mail go to the job agency that runs this terminal, not to the firm: an adviser calls you back about this firm and this trade and, if your profile fits, passes your application on to the firm. Nothing is kept on this terminal once it is sent. The agency keeps them for %1 days at most. To see them or have them deleted, contact the agency with your reference code.",  # noqa: E501
    )
)
DONE_QUEUED_SPONTANEOUS = str(
    QT_TRANSLATE_NOOP(
        "Firms",
        "It is kept safely on this terminal, locked so that only the agency can read it, and it leaves for the agency as soon as the network allows. You have nothing more to do.",  # noqa: E501
    )
)
DONE_DELIVERED_SPONTANEOUS = str(
    QT_TRANSLATE_NOOP(
        "Firms",
        "It has reached the job agency. An adviser of the agency will call you back, not the firm itself.",  # noqa: E501
    )
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("Firms", text)


def spontaneous_privacy(retention_days: int) -> str:
    """Who receives a spontaneous application, why, and for how long."""
    return _tr(PRIVACY_SPONTANEOUS).replace("%1", str(retention_days))


def spontaneous_status(delivered: bool) -> str:
    """Where a spontaneous application is, and who will call back."""
    return _tr(DONE_DELIVERED_SPONTANEOUS if delivered else DONE_QUEUED_SPONTANEOUS)


class FirmsSource(Protocol):
    """What the view-model asks of the cache (kiosk.offline.firms.FirmsCache)."""

    def for_rome(self, code: str) -> list[NearbyFirm]: ...
    def for_family(self, family: str) -> list[NearbyFirm]: ...
    def for_text(self, search: str, family: str | None = None) -> list[NearbyFirm]: ...
    def count_rome(self, code: str) -> int: ...
    def count_family(self, family: str) -> int: ...
    def count_text(self, search: str, family: str | None = None) -> int: ...
    def spontaneous(self) -> bool: ...
    def source(self) -> str: ...


def size_words(low: int | None, high: int | None, formatter: OfferFormatter) -> str:
    """A headcount range in words: "10 to 19 employees", "250 employees or more"; "" when the
    source says nothing useful."""
    if low is not None and high is not None and high > 0:
        if low == high:
            low = max(0, high - 1) if high > 1 else 1
        return (
            _tr(SIZES["range"])
            .replace("%1", formatter.number(max(low, 1)))
            .replace("%2", formatter.number(high))
        )
    if low is not None and low > 0:
        return _tr(SIZES["from"]).replace("%1", formatter.number(low))
    if high is not None and high > 0:
        return _tr(SIZES["upto"]).replace("%1", formatter.number(high))
    return ""


@dataclass(frozen=True, slots=True)
class Scope:
    """What the firms are listed for: a ROME code (an offer's trade), a family (a trade tile)
    or a search text, with the family a search is narrowed to."""

    kind: str  # "rome" | "family" | "text"
    value: str
    label: str = ""  # the trade's label, for "rome"
    family: str | None = None  # for "text": the trade tile chosen with it

    def heading(self) -> str:
        """ "For the trade: Boulangerie - viennoiserie", in the current language."""
        if self.kind == "rome":
            shown = self.label or self.value
        elif self.kind == "family":
            shown = trade_name(self.value)
        else:
            shown = f"« {self.value.strip()} »"
        return _tr(SCOPES[self.kind]).replace("%1", shown)


_Answer = TypeVar("_Answer")


def find(source: FirmsSource, scope: Scope | None) -> list[NearbyFirm]:
    """The firms of `scope`, best first; none when the cache cannot be read (a damaged cache
    is rebuilt at the next start)."""
    if scope is None:
        return []
    try:
        return _ask(scope, source.for_rome, source.for_family, source.for_text)
    except SQLAlchemyError:
        log.exception("firms near here: the list cannot be read")
        return []


def count(source: FirmsSource, scope: Scope | None) -> int:
    """How many firms `find` lists for `scope`, counted by the cache without reading them;
    0 when the cache cannot be read."""
    if scope is None:
        return 0
    try:
        return _ask(scope, source.count_rome, source.count_family, source.count_text)
    except SQLAlchemyError:
        log.exception("firms near here: the list cannot be counted")
        return 0


def _ask(
    scope: Scope,
    by_rome: Callable[[str], _Answer],
    by_family: Callable[[str], _Answer],
    by_text: Callable[[str, str | None], _Answer],
) -> _Answer:
    """The question of `scope` put to the cache: by ROME code, by family, or by words typed
    (within the chosen family)."""
    if scope.kind == "rome":
        return by_rome(scope.value)
    if scope.kind == "family":
        return by_family(scope.value)
    return by_text(scope.value, scope.family)


class FirmRole(enum.IntEnum):
    """The roles a firm's card reads."""

    KEY = Qt.ItemDataRole.UserRole + 1
    NAME = enum.auto()
    TRADE = enum.auto()
    DETAILS = enum.auto()  # sector · size
    PLACE = enum.auto()  # town · distance
    HIGH = enum.auto()  # "Hires often", or ""
    DESCRIPTION = enum.auto()  # all of it, for audio mode


@QmlElement
@uncreatable("the firms view-model owns its list")
class FirmListModel(RowsModel[dict[str, str]]):
    """The firms of the scope shown (a few hundred at most: no paging); a row holds each
    role's text under the role's QML name."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(
            {role: itemgetter(qml_name(role)) for role in FirmRole},
            display=FirmRole.NAME,
            parent=parent,
        )


@QmlElement
@uncreatable("the application creates the firms view-model")
class FirmsViewModel(QObject):
    """The firms near here for a trade, from the offers cache (short queries: UI thread)."""

    listChanged = Signal()
    firmChanged = Signal()
    contextChanged = Signal()  # what the browse and offer screens' buttons would open
    firmOpened = Signal()  # for the anonymous usage count

    def __init__(
        self,
        source: FirmsSource,
        formatter: OfferFormatter,
        accepting: Callable[[], bool] = lambda: True,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._source = source
        self._formatter = formatter
        self._accepting = accepting  # whether the terminal can take applications at all
        self._browse_scope: Scope | None = None
        self._browse_count = 0
        self._offer_scope: Scope | None = None
        self._offer_count = 0
        self._scope: Scope | None = None
        self._firms: list[NearbyFirm] = []
        self._open: NearbyFirm | None = None
        self._spontaneous = False
        self._credit = ""
        self._model = FirmListModel(self)

    # -- what the other screens' buttons would show ---------------------------------------------

    def _count(self, scope: Scope | None) -> int:
        # Asked at each letter typed and each answer of the search, on the UI thread: a SQL
        # count, about 3 ms at most at the hub's cap (docs/performance.md): none is remembered.
        return count(self._source, scope)

    def set_browse(
        self, family: str, text: str, leading: str = "", leading_trades: Sequence[str] = ()
    ) -> None:
        """The browse screen's trade tile (or "") and search: the firms for the search (in the
        chosen family), else for the family. A search that names no firm's trade, sector or
        town ("vendeur" is in no ROME label) leads to the firms of the trade most of its offers
        are in (`leading_trades`: the ROME code holding half of them, or two tied), when firms
        are held for it; else to those of `leading`, the family most of its offers are in."""
        scope: Scope | None = None
        count = 0
        if text.strip():
            scope = Scope("text", text.strip(), family=family or None)
            count = self._count(scope)
            if not count and not family:
                scope, count = self._leading_scope(leading, leading_trades, scope)
        elif family and family != trades.OTHER:
            scope = Scope("family", family)
            count = self._count(scope)
        if (scope, count) != (self._browse_scope, self._browse_count):
            self._browse_scope, self._browse_count = scope, count
            self.contextChanged.emit()

    def _leading_scope(
        self, family: str, codes: Sequence[str], otherwise: Scope
    ) -> tuple[Scope, int]:
        """The firms of the first of `codes` (ROME) they are held for, with the trade's label
        as the firms show it; else those of `family`; else `otherwise` (none found)."""
        for code in codes:
            found = find(self._source, Scope("rome", code))
            if found:
                return Scope("rome", code, found[0].trade.label), len(found)
        if family and family != trades.OTHER:
            scope = Scope("family", family)
            return scope, self._count(scope)
        return otherwise, 0

    def set_offer(self, rome: str | None, family: str, label: str | None) -> None:
        """The open offer's trade: its ROME code when firms hire for it, else its family."""
        scope: Scope | None = None
        count = 0
        if rome:
            code = rome.strip().upper()[:5]
            found = find(self._source, Scope("rome", code))
            # The hub's label of the trade, as the firms show it; else the offer's own.
            scope = Scope("rome", code, found[0].trade.label if found else label or "")
            count = len(found)
        if count == 0 and family and family != trades.OTHER:
            scope = Scope("family", family)
            count = self._count(scope)
        if count == 0:
            scope = None
        if (scope, count) != (self._offer_scope, self._offer_count):
            self._offer_scope, self._offer_count = scope, count
            self.contextChanged.emit()

    def set_offer_of(self, offer: Offer | None) -> None:
        """The trade of the offer on screen (None: no offer)."""
        if offer is None:
            self.set_offer(None, "", None)
            return
        family = trades.classify(offer.rome_code, None, offer.title, offer.trade)
        self.set_offer(offer.rome_code, family, offer.trade)

    def refresh_context(self) -> None:
        """Count again (the sync brought a new list)."""
        self._browse_count = self._count(self._browse_scope)
        self._offer_count = self._count(self._offer_scope)
        self.contextChanged.emit()

    # -- the screen ------------------------------------------------------------------------------

    def show(self, which: str) -> bool:
        """List the firms the browse screen's ("browse") or the offer's ("offer") button
        announced; False when there is no such list."""
        scope = self._browse_scope if which == "browse" else self._offer_scope
        if scope is None:
            return False
        self._scope = scope
        self.refresh()
        return True

    def show_scope(self, scope: Scope) -> None:
        """List the firms of `scope` (screenshots, tests)."""
        self._scope = scope
        self.refresh()

    def refresh(self) -> None:
        """Read the list again (the sync may have brought a new one); an open firm that is gone
        closes."""
        self._firms = find(self._source, self._scope)
        try:
            self._spontaneous = self._source.spontaneous()
            self._credit = self._source.source()
        except SQLAlchemyError:
            log.exception("firms near here: the list's facts cannot be read")
            self._spontaneous, self._credit = False, ""
        if self._open is not None:
            self._set_open(next((n for n in self._firms if n.key == self._open.key), None))
        self._rebuild()

    def retranslate(self) -> None:
        """Every text in the new language."""
        self._rebuild()
        self.contextChanged.emit()
        self.firmChanged.emit()

    def _rebuild(self) -> None:
        self._model.reset([self._row(n) for n in self._firms])
        self.listChanged.emit()

    def _details(self, nearby: NearbyFirm) -> str:
        firm = nearby.firm
        size = size_words(firm.headcount_min, firm.headcount_max, self._formatter)
        return " · ".join(part for part in (firm.sector, size) if part)

    def _place(self, nearby: NearbyFirm) -> str:
        distance = self._formatter.distance(nearby.distance_km)
        return " · ".join(part for part in (nearby.firm.city, distance) if part)

    def _row(self, nearby: NearbyFirm) -> dict[str, str]:
        high = _tr(HIGH) if nearby.trade.high else ""
        row = {
            "key": nearby.key,
            "name": nearby.firm.name,
            "trade": nearby.trade.label,
            "details": self._details(nearby),
            "place": self._place(nearby),
            "high": high,
        }
        parts = (row["trade"], row["details"], row["place"], high)
        row["description"] = ". ".join(part for part in parts if part)
        return row

    @property
    def firm(self) -> NearbyFirm | None:
        """The open firm, if any."""
        return self._open

    def first_key(self) -> str | None:
        """The key of the first firm listed, or None."""
        return self._firms[0].key if self._firms else None

    @Slot(str)
    def open(self, key: str) -> None:
        """Show one firm, with the spontaneous application it can take."""
        found = next((n for n in self._firms if n.key == key), None)
        self._set_open(found)
        if found is not None:
            self.firmOpened.emit()

    @Slot()
    def close(self) -> None:
        """Back to the list."""
        self._set_open(None)

    def is_open(self) -> bool:
        """Whether a firm is open over the list."""
        return self._open is not None

    def clear(self) -> None:
        """The end of a session: no scope, no firm open."""
        self._set_open(None)
        self._scope = None
        self._firms = []
        self._rebuild()

    def _set_open(self, nearby: NearbyFirm | None) -> None:
        if nearby != self._open:
            self._open = nearby
            self.firmChanged.emit()

    def _open_text(self, read: Callable[[NearbyFirm], str]) -> str:
        return read(self._open) if self._open is not None else ""

    def _can_apply(self) -> bool:
        return self._spontaneous and self._accepting()

    def _note(self) -> str:
        return _tr(NOT_OFFERS if self._can_apply() else NOT_OFFERS_NO_APPLY)

    browseCount = Property(int, lambda self: self._browse_count, notify=contextChanged)
    offerCount = Property(int, lambda self: self._offer_count, notify=contextChanged)
    firms = Property(QObject, lambda self: self._model, constant=True)
    count = Property(int, lambda self: len(self._firms), notify=listChanged)
    empty = Property(bool, lambda self: not self._firms, notify=listChanged)
    heading = Property(
        str, lambda self: self._scope.heading() if self._scope else "", notify=listChanged
    )
    note = Property(str, _note, notify=listChanged)
    credit = Property(str, lambda self: _tr(CREDIT).replace("%1", self._credit), notify=listChanged)
    canApply = Property(bool, _can_apply, notify=listChanged)
    howItGoes = Property(str, lambda self: _tr(HOW_IT_GOES), notify=listChanged)
    noApplyHere = Property(str, lambda self: _tr(NO_APPLY_HERE), notify=listChanged)
    isOpen = Property(bool, is_open, notify=firmChanged)
    openName = Property(
        str, lambda self: self._open_text(lambda n: n.firm.name), notify=firmChanged
    )
    openTrade = Property(
        str, lambda self: self._open_text(lambda n: n.trade.label), notify=firmChanged
    )
    openDetails = Property(str, lambda self: self._open_text(self._details), notify=firmChanged)
    openPlace = Property(str, lambda self: self._open_text(self._place), notify=firmChanged)
