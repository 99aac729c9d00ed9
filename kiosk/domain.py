"""The domain: one normalised job offer, whatever format it came from, and its vocabularies."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


class WorkingTime(enum.StrEnum):
    """Full or part time, when the offer says."""

    FULL = "full"
    PART = "part"


class DurationUnit(enum.StrEnum):
    """Unit of a fixed-term contract's duration."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


# France Travail `typeContrat` codes with their French labels (the referentiel `typesContrats`).
# The short label is what a card shows; the long one is what the detail screen spells out.
CONTRACT_LABELS: dict[str, tuple[str, str]] = {
    "CDI": ("CDI", "Contrat à durée indéterminée"),
    "CDD": ("CDD", "Contrat à durée déterminée"),
    "MIS": ("Intérim", "Mission intérimaire"),
    "SAI": ("Saisonnier", "Contrat travail saisonnier"),
    "CCE": ("Commercial", "Profession commerciale"),
    "FRA": ("Franchise", "Franchise"),
    "LIB": ("Libéral", "Profession libérale"),
    "REP": ("Reprise", "Reprise d'entreprise"),
    "TTI": ("Insertion", "Contrat travail temporaire insertion"),
    "DDI": ("CDD insertion", "Contrat durée déterminée insertion"),
    "DIN": ("CDI intérimaire", "CDI Intérimaire"),
    "OTHER": ("Autre contrat", "Autre type de contrat"),
}

# The contract chips offered on screen, in this order; everything else counts as "OTHER" there.
CONTRACT_FILTER_CODES: tuple[str, ...] = ("CDI", "CDD", "MIS", "SAI")

# The optional quick questions of the terminal's apply form, in the order it asks them (their
# answers: kiosk.applications.QUESTIONS). An offer may ask only some of them (`quick_questions`).
QUICK_QUESTIONS: tuple[str, ...] = ("available_now", "experience", "driving_licence")

_UNIT_WORDS_FR: dict[DurationUnit, tuple[str, str]] = {
    DurationUnit.DAY: ("jour", "jours"),
    DurationUnit.WEEK: ("semaine", "semaines"),
    DurationUnit.MONTH: ("mois", "mois"),
    DurationUnit.YEAR: ("an", "ans"),
}


def contract_label(code: str, duration: int | None = None, unit: DurationUnit | None = None) -> str:
    """The short French label of a contract with its duration: "CDD 6 mois", "Intérim 21 jours"."""
    short = CONTRACT_LABELS.get(code, CONTRACT_LABELS["OTHER"])[0]
    if duration is None or unit is None:
        return short
    singular, plural = _UNIT_WORDS_FR[unit]
    return f"{short} {duration} {singular if duration == 1 else plural}"


@dataclass(frozen=True, slots=True)
class ApplyRoute:
    """A way to apply that leaves the kiosk: a URL shown as a QR code."""

    url: str
    label: str  # who is behind the URL: "France Travail", a partner site, the recruiter


@dataclass(frozen=True, slots=True)
class Requirement:
    """A skill, licence, language or training the offer asks for, and whether it is required."""

    label: str
    required: bool


@dataclass(frozen=True, slots=True)
class Offer:
    """A job offer normalised from any source format (France Travail v2, schema.org JobPosting)."""

    source: str
    external_id: str
    title: str
    description: str  # plain text, paragraphs separated by blank lines
    posted_at: datetime  # timezone-aware, UTC
    place_label: str  # "Annecy", "Paris 13e", "Nouvelle-Aquitaine": never empty
    contract_code: str  # a key of CONTRACT_LABELS
    company: str | None = None
    company_description: str | None = None
    postcode: str | None = None
    commune_code: str | None = None  # INSEE code of the commune
    latitude: float | None = None
    longitude: float | None = None
    contract_duration: int | None = None
    contract_duration_unit: DurationUnit | None = None
    working_time: WorkingTime | None = None
    schedule: str | None = None  # "35H/semaine, travail en journée"
    apprenticeship: bool = False
    experience: str | None = None  # "Débutant accepté", "2 ans"
    beginners_welcome: bool = False
    salary: str | None = None
    skills: tuple[Requirement, ...] = ()
    licences: tuple[Requirement, ...] = ()
    languages: tuple[Requirement, ...] = ()
    education: tuple[Requirement, ...] = ()
    qualifications: tuple[str, ...] = ()  # what the candidate should bring, one item each
    responsibilities: str | None = None  # the missions, when the source lists them apart
    benefits: str | None = None  # what the employer offers besides the salary
    trade: str | None = None  # the trade ("appellation") or ROME label
    rome_code: str | None = None
    sector: str | None = None
    positions: int | None = None
    accessible_disabled: bool = False
    updated_at: datetime | None = None
    offer_url: str | None = None  # the public page of the offer, for the QR code
    apply_routes: tuple[ApplyRoute, ...] = ()
    partner: ApplyRoute | None = None  # the partner site a France Travail offer comes from
    direct_apply: bool = False  # the kiosk may take the application itself (through the hub)
    # The quick questions the apply form asks, a subset of QUICK_QUESTIONS in its order: the
    # recruiter's choice on a posted offer (JobPosting `kioskQuestions`), else all of them.
    quick_questions: tuple[str, ...] = QUICK_QUESTIONS
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    # What the parser repaired or left out of the record ("coordinates outside France: kept
    # without a distance"), for the import report; never shown to a passer-by.
    notes: tuple[str, ...] = field(default=(), compare=False)

    @property
    def contract_label(self) -> str:
        """Short French label with the duration, e.g. "CDD 6 mois"."""
        return contract_label(
            self.contract_code, self.contract_duration, self.contract_duration_unit
        )

    @property
    def located(self) -> bool:
        """Whether the offer has coordinates (and so a distance from the terminal)."""
        return self.latitude is not None and self.longitude is not None
