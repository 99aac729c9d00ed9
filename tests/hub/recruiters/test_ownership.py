"""Who owns which offers: rules by offer, SIRET, company and source (in that precedence),
applied as offers are ingested (SQLite and PostgreSQL's COPY path alike) and again, with the
applications already received, whenever a rule changes; posted offers stay their poster's."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest
from sqlalchemy import delete, insert, select, update

from hub.app import Services
from hub.errors import ApiError
from hub.models import Application, Meta, OfferRecord, PostedOffer
from hub.offers import IngestReport
from hub.recruiters import posting_form
from hub.recruiters.ownership import POSTED_SOURCE, company_key, normalise, siret_of
from kiosk.formats import parse_payload
from tests.conftest import ft_record
from tests.hub.conftest import RunningHub, put_application, submission

JOBPOSTING = Path(__file__).resolve().parents[2] / "fixtures" / "jobposting" / "array_feed.json"
SIRET = "12345678901234"


def ingest(services: Services, records: list[dict[str, Any]], source: str) -> IngestReport:
    return services.offers.upsert(parse_payload(records, source), source=source)


def posting(external_id: str, hiring: Any) -> dict[str, Any]:
    """A JobPosting of the fixtures with another id and employer."""
    record: dict[str, Any] = copy.deepcopy(orjson.loads(JOBPOSTING.read_bytes())[0])
    record["identifier"] = {"@type": "PropertyValue", "value": external_id}
    record["url"] = f"https://jobs.example.org/{external_id}"
    record["hiringOrganization"] = hiring
    return record


def owners(services: Services) -> dict[str, tuple[str | None, str | None, int | None]]:
    """external id → (company key, SIRET, organisation) of every offer."""
    with services.db.read() as connection:
        rows = connection.execute(
            select(
                OfferRecord.external_id,
                OfferRecord.company_key,
                OfferRecord.siret,
                OfferRecord.organisation_id,
            )
        ).all()
    return {row[0]: (row[1], row[2], row[3]) for row in rows}


def application_owners(services: Services) -> dict[str, int | None]:
    with services.db.read() as connection:
        rows = connection.execute(select(Application.offer_id, Application.organisation_id))
        return {row[0]: row[1] for row in rows}


def apply(hub: RunningHub, token: str, offer: tuple[str, str]) -> None:
    key = uuid.uuid4()
    body = submission(hub.services.keys.public_key, key, "gare-01", offer)
    assert put_application(hub.client(token), key, body).status_code == 201


def test_rules_give_offers_and_applications_to_organisations_by_precedence(
    hub: RunningHub,
) -> None:
    services = hub.services
    accounts, ownership = services.accounts, services.ownership
    agence = accounts.create_organisation("agence", "Agence Emploi")
    hotel = accounts.create_organisation("hotel", "Hôtel du Parc")
    bakery = accounts.create_organisation("boulangerie", "Boulangerie")
    one = accounts.create_organisation("une-offre", "Une offre")
    ownership.add(agence, "source", "francetravail")
    ownership.add(hotel, "company", "  Hôtel du PARC ")
    ownership.add(bakery, "siret", "123 456 789 01234")
    ownership.add(one, "offer", "francetravail/O4")

    report = ingest(
        services,
        [
            ft_record(id="O1"),
            ft_record(id="O2", entreprise={"nom": "HOTEL DU PARC"}),
            ft_record(id="O3", entreprise={"nom": "Hôtel du Parc", "siret": SIRET}),
            ft_record(id="O4", entreprise={"nom": "Hôtel du Parc", "siret": SIRET}),
        ],
        "francetravail",
    )
    assert report.inserted == 4
    assert owners(services) == {
        "O1": ("le bistrot du quai", None, agence),  # its source
        "O2": ("hotel du parc", None, hotel),  # its company, before its source
        "O3": ("hotel du parc", SIRET, bakery),  # its SIRET, before its company
        "O4": ("hotel du parc", SIRET, one),  # itself, before anything
    }

    token = hub.enrol("gare-01")
    for offer_id in ("O1", "O2", "O3"):
        apply(hub, token, ("francetravail", offer_id))
    assert application_owners(services) == {"O1": agence, "O2": hotel, "O3": bakery}

    # The company's rule goes: its offer falls to the source's rule, with its application;
    # O3 and O4 stay where stronger rules hold them.
    change = ownership.remove("company", "hôtel du parc")
    assert (change.rule.organisation_slug, change.offers, change.applications) == ("hotel", 1, 1)
    assert {k: v[2] for k, v in owners(services).items()} == {
        "O1": agence,
        "O2": agence,
        "O3": bakery,
        "O4": one,
    }
    assert application_owners(services) == {"O1": agence, "O2": agence, "O3": bakery}

    # No rule left for O1 and O2: nobody's.
    change = ownership.remove("source", "francetravail")
    assert (change.offers, change.applications) == (2, 2)
    assert application_owners(services) == {"O1": None, "O2": None, "O3": bakery}

    # One offer given back by hand takes its application along.
    change = ownership.add(hotel, "offer", "francetravail/O2")
    assert (change.offers, change.applications) == (1, 1)
    assert application_owners(services) == {"O1": None, "O2": hotel, "O3": bakery}

    # A changed record is owned again by the rules of the moment.
    ownership.add(agence, "source", "francetravail")
    ingest(services, [ft_record(id="O3", entreprise={"nom": "Autre"})], "francetravail")
    assert owners(services)["O3"] == ("autre", None, agence)
    assert [(r.organisation_slug, r.kind, r.value) for r in ownership.rules()] == [
        ("agence", "source", "francetravail"),
        ("boulangerie", "siret", SIRET),
        ("hotel", "offer", "francetravail/O2"),
        ("une-offre", "offer", "francetravail/O4"),
    ]
    assert [r.label for r in ownership.rules(bakery)] == [f"--siret {SIRET}"]
    counts = {o.slug: o.offers for o in accounts.organisations()}
    assert counts == {"agence": 2, "boulangerie": 0, "hotel": 1, "une-offre": 1}


def test_jobpostings_give_their_siret_and_company(hub: RunningHub) -> None:
    services = hub.services
    records = [
        posting("J1", {"@type": "Organization", "name": "Entrepôt Nord", "taxID": SIRET}),
        posting(
            "J2",
            {
                "name": "Entrepôt  Nord",
                "identifier": [
                    {"@type": "PropertyValue", "propertyID": "SIREN", "value": "123456789"},
                    {"@type": "PropertyValue", "propertyID": "SIRET", "value": "98765432109876"},
                ],
            },
        ),
        posting("J3", {"name": "Sans numéro", "taxID": "FR12345678901"}),
        posting("J4", "Intérim Plus Rennes"),
    ]
    warehouse = services.accounts.create_organisation("entrepot", "Entrepôt Nord")
    services.ownership.add(warehouse, "company", "Entrepot nord")
    assert ingest(services, records, "agence").inserted == 4
    assert owners(services) == {
        "J1": ("entrepot nord", SIRET, warehouse),
        "J2": ("entrepot nord", "98765432109876", warehouse),
        "J3": ("sans numero", None, None),
        "J4": ("interim plus rennes", None, None),
    }


def test_posted_offers_stay_with_the_organisation_that_posted_them(hub: RunningHub) -> None:
    services = hub.services
    bakery = services.accounts.create_organisation("boulangerie", "Boulangerie Martin")
    agence = services.accounts.create_organisation("agence", "Agence")
    with services.db.write() as connection:
        posted_id = connection.execute(
            insert(PostedOffer)
            .values(organisation_id=bakery, form="{}", created_at=0, updated_at=0)
            .returning(PostedOffer.id)
        ).scalar_one()
    services.ownership.add(agence, "company", "Boulangerie Martin")
    services.ownership.add(agence, "offer", f"agence/boulangerie-{posted_id}")
    ingest(
        services,
        [
            posting(f"boulangerie-{posted_id}", "Boulangerie Martin"),
            posting("boulangerie-999", "Boulangerie Martin"),  # no such posted offer
            posting(f"agence-{posted_id}", "Boulangerie Martin"),  # not the poster's slug
        ],
        POSTED_SOURCE,
    )
    found = {k: v[2] for k, v in owners(services).items()}
    assert found == {f"boulangerie-{posted_id}": bakery, "boulangerie-999": None} | {
        f"agence-{posted_id}": None
    }
    for kind, value in (("source", POSTED_SOURCE), ("offer", f"posted/boulangerie-{posted_id}")):
        with pytest.raises(ApiError) as refused:
            services.ownership.add(agence, kind, value)
        assert refused.value.status == 422
    assert POSTED_SOURCE == posting_form.POSTED_SOURCE


def test_offers_stored_before_owners_existed_get_their_keys_once(hub: RunningHub) -> None:
    services = hub.services
    ingest(
        services,
        [ft_record(id="O1"), ft_record(id="O2", entreprise={"nom": "Hôtel", "siret": SIRET})],
        "francetravail",
    )
    ingest(services, [posting("J1", {"name": "Entrepôt", "taxID": SIRET})], "agence")
    with services.db.write() as connection:  # as a hub upgraded to 0007 has them
        connection.execute(update(OfferRecord).values(company_key=None, siret=None))
        connection.execute(delete(Meta).where(Meta.key == "ownership_filled"))
    hotel = services.accounts.create_organisation("hotel", "Hôtel")
    change = services.ownership.add(hotel, "siret", SIRET)
    assert change.offers == 2
    assert owners(services) == {
        "O1": ("le bistrot du quai", None, None),
        "O2": ("hotel", SIRET, hotel),
        "J1": ("entrepot", SIRET, hotel),
    }
    assert services.ownership.fill_keys() == 0  # done once


def test_rules_are_checked_and_belong_to_one_organisation(sqlite_hub: RunningHub) -> None:
    services = sqlite_hub.services
    hotel = services.accounts.create_organisation("hotel", "Hôtel")
    agence = services.accounts.create_organisation("agence", "Agence")
    first = services.ownership.add(hotel, "company", "Hôtel du Parc")
    assert services.ownership.add(hotel, "company", "HOTEL DU PARC").rule == first.rule
    cases: list[tuple[Callable[[], object], int]] = [
        (lambda: services.ownership.add(agence, "company", "hotel du parc"), 409),
        (lambda: services.ownership.add(999, "source", "agence"), 404),
        (lambda: services.ownership.add(hotel, "siret", "1234"), 422),
        (lambda: services.ownership.add(hotel, "company", " -- "), 422),
        (lambda: services.ownership.add(hotel, "source", "Not A Source"), 422),
        (lambda: services.ownership.add(hotel, "offer", "francetravail"), 422),
        (lambda: services.ownership.add(hotel, "colour", "blue"), 422),
        (lambda: services.ownership.remove("source", "francetravail"), 404),
    ]
    for call, status in cases:
        with pytest.raises(ApiError) as refused:
            call()
        assert refused.value.status == status, refused.value.message


def test_keys_of_company_names_and_sirets() -> None:
    assert company_key("  L'Œuf  à la COQUE, S.A.R.L. ") == "l oeuf a la coque s a r l"
    assert company_key("") is None
    assert company_key("--") is None
    assert siret_of({"entreprise": {"nom": "X", "siret": "123 456 789 01234"}}) == SIRET
    assert siret_of({"entreprise": {"siret": 12345678901234}}) == SIRET
    assert siret_of({"hiringOrganization": [{"siret": "123.456.789.01234"}]}) == SIRET
    assert siret_of({"hiringOrganization": {"identifier": "1234567890123"}}) is None
    assert siret_of({"hiringOrganization": {"taxID": "１２３４５６７８９０１２３４"}}) is None
    assert siret_of({"hiringOrganization": {"taxID": True}}) is None
    assert normalise("offer", " francetravail/1A/2 ") == "francetravail/1A/2"
