"""The offer screen's view-model: the offer as plain-text sections, its QR codes, ways to apply."""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter
from urllib.parse import urlsplit

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

from kiosk.domain import ApplyRoute, Offer, Requirement
from kiosk.geo import Point, haversine_km
from kiosk.links import HUB_PAGE_LANGUAGE, is_placeholder, offer_page
from kiosk.text import fold, html_to_text
from kiosk.ui.formatting import OfferFormatter
from kiosk.ui.list_model import RowsModel
from kiosk.ui.qmltypes import uncreatable
from kiosk.ui.qr import qr_source

QML_IMPORT_NAME = "Kiosk"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger("kiosk.ui")

OfferLoader = Callable[[int], Offer | None]


class Panel(enum.StrEnum):
    """What is open over the offer."""

    NONE = ""
    PHONE = "phone"  # the QR code of the first apply route


_HEADINGS = {
    "job": QT_TRANSLATE_NOOP("Detail", "The job"),
    "responsibilities": QT_TRANSLATE_NOOP("Detail", "Responsibilities"),
    "schedule": QT_TRANSLATE_NOOP("Detail", "Working hours"),
    "salary": QT_TRANSLATE_NOOP("Detail", "Salary"),
    "benefits": QT_TRANSLATE_NOOP("Detail", "Benefits"),
    "experience": QT_TRANSLATE_NOOP("Detail", "Experience"),
    "qualifications": QT_TRANSLATE_NOOP("Detail", "Qualifications"),
    "skills": QT_TRANSLATE_NOOP("Detail", "Skills"),
    "education": QT_TRANSLATE_NOOP("Detail", "Training"),
    "licences": QT_TRANSLATE_NOOP("Detail", "Driving licences"),
    "languages": QT_TRANSLATE_NOOP("Detail", "Languages"),
    "company": QT_TRANSLATE_NOOP("Detail", "Company"),
    "partner": QT_TRANSLATE_NOOP("Detail", "Published by"),
}
HEADINGS: dict[str, str] = {key: str(heading) for key, heading in _HEADINGS.items()}


@dataclass(frozen=True, slots=True)
class Section:
    """A heading and its plain text."""

    key: str
    heading: str
    body: str


def _requirements(items: tuple[Requirement, ...]) -> str:
    required = QCoreApplication.translate("Detail", "required")
    wanted = QCoreApplication.translate("Detail", "desirable")
    return "\n".join(f"• {r.label} ({required if r.required else wanted})" for r in items)


def _site(url: str) -> str:
    """The site of a URL as people write it: "https://www.meteojob.com/o/1?x" → "meteojob.com"."""
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


def sections(offer: Offer, formatter: OfferFormatter) -> list[Section]:
    """The offer's sections that have something to say, in reading order."""
    parts: dict[str, str] = {}
    # Descriptions are plain text by contract; a stray tag from a source is still not shown.
    parts["job"] = html_to_text(offer.description) or QCoreApplication.translate(
        "Detail", "The recruiter gave no description."
    )
    if offer.responsibilities:
        parts["responsibilities"] = offer.responsibilities
    if offer.schedule:
        parts["schedule"] = offer.schedule
    parts["salary"] = offer.salary or QCoreApplication.translate("Detail", "Not stated")
    if offer.benefits:
        parts["benefits"] = offer.benefits
    experience = [offer.experience] if offer.experience else []
    # "Débutant accepté" already says it; other experience texts get the line added.
    if offer.beginners_welcome and "debutant" not in fold(offer.experience or ""):
        experience.append(QCoreApplication.translate("Detail", "Beginners welcome"))
    if experience:
        parts["experience"] = "\n".join(experience)
    if offer.qualifications:
        parts["qualifications"] = "\n".join(f"• {item}" for item in offer.qualifications)
    for key, items in (
        ("skills", offer.skills),
        ("education", offer.education),
        ("licences", offer.licences),
        ("languages", offer.languages),
    ):
        if items:
            parts[key] = _requirements(items)
    company = [formatter.company(offer.company)]
    if offer.sector:
        company.append(offer.sector)
    if offer.company_description:
        company.append(offer.company_description)
    if offer.accessible_disabled:
        company.append(
            QCoreApplication.translate("Detail", "This employer welcomes disabled workers.")
        )
    parts["company"] = "\n\n".join(company)
    if offer.partner:
        # A partner offer: the site it comes from, by name and address (its QR code is the
        # first way to apply).
        parts["partner"] = f"{offer.partner.label}\n{_site(offer.partner.url)}"
    return [
        Section(key, QCoreApplication.translate("Detail", HEADINGS[key]), body)
        for key, body in parts.items()
    ]


