"""schema.org JobPosting JSON-LD (Google for Jobs markup) parsed posting by posting into offers."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from typing import Any, NamedTuple
from urllib.parse import urljoin

from kiosk.domain import (
    CONTRACT_LABELS,
    QUICK_QUESTIONS,
    ApplyRoute,
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
from kiosk.text import clean_line, fold, html_to_text, tidy

FORMAT = "jobposting"
DEFAULT_SOURCE = "jobposting"

REMOTE_PLACE = "Télétravail"
RECRUITER_SITE = "Site du recruteur"
BEGINNERS = "Débutant accepté"
THOUSANDS = "\u202f"  # narrow no-break space, as the France Travail parser writes amounts

_MAX_DEPTH = 16  # arrays and @graph nesting; deeper is not a feed
_MAX_SHORT = 200  # longer than this, a skill, sector or salary text is prose or junk
_MAX_ITEM = 500  # one qualification may be a sentence
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

# Free values; the France Travail codes themselves ("CDD", "MIS"…) are taken as they are.
_FRENCH_CONTRACTS = {
    "interim": "MIS",
    "saisonnier": "SAI",
    "cdi interimaire": "DIN",
    "permanent": "CDI",
    "freelance": "LIB",
    "independant": "LIB",
}
_SCHEMA_CONTRACTS = (("temporary", "CDD"), ("contractor", "LIB"), ("intern", "OTHER"))
_FULL_TIME = frozenset({"full time", "fulltime", "temps plein", "temps complet"})
_PART_TIME = frozenset({"part time", "parttime", "temps partiel"})
_PERIODS = dict(
    hour="de l'heure", day="par jour", week="par semaine", month="par mois", year="par an"
)
# unitText as sites write it: schema.org's HOUR…YEAR, and "YEARLY", "per hour", "mensuel"…
_PERIOD_WORDS = {
    "hour": ("hour", "hourly", "hr", "heure", "horaire"),
    "day": ("day", "daily", "jour", "journalier", "journee"),
    "week": ("week", "weekly", "semaine", "hebdomadaire"),
    "month": ("month", "monthly", "mois", "mensuel"),
    "year": ("year", "yearly", "annual", "annually", "annum", "an", "annee", "annuel", "yr"),
}
_PERIOD_OF = {word: period for period, words in _PERIOD_WORDS.items() for word in words}
_CURRENCY_SIGNS = {"€": "EUR", "$": "USD", "£": "GBP"}
# A salary written as text: "45 000 € - 55 000 € par an", "$120,000 to $150,000 a year",
# "35-45k€", "À partir de 2 000 € brut / mois". Anything else is kept as written.
_AMOUNT = r"(\d{1,3}(?:[ \u00a0\u202f.,]\d{3})*(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)\s*([kK])?"
_CURRENCY = r"([€$£]|eur|euros?|usd|gbp)?"
_MONEY_TEXT = re.compile(
    r"^(?:(from|de|à partir de|a partir de|entre|jusqu'à|jusqu'a|up to)\s+)?"
    rf"([€$£])?\s*{_AMOUNT}\s*{_CURRENCY}"
    rf"(?:\s*(?:-|–|à|a|to|et|and)\s*([€$£])?\s*{_AMOUNT}\s*{_CURRENCY})?"
    r"\s*(brut|gross|net)?\s*(?:(?:/|\b(?:par|per|a|an)\b|de l')\s*)?([a-zéè]+)?"
    r"\s*(brut|gross|net)?\.?$",
    re.IGNORECASE,
)
_THOUSANDS_GROUPS = re.compile(r"\d{1,3}(?:([ .,])\d{3})+")
# @id values that name a node inside one document only: not an offer's identity.
_LOCAL_ID = re.compile(r"^(?:#|_:)")
_EUROS = frozenset({"eur", "euro", "euros"})
_REQUIREMENT_FIELDS = (
    ("skills", "skills", _LINES_AND_COMMAS),
    ("qualifications", "qualifications", _LINES),
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
    note: str | None = None


class _Contract(NamedTuple):
    code: str
    working_time: WorkingTime | None
    apprenticeship: bool


def parse(
    data: Any,
    source: str,
    *,
    cards: bool = False,
    page_url: str | None = None,
    notes: list[str] | None = None,
) -> Iterator[Offer | Rejection]:
    """One Offer or Rejection per JobPosting of a payload: a posting, an array of them (of mixed
    types), an `@graph` page, an `ItemList`, a `mainEntity` or a `{"content": …}` wrapper.

    `page_url` is the canonical URL of the HTML page the payload was read from: the URL of
    the page's posting when it is the only one and names none of its own (and so its
    identity when it has no identifier either). What was skipped (an empty block, a node
    that is not a posting) is added to `notes`. `cards` changes nothing here: a posting's
    details cost little to parse."""
    notes = [] if notes is None else notes
    skipped: list[str] = []
    found = list(_walk(data, 0, notes, skipped))
    postings = [node for node in found if not isinstance(node, Rejection)]
    if not found and skipped:
        yield Rejection(None, f"no JobPosting here, only {', '.join(dict.fromkeys(skipped))}")
        return
    for node in found:
        if isinstance(node, Rejection):
            yield node
        elif page_url and len(postings) == 1 and not text_or_none(node.get("url")):
            # The page is the posting's own: its URL becomes the posting's (its identity too
            # when it has no identifier), so that the stored record, parsed again later
            # without the page, is still the same offer with the same QR code.
            yield _parse_posting({**node, "url": page_url}, source, page_url)
        else:
            yield _parse_posting(node, source, page_url)


# Properties only a posting has: an object with a title and one of these is meant as one.
_POSTING_KEYS = ("datePosted", "hiringOrganization", "jobLocation", "employmentType")
# Properties that hold the postings of a page rather than describe it.
_CONTAINERS = ("@graph", "mainEntity", "itemListElement", "item", "content")


def _walk(
    node: Any, depth: int, notes: list[str], skipped: list[str]
) -> Iterator[dict[str, Any] | Rejection]:
    """The postings in a payload. Nodes of other types are skipped with a note; scalars where
    an object belongs, and an untyped object that looks like a posting, are rejected."""
    if depth > _MAX_DEPTH:
        yield Rejection(None, "arrays nested too deeply to be a JobPosting feed")
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item, depth + 1, notes, skipped)
    elif isinstance(node, dict):
        if _is_posting(node):
            yield node
            return
        inner = [node[key] for key in _CONTAINERS if isinstance(node.get(key), dict | list)]
        for value in inner:
            yield from _walk(value, depth + 1, notes, skipped)
        if inner:
            return
        if not node:
            notes.append("an empty JSON-LD block {} was skipped")
        elif "title" in node and any(key in node for key in _POSTING_KEYS):
            # Looks like a posting but does not say so: refused, so that the site can be told.
            kinds = [k for k in _listed(node.get("@type")) if isinstance(k, str) and k.strip()]
            kind = repr(kinds[0] if len(kinds) == 1 else kinds)[:40] if kinds else "missing"
            yield Rejection(_external_id(node, None), f"@type is {kind}, not JobPosting")
        elif "@type" in node:
            kind = ", ".join(str(k)[:40] for k in _listed(node["@type"]))
            skipped.append(kind)
            notes.append(f"a {kind} node was skipped: not a JobPosting")
    else:
        yield Rejection(None, f"expected a JobPosting object, got {type(node).__name__}")


def contains_posting(node: Any, depth: int = 0) -> bool:
    """Whether a payload holds a JobPosting anywhere a page puts one (see `_CONTAINERS`)."""
    if depth > _MAX_DEPTH:
        return False
    if isinstance(node, list):
        return any(contains_posting(item, depth + 1) for item in node)
    if not isinstance(node, dict):
        return False
    return _is_posting(node) or any(
        contains_posting(node.get(key), depth + 1) for key in _CONTAINERS if key in node
    )


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _is_posting(node: dict[str, Any]) -> bool:
    kinds = [k.strip() for k in _listed(node.get("@type")) if isinstance(k, str)]
    return any(re.split(r"[/:#]", kind)[-1] == "JobPosting" for kind in kinds)


def _parse_posting(posting: dict[str, Any], source: str, page_url: str | None) -> Offer | Rejection:
    external_id = _external_id(posting, page_url)
    try:
        return _offer(posting, source, external_id, page_url)
    except RecordError as exc:
        return Rejection(external_id, str(exc))


def _offer(
    posting: dict[str, Any], source: str, external_id: str | None, page_url: str | None
) -> Offer:
    title = clean_line(_html_text(posting.get("title")))
    if not title:
        raise RecordError("title is missing or empty")
    posted_at = parse_datetime(posting.get("datePosted"), "datePosted")
    place = _place(posting)
    company, company_description = _company(posting.get("hiringOrganization"))
    if external_id is None:
        external_id = _content_id(source, title, company, place, posting.get("datePosted"))
    contract = _contract(posting.get("employmentType"), title)
    experience, beginners_welcome = _experience(posting.get("experienceRequirements"))
    skills, licences, education, qualifications = _requirements(posting)
    rome_code, trade = _occupation(posting.get("occupationalCategory"))
    offer_url = _url(posting.get("url"), page_url)
    notes = [place.note] if place.note else []
    questions = quick_questions(posting.get("kioskQuestions"), notes)
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
        qualifications=tuple(r.label for r in qualifications),
        responsibilities=_prose(posting.get("responsibilities")),
        benefits=_prose(posting.get("jobBenefits")),
        trade=trade,
        rome_code=rome_code,
        sector=_short(_first_text(posting.get("industry"))),
        positions=_positions(posting.get("totalJobOpenings")),
        updated_at=optional_datetime(posting.get("dateModified"), "dateModified"),
        offer_url=offer_url,
        apply_routes=(ApplyRoute(offer_url, company or RECRUITER_SITE),) if offer_url else (),
        direct_apply=posting.get("directApply") is True,
        quick_questions=questions,
        raw=posting,
        notes=tuple(notes),
    )


def quick_questions(value: Any, notes: list[str]) -> tuple[str, ...]:
    """The quick questions the terminal asks (`kioskQuestions`, not schema.org: the hub writes
    the recruiter's choice there), in the terminal's order. Absent or null: all of them, as
    for any other offer; a list: the known keys in it (an empty list, or one of unknown keys
    only, asks none); anything else is not a choice, and all are asked. The hub reads the
    choice with it too, to show a recruiter only the answers their offer asked for."""
    if value is None:
        return QUICK_QUESTIONS
    if not isinstance(value, list):
        notes.append(f"kioskQuestions is not a list ({type(value).__name__}): all asked")
        return QUICK_QUESTIONS
    unknown = [str(key)[:40] for key in value if key not in QUICK_QUESTIONS]
    if unknown:
        notes.append(f"kioskQuestions: unknown questions left out: {', '.join(unknown[:5])}")
    return tuple(key for key in QUICK_QUESTIONS if key in value)


def _external_id(node: dict[str, Any], page_url: str | None) -> str | None:
    """`identifier` (text, number, PropertyValue or a list of them), else `url`, else an `@id`
    that names the posting beyond its document (not "#job" or "_:b0" without a page)."""
    identifiers = node.get("identifier")
    for item in _listed(identifiers):
        value = item.get("value", item.get("@value")) if isinstance(item, dict) else item
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if found := text_or_none(value):
            return found
    url = text_or_none(node.get("url"))
    if url:
        return urljoin(page_url, url) if page_url else url
    node_id = text_or_none(node.get("@id"))
    if node_id and _LOCAL_ID.match(node_id):
        return urljoin(page_url, node_id) if page_url and node_id.startswith("#") else None
    return node_id


def _content_id(
    source: str, title: str, company: str | None, place: _Place, date_posted: Any
) -> str:
    """A posting's identity from what it says, for postings that carry none: the same posting
    read twice gets the same id; two postings differing in any of these never share one."""
    parts = (source, title, company or "", place.label, place.postcode or "", str(date_posted))
    digest = hashlib.sha256("\x1f".join(fold(p) for p in parts).encode()).hexdigest()
    return f"jp-{digest[:24]}"


def _url(value: Any, page_url: str | None) -> str | None:
    """The posting's absolute http(s) URL; a relative one is read against the page's."""
    text = text_or_none(value) if isinstance(value, str) else None
    if text and page_url and not text.lower().startswith(("http://", "https://")):
        text = urljoin(page_url, text)
    return safe_url(text)


def _html_text(value: Any) -> str:
    """Plain text from HTML or text, with no tag left even when the markup came escaped,
    references escaped twice ("&amp;nbsp;") decoded, and literal "\\n" sequences (a site
    that escaped its line breaks twice) read as line breaks."""
    if not isinstance(value, str):
        return ""
    if "\\" in value:
        value = value.replace("\\r\\n", "\n").replace("\\n", "\n").replace("\\t", " ")
    text = html_to_text(value)
    for _ in range(3):  # "&lt;p&gt;…", "&amp;lt;p&amp;gt;…": each unescaping may reveal tags
        decoded = decode_entities(text)
        if _TAG.search(text):
            text = html_to_text(text)
        elif _TAG.search(decoded):
            text = html_to_text(decoded)
        else:
            return tidy(decoded)
    return tidy(_TAG.sub(" ", text))


def _prose(value: Any) -> str | None:
    """Text or a list of texts (responsibilities, jobBenefits) as plain text, one item a line."""
    items = [_html_text(item) for item in _listed(value) if isinstance(item, str)]
    items = [item for item in items if item]
    if len(items) > 1:
        return "\n".join(f"• {item}" for item in items)
    return items[0] if items else None


def _short(text: str | None) -> str | None:
    return text if text is not None and len(text) <= _MAX_SHORT else None


def _first_text(value: Any) -> str | None:
    """The first text of a value that may be text, a list, or named objects (DefinedTerm…)."""
    for item in _listed(value):
        raw = item.get("name") if isinstance(item, dict) else item
        found = clean_line(_html_text(raw)) if isinstance(raw, str) else text_or_none(raw)
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
    """The first jobLocation with a usable address, else "Télétravail" for remote jobs. An
    address abroad is labelled with its country and gets no coordinates (see places)."""
    for location in _listed(posting.get("jobLocation")):
        place = location if isinstance(location, dict) else {"address": location}
        for address in _listed(place.get("address") or place):
            found = (
                _postal_address(address) if isinstance(address, dict) else _address_text(address)
            )
            if found is None:
                continue
            label, postcode = found
            country = places.country_code(
                address.get("addressCountry") if isinstance(address, dict) else None
            )
            if not places.is_home(country) and country:
                label = f"{label} ({places.country_name(country)})"
            latitude, longitude, note = places.position(*_coordinates(place.get("geo")), country)
            return _Place(label, postcode, latitude, longitude, note)
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
    """GeoCoordinates as numbers or text ("48.85", "48,85"); None, None when incomplete."""
    geo = next((item for item in _listed(value) if isinstance(item, dict)), {})
    latitude, longitude = parse_number(geo.get("latitude")), parse_number(geo.get("longitude"))
    if latitude is None or longitude is None:
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
        unit = quantity.get("unitText") or item.get("unitText")
        currency = item.get("currency") or currency_hint
        low, high = _amount(quantity.get("minValue")), _amount(quantity.get("maxValue"))
        if low is None and high is None:
            text = quantity.get("value")
            if isinstance(text, str) and _amount(text) is None:
                return _free_salary(text, currency, unit)
            low = high = _amount(text)
        return _salary_text(low, high, unit, currency)
    if isinstance(item, str) and _amount(item) is None:
        return _free_salary(item, currency_hint, None)
    amount = _amount(item)
    return _salary_text(amount, amount, None, currency_hint)


def _period_key(unit: Any) -> str | None:
    """ "hour", "day", "week", "month" or "year" from a unitText or a written period."""
    if not isinstance(unit, str):
        return None
    words = fold(unit).split()
    while len(words) > 1 and words[0] in ("per", "par", "a", "an", "by", "de", "l"):
        words.pop(0)
    return _PERIOD_OF.get(" ".join(words))


def _amount(value: Any) -> float | None:
    """An amount from a number or text: "45000", "45 000", "45,000" and "45.000" (groups of
    three are thousands in money), "1880,71", "2 500,50 €", "45k"."""
    if not isinstance(value, str):
        return parse_number(value)
    text = value.strip().strip("€$£").strip()
    factor = 1000 if text[-1:] in ("k", "K") else 1
    text = text.rstrip("kK").strip()
    grouped = _THOUSANDS_GROUPS.fullmatch(text)
    if grouped:
        text = text.replace(grouped.group(1), "")
    elif re.fullmatch(r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+[.,]\d{1,2}", text):
        text = re.sub(r"[ \u00a0\u202f]", "", text)
    number = parse_number(text)
    return number * factor if number is not None else None


def _free_salary(text: str, currency: Any, unit: Any) -> str | None:
    """A salary written as text: read when it is one amount or a range with a currency and a
    period ("45 000 € - 55 000 € par an", "$120,000 to $150,000 a year"), else kept as written
    ("Selon profil")."""
    line = clean_line(_html_text(text))
    if line is None:
        return None
    match = _MONEY_TEXT.match(line)
    if match:
        bound, sign1, low_text, k1, cur1, sign2, high_text, k2, cur2, *rest = match.groups()
        gross_net, period, after = rest
        codes = {
            _CURRENCY_SIGNS.get(s) or ("EUR" if fold(s).startswith("eur") else s.upper())
            for s in (sign1, cur1, sign2, cur2)
            if s
        }
        period_key = _period_key(period)
        if len(codes) == 1 and (period is None or period_key):
            # "35-45k€": the k of the upper bound counts for the lower one too.
            low = _amount(low_text + ((k1 or k2 or "") if high_text else (k1 or "")))
            high = _amount(high_text + (k2 or "")) if high_text else low
            lower_bound = fold(bound or "") in ("from", "a partir de")
            if not high_text and lower_bound:  # "À partir de 2 000 €"
                high = None
            elif not high_text and fold(bound or "") in ("jusqu a", "up to"):  # "Up to $90,000"
                low = None
            found = _salary_text(low, high, period_key or unit, codes.pop(), gross_net or after)
            if found:
                return found
    return _short(line)


def _salary_text(
    low: float | None, high: float | None, unit: Any, currency: Any, gross_net: str | None = None
) -> str | None:
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
    if gross_net:
        text += " net" if fold(gross_net) == "net" else " brut"
    period = _PERIODS.get(_period_key(unit) or "")
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
    """(skills, licences, education, qualifications): educationRequirements and credential
    objects are education, and anything starting with "Permis" is a licence."""
    found: dict[str, dict[str, Requirement]] = {
        "skills": {},
        "licences": {},
        "education": {},
        "qualifications": {},
    }
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
                label = clean_line(part.strip(" -–*·"))
                label = label if label and len(label) <= _MAX_ITEM else None
                if splitter is not _LINES:
                    label = _short(label)
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
