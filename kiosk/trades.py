"""Trade families: the 14 families of France Travail's ROME (A–N), and which one an offer is in.

A France Travail offer says it with the first letter of its `romeCode`. A JobPosting says it,
when it does, in `occupationalCategory`: a ROME code, a US O*NET-SOC code ("53-3032.00") or an
ISCO-08 code said to be one ("ISCO-08 8322", or a CategoryCode whose `inCodeSet` names ISCO),
whose major group maps to the nearest family. Otherwise words of the title decide, and an
offer nothing places is in "other". The names shown on screen are translated by the UI
(kiosk.ui.trade_tiles); the ones here are for logs and the command line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from kiosk.text import fold

OTHER = "other"


@dataclass(frozen=True, slots=True)
class Family:
    """One family of the ROME: its letter and its French name."""

    code: str  # "A" … "N", or OTHER
    name: str


FAMILIES: tuple[Family, ...] = (
    Family("A", "Agriculture et pêche, espaces naturels et espaces verts, soins aux animaux"),
    Family("B", "Arts et façonnage d'ouvrages d'art"),
    Family("C", "Banque, assurance, immobilier"),
    Family("D", "Commerce, vente et grande distribution"),
    Family("E", "Communication, média et multimédia"),
    Family("F", "Construction, bâtiment et travaux publics"),
    Family("G", "Hôtellerie-restauration, tourisme, loisirs et animation"),
    Family("H", "Industrie"),
    Family("I", "Installation et maintenance"),
    Family("J", "Santé"),
    Family("K", "Services à la personne et à la collectivité"),
    Family("L", "Spectacle"),
    Family("M", "Support à l'entreprise"),
    Family("N", "Transport et logistique"),
    Family(OTHER, "Autres métiers"),
)
CODES: tuple[str, ...] = tuple(family.code for family in FAMILIES)
# The family's number in offers.facets (bits 7–10): 0 is "other", so a row written before
# families existed reads as "other" until it is classified.
_NUMBER = {code: number for number, code in enumerate((OTHER, *CODES[:-1]))}
CODE_OF_NUMBER: tuple[str, ...] = (OTHER, *CODES[:-1])

_ROME = re.compile(r"\s*([A-Na-n])\s?(\d{4})\b")
# O*NET-SOC / SOC 2018: "53-3032.00", "53-3032", "533032".
_SOC = re.compile(r"\s*(\d{2})-?\d{4}(?:\.\d{2})?\b")
# SOC major groups → the ROME family most of their jobs are in.
_SOC_MAJOR = {
    "11": "M",  # management
    "13": "M",  # business and financial operations
    "15": "M",  # computer and mathematical
    "17": "H",  # architecture and engineering
    "19": "H",  # life, physical and social science
    "21": "K",  # community and social service
    "23": "K",  # legal
    "25": "K",  # educational instruction and library
    "27": "E",  # arts, design, entertainment, sports and media
    "29": "J",  # healthcare practitioners and technical
    "31": "J",  # healthcare support
    "33": "K",  # protective service
    "35": "G",  # food preparation and serving
    "37": "K",  # building and grounds cleaning and maintenance
    "39": "K",  # personal care and service
    "41": "D",  # sales and related
    "43": "M",  # office and administrative support
    "45": "A",  # farming, fishing and forestry
    "47": "F",  # construction and extraction
    "49": "I",  # installation, maintenance and repair
    "51": "H",  # production
    "53": "N",  # transportation and material moving
}

# ISCO-08 sub-major groups → the ROME family most of their jobs are in.
_ISCO_SUB_MAJOR = {
    "11": "M", "12": "M", "13": "H", "14": "G",
    "21": "H", "22": "J", "23": "K", "24": "M", "25": "M", "26": "K",
    "31": "H", "32": "J", "33": "M", "34": "K", "35": "M",
    "41": "M", "42": "M", "43": "M", "44": "M",
    "51": "G", "52": "D", "53": "K", "54": "K",
    "61": "A", "62": "A", "63": "A",
    "71": "F", "72": "H", "73": "B", "74": "I", "75": "H",
    "81": "H", "82": "H", "83": "N",
    "91": "K", "92": "A", "93": "H", "94": "G", "95": "D", "96": "K",
}  # fmt: skip
_ISCO = re.compile(r"\s*ISCO(?:[- ]?08)?\s*[:\-]?\s*(\d{2})\d{0,2}\b", re.IGNORECASE)

# Words of a title (folded: lower case, no accents) that place an offer, most specific first:
# "conducteur de travaux" is building, "conducteur de bus" transport, "conducteur de ligne"
# industry. A word matches at the start of a word of the title ("serv" does not match
# "conserverie"); the French and English words of the commonest trades.
_TITLE_WORDS: tuple[tuple[str, str], ...] = (
    ("conducteur de travaux", "F"),
    ("chef de chantier", "F"),
    ("conducteur de ligne", "H"),
    ("conducteur d engins", "F"),
    ("conducteur de machine", "H"),
    ("preparateur de commandes", "N"),
    ("preparateur en pharmacie", "J"),
    ("agent d entretien", "K"),
    ("agent de proprete", "K"),
    ("agent de securite", "K"),
    ("agent de surveillance", "K"),
    ("agent immobilier", "C"),
    ("agent d accueil", "M"),
    ("aide a domicile", "K"),
    ("aide soignant", "J"),
    ("auxiliaire de vie", "K"),
    ("garde d enfants", "K"),
    ("technicien de maintenance", "I"),
    ("conseiller bancaire", "C"),
    ("conseiller clientele bancaire", "C"),
    ("software engineer", "M"),
    ("customer service", "D"),
    ("warehouse", "N"),
    # Single words.
    ("chauffeur", "N"),
    ("driver", "N"),
    ("livreur", "N"),
    ("courier", "N"),
    ("cariste", "N"),
    ("magasinier", "N"),
    ("manutentionnaire", "N"),
    ("logisti", "N"),
    ("conducteur", "N"),
    ("demenageur", "N"),
    ("serveur", "G"),
    ("serveuse", "G"),
    ("waiter", "G"),
    ("waitress", "G"),
    ("cuisinier", "G"),
    ("cook", "G"),
    ("chef de cuisine", "G"),
    ("commis", "G"),
    ("plongeur", "G"),
    ("barman", "G"),
    ("barista", "G"),
    ("bartender", "G"),
    ("receptionniste", "G"),
    ("hotel", "G"),
    ("animateur", "G"),
    ("restauration", "G"),
    ("vendeur", "D"),
    ("vendeuse", "D"),
    ("caissier", "D"),
    ("caissiere", "D"),
    ("cashier", "D"),
    ("boulanger", "D"),
    ("boucher", "D"),
    ("poissonnier", "D"),
    ("coiffeur", "D"),
    ("coiffeuse", "D"),
    ("estheticien", "D"),
    ("employe de libre service", "D"),
    ("teleconseiller", "D"),
    ("commercial", "D"),
    ("sales", "D"),
    ("retail", "D"),
    ("infirmier", "J"),
    ("nurse", "J"),
    ("medecin", "J"),
    ("pharmacien", "J"),
    ("ambulancier", "J"),
    ("kinesitherapeute", "J"),
    ("sage femme", "J"),
    ("auxiliaire de puericulture", "J"),
    ("nettoyage", "K"),
    ("proprete", "K"),
    ("cleaner", "K"),
    ("educateur", "K"),
    ("enseignant", "K"),
    ("formateur", "K"),
    ("teacher", "K"),
    ("securite", "K"),
    ("macon", "F"),
    ("electricien", "F"),
    ("electrician", "F"),
    ("plombier", "F"),
    ("plumber", "F"),
    ("peintre en batiment", "F"),
    ("couvreur", "F"),
    ("menuisier", "F"),
    ("carreleur", "F"),
    ("charpentier", "F"),
    ("btp", "F"),
    ("comptable", "M"),
    ("accountant", "M"),
    ("secretaire", "M"),
    ("assistant administratif", "M"),
    ("assistante administrative", "M"),
    ("ressources humaines", "M"),
    ("developpeur", "M"),
    ("developer", "M"),
    ("informaticien", "M"),
    ("administrateur systeme", "M"),
    ("data", "M"),
    ("operateur de production", "H"),
    ("ouvrier de production", "H"),
    ("soudeur", "H"),
    ("usineur", "H"),
    ("tourneur", "H"),
    ("fraiseur", "H"),
    ("welder", "H"),
    ("mecanicien", "I"),
    ("mechanic", "I"),
    ("maintenance", "I"),
    ("jardinier", "A"),
    ("paysagiste", "A"),
    ("agricole", "A"),
    ("maraich", "A"),
    ("viticol", "A"),
    ("vendangeur", "A"),
    ("horticult", "A"),
    ("bucheron", "A"),
    ("banque", "C"),
    ("assurance", "C"),
    ("immobilier", "C"),
    ("journaliste", "E"),
    ("graphiste", "E"),
    ("community manager", "E"),
    ("comedien", "L"),
    ("regisseur", "L"),
    ("technicien son", "L"),
    ("ebeniste", "B"),
    ("bijoutier", "B"),
    ("luthier", "B"),
    ("ceramiste", "B"),
)
_TITLE_PATTERN = re.compile(
    "|".join(rf"(?P<w{i}>\b{re.escape(word)})" for i, (word, _family) in enumerate(_TITLE_WORDS))
)


def occupation_text(value: Any) -> str | None:
    """The text of a JobPosting's `occupationalCategory`: a string, a CategoryCode or
    DefinedTerm (its `codeValue`, else its `name`), or the first of a list of them."""
    for item in value if isinstance(value, list) else [value]:
        text = (
            item.get("codeValue") or item.get("termCode") or item.get("name")
            if isinstance(item, dict)
            else item
        )
        if isinstance(text, str | int) and str(text).strip():
            code_set = item.get("inCodeSet") if isinstance(item, dict) else None
            if isinstance(code_set, dict):
                code_set = code_set.get("name") or code_set.get("@id")
            if isinstance(code_set, str) and "isco" in code_set.casefold():
                return f"ISCO {str(text).strip()}"  # a bare number says nothing by itself
            return str(text).strip()
    return None


def family_number(code: str) -> int:
    """The number of a family in offers.facets."""
    return _NUMBER[code]


def rome_number(code: str | None) -> int:
    """A ROME code ("D1501", "d1501", "M1811 - …") as a number for offers.facets, 0 when it
    is not one: the letter's rank from 1 (A) times 10,000, plus the four digits."""
    match = _ROME.match(code) if code else None
    if match is None:
        return 0
    return (ord(match.group(1).upper()) - ord("A") + 1) * 10_000 + int(match.group(2))