class SectionRole(enum.IntEnum):
    """The roles a section delegate reads."""

    KEY = Qt.ItemDataRole.UserRole + 1
    HEADING = enum.auto()
    BODY = enum.auto()


@QmlElement
@uncreatable("the detail view-model owns its sections")
class SectionModel(RowsModel[Section]):
    """The sections of the open offer."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(
            {
                SectionRole.KEY: attrgetter("key"),
                SectionRole.HEADING: attrgetter("heading"),
                SectionRole.BODY: attrgetter("body"),
            },
            display=SectionRole.HEADING,
            parent=parent,
        )


@QmlElement
@uncreatable("the application creates the detail view-model")
class DetailViewModel(QObject):
    """The open offer. Reading one offer is a short indexed query: fine on the UI thread."""

    offerChanged = Signal()
    panelChanged = Signal()

    def __init__(
        self,
        load: OfferLoader,
        formatter: OfferFormatter,
        origin: Point,
        parent: QObject | None = None,
        hub_url: str | None = None,
        language: Callable[[], str] | None = None,
    ) -> None:
        super().__init__(parent)
        self._load = load
        self._formatter = formatter
        self._origin = origin
        self._hub_url = hub_url
        # The session's language: the hub's pages open in it (a change rebuilds: retranslate).
        self._language = language or (lambda: HUB_PAGE_LANGUAGE)
        self._offer: Offer | None = None
        self._offer_id = -1
        self._panel = Panel.NONE
        self._sections = SectionModel(self)

    @property
    def offer(self) -> Offer | None:
        """The open offer (None when none is, or it was withdrawn)."""
        return self._offer

    @property
    def page_url(self) -> str | None:
        """The page a QR code of the open offer opens: never a demo placeholder (the hub's
        page of a demo offer when there is a hub, in the session's language), None when there
        is none."""
        offer = self._offer
        if offer is None:
            return None
        return offer_page(
            offer.offer_url, offer.source, offer.external_id, self._hub_url, self._language()
        )

    def _routes(self) -> list[ApplyRoute]:
        """The ways to apply elsewhere that lead somewhere (placeholders left out)."""
        offer = self._offer
        return [r for r in offer.apply_routes if not is_placeholder(r.url)] if offer else []

    def open(self, offer_id: int) -> bool:
        """Read offer `offer_id` from the store; False if it is gone."""
        self._offer_id = offer_id
        self._offer = self._load(offer_id)
        if self._offer is None:
            log.info("offer %d is no longer in the cache", offer_id)
        self._set_panel(Panel.NONE)
        self._rebuild()
        return self._offer is not None

    def clear(self) -> None:
        """Forget the offer (end of a session)."""
        self._offer, self._offer_id = None, -1
        self._set_panel(Panel.NONE)
        self._rebuild()

    def retranslate(self) -> None:
        """Every text in the new language."""
        self._rebuild()

    def _rebuild(self) -> None:
        offer = self._offer
        self._sections.reset(sections(offer, self._formatter) if offer else [])
        self.offerChanged.emit()

    # -- panels -------------------------------------------------------------------------------

    @Slot()
    def showPhone(self) -> None:
        """Open the "continue on my phone" panel (only for offers with an apply route)."""
        if self._routes():
            self._set_panel(Panel.PHONE)

    @Slot()
    def closePanel(self) -> None:
        """Close whatever panel is open."""
        self._set_panel(Panel.NONE)

    def _set_panel(self, panel: Panel) -> None:
        if panel != self._panel:
            self._panel = panel
            self.panelChanged.emit()

    # -- what the screen shows ----------------------------------------------------------------

    def _text(self, read: Callable[[Offer], str]) -> str:
        return read(self._offer) if self._offer is not None else ""

    def _get_place(self) -> str:
        offer = self._offer
        if offer is None:
            return ""
        if offer.latitude is None or offer.longitude is None:
            return offer.place_label
        km = haversine_km(self._origin, offer.latitude, offer.longitude)
        return f"{offer.place_label} · {self._formatter.distance(km)}"

    def _get_facts(self) -> list[str]:
        offer = self._offer
        if offer is None:
            return []
        facts = [
            self._formatter.contract(
                offer.contract_code,
                offer.contract_duration,
                offer.contract_duration_unit,
                offer.apprenticeship,
            ),
            self._formatter.working_time(offer.working_time),
            self._formatter.posted_on(offer.posted_at),
        ]
        if offer.positions and offer.positions > 1:
            facts.append(
                QCoreApplication.translate(
                    "Detail", "%n position(s) to fill", None, offer.positions
                )
            )
        if offer.accessible_disabled:
            facts.append(QCoreApplication.translate("Detail", "Open to disabled workers"))
        return [fact for fact in facts if fact]

    def _get_offer_qr(self) -> str:
        page = self.page_url
        return qr_source(page) if page else ""

    def _get_no_page(self) -> str:
        offer = self._offer
        if offer is None or self.page_url or not is_placeholder(offer.offer_url):
            return ""
        return QCoreApplication.translate("Detail", "Demo offer: no page online")

    def _get_route_qr(self) -> str:
        routes = self._routes()
        return qr_source(routes[0].url) if routes else ""

    def _get_route_label(self) -> str:
        routes = self._routes()
        if not routes:
            return ""
        return QCoreApplication.translate("Detail", "Apply on: %1").replace("%1", routes[0].label)

    available = Property(bool, lambda self: self._offer is not None, notify=offerChanged)
    offerId = Property(int, lambda self: self._offer_id, notify=offerChanged)
    title = Property(str, lambda self: self._text(lambda o: o.title), notify=offerChanged)
    company = Property(
        str,
        lambda self: self._text(lambda o: self._formatter.company(o.company)),
        notify=offerChanged,
    )
    companyKnown = Property(
        bool, lambda self: bool(self._offer and self._offer.company), notify=offerChanged
    )
    place = Property(str, _get_place, notify=offerChanged)
    facts = Property(list, _get_facts, notify=offerChanged)
    sections = Property(QObject, lambda self: self._sections, constant=True)
    offerUrl = Property(str, lambda self: self.page_url or "", notify=offerChanged)
    offerQr = Property(str, _get_offer_qr, notify=offerChanged)
    # Why a demo offer has no QR code (a terminal without a hub), else "".
    noPageNote = Property(str, _get_no_page, notify=offerChanged)
    canApplyHere = Property(
        bool, lambda self: bool(self._offer and self._offer.direct_apply), notify=offerChanged
    )
    hasPhoneRoute = Property(bool, lambda self: bool(self._routes()), notify=offerChanged)
    phoneRouteQr = Property(str, _get_route_qr, notify=offerChanged)
    phoneRouteLabel = Property(str, _get_route_label, notify=offerChanged)
    phoneRouteUrl = Property(
        str, lambda self: next((r.url for r in self._routes()), ""), notify=offerChanged
    )
    panel = Property(str, lambda self: self._panel.value, notify=panelChanged)
