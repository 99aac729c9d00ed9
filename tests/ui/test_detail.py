"""The detail view-model: the offer as plain-text sections, its QR sources and apply panels."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from kiosk.demo import generate_offers
from kiosk.formats import parse_payload
from kiosk.i18n import translations_dir
from kiosk.offline.offers import OfferStore
from kiosk.ui.detail import DetailViewModel, SectionRole
from kiosk.ui.formatting import OfferFormatter
from kiosk.ui.language import LanguageController
from kiosk.ui.qr import qr_source
from tests.conftest import ORIGIN, ft_record


@pytest.fixture
def detail(qapp: Any, store: OfferStore) -> Iterator[DetailViewModel]:
    formatter = OfferFormatter()
    language = LanguageController(["fr", "en"], "fr", translations_dir(), formatter)
    yield DetailViewModel(store.get, formatter, ORIGIN)
    language.unload()


def sections_of(detail: DetailViewModel) -> dict[str, tuple[str, str]]:
    model = detail.sections
    return {
        model.data(model.index(row, 0), SectionRole.KEY): (
            model.data(model.index(row, 0), SectionRole.HEADING),
            model.data(model.index(row, 0), SectionRole.BODY),
        )
        for row in range(model.rowCount())
    }


def test_the_whole_offer_in_sections(store: OfferStore, detail: DetailViewModel) -> None:
    record = ft_record(
        id="D1",
        description="<p>Service en salle</p>",
        permis=[{"libelle": "B - Véhicule léger", "exigence": "E"}],
        langues=[{"libelle": "Anglais", "exigence": "S"}],
        entreprise={"nom": "LE BISTROT", "description": "Un bistrot de quartier."},
        nombrePostes=3,
        accessibleTH=True,
    )
    store.import_records(parse_payload({"resultats": [record]}, "test"))
    offer_id = store.find("test", "D1")
    assert offer_id is not None
    assert detail.open(offer_id)
    sections = sections_of(detail)
    assert list(sections) == [
        "job",
        "schedule",
        "salary",
        "experience",
        "licences",
        "languages",
        "company",
    ]
    assert sections["licences"] == ("Permis", "• B - Véhicule léger (exigé)")
    assert sections["languages"] == ("Langues", "• Anglais (souhaité)")
    assert sections["salary"][1] == "1\u202f801,80 € à 1\u202f900 € par mois"
    assert sections["experience"][1] == "Débutant accepté"
    assert "Un bistrot de quartier." in sections["company"][1]
    assert "<" not in sections["job"][1]  # plain text, never markup
    assert detail.title == "Serveur / Serveuse en restauration (H/F)"
    assert detail.place.startswith("Paris 12e (75) · ")
    assert detail.facts == [
        "CDI",
        "Temps plein",
        "Publiée le 18 novembre 2026",
        "3 postes à pourvoir",
        "Ouvert aux travailleurs handicapés",
    ]
    assert detail.offerUrl == "https://candidat.francetravail.fr/offres/recherche/detail/D1"
    assert detail.offerQr == qr_source(detail.offerUrl)


def test_apply_routes_decide_the_buttons(store: OfferStore, detail: DetailViewModel) -> None:
    direct = ft_record(id="A1")  # France Travail's own offer, no recruiter site
    elsewhere = ft_record(id="A2", contact={"urlPostulation": "https://jobs.example.fr/apply/A2"})
    store.import_records(parse_payload({"resultats": [direct, elsewhere]}, "test"))
    detail.open(store.find("test", "A1") or -1)
    assert detail.canApplyHere and detail.hasPhoneRoute
    detail.open(store.find("test", "A2") or -1)
    assert not detail.canApplyHere
    detail.showPhone()
    assert detail.panel == "phone"
    assert detail.phoneRouteUrl == "https://jobs.example.fr/apply/A2"
    assert detail.phoneRouteQr == qr_source("https://jobs.example.fr/apply/A2")
    assert detail.phoneRouteLabel == "Candidature sur : LE BISTROT DU QUAI"


def test_a_withdrawn_offer(detail: DetailViewModel) -> None:
    assert not detail.open(12345)
    assert not detail.available
    assert detail.sections.rowCount() == 0
    assert detail.title == ""


def test_clear_and_retranslate(qtbot: Any, store: OfferStore, detail: DetailViewModel) -> None:
    store.import_records(parse_payload({"resultats": [ft_record(id="C1")]}, "test"))
    detail.open(store.find("test", "C1") or -1)
    detail.showPhone()
    with qtbot.waitSignal(detail.offerChanged):
        detail.clear()
    assert not detail.available and detail.panel == ""


def test_section_model(qtmodeltester: Any, store: OfferStore, detail: DetailViewModel) -> None:
    store.import_records(parse_payload({"resultats": [ft_record(id="M1")]}, "test"))
    detail.open(store.find("test", "M1") or -1)
    qtmodeltester.check(detail.sections, force_py=True)
    qtmodeltester.check(detail.sections)


HUB = "http://127.0.0.1:8470"


def _demo_offers(store: OfferStore) -> list[int]:
    """The demo generator's offers, imported as a demo terminal imports them."""
    records = generate_offers(40, ORIGIN)
    store.import_records(parse_payload({"resultats": records}, "demo"))
    return [store.find("demo", record["id"]) or -1 for record in records]


