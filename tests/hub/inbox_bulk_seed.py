"""Recruiters' inboxes written straight into the hub's database (bulk inserts): organisations,
their offers, terminals, and applications sealed with the hub's key in every status — for the
inbox benchmark and the recruiters' screenshots. Invented people only."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import insert, select

from hub.app import Services
from hub.inbox import reference_digest
from hub.ingest import ingest_payload
from hub.models import Application, ApplicationEvent, Organisation
from kiosk.applications import REFERENCE_ALPHABET, REFERENCE_LENGTH
from kiosk.sealing import load_public_key, seal
from tests.conftest import ft_record
from tests.hub.fleet_seed import seed_fleet, terminal_id

FIRST_NAMES = ("Camille", "Yasmine", "Mamadou", "Léa", "Karim", "Inès", "Thomas",
               "Aïcha", "Julien", "Fatou", "Nicolas", "Sofia", "Ibrahim", "Olga")  # fmt: skip
LAST_NAMES = ("Exemple", "Martin", "Benali", "Diallo", "Nguyen", "Moreau", "Haddad", "Petit",
              "Traoré", "Garcia", "Lefebvre", "Kowalski", "Da Silva", "Roux", "Mendy")  # fmt: skip
LANGUAGES = ("fr", "fr", "fr", "fr", "ar", "en", "es", "pt", "ro", "uk")
# Where the applications are: most are new or being answered, as in a busy inbox.
STATUS_MIX = (("new", 45), ("contacted", 20), ("interview", 10), ("hired", 5), ("not_retained", 20))
ORGANISATIONS = (
    ("fournil", "Boulangerie Le Fournil"),
    ("hotel-gare", "Hôtel de la Gare"),
    ("entrepot-sud", "Entrepôt Logistique Sud"),
    ("interim-plus", "Intérim Plus Lyon"),
    ("mairie", "Mairie de Villeurbanne"),
)
# Each organisation's trades (title, ROME code).
TRADES = {
    "fournil": (("Vendeur / Vendeuse en boulangerie", "D1106"), ("Boulanger / Boulangère", "D1102"),
                ("Pâtissier / Pâtissière", "D1104"), ("Livreur / Livreuse du matin", "N4105")),
    "hotel-gare": (("Réceptionniste de nuit", "G1703"), ("Femme / Valet de chambre", "G1501"),
                   ("Serveur / Serveuse en salle", "G1803"), ("Plongeur / Plongeuse", "G1605")),
    "entrepot-sud": (("Préparateur / Préparatrice de commandes", "N1103"),
                     ("Cariste (CACES 3)", "N1101"), ("Agent / Agente de quai", "N1105")),
    "interim-plus": (("Manutentionnaire", "N1105"), ("Agent / Agente d'entretien", "K2204"),
                     ("Aide-cuisinier / Aide-cuisinière", "G1602")),
    "mairie": (("Agent / Agente d'entretien des écoles", "K2204"),
               ("Animateur / Animatrice périscolaire", "G1202")),
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class SeededInbox:
    """What was written: the organisations (slug → id) and, for the first one, a reference
    code and application id of its newest application and of one deep in the list."""

    organisations: dict[str, int]
    offers: dict[str, list[str]]  # slug → offer ids (source "agence-<slug>")
    count: int
    newest: tuple[str, str]  # (application id, reference code) of the first organisation
    deep: tuple[str, str]  # one near the end of its list


def reference_code(index: int) -> str:
    """A distinct reference code per index (the terminal draws them at random)."""
    base = len(REFERENCE_ALPHABET)
    digits = []
    number = (index * 2654435761 + 104729) % base**REFERENCE_LENGTH  # one-to-one, spread out
    for _ in range(REFERENCE_LENGTH):
        number, digit = divmod(number, base)
        digits.append(REFERENCE_ALPHABET[digit])
    return "".join(digits)


def _statuses(rng: random.Random) -> Iterator[str]:
    population = [status for status, weight in STATUS_MIX for _ in range(weight)]
    while True:
        yield rng.choice(population)


def seed_organisations(services: Services, now: int, count: int) -> dict[str, int]:
    """The first `count` organisations of ORGANISATIONS (slug → id)."""
    with services.db.write() as connection:
        connection.execute(
            insert(Organisation),
            [
                {"slug": slug, "name": name, "created_at": now - 86400 * 60, "spontaneous": False}
                for slug, name in ORGANISATIONS[:count]
            ],
        )
        rows = connection.execute(
            select(Organisation.slug, Organisation.id).order_by(Organisation.id)
        ).all()
    wanted = {slug for slug, _ in ORGANISATIONS[:count]}
    return {slug: int(identifier) for slug, identifier in rows if slug in wanted}


def seed_offers(
    services: Services, organisations: dict[str, int], per_organisation: int
) -> dict[str, list[str]]:
    """`per_organisation` offers for each organisation, from its own source, given to it by
    an operator's rule."""
    offers: dict[str, list[str]] = {}
    for slug, organisation_id in organisations.items():
        source = f"agence-{slug}"
        records = []
        for index in range(per_organisation):
            title, rome = TRADES[slug][index % len(TRADES[slug])]
            records.append(
                ft_record(
                    id=f"{slug[:3].upper()}{index:03d}",
                    intitule=title,
                    romeCode=rome,
                    entreprise={"nom": dict(ORGANISATIONS)[slug]},
                )
            )
        report = ingest_payload(services.offers, {"resultats": records}, source, False)
        assert not report.rejected, report.rejected
        services.ownership.add(organisation_id, "source", source)
        offers[slug] = [str(record["id"]) for record in records]
    return offers


