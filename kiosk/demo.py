"""Fictional demo offers in the France Travail v2 format, generated reproducibly near a point."""

from __future__ import annotations

import bisect
import gc
import json
import math
import random
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from kiosk.geo import Point, haversine_km

__all__ = ["DEFAULT_SEED", "DEMO_FOOTER", "DEMO_NOTICE", "generate_offers", "write_demo_file"]

DEMO_NOTICE = (
    "Offres fictives de démonstration : les annonces, les entreprises et les liens affichés "
    "sont inventés et ne correspondent à aucun poste réel."
)
DEMO_FOOTER = "Offre fictive de démonstration — Job Kiosk."
DEFAULT_SEED = 20261121

JsonObject = dict[str, Any]
_T = TypeVar("_T")

# Every URL is under the reserved `.example` top-level domain (RFC 2606), the offer's own page
# (`origineOffre.urlOrigine`, which real offers point at francetravail.fr) included: no demo
# offer sends a phone to a page that does not exist. Terminals recognise these placeholders
# (`kiosk.links`) and show the hub's page of the offer instead, or no QR code at all.
_OFFER_PAGE = "https://offres.exemple-emploi.example/detail/{id}"
_APPLY_URL = "https://recrutement.exemple-emploi.example/offres/{id}/postuler"
_LOGOS = "https://logos.exemple-emploi.example/partenaires/{}80.png"
_PARTNERS = (  # (nom, url, logo) of the fictional partner sites
    ("EXEMPLEJOB", "https://www.exemplejob.example/offre/{id}?utm_source=francetravail"),
    ("EMPLOI_EXEMPLE", "https://emploi.exemple-annonces.example/annonces/{id}"),
    ("INTERIM_EXEMPLE", "https://www.interim-exemple.example/missions/{id}/postuler"),
    ("HANDI_EXEMPLE", "https://www.handi-exemple.example/recherche/detail/{id}"),
)

# --- Shares of the set, as fractions of all offers unless said otherwise --------------------

# APP is an apprenticeship: published as typeContrat CDD + natureContrat "Contrat apprentissage".
_CONTRACT_MIX = {"CDI": 45, "MIS": 25, "CDD": 20, "SAI": 5, "APP": 3, "LIB": 1, "FRA": 1}
_UNLOCATED = 0.08  # placed at département, region or country level, without coordinates
_COUNTRY_LEVEL = 0.15  # of the unlocated ones: "France"
_PARTNER = 0.25  # origineOffre.origine "2"
_LONG_LABELS_ON_FT = 0.07  # FT offers with partner-style contract labels: about 30 % in all
_NAMED_EMPLOYER = 0.75
_NAMED_AGENCY = 0.80  # interim offers are a little more often signed by their agency
_PART_TIME = 0.20
_NO_SALARY = 0.40
_APPLY_LINK = 0.13  # of FT offers: about 10 % of all offers carry contact.urlPostulation
_ACCESSIBLE_TH = 0.15
_MAX_DISTANCE_KM = 150.0
_DISTANCE_SCALE_KM = 12.0  # weight 1 / (1 + (d / scale)²): most offers within 30 km
_JITTER_KM = 1.5
_MAX_AGE_MS = 45 * 86_400_000

# --- Vocabularies ---------------------------------------------------------------------------