@pytest.mark.parametrize("hub_url", [HUB, HUB + "/"])
def test_a_demo_offer_shows_the_hubs_page_of_it(qapp: Any, store: OfferStore, hub_url: str) -> None:
    detail = DetailViewModel(store.get, OfferFormatter(), ORIGIN, hub_url=hub_url)
    ids = _demo_offers(store)
    for offer_id in ids:
        assert detail.open(offer_id)
        offer = detail.offer
        assert offer is not None
        page = f"{HUB}/offers/demo/{offer.external_id}"
        assert detail.offerUrl == page
        assert detail.offerQr == qr_source(page)
        assert detail.noPageNote == ""
        # No way to apply that leads to a made-up site either.
        assert ".example/" not in detail.phoneRouteUrl
    assert not any(detail.open(i) and detail.hasPhoneRoute for i in ids)


def test_a_demo_offer_without_a_hub_has_no_qr_code_and_says_why(
    qapp: Any, store: OfferStore, detail: DetailViewModel
) -> None:
    for offer_id in _demo_offers(store):
        assert detail.open(offer_id)
        assert detail.offerQr == "" and detail.offerUrl == ""
        assert detail.noPageNote == "Offre de démonstration : pas de page en ligne"
        assert not detail.hasPhoneRoute and detail.phoneRouteQr == ""
        detail.showPhone()
        assert detail.panel == ""


def test_a_real_offer_keeps_its_own_page(qapp: Any, store: OfferStore) -> None:
    detail = DetailViewModel(store.get, OfferFormatter(), ORIGIN, hub_url=HUB)
    store.import_records(parse_payload({"resultats": [ft_record(id="R1")]}, "francetravail"))
    assert detail.open(store.find("francetravail", "R1") or -1)
    page = "https://candidat.francetravail.fr/offres/recherche/detail/R1"
    assert detail.offerUrl == page and detail.offerQr == qr_source(page)
    assert detail.noPageNote == ""


def test_posting_sections_and_a_partner_in_french(
    store: OfferStore, detail: DetailViewModel
) -> None:
    posting = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "identifier": "JP-1",
        "title": "Boulanger (H/F)",
        "datePosted": "2025-05-12",
        "jobLocation": {"address": {"addressLocality": "Tours", "postalCode": "37000"}},
        "responsibilities": ["Pain au levain", "Viennoiseries"],
        "jobBenefits": "Mutuelle",
        "qualifications": "CAP boulanger",
    }
    partner_offer = ft_record(
        id="7324318",
        origineOffre={
            "origine": "2",
            "partenaires": [{"nom": "DIRECTEMPLOI", "url": "https://www.directemploi.com/o/1"}],
        },
    )
    store.import_records(parse_payload(posting, "site"))
    store.import_records(parse_payload({"resultats": [partner_offer]}, "ft"))
    posting_id, partner_id = store.find("site", "JP-1"), store.find("ft", "7324318")
    assert posting_id is not None and partner_id is not None
    assert detail.open(posting_id)
    sections = sections_of(detail)
    assert list(sections) == [
        "job",
        "responsibilities",
        "salary",
        "benefits",
        "qualifications",
        "company",
    ]
    assert sections["responsibilities"] == ("Missions", "• Pain au levain\n• Viennoiseries")
    assert sections["benefits"] == ("Avantages", "Mutuelle")
    assert sections["qualifications"] == ("Qualifications", "• CAP boulanger")
    assert detail.open(partner_id)
    assert sections_of(detail)["partner"] == (
        "Offre publiée par",
        "Direct Emploi\ndirectemploi.com",
    )
    assert detail.property("phoneRouteLabel") == "Candidature sur : Direct Emploi"
