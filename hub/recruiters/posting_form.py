"""The offer form of a recruiter: what it asks, how each answer is checked (French messages
by field), and the schema.org JobPosting record it becomes."""

from __future__ import annotations

import html
import math
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from hub.recruiters.geocode import Place
from hub.recruiters.rome import normal_code
from kiosk.applications import QUESTIONS, display_phone
from kiosk.text import clean_line

POSTED_SOURCE = "posted"
APPLY_PREFIX = "Pour postuler :"  # the description's last paragraph: the terminal shows it

TITLE_MAX = 120
PLACE_MAX = 200
DESCRIPTION_MAX = 6000
EMAIL_MAX = 254

# The contract choices, in the vocabulary of kiosk.domain.CONTRACT_LABELS (and "ALT" for an
# apprenticeship, which the JobPosting parser reads from the word "alternance").
CONTRACTS: dict[str, str] = {
    "CDI": "CDI",
    "CDD": "CDD",
    "MIS": "Intérim",
    "SAI": "Saisonnier",
    "ALT": "Alternance (apprentissage ou professionnalisation)",
    "OTHER": "Autre contrat",
}
_EMPLOYMENT_TYPE = {"CDI": "CDI", "CDD": "CDD", "MIS": "MIS", "SAI": "SAI", "ALT": "alternance"}
WORKING_TIMES: dict[str, str] = {"full": "Temps plein", "part": "Temps partiel"}
_WORKING_TIME_TYPE = {"full": "FULL_TIME", "part": "PART_TIME"}
PERIODS: dict[str, str] = {"hour": "de l’heure", "month": "par mois", "year": "par an"}
_PERIOD_UNIT = {"hour": "HOUR", "month": "MONTH", "year": "YEAR"}
# The quick questions of the terminal's apply form (kiosk.applications.QUESTIONS), in French.
QUESTION_LABELS: dict[str, str] = {
    "available_now": "Disponible tout de suite ?",
    "experience": "Expérience dans ce métier ?",
    "driving_licence": "Permis de conduire ?",
}
assert set(QUESTION_LABELS) == set(QUESTIONS), "one label per quick question of the terminal"

_EMAIL = re.compile(r"^[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+\.[^@\s<>()\[\],;:\".]{2,}$")
_NUMBER = re.compile(r"\d+(?:[.,]\d{1,2})?")
_UNUSABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class OfferForm:
    """What the recruiter typed and chose, as text (kept as typed, shown back on errors)."""

    title: str = ""
    rome: str = ""  # the ROME code chosen in the search (or typed when the list is empty)
    contract: str = ""
    working_time: str = ""
    weekly_hours: str = ""
    place: str = ""
    salary_min: str = ""
    salary_max: str = ""
    salary_period: str = ""
    description: str = ""
    questions: tuple[str, ...] = ()
    apply_terminal: bool = False
    apply_phone: str = ""
    apply_email: str = ""

    def as_json(self) -> dict[str, Any]:
        """The form as stored in posted_offers.form."""
        values = asdict(self)
        values["questions"] = list(self.questions)
        return values

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> OfferForm:
        """A stored form (unknown keys ignored, missing ones empty)."""
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        known["questions"] = tuple(str(q) for q in known.get("questions", ()))
        return cls(**known)


@dataclass(slots=True)
class Checked:
    """A form after its checks: the errors by field, and the values read from it."""

    errors: dict[str, str] = field(default_factory=dict)
    rome_code: str | None = None
    weekly_hours: float | None = None
    salary: tuple[float | None, float | None] = (None, None)
    phone: str | None = None  # as people read it: "01 23 45 67 89"
    email: str | None = None


def _amount(text: str) -> float | None:
    """A positive amount typed the French way ("1 800", "11,65", "35"); None if it is not."""
    compact = re.sub(r"[\s\u00a0\u202f€]", "", text)
    if not _NUMBER.fullmatch(compact):
        return None
    value = float(compact.replace(",", "."))
    return value if math.isfinite(value) and value > 0 else None


