"""schema.org JobPosting JSON-LD (Google for Jobs markup) parsed posting by posting into offers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, NamedTuple

from kiosk.domain import CONTRACT_LABELS, ApplyRoute, Offer, Requirement, WorkingTime
from kiosk.formats.common import (
    RecordError,
    Rejection,
    optional_datetime,
    parse_datetime,
    parse_number,
    place_case,
    safe_url,
    text_or_none,
)
from kiosk.geo import valid_coordinates
from kiosk.text import clean_line, fold, html_to_text, tidy

FORMAT = "jobposting"
DEFAULT_SOURCE = "jobposting"

REMOTE_PLACE = "Télétravail"
RECRUITER_SITE = "Site du recruteur"
BEGINNERS = "Débutant accepté"
THOUSANDS = "\u202f"  # narrow no-break space, as the France Travail parser writes amounts

_MAX_DEPTH = 16  # arrays and @graph nesting; deeper is not a feed
_MAX_SHORT = 200  # longer than this, a skill, sector or salary text is prose or junk
_MAX_REQUIREMENTS = 30
_MAX_SALARY = 10_000_000
_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")
_POSTCODE_IN_TEXT = re.compile(r"\b(\d{5})\b[ \t]*([^\d,;]*)")
_ROME = re.compile(r"([A-N]\d{4})\b\s*[-–:]?\s*(.*)")
_LINES = re.compile(r"[\n;•]+")
_LINES_AND_COMMAS = re.compile(r"[\n;•,]+")  # skills are keywords: "Python, Django, SQL"
_EMPLOYMENT_SPLIT = re.compile(r"[,;/|]+")
_APPRENTICESHIP = re.compile(r"\b(?:apprenti|alternan)\w*|\bprofessionnalisation\b")
_REQUIRED = re.compile(
    r"\b(?:exigee?s?|obligatoires?|indispensables?|requise?s?|required|mandatory)\b"
)
_NO_EXPERIENCE = re.compile(
    r"\bno requirements?\b|\bno experience\b|\bdebutante?s? (?:accepte|bienvenu)"
    r"|\b(?:aucune|sans) experience\b|\bexperience non (?:requise|exigee|necessaire)\b"
)

# Free French values; the France Travail codes themselves ("CDD", "MIS"…) are taken as they are.
_FRENCH_CONTRACTS = {"interim": "MIS", "saisonnier": "SAI", "cdi interimaire": "DIN"}
_SCHEMA_CONTRACTS = (("temporary", "CDD"), ("contractor", "LIB"), ("intern", "OTHER"))
_FULL_TIME = frozenset({"full time", "fulltime", "temps plein", "temps complet"})
_PART_TIME = frozenset({"part time", "parttime", "temps partiel"})
_PERIODS = dict(
    hour="de l'heure", day="par jour", week="par semaine", month="par mois", year="par an"
)
_EUROS = frozenset({"eur", "euro", "euros"})
_REQUIREMENT_FIELDS = (
    ("skills", "skills", _LINES_AND_COMMAS),
    ("qualifications", "skills", _LINES),
    ("educationRequirements", "education", _LINES),
)
_CREDENTIALS = {
    "high school": "Baccalauréat",
    "associate degree": "Bac+2",
    "bachelor degree": "Bac+3",
    "postgraduate degree": "Bac+5",
    "professional certificate": "Certificat professionnel",
}


class _Place(NamedTuple):
    label: str
    postcode: str | None = None
    latitude: float | None = None
    longitude: float | None = None


class _Contract(NamedTuple):
    code: str
    working_time: WorkingTime | None
    apprenticeship: bool


def parse(data: Any, source: str, *, cards: bool = False) -> Iterator[Offer | Rejection]:
    """One Offer or Rejection per JobPosting of a posting, an array of them or an @graph page.

    `cards` changes nothing here: a posting's details cost little to parse."""
    for node in _walk(data, depth=0, in_graph=False):
        yield node if isinstance(node, Rejection) else _parse_posting(node, source)