def rome_code(number: int) -> str | None:
    """The ROME code of a `rome_number` ("D1501"), None for 0 or what is not one."""
    letter, digits = divmod(number, 10_000)
    return f"{chr(ord('A') + letter - 1)}{digits:04d}" if 1 <= letter <= 14 else None


def from_rome(code: str | None) -> str | None:
    """The family of a ROME code ("N4105", "n4105", "M1811 - …"), or None when it is not one."""
    if not code:
        return None
    match = _ROME.match(code)
    return match.group(1).upper() if match else None


def from_soc(code: str | None) -> str | None:
    """The family nearest to an O*NET-SOC code's major group ("53-3032.00" → N), or None."""
    if not code:
        return None
    match = _SOC.match(code)
    return _SOC_MAJOR.get(match.group(1)) if match else None


def from_isco(code: str | None) -> str | None:
    """The family nearest to an ISCO-08 code's sub-major group ("ISCO-08 8322" → N), or None;
    only a code said to be ISCO counts (four bare digits could be anything)."""
    if not code:
        return None
    match = _ISCO.match(code)
    return _ISCO_SUB_MAJOR.get(match.group(1)) if match else None


def from_title(title: str | None) -> str | None:
    """The family the words of a job title say ("Chauffeur livreur (H/F)" → N), or None."""
    if not title:
        return None
    # The most specific word wins: the first of the list that occurs, wherever it occurs.
    found = [
        int(name[1:])
        for match in _TITLE_PATTERN.finditer(fold(title))
        for name, value in match.groupdict().items()
        if value is not None
    ]
    return _TITLE_WORDS[min(found)][1] if found else None


def classify(
    rome_code: str | None,
    occupation: str | None = None,
    title: str | None = None,
    trade: str | None = None,
) -> str:
    """The family of an offer: its ROME code, else its occupational category (a ROME, SOC or
    ISCO code), else the words of its title and trade label; OTHER when nothing places it."""
    return (
        from_rome(rome_code)
        or from_rome(occupation)
        or from_soc(occupation)
        or from_isco(occupation)
        or from_title(title)
        or from_title(trade)
        or OTHER
    )
