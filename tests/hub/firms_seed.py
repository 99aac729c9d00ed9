"""Firms in a hub's database without harvesting them, for the tests that need firms near a
terminal (the terminal's sync and its screens): as a complete harvest would leave them.

A hub serves firms only with a `[labonneboite]` section: start it with `firms_config()`.

    hub = start_hub(url, tmp_path, config=firms_config())
    seed_firms(hub.services.db)                      # the sample firms near PARIS
    spontaneous_organisation(hub)                    # so that terminals offer to write
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import insert
from sqlalchemy.dialects import postgresql, sqlite

from hub.db import Database
from hub.models import Firm, FirmHarvest, RomeEntry
from hub.settings import HubConfig, LaBonneBoiteSection
from kiosk.text import fold
from tests.hub.conftest import GENEROUS, RunningHub


@dataclass(frozen=True, slots=True)
class SeedFirm:
    """A firm and one trade it often hires for (invented)."""

    siret: str
    rome: str
    name: str
    latitude: float
    longitude: float
    hiring_potential: float = 1.0
    city: str = "Paris"
    postcode: str = "75012"
    sector: str = "Boulangerie et boulangerie-pâtisserie"
    naf: str = "1071C"
    headcount_min: int | None = 10
    headcount_max: int | None = 19
    high: bool = False


# Near the tests' Paris terminal (48.8443, 2.3744): two trades of a bakery, a restaurant,
# a supermarket; and one firm in Lyon, outside a Paris terminal's area.
SAMPLE_FIRMS = (
    SeedFirm("12345678900012", "D1102", "Boulangerie Martin", 48.8450, 2.3800, 2.4, high=True),
    SeedFirm("12345678900012", "D1106", "Boulangerie Martin", 48.8450, 2.3800, 1.1),
    SeedFirm(
        "98765432100034", "G1602", "Brasserie du Lion", 48.8400, 2.3700, 1.8,
        sector="Restauration traditionnelle", naf="5610A", headcount_min=20, headcount_max=49,
    ),
    SeedFirm(
        "55566677700011", "D1507", "Supermarché Bercy", 48.8350, 2.3850, 0.9,
        sector="Supermarchés", naf="4711D", headcount_min=None, headcount_max=None,
    ),
    SeedFirm(
        "11122233300044", "D1102", "Boulangerie des Brotteaux", 45.7680, 4.8590, 3.0,
        city="Lyon", postcode="69006",
    ),
)  # fmt: skip
SAMPLE_LABELS = {
    "D1102": "Boulangerie - viennoiserie",
    "D1106": "Vente en alimentation",
    "G1602": "Personnel de cuisine",
    "D1507": "Mise en rayon libre-service",
}


def firms_config(**section: object) -> HubConfig:
    """The tests' hub configuration with a `[labonneboite]` section (never called: seeded)."""
    values: dict[str, object] = {"client_id": "PAR_kiosk", "client_secret": "secret"} | section
    return HubConfig(limits=GENEROUS, labonneboite=LaBonneBoiteSection.model_validate(values))


def seed_firms(
    db: Database,
    firms: Iterable[SeedFirm] = SAMPLE_FIRMS,
    labels: dict[str, str] | None = None,
    at: int = 1_795_000_000,
) -> int:
    """Store `firms` (and the ROME `labels`, SAMPLE_LABELS by default) as a complete harvest
    finished at `at` (epoch seconds) would; the harvest's id."""
    chosen = list(firms)
    names = SAMPLE_LABELS if labels is None else labels
    with db.write() as connection:
        new_id = connection.execute(
            insert(FirmHarvest).values(
                started_at=at - 60,
                finished_at=at,
                complete=True,
                queries=len({f.rome for f in chosen}),
                calls=0,
                firms=len(chosen),
                removed=0,
                errors=0,
            )
        ).inserted_primary_key
        assert new_id is not None
        run = int(new_id[0])
        dialect = sqlite if connection.dialect.name == "sqlite" else postgresql
        if chosen:
            connection.execute(
                dialect.insert(Firm).on_conflict_do_nothing(),
                [
                    {
                        "siret": f.siret,
                        "rome": f.rome,
                        "name": f.name,
                        "naf": f.naf,
                        "sector": f.sector,
                        "headcount_min": f.headcount_min,
                        "headcount_max": f.headcount_max,
                        "latitude": f.latitude,
                        "longitude": f.longitude,
                        "city": f.city,
                        "postcode": f.postcode,
                        "hiring_potential": f.hiring_potential,
                        "high": f.high,
                        "first_seen_run": run,
                        "last_seen_run": run,
                    }
                    for f in chosen
                ],
            )
        if names:
            connection.execute(
                dialect.insert(RomeEntry).on_conflict_do_nothing(),
                [{"code": c, "label": n, "folded": fold(n)} for c, n in names.items()],
            )
    return run


def spontaneous_organisation(
    hub: RunningHub, slug: str = "agence-paris-12", name: str = "France Travail Paris 12e"
) -> int:
    """A new organisation receiving the spontaneous applications; its id."""
    organisation_id = hub.services.accounts.create_organisation(slug, name)
    hub.services.accounts.set_spontaneous(organisation_id)
    return organisation_id
