"""The attract screen's view-model: the invitation and how many offers there are nearby."""

from __future__ import annotations

from PySide6.QtCore import Property, QCoreApplication, QObject, Signal, Slot
from PySide6.QtQml import QmlElement

from kiosk.offline.search import SearchPage, SearchQuery
from kiosk.ui.formatting import OfferFormatter
from kiosk.ui.qmltypes import uncreatable
from kiosk.ui.search_worker import SearchService

QML_IMPORT_NAME = "Kiosk"
QML_IMPORT_MAJOR_VERSION = 1

CHANNEL = "nearby"


@QmlElement
@uncreatable("the application creates the attract view-model")
class AttractViewModel(QObject):
    """Counts the offers within the terminal's radius (on the search thread) and words it."""

    changed = Signal()

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
        service.pageReady.connect(self._on_page)

    @Slot()
    def refresh(self) -> None:
        """Count again (at start and whenever the offers cache changed)."""
        self._ticket = self._service.search(
            SearchQuery(max_km=self._radius_km, limit=0), channel=CHANNEL
        )

    def offer_count(self) -> int | None:
        """The offers within the radius, once counted."""
        return self._count

    def retranslate(self) -> None:
        """Words in the new language."""
        self.changed.emit()

    @Slot(int, object)
    def _on_page(self, ticket: int, page: SearchPage) -> None:
        if ticket == self._ticket and page.total != self._count:
            self._count = page.total
            self.changed.emit()

    def _get_nearby(self) -> str:
        if self._count is None:
            return ""
        return (
            QCoreApplication.translate("Attract", "%1 within %2 of %3")
            .replace("%1", self._formatter.offers(self._count))
            .replace("%2", self._formatter.radius(round(self._radius_km)))
            .replace("%3", self._place)
        )

    count = Property(
        int, lambda self: self._count if self._count is not None else -1, notify=changed
    )
    nearby = Property(str, _get_nearby, notify=changed)
