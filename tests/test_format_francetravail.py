"""France Travail v2 parser: the real variety of offers, bad records rejected alone."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.domain import ApplyRoute, DurationUnit, Offer, Requirement, WorkingTime
from kiosk.formats import FormatError, Rejection, detect_format, parse_payload
from kiosk.formats.francetravail import parse_record
from kiosk.offline.offers import offer_row
from tests.conftest import ORIGIN, SHARED_DATA, ft_record

FIXTURES = Path(__file__).parent / "fixtures" / "francetravail"


def parse_one(record: dict[str, object]) -> Offer:
    result = parse_record(record, "francetravail")
    assert isinstance(result, Offer), result
    return result


def test_a_complete_offer_is_normalised() -> None:
    offer = parse_one(ft_record())
    assert offer.external_id == "100AAAA"
    assert offer.title == "Serveur / Serveuse en restauration (H/F)"
    assert offer.company == "LE BISTROT DU QUAI"
    assert offer.place_label == "Paris 12e (75)"
    assert (offer.postcode, offer.commune_code) == ("75012", "75112")
    assert (offer.latitude, offer.longitude) == (48.8412, 2.3876)
    assert offer.contract_code == "CDI"
    assert offer.contract_label == "CDI"
    assert offer.working_time is WorkingTime.FULL
    assert offer.beginners_welcome
    assert offer.experience == "Débutant accepté"
    assert offer.salary == "1\u202f801,80 € à 1\u202f900 € par mois"
    assert offer.schedule == "35H/semaine\nTravail en journée"
    assert offer.posted_at == datetime(2026, 11, 18, 9, 30, tzinfo=UTC)
    assert offer.updated_at == datetime(2026, 11, 19, 10, 0, tzinfo=UTC)
    assert offer.trade == "Serveur / Serveuse en restauration"
    assert offer.offer_url == "https://candidat.francetravail.fr/offres/recherche/detail/100AAAA"
    assert offer.direct_apply
    assert offer.raw["id"] == "100AAAA"


def test_the_fixture_file_mirrors_the_real_variety() -> None:
    data = json.loads((FIXTURES / "search_page.json").read_text(encoding="utf-8"))
    results = list(parse_payload(data))
    offers = {r.external_id: r for r in results if isinstance(r, Offer)}
    rejected = [r for r in results if isinstance(r, Rejection)]

    # No coordinates: a département-level offer keeps its place label and has no position.
    dept = offers["201BBBB"]
    assert (dept.latitude, dept.longitude, dept.postcode) == (None, None, None)
    assert dept.place_label == "Loire Atlantique (44)"
    # Empty objects everywhere and no company: an anonymous employer.
    anonymous = offers["0603040"]
    assert anonymous.company is None
    assert anonymous.salary is None
    assert anonymous.updated_at is None
    # Partner labels: the contract comes from the code, the duration from the label.
    partner = offers["0603040"]
    assert (partner.contract_code, partner.contract_duration) == ("CDD", 3)
    assert partner.contract_duration_unit is DurationUnit.MONTH
    assert partner.contract_label == "CDD 3 mois"
    assert partner.working_time is WorkingTime.FULL  # from complementExercice
    assert not partner.direct_apply  # the partner's site takes the application
    assert partner.apply_routes[0] == ApplyRoute(
        "https://emploi.exemple-partenaire.fr/o/168852", "SOFTY"
    )
    # "," decimals in coordinates given as text, and in the salary.
    comma = offers["202CCCC"]
    assert comma.latitude == pytest.approx(45.9001)
    assert comma.longitude == pytest.approx(6.1202)
    assert comma.salary == "12,84 € de l'heure\nPrime de panier"
    assert comma.contract_label == "Intérim 21 jours"
    assert comma.working_time is WorkingTime.PART
    # Apprenticeship from natureContrat, with required/desired requirements kept apart.
    apprentice = offers["203DDDD"]
    assert apprentice.apprenticeship
    assert apprentice.licences == (Requirement("B - Véhicule léger", True),)
    assert apprentice.languages == (Requirement("Anglais", False),)
    assert apprentice.experience == "2 ans"
    assert apprentice.place_label == "L'Isle-d'Abeau (38)"
    # A recruiter's own apply URL wins over France Travail's page.
    assert apprentice.apply_routes[0].url == "https://recrutement.exemple-emploi.fr/postuler/203"
    # Bad records are rejected alone, each with its reason.
    assert {(r.external_id, r.reason) for r in rejected} == {
        (None, "id is missing"),
        ("204EEEE", "intitule (title) is missing"),
        ("205FFFF", "dateCreation is not an ISO 8601 date: 'hier'"),
        ("206GGGG", "lieuTravail.libelle is missing"),
        (None, "record is a str, not an object"),
    }
    assert len(offers) == 4


@pytest.mark.parametrize(
    ("label", "duration", "unit", "expected"),
    [
        ("CDD - 6 Mois", 6, DurationUnit.MONTH, "CDD 6 mois"),
        ("Intérim - 21 Jour(s)", 21, DurationUnit.DAY, "Intérim 21 jours"),
        ("Saisonnier - 1 Mois", 1, DurationUnit.MONTH, "Saisonnier 1 mois"),
        ("Mission intérimaire - 18 Mois", 18, DurationUnit.MONTH, "Intérim 18 mois"),
        ("CDI", None, None, "CDI"),
    ],
)
def test_contract_duration_from_either_label_style(
    label: str, duration: int | None, unit: DurationUnit | None, expected: str
) -> None:
    code = {"CDD": "CDD", "Int": "MIS", "Mis": "MIS", "Sai": "SAI", "CDI": "CDI"}[label[:3]]
    offer = parse_one(ft_record(typeContrat=code, typeContratLibelle=label))
    assert (offer.contract_duration, offer.contract_duration_unit) == (duration, unit)
    assert offer.contract_label == expected


def test_unknown_contract_codes_become_other() -> None:
    assert parse_one(ft_record(typeContrat="ZZZ")).contract_code == "OTHER"


def test_coordinates_that_are_not_usable_are_dropped_not_rejected() -> None:
    place = {"libelle": "75 - PARIS 12", "latitude": 0, "longitude": 0}
    assert parse_one(ft_record(lieuTravail=place)).latitude is None
    place = {"libelle": "75 - PARIS 12", "latitude": "north", "longitude": 2.3}
    assert parse_one(ft_record(lieuTravail=place)).latitude is None
    place = {"libelle": "75 - PARIS 12", "latitude": 95.0, "longitude": 2.3}
    assert parse_one(ft_record(lieuTravail=place)).latitude is None


def test_unsafe_urls_never_become_apply_routes() -> None:
    offer = parse_one(
        ft_record(
            contact={"urlPostulation": "javascript:alert(1)"},
            origineOffre={"origine": "1", "urlOrigine": "data:text/html,hi"},
        )
    )
    assert [route.url for route in offer.apply_routes] == [
        "https://candidat.francetravail.fr/offres/recherche/detail/100AAAA"
    ]
    assert offer.offer_url == "https://candidat.francetravail.fr/offres/recherche/detail/100AAAA"


def test_wrong_types_in_optional_fields_are_ignored() -> None:
    offer = parse_one(
        ft_record(
            entreprise=["not", "an", "object"],
            salaire="1800",
            competences={"libelle": "x"},
            permis=[None, 3, {"libelle": "B"}],
            nombrePostes="deux",
            contexteTravail={"horaires": "not a list"},
            description=12,
        )
    )
    assert offer.company is None
    assert offer.salary is None
    assert offer.skills == ()
    assert offer.licences == (Requirement("B", False),)
    assert offer.positions is None
    assert offer.description == ""


HOSTILE = [
    "Serveur 😀🍽️ (H/F)",
    "مساعد مطبخ — عمل بدوام كامل",
    "'; DROP TABLE offers; --",
    'Vendeur "quoted" AND NEAR(a b) OR title:* -x',
    "x" * 10_000,
]


@pytest.mark.parametrize("title", HOSTILE, ids=["emoji", "rtl", "sql", "fts-syntax", "10k"])
def test_hostile_titles_are_kept_verbatim(title: str) -> None:
    assert parse_one(ft_record(intitule=title)).title == " ".join(title.split())


def test_payload_shapes_are_detected() -> None:
    assert detect_format({"resultats": []}) == "francetravail"
    assert detect_format([ft_record()]) == "francetravail"
    assert detect_format(ft_record()) == "francetravail"
    assert detect_format({"@type": "JobPosting"}) == "jobposting"
    with pytest.raises(FormatError):
        detect_format({"openapi": "3.0.1"})
    with pytest.raises(FormatError):
        detect_format("text")


def test_envelope_array_and_single_offer_all_parse() -> None:
    record = ft_record()
    for payload in ({"resultats": [record]}, [record], record):
        [offer] = parse_payload(payload)
        assert isinstance(offer, Offer)
        assert offer.external_id == "100AAAA"


def test_a_non_array_resultats_is_one_rejection() -> None:
    assert list(parse_payload({"resultats": {"id": "x"}})) == [
        Rejection(None, "'resultats' is not an array")
    ]


REAL_FILES = sorted(p for p in SHARED_DATA.glob("*.json") if not p.name.startswith("spec_"))


@pytest.mark.skipif(not REAL_FILES, reason="../shared/data/francetravail is not here")
@pytest.mark.parametrize("path", REAL_FILES, ids=lambda p: p.name[:40])
def test_every_real_payload_parses_without_rejection(path: Path) -> None:
    results = list(parse_payload(json.loads(path.read_text(encoding="utf-8"))))
    rejected = [r for r in results if isinstance(r, Rejection)]
    assert results
    assert rejected == []
    for offer in results:
        assert isinstance(offer, Offer)
        assert offer.title and offer.place_label
        assert offer.apply_routes, offer.external_id
        assert offer.posted_at.tzinfo is UTC
        assert "<" not in offer.place_label


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("93 - ST DENIS", "Saint-Denis (93)"),
        ("78 - ST GERMAIN EN LAYE", "Saint-Germain-en-Laye (78)"),
        ("85 - LES SABLES D OLONNE", "Les Sables-d'Olonne (85)"),
        ("95 - L ISLE ADAM", "L'Isle-Adam (95)"),
        ("75 - PARIS 01", "Paris 1er (75)"),
        ("69 - LYON 03", "Lyon 3e (69)"),
        ("74 - Thonon-les-Bains", "Thonon-les-Bains (74)"),
        ("38 - L'ISLE-D'ABEAU", "L'Isle-d'Abeau (38)"),
        ("75 - Paris (Dept.)", "Paris (75)"),
        ("92 - HAUTS DE SEINE", "Hauts-de-Seine (92)"),
        ("Nouvelle-Aquitaine", "Nouvelle-Aquitaine"),
        ("FRANCE", "France"),
        ("2A - AJACCIO", "Ajaccio (2A)"),
        ("971 - LES ABYMES", "Les Abymes (971)"),
    ],
)
def test_place_labels_read_as_french_place_names(label: str, expected: str) -> None:
    place = {"libelle": label}
    assert parse_one(ft_record(lieuTravail=place)).place_label == expected


def _card_fields(offer: Offer) -> tuple[object, ...]:
    return offer_row(offer, offer.source, "digest", 0, ORIGIN)


def test_cards_accept_and_refuse_exactly_the_records_the_full_parse_does() -> None:
    payload = json.loads((FIXTURES / "search_page.json").read_text(encoding="utf-8"))
    broken = [
        ft_record(id="NOTITLE", intitule=""),
        ft_record(id="NOCONTRACT", typeContrat=None),
        ft_record(id="NOPLACE", lieuTravail={"libelle": ""}),
        ft_record(id="BADDATE", dateCreation="hier"),
        ft_record(id="BADUPDATE", dateActualisation="31/02/2026"),
        ft_record(id="ODD", salaire="beaucoup", competences="tout", formations=[1, None]),
        "not an object",
    ]
    records = [*payload["resultats"], *broken]
    for path in REAL_FILES:  # the real payloads, when ../shared/data is here
        data = json.loads(path.read_text(encoding="utf-8"))
        records += data.get("resultats", []) if isinstance(data, dict) else data
    full = list(parse_payload({"resultats": records}))
    cards = list(parse_payload({"resultats": records}, cards=True))
    assert len(full) == len(cards) == len(records)
    for whole, card in zip(full, cards, strict=True):
        if isinstance(whole, Rejection):
            assert card == whole  # the same record, the same reason
            continue
        assert isinstance(card, Offer)
        assert _card_fields(card) == _card_fields(whole)  # what the cache stores
        assert card.raw is whole.raw
        assert card.description == "" and card.skills == ()  # the details are left out
    first = len(payload["resultats"])
    mine = cards[first : first + len(broken)]
    refused = {r.external_id for r in mine if isinstance(r, Rejection)}
    assert refused == {"NOTITLE", "NOCONTRACT", "NOPLACE", "BADDATE", None}