def _text_error(value: str, maximum: int, required: str | None) -> str | None:
    if not value.strip():
        return required
    if len(value) > maximum:
        return f"Trop long : {maximum} caractères au plus."
    if _UNUSABLE.search(value):
        return "Ce texte contient un caractère invisible : effacez-le et tapez-le à nouveau."
    return None


def check(form: OfferForm, rome_known: bool) -> Checked:
    """Every field's checks but the place's (the address search does it). `rome_known`:
    whether the trade list holds the chosen code (when it is empty, a valid code typed by
    hand is taken)."""
    checked = Checked()
    errors = checked.errors
    for name, maximum, message in (
        (
            "title",
            TITLE_MAX,
            "Donnez un intitulé au poste, par exemple « Vendeur en boulangerie ».",
        ),
        ("place", PLACE_MAX, "Indiquez l’adresse du lieu de travail, ou au moins la commune."),
        ("description", DESCRIPTION_MAX, "Décrivez le poste en quelques phrases."),
    ):
        if (error := _text_error(getattr(form, name), maximum, message)) is not None:
            errors[name] = error
    code = normal_code(form.rome) if form.rome.strip() else None
    if not form.rome.strip():
        errors["rome"] = "Choisissez le métier dans la liste (cherchez-le par un mot ou son code)."
    elif code is None:
        errors["rome"] = "Un code ROME est une lettre et quatre chiffres, par exemple G1602."
    elif not rome_known:
        errors["rome"] = "Ce code n’est pas dans la liste des métiers : cherchez le métier."
    checked.rome_code = code
    if form.contract not in CONTRACTS:
        errors["contract"] = "Choisissez le type de contrat."
    if form.working_time not in WORKING_TIMES:
        errors["working_time"] = "Choisissez temps plein ou temps partiel."
    if form.weekly_hours.strip():
        hours = _amount(form.weekly_hours)
        if hours is None or not 1 <= hours <= 60:
            errors["weekly_hours"] = (
                "Un nombre d’heures par semaine, entre 1 et 60 (par exemple 35)."
            )
        checked.weekly_hours = hours
    _check_salary(form, checked)
    unknown = [q for q in form.questions if q not in QUESTIONS]
    if unknown:
        errors["questions"] = "Choisissez parmi les questions proposées."
    _check_apply(form, checked)
    return checked


def _check_salary(form: OfferForm, checked: Checked) -> None:
    errors = checked.errors
    low_text, high_text = form.salary_min.strip(), form.salary_max.strip()
    low = _amount(low_text) if low_text else None
    high = _amount(high_text) if high_text else None
    if low_text and (low is None or low > 10_000_000):
        errors["salary_min"] = "Un montant en euros, par exemple 1 800 ou 11,65."
    if high_text and (high is None or high > 10_000_000):
        errors["salary_max"] = "Un montant en euros, par exemple 2 100 ou 12,50."
    if low is not None and high is not None and low > high:
        errors["salary_max"] = "Le maximum doit être supérieur ou égal au minimum."
    if (low_text or high_text) and form.salary_period not in PERIODS:
        errors["salary_period"] = "Précisez si le salaire est de l’heure, par mois ou par an."
    if form.salary_period and form.salary_period not in PERIODS:
        errors["salary_period"] = "Précisez si le salaire est de l’heure, par mois ou par an."
    checked.salary = (low, high)


def _check_apply(form: OfferForm, checked: Checked) -> None:
    errors = checked.errors
    phone_text, email_text = form.apply_phone.strip(), form.apply_email.strip()
    if phone_text:
        checked.phone = display_phone(phone_text)
        if checked.phone is None:
            errors["apply_phone"] = "Ce numéro ne semble pas juste. Exemple : 01 23 45 67 89."
    if email_text:
        if len(email_text) > EMAIL_MAX or not _EMAIL.match(email_text):
            errors["apply_email"] = (
                "Cette adresse ne semble pas juste. Exemple : recrutement@exemple.fr."
            )
        else:
            checked.email = email_text
    if not (form.apply_terminal or phone_text or email_text):
        errors["apply"] = (
            "Choisissez au moins une façon de recevoir les candidatures : sur la borne, "
            "par téléphone ou par e-mail."
        )


