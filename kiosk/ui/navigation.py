"""Which screen a session shows (browse or an offer), and the back and home moves."""

from __future__ import annotations

import enum
import logging

from PySide6.QtCore import Property, QObject, Signal, Slot
from PySide6.QtQml import QmlElement

from kiosk.ui.browse import BrowseViewModel
from kiosk.ui.detail import DetailViewModel
from kiosk.ui.qmltypes import uncreatable

QML_IMPORT_NAME = "Kiosk"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger("kiosk.ui")


class Page(enum.StrEnum):
    """The pages of a session (the attract screen is the absence of a session)."""

    BROWSE = "browse"
    DETAIL = "detail"


@QmlElement
@uncreatable("the application creates the navigator")
class Navigator(QObject):
    """Moves between the offer list and one offer; the list keeps its state behind an offer."""

    pageChanged = Signal()

    def __init__(
        self, browse: BrowseViewModel, detail: DetailViewModel, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._browse = browse
        self._detail = detail
        self._page = Page.BROWSE

    @property
    def current(self) -> Page:
        """The page shown."""
        return self._page

    @Slot(int)
    def openOffer(self, offer_id: int) -> None:
        """Show offer `offer_id` (a missing offer shows the "no longer available" state)."""
        self._detail.open(offer_id)
        self._set(Page.DETAIL)

    @Slot()
    def back(self) -> None:
        """One step back: from an offer to the list, as it was left."""
        if self._page is Page.DETAIL:
            self._detail.closePanel()
            self._set(Page.BROWSE)

    @Slot()
    def home(self) -> None:
        """The start of a session: every offer near here, no search, no filter."""
        self._detail.clear()
        self._browse.reset()
        self._set(Page.BROWSE)

    def reset(self) -> None:
        """Back to the list without touching it (the session's wipe resets the list itself)."""
        self._set(Page.BROWSE)

    def _set(self, page: Page) -> None:
        if page is not self._page:
            self._page = page
            log.debug("page: %s", page.value)
            self.pageChanged.emit()

    page = Property(str, lambda self: self._page.value, notify=pageChanged)
