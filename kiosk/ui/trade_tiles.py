"""Trade tiles: the families of trades near here, each with its pictogram, name and count."""

from __future__ import annotations

import enum
import logging
from importlib import resources
from operator import itemgetter
from pathlib import Path

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QObject,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtQml import QmlElement
from PySide6.QtQuick import QQuickImageProvider
from PySide6.QtSvg import QSvgRenderer

from kiosk import trades
from kiosk.ui.formatting import OfferFormatter
from kiosk.ui.list_model import RowsModel
from kiosk.ui.qmltypes import uncreatable

QML_IMPORT_NAME = "Kiosk"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger("kiosk.ui")

PROVIDER_ID = "trade"  # image://trade/<family>/<rrggbb>

# The name of each family on a tile and in a filter chip: France Travail's own words, shortened
# where the full name would not fit a tile (kiosk.trades has the full names).
_NAMES = {
    "A": QT_TRANSLATE_NOOP("Trades", "Farming and green spaces"),
    "B": QT_TRANSLATE_NOOP("Trades", "Arts and crafts"),
    "C": QT_TRANSLATE_NOOP("Trades", "Banking, insurance, property"),
    "D": QT_TRANSLATE_NOOP("Trades", "Shops and sales"),
    "E": QT_TRANSLATE_NOOP("Trades", "Communication and media"),
    "F": QT_TRANSLATE_NOOP("Trades", "Building and public works"),
    "G": QT_TRANSLATE_NOOP("Trades", "Hotels, restaurants, leisure"),
    "H": QT_TRANSLATE_NOOP("Trades", "Industry"),
    "I": QT_TRANSLATE_NOOP("Trades", "Installation and maintenance"),
    "J": QT_TRANSLATE_NOOP("Trades", "Health"),
    "K": QT_TRANSLATE_NOOP("Trades", "Care and community services"),
    "L": QT_TRANSLATE_NOOP("Trades", "Live shows"),
    "M": QT_TRANSLATE_NOOP("Trades", "Office and IT"),
    "N": QT_TRANSLATE_NOOP("Trades", "Transport and logistics"),
    trades.OTHER: QT_TRANSLATE_NOOP("Trades", "Other trades"),
}
TRADE_NAMES: dict[str, str] = {code: str(name) for code, name in _NAMES.items()}


def trade_name(code: str) -> str:
    """The name of a family in the current language."""
    return QCoreApplication.translate("Trades", TRADE_NAMES[code])


def icons_dir() -> Path:
    """The folder of the pictograms (one SVG per family, drawn in `currentColor`)."""
    return Path(str(resources.files("kiosk_assets") / "trades"))


class TileRole(enum.IntEnum):
    """The roles a tile delegate reads."""

    CODE = Qt.ItemDataRole.UserRole + 1
    NAME = enum.auto()
    COUNT = enum.auto()
    COUNT_TEXT = enum.auto()
    SPOKEN = enum.auto()  # "Transport and logistics, 212 offers"
    SELECTED = enum.auto()


@QmlElement
@uncreatable("the view-models own their trade tiles")
class TradeTileModel(RowsModel[tuple[str, int]]):
    """The families that have offers, the most offers first and "other" last; an empty family
    has no tile. Counts come from the search's facets (the same bitsets as the filter chips),
    so a tile's count is the length of the list it opens. A row: (family code, count)."""

    def __init__(self, formatter: OfferFormatter, parent: QObject | None = None) -> None:
        super().__init__(
            {
                TileRole.CODE: itemgetter(0),
                TileRole.NAME: lambda row: trade_name(row[0]),
                TileRole.COUNT: itemgetter(1),
                TileRole.COUNT_TEXT: lambda row: self._formatter.offers(row[1]),
                TileRole.SPOKEN: lambda row: self._spoken(*row),
                TileRole.SELECTED: lambda row: row[0] == self._selected,
            },
            display=TileRole.NAME,
            parent=parent,
        )
        self._formatter = formatter
        self._selected: str | None = None

    def set_counts(self, counts: dict[str, int], selected: str | None = None) -> None:
        """New counts by family code (and the family chosen, if any)."""
        rows = sorted(
            ((code, count) for code, count in counts.items() if count > 0),
            key=lambda row: (row[0] == trades.OTHER, -row[1], trades.CODES.index(row[0])),
        )
        if rows == self.rows and selected == self._selected:
            return
        self._selected = selected
        if [code for code, _ in rows] == [code for code, _ in self.rows]:
            self.refresh(rows)  # the same tiles: no reset, no flicker
        else:
            self.reset(rows)

    def counts(self) -> dict[str, int]:
        """The count of each tile, by family code."""
        return dict(self.rows)

    def retranslate(self) -> None:
        """Names and counts in the new language."""
        self.refresh()

    def _spoken(self, code: str, count: int) -> str:
        """ "Transport and logistics, 212 offers"."""
        return (
            QCoreApplication.translate("Trades", "%1, %2", "a trade tile: name, offers")
            .replace("%1", trade_name(code))
            .replace("%2", self._formatter.offers(count))
        )


class TradeIconProvider(QQuickImageProvider):
    """Draws a family's pictogram in the colour QML asks for ("N/ffffff"), at the size asked:
    one SVG per family, whatever the palette."""

    def __init__(self, folder: Path | None = None) -> None:
        super().__init__(QQuickImageProvider.ImageType.Image)
        self._folder = folder or icons_dir()
        self._sources: dict[str, bytes] = {}

    def _source(self, code: str) -> bytes | None:
        if code not in self._sources:
            path = self._folder / f"{code}.svg"
            try:
                self._sources[code] = path.read_bytes()
            except OSError:
                log.error("no pictogram for the trade family %r (%s)", code, path)
                return None
        return self._sources[code]

    def requestImage(self, id: str, size: QSize, requestedSize: QSize) -> QImage:  # noqa: N803
        code, _, colour = id.partition("/")
        side = max(requestedSize.width(), requestedSize.height(), 0) or 96
        image = QImage(side, side, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        source = self._source(code) if code in trades.CODES else None
        if source is not None and QColor.isValidColorName(f"#{colour}"):
            renderer = QSvgRenderer(source.replace(b"currentColor", f"#{colour}".encode()))
            painter = QPainter(image)
            try:
                painter.setRenderHint(QPainter.RenderHint.Antialiasing)
                renderer.render(painter, QRectF(0, 0, side, side))
            finally:
                painter.end()
        size.setWidth(side)
        size.setHeight(side)
        return image
