"""Offer text in French, English and Arabic: distances, ages, contracts, counts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from kiosk.domain import DurationUnit, WorkingTime
from kiosk.i18n import translations_dir
from kiosk.ui.formatting import OfferFormatter
from kiosk.ui.language import LanguageController

NOW = datetime(2026, 11, 21, 15, 0, tzinfo=UTC)


@pytest.fixture
def formatter() -> OfferFormatter:
    return OfferFormatter(clock=lambda: NOW)


@pytest.fixture
def language(qapp: Any, formatter: OfferFormatter) -> Iterator[LanguageController]:
    controller = LanguageController(["fr", "en", "ar"], "fr", translations_dir(), formatter)
    yield controller
    controller.unload()


def test_french_by_default(language: LanguageController, formatter: OfferFormatter) -> None:
    assert language.language == "fr"
    assert formatter.distance(1.234) == "1,2 km"
    assert formatter.distance(0.43) == "450 m"
    assert formatter.distance(23.6) == "24 km"
    assert formatter.distance(None) == ""
    assert formatter.radius(5) == "5 km"  # no isolate in a left-to-right language
    assert formatter.contract("CDI") == "CDI"
    assert formatter.contract("CDD", 6, DurationUnit.MONTH) == "CDD 6 mois"
    assert formatter.contract("MIS", 1, DurationUnit.DAY) == "Intérim 1 jour"
    assert formatter.contract("CDD", 2, DurationUnit.YEAR, apprenticeship=True) == (
        "CDD 2 ans, alternance"
    )
    assert formatter.contract("XYZ") == "Autre contrat"
    # A posted apprenticeship names no other contract: it is just that.
    assert formatter.contract("OTHER", apprenticeship=True) == "Alternance"
    assert formatter.contract("OTHER", 2, DurationUnit.YEAR, apprenticeship=True) == (
        "Alternance 2 ans"
    )
    assert formatter.working_time(WorkingTime.PART) == "Temps partiel"
    assert formatter.working_time(None) == ""
    assert formatter.company(None) == "Entreprise non communiquée"
    assert formatter.offers(1) == "1 offre"
    assert formatter.offers(12345) == "12\u202f345 offres"


def test_french_ages(language: LanguageController, formatter: OfferFormatter) -> None:
    def ago(days: int) -> str:
        return formatter.posted(datetime.fromtimestamp(NOW.timestamp() - days * 86400, UTC))

    assert ago(0) == "Publiée aujourd’hui"
    assert ago(1) == "Publiée hier"
    assert ago(3) == "Publiée il y a 3 jours"
    assert ago(14) == "Publiée il y a 2 semaines"
    assert ago(90) == "Publiée il y a 3 mois"
    assert formatter.posted_on(NOW) == "Publiée le 21 novembre 2026"


def test_english(language: LanguageController, formatter: OfferFormatter) -> None:
    language.setLanguage("en")
    assert formatter.distance(1.234) == "1.2 km"
    assert formatter.contract("CDD", 6, DurationUnit.MONTH) == "Fixed-term 6 months"
    assert formatter.contract("CDD", 1, DurationUnit.MONTH) == "Fixed-term 1 month"
    assert formatter.company(None) == "Company not disclosed"
    assert formatter.offers(1) == "1 offer"
    assert formatter.offers(2000) == "2,000 offers"
    assert formatter.posted(datetime(2026, 11, 18, 9, tzinfo=UTC)) == "Posted 3 days ago"


def test_arabic(language: LanguageController, formatter: OfferFormatter) -> None:
    language.setLanguage("ar")
    assert language.rightToLeft
    # Number and unit as one right-to-left run, isolated from a place name in Latin letters
    # beside it ("PARIS 12 · 450 م" would otherwise show the unit at the far end).
    assert formatter.distance(1.234) == "\u20671,2 كم\u2069"
    assert formatter.distance(0.43) == "\u2067450 م\u2069"
    assert formatter.radius(5) == "\u20675 كم\u2069"
    assert formatter.contract("CDD", 6, DurationUnit.MONTH) == "عقد محدّد المدة لمدة 6 أشهر"
    assert formatter.offers(1) == "عرض واحد"
    assert formatter.offers(2) == "عرضان"
    assert formatter.offers(5) == "5 عروض"
    assert formatter.offers(60) == "60 عرضًا"