def _lines(text: str) -> tuple[str, ...]:
    """The non-blank lines of a text block, stripped: long vocabularies read as plain lists."""
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# qualificationCode → qualificationLibelle, codes "1" to "9".
_QUALIFICATIONS = {
    str(code): label
    for code, label in enumerate(
        _lines("""
            Manœuvre
            Ouvrier spécialisé
            Ouvrier qualifié (P1,P2)
            Ouvrier qualifié (P3,P4,OHQ)
            Employé non qualifié
            Employé qualifié
            Technicien
            Agent de maîtrise
            Cadre
        """),
        start=1,
    )
}
_INTERIM_NAF = ("78.20Z", "Activités des agences de travail temporaire")
_LONG_CONTRACT_LABELS = {
    "CDI": "Contrat à durée indéterminée",
    "CDD": "Contrat à durée déterminée",
    "MIS": "Mission intérimaire",
    "SAI": "Contrat travail saisonnier",
}
_SHORT_CONTRACT_LABELS = {"CDI": "CDI", "CDD": "CDD", "MIS": "Intérim", "SAI": "Saisonnier"}
_MONTHS: dict[str, tuple[int, ...]] = {
    "CDD": (1, 2, 3, 3, 4, 6, 6, 6, 8, 9, 12, 12, 18, 24),
    "MIS": (1, 1, 2, 3, 3, 6, 6, 12, 18),
    "SAI": (1, 2, 2, 3, 3, 4, 5, 6),
    "APP": (12, 24, 24, 36),
}
_DAYS: dict[str, tuple[int, ...]] = {
    "CDD": (1, 2, 5, 7, 10, 14, 15, 21, 30),
    "MIS": (1, 2, 3, 5, 7, 10, 14, 21, 30),
}
_DAY_SHARE = {"CDD": 0.12, "MIS": 0.35}
# experienceLibelle values, with the words a description uses for them (None: no duration).
_EXPERIENCE_REQUIRED: tuple[tuple[str, str | None], ...] = (
    *(("6 Mois", "6 mois"), ("1 An(s)", "1 an"), ("1 An(s)", "1 an"), ("2 An(s)", "2 ans")),
    *(("2 An(s)", "2 ans"), ("3 An(s)", "3 ans"), ("12 Mois", "12 mois")),
    *(("Expérience exigée de 1 An(s)", "1 an"), ("Expérience exigée de 2 An(s)", "2 ans")),
    ("Expérience exigée", None),
)
_EXPERIENCE_SENIOR: tuple[tuple[str, str | None], ...] = (
    *(("2 An(s)", "2 ans"), ("3 An(s)", "3 ans"), ("4 An(s)", "4 ans"), ("5 An(s)", "5 ans")),
    ("Expérience exigée de 3 An(s)", "3 ans"),
)
_EXPERIENCE_COMMENTS = _lines("""
    sur un poste similaire
    dans le même secteur
    en entreprise ou en stage
    expérience en équipe appréciée
""")
# qualitesProfessionnelles: the France Travail labels, with descriptions of our own.
_SOFT_SKILLS = tuple(
    tuple(line.split(" | "))
    for line in _lines("""
        Faire preuve d'autonomie | Savoir avancer dans son travail sans être guidé à chaque étape.
        Faire preuve de rigueur et de précision | Suivre les consignes avec soin et sans erreur.
        Travailler en équipe | Se coordonner avec ses collègues pour un objectif commun.
        Avoir le sens du service | Répondre au mieux aux attentes des personnes servies.
        Faire preuve de réactivité | Agir vite et à propos face à une situation imprévue.
        S'adapter aux changements | Ajuster sa façon de travailler quand l'organisation évolue.
        Gérer son stress | Garder son calme et son efficacité dans les moments chargés.
        Organiser son travail selon les priorités et les objectifs | Planifier ses tâches.
    """)
)
_SALARY_EXTRAS = _lines("""
    Mutuelle
    Chèque repas
    Primes
    Restauration
    CE
    Véhicule
    Participation/action
    Autre
""")
_SALARY_COMMENTS = (
    "Selon profil",
    "Selon convention collective",
    "Selon expérience",
    "Smic + primes",
)
_PER = {"Annuel": "par an", "Mensuel": "par mois", "Horaire": "de l'heure"}
_FULL_TIME_HOURS = (35.0, 35.0, 35.0, 35.0, 35.0, 35.0, 39.0, 39.0, 37.5, 38.5)
_PART_TIME_HOURS = (10.0, 15.0, 17.5, 20.0, 24.0, 24.0, 25.0, 28.0, 30.0)
_POSITIONS = (1,) * 88 + (2,) * 7 + (3,) * 3 + (4, 5)

# Invented words for the fictional employer names; none is meant to be a real brand.
_COINED = _words("""
    Valmorine Orlindéa Quintaline Mirevalle Norvanne Célestrine Aubrelys Davénor Ferlanor Galmérys
    Ivrelle Jasmorin Lirandel Nérolys Ombrevalle Paluzine Rostellane Sablorive Tavernole Ulmérys
    Vercorelle Wissandre Yvorelle Zéphirane Alvéranne Bellormée Corvalys Dunellia Estravine
    Fontalbys Grisolane Hélvarine Isaroline Joranthe Lumérac Marévolis Noirvelle Pérandine Quérolys
    Rivalbe Solmérine Trévanis Uzérolle Vastrelle Aldorine Brévalys Cazémir Doravelle
""")
_AGENCY_PATTERNS = ("{0} Intérim", "Intérim {0}", "{0} Emploi", "{0} Travail Temporaire")
_COMPANY_BLURBS = _lines("""
    {name} est une entreprise familiale de {staff} salariés, implantée ici depuis {year}.
    {name} réunit {staff} collaborateurs et place la formation de ses équipes au cœur du projet.
    Entreprise indépendante créée en {year}, {name} compte aujourd'hui {staff} salariés.
""")
_AGENCY_BLURB = (
    "{name} est un réseau d'agences d'emploi de proximité qui accompagne intérimaires et "
    "entreprises depuis {year}."
)

# --- Description pieces: {job}, {sector}, {company} and {place} are filled in later ---------

_INTROS_NAMED = _lines("""
    {company} recrute un(e) {job} pour son établissement situé {place}.
    Rejoignez {company} ! Nous recherchons un(e) {job} pour compléter notre équipe {place}.
    Dans le cadre de son développement, {company} recherche un(e) {job} {place}.
""")
_INTROS_ANONYMOUS = _lines("""
    Nous recherchons un(e) {job} pour notre établissement situé {place}.
    Entreprise du secteur « {sector} » implantée {place}, nous recrutons un(e) {job}.
    Poste de {job} à pourvoir {place}.
""")
_INTROS_AGENCY = _lines("""
    {company}, agence d'emploi, recherche pour l'un de ses clients {place} un(e) {job}.
    Votre agence {company} recrute un(e) {job} pour une mission chez un client {place}.
""")
_INTROS_AGENCY_ANONYMOUS = _lines("""
    Nous recherchons pour notre client, entreprise implantée {place}, un(e) {job}.
    Pour une mission {place}, nous recherchons un(e) {job}.
""")
_MISSION_HEADINGS = ("Vos missions :", "Missions principales :", "Au quotidien :", "Le poste :")
_BULLETS = ("- ", "- ", "• ", "")
_PROFILE_HEADINGS = ("Profil recherché :", "Votre profil :", "Le profil :")
_BEGINNER_SENTENCES = _lines("""
    Débutant(e) accepté(e) : une formation est assurée à votre arrivée.
    Vous souhaitez apprendre un métier : l'équipe vous accompagne, même sans expérience.
    Aucune expérience exigée, votre motivation compte avant tout.
""")
_SOFT_SENTENCES = _lines("""
    Vous êtes ponctuel(le), rigoureux(se) et aimez le travail en équipe.
    Votre sens du service et votre bonne humeur feront la différence.
    Vous êtes autonome et savez organiser votre travail.
    Vous avez le sens du contact et de l'écoute.
    Vous êtes dynamique, réactif(ve) et motivé(e).
""")
_BENEFITS = _lines("""
    mutuelle d'entreprise
    tickets restaurant
    prime de fin d'année
    repas pris en charge
    prime de panier
    13e mois
    remboursement du transport à 75 %
    formation en interne
""")
_STARTS = _lines("""
    Prise de poste : dès que possible.
    Poste à pourvoir rapidement.
    Démarrage sous quinze jours.
    Prise de poste le mois prochain.
""")


