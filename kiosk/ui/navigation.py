"""Which screen a session shows (browse, an offer, applying to it), and the back and home moves."""

from __future__ import annotations

import enum
import logging

from PySide6.QtCore import Property, QObject, Signal, Slot
from PySide6.QtQml import QmlElement

from kiosk.ui.apply import ApplyViewModel
from kiosk.ui.browse import BrowseViewModel
from kiosk.ui.detail import DetailViewModel
from kiosk.ui.firms import FirmsViewModel
from kiosk.ui.qmltypes import uncreatable
from kiosk.ui.services import ServicesViewModel

QML_IMPORT_NAME = "Kiosk"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger("kiosk.ui")


class Page(enum.StrEnum):
    """The pages of a session (the attract screen is the absence of a session)."""

    BROWSE = "browse"
    DETAIL = "detail"
    APPLY = "apply"
    SERVICES = "services"  # the services corner (kiosk/ui/services.py)
    FIRMS = "firms"  # firms near here that often hire (kiosk/ui/firms.py)


@QmlElement
@uncreatable("the application creates the navigator")
class Navigator(QObject):
    """Moves between the offer list and one offer; the list keeps its state behind an offer."""

    pageChanged = Signal()
    # An offer's screen was opened: (source, id), for the anonymous count of views per offer.
    offerOpened = Signal(str, str)

    def __init__(
        self,
        browse: BrowseViewModel,
        detail: DetailViewModel,
        apply: ApplyViewModel,
        parent: QObject | None = None,
        services: ServicesViewModel | None = None,
        firms: FirmsViewModel | None = None,
    ) -> None:
        super().__init__(parent)
        self._browse = browse
        self._detail = detail
        self._apply = apply
        self._services = services
        self._firms = firms
        self._firms_from = Page.BROWSE  # where "back" leaves the firms for
        self._spontaneous_family = ""  # the trade family of the last spontaneous application
        self._page = Page.BROWSE
        # The offer's page (its QR code on the apply screen) follows a change of language.
        detail.offerChanged.connect(self._follow_offer_page)

    @property
    def current(self) -> Page:
        """The page shown."""
        return self._page

    @Slot(int)
    def openOffer(self, offer_id: int) -> None:
        """Show offer `offer_id` (a missing offer shows the "no longer available" state)."""
        if self._detail.open(offer_id) and (offer := self._detail.offer) is not None:
            self.offerOpened.emit(offer.source, offer.external_id)
        if self._firms is not None:
            self._firms.set_offer_of(self._detail.offer)
        self._set(Page.DETAIL)

    @Slot()
    def openServices(self) -> None:
        """Show the services corner, read afresh, with no entry open."""
        if self._services is not None:
            self._services.refresh()
            self._services.close()
        self._set(Page.SERVICES)

    @Slot(str)
    def openFirms(self, which: str) -> None:
        """Show the firms near here that the browse screen's ("browse") or the open offer's
        ("offer") button announced."""
        if self._firms is None or not self._firms.show(which):
            return
        self._firms.close()
        if self._page is not Page.FIRMS:
            self._firms_from = self._page
        self._set(Page.FIRMS)

    @Slot()
    def startSpontaneous(self) -> None:
        """A spontaneous application to the open firm, for the trade it is shown for."""
        if self._firms is None or self._firms.firm is None:
            return
        if not self._firms.property("canApply"):
            return  # no organisation takes them, or the terminal takes no application
        nearby = self._firms.firm
        self._apply.start_spontaneous(nearby)
        self._spontaneous_family = nearby.trade.rome[0]  # "similar": the offers of its family
        self._set(Page.APPLY)

    @Slot(bool)
    def startApply(self, callback: bool) -> None:
        """Apply to the open offer on the terminal (`callback`: ask to be called back)."""
        offer = self._detail.offer
        if offer is None:
            return
        self._detail.closePanel()
        self._apply.start(
            offer.source, offer.external_id, offer.title, callback, offer.quick_questions
        )
        self._apply.set_offer_url(self._detail.page_url)
        self._set(Page.APPLY)

    def _follow_offer_page(self) -> None:
        offer = self._detail.offer
        if (
            self._page == Page.APPLY
            and offer is not None
            and not self._apply.is_spontaneous()
            and self._apply.offer_key == (offer.source, offer.external_id)
        ):
            self._apply.set_offer_url(self._detail.page_url)

    @Slot()
    def similar(self) -> None:
        """After applying: the list, searching for the trade of the offer just applied to."""
        offer = self._detail.offer
        words = (offer.trade or offer.title).split() if offer is not None else []
        family = self._spontaneous_family if self._apply.is_spontaneous() else ""
        self._apply.wipe()
        self._detail.clear()
        self._browse.reset()
        if family:  # after a spontaneous application: the offers of the firm's trade family
            self._browse.chooseTrade(family)
        elif words:
            self._browse.setProperty("text", words[0])
        self._set(Page.BROWSE)

    @Slot()
    def back(self) -> None:
        """One step back: from the form to its offer, from an offer to the list as it was;
        from a service to the services, from the services to the list."""
        if self._page is Page.SERVICES:
            if self._services is not None and self._services.is_open():
                self._services.close()
            else:
                self._set(Page.BROWSE)
        elif self._page is Page.FIRMS:
            if self._firms is not None and self._firms.is_open():
                self._firms.close()
            else:
                self._set(self._firms_from)
        elif self._page is Page.APPLY and self._apply.is_spontaneous():
            self._apply.wipe()
            self._set(Page.FIRMS)  # the firm, still open
        elif self._page is Page.APPLY:
            self._apply.wipe()
            self._set(Page.DETAIL)
        elif self._page is Page.DETAIL:
            self._detail.closePanel()
            self._set(Page.BROWSE)

    @Slot()
    def home(self) -> None:
        """The start of a session: every offer near here, no search, no filter."""
        self._apply.wipe()
        self._detail.clear()
        if self._services is not None:
            self._services.close()
        if self._firms is not None:
            self._firms.clear()
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