def seed_inbox(
    services: Services,
    now: int,
    count: int,
    share: float = 0.8,
    organisations: int = 5,
    offers_per_organisation: int = 12,
    terminals: int = 40,
    days: int = 90,
    chunk: int = 5000,
    seed: int = 1,
) -> SeededInbox:
    """`count` applications received over the last `days` days, `share` of them to the first
    organisation and the rest spread over the others; sealed with the hub's key, each with its
    reference code's digest, statuses with their times and events."""
    rng = random.Random(seed)
    seed_fleet(services.db, now, terminals)
    by_slug = seed_organisations(services, now, organisations)
    offers = seed_offers(services, by_slug, offers_per_organisation)
    slugs = list(by_slug)
    public = load_public_key(services.keys.public_key)
    secret = services.keys.reference_secret
    statuses = _statuses(rng)
    span = days * 86400
    first_rows: list[tuple[int, str, str]] = []  # (received_at, application id, code)
    pending: list[dict[str, Any]] = []
    pending_events: list[tuple[str, str, int]] = []  # (application id, status, at)
    for index in range(count):
        slug = slugs[0] if rng.random() < share or len(slugs) == 1 else rng.choice(slugs[1:])
        offer_id = rng.choice(offers[slug])
        application_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        code = reference_code(index)
        received_at = now - int(span * (1 - index / count)) - rng.randrange(60)
        content = {
            "application_id": application_id,
            "reference": code,
            "kind": "application",
            "offer": {"source": f"agence-{slug}", "id": offer_id, "title": ""},
            "first_name": rng.choice(FIRST_NAMES),
            "last_name": rng.choice(LAST_NAMES),
            "phone": f"+336{rng.randrange(10**8):08d}",
            "email": None,
            "answers": {
                "available_now": rng.random() < 0.7,
                "experience": rng.choice(["none", "under_1_year", "1_to_3_years", "over_3_years"]),
                "driving_licence": rng.random() < 0.5,
            },
            "consent": {"share_with_recruiter": True, "keep_for_future_offers": False},
            "language": rng.choice(LANGUAGES),
        }
        status = next(statuses)
        answered = received_at + rng.randrange(3600, 3 * 86400)
        touched = status != "new" and answered < now
        pending.append(
            {
                "application_id": application_id,
                "terminal_id": terminal_id(rng.randrange(terminals)),
                "offer_source": f"agence-{slug}",
                "offer_id": offer_id,
                "created_at": datetime.fromtimestamp(received_at - 30, UTC)
                .isoformat()
                .replace("+00:00", "Z"),
                "received_at": received_at,
                "body_hash": uuid.uuid4().hex + uuid.uuid4().hex,
                "sealed": seal(public, uuid.UUID(application_id), orjson.dumps(content)),
                "purged_at": None,
                "webhook_state": "none",
                "webhook_attempts": 0,
                "reference_digest": reference_digest(secret, code),
                "organisation_id": by_slug[slug],
                "status": status if touched else "new",
                "status_at": answered if touched else received_at,
                "first_contact_at": answered if touched else None,
                "opened": 1 if touched else 0,
            }
        )
        if touched:
            pending_events.append((application_id, status, answered))
        if slug == slugs[0]:
            first_rows.append((received_at, application_id, code))
        if len(pending) >= chunk or index == count - 1:
            _write(services, pending, pending_events)
            pending, pending_events = [], []
    first_rows.sort(reverse=True)
    newest = first_rows[0][1:]
    deep = first_rows[len(first_rows) * 9 // 10][1:]
    return SeededInbox(by_slug, offers, count, newest, deep)


def _write(
    services: Services, rows: list[dict[str, Any]], events: list[tuple[str, str, int]]
) -> None:
    """One transaction per chunk: the applications, then their status events."""
    with services.db.write() as connection:
        connection.execute(insert(Application), rows)
        if events:
            ids = dict(
                connection.execute(
                    select(Application.application_id, Application.id).where(
                        Application.application_id.in_([event[0] for event in events])
                    )
                ).all()
            )
            connection.execute(
                insert(ApplicationEvent),
                [
                    {"application_id": ids[key], "status": status, "at": at, "recruiter_id": None}
                    for key, status, at in events
                ],
            )