def _pick(uniform: float, items: Sequence[_T]) -> _T:
    """One item from a uniform number in [0, 1): a cheaper `Random.choice`."""
    return items[int(uniform * len(items))]


def _some(draw: Callable[[], float], items: Sequence[_T], count: int) -> list[_T]:
    """`count` distinct items in random order (a partial Fisher-Yates shuffle)."""
    pool = list(items)
    for i in range(min(count, len(pool))):
        j = i + int(draw() * (len(pool) - i))
        pool[i], pool[j] = pool[j], pool[i]
    return pool[:count]


# --- Assets ---------------------------------------------------------------------------------

_ARRONDISSEMENT = re.compile(r"^(Paris|Lyon|Marseille) (\d+)(?:er|e) Arrondissement$")


@dataclass(frozen=True, slots=True)
class _Commune:
    insee: str
    postcode: str
    lat: float
    lon: float
    lon_km: float  # kilometres per degree of longitude at this latitude
    label_upper: str  # "93 - ST DENIS", the usual France Travail form
    label_mixed: str  # "93 - Saint-Denis", seen on part of the offers
    phrase: str  # "à Saint-Denis", "au Blanc-Mesnil": how a description places the job


@dataclass(frozen=True, slots=True)
class _Area:
    label: str  # "93 - Seine-Saint-Denis", "Ile-de-France", "France"
    phrase: str  # "en Seine-Saint-Denis"
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class _Trade:
    title: str
    variants: tuple[str, ...]
    appellation: str
    job: str  # the title inside a sentence: "agent / agente de sécurité"
    rome: str
    rome_label: str
    skills: tuple[tuple[str | None, str], ...]  # (France Travail competence code, label)
    missions: tuple[str, ...]
    hourly_min: float
    hourly_max: float
    sector: str
    naf: str
    licence: str | None
    qualification: str
    contracts: tuple[str, ...]
    schedules: tuple[str, ...]
    training: tuple[str, str] | None  # (niveauLibelle, domaineLibelle)
    language: str | None
    employers: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Assets:
    communes: tuple[_Commune, ...]
    areas: tuple[_Area, ...]
    trades: tuple[_Trade, ...]


def _ascii_upper(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "OE"))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).upper()


def _ft_upper(name: str) -> str:
    """A commune name the way France Travail prints it: "ST MAUR DES FOSSES", "PARIS 13"."""
    match = _ARRONDISSEMENT.match(name)
    if match:
        return f"{match.group(1).upper()} {int(match.group(2)):02d}"
    words = _ascii_upper(name).replace("-", " ").replace("'", " ").split()
    return " ".join({"SAINT": "ST", "SAINTE": "STE"}.get(word, word) for word in words)


def _place_phrase(name: str) -> str:
    """ "à Saint-Denis", "au Blanc-Mesnil", "aux Lilas", "à Paris 13e"."""
    match = _ARRONDISSEMENT.match(name)
    if match:
        number = int(match.group(2))
        return f"à {match.group(1)} {number}{'er' if number == 1 else 'e'}"
    if name.startswith("Le "):
        return "au " + name[3:]
    if name.startswith("Les "):
        return "aux " + name[4:]
    return "à " + name


def _in_sentence(title: str) -> str:
    """ "Agent / Agente de sécurité (H/F)" → "agent / agente de sécurité"; acronyms stay."""
    parts = title.removesuffix(" (H/F)").split(" / ")
    return " / ".join(p if p.split()[0].isupper() else p[0].lower() + p[1:] for p in parts)


def _commune(entry: dict[str, Any]) -> _Commune:
    name, dept, lat = str(entry["name"]), str(entry["dept"]), float(entry["lat"])
    return _Commune(
        insee=str(entry["insee"]),
        postcode=str(entry["postcode"]),
        lat=lat,
        lon=float(entry["lon"]),
        lon_km=111.195 * math.cos(math.radians(lat)),
        label_upper=f"{dept} - {_ft_upper(name)}",
        label_mixed=f"{dept} - {name}",
        phrase=_place_phrase(name),
    )


def _optional(value: Any) -> str | None:
    return None if value is None else str(value)