def _walk(node: Any, depth: int, in_graph: bool) -> Iterator[dict[str, Any] | Rejection]:
    """The postings in a payload; other @graph nodes are skipped, anything else is rejected."""
    if depth > _MAX_DEPTH:
        yield Rejection(None, "arrays nested too deeply to be a JobPosting feed")
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item, depth + 1, in_graph)
    elif isinstance(node, dict):
        graph = node.get("@graph")
        if graph is not None:
            yield from _walk(graph, depth + 1, in_graph=True)
        if _is_posting(node):
            yield node
        elif graph is None and not in_graph:
            kind = repr(node["@type"])[:40] if "@type" in node else "missing"
            yield Rejection(_external_id(node), f"@type is {kind}, not JobPosting")
    else:
        yield Rejection(None, f"expected a JobPosting object, got {type(node).__name__}")


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _is_posting(node: dict[str, Any]) -> bool:
    kinds = [k.strip() for k in _listed(node.get("@type")) if isinstance(k, str)]
    return any(re.split(r"[/:#]", kind)[-1] == "JobPosting" for kind in kinds)


def _parse_posting(posting: dict[str, Any], source: str) -> Offer | Rejection:
    external_id = _external_id(posting)
    try:
        if external_id is None:
            raise RecordError("identifier is missing (no identifier, url or @id)")
        return _offer(posting, source, external_id)
    except RecordError as exc:
        return Rejection(external_id, str(exc))


def _offer(posting: dict[str, Any], source: str, external_id: str) -> Offer:
    title = clean_line(_html_text(posting.get("title")))
    if not title:
        raise RecordError("title is missing or empty")
    posted_at = parse_datetime(posting.get("datePosted"), "datePosted")
    place = _place(posting)
    company, company_description = _company(posting.get("hiringOrganization"))
    contract = _contract(posting.get("employmentType"), title)
    experience, beginners_welcome = _experience(posting.get("experienceRequirements"))
    skills, licences, education = _requirements(posting)
    rome_code, trade = _occupation(posting.get("occupationalCategory"))
    offer_url = safe_url(posting.get("url"))
    return Offer(
        source=source,
        external_id=external_id,
        title=title,
        description=_html_text(posting.get("description")),
        posted_at=posted_at,
        place_label=place.label,
        postcode=place.postcode,
        latitude=place.latitude,
        longitude=place.longitude,
        contract_code=contract.code,
        working_time=contract.working_time,
        apprenticeship=contract.apprenticeship,
        company=company,
        company_description=company_description,
        schedule=_short(_first_text(posting.get("workHours"))),
        experience=experience,
        beginners_welcome=beginners_welcome,
        salary=_salary(posting.get("baseSalary"), posting.get("salaryCurrency")),
        skills=skills,
        licences=licences,
        education=education,
        trade=trade,
        rome_code=rome_code,
        sector=_short(_first_text(posting.get("industry"))),
        positions=_positions(posting.get("totalJobOpenings")),
        updated_at=optional_datetime(posting.get("dateModified"), "dateModified"),
        offer_url=offer_url,
        apply_routes=(ApplyRoute(offer_url, company or RECRUITER_SITE),) if offer_url else (),
        direct_apply=posting.get("directApply") is True,
        raw=posting,
    )


def _external_id(node: dict[str, Any]) -> str | None:
    """`identifier` (text, number, PropertyValue or a list of them), else `url`, else `@id`."""
    identifiers = node.get("identifier")
    for item in _listed(identifiers):
        value = item.get("value", item.get("@value")) if isinstance(item, dict) else item
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if found := text_or_none(value):
            return found
    return text_or_none(node.get("url")) or text_or_none(node.get("@id"))


def _html_text(value: Any) -> str:
    """Plain text from HTML or text, with no tag left even when the markup came escaped."""
    if not isinstance(value, str):
        return ""
    text = html_to_text(value)
    for _ in range(2):  # "&lt;p&gt;…": unescaping the first time reveals tags
        if not _TAG.search(text):
            return text
        text = html_to_text(text)
    return tidy(_TAG.sub(" ", text))


def _short(text: str | None) -> str | None:
    return text if text is not None and len(text) <= _MAX_SHORT else None


def _first_text(value: Any) -> str | None:
    """The first text of a value that may be text, a list, or named objects (DefinedTerm…)."""
    for item in _listed(value):
        found = text_or_none(item.get("name") if isinstance(item, dict) else item)
        if found:
            return found
    return None


def _positions(value: Any) -> int | None:
    number = parse_number(value)
    if number is None or not number.is_integer() or not 1 <= number <= 10_000:
        return None
    return int(number)


def _company(value: Any) -> tuple[str | None, str | None]:
    """The company name and description from a name or an Organization (or a list of them)."""
    if isinstance(value, list):
        value = next((item for item in value if isinstance(item, dict | str)), None)
    if isinstance(value, dict):
        name = clean_line(_html_text(value.get("name") or value.get("legalName")))
        return name, _html_text(value.get("description")) or None
    return clean_line(_html_text(value)), None