def _description_html(form: OfferForm, checked: Checked) -> str:
    """The description as HTML paragraphs (what was typed is text: escaped), ending with how
    to apply by phone or e-mail when the recruiter gives them."""
    paragraphs = [
        "<br>".join(html.escape(line.strip()) for line in block.strip().splitlines())
        for block in re.split(r"\n\s*\n", form.description.replace("\r\n", "\n"))
        if block.strip()
    ]
    ways = []
    if checked.phone:
        ways.append(f"par téléphone au {checked.phone}")
    if checked.email:
        ways.append(f"par e-mail à {checked.email}")
    if ways:
        paragraphs.append(html.escape(f"{APPLY_PREFIX} {', ou '.join(ways)}."))
    return "".join(f"<p>{p}</p>" for p in paragraphs)


def _iso(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _work_hours(form: OfferForm, checked: Checked) -> str | None:
    if checked.weekly_hours is None:
        return None
    hours = checked.weekly_hours
    amount = f"{hours:g}".replace(".", ",")
    return f"{amount} h par semaine"


def job_posting(
    form: OfferForm,
    checked: Checked,
    place: Place,
    *,
    external_id: str,
    organisation: str,
    trade: str | None,
    url: str,
    posted_at: int,
    updated_at: int,
) -> dict[str, Any]:
    """The schema.org JobPosting a checked form becomes (the parser reads it back)."""
    employment = [_EMPLOYMENT_TYPE.get(form.contract, "OTHER")]
    employment.append(_WORKING_TIME_TYPE[form.working_time])
    address: dict[str, Any] = {
        "@type": "PostalAddress",
        "addressLocality": place.city,
        "addressCountry": "FR",
    }
    if place.postcode:
        address["postalCode"] = place.postcode
    if place.street:
        address["streetAddress"] = place.street
    record: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "identifier": {"@type": "PropertyValue", "name": organisation, "value": external_id},
        "title": clean_line(form.title) or "",
        "description": _description_html(form, checked),
        "datePosted": _iso(posted_at),
        "dateModified": _iso(updated_at),
        "url": url,
        "hiringOrganization": {"@type": "Organization", "name": organisation},
        "employmentType": employment,
        "jobLocation": {
            "@type": "Place",
            "address": address,
            "geo": {
                "@type": "GeoCoordinates",
                "latitude": place.latitude,
                "longitude": place.longitude,
            },
        },
        "occupationalCategory": (
            f"{checked.rome_code} - {trade}" if trade else checked.rome_code or ""
        ),
        "directApply": form.apply_terminal,
        # Not schema.org: the quick questions of the terminal's apply form to ask.
        "kioskQuestions": [q for q in QUESTIONS if q in form.questions],
    }
    if hours := _work_hours(form, checked):
        record["workHours"] = hours
    low, high = checked.salary
    if low is not None or high is not None:
        value: dict[str, Any] = {
            "@type": "QuantitativeValue",
            "unitText": _PERIOD_UNIT[form.salary_period],
        }
        if low is not None:
            value["minValue"] = low
        if high is not None:
            value["maxValue"] = high
        record["baseSalary"] = {"@type": "MonetaryAmount", "currency": "EUR", "value": value}
    contact: dict[str, Any] = {}
    if checked.phone:
        contact["telephone"] = checked.phone
    if checked.email:
        contact["email"] = checked.email
    if contact:
        record["applicationContact"] = {"@type": "ContactPoint", **contact}
    return record


# Which field a parser's refusal is about, from the JobPosting property it names.
_REJECTED_FIELDS = (
    ("title", "title"),
    ("jobLocation", "place"),
    ("employmentType", "contract"),
    ("description", "description"),
    ("baseSalary", "salary_min"),
)


def rejection_field(reason: str) -> str:
    """The form field a parser's refusal names ("" for the form as a whole)."""
    for word, name in _REJECTED_FIELDS:
        if word in reason:
            return name
    return ""