def _trade(entry: dict[str, Any], codes: dict[str, str]) -> _Trade:
    training = entry["training"]
    return _Trade(
        title=str(entry["title"]),
        variants=tuple(str(v) for v in entry["variants"]),
        appellation=str(entry["appellation"]),
        job=_in_sentence(str(entry["title"])),
        rome=str(entry["rome"]),
        rome_label=str(entry["rome_label"]),
        skills=tuple((codes.get(str(s)), str(s)) for s in entry["skills"]),
        missions=tuple(str(m) for m in entry["missions"]),
        hourly_min=float(entry["hourly_min"]),
        hourly_max=float(entry["hourly_max"]),
        sector=str(entry["sector"]),
        naf=str(entry["naf"]),
        licence=_optional(entry["licence"]),
        qualification=str(entry["qualification"]),
        contracts=tuple(str(c) for c in entry["contracts"]),
        schedules=tuple(str(s) for s in entry["schedules"]),
        training=None if training is None else (str(training["niveau"]), str(training["domaine"])),
        language=_optional(entry["language"]),
        employers=tuple(str(e) for e in entry["employers"]),
    )


def _read_asset(name: str) -> Any:
    return json.loads((resources.files("kiosk_assets") / "demo" / name).read_text("utf-8"))


@cache
def _assets() -> _Assets:
    places = _read_asset("communes.json")
    trades = _read_asset("trades.json")
    codes = {str(label): str(code) for label, code in trades["competence_codes"].items()}
    return _Assets(
        communes=tuple(_commune(c) for c in places["communes"]),
        areas=tuple(
            _Area(str(a["libelle"]), str(a["phrase"]), float(a["lat"]), float(a["lon"]))
            for a in places["areas"]
        ),
        trades=tuple(_trade(t, codes) for t in trades["trades"]),
    )


# --- Weighted picks and formatting ----------------------------------------------------------


class _Weighted:
    """Items drawn with fixed weights from one uniform number (bisect on cumulative weights)."""

    __slots__ = ("_cumulative", "_items", "_last")

    def __init__(self, items: Sequence[Any], weights: Sequence[float]) -> None:
        if not items or len(items) != len(weights):
            raise ValueError("need one weight per item, and at least one item")
        total, cumulative = 0.0, []
        for weight in weights:
            total += weight
            cumulative.append(total)
        self._items = list(items)
        self._cumulative = [c / total for c in cumulative]
        self._last = len(items) - 1

    def pick(self, uniform: float) -> Any:
        return self._items[min(bisect.bisect_right(self._cumulative, uniform), self._last)]


def _by_closeness(places: Sequence[Any], near: Point, max_km: float, fallback: int) -> _Weighted:
    """Places weighted by closeness to `near`; the nearest few when none is within `max_km`."""
    by_distance = sorted(((haversine_km(near, p.lat, p.lon), i) for i, p in enumerate(places)))
    chosen = [(d, i) for d, i in by_distance if d <= max_km] or by_distance[:fallback]
    weights = [1.0 / (1.0 + (d / _DISTANCE_SCALE_KM) ** 2) for d, _ in chosen]
    return _Weighted([places[i] for _, i in chosen], weights)


@cache
def _day_prefix(days: int) -> str:
    """ "2026-11-20T" for a count of days since 1970-01-01."""
    return (date(1970, 1, 1) + timedelta(days=days)).isoformat() + "T"