def _place(posting: dict[str, Any]) -> _Place:
    """The first jobLocation with a usable address, else "Télétravail" for remote jobs."""
    for location in _listed(posting.get("jobLocation")):
        place = location if isinstance(location, dict) else {"address": location}
        for address in _listed(place.get("address") or place):
            found = (
                _postal_address(address) if isinstance(address, dict) else _address_text(address)
            )
            if found is not None:
                return _Place(*found, *_coordinates(place.get("geo")))
    kinds = posting.get("jobLocationType")
    if any(isinstance(k, str) and fold(k) == "telecommute" for k in _listed(kinds)):
        return _Place(REMOTE_PLACE)
    raise RecordError(
        "jobLocation has no address with addressLocality, postalCode or addressRegion "
        "and jobLocationType is not TELECOMMUTE"
    )


def _postal_address(node: dict[str, Any]) -> tuple[str, str | None] | None:
    """(label, postcode) from a PostalAddress: the town, else the region, else the postcode."""
    locality = text_or_none(node.get("addressLocality"))
    postcode = _short(text_or_none(node.get("postalCode")))
    label = place_case(locality) if locality else text_or_none(node.get("addressRegion"))
    label = label or postcode
    return (label, postcode) if label else None


def _address_text(value: Any) -> tuple[str, str | None] | None:
    """ "12 rue de la Paix, 75002 Paris" → ("Paris", "75002"); "Lyon" → ("Lyon", None)."""
    text = clean_line(value) if isinstance(value, str) else None
    if not text:
        return None
    match = _POSTCODE_IN_TEXT.search(text)
    if match is None:
        return place_case(text), None
    town = match.group(2).strip()
    return (place_case(town) if town else match.group(1)), match.group(1)


def _coordinates(value: Any) -> tuple[float | None, float | None]:
    geo = next((item for item in _listed(value) if isinstance(item, dict)), {})
    latitude, longitude = parse_number(geo.get("latitude")), parse_number(geo.get("longitude"))
    if latitude is None or longitude is None or not valid_coordinates(latitude, longitude):
        return None, None
    return latitude, longitude


def _contract(value: Any, title: str) -> _Contract:
    """Contract code, working time and apprenticeship from employmentType and the title."""
    words = [
        word
        for item in _listed(value)
        if isinstance(item, str)
        for part in _EMPLOYMENT_SPLIT.split(item)
        if (word := fold(part))
    ]
    full = any(word in _FULL_TIME for word in words)
    part = any(word in _PART_TIME for word in words)
    working_time = None if full == part else WorkingTime.FULL if full else WorkingTime.PART
    apprenticeship = bool(_APPRENTICESHIP.search(" ".join([fold(title), *words])))
    return _Contract(_contract_code(words, apprenticeship), working_time, apprenticeship)


def _contract_code(words: list[str], apprenticeship: bool) -> str:
    for word in words:
        code = _FRENCH_CONTRACTS.get(word, word.upper())
        if code in CONTRACT_LABELS and code != "OTHER":
            return code
    for word, code in _SCHEMA_CONTRACTS:
        if word in words:
            return code
    permanent = bool(words) and all(word in _FULL_TIME | _PART_TIME for word in words)
    return "CDI" if permanent and not apprenticeship else "OTHER"


def _salary(value: Any, currency_hint: Any) -> str | None:
    """French display text of baseSalary: a number, a text, or a MonetaryAmount."""
    item = next((i for i in _listed(value) if i is not None), None)
    if isinstance(item, dict):
        inner = item.get("value")
        quantity = inner if isinstance(inner, dict) else item
        low, high = parse_number(quantity.get("minValue")), parse_number(quantity.get("maxValue"))
        if low is None and high is None:
            low = high = parse_number(quantity.get("value"))
        unit = quantity.get("unitText") or item.get("unitText")
        return _salary_text(low, high, unit, item.get("currency") or currency_hint)
    if isinstance(item, str) and parse_number(item) is None:
        return _short(clean_line(item))  # "Selon profil", "1 900 € brut mensuel": kept as written
    amount = parse_number(item)
    return _salary_text(amount, amount, None, currency_hint)


