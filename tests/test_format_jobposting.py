"""schema.org JobPosting parsing: fixtures of real-world shapes, inline variants, hostile input."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from kiosk.domain import ApplyRoute, Offer, Requirement, WorkingTime
from kiosk.formats import FormatError, detect_format, pages, parse_payload
from kiosk.formats.common import Rejection
from kiosk.formats.jobposting import DEFAULT_SOURCE, FORMAT, parse
from kiosk.geo import Point

FIXTURES = Path(__file__).parent / "fixtures" / "jobposting"
ORIGIN_POINT = Point(47.39, 0.69)  # a terminal in Tours
NNBSP = "\u202f"  # thousands separator in salaries


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def results(data: Any, source: str = "test") -> list[Offer | Rejection]:
    return list(parse(data, source))


def offers(data: Any) -> list[Offer]:
    found = results(data)
    assert all(isinstance(item, Offer) for item in found), found
    return [item for item in found if isinstance(item, Offer)]


def posting(**changes: Any) -> dict[str, Any]:
    """A minimal valid posting, with fields changed (a value of None removes the field)."""
    base: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "identifier": "ID-1",
        "title": "Magasinier (H/F)",
        "datePosted": "2025-03-01",
        "jobLocation": {
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "addressLocality": "Tours",
                "postalCode": "37000",
            },
        },
    }
    base.update(changes)
    return {key: value for key, value in base.items() if value is not None}


def one(**changes: Any) -> Offer:
    [offer] = offers(posting(**changes))
    return offer


def rejected(**changes: Any) -> Rejection:
    [rejection] = results(posting(**changes))
    assert isinstance(rejection, Rejection), rejection
    return rejection


# --- fixtures -------------------------------------------------------------------------------


def test_module_constants() -> None:
    assert FORMAT == "jobposting"
    assert DEFAULT_SOURCE == "jobposting"


def test_graph_page_keeps_the_posting_and_skips_other_nodes_silently() -> None:
    data = load("graph_page_fr.json")
    [offer] = results(data, source="esmb")
    assert isinstance(offer, Offer)
    assert offer.source == "esmb"
    assert offer.external_id == "ESMB-4821"
    assert offer.title == "Cuisinier (H/F)"
    assert offer.description == (
        "Le Bistrot du Lac recrute un cuisinier pour la saison d'été.\n\n"
        "Vos missions :\n\n"
        "• Préparer les entrées et les plats du jour\n"
        "• Respecter les normes HACCP\n\n"
        "Poste nourri, logement possible."
    )
    assert offer.posted_at == datetime(2025, 3, 3, 8, 12, 44, tzinfo=UTC)
    assert offer.updated_at == datetime(2025, 3, 5, 16, 40, 2, tzinfo=UTC)
    assert offer.company == "Le Bistrot du Lac"
    assert (
        offer.company_description == "Restaurant traditionnel au bord du lac d'Annecy, 60 couverts."
    )
    assert (offer.place_label, offer.postcode) == ("Annecy", "74000")
    assert (offer.latitude, offer.longitude) == (45.8992, 6.1294)
    assert offer.located
    assert offer.contract_code == "CDD"  # FULL_TIME + TEMPORARY
    assert offer.working_time is WorkingTime.FULL
    assert offer.apprenticeship is False
    assert offer.salary == f"1{NNBSP}900 € à 2{NNBSP}100 € par mois"
    assert offer.experience == "2 ans"
    assert offer.beginners_welcome is False
    assert offer.skills == (
        Requirement("Cuisine traditionnelle", False),
        Requirement("Gestion des stocks", False),
        Requirement("HACCP", False),
    )
    assert offer.licences == (Requirement("Permis B souhaité", False),)
    assert offer.education == (Requirement("CAP Cuisine", False),)
    assert (offer.rome_code, offer.trade) == ("G1602", "Personnel de cuisine")
    assert offer.sector == "Restauration traditionnelle"
    assert offer.schedule == "39H/semaine, coupures"
    assert offer.positions == 2
    url = "https://www.emplois-savoie-mont-blanc.fr/offres/cuisinier-h-f-annecy-4821/"
    assert offer.offer_url == url
    assert offer.apply_routes == (ApplyRoute(url, "Le Bistrot du Lac"),)
    assert offer.direct_apply is False
    assert offer.raw is data["@graph"][4]


def test_array_feed() -> None:
    interim, apprentice, remote, freelance, seasonal = offers(load("array_feed.json"))

    assert interim.external_id == "918273"  # PropertyValue with a numeric value
    assert interim.company == "Intérim Plus Rennes"  # hiringOrganization as plain text
    assert interim.contract_code == "MIS"  # French free value "Intérim"
    assert interim.working_time is None
    # The first location has only coordinates: the first one with an address wins, with its geo.
    assert (interim.place_label, interim.postcode) == ("Saint-Jacques-de-la-Lande", "35136")
    assert (interim.latitude, interim.longitude) == (48.0886, -1.7025)
    assert interim.salary == "12,50 € de l'heure"
    assert interim.description == (
        "Mission d'intérim de 3 mois en entrepôt logistique.\n\nCACES 1 apprécié.\nHoraires en 2x8."
    )
    assert [s.label for s in interim.skills] == [
        "CACES R489 catégorie 1",
        "Lecture de bons de commande",
    ]
    assert interim.posted_at == datetime(2025, 2, 17, tzinfo=UTC)

    assert apprentice.title == "Apprenti(e) boulanger"
    assert apprentice.apprenticeship is True
    assert apprentice.contract_code == "OTHER"  # FULL_TIME, but an apprenticeship is not a CDI
    assert apprentice.working_time is WorkingTime.FULL
    assert (apprentice.experience, apprentice.beginners_welcome) == ("Débutant accepté", True)
    assert apprentice.education == (Requirement("Baccalauréat", False),)
    assert apprentice.latitude is None

    assert remote.place_label == "Télétravail"
    assert remote.postcode is None
    assert remote.contract_code == "CDI"
    assert remote.salary == f"45{NNBSP}000 € à 55{NNBSP}000 € par an"
    assert remote.experience == "5 ans"
    assert [s.label for s in remote.skills] == ["Python", "Django", "PostgreSQL"]
    assert remote.direct_apply is True
    assert remote.description == "Nous cherchons un développeur Python.\n\n• Django\n• PostgreSQL"

    assert freelance.contract_code == "LIB"
    assert freelance.place_label == "Occitanie"
    assert freelance.salary == "450 € par jour"
    assert freelance.offer_url is None
    assert freelance.apply_routes == ()

    assert seasonal.contract_code == "SAI"
    assert (seasonal.place_label, seasonal.postcode) == ("73700", "73700")
    assert seasonal.salary == f"1{NNBSP}850 €"


def test_single_posting() -> None:
    [offer] = offers(load("single_posting.json"))
    assert offer.external_id == "TIL-2025-003"
    assert offer.title == "Aide-soignant de nuit (H/F)"
    assert offer.place_label == "Saint-Genis-Pouilly"
    assert offer.postcode == "01630"
    assert offer.contract_code == "CDI"
    assert offer.working_time is WorkingTime.PART
    assert offer.salary == f"1{NNBSP}734,50 € à 1{NNBSP}980 € par mois"
    assert (offer.experience, offer.beginners_welcome) == ("Débutant accepté", True)
    assert offer.education == (Requirement("Diplôme d'État d'aide-soignant (DEAS) exigé", True),)
    assert offer.description == (
        "L'EHPAD Les Tilleuls recrute un aide-soignant de nuit en CDI à temps partiel (80 %).\n\n"
        "Profil : DEAS exigé, débutants acceptés."
    )
    assert offer.apply_routes == (
        ApplyRoute(
            "https://www.ehpad-lestilleuls.example.fr/emplois/TIL-2025-003", "EHPAD Les Tilleuls"
        ),
    )


def test_weird_variants() -> None:
    seller, waiter, translator, driver = offers(load("weird_variants.json"))

    assert seller.external_id == "20250117"
    assert seller.title == "Vendeur & conseiller"
    assert seller.description == "Conseil client en magasin."  # escaped markup, script dropped
    assert seller.posted_at == datetime(2025, 1, 17, 8, 0, 0, 123456, tzinfo=UTC)
    assert seller.company == "Décathlon Grenoble"
    assert (seller.place_label, seller.postcode) == ("Grenoble", "38100")  # address as text
    assert (seller.contract_code, seller.working_time) == ("CDI", WorkingTime.FULL)
    assert seller.salary == "Selon profil"
    assert seller.offer_url is None  # javascript: dropped
    assert seller.apply_routes == ()

    assert waiter.external_id == "W-2"  # the first identifier with a value
    assert waiter.title == "Serveur 🍽️ / Serveuse"
    assert waiter.company is None  # a number is not a name
    assert (waiter.place_label, waiter.postcode) == ("Biarritz", "64200")
    assert (waiter.latitude, waiter.longitude) == (None, None)  # (0, 0) is missing data
    assert (waiter.contract_code, waiter.working_time) == ("CDD", WorkingTime.PART)
    assert waiter.salary == f"4{NNBSP}200 CHF par mois"
    assert waiter.beginners_welcome is True
    assert waiter.apply_routes == (
        ApplyRoute("https://www.example.fr/emplois/serveur", "Site du recruteur"),
    )

    assert translator.external_id == "urn:uuid:7c2f4a6e-2b1f-4d0e-9a44-0d3a1d2e5f60"  # @id
    assert translator.title == "مترجم عربي فرنسي"
    assert translator.description == "ترجمة الوثائق الإدارية"
    assert translator.posted_at == datetime(2025, 2, 10, 10, 0, tzinfo=UTC)
    assert translator.place_label == "Marseille 3e"
    assert (translator.latitude, translator.longitude) == (43.3112, 5.3806)
    assert (translator.contract_code, translator.apprenticeship) == ("OTHER", False)  # INTERN
    assert translator.experience == "18 mois"
    assert translator.salary == "À partir de 600,60 € par mois"

    assert driver.external_id == "https://recrutement.example.org/postes/chauffeur-spl"  # url
    assert driver.description == ""
    assert driver.company is None
    assert driver.place_label == "Lille"
    assert driver.latitude is None  # the coordinates belong to another location
    assert driver.contract_code == "OTHER"  # VOLUNTEER
    assert driver.salary == f"2{NNBSP}300 € à 2{NNBSP}600 € par mois"  # min/max swapped back
    assert driver.licences == (
        Requirement("Permis C", False),
        Requirement("Permis CE obligatoire", True),
    )
    assert driver.skills == ()
    assert driver.qualifications == ("FIMO à jour",)
    assert driver.direct_apply is False  # only a JSON true counts
    assert driver.positions == 3


def test_bad_records_are_rejected_one_by_one_and_never_stop_the_rest() -> None:
    notes: list[str] = []
    found = list(parse(load("mixed_good_bad.json"), "test", notes=notes))
    summary = [
        (
            item.external_id[:3] if item.external_id.startswith("jp-") else item.external_id,
            item.title,
        )
        if isinstance(item, Offer)
        else (item.external_id, item.reason)
        for item in found
    ]
    assert summary == [
        ("GOOD-1", "Agent d'entretien (H/F)"),
        ("BAD-NO-TITLE", "title is missing or empty"),
        ("BAD-NO-DATE", "datePosted is missing or not text"),
        ("BAD-DATE", "datePosted is not an ISO 8601 date: '01/03/2025'"),
        (
            "BAD-NO-PLACE",
            "jobLocation has no address with addressLocality, postalCode or addressRegion "
            "and jobLocationType is not TELECOMMUTE",
        ),
        ("jp-", "Offre sans identifiant"),  # an identity made from what it says
        (None, "expected a JobPosting object, got str"),
        (None, "expected a JobPosting object, got int"),
        (None, "expected a JobPosting object, got NoneType"),
        ("GOOD-2", "Plombier chauffagiste"),
    ]
    assert notes == ["a Organization node was skipped: not a JobPosting"]
    good = found[-1]
    assert isinstance(good, Offer)
    assert good.contract_code == "CDD"  # TEMPORARY
    assert good.raw["validThrough"] == "2020-01-01"  # a past validThrough is the store's business


# --- containers and types -------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind",
    [
        "JobPosting",
        "https://schema.org/JobPosting",
        "http://schema.org/JobPosting",
        "schema:JobPosting",
        ["Thing", "JobPosting"],
    ],
)
def test_type_forms(kind: Any) -> None:
    assert one(**{"@type": kind}).title == "Magasinier (H/F)"


def test_nested_arrays_and_graphs() -> None:
    data = [
        [posting(identifier="A")],
        {
            "@context": "https://schema.org",
            "@graph": [{"@type": "WebPage"}, posting(identifier="B")],
        },
        {"@graph": posting(identifier="C")},
        [[posting(identifier="D")]],
    ]
    assert [offer.external_id for offer in offers(data)] == ["A", "B", "C", "D"]


def test_graph_skips_nodes_without_type_but_rejects_garbage() -> None:
    data = {"@graph": [{"@id": "#ref"}, {"@type": "Organization"}, "junk", posting()]}
    found = results(data)
    assert found[0] == Rejection(None, "expected a JobPosting object, got str")
    assert isinstance(found[1], Offer)
    assert len(found) == 2


def test_object_outside_a_graph_without_type_is_rejected() -> None:
    data = posting()
    del data["@type"]
    assert results([data]) == [Rejection("ID-1", "@type is missing, not JobPosting")]


def test_deep_nesting_is_rejected_not_a_crash() -> None:
    data: Any = posting()
    for _ in range(200):
        data = [data]
    assert results(data) == [Rejection(None, "arrays nested too deeply to be a JobPosting feed")]


def test_empty_inputs_give_nothing() -> None:
    assert results([]) == []
    assert results({"@graph": []}) == []


# --- identity, dates, text ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("identifier", "expected"),
    [
        ("  ABC-1 ", "ABC-1"),
        (123456, "123456"),
        (123456.0, "123456"),
        ({"@type": "PropertyValue", "name": "France Travail", "value": "190XYZK"}, "190XYZK"),
        ({"@type": "PropertyValue", "name": "ATS", "value": 77}, "77"),
        ([{"name": "a", "value": None}, "second"], "second"),
        ({"@value": "from-value-object"}, "from-value-object"),
    ],
)
def test_identifier_forms(identifier: Any, expected: str) -> None:
    assert one(identifier=identifier).external_id == expected


def test_identifier_falls_back_to_url_then_id() -> None:
    url = "https://example.fr/offres/9"
    assert one(identifier=None, url=url).external_id == url
    assert one(identifier="", **{"@id": "urn:uuid:1234"}).external_id == "urn:uuid:1234"
    assert one(identifier=True, url=url).external_id == url


@pytest.mark.parametrize("local_id", ["#job-9", "_:b0"])
def test_an_id_local_to_its_document_is_not_an_identity(local_id: str) -> None:
    offer = one(identifier=None, **{"@id": local_id})
    assert offer.external_id.startswith("jp-")


def test_a_posting_without_identity_gets_one_from_what_it_says() -> None:
    first = one(identifier=[None, {}, ""])
    again = one(identifier=None)
    assert first.external_id == again.external_id  # read twice: the same offer
    assert first.external_id.startswith("jp-")
    others = [
        one(identifier=None, title="Cariste (H/F)"),
        one(identifier=None, datePosted="2025-03-02"),
        one(identifier=None, hiringOrganization="Autre employeur"),
        one(identifier=None, jobLocation={"address": "37100 Tours"}),
    ]
    ids = {first.external_id, *(offer.external_id for offer in others)}
    assert len(ids) == 5  # any difference in title, date, company or place: another offer
    [other_source] = [o for o in parse(posting(identifier=None), "autre") if isinstance(o, Offer)]
    assert other_source.external_id != first.external_id


@pytest.mark.parametrize(
    ("title", "reason"),
    [
        (None, "title is missing or empty"),
        ("", "title is missing or empty"),
        ("<p> </p>", "title is missing or empty"),
        (["Magasinier"], "title is missing or empty"),
        (42, "title is missing or empty"),
    ],
)
def test_bad_title_is_rejected(title: Any, reason: str) -> None:
    assert rejected(title=title) == Rejection("ID-1", reason)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-03-01", datetime(2025, 3, 1, tzinfo=UTC)),
        ("2025-03-01T08:00:00+02:00", datetime(2025, 3, 1, 6, tzinfo=UTC)),
        ("2025-03-01T08:00:00Z", datetime(2025, 3, 1, 8, tzinfo=UTC)),
        ("2025-03-01T08:00:00.137Z", datetime(2025, 3, 1, 8, 0, 0, 137000, tzinfo=UTC)),
    ],
)
def test_date_posted_forms(value: str, expected: datetime) -> None:
    assert one(datePosted=value).posted_at == expected


@pytest.mark.parametrize("value", [None, 20250301, "hier", ["2025-03-01"], "2025-02-30"])
def test_bad_date_posted_is_rejected(value: Any) -> None:
    rejection = rejected(datePosted=value)
    assert rejection.external_id == "ID-1"
    assert rejection.reason.startswith("datePosted ")


@pytest.mark.parametrize("value", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"])
def test_out_of_range_dates_are_handled_not_raised(value: str) -> None:
    assert rejected(datePosted=value) == Rejection(
        "ID-1", f"datePosted is not an ISO 8601 date: {value!r}"
    )
    assert one(dateModified=value).updated_at is None


def test_integers_too_big_for_a_float_are_unreadable_numbers_not_errors() -> None:
    huge = json.loads("1" + "0" * 400)
    offer = one(
        totalJobOpenings=huge,
        baseSalary=huge,
        experienceRequirements={"monthsOfExperience": huge},
        jobLocation={
            "address": {"addressLocality": "Tours"},
            "geo": {"latitude": huge, "longitude": 1},
        },
    )
    assert (offer.positions, offer.salary, offer.experience, offer.latitude) == (None,) * 4


def test_date_modified_is_optional() -> None:
    assert one(dateModified="2025-03-02T10:00:00Z").updated_at == datetime(
        2025, 3, 2, 10, tzinfo=UTC
    )
    assert one(dateModified="bientôt").updated_at is None
    assert one().updated_at is None


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        (None, ""),
        (["<p>x</p>"], ""),
        ("Ligne 1\nLigne 2", "Ligne 1\nLigne 2"),
        ("<p>Un</p><p>Deux<br>Trois</p>", "Un\n\nDeux\nTrois"),
        ("&lt;p&gt;Échappé&lt;/p&gt;", "Échappé"),
        ("&amp;lt;b&amp;gt;Deux fois&amp;lt;/b&amp;gt;", "Deux fois"),  # escaped twice
        ("<p>&lt;b&gt;Mélangé&lt;/b&gt;</p>", "Mélangé"),
        ('<div onclick="x()">Salut<script>alert(1)</script><style>p{}</style></div>', "Salut"),
        ("Salaire < 2000 € et > 1500 €", "Salaire < 2000 € et > 1500 €"),
    ],
)
def test_description_is_plain_text(description: Any, expected: str) -> None:
    text = one(description=description).description
    assert text == expected
    assert "<p" not in text and "<b" not in text and "<script" not in text


# --- company and place ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("organization", "company", "about"),
    [
        ("Mairie de Rennes", "Mairie de Rennes", None),
        ({"@type": "Organization", "name": "  SNCF  Voyageurs "}, "SNCF Voyageurs", None),
        ({"name": "Acme", "description": "<p>Fabricant</p>"}, "Acme", "Fabricant"),
        ({"legalName": "ACME SAS"}, "ACME SAS", None),
        ([{"name": "Premier"}, {"name": "Second"}], "Premier", None),
        ({"name": ["liste"]}, None, None),
        (None, None, None),
        (3.5, None, None),
    ],
)
def test_hiring_organization(organization: Any, company: str | None, about: str | None) -> None:
    offer = one(hiringOrganization=organization, url="https://example.fr/o/1")
    assert (offer.company, offer.company_description) == (company, about)
    assert offer.apply_routes == (
        ApplyRoute("https://example.fr/o/1", company or "Site du recruteur"),
    )


@pytest.mark.parametrize(
    ("location", "label", "postcode"),
    [
        (
            {"address": {"addressLocality": "SAINT-DENIS-SUR-SARTHON"}},
            "Saint-Denis-sur-Sarthon",
            None,
        ),
        (
            {"address": {"addressLocality": "Paris 13e", "postalCode": "75013"}},
            "Paris 13e",
            "75013",
        ),
        ({"address": {"addressRegion": "Bretagne", "postalCode": "35000"}}, "Bretagne", "35000"),
        ({"address": {"postalCode": 69001}}, "69001", "69001"),
        ({"address": "Lyon"}, "Lyon", None),
        ({"address": "12 rue de la Paix, 75002 Paris, France"}, "Paris", "75002"),
        ({"address": "75002"}, "75002", "75002"),
        ({"addressLocality": "Dijon"}, "Dijon", None),  # address fields right on the Place
        ("Bordeaux", "Bordeaux", None),  # jobLocation as text
        (
            [{"address": {"addressCountry": "FR"}}, {"address": {"addressLocality": "Metz"}}],
            "Metz",
            None,
        ),
        ({"address": [None, {"addressLocality": "Caen"}]}, "Caen", None),
    ],
)
def test_job_location_forms(location: Any, label: str, postcode: str | None) -> None:
    offer = one(jobLocation=location)
    assert (offer.place_label, offer.postcode) == (label, postcode)


def test_telecommute() -> None:
    remote = one(jobLocation=None, jobLocationType="TELECOMMUTE")
    assert (remote.place_label, remote.postcode, remote.latitude) == ("Télétravail", None, None)
    assert one(jobLocation=None, jobLocationType=["telecommute"]).place_label == "Télétravail"
    # Hybrid: an office address wins over the remote label.
    assert one(jobLocationType="TELECOMMUTE").place_label == "Tours"


@pytest.mark.parametrize(
    "location", [None, {}, [], "", {"address": {}}, {"geo": {"latitude": 45}}, 7]
)
def test_missing_place_is_rejected(location: Any) -> None:
    assert rejected(jobLocation=location).reason.startswith("jobLocation has no address")


@pytest.mark.parametrize(
    ("geo", "expected"),
    [
        ({"latitude": 45.9, "longitude": 6.13}, (45.9, 6.13)),
        ({"latitude": "45.9", "longitude": "6.13"}, (45.9, 6.13)),
        ({"latitude": "45,9", "longitude": "-1,5"}, (45.9, -1.5)),
        ([{"latitude": 44.1, "longitude": 3.2}], (44.1, 3.2)),
        ({"latitude": 91, "longitude": 6}, (None, None)),
        ({"latitude": 45, "longitude": 181}, (None, None)),
        ({"latitude": 0, "longitude": 0}, (None, None)),
        ({"latitude": "NaN", "longitude": "inf"}, (None, None)),
        ({"latitude": "nord", "longitude": 6}, (None, None)),
        ({"latitude": True, "longitude": 6}, (None, None)),
        ({"latitude": 45}, (None, None)),
        ("45.9,6.13", (None, None)),
    ],
)
def test_coordinates(geo: Any, expected: tuple[float | None, float | None]) -> None:
    offer = one(jobLocation={"address": {"addressLocality": "Annecy"}, "geo": geo})
    assert (offer.latitude, offer.longitude) == expected


# --- contract -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("employment", "code", "working_time"),
    [
        ("FULL_TIME", "CDI", WorkingTime.FULL),
        ("PART_TIME", "CDI", WorkingTime.PART),
        (["FULL_TIME", "PART_TIME"], "CDI", None),
        ("full-time", "CDI", WorkingTime.FULL),
        (["FULL_TIME", "TEMPORARY"], "CDD", WorkingTime.FULL),
        ("TEMPORARY", "CDD", None),
        ("CONTRACTOR", "LIB", None),
        ("INTERN", "OTHER", None),
        ("VOLUNTEER", "OTHER", None),
        (["FULL_TIME", "PER_DIEM"], "OTHER", WorkingTime.FULL),
        ("OTHER", "OTHER", None),
        (None, "OTHER", None),
        ("", "OTHER", None),
        (["", 7, None], "OTHER", None),
        ({"value": "FULL_TIME"}, "OTHER", None),
        ("cdi", "CDI", None),
        ("CDD", "CDD", None),
        ("Intérim", "MIS", None),
        ("INTERIM", "MIS", None),
        ("saisonnier", "SAI", None),
        ("CDI, Temps plein", "CDI", WorkingTime.FULL),
        ("CDD / temps partiel", "CDD", WorkingTime.PART),
        (["PART_TIME", "cdd"], "CDD", WorkingTime.PART),
    ],
)
def test_employment_type(employment: Any, code: str, working_time: WorkingTime | None) -> None:
    offer = one(employmentType=employment)
    assert (offer.contract_code, offer.working_time) == (code, working_time)
    assert offer.apprenticeship is False


@pytest.mark.parametrize(
    ("title", "employment", "code"),
    [
        ("Apprenti cuisinier", "FULL_TIME", "OTHER"),
        ("Vendeur en alternance", "PART_TIME", "OTHER"),
        ("Alternant(e) comptable", None, "OTHER"),
        ("Assistant RH", "APPRENTICESHIP", "OTHER"),
        ("Assistant RH", ["INTERN", "Apprentissage"], "OTHER"),
        ("Mécanicien - contrat de professionnalisation", "CDD", "CDD"),
        ("Apprentie coiffeuse", "CDI", "CDI"),
    ],
)
def test_apprenticeship(title: str, employment: Any, code: str) -> None:
    offer = one(title=title, employmentType=employment)
    assert (offer.apprenticeship, offer.contract_code) == (True, code)


# --- salary ---------------------------------------------------------------------------------


def amount(value: Any, unit: str | None = "MONTH", currency: Any = "EUR") -> dict[str, Any]:
    quantity = {"@type": "QuantitativeValue", "unitText": unit}
    quantity.update(value)
    return {"@type": "MonetaryAmount", "currency": currency, "value": quantity}


@pytest.mark.parametrize(
    ("salary", "expected"),
    [
        (amount({"value": 12.5}, "HOUR"), "12,50 € de l'heure"),
        (amount({"value": 12.499}, "HOUR"), "12,50 € de l'heure"),
        (amount({"minValue": 1900, "maxValue": 2100}), f"1{NNBSP}900 € à 2{NNBSP}100 € par mois"),
        (amount({"value": 35000}, "YEAR"), f"35{NNBSP}000 € par an"),
        (amount({"value": 1234567.5}, "YEAR"), f"1{NNBSP}234{NNBSP}567,50 € par an"),
        (amount({"value": 95}, "DAY"), "95 € par jour"),
        (amount({"value": 480}, "WEEK"), "480 € par semaine"),
        (amount({"value": 2000}, "month"), f"2{NNBSP}000 € par mois"),
        (amount({"value": 2000}, None), f"2{NNBSP}000 €"),
        (amount({"value": 2000}, "FORTNIGHT"), f"2{NNBSP}000 €"),
        (amount({"minValue": 2000, "maxValue": 2000}), f"2{NNBSP}000 € par mois"),
        (amount({"maxValue": 2500}), f"Jusqu'à 2{NNBSP}500 € par mois"),
        (amount({"minValue": "1 800,50"}), f"À partir de 1{NNBSP}800,50 € par mois"),
        (amount({"value": 3000}, currency="USD"), f"3{NNBSP}000 USD par mois"),
        (amount({"value": 3000}, currency="gbp"), f"3{NNBSP}000 GBP par mois"),
        (amount({"value": 3000}, currency="€"), f"3{NNBSP}000 € par mois"),
        (amount({"value": 3000}, currency="Euros"), f"3{NNBSP}000 € par mois"),
        (amount({"value": 3000}, currency=None), f"3{NNBSP}000 € par mois"),
        (amount({"value": 3000}, currency="dollars US"), None),
        (amount({"value": 3000}, currency=978), None),
        ({"@type": "MonetaryAmount", "currency": "EUR", "value": 2200}, f"2{NNBSP}200 €"),
        (
            {"currency": "EUR", "minValue": 11, "maxValue": 13, "unitText": "HOUR"},
            "11 € à 13 € de l'heure",
        ),
        (2100, f"2{NNBSP}100 €"),
        ("2100", f"2{NNBSP}100 €"),
        ("  Selon   profil ", "Selon profil"),
        ("1 900 € brut mensuel", f"1{NNBSP}900 € brut par mois"),
        ([amount({"value": 11.88}, "HOUR")], "11,88 € de l'heure"),
        (amount({"value": 0}), None),
        (amount({"value": -5}), None),
        (amount({"value": 1e12}), None),
        (amount({"value": "beaucoup"}), "beaucoup"),  # text where a number belongs: as written
        (amount({"value": None}), None),
        (True, None),
        ({}, None),
        ("x" * 10_000, None),
        (None, None),
    ],
)
def test_base_salary(salary: Any, expected: str | None) -> None:
    assert one(baseSalary=salary).salary == expected


def test_salary_currency_on_the_posting_is_a_fallback() -> None:
    assert one(baseSalary=2500, salaryCurrency="CHF").salary == f"2{NNBSP}500 CHF"


# --- experience, requirements, occupation ---------------------------------------------------


@pytest.mark.parametrize(
    ("experience", "text", "beginners"),
    [
        ({"@type": "OccupationalExperienceRequirements", "monthsOfExperience": 12}, "1 an", False),
        ({"monthsOfExperience": 36}, "3 ans", False),
        ({"monthsOfExperience": 6}, "6 mois", False),
        ({"monthsOfExperience": "18"}, "18 mois", False),
        ({"monthsOfExperience": 0}, "Débutant accepté", True),
        ({"monthsOfExperience": -3}, None, False),
        ({"monthsOfExperience": 10_000}, None, False),
        ({"description": "Expérience en vente"}, "Expérience en vente", False),
        ("no requirements", "Débutant accepté", True),
        ("Débutants acceptés", "Débutant accepté", True),
        ("Aucune expérience requise", "Débutant accepté", True),
        ("Débutant s'abstenir, 5 ans minimum", "Débutant s'abstenir, 5 ans minimum", False),
        ("2 ans en restauration", "2 ans en restauration", False),
        ([{"monthsOfExperience": 24}], "2 ans", False),
        (None, None, False),
        (42, None, False),
    ],
)
def test_experience(experience: Any, text: str | None, beginners: bool) -> None:
    offer = one(experienceRequirements=experience)
    assert (offer.experience, offer.beginners_welcome) == (text, beginners)


def test_requirements_from_text_lists_and_objects() -> None:
    offer = one(
        skills=["Python, SQL", {"@type": "DefinedTerm", "name": "Git"}, "python", 12, None],
        qualifications="<ul><li>Rigueur, sens du service</li><li>Permis B indispensable</li></ul>",
        educationRequirements=[
            {"@type": "EducationalOccupationalCredential", "credentialCategory": "bachelor degree"},
            {"@type": "EducationalOccupationalCredential", "credentialCategory": "Licence pro"},
            "BTS MUC requis; ou équivalent",
        ],
    )
    assert offer.skills == (
        Requirement("Python", False),
        Requirement("SQL", False),
        Requirement("Git", False),
    )
    assert offer.qualifications == ("Rigueur, sens du service",)  # not split on commas
    assert offer.licences == (Requirement("Permis B indispensable", True),)
    assert offer.education == (
        Requirement("Bac+3", False),
        Requirement("Licence pro", False),
        Requirement("BTS MUC requis", True),
        Requirement("ou équivalent", False),
    )


def test_credentials_in_qualifications_are_education() -> None:
    offer = one(qualifications={"credentialCategory": "postgraduate degree", "name": "Master RH"})
    assert (offer.skills, offer.education) == ((), (Requirement("Master RH", False),))


def test_requirements_are_capped_and_prose_is_dropped() -> None:
    offer = one(skills=[f"Compétence {n}" for n in range(100)] + ["x" * 10_000])
    assert len(offer.skills) == 30
    assert all(len(skill.label) <= 200 for skill in offer.skills)


@pytest.mark.parametrize(
    ("category", "rome", "trade"),
    [
        (
            "M1805 - Études et développement informatique",
            "M1805",
            "Études et développement informatique",
        ),
        ("K2204", "K2204", None),
        ("Boulangerie", None, "Boulangerie"),
        (["Vente", "Commerce"], None, "Vente"),
        ({"@type": "CategoryCode", "name": "Logistique"}, None, "Logistique"),
        (15, None, "15"),
        (None, None, None),
    ],
)
def test_occupational_category(category: Any, rome: str | None, trade: str | None) -> None:
    offer = one(occupationalCategory=category)
    assert (offer.rome_code, offer.trade) == (rome, trade)


# --- the rest -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [(True, True), (False, False), ("true", False), (1, False), (None, False)],
)
def test_direct_apply(value: Any, expected: bool) -> None:
    assert one(directApply=value).direct_apply is expected


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "//example.fr/offre",
        "https://example.fr/une offre",
        "ftp://example.fr/offre",
        "https://" + "a" * 3000 + ".fr",
    ],
)
def test_unsafe_urls_are_dropped(url: str) -> None:
    offer = one(url=url)
    assert offer.external_id == "ID-1"
    assert (offer.offer_url, offer.apply_routes) == (None, ())


def test_unsafe_url_still_identifies_a_posting_without_identifier() -> None:
    offer = one(identifier=None, url="javascript:void(0)")
    assert offer.external_id == "javascript:void(0)"
    assert offer.offer_url is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [(3, 3), ("3", 3), (3.0, 3), (2.5, None), (0, None), (-1, None), (10**9, None), (True, None)],
)
def test_total_job_openings(value: Any, expected: int | None) -> None:
    assert one(totalJobOpenings=value).positions == expected


@pytest.mark.parametrize(
    ("industry", "expected"),
    [
        ("Hôtellerie", "Hôtellerie"),
        (["BTP", "Génie civil"], "BTP"),
        ({"@type": "DefinedTerm", "name": "Santé"}, "Santé"),
        ("y" * 10_000, None),
        (None, None),
    ],
)
def test_industry_is_the_sector(industry: Any, expected: str | None) -> None:
    assert one(industry=industry).sector == expected


def test_valid_through_in_the_past_is_not_a_rejection() -> None:
    assert one(validThrough="2001-01-01").title == "Magasinier (H/F)"


def test_raw_and_source() -> None:
    data = posting()
    [offer] = results(data, source="partenaire-x")
    assert isinstance(offer, Offer)
    assert offer.raw is data
    assert offer.source == "partenaire-x"


def test_long_text_does_not_break_anything() -> None:
    long_title = "Très " * 2_000
    offer = one(title=long_title, description="<p>" + "é" * 10_000 + "</p>")
    assert offer.title == long_title.strip()
    assert offer.description == "é" * 10_000


HOSTILE_VALUES: list[Any] = [
    None,
    True,
    0,
    -1.5,
    float("nan"),
    "",
    "x" * 10_000,
    "javascript:alert(1)",
    "\u200fשלום\u200e مرحبا 🚀 \u202eevil",
    "<script>alert(1)</script>",
    [],
    [None, 1, "a", {}],
    {},
    {"@type": "Thing", "value": {"value": []}},
    [[[[{}]]]],
    json.loads("9" * 400),
]
FIELDS = [
    "@type",
    "identifier",
    "title",
    "description",
    "datePosted",
    "dateModified",
    "hiringOrganization",
    "jobLocation",
    "jobLocationType",
    "employmentType",
    "baseSalary",
    "salaryCurrency",
    "experienceRequirements",
    "skills",
    "qualifications",
    "educationRequirements",
    "occupationalCategory",
    "industry",
    "totalJobOpenings",
    "workHours",
    "directApply",
    "url",
    "@id",
]
NESTED_PATHS = [
    ("identifier", "value"),
    ("hiringOrganization", "name"),
    ("jobLocation", "address"),
    ("jobLocation", "geo"),
    ("baseSalary", "value"),
    ("baseSalary", "currency"),
    ("experienceRequirements", "monthsOfExperience"),
]


def rich_posting() -> dict[str, Any]:
    return copy.deepcopy(load("graph_page_fr.json")["@graph"][4])


@pytest.mark.parametrize("field", FIELDS)
def test_hostile_values_in_any_field_never_raise(field: str) -> None:
    for value in HOSTILE_VALUES:
        data = rich_posting()
        data[field] = value
        found = results([data, posting(identifier="after")])
        assert len(found) == 2, (field, value)
        assert isinstance(found[1], Offer)
        if isinstance(found[0], Offer):
            assert found[0].title and found[0].place_label
            assert found[0].offer_url in (None, data.get("url"))


@pytest.mark.parametrize(("parent", "child"), NESTED_PATHS)
def test_hostile_values_in_nested_fields_never_raise(parent: str, child: str) -> None:
    for value in HOSTILE_VALUES:
        data = rich_posting()
        data[parent][child] = value
        [result] = results(data)
        assert isinstance(result, Offer | Rejection)


# --- dispatch -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "count"),
    [
        ("graph_page_fr.json", 1),
        ("array_feed.json", 5),
        ("single_posting.json", 1),
        ("weird_variants.json", 4),
    ],
)
def test_parse_payload_dispatches_jobposting(fixture: str, count: int) -> None:
    data = load(fixture)
    assert detect_format(data) == "jobposting"
    found = list(parse_payload(data))
    assert len(found) == count
    assert all(isinstance(item, Offer) and item.source == "jobposting" for item in found)
    sources = [getattr(item, "source", None) for item in parse_payload(data, "mon-site")]
    assert sources == ["mon-site"] * count


def test_parse_payload_keeps_rejections() -> None:
    found = list(parse_payload(load("mixed_good_bad.json")))
    assert [type(item).__name__ for item in found].count("Rejection") == 7
    ids = [item.external_id[:3] for item in found if isinstance(item, Offer)]
    assert ids == ["GOO", "jp-", "GOO"]


# --- pages as sites publish them (kiosk.formats.pages) ----------------------------------------


def read_fixture(name: str) -> tuple[list[Offer | Rejection], pages.Page]:
    page = pages.read_page((FIXTURES / name).read_bytes(), name)
    return list(pages.parse_page(page, None)), page


def test_a_saved_career_page_gives_its_posting_under_the_page_url() -> None:
    found, page = read_fixture("career_page_fr.html")
    [offer] = found
    assert isinstance(offer, Offer)
    canonical = "https://www.maison-ferrand.example.fr/carrieres/boulanger-patissier-hf"
    assert page.page_url == canonical  # <link rel=canonical> before og:url (with its utm_)
    assert offer.external_id == offer.offer_url == canonical  # no identifier, url or @id
    assert offer.apply_routes == (ApplyRoute(canonical, "Boulangerie Maison Ferrand"),)
    assert offer.title == "Boulanger-pâtissier (H/F)"
    assert offer.company == "Boulangerie Maison Ferrand"
    assert (offer.place_label, offer.postcode) == ("Tours", "37000")
    assert (offer.latitude, offer.longitude) == (47.3941, 0.6848)  # text coordinates
    assert (offer.contract_code, offer.working_time) == ("CDI", WorkingTime.FULL)
    assert offer.salary == f"1{NNBSP}950 € à 2{NNBSP}200 € par mois"  # "1 950", MONTHLY
    assert offer.positions == 1  # "1"
    assert offer.sector == "Boulangerie-pâtisserie"
    # &nbsp; runs, entities and literal "\n" sequences read as text.
    assert offer.description == (
        "Notre boulangerie artisanale recrute un boulanger-pâtissier pour son fournil.\n\n"
        "Vous façonnez le pain au levain, les viennoiseries et les entremets du week-end.\n\n"
        "Pré-requis : CAP boulanger."
    )
    assert offer.responsibilities == (
        "• Façonnage et cuisson du pain\n• Viennoiseries du matin\n• Entremets du week-end"
    )
    assert offer.benefits == (
        "• Mutuelle prise en charge à 100 %\n• Deux dimanches libres par mois\n• Pain offert"
    )
    assert offer.qualifications == ("CAP boulanger ou équivalent", "Première expérience en fournil")
    assert [s.label for s in offer.skills] == ["Pâte au levain", "Lamination", "Hygiène HACCP"]
    # CDATA markers, a trailing comma and a missing comma repaired; the rest skipped, said.
    assert page.notes == [
        "JSON-LD block 2 (line 14) is an empty {}: skipped",
        "JSON-LD blocks without a JobPosting skipped: Organization, BreadcrumbList",
    ]


def test_the_stored_record_is_the_same_offer_when_parsed_again_without_its_page() -> None:
    [offer], _ = read_fixture("career_page_fr.html")
    assert isinstance(offer, Offer)
    [again] = parse(json.loads(json.dumps(offer.raw)), DEFAULT_SOURCE)
    assert again == offer
    assert again.external_id == offer.external_id
    [twice], _ = read_fixture("career_page_fr.html")
    assert twice == offer


def test_a_bare_block_wrapped_in_content_with_a_trailing_comma() -> None:
    data = (FIXTURES / "wttj_content_block.json").read_bytes()
    assert pages.wanted(data)
    found, page = read_fixture("wttj_content_block.json")
    [offer] = found
    assert isinstance(offer, Offer)
    assert detect_format(json.loads(data.replace(b'"FR"},\n', b'"FR"}\n'))) == FORMAT
    assert offer.external_id.startswith("jp-")  # no page, no id: from what it says
    assert offer.title == "Développeur·se Back-End Python - CDI"
    assert offer.company == "Escapade"
    assert (offer.place_label, offer.postcode) == ("Lyon", "69002")
    assert (offer.contract_code, offer.working_time) == ("CDI", WorkingTime.FULL)
    assert offer.salary == f"42{NNBSP}000 € à 50{NNBSP}000 € par an"
    assert offer.experience == "2 ans"
    assert "l'équipe Produit" in offer.description and "Stack : Python" in offer.description
    assert page.notes == []


def test_a_foreign_posting_in_a_main_entity_has_its_country_and_no_distance() -> None:
    [offer], page = read_fixture("us_careers_page.html")
    assert isinstance(offer, Offer)
    assert offer.external_id == "R-204518"  # its identifier, not the page
    assert offer.offer_url == page.page_url  # og:url: the QR code leads to the posting
    assert offer.title == "Warehouse Associate"
    assert offer.company == "Northwind Logistics, Inc."
    assert offer.place_label == "Seattle (États-Unis)"
    assert (offer.latitude, offer.longitude) == (None, None)  # never 8,000 km away
    assert offer.notes == ("offer abroad (États-Unis): kept without a distance",)
    assert offer.salary == "19,50 USD à 23 USD de l'heure"  # "19.50", HOURLY
    assert offer.contract_code == "CDD"  # TEMPORARY
    assert offer.responsibilities == (
        "• Pick and pack orders accurately\n• Operate pallet jacks safely\n"
        "• Keep the work area clean"
    )
    assert offer.qualifications == ("18 years or older", "Able to lift up to 50 lbs")
    assert offer.benefits is not None and offer.benefits.startswith("Medical, dental")
    assert offer.beginners_welcome


def test_an_item_list_and_coordinates_that_cannot_be_right() -> None:
    notes: list[str] = []
    found = list(parse(load("itemlist_places.json"), "test", notes=notes))
    assert all(isinstance(item, Offer) for item in found)
    by_id = {item.external_id: item for item in found if isinstance(item, Offer)}
    swapped = by_id["/offres/agent-de-quai-bordeaux"]  # a relative url, no page: still an id
    assert (swapped.latitude, swapped.longitude) == (44.8378, -0.5792)
    assert swapped.notes == ("latitude and longitude were swapped (-0.5792, 44.8378): put back",)
    assert (swapped.place_label, swapped.contract_code) == ("Bordeaux", "MIS")  # "Intérim"
    assert swapped.salary == "12,50 € de l'heure"
    nowhere = by_id["TG-0002"]
    assert (nowhere.latitude, nowhere.longitude, nowhere.postcode) == (None, None, "33700")
    assert nowhere.salary == "Selon profil et expérience"
    abroad = by_id["TG-0003"]
    assert (abroad.place_label, abroad.latitude) == ("Bruxelles (Belgique)", None)
    assert abroad.contract_code == "LIB"  # CONTRACTOR
    assert abroad.salary == f"2{NNBSP}300 € à 2{NNBSP}600 € brut par mois"  # free text
    new_york = by_id["TG-0004"]  # in France by its address, in New York by its coordinates
    assert (new_york.place_label, new_york.latitude) == ("Libourne", None)
    assert new_york.notes == (
        "coordinates 40.71, -74.0 are outside France: kept without a distance",
    )
    assert (new_york.contract_code, new_york.working_time) == ("CDI", WorkingTime.FULL)
    assert new_york.salary == f"24{NNBSP}000 € à 26{NNBSP}000 € par an"  # YEARLY
    assert notes == []


def test_one_bad_block_never_stops_the_others_and_says_why() -> None:
    found, _ = read_fixture("broken_blocks.html")
    rejections = [item.reason for item in found if isinstance(item, Rejection)]
    assert [item.external_id for item in found if isinstance(item, Offer)] == ["OK-1", "OK-2"]
    assert len(rejections) == 3
    assert rejections[0].startswith("broken_blocks.html: JSON-LD block 1 (line 3): not valid")
    assert rejections[0].endswith("repairing it would mean guessing what was meant")  # cut off
    assert rejections[1].endswith("a comma with no value before it: a value may be missing")
    assert "is not JSON and cannot be repaired without guessing" in rejections[2]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"a": 1, "b": [1, 2,],}', {"a": 1, "b": [1, 2]}),  # trailing commas
        ('{"a": "x"\n "b": {"c": 2}\n "d": 3}', {"a": "x", "b": {"c": 2}, "d": 3}),  # missing
        ('//<![CDATA[\n{"a": 1}\n//]]>', {"a": 1}),
        ('/*<![CDATA[*/{"a": 1}/*]]>*/', {"a": 1}),
        ('<!--\n{"a": 1}\n-->', {"a": 1}),
        ('{"a": "line one\nline two"}', {"a": "line one\nline two"}),  # a raw line break
        ('[{"a": 1.50}, {"b": "2"},]', [{"a": 1.5}, {"b": "2"}]),
    ],
)
def test_repairs_whose_meaning_is_clear(text: str, expected: Any) -> None:
    assert pages.decode_json(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        '{"a": "x", "b": ',  # cut off: json_repair would invent an empty value
        '{"a": [1, 2}',  # which bracket is wrong?
        '{"a": 1,, "b": 2}',  # a value left out?
        "[, 1]",
        "{a: 'x'}",  # another language than JSON
        '{"a" "x"}',  # a missing colon
        '{"a": 1}{"b": 2}',  # two documents: an array? the first? the last?
        '{"a": 1} trailing words',
        '{"a": "\\q"}',  # an escape that does not exist
        "",
    ],
)
def test_repairs_that_would_be_guesses_are_refused(text: str) -> None:
    with pytest.raises(pages.RepairError):
        pages.decode_json(text)


def test_a_page_without_postings_or_blocks_is_refused_as_a_whole(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="without any JSON-LD block"):
        pages.read_page(b"<html><body><p>Nothing</p></body></html>", "empty.html")
    page = pages.read_page(
        b'<html><script type="application/ld+json">{"@type": "Organization"}</script></html>',
        "org.html",
    )
    assert list(pages.parse_page(page, None)) == [
        Rejection(None, "no JobPosting in the page's JSON-LD blocks")
    ]


def test_two_postings_of_a_page_without_identity_never_share_one() -> None:
    graph = json.dumps(
        {"@graph": [posting(identifier=None, title=t) for t in ("Vendeur", "Caissier")]}
    )
    html = (
        '<html><head><link rel="canonical" href="https://example.fr/emplois"></head>'
        f'<script type="application/ld+json">{graph}</script></html>'
    ).encode()
    found = list(pages.parse_page(pages.read_page(html, "list.html"), None))
    ids = [item.external_id for item in found if isinstance(item, Offer)]
    assert len(ids) == 2 and len(set(ids)) == 2
    assert all(i.startswith("jp-") for i in ids)  # the list page's URL is neither's


@pytest.mark.parametrize(
    ("wrapper", "count"),
    [
        (lambda p: {"content": p}, 1),
        (lambda p: {"@type": "WebPage", "mainEntity": p}, 1),
        (lambda p: {"@type": "ItemList", "itemListElement": [p, p]}, 2),
        (lambda p: {"@type": "ItemList", "itemListElement": [{"@type": "ListItem", "item": p}]}, 1),
        (lambda p: [{"@type": "Organization", "name": "X"}, p, {"@type": "WebSite"}], 1),
        (lambda p: {"@graph": [{"@type": "WebPage", "mainEntity": {"@id": "#job"}}, p]}, 1),
    ],
)
def test_wrappers_seen_on_real_sites(wrapper: Any, count: int) -> None:
    data = wrapper(posting())
    assert detect_format(data) == FORMAT
    assert len(offers(data)) == count


def test_an_empty_block_is_skipped_with_a_note() -> None:
    notes: list[str] = []
    assert list(parse({}, "test", notes=notes)) == []
    assert notes == ["an empty JSON-LD block {} was skipped"]
    assert detect_format({}) == FORMAT


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        ("YEARLY", "par an"),
        ("YEAR", "par an"),
        ("HOURLY", "de l'heure"),
        ("per hour", "de l'heure"),
        ("MONTHLY", "par mois"),
        ("Mensuel", "par mois"),
        ("WEEKLY", "par semaine"),
        ("DAILY", "par jour"),
        ("FORTNIGHTLY", None),
    ],
)
def test_unit_text_forms(unit: str, expected: str | None) -> None:
    salary = {
        "@type": "MonetaryAmount",
        "currency": "EUR",
        "value": {"@type": "QuantitativeValue", "value": "2000", "unitText": unit},
    }
    text = one(baseSalary=salary).salary
    assert text == f"2{NNBSP}000 €" + (f" {expected}" if expected else "")


@pytest.mark.parametrize(
    ("salary", "expected"),
    [
        ("45 000 € - 55 000 € par an", f"45{NNBSP}000 € à 55{NNBSP}000 € par an"),
        ("$120,000 to $150,000 a year", f"120{NNBSP}000 USD à 150{NNBSP}000 USD par an"),
        ("35-45k€", f"35{NNBSP}000 € à 45{NNBSP}000 €"),
        ("À partir de 2 000 € brut / mois", f"À partir de 2{NNBSP}000 € brut par mois"),
        ("Up to $90,000 per year", f"Jusqu'à 90{NNBSP}000 USD par an"),
        ("£30,000 per annum", f"30{NNBSP}000 GBP par an"),
        ("2 000 € à 2 500 $", "2 000 € à 2 500 $"),  # two currencies: kept as written
        ("Selon profil", "Selon profil"),
        ("Competitive salary &amp; bonus", "Competitive salary & bonus"),
    ],
)
def test_salaries_written_as_text(salary: str, expected: str) -> None:
    assert one(baseSalary=salary).salary == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("45,000", 45000.0),
        ("45.000", 45000.0),
        ("1880,71", 1880.71),
        ("2 500,50", 2500.5),
        ("45k", 45000.0),
        ("12.84", 12.84),
        (1900, 1900.0),
    ],
)
def test_amounts_as_text(value: Any, expected: float) -> None:
    amount = {"@type": "MonetaryAmount", "currency": "EUR", "value": value}
    text = one(baseSalary=amount).salary
    assert text is not None
    digits = text.removesuffix(" €").replace(NNBSP, "").replace(",", ".")
    assert float(digits) == expected


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        ("FULL_TIME", "CDI"),
        (["FULL_TIME"], "CDI"),
        ("PERMANENT", "CDI"),
        ("CDD", "CDD"),
        ("Intérim", "MIS"),
        ("Freelance", "LIB"),
        (["PART_TIME", "TEMPORARY"], "CDD"),
        ("INTERN", "OTHER"),
    ],
)
def test_employment_type_as_text_or_array(kind: Any, code: str) -> None:
    assert one(employmentType=kind).contract_code == code


@pytest.mark.parametrize(
    ("country", "label", "located"),
    [
        ("FR", "Tours", True),
        ("FRA", "Tours", True),
        ("France", "Tours", True),
        ({"@type": "Country", "name": "FR"}, "Tours", True),
        ({"@type": "Country", "name": "Belgique"}, "Tours (Belgique)", False),
        ("DE", "Tours (Allemagne)", False),
        ("ZZ", "Tours (ZZ)", False),
        ("", "Tours", True),
    ],
)
def test_address_country_as_text_or_country(country: Any, label: str, located: bool) -> None:
    location = {
        "@type": "Place",
        "address": {"addressLocality": "Tours", "postalCode": "37000", "addressCountry": country},
        "geo": {"latitude": "47.39", "longitude": "0.69"},
    }
    offer = one(jobLocation=location)
    assert offer.place_label == label
    assert offer.located is located


def test_kiosk_import_of_a_page_and_a_bare_block_reaches_the_offer_screen(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from kiosk.cli import main  # noqa: PLC0415
    from kiosk.offline.db import open_offers_database  # noqa: PLC0415
    from kiosk.offline.offers import OfferStore  # noqa: PLC0415
    from kiosk.ui.detail import sections  # noqa: PLC0415
    from kiosk.ui.formatting import OfferFormatter  # noqa: PLC0415

    monkeypatch.delenv("KIOSK_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    data_dir = tmp_path / "data"
    files = [str(FIXTURES / n) for n in ("career_page_fr.html", "wttj_content_block.json")]
    assert main(["--data-dir", str(data_dir), "import", *files, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["inserted"], report["rejected"]) == (2, [])
    assert (
        "career_page_fr.html: JSON-LD block 2 (line 14) is an empty {}: skipped"
        in (report["notes"])
    )
    assert main(["--data-dir", str(data_dir), "import", *files, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["unchanged"] == 2  # the same offers again

    engine = open_offers_database(data_dir / "offers.sqlite")
    try:
        store = OfferStore(engine, ORIGIN_POINT)
        page_id = store.find(
            DEFAULT_SOURCE, "https://www.maison-ferrand.example.fr/carrieres/boulanger-patissier-hf"
        )
        assert page_id is not None
        bakery = store.get(page_id)
        assert bakery is not None  # parsed again from the stored record
        shown = {s.key: s.body for s in sections(bakery, OfferFormatter())}
        assert (bakery.title, bakery.company, bakery.place_label) == (
            "Boulanger-pâtissier (H/F)",
            "Boulangerie Maison Ferrand",
            "Tours",
        )
        assert OfferFormatter.contract(bakery.contract_code) == "Permanent"
        assert shown["salary"] == f"1{NNBSP}950 € à 2{NNBSP}200 € par mois"
        assert list(shown) == [
            "job",
            "responsibilities",
            "schedule",
            "salary",
            "benefits",
            "qualifications",
            "skills",
            "company",
        ]
        assert shown["qualifications"] == (
            "• CAP boulanger ou équivalent\n• Première expérience en fournil"
        )
        [block_id] = [
            i for i in (store.find_external(o) for o in _ids(store)) if i and i != page_id
        ]
        block = store.get(block_id)
        assert block is not None
        assert (block.title, block.company, block.place_label) == (
            "Développeur·se Back-End Python - CDI",
            "Escapade",
            "Lyon",
        )
        assert block.salary == f"42{NNBSP}000 € à 50{NNBSP}000 € par an"
    finally:
        engine.dispose()


def _ids(store: Any) -> list[str]:
    from sqlalchemy import text  # noqa: PLC0415

    with store.engine.connect() as connection:
        return [row[0] for row in connection.execute(text("SELECT external_id FROM offers"))]


def test_a_page_fetched_by_a_jobposting_source_is_known_by_its_url() -> None:
    import requests  # noqa: PLC0415

    from kiosk.sources.jobposting import read_feed  # noqa: PLC0415
    from tests.hub.fakes import Reply, fake_server  # noqa: PLC0415

    block = json.dumps(posting(identifier=None), ensure_ascii=False)[:-1] + ",}"  # a stray ","
    page = f'<html><script type="application/ld+json">{block}</script></html>'.encode()
    with fake_server(lambda _r: Reply(200, page, {"Content-Type": "text/html"})) as srv:
        url = f"{srv.url}/emplois/magasinier"
        [offer] = list(read_feed(requests.Session(), url, "site"))
    assert isinstance(offer, Offer)
    assert offer.external_id == offer.offer_url == url  # no canonical URL: the fetched one
    assert offer.title == "Magasinier (H/F)"
