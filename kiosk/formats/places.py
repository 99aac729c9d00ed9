"""Where an offer is: its country, and whether its coordinates can be right for it.

A terminal stands in France (its offers are France Travail's and French employers'): an offer
abroad is shown with its country and no distance, and coordinates that cannot be those of a
place in France (0,0, swapped latitude and longitude, a US office) are not used for one.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from kiosk.formats.common import text_or_none
from kiosk.geo import valid_coordinates
from kiosk.text import fold

HOME_COUNTRY = "FR"
ABROAD = "??"  # a country that is not France, not named in a way we know

# France, its overseas départements and collectivities whose offers France Travail carries:
# (south, north, west, east) in degrees, generous by a few kilometres.
_FRANCE_BOXES = (
    (41.2, 51.2, -5.3, 9.7),  # metropolitan France and Corsica
    (15.8, 18.2, -63.2, -60.9),  # Guadeloupe, Saint-Martin, Saint-Barthélemy
    (14.3, 14.95, -61.3, -60.7),  # Martinique
    (2.0, 5.9, -54.7, -51.5),  # Guyane
    (-21.45, -20.85, 55.2, 55.9),  # La Réunion
    (-13.05, -12.6, 44.9, 45.35),  # Mayotte
    (46.7, 47.2, -56.5, -56.1),  # Saint-Pierre-et-Miquelon
    (-22.8, -19.5, 163.5, 168.2),  # Nouvelle-Calédonie
)

# ISO 3166 codes that are France for a terminal (overseas départements and collectivities).
_FRENCH_CODES = frozenset({"FR", "FRA", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF", "NC"})

# Countries seen in postings, by ISO 3166-1 alpha-2 code, with their French names (what the
# place label shows). Unknown codes are shown as they are.
COUNTRY_NAMES = {
    "FR": "France",
    "BE": "Belgique",
    "CH": "Suisse",
    "LU": "Luxembourg",
    "MC": "Monaco",
    "DE": "Allemagne",
    "ES": "Espagne",
    "IT": "Italie",
    "PT": "Portugal",
    "NL": "Pays-Bas",
    "GB": "Royaume-Uni",
    "IE": "Irlande",
    "US": "États-Unis",
    "CA": "Canada",
    "MA": "Maroc",
    "DZ": "Algérie",
    "TN": "Tunisie",
    "PL": "Pologne",
    "IN": "Inde",
}
_ALPHA3 = {"FRA": "FR", "USA": "US", "GBR": "GB", "DEU": "DE", "BEL": "BE", "CHE": "CH"}
_NAMES = {fold(name): code for code, name in COUNTRY_NAMES.items()} | {
    "united states": "US",
    "united states of america": "US",
    "united kingdom": "GB",
    "uk": "GB",
    "germany": "DE",
    "spain": "ES",
    "italy": "IT",
    "belgium": "BE",
    "switzerland": "CH",
    "netherlands": "NL",
    "ireland": "IE",
    "morocco": "MA",
    "algeria": "DZ",
    "tunisia": "TN",
    "poland": "PL",
    "india": "IN",
}


class Position(NamedTuple):
    """Coordinates kept for an offer (None, None when none can be trusted) and why not."""

    latitude: float | None
    longitude: float | None
    note: str | None = None


def country_code(value: Any) -> str | None:
    """ISO 3166-1 alpha-2 code from "FR", "FRA", "France", "États-Unis" or a `Country` object
    (whose `name` or `identifier` holds one of those); None when it says nothing known."""
    if isinstance(value, list):
        value = next((item for item in value if item), None)
    if isinstance(value, dict):
        value = value.get("name") or value.get("identifier") or value.get("alternateName")
    text = text_or_none(value)
    if text is None or isinstance(value, int | float):
        return None
    if len(text) == 2 and text.isalpha():
        code = text.upper()
        return "GB" if code == "UK" else code
    if len(text) == 3 and text.isalpha() and text.isupper():
        return _ALPHA3.get(text, "FR" if text in _FRENCH_CODES else None)
    return _NAMES.get(fold(text))


def is_home(code: str | None) -> bool:
    """Whether a country code is the terminal's country (None: not said, taken as home)."""
    return code is None or code in _FRENCH_CODES


def country_name(code: str) -> str:
    """The French name of a country code, or the code itself."""
    return COUNTRY_NAMES.get(code, code)


def in_france(latitude: float, longitude: float) -> bool:
    """Whether a point lies in France (metropolitan or overseas), roughly."""
    return any(s <= latitude <= n and w <= longitude <= e for s, n, w, e in _FRANCE_BOXES)


def position(latitude: float | None, longitude: float | None, country: str | None) -> Position:
    """The coordinates to keep for an offer in `country` (None: not said), and a note when
    they are dropped or repaired. An offer abroad gets no distance from a French terminal;
    coordinates outside France for an offer in France are swapped back when that puts them
    in France (latitude and longitude exchanged, a common slip), else dropped."""
    if latitude is None or longitude is None:
        return Position(None, None)
    if not valid_coordinates(latitude, longitude):
        return Position(None, None, f"coordinates {latitude}, {longitude} are not a place: ignored")
    if not is_home(country):
        where = "" if country == ABROAD else f" ({country_name(country or '')})"
        note = f"offer abroad{where}: kept without a distance"
        return Position(None, None, note)
    if in_france(latitude, longitude):
        return Position(latitude, longitude)
    if in_france(longitude, latitude):
        note = f"latitude and longitude were swapped ({latitude}, {longitude}): put back"
        return Position(longitude, latitude, note)
    note = f"coordinates {latitude}, {longitude} are outside France: kept without a distance"
    return Position(None, None, note)