def _salary_text(low: float | None, high: float | None, unit: Any, currency: Any) -> str | None:
    symbol = _currency(currency)
    low, high = (n if n is not None and 0 < n <= _MAX_SALARY else None for n in (low, high))
    if symbol is None or (low is None and high is None):
        return None
    if low is not None and high is not None:
        low, high = min(low, high), max(low, high)
    if high is None:
        text = f"À partir de {_money(low, symbol)}"
    elif low is None:
        text = f"Jusqu'à {_money(high, symbol)}"
    elif low == high:
        text = _money(low, symbol)
    else:
        text = f"{_money(low, symbol)} à {_money(high, symbol)}"
    period = _PERIODS.get(fold(unit)) if isinstance(unit, str) else None
    return f"{text} {period}" if period else text


def _currency(value: Any) -> str | None:
    """ "€" for euros or no currency, the ISO code for another currency, None for junk."""
    code = value.strip() if isinstance(value, str) else value
    if code in (None, "", "€") or (isinstance(code, str) and fold(code) in _EUROS):
        return "€"
    return code.upper() if isinstance(code, str) and re.fullmatch(r"[A-Za-z]{3}", code) else None


def _money(amount: float | None, symbol: str) -> str:
    number = round(amount or 0.0, 2)
    if number.is_integer():
        digits = f"{int(number):,}".replace(",", THOUSANDS)
    else:
        digits = f"{number:,.2f}".replace(",", " ").replace(".", ",").replace(" ", THOUSANDS)
    return f"{digits} {symbol}"


def _experience(value: Any) -> tuple[str | None, bool]:
    """Experience text and whether beginners are welcome, from text or monthsOfExperience."""
    item = next((i for i in _listed(value) if isinstance(i, dict | str)), None)
    if isinstance(item, dict):
        months = parse_number(item.get("monthsOfExperience"))
        if months is not None and 0 <= months <= 600:
            return _months_text(round(months))
        item = item.get("description")
    text = clean_line(_html_text(item))
    if text is None:
        return None, False
    if _NO_EXPERIENCE.search(fold(text)):
        return BEGINNERS, True
    return _short(text), False


def _months_text(months: int) -> tuple[str, bool]:
    """ "6 mois", "1 an", "18 mois", "3 ans"; none at all welcomes beginners."""
    years, rest = divmod(months, 12)
    if rest or not years:
        return (f"{months} mois", False) if months else (BEGINNERS, True)
    return (f"{years} an" if years == 1 else f"{years} ans"), False


def _requirements(posting: dict[str, Any]) -> tuple[tuple[Requirement, ...], ...]:
    """(skills, licences, education): skills and qualifications are skills, educationRequirements
    and credential objects are education, and anything starting with "Permis" is a licence."""
    found: dict[str, dict[str, Requirement]] = {"skills": {}, "licences": {}, "education": {}}
    for key, kind, splitter in _REQUIREMENT_FIELDS:
        for label, credential in _requirement_labels(posting.get(key), splitter):
            _add(found, label, "education" if credential else kind)
    return tuple(tuple(requirements.values()) for requirements in found.values())


def _add(found: dict[str, dict[str, Requirement]], label: str, kind: str) -> None:
    folded = fold(label)
    bucket = found["licences" if folded.startswith("permis") else kind]
    if len(bucket) < _MAX_REQUIREMENTS:
        bucket.setdefault(folded, Requirement(label, bool(_REQUIRED.search(folded))))


def _requirement_labels(value: Any, splitter: re.Pattern[str]) -> Iterator[tuple[str, bool]]:
    """(label, is a credential) for text, lists, DefinedTerms and credential objects."""
    for item in _listed(value)[: _MAX_REQUIREMENTS * 2]:
        if isinstance(item, dict):
            label = _credential_label(item)
            if label:
                yield label, "credentialCategory" in item
        elif isinstance(item, str):
            for part in splitter.split(_html_text(item)):
                label = _short(clean_line(part.strip(" -–*·")))
                if label:
                    yield label, False


def _credential_label(node: dict[str, Any]) -> str | None:
    category = text_or_none(node.get("credentialCategory"))
    label = text_or_none(node.get("name")) or (
        _CREDENTIALS.get(fold(category), category) if category else None
    )
    return _short(clean_line(_html_text(label or node.get("description"))))


def _occupation(value: Any) -> tuple[str | None, str | None]:
    """(ROME code, trade) from occupationalCategory: "M1805 - Études et développement…"."""
    text = _first_text(value)
    if text is None:
        return None, None
    match = _ROME.fullmatch(text)
    if match:
        return match.group(1), _short(match.group(2) or None)
    return None, _short(text)