def _timestamp(ms: int) -> str:
    """ "2026-11-20T08:15:02.000Z" from milliseconds since the epoch (UTC)."""
    days, ms = divmod(ms, 86_400_000)
    seconds, ms = divmod(ms, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{_day_prefix(days)}{hours:02d}:{minutes:02d}:{seconds:02d}.{ms:03d}Z"


def _amount(value: float, style: int) -> str:
    """A salary figure as France Travail writes it: "1801.8" (style 0), "1801.80", "1801,80"."""
    if style == 0:
        text = f"{value:.2f}".rstrip("0")
        return text + "0" if text.endswith(".") else text
    text = f"{value:.2f}"
    return text.replace(".", ",") if style == 2 else text


def _euros(value: float, period: str) -> str:
    """ "1 801,80 €", "38 000 €", with the narrow and plain no-break spaces of French print."""
    text = f"{value:,.0f}" if period == "Annuel" else f"{value:,.2f}"
    return text.replace(",", "\u202f").replace(".", ",") + "\u00a0€"


def _hours(hours: float) -> str:
    """ "35H", "37H30"."""
    whole = int(hours)
    minutes = round((hours - whole) * 60)
    return f"{whole}H{minutes:02d}" if minutes else f"{whole}H"


# --- The parts of one offer -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Context:
    """What every offer of one call draws from."""

    now_ms: int
    places: _Weighted
    areas: _Weighted
    contracts: _Weighted
    kits_by_contract: dict[str, tuple[_Kit, ...]]
    closings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Contract:
    code: str  # typeContrat
    label: str  # typeContratLibelle
    nature: str  # natureContrat
    apprenticeship: bool
    sentence: str  # how the description says it


def _contract(draw: Callable[[], float], kind: str, long_labels: bool) -> _Contract:
    if kind in _MONTHS:
        in_days = draw() < _DAY_SHARE.get(kind, 0.0)
        length = _pick(draw(), _DAYS[kind] if in_days else _MONTHS[kind])
        return _fixed_term(kind, long_labels, in_days, length)
    return _open_ended(kind, long_labels)


@cache
def _open_ended(kind: str, long_labels: bool) -> _Contract:
    if kind == "CDI":
        label = _LONG_CONTRACT_LABELS["CDI"] if long_labels else "CDI"
        return _Contract("CDI", label, "Contrat travail", False, "Poste en CDI.")
    if kind == "LIB":
        sentence = "Statut indépendant, avec l'accompagnement du réseau."
        return _Contract("LIB", "Profession libérale", "Emploi non salarié", False, sentence)
    if kind == "FRA":
        sentence = "Création d'activité en franchise : formation assurée par le réseau."
        return _Contract("FRA", "Franchise", "Emploi non salarié", False, sentence)
    raise ValueError(f"unknown contract kind {kind!r}")


@cache
def _fixed_term(kind: str, long_labels: bool, in_days: bool, length: int) -> _Contract:
    code = "CDD" if kind == "APP" else kind
    prefix = _LONG_CONTRACT_LABELS[code] if long_labels else _SHORT_CONTRACT_LABELS[code]
    label = f"{prefix} - {length} {'Jour(s)' if in_days else 'Mois'}"
    spoken = f"{length} jour{'s' if length > 1 else ''}" if in_days else f"{length} mois"
    if kind == "APP":
        sentence = f"Contrat d'apprentissage de {spoken}, en alternance avec une école."
        return _Contract("CDD", label, "Contrat apprentissage", True, sentence)
    sentence = {
        "CDD": f"CDD de {spoken}, évolution possible.",
        "MIS": f"Mission d'intérim de {spoken}, possibilité de prolongation.",
        "SAI": f"Contrat saisonnier de {spoken}.",
    }[kind]
    return _Contract(code, label, "Contrat travail", False, sentence)


def _experience(draw: Callable[[], float], kind: str, trade: _Trade) -> tuple[JsonObject, str]:
    """experienceExige, experienceLibelle (and experienceCommentaire), and the sentence."""
    roll = draw()
    beginners = 1.0 if kind == "APP" else 0.7 if kind == "SAI" else 0.42
    if roll < beginners:
        fields: JsonObject = {"experienceExige": "D", "experienceLibelle": "Débutant accepté"}
        return fields, _pick(draw(), _BEGINNER_SENTENCES)
    if roll > 0.97:
        fields = {"experienceExige": "S", "experienceLibelle": "Expérience souhaitée"}
        return fields, "Une première expérience serait un plus."
    senior = trade.qualification in ("8", "9")
    label, spoken = _pick(draw(), _EXPERIENCE_SENIOR if senior else _EXPERIENCE_REQUIRED)
    fields = {"experienceExige": "E", "experienceLibelle": label}
    if draw() < 0.08:
        comment = _pick(draw(), _EXPERIENCE_COMMENTS)
        fields["experienceLibelle"] = f"{label} - {comment}"
        fields["experienceCommentaire"] = comment
    if spoken is None:
        return fields, "Une expérience sur un poste similaire est exigée."
    return fields, f"Une expérience de {spoken} sur un poste similaire est demandée."


def _salary(
    draw: Callable[[], float], kind: str, trade: _Trade, weekly_hours: float
) -> tuple[JsonObject, str | None]:
    """The `salaire` object and the sentence of the description (None: the offer says nothing)."""
    if kind in ("LIB", "FRA"):
        if draw() < 0.3:
            return {"commentaire": "Rémunération à la commission"}, "Rémunération à la commission."
        return {}, None
    roll = draw()
    if roll < _NO_SALARY:
        return {}, None
    if roll < _NO_SALARY + 0.06:
        comment = _pick(draw(), _SALARY_COMMENTS)
        return {"commentaire": comment}, f"Rémunération : {comment[0].lower()}{comment[1:]}."
    span = trade.hourly_max - trade.hourly_min
    low = trade.hourly_min + span * draw()
    rates = (low, low + (trade.hourly_max - low) * draw()) if draw() < 0.5 else (low,)
    if trade.qualification == "9" or (trade.qualification in ("7", "8") and draw() < 0.4):
        period, factor, step = "Annuel", weekly_hours * 52, 500.0
    elif draw() < 0.55:
        period, factor, step = "Mensuel", weekly_hours * 52 / 12, 0.01
    else:
        period, factor, step = "Horaire", 1.0, 0.01
    amounts = list(dict.fromkeys(round(round(r * factor / step) * step, 2) for r in rates))
    style = _pick(draw(), (0, 0, 0, 0, 0, 1, 1, 1, 2, 2))
    text = f"{period} de " + " à ".join(f"{_amount(a, style)} Euros" for a in amounts)
    if style == 0:
        text += " sur 13.0 mois" if draw() < 0.1 else " sur 12.0 mois"
    elif style == 1 and draw() < 0.7:
        text += " sur 12 mois"
    salary: JsonObject = {"libelle": text}
    if draw() < 0.35:
        extras = _some(draw, _SALARY_EXTRAS, 2)
        salary["complement1"] = extras[0]
        if draw() < 0.5:
            salary["complement2"] = extras[1]
    spoken = " à ".join(_euros(a, period) for a in amounts)
    return salary, f"Rémunération : {spoken} brut {_PER[period]}."


def _employer(draw: Callable[[], float], kind: str, trade: _Trade) -> tuple[JsonObject, str | None]:
    """The `entreprise` object and the employer name for the description (None: anonymous)."""
    interim = kind == "MIS"
    if draw() >= (_NAMED_AGENCY if interim else _NAMED_EMPLOYER):
        return {"entrepriseAdaptee": False}, None
    coined = _pick(draw(), _COINED)
    if interim:
        name = _pick(draw(), _AGENCY_PATTERNS).format(coined)
    else:
        name = f"{_pick(draw(), trade.employers)} {coined}"
    if draw() < 0.5:
        name = _ascii_upper(name)  # many employers are registered in capitals, without accents
    company: JsonObject = {"nom": name}
    if draw() < 0.4:
        year = 1962 + int(draw() * 60)
        if interim:
            company["description"] = _AGENCY_BLURB.format(name=name, year=year)
        else:
            blurb = _pick(draw(), _COMPANY_BLURBS)
            company["description"] = blurb.format(name=name, staff=3 + int(draw() * 240), year=year)
    company["entrepriseAdaptee"] = draw() < 0.015
    return company, name


def _place(draw: Callable[[], float], ctx: _Context) -> tuple[JsonObject, str]:
    """The `lieuTravail` object and the phrase that places the job in a sentence."""
    if draw() < _UNLOCATED:
        if draw() < _COUNTRY_LEVEL:
            return {"libelle": "France"}, "en France, sur plusieurs sites"
        area: _Area = ctx.areas.pick(draw())
        return {"libelle": area.label}, area.phrase
    commune: _Commune = ctx.places.pick(draw())
    distance = _JITTER_KM * math.sqrt(draw())  # uniform over the disc around the centroid
    bearing = 2.0 * math.pi * draw()
    place = {
        "libelle": commune.label_upper if draw() < 0.75 else commune.label_mixed,
        "latitude": round(commune.lat + distance * math.cos(bearing) / 111.195, 6),
        "longitude": round(commune.lon + distance * math.sin(bearing) / commune.lon_km, 6),
        "codePostal": commune.postcode,
        "commune": commune.insee,
    }
    return place, commune.phrase


def _working_time(draw: Callable[[], float], trade: _Trade) -> tuple[float, str, str, str]:
    """(weekly hours, dureeTravailLibelle, dureeTravailLibelleConverti, description sentence)."""
    schedule = _pick(draw(), trade.schedules)
    spoken = schedule[0].lower() + schedule[1:]
    style = draw()
    if draw() < _PART_TIME:
        hours = _pick(draw(), _PART_TIME_HOURS)
        if style < 0.7:
            label = f"Temps partiel - {_hours(hours)}/semaine\n{schedule}"
        else:
            label = f"temps partiel - {_hours(hours)} {schedule}"
        sentence = f"Temps partiel de {_hours(hours)} par semaine, {spoken}."
        return hours, label, "Temps partiel", sentence
    hours = _pick(draw(), _FULL_TIME_HOURS)
    if style < 0.55:
        label = f"{_hours(hours)}/semaine\n{schedule}"
    elif style < 0.8:
        label = f"{_hours(hours)}\n{schedule}"
    else:
        label = f"{_hours(hours)} {schedule}"
    return hours, label, "Temps plein", f"Temps plein, {_hours(hours)} par semaine, {spoken}."


def _dates(draw: Callable[[], float], now_ms: int) -> tuple[str, str]:
    """dateCreation within the 45 days before now, recent days more often; dateActualisation."""
    created = now_ms - int(_MAX_AGE_MS * draw() ** 2)
    if draw() < 0.12:
        created -= created % 1000  # part of the real offers carry ".000Z"
    if draw() < 0.6:
        updated = created + int(draw() * 2_000)
    else:
        updated = created + int(draw() * min(10 * 86_400_000, now_ms - created))
    return _timestamp(created), _timestamp(min(updated, now_ms))


def _requirements(draw: Callable[[], float], trade: _Trade, offer: JsonObject) -> None:
    """formations, langues, permis and competences, each on part of the offers."""
    if trade.training is not None and draw() < 0.3:
        level, field = trade.training
        exigence = "E" if draw() < 0.3 else "S"
        training = {"domaineLibelle": field, "niveauLibelle": level, "exigence": exigence}
        offer["formations"] = [training]
    if trade.language is not None and draw() < 0.4:
        offer["langues"] = [{"libelle": trade.language, "exigence": "E" if draw() < 0.3 else "S"}]
    elif draw() < 0.03:
        offer["langues"] = [{"libelle": "Anglais" if draw() < 0.6 else "Français", "exigence": "S"}]
    if trade.licence is not None and draw() < 0.75:
        offer["permis"] = [{"libelle": trade.licence, "exigence": "E" if draw() < 0.6 else "S"}]
    elif draw() < 0.04:
        offer["permis"] = [{"libelle": "B - Véhicule léger", "exigence": "S"}]
    if draw() < 0.6:
        competences: list[JsonObject] = []
        for code, label in _some(draw, trade.skills, _pick(draw(), (2, 3, 3, 4))):
            exigence = "E" if draw() < 0.2 else "S"
            if code is None:  # free-text skills have no code in real offers either
                competences.append({"libelle": label, "exigence": exigence})
            else:
                competences.append({"code": code, "libelle": label, "exigence": exigence})
        offer["competences"] = competences


def _contact(draw: Callable[[], float], offer_id: str, company: str | None) -> JsonObject:
    """A France Travail offer's `contact`: empty, an apply link, or the "Pour postuler" text."""
    who = f"{company} - Service recrutement" if company else "Service recrutement"
    roll = draw()
    if roll < _APPLY_LINK:
        return {"nom": who, "urlPostulation": _APPLY_URL.format(id=offer_id)}
    if roll < 0.45:
        text = "Pour postuler, utiliser le lien suivant : " + _OFFER_PAGE.format(id=offer_id)
        return {"nom": who, "coordonnees1": text, "courriel": text}
    return {}


def _origin(draw: Callable[[], float], offer_id: str, partner: bool) -> JsonObject:
    origin: JsonObject = {"origine": "2" if partner else "1"}
    origin["urlOrigine"] = _OFFER_PAGE.format(id=offer_id)
    if partner:
        name, url = _pick(draw(), _PARTNERS)
        logo = _LOGOS.format(name.lower())
        origin["partenaires"] = [{"nom": name, "url": url.format(id=offer_id), "logo": logo}]
    return origin


@dataclass(frozen=True, slots=True)
class _Kit:
    """A trade with description paragraphs drawn once per call, so offers only pick and join."""

    trade: _Trade
    intros: dict[tuple[bool, bool], tuple[str, ...]]  # by (interim, named employer)
    missions: tuple[str, ...]  # "Vos missions :\n- …\n- …"
    profiles: tuple[str, ...]  # the profile lines after the experience sentence


def _kit(draw: Callable[[], float], trade: _Trade) -> _Kit:
    def intros(templates: tuple[str, ...]) -> tuple[str, ...]:
        sector = trade.sector.lower()
        return tuple(t.replace("{job}", trade.job).replace("{sector}", sector) for t in templates)

    missions = []
    for _ in range(12):
        bullet = _pick(draw(), _BULLETS)
        chosen = _some(draw, trade.missions, 4 if draw() < 0.4 else 3)
        lines = [_pick(draw(), _MISSION_HEADINGS), *(bullet + m for m in chosen)]
        missions.append("\n".join(lines))
    profiles = []
    for _ in range(8):
        lines = []
        if trade.training is not None and draw() < 0.5:
            level, field = trade.training
            lines.append(f"Formation de niveau {level} ({field}) appréciée.")
        if trade.licence is not None:
            lines.append(f"Permis {trade.licence.split(' - ')[0]} indispensable.")
        if trade.language is not None and draw() < 0.5:
            lines.append(f"Un bon niveau en {trade.language.lower()} est apprécié.")
        lines.append(_pick(draw(), _SOFT_SENTENCES))
        profiles.append("\n".join(lines))
    return _Kit(
        trade=trade,
        intros={
            (False, True): intros(_INTROS_NAMED),
            (False, False): intros(_INTROS_ANONYMOUS),
            (True, True): intros(_INTROS_AGENCY),
            (True, False): intros(_INTROS_AGENCY_ANONYMOUS),
        },
        missions=tuple(missions),
        profiles=tuple(profiles),
    )


def _closings(draw: Callable[[], float]) -> tuple[str, ...]:
    """Optional last lines of the conditions paragraph: benefits, start date, or nothing."""
    closings = []
    for _ in range(32):
        lines = []
        if draw() < 0.5:
            benefits = _some(draw, _BENEFITS, _pick(draw(), (1, 2, 3)))
            lines.append("\nAvantages : " + ", ".join(benefits) + ".")
        if draw() < 0.4:
            lines.append("\n" + _pick(draw(), _STARTS))
        closings.append("".join(lines))
    return tuple(closings)


def _description(
    draw: Callable[[], float],
    ctx: _Context,
    kit: _Kit,
    *,
    interim: bool,
    company: str | None,
    place: str,
    experience: str,
    conditions: str,
) -> str:
    """Plain text in paragraphs: intro, missions, profile, conditions, then the demo footer."""
    intro = _pick(draw(), kit.intros[interim, company is not None])
    intro = intro.replace("{company}", company or "").replace("{place}", place)
    return (
        f"{intro}\n\n{_pick(draw(), kit.missions)}\n\n{_pick(draw(), _PROFILE_HEADINGS)}\n"
        f"{experience}\n{_pick(draw(), kit.profiles)}\n\n{conditions}"
        f"{_pick(draw(), ctx.closings)}\n\n{DEMO_FOOTER}"
    )


def _offer(draw: Callable[[], float], ctx: _Context, index: int) -> JsonObject:
    """One offer, its keys in the order of the real API."""
    offer_id = f"DM{index + 1:06d}"
    kind: str = ctx.contracts.pick(draw())
    kit = _pick(draw(), ctx.kits_by_contract[kind])
    trade = kit.trade
    partner = draw() < _PARTNER
    contract = _contract(draw, kind, partner or draw() < _LONG_LABELS_ON_FT)
    place, place_phrase = _place(draw, ctx)
    company, company_name = _employer(draw, kind, trade)
    weekly_hours, duration, duration_kind, hours_sentence = _working_time(draw, trade)
    salary, salary_sentence = _salary(draw, kind, trade, weekly_hours)
    experience, experience_sentence = _experience(draw, kind, trade)
    created, updated = _dates(draw, ctx.now_ms)

    offer: JsonObject = {
        "id": offer_id,
        "intitule": _pick(draw(), trade.variants) if draw() < 0.35 else trade.title,
        "description": "",  # written last, from what the other fields say
        "dateCreation": created,
    }
    if not partner or draw() >= 0.03:
        offer["dateActualisation"] = updated  # a few partner offers come without it
    offer["lieuTravail"] = place
    offer["romeCode"] = trade.rome
    offer["romeLibelle"] = trade.rome_label
    offer["appellationlibelle"] = trade.appellation
    offer["entreprise"] = company
    offer["typeContrat"] = contract.code
    offer["typeContratLibelle"] = contract.label
    offer["natureContrat"] = contract.nature
    offer.update(experience)
    _requirements(draw, trade, offer)
    offer["salaire"] = salary
    if partner and draw() < 0.35:
        offer["complementExercice"] = duration_kind  # how many partner offers say it
    else:
        offer["dureeTravailLibelle"] = duration
        offer["dureeTravailLibelleConverti"] = duration_kind
    offer["alternance"] = contract.apprenticeship
    if partner:
        offer["contact"] = {}
    else:
        offer["contact"] = _contact(draw, offer_id, company_name)
        offer["agence"] = {}
    offer["nombrePostes"] = _pick(draw(), _POSITIONS)
    offer["accessibleTH"] = draw() < _ACCESSIBLE_TH
    if draw() < 0.25:
        travel = ("2", "Ponctuels Zone départementale") if trade.licence else ("1", "Jamais")
        offer["deplacementCode"], offer["deplacementLibelle"] = travel
    if draw() < 0.75:
        offer["qualificationCode"] = trade.qualification
        offer["qualificationLibelle"] = _QUALIFICATIONS[trade.qualification]
    if draw() < 0.8:
        naf, sector = _INTERIM_NAF if kind == "MIS" else (trade.naf, trade.sector)
        offer["codeNAF"], offer["secteurActivite"], offer["secteurActiviteLibelle"] = (
            naf,
            naf[:2],
            sector,
        )
    if draw() < 0.35:
        qualities = _some(draw, _SOFT_SKILLS, 2 if draw() < 0.5 else 3)
        offer["qualitesProfessionnelles"] = [{"libelle": q, "description": d} for q, d in qualities]
    offer["origineOffre"] = _origin(draw, offer_id, partner)
    if draw() < 0.65:
        offer["offresManqueCandidats"] = draw() < 0.08
    if not partner and draw() < 0.4:
        offer["contexteTravail"] = {"horaires": [duration.replace("\n", " ")]}
    conditions = f"{contract.sentence}\n{hours_sentence}"
    if salary_sentence is not None:
        conditions += "\n" + salary_sentence
    offer["description"] = _description(
        draw,
        ctx,
        kit,
        interim=kind == "MIS",
        company=company_name,
        place=place_phrase,
        experience=experience_sentence,
        conditions=conditions,
    )
    return offer


# --- Public API -----------------------------------------------------------------------------


def _context(draw: Callable[[], float], near: Point, now: datetime) -> _Context:
    assets = _assets()
    kinds = list(_CONTRACT_MIX)
    kits = [_kit(draw, trade) for trade in assets.trades]
    return _Context(
        now_ms=int((now if now.tzinfo else now.replace(tzinfo=UTC)).timestamp() * 1000),
        places=_by_closeness(assets.communes, near, _MAX_DISTANCE_KM, fallback=12),
        areas=_by_closeness(assets.areas, near, 2 * _MAX_DISTANCE_KM, fallback=3),
        contracts=_Weighted(kinds, list(_CONTRACT_MIX.values())),
        kits_by_contract={k: tuple(x for x in kits if k in x.trade.contracts) for k in kinds},
        closings=_closings(draw),
    )


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many acyclic objects.

    The offers hold no reference cycles, yet every collection would walk all of them: on 100,000
    offers that is about 40 % of the time. Reference counting still frees memory meanwhile.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def generate_offers(
    count: int, near: Point, *, seed: int = DEFAULT_SEED, now: datetime | None = None
) -> list[JsonObject]:
    """`count` fictional France Travail v2 offers around `near`, created in the 45 days before
    `now` (default: the current time; a naive `now` is taken as UTC). The same arguments give
    the same offers, byte for byte; ids run "DM000001", "DM000002"… whatever the seed.
    """
    if count < 0:
        raise ValueError("count must not be negative")
    draw = random.Random(seed).random  # noqa: S311 - reproducible demo data, not secrets
    ctx = _context(draw, near, now if now is not None else datetime.now(UTC))
    with _collector_paused():
        return [_offer(draw, ctx, index) for index in range(count)]


def write_demo_file(
    path: Path,
    count: int,
    near: Point,
    *,
    seed: int = DEFAULT_SEED,
    now: datetime | None = None,
) -> int:
    """Write `{"resultats": [...]}` as compact UTF-8 JSON, as a search answers; return the count."""
    offers = generate_offers(count, near, seed=seed, now=now)
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write('{"resultats":[')
        for start in range(0, len(offers), 1000):
            if start:
                out.write(",")
            out.write(",".join(encode(offer) for offer in offers[start : start + 1000]))
        out.write("]}")
    return len(offers)
