"""France Travail "Offres d'emploi v2": search envelopes, bare arrays and single offers."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from kiosk.domain import (
    CONTRACT_LABELS,
    ApplyRoute,
    DurationUnit,
    Offer,
    Requirement,
    WorkingTime,
)
from kiosk.formats import places
from kiosk.formats.common import (
    RecordError,
    Rejection,
    decode_entities,
    optional_datetime,
    parse_datetime,
    parse_number,
    place_case,
    safe_url,
    text_or_none,
)
from kiosk.text import html_to_text, tidy

FORMAT = "francetravail"
DEFAULT_SOURCE = "francetravail"
OFFER_PAGE = "https://candidat.francetravail.fr/offres/recherche/detail/{id}"

_DURATION = re.compile(r"-\s*(\d{1,4})\s*(mois|jour|semaine|an)", re.IGNORECASE)
_UNITS = {
    "mois": DurationUnit.MONTH,
    "jour": DurationUnit.DAY,
    "semaine": DurationUnit.WEEK,
    "an": DurationUnit.YEAR,
}
_DEPT_PREFIX = re.compile(r"^\s*(\d[\dAB]{1,2})\s*-\s*(.+)$")
_APPRENTICESHIP = ("apprentissage", "professionnalisation")
_EXPERIENCE_YEARS = re.compile(r"(\d+)\s*An\(s\)", re.IGNORECASE)
# "Autre" is a salary for another period than those three (a mission, a season): the amount
# is shown without a period. "à" was once sent mis-encoded ("ï¿½", U+FFFD).
_SALARY = re.compile(
    r"^(Horaire|Mensuel|Annuel|Autre|Cachet)\s+de\s+([\d.,\s]+)\s*Euros"
    r"(?:\s+(?:à|ï¿½|\ufffd)\s+([\d.,\s]+)\s*Euros)?(?:\s+sur\s+([\d.,]+)\s*mois)?",
    re.IGNORECASE,
)
_SALARY_PERIODS = {
    "horaire": "de l'heure",
    "mensuel": "par mois",
    "annuel": "par an",
    "autre": "",
    "cachet": "par cachet",
}
# Tags that mark a description as HTML (a few partner offers); a lone "<" in text is not one.
_HTML_TAG = re.compile(r"</?(?:p|br|ul|ol|li|b|strong|i|em|div|span|h[1-6]|a)\b[^>]*>", re.I)
# Partner sites by the code France Travail gives them, as they write their own name.
PARTNER_NAMES = {
    "DIRECTEMPLOI": "Direct Emploi",
    "METEOJOB": "Meteojob",
    "HANDICAP_JOB": "Handicap Job",
    "BROADBEAN": "Broadbean",
    "SOFTY": "Softy",
    "INDEED": "Indeed",
    "BEETWEEN": "Beetween",
    "WE_RECRUIT": "We Recruit",
    "TALENTPLUG": "Talentplug",
    "APECITA": "Apecita",
    "AEROCONTACT": "Aerocontact",
    "HELLOWORK": "HelloWork",
    "CADREMPLOI": "Cadremploi",
    "JOBIJOBA": "Jobijoba",
    "APEC": "Apec",
    "MONSTER": "Monster",
    "CAREERBUILDER": "CareerBuilder",
    "JOBTEASER": "JobTeaser",
    "STUDENTJOB": "StudentJob",
}


def parse(data: Any, source: str, *, cards: bool = False) -> Iterator[Offer | Rejection]:
    """Offers from a search envelope (`resultats`), a bare array, or one offer object.

    With `cards`, only what the offers cache stores besides the raw record is parsed (the
    card, the search words, the filters): the description, salary, requirements and the other
    details stay empty, and the detail screen parses the raw record again. A record is
    accepted or refused exactly as without `cards`: only fields that never refuse a record
    are skipped. It parses three times faster, which matters for 100,000 offers.
    """
    if isinstance(data, dict) and "resultats" in data:
        records = data["resultats"]
        if not isinstance(records, list):
            yield Rejection(None, "'resultats' is not an array")
            return
    elif isinstance(data, list):
        records = data
    else:
        records = [data]
    for record in records:
        yield parse_record(record, source, cards=cards)


def parse_record(record: Any, source: str, *, cards: bool = False) -> Offer | Rejection:
    """One offer, or the reason it cannot be one."""
    if not isinstance(record, dict):
        return Rejection(None, f"record is a {type(record).__name__}, not an object")
    external_id = text_or_none(record.get("id"))
    try:
        if external_id is None:
            raise RecordError("id is missing")
        if len(external_id) > 64:
            raise RecordError("id is longer than 64 characters")
        return _offer(record, external_id, source, cards)
    except RecordError as exc:
        return Rejection(external_id, str(exc))


def _text(value: Any) -> str | None:
    """Like text_or_none, with HTML character references decoded ("&amp;", "&#39;", "&apos;")."""
    text = text_or_none(value)
    return decode_entities(text) if text is not None and "&" in text else text


def _description(value: Any) -> str:
    """A description as plain text: entities decoded, and the tags of the few partner offers
    sent as HTML turned into paragraphs and bullets."""
    if not isinstance(value, str):
        return ""
    if _HTML_TAG.search(value):
        return html_to_text(value)
    return tidy(decode_entities(value) if "&" in value else value)


def partner_name(code: str) -> str:
    """A partner site's name from France Travail's code: "DIRECTEMPLOI" → "Direct Emploi",
    an unknown "NOUVEAU_SITE" → "Nouveau Site"."""
    known = PARTNER_NAMES.get(code.strip().upper())
    if known:
        return known
    if code.isupper() or "_" in code:
        return " ".join(word.capitalize() for word in code.replace("_", " ").split())
    return code.strip()


def _obj(record: dict[str, Any], key: str) -> dict[str, Any]:
    value = record.get(key)
    return value if isinstance(value, dict) else {}


def _offer(record: dict[str, Any], external_id: str, source: str, cards: bool = False) -> Offer:
    title = _text(record.get("intitule"))
    if title is None:
        raise RecordError("intitule (title) is missing")
    contract_code = text_or_none(record.get("typeContrat"))
    if contract_code is None:
        raise RecordError("typeContrat is missing")
    place = _obj(record, "lieuTravail")
    place_label = _place_label(text_or_none(place.get("libelle")))
    if place_label is None:
        raise RecordError("lieuTravail.libelle is missing")
    latitude, longitude, place_note = _coordinates(place, text_or_none(place.get("libelle")))
    company = _obj(record, "entreprise")
    contact = _obj(record, "contact")
    origin = _obj(record, "origineOffre")
    nature = (text_or_none(record.get("natureContrat")) or "").lower()
    contract_label = text_or_none(record.get("typeContratLibelle")) or ""
    duration, unit = _duration(contract_label)
    company_name = _text(company.get("nom"))
    routes, direct = _apply_routes(external_id, contact, origin, company_name)
    partner = _partner(origin, external_id)
    card = Offer(
        source=source,
        external_id=external_id,
        title=title,
        description="",
        posted_at=parse_datetime(record.get("dateCreation"), "dateCreation"),
        updated_at=optional_datetime(record.get("dateActualisation"), "dateActualisation"),
        place_label=place_label,
        postcode=text_or_none(place.get("codePostal")),
        commune_code=text_or_none(place.get("commune")),
        latitude=latitude,
        longitude=longitude,
        contract_code=contract_code.upper()
        if contract_code.upper() in CONTRACT_LABELS
        else "OTHER",
        contract_duration=duration,
        contract_duration_unit=unit,
        working_time=_working_time(record),
        apprenticeship=record.get("alternance") is True
        or any(w in nature for w in _APPRENTICESHIP),
        company=company_name,
        trade=_text(record.get("appellationlibelle")) or _text(record.get("romeLibelle")),
        rome_code=text_or_none(record.get("romeCode")),  # its family is a filter (kiosk.trades)
        accessible_disabled=record.get("accessibleTH") is True,
        apply_routes=routes,
        partner=partner,
        direct_apply=direct,
        raw=record,
        notes=(place_note,) if place_note else (),
    )
    if cards:
        return card
    # None of the details below ever refuses a record (see `parse`, `cards`).
    description = record.get("description")
    return replace(
        card,
        description=_description(description),
        schedule=_schedule(record),
        experience=_experience(_text(record.get("experienceLibelle"))),
        beginners_welcome=record.get("experienceExige") == "D",
        salary=_salary(_obj(record, "salaire")),
        skills=_requirements(record.get("competences")),
        licences=_requirements(record.get("permis")),
        languages=_requirements(record.get("langues")),
        education=_education(record.get("formations")),
        company_description=_long_text(company.get("description")),
        sector=_text(record.get("secteurActiviteLibelle")),
        positions=_positive_int(record.get("nombrePostes")),
        offer_url=safe_url(origin.get("urlOrigine")) or OFFER_PAGE.format(id=external_id),
    )


@functools.lru_cache(maxsize=4096)  # a few hundred places per département: parsed once each
def _place_label(libelle: str | None) -> str | None:
    """ "74 - ANNECY" → "Annecy (74)"; "75 - Paris (Dept.)" → "Paris (75)"; regions unchanged."""
    if libelle is None:
        return None
    match = _DEPT_PREFIX.match(libelle)
    if not match:
        return place_case(libelle)
    dept, name = match.groups()
    name = name.replace("(Dept.)", "").strip()
    return f"{place_case(name)} ({dept})" if name else dept


def _coordinates(place: dict[str, Any], libelle: str | None) -> places.Position:
    """The place's coordinates when they can be a place in France (see places.position): an
    offer abroad ("99 - Suisse", "Suisse": département 99 is abroad) is kept without a
    distance."""
    latitude = parse_number(place.get("latitude"))
    longitude = parse_number(place.get("longitude"))
    if latitude is None or longitude is None:
        return places.Position(None, None)
    country = None
    if libelle:
        match = _DEPT_PREFIX.match(libelle)
        if match is None or match.group(1) == "99":
            name = match.group(2) if match else libelle
            country = places.country_code(name) or (places.ABROAD if match else None)
    return places.position(latitude, longitude, country)


def _duration(label: str) -> tuple[int | None, DurationUnit | None]:
    match = _DURATION.search(label)
    if not match:
        return None, None
    value = int(match.group(1))
    return (value, _UNITS[match.group(2).lower()]) if value > 0 else (None, None)


def _working_time(record: dict[str, Any]) -> WorkingTime | None:
    for key in ("dureeTravailLibelleConverti", "complementExercice", "dureeTravailLibelle"):
        value = (text_or_none(record.get(key)) or "").lower()
        if "temps plein" in value:
            return WorkingTime.FULL
        if "temps partiel" in value:
            return WorkingTime.PART
    return None


def _schedule(record: dict[str, Any]) -> str | None:
    lines: list[str] = []
    duration = record.get("dureeTravailLibelle")
    if isinstance(duration, str):
        lines.extend(part.strip().rstrip(".").strip() for part in duration.split("\n"))
    context = _obj(record, "contexteTravail")
    for key in ("horaires", "conditionsExercice"):
        values = context.get(key)
        if isinstance(values, list):
            lines.extend(v.strip() for v in values if isinstance(v, str))
    seen: list[str] = []
    for line in lines:
        if line and line.lower() not in (s.lower() for s in seen):
            seen.append(line)
    return "\n".join(seen) or None


def _experience(label: str | None) -> str | None:
    if label is None:
        return None

    def years(match: re.Match[str]) -> str:
        count = int(match.group(1))
        return f"{count} an" if count == 1 else f"{count} ans"

    return _EXPERIENCE_YEARS.sub(years, label).replace(" Mois", " mois")


def _french_number(text: str) -> str | None:
    number = parse_number(text)
    if number is None:
        return None
    if number == int(number):
        whole = f"{int(number):,}".replace(",", "\u202f")
        return whole
    return f"{number:,.2f}".replace(",", "\u202f").replace(".", ",")


def _salary(salary: dict[str, Any]) -> str | None:
    parts: list[str] = []
    label = text_or_none(salary.get("libelle"))
    if label:
        parts.append(_salary_label(label))
    comment = _text(salary.get("commentaire"))
    if comment:
        parts.append(comment)
    extras = [_text(salary.get(key)) for key in ("complement1", "complement2")]
    complements = salary.get("listeComplements")
    if isinstance(complements, list):
        extras.extend(_text(c.get("libelle")) for c in complements if isinstance(c, dict))
    unique_extras = list(dict.fromkeys(e for e in extras if e))
    if unique_extras:
        parts.append(", ".join(unique_extras))
    return "\n".join(parts) or None


def _salary_label(label: str) -> str:
    """ "Mensuel de 1801.8 Euros à 1890.0 Euros sur 12.0 mois" → "1 801,80 € à 1 890 € par mois"."""
    match = _SALARY.match(label)
    if not match:
        return label
    period, low_text, high_text, months_text = match.groups()
    low = _french_number(low_text)
    high = _french_number(high_text) if high_text else None
    if low is None:
        return label
    amount = f"{low} €" if high is None or high == low else f"{low} € à {high} €"
    text = f"{amount} {_SALARY_PERIODS[period.lower()]}".strip()
    months = parse_number(months_text) if months_text else None
    if months and period.lower() == "mensuel" and months > 12:
        text += f" sur {_french_number(str(months))} mois"
    return text


def _requirements(items: Any) -> tuple[Requirement, ...]:
    if not isinstance(items, list):
        return ()
    result: list[Requirement] = []
    for item in items:
        if isinstance(item, dict) and (label := _text(item.get("libelle"))):
            result.append(Requirement(label, item.get("exigence") == "E"))
    return tuple(result)


def _education(items: Any) -> tuple[Requirement, ...]:
    if not isinstance(items, list):
        return ()
    result: list[Requirement] = []
    for item in items:
        if not isinstance(item, dict):
            continue
        level = _text(item.get("niveauLibelle"))
        domain = _text(item.get("domaineLibelle"))
        label = " — ".join(p for p in (level, domain) if p)
        if label:
            result.append(Requirement(label, item.get("exigence") == "E"))
    return tuple(result)


def _long_text(value: Any) -> str | None:
    return _description(value) or None


def _positive_int(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value) if 0 < value < 10_000 else None


def _apply_routes(
    external_id: str, contact: dict[str, Any], origin: dict[str, Any], company: str | None
) -> tuple[tuple[ApplyRoute, ...], bool]:
    """Ways to apply, best first, and whether the kiosk may take the application itself.

    The kiosk takes applications (forwarded by the hub) for France Travail's own offers
    (`origine` "1") whose recruiter named no site of its own; offers that point to a recruiter's
    or partner's site are applied to there, through the QR code.
    """
    routes: list[ApplyRoute] = []
    if url := safe_url(contact.get("urlPostulation")):
        routes.append(ApplyRoute(url, company or "Site du recruteur"))
    partners = origin.get("partenaires")
    if isinstance(partners, list):
        for partner in partners:
            if isinstance(partner, dict) and (url := safe_url(partner.get("url"))):
                name = text_or_none(partner.get("nom"))
                routes.append(ApplyRoute(url, partner_name(name) if name else "Site partenaire"))
    if url := safe_url(contact.get("urlRecruteur")):
        routes.append(ApplyRoute(url, company or "Site du recruteur"))
    own_site = bool(routes)
    page = safe_url(origin.get("urlOrigine")) or OFFER_PAGE.format(id=external_id)
    routes.append(ApplyRoute(page, "France Travail"))
    unique = tuple(dict.fromkeys(routes))
    return unique, origin.get("origine") in ("1", 1) and not own_site


def _partner(origin: dict[str, Any], external_id: str) -> ApplyRoute | None:
    """The partner site a partner offer (`origine` "2") comes from: its name, and its page of
    the offer (else the offer's France Travail page)."""
    partners = origin.get("partenaires")
    for partner in partners if isinstance(partners, list) else ():
        name = text_or_none(partner.get("nom")) if isinstance(partner, dict) else None
        if name:
            page = safe_url(origin.get("urlOrigine")) or OFFER_PAGE.format(id=external_id)
            return ApplyRoute(safe_url(partner.get("url")) or page, partner_name(name))
    return None
