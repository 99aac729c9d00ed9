"""France Travail v2 parser: the real variety of offers, bad records rejected alone."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.domain import CONTRACT_LABELS, ApplyRoute, DurationUnit, Offer, Requirement, WorkingTime
from kiosk.formats import FormatError, Rejection, detect_format, parse_payload
from kiosk.formats.francetravail import parse_record, partner_name
from kiosk.offline.offers import OfferStore, offer_row
from kiosk.offline.search import Searcher, SearchQuery
from kiosk.ui.formatting import CONTRACT_NAMES, OfferFormatter
from tests.conftest import ORIGIN, SHARED_DATA, ft_record

FIXTURES = Path(__file__).parent / "fixtures" / "francetravail"
NNBSP = "\u202f"  # thousands separator in salaries


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
        "https://emploi.exemple-partenaire.fr/o/168852", "Softy"
    )
    assert partner.partner == partner.apply_routes[0]  # shown on the offer screen
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


# --- details seen in real pages (tests/fixtures/francetravail/details_seen.json) -------------


def details_seen() -> dict[str, Offer]:
    data = json.loads((FIXTURES / "details_seen.json").read_text(encoding="utf-8"))
    found = list(parse_payload(data))
    assert all(isinstance(item, Offer) for item in found), found
    return {item.external_id: item for item in found if isinstance(item, Offer)}


def test_html_entities_are_decoded_in_the_parser() -> None:
    nurse = details_seen()["7324318"]
    assert nurse.title == "Infirmier D.E H/F de laboratoire d'analyse en interim"  # &apos;
    assert nurse.company == "SANTÉ INTERIM & CONSEIL"  # &Eacute; &amp;
    assert nurse.description == (
        "Notre agence recrute un infirmier pour un laboratoire d'analyses médicales. "
        "Avantages du FASTT.\nR&D et qualité : vous participez aux audits."  # &#39; &nbsp;
    )
    assert nurse.company_description == "Cabinet spécialisé dans l’intérim médical."  # &#8217;
    assert nurse.salary is not None and nurse.salary.endswith("Selon profil & expérience")
    # The card path decodes the same title and company.
    [card] = parse_payload(
        json.loads((FIXTURES / "details_seen.json").read_text(encoding="utf-8"))["resultats"][:1],
        cards=True,
    )
    assert isinstance(card, Offer)
    assert (card.title, card.company) == (nurse.title, nurse.company)


def test_entities_without_semicolon_are_text_not_references() -> None:
    offer = parse_record(ft_record(intitule="Q&notation, R&D, AT&T"), "francetravail")
    assert isinstance(offer, Offer)
    assert offer.title == "Q&notation, R&D, AT&T"  # html.unescape alone would make "Q¬ation"


def test_a_description_sent_as_html_becomes_text() -> None:
    offer = details_seen()["7689786"]
    assert offer.description == (
        "SPIE Nucléaire & ses filiales recherchent un technicien.\n\n"
        "• Maintenance préventive\n• Astreintes"
    )
    plain = parse_record(ft_record(description="Salaire < 2000 € et > 1800 €"), "francetravail")
    assert isinstance(plain, Offer)
    assert plain.description == "Salaire < 2000 € et > 1800 €"  # a "<" is not a tag


def test_partner_offers_name_their_partner_and_its_link() -> None:
    seen = details_seen()
    nurse, technician = seen["7324318"], seen["7689786"]
    assert nurse.partner == ApplyRoute(
        "https://www.directemploi.com/offre/7324318?utm_source=ft", "Direct Emploi"
    )
    assert nurse.apply_routes[0] == nurse.partner  # its QR code first
    assert not nurse.direct_apply  # origine "2": the partner takes the application
    assert technician.partner is not None and technician.partner.label == "We Recruit"
    assert seen["185LIBR"].partner is None  # France Travail's own offer


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("DIRECTEMPLOI", "Direct Emploi"),
        ("HANDICAP_JOB", "Handicap Job"),
        ("METEOJOB", "Meteojob"),
        ("NOUVEAU_SITE", "Nouveau Site"),
        ("Indeed", "Indeed"),
    ],
)
def test_partner_names(code: str, name: str) -> None:
    assert partner_name(code) == name


def test_contract_codes_beyond_the_four_keep_their_code_and_count_as_other(
    store: OfferStore,
) -> None:
    seen = details_seen()
    assert [seen[i].contract_code for i in ("7689786", "185LIBR", "185FRAN")] == [
        "DIN",
        "LIB",
        "FRA",
    ]
    for code in CONTRACT_LABELS:
        assert code in CONTRACT_NAMES  # every code has words on screen, translated
    assert OfferFormatter.contract("LIB") == "Self-employed"
    assert OfferFormatter.contract("DIN") == "Permanent agency worker"
    assert OfferFormatter.contract("XYZ") == "Other contract"
    store.import_records(seen.values())
    searcher = Searcher(store.engine)
    try:
        other = searcher.search(SearchQuery(contracts=frozenset({"OTHER"})))
        assert {r.external_id for r in other.results} == {"7689786", "185LIBR", "185FRAN"}
    finally:
        searcher.close()


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Autre de 2200.0 Euros à 2600.0 Euros", f"2{NNBSP}200 € à 2{NNBSP}600 €"),
        ("Autre de 1500 Euros", f"1{NNBSP}500 €"),
        ("Cachet de 150 Euros", "150 € par cachet"),
        (
            "Annuel de 30000,00 Euros \ufffd 36000,00 Euros sur 13 mois",
            f"30{NNBSP}000 € à 36{NNBSP}000 € par an",
        ),
        ("Mensuel de 1800,00 Euros ï¿½ 1900,00 Euros", f"1{NNBSP}800 € à 1{NNBSP}900 € par mois"),
        ("Mensuel de 5200.0 Euros sur 13.0 mois", f"5{NNBSP}200 € par mois sur 13 mois"),
    ],
)
def test_salary_labels_read_sensibly(label: str, expected: str) -> None:
    offer = parse_record(ft_record(salaire={"libelle": label}), "francetravail")
    assert isinstance(offer, Offer)
    assert offer.salary == expected


def test_an_offer_abroad_has_no_distance() -> None:
    abroad = details_seen()["185SUIS"]
    assert (abroad.place_label, abroad.latitude, abroad.longitude) == ("Suisse", None, None)
    assert abroad.notes == ("offer abroad (Suisse): kept without a distance",)
    far = parse_record(
        ft_record(lieuTravail={"libelle": "99 - Bhoutan", "latitude": 27.47, "longitude": 89.64}),
        "francetravail",
    )
    assert isinstance(far, Offer)
    assert (far.latitude, far.notes) == (None, ("offer abroad: kept without a distance",))
    swapped = parse_record(
        ft_record(lieuTravail={"libelle": "74 - ANNECY", "latitude": 6.12, "longitude": 45.9}),
        "francetravail",
    )
    assert isinstance(swapped, Offer)
    assert (swapped.latitude, swapped.longitude) == (45.9, 6.12)
