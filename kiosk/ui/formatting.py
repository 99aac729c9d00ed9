"""Offer data as the words a screen shows, in the current language: distances, ages, contracts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDate, QLocale, Qt

from kiosk.domain import DurationUnit, WorkingTime

# Short contract names as a card shows them, by France Travail code (see kiosk.domain).
# (str() because PySide's stub types QT_TRANSLATE_NOOP as returning object.)
_CONTRACT_NAMES = {
    "CDI": QT_TRANSLATE_NOOP("OfferText", "Permanent"),
    "CDD": QT_TRANSLATE_NOOP("OfferText", "Fixed-term"),
    "MIS": QT_TRANSLATE_NOOP("OfferText", "Temporary (agency)"),
    "SAI": QT_TRANSLATE_NOOP("OfferText", "Seasonal"),
    "CCE": QT_TRANSLATE_NOOP("OfferText", "Commercial agent"),
    "FRA": QT_TRANSLATE_NOOP("OfferText", "Franchise"),
    "LIB": QT_TRANSLATE_NOOP("OfferText", "Self-employed"),
    "REP": QT_TRANSLATE_NOOP("OfferText", "Business takeover"),
    "TTI": QT_TRANSLATE_NOOP("OfferText", "Temporary (integration)"),
    "DDI": QT_TRANSLATE_NOOP("OfferText", "Fixed-term (integration)"),
    "DIN": QT_TRANSLATE_NOOP("OfferText", "Permanent agency worker"),
    "OTHER": QT_TRANSLATE_NOOP("OfferText", "Other contract"),
}
CONTRACT_NAMES: dict[str, str] = {code: str(name) for code, name in _CONTRACT_NAMES.items()}
APPRENTICESHIP = str(QT_TRANSLATE_NOOP("OfferText", "Apprenticeship"))  # and no other contract

# Unicode directional isolates (UAX #9): a run in a given direction that its neighbours do
# not reorder.
LRI = "\u2066"  # left-to-right isolate
RLI = "\u2067"  # right-to-left isolate
PDI = "\u2069"  # pop directional isolate


def _duration(duration: int, unit: DurationUnit) -> str:
    # One literal per unit so that lupdate sees every plural form.
    if unit is DurationUnit.DAY:
        return QCoreApplication.translate("OfferText", "%n day(s)", None, duration)
    if unit is DurationUnit.WEEK:
        return QCoreApplication.translate("OfferText", "%n week(s)", None, duration)
    if unit is DurationUnit.MONTH:
        return QCoreApplication.translate("OfferText", "%n month(s)", None, duration)
    return QCoreApplication.translate("OfferText", "%n year(s)", None, duration)


class OfferFormatter:
    """Turns offer fields into display text with the current translator and locale.

    `clock` gives "now" (timezone-aware) for the age of an offer; the locale follows the
    language the passer-by chose (LanguageController sets it).
    """

    def __init__(
        self, locale: QLocale | None = None, clock: Callable[[], datetime] | None = None
    ) -> None:
        self.locale = locale or QLocale(QLocale.Language.French, QLocale.Country.France)
        self._clock = clock or (lambda: datetime.now(UTC))

    def number(self, value: int) -> str:
        """An integer with the locale's digit grouping: "12 345", "12,345"."""
        return self.locale.toString(value)

    def measure(self, text: str) -> str:
        """A number with its unit as one run in the locale's direction. In a right-to-left
        language the pair is isolated (RLI … PDI): beside a place name in Latin letters
        ("PARIS 12 · 450 م") the bidi algorithm would otherwise join the figure to the Latin
        run and leave the unit at the far end."""
        if self.locale.textDirection() == Qt.LayoutDirection.RightToLeft:
            return f"{RLI}{text}{PDI}"
        return text

    def distance(self, km: float | None) -> str:
        """ "850 m", "1,2 km", "23 km"; empty when the offer has no position."""
        if km is None:
            return ""
        if km < 1:
            metres = max(50, round(km * 1000 / 50) * 50)
            return self.measure(
                QCoreApplication.translate("OfferText", "%1 m").replace(
                    "%1", self.locale.toString(metres)
                )
            )
        value = self.locale.toString(km, "f", 1) if km < 10 else self.locale.toString(round(km))
        return self.measure(QCoreApplication.translate("OfferText", "%1 km").replace("%1", value))

    def radius(self, km: int) -> str:
        """A whole number of kilometres: "5 km"."""
        return self.measure(
            QCoreApplication.translate("OfferText", "%1 km").replace("%1", self.locale.toString(km))
        )

    def posted(self, posted_at: datetime) -> str:
        """How long ago an offer was posted, by calendar day in the terminal's time zone."""
        today = self._clock().astimezone().date()
        days = (today - posted_at.astimezone().date()).days
        if days <= 0:
            return QCoreApplication.translate("OfferText", "Posted today")
        if days == 1:
            return QCoreApplication.translate("OfferText", "Posted yesterday")
        if days < 14:
            return QCoreApplication.translate("OfferText", "Posted %n day(s) ago", None, days)
        if days < 60:
            return QCoreApplication.translate("OfferText", "Posted %n week(s) ago", None, days // 7)
        return QCoreApplication.translate("OfferText", "Posted %n month(s) ago", None, days // 30)

    def posted_on(self, posted_at: datetime) -> str:
        """The date an offer was posted: "Posted on 18 November 2026"."""
        local = posted_at.astimezone().date()
        day = self.locale.toString(QDate(local.year, local.month, local.day), "d MMMM yyyy")
        return QCoreApplication.translate("OfferText", "Posted on %1").replace("%1", day)

    @staticmethod
    def contract(
        code: str,
        duration: int | None = None,
        unit: DurationUnit | None = None,
        apprenticeship: bool = False,
    ) -> str:
        """ "Fixed-term 6 months", "CDD 6 mois", with ", apprenticeship" when it is one; an
        apprenticeship of no other named contract is just that ("Alternance", not "Autre
        contrat, alternance")."""
        alone = apprenticeship and CONTRACT_NAMES.get(code) in (None, CONTRACT_NAMES["OTHER"])
        name = QCoreApplication.translate(
            "OfferText",
            APPRENTICESHIP if alone else CONTRACT_NAMES.get(code, CONTRACT_NAMES["OTHER"]),
        )
        if duration is not None and unit is not None:
            name = (
                QCoreApplication.translate("OfferText", "%1 %2", "contract name, duration")
                .replace("%1", name)
                .replace("%2", _duration(duration, unit))
            )
        if apprenticeship and not alone:
            name = QCoreApplication.translate("OfferText", "%1, apprenticeship").replace("%1", name)
        return name

    @staticmethod
    def working_time(value: WorkingTime | None) -> str:
        """ "Full time", "Part time", or empty when the offer does not say."""
        if value is WorkingTime.FULL:
            return QCoreApplication.translate("OfferText", "Full time")
        if value is WorkingTime.PART:
            return QCoreApplication.translate("OfferText", "Part time")
        return ""

    @staticmethod
    def company(name: str | None) -> str:
        """The company's name, or the words for an offer that does not name it."""
        return name or QCoreApplication.translate("OfferText", "Company not disclosed")

    @staticmethod
    def offers(count: int) -> str:
        """ "1 offer", "12 345 offers" (the figure grouped by the current locale)."""
        return QCoreApplication.translate("OfferText", "%Ln offer(s)", None, count)
