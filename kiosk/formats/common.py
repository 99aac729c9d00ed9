"""Pieces shared by the offer parsers: rejections, dates, numbers, URLs, place names."""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

_HTTP_URL = re.compile(r"(?i)https?://[^\s/?#@]+(?:[/?#]\S*)?\Z")
# Only complete references ("&amp;", "&#39;", "&#x27;"): html.unescape alone also decodes
# legacy names without ";" and would turn "Q&notation" into "Q¬ation".
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


@dataclass(frozen=True, slots=True)
class Rejection:
    """A record that could not become an offer, with the reason in plain words."""

    external_id: str | None
    reason: str


class RecordError(ValueError):
    """Raised inside a parser for a record that must be rejected; the message is the reason."""


def parse_datetime(value: Any, field: str) -> datetime:
    """An aware UTC datetime from ISO 8601 text: a date, or a date-time with optional
    fraction and offset ("2025-08-04T18:00:50.137Z", "2024-06-01", "2024-06-01T08:00:00+02:00").
    """
    if not isinstance(value, str) or not value.strip():
        raise RecordError(f"{field} is missing or not text")
    text = value.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return datetime(day.year, day.month, day.day, tzinfo=UTC)
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        return parsed.astimezone(UTC)
    except (ValueError, OverflowError) as exc:  # "9999-12-31T23:59:59-05:00" overflows
        raise RecordError(f"{field} is not an ISO 8601 date: {text[:40]!r}") from exc


def optional_datetime(value: Any, field: str) -> datetime | None:
    """Like parse_datetime, but None when absent or unreadable (used for secondary dates)."""
    if value in (None, ""):
        return None
    try:
        return parse_datetime(value, field)
    except RecordError:
        return None


def parse_number(value: Any) -> float | None:
    """A finite float from a JSON number or from text with a '.' or ',' decimal separator."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        try:
            number = float(value)
        except OverflowError:  # a JSON integer with hundreds of digits
            return None
    elif isinstance(value, str):
        text = value.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def safe_url(value: Any) -> str | None:
    """The URL if it is an absolute http(s) URL without spaces, else None (no `javascript:`)."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    if not _HTTP_URL.match(url) or len(url) > 2048:
        return None
    return url


def decode_entities(text: str) -> str:
    """Text with its HTML character references decoded ("&amp;" → "&", "&#39;" and "&apos;" →
    "'", "&nbsp;" → a no-break space), twice when a site escaped them twice ("&amp;nbsp;")."""
    for _ in range(2):
        if "&" not in text or not _ENTITY.search(text):
            break
        text = _ENTITY.sub(lambda match: html.unescape(match.group(0)), text)
    return text


def text_or_none(value: Any) -> str | None:
    """Stripped text, or None for missing, empty or non-text values."""
    if isinstance(value, str):
        stripped = " ".join(value.split())
        return stripped or None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


_SMALL_WORDS = frozenset(
    {"de", "du", "des", "la", "le", "les", "sur", "sous", "en", "et", "aux", "au", "lès"}
)
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?", re.UNICODE)


_ARTICLES = frozenset({"LE", "LA", "LES", "L"})
_ARRONDISSEMENT = re.compile(r"^(PARIS|LYON|MARSEILLE) 0?(\d{1,2})(?:E|EME|ER)?$")


def _spelled_out(name: str) -> str:
    """France Travail writes commune names in capitals with spaces for hyphens and "ST" for
    "Saint" ("ST GERMAIN EN LAYE", "LES SABLES D OLONNE"): hyphenate them back the way French
    commune names are written, keeping a leading article apart ("Les Sables-d'Olonne")."""
    if match := _ARRONDISSEMENT.match(name):
        city, number = match.groups()
        return f"{city} {number}{'ER' if number == '1' else 'E'}"
    words = name.replace("'", "' ").split()
    words = {"ST": ["SAINT"], "STE": ["SAINTE"]}.get(words[0], [words[0]]) + words[1:]
    words = [{"ST": "SAINT", "STE": "SAINTE"}.get(w, w) for w in words]
    head = []
    if len(words) > 1 and words[0].rstrip("'") in _ARTICLES:
        head = [words.pop(0)]
    joined = "-".join(words).replace("'-", "'").replace("-D-", "-D'")
    if head:
        article = "L'" if head[0] == "L" else head[0]
        return article + ("" if article.endswith("'") else " ") + joined
    return joined


def place_case(name: str) -> str:
    """French place names out of upper case: "SAINT-DENIS-SUR-SARTHON" → "Saint-Denis-sur-Sarthon",
    "L'ISLE-D'ABEAU" → "L'Isle-d'Abeau", "ST GERMAIN EN LAYE" → "Saint-Germain-en-Laye",
    "PARIS 05" → "Paris 5e". Mixed-case input is kept as it is.
    """
    if name != name.upper():
        return name
    if "-" not in name and " " in name.strip() and not any(ch.isdigit() for ch in name[:-3]):
        name = _spelled_out(" ".join(name.split()))
    elif match := _ARRONDISSEMENT.match(" ".join(name.split())):
        name = _spelled_out(match.group(0))
    position = 0

    def fix(match: re.Match[str]) -> str:
        nonlocal position
        word = match.group(0).lower()
        first = position == 0
        position += 1
        if "'" in word:
            head, tail = word.split("'", 1)
            if head in {"d", "l"}:
                return (head.upper() if first else head) + "'" + tail.capitalize()
        if word in _SMALL_WORDS and not first:
            return word
        if word in {"er", "e"} and not first:
            return word
        return word.capitalize()

    return _WORD.sub(fix, name)
