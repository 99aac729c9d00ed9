"""Offers posted by recruiters, over the real server: the form and its errors, the address
search (a stand-in speaking the Base Adresse Nationale's format), the ROME list, the public
page, and the way to a terminal's cache and back through real syncs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from hub.cli import main as hub_main
from hub.ingest import ingest_payload
from hub.models import Application, OfferRecord, PostedOffer
from hub.recruiters.geocode import NOT_FOUND, UNAVAILABLE, GeocodeError, Geocoder
from hub.recruiters.rome import RomeFileError, read_file
from hub.settings import GeocodingSection, HubConfig
from kiosk.applications import ApplicationForm
from kiosk.config import Settings, parse_config
from kiosk.offline.db import open_offers_database
from kiosk.offline.offers import OfferStore
from kiosk.offline.outbox import Outbox, open_outbox_database
from tests.conftest import ORIGIN, ft_record
from tests.hub.conftest import GENEROUS, START, FakeClock, RunningHub, start_hub
from tests.hub.recruiters.ban import MONTREUIL, RUE_DE_LYON, StandIn, ban_stand_in
from tests.hub.recruiters.inbox_seed import browser, csrf_of, recruiter_session
from tests.sync.conftest import CONFIG, Terminal
from tests.sync.conftest import PARIS_01 as TERMINAL_ID

# An invented list in the format of the data.gouv.fr CSV (not France Travail's data).
ROME_CSV = """code_rome;libelle_rome
D1102;Boulangerie - viennoiserie
D1106;Vente en alimentation
G1602;Personnel de cuisine
G1803;Service en restauration
N1103;Magasinage et préparation de commandes
"""
BAKERY = "boulangerie-martin"


@dataclass
class Posting:
    """A hub whose addresses are placed by the stand-in, with one organisation signed in."""

    hub: RunningHub
    ban: StandIn
    organisation_id: int
    client: httpx.Client

    def form(self, path: str = "/recruiters/offers/new") -> tuple[httpx.Response, str]:
        page = self.client.get(path)
        assert page.status_code == 200, page.text
        return page, csrf_of(page)

    def post(self, path: str = "/recruiters/offers", **changes: Any) -> httpx.Response:
        _, csrf = self.form()
        return self.client.post(path, data={**offer_fields(), **changes, "csrf": csrf})

    def publish(self, **changes: Any) -> int:
        """Publish an offer through the form; its number."""
        answer = self.post(**changes)
        assert answer.status_code == 303, answer.text
        found = re.search(r"published=(\d+)", answer.headers["location"])
        assert found is not None
        return int(found.group(1))


def offer_fields() -> dict[str, Any]:
    """A complete, valid offer form (a bakery near the Paris test terminal)."""
    return {
        "title": "Vendeur ou vendeuse en boulangerie",
        "rome": "D1102",
        "contract": "CDD",
        "working_time": "part",
        "weekly_hours": "24",
        "place": "12 rue de Lyon, Paris",
        "salary_min": "11,88",
        "salary_max": "12,50",
        "salary_period": "hour",
        "description": "Vente au comptoir et mise en place.\nDébut à 6 h 30.\n\nÉquipe de quatre.",
        "questions": ["available_now", "experience"],
        "apply_terminal": "yes",
        "apply_phone": "01 43 43 00 00",
        "apply_email": "recrutement@boulangerie-martin.example",
        "action": "publish",
    }


@pytest.fixture
def terminal(tmp_path: Path) -> Terminal:
    """The Paris terminal of the sync tests: its offers cache and outbox (SQLite files)."""
    data = tmp_path / "terminal"
    data.mkdir()
    settings = Settings(parse_config(CONFIG, "test"), "test", data, demo=False)
    clock = FakeClock(START)
    store = OfferStore(open_offers_database(settings.offers_db), ORIGIN, clock)
    outbox = Outbox(open_outbox_database(settings.outbox_db), clock)
    return Terminal(settings, store, outbox, clock)


@pytest.fixture
def ban() -> Iterator[StandIn]:
    with ban_stand_in() as stand_in:
        yield stand_in


def _start(database_url: str, tmp_path: Path, ban: StandIn, rome: bool = True) -> Posting:
    geocoding = GeocodingSection(url=ban.url, timeout_s=5)  # type: ignore[arg-type]
    hub = start_hub(database_url, tmp_path, HubConfig(limits=GENEROUS, geocoding=geocoding))
    if rome:
        (tmp_path / "rome.csv").write_text(ROME_CSV, encoding="utf-8")
        hub.services.postings.rome.import_entries(read_file(tmp_path / "rome.csv"))
    organisation_id = hub.services.accounts.create_organisation(BAKERY, "Boulangerie Martin")
    session = recruiter_session(hub, organisation_id, "anne@boulangerie-martin.example")
    return Posting(hub, ban, organisation_id, browser(hub, session))


@pytest.fixture
def posting(database_url: str, tmp_path: Path, ban: StandIn) -> Iterator[Posting]:
    """On SQLite and PostgreSQL."""
    running = _start(database_url, tmp_path, ban)
    yield running
    running.hub.stop()


@pytest.fixture
def sqlite_posting(sqlite_database: str, tmp_path: Path, ban: StandIn) -> Iterator[Posting]:
    running = _start(sqlite_database, tmp_path, ban)
    yield running
    running.hub.stop()


def _offer_row(hub: RunningHub, external_id: str) -> Any:
    """The hub's row of a posted offer (None if there is none)."""
    with hub.services.db.read() as connection:
        return connection.execute(
            select(OfferRecord.__table__).where(
                OfferRecord.source == "posted", OfferRecord.external_id == external_id
            )
        ).first()


# -- posting, changing, withdrawing -------------------------------------------------------------


def test_a_posted_offer_reaches_a_terminal_takes_an_application_and_leaves_when_withdrawn(
    sqlite_posting: Posting, terminal: Terminal
) -> None:
    hub = sqlite_posting.hub
    token = hub.enrol(TERMINAL_ID)
    engine = terminal.engine(hub.url, token)
    engine.run_once()  # the terminal is up to date before the offer is posted

    posted_id = sqlite_posting.publish()
    external_id = f"{BAKERY}-{posted_id}"
    listing = sqlite_posting.client.get(f"/recruiters/offers?published={posted_id}")
    assert "Vendeur ou vendeuse en boulangerie" in listing.text
    assert "est publiée" in listing.text and "Publiée" in listing.text

    engine.run_once()  # one sync brings it
    found = terminal.store.find("posted", external_id)
    assert found is not None
    offer = terminal.store.get(found)
    assert offer is not None
    assert (offer.title, offer.company, offer.place_label) == (
        "Vendeur ou vendeuse en boulangerie",
        "Boulangerie Martin",
        "Paris",
    )
    assert (offer.contract_code, offer.working_time, offer.rome_code) == ("CDD", "part", "D1102")
    assert (offer.latitude, offer.longitude) == (RUE_DE_LYON.latitude, RUE_DE_LYON.longitude)
    assert offer.direct_apply
    assert offer.salary == "11,88 € à 12,50 € de l'heure"
    assert offer.schedule == "24 h par semaine"
    assert offer.description.endswith(
        "Pour postuler : par téléphone au 01 43 43 00 00, ou par e-mail à "
        "recrutement@boulangerie-martin.example."
    )
    assert offer.offer_url == f"{hub.url}/offers/posted/{external_id}"

    # Someone applies on the terminal: the application is the bakery's.
    desk = terminal.desk(hub.services.keys.public_key)
    desk.submit(
        ApplicationForm(
            offer_source="posted",
            offer_id=external_id,
            offer_title=offer.title,
            first_name="Camille",
            last_name="Exemple",
            phone="06 12 34 56 78",
            consent=True,
            answers={"available_now": "yes"},
        )
    )
    assert engine.run_once().delivered == 1
    with hub.services.db.read() as connection:
        owners = connection.scalars(select(Application.organisation_id)).all()
    assert owners == [sqlite_posting.organisation_id]
    assert "1 candidature" in sqlite_posting.client.get("/recruiters/offers").text

    # Withdrawn: a tombstone, and the terminal drops it at its next sync.
    _, csrf = sqlite_posting.form()
    answer = sqlite_posting.client.post(
        f"/recruiters/offers/{posted_id}/withdraw", data={"csrf": csrf}
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/recruiters/offers?withdrawn={posted_id}"
    row = _offer_row(hub, external_id)
    assert row is not None and row.withdrawn and row.raw is None
    engine.run_once()
    assert terminal.store.find("posted", external_id) is None
    assert sqlite_posting.client.get(f"/offers/posted/{external_id}").status_code == 410
    assert "Retirée" in sqlite_posting.client.get("/recruiters/offers").text


def test_a_posted_offer_belongs_to_its_organisation_and_is_changed_in_place(
    posting: Posting,
) -> None:
    posted_id = posting.publish()
    external_id = f"{BAKERY}-{posted_id}"
    row = _offer_row(posting.hub, external_id)
    assert row is not None
    assert row.organisation_id == posting.organisation_id
    assert (row.latitude, row.longitude) == (RUE_DE_LYON.latitude, RUE_DE_LYON.longitude)
    first_seq = row.seq

    page, csrf = posting.form(f"/recruiters/offers/{posted_id}/edit")
    assert 'value="Vendeur ou vendeuse en boulangerie"' in page.text
    assert "Lieu trouvé : 12 Rue de Lyon 75012 Paris" in page.text
    asked = len(posting.ban.queries)
    changed = {**offer_fields(), "title": "Vendeur en boulangerie (week-end)", "csrf": csrf}
    answer = posting.client.post(f"/recruiters/offers/{posted_id}", data=changed)
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == f"/recruiters/offers?changed={posted_id}"
    assert len(posting.ban.queries) == asked  # the same place: not searched again

    row = _offer_row(posting.hub, external_id)
    assert row is not None
    assert row.title == "Vendeur en boulangerie (week-end)"
    assert row.seq > first_seq  # terminals get the change
    assert row.organisation_id == posting.organisation_id
    public = posting.client.get(f"/offers/posted/{external_id}")
    assert "Vendeur en boulangerie (week-end)" in public.text

    # Moved to Montreuil: placed again.
    moved = {**changed, "place": "Montreuil"}
    assert posting.client.post(f"/recruiters/offers/{posted_id}", data=moved).status_code == 303
    row = _offer_row(posting.hub, external_id)
    assert row is not None
    assert (row.latitude, row.longitude) == (MONTREUIL.latitude, MONTREUIL.longitude)
    with posting.hub.services.db.read() as connection:
        assert connection.scalar(select(PostedOffer.organisation_id)) == posting.organisation_id


def test_the_public_page_shows_the_offer_and_how_to_apply(sqlite_posting: Posting) -> None:
    posted_id = sqlite_posting.publish()
    page = httpx.get(f"{sqlite_posting.hub.url}/offers/posted/{BAKERY}-{posted_id}")
    assert page.status_code == 200
    text = page.text
    assert '<h1 lang="fr">Vendeur ou vendeuse en boulangerie</h1>' in text
    assert '<bdi lang="fr">Boulangerie Martin</bdi> · <bdi lang="fr">Paris</bdi>' in text
    assert "Vente au comptoir et mise en place.\nDébut à 6 h 30." in text
    assert "Équipe de quatre." in text
    assert '<a href="tel:+33143430000">01 43 43 00 00</a>' in text
    assert '<a href="mailto:recrutement@boulangerie-martin.example">' in text
    assert "Vous pouvez aussi postuler sur une borne Job Kiosk." in text
    assert "Pour postuler :" not in text  # said once, with the links
    assert "Voir l’offre sur le site qui la publie" not in text  # it is this page


def test_another_organisation_can_neither_see_nor_change_nor_withdraw_an_offer(
    sqlite_posting: Posting,
) -> None:
    posted_id = sqlite_posting.publish()
    hub = sqlite_posting.hub
    other = hub.services.accounts.create_organisation("hotel-du-port", "Hôtel du Port")
    intruder = browser(hub, recruiter_session(hub, other, "paul@hotel-du-port.example"))
    assert "Vendeur ou vendeuse" not in intruder.get("/recruiters/offers").text
    csrf = csrf_of(intruder.get("/recruiters/offers/new"))
    assert intruder.get(f"/recruiters/offers/{posted_id}/edit").status_code == 404
    change = {**offer_fields(), "title": "Piraté", "csrf": csrf}
    assert intruder.post(f"/recruiters/offers/{posted_id}", data=change).status_code == 404
    withdraw = intruder.post(f"/recruiters/offers/{posted_id}/withdraw", data={"csrf": csrf})
    assert withdraw.status_code == 404
    row = _offer_row(hub, f"{BAKERY}-{posted_id}")
    assert row is not None
    assert (row.title, row.withdrawn) == ("Vendeur ou vendeuse en boulangerie", False)


def test_the_offer_pages_need_a_signed_in_recruiter_and_the_form_token(
    sqlite_posting: Posting,
) -> None:
    stranger = browser(sqlite_posting.hub)
    assert stranger.get("/recruiters/offers").status_code == 303
    assert stranger.post("/recruiters/offers", data=offer_fields()).status_code == 303
    forged = sqlite_posting.client.post(
        "/recruiters/offers", data={**offer_fields(), "csrf": "forged"}
    )
    assert forged.status_code == 403
    with sqlite_posting.hub.services.db.read() as connection:
        assert connection.scalar(select(PostedOffer.id)) is None


# -- the form's errors -------------------------------------------------------------------------


def test_errors_are_shown_next_to_their_fields_and_nothing_is_published(
    sqlite_posting: Posting,
) -> None:
    answer = sqlite_posting.post(
        title="",
        rome="ZZ",
        contract="",
        weekly_hours="beaucoup",
        salary_min="2 000",
        salary_max="1 500",
        salary_period="",
        description="   ",
        apply_terminal="",
        apply_phone="12",
        apply_email="pas une adresse",
    )
    assert answer.status_code == 422
    text = answer.text
    assert 'role="alert"' in text
    for field, words in (
        ("title", "Donnez un intitulé"),
        ("rome", "une lettre et quatre chiffres"),
        ("contract", "type de contrat"),
        ("weekly_hours", "entre 1 et 60"),
        ("salary_max", "supérieur ou égal au minimum"),
        ("salary_period", "de l’heure, par mois ou par an"),
        ("description", "Décrivez le poste"),
        ("apply_phone", "Ce numéro ne semble pas juste"),
        ("apply_email", "Cette adresse ne semble pas juste"),
    ):
        assert re.search(rf'id="{field}-error">[^<]*{re.escape(words)}', text), field
        assert f'href="#{field}"' in text  # the summary links to the field
    # What was typed is kept.
    assert 'value="2 000"' in text and 'value="pas une adresse"' in text
    # No way to apply at all is one more error.
    nothing = sqlite_posting.post(apply_terminal="", apply_phone="", apply_email="")
    assert nothing.status_code == 422
    assert 'id="apply-error">Choisissez au moins une façon' in nothing.text
    with sqlite_posting.hub.services.db.read() as connection:
        assert connection.scalar(select(PostedOffer.id)) is None
        assert connection.scalar(select(OfferRecord.id)) is None


def test_a_record_the_parser_refuses_is_a_form_error_next_to_its_field(
    sqlite_posting: Posting,
) -> None:
    # Markup alone: the form sees a title, the JobPosting parser (that of every offer) sees
    # none once the tags are gone, and refuses the record.
    answer = sqlite_posting.post(title="<b></b>")
    assert answer.status_code == 422
    assert re.search(r'id="title-error">L’offre n’a pas pu être publiée : title is', answer.text)
    with sqlite_posting.hub.services.db.read() as connection:
        assert connection.scalar(select(OfferRecord.id)) is None


@pytest.mark.parametrize(
    ("place", "status", "message"),
    [
        ("Quelque part sur la Lune", 200, NOT_FOUND),  # no feature
        ("Rue du Moulin", 200, NOT_FOUND),  # a match, with a score below min_score
        ("12 rue de Lyon, Paris", 503, UNAVAILABLE),  # the service is down
    ],
)
def test_a_place_that_cannot_be_placed_is_said_on_the_form(
    sqlite_posting: Posting, place: str, status: int, message: str
) -> None:
    sqlite_posting.ban.status = status
    answer = sqlite_posting.post(place=place)
    assert answer.status_code == 422
    assert f'id="place-error">{message.replace("’", "’")}' in answer.text
    assert f'value="{place}"' in answer.text
    with sqlite_posting.hub.services.db.read() as connection:
        assert connection.scalar(select(OfferRecord.id)) is None


def test_the_geocoder_reads_the_ban_format(ban: StandIn) -> None:
    geocoder = Geocoder(GeocodingSection(url=ban.url, timeout_s=5, min_score=0.5))  # type: ignore[arg-type]
    place = geocoder.locate("12 rue de Lyon  Paris")
    assert (place.label, place.street, place.city, place.postcode, place.citycode) == (
        "12 Rue de Lyon 75012 Paris",
        "12 Rue de Lyon",
        "Paris",
        "75012",
        "75112",
    )
    assert (place.latitude, place.longitude, place.kind) == (48.8478, 2.3713, "housenumber")
    assert ban.queries[-1] == {"q": ["12 rue de Lyon Paris"], "limit": ["1"]}
    commune = geocoder.locate("Montreuil")
    assert (commune.street, commune.city, commune.kind) == (None, "Montreuil", "municipality")
    for text in ("Rue du Moulin", "inconnu", "a"):
        with pytest.raises(GeocodeError, match="Adresse introuvable"):
            geocoder.locate(text)
    # A server that does not answer at all.
    closed = Geocoder(GeocodingSection(url="http://127.0.0.1:9/search/", timeout_s=2))  # type: ignore[arg-type]
    with pytest.raises(GeocodeError) as refused:
        closed.locate("12 rue de Lyon Paris")
    assert str(refused.value) == UNAVAILABLE


# -- the ROME list -----------------------------------------------------------------------------


def test_a_trade_is_searched_in_the_form_without_losing_what_was_typed(
    sqlite_posting: Posting,
) -> None:
    answer = sqlite_posting.post(rome="", trade_query="SERVICE restau", action="search")
    assert answer.status_code == 200
    assert 'value="G1803"' in answer.text and "Service en restauration" in answer.text
    assert 'value="Vendeur ou vendeuse en boulangerie"' in answer.text
    assert "Vente au comptoir" in answer.text
    with sqlite_posting.hub.services.db.read() as connection:
        assert connection.scalar(select(PostedOffer.id)) is None
    nothing = sqlite_posting.post(trade_query="astronaute", action="search")
    assert "Aucun métier ne correspond à « astronaute »" in nothing.text
    # The search page, and its links to the form with the trade chosen.
    page = sqlite_posting.client.get("/recruiters/rome", params={"q": "d11"})
    assert page.status_code == 200
    assert "/recruiters/offers/new?rome=D1102" in page.text
    assert "/recruiters/offers/new?rome=D1106" in page.text
    assert "G1602" not in page.text
    chosen = sqlite_posting.client.get("/recruiters/offers/new", params={"rome": "D1106"})
    assert re.search(r'value="D1106" checked', chosen.text)


def test_rome_search_by_code_prefix_and_folded_words(sqlite_posting: Posting) -> None:
    rome = sqlite_posting.hub.services.postings.rome
    assert [t.code for t in rome.search("g1")] == ["G1602", "G1803"]
    assert [t.code for t in rome.search("magasinage préparation")] == ["N1103"]
    assert [t.code for t in rome.search("PREPARATION")] == ["N1103"]
    assert [t.code for t in rome.search("viennoiserie")] == ["D1102"]
    assert rome.search("oiserie") == []  # words match from their start
    assert rome.search("%") == [] and rome.search("") == []
    assert rome.label("G1602") == "Personnel de cuisine"


def test_rome_files_of_data_gouv_and_of_the_api_are_imported(tmp_path: Path) -> None:
    comma = tmp_path / "comma.csv"
    comma.write_text(
        "\ufeffcode_rome,libelle_rome,code_fiche\nA1101,Conduite d'engins agricoles,1\n"
        "bad,Nothing,2\n",
        encoding="utf-8",
    )
    assert [(e["code"], e["label"]) for e in read_file(comma)] == [
        ("A1101", "Conduite d'engins agricoles")
    ]
    api = tmp_path / "metiers.json"
    api.write_text('[{"code": "K2204", "libelle": "Nettoyage de locaux"}]', encoding="utf-8")
    assert read_file(api) == [
        {"code": "K2204", "label": "Nettoyage de locaux", "folded": "nettoyage de locaux"}
    ]
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("a;b\n1;2\n", encoding="utf-8")
    with pytest.raises(RomeFileError, match="code_rome and libelle_rome"):
        read_file(wrong)


def test_kiosk_hub_rome_import(
    sqlite_database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "rome.csv"
    path.write_text(ROME_CSV, encoding="utf-8")
    common = ["--data-dir", str(tmp_path), "--database", sqlite_database]
    assert hub_main(["rome", "import", str(path), *common]) == 0
    assert "imported 5 ROME trades; the list now has 5" in capsys.readouterr().out
    assert hub_main(["rome", "import", str(tmp_path / "missing.csv"), *common]) == 2


def test_trades_are_learnt_from_ingested_france_travail_offers(
    sqlite_posting: Posting,
) -> None:
    services = sqlite_posting.hub.services
    records = [
        ft_record(id="200AAAA", romeCode="H1203", romeLibelle="Conception et dessin produits"),
        ft_record(id="200AAAB", romeCode="H1203", romeLibelle="Conception et dessin produits"),
        ft_record(id="200AAAC", romeCode="D1102", romeLibelle="Another label"),
    ]
    ingest_payload(services.offers, {"resultats": records})
    rome = services.postings.rome
    assert rome.label("H1203") == "Conception et dessin produits"
    assert rome.label("D1102") == "Boulangerie - viennoiserie"  # an imported label is kept
    assert [t.code for t in rome.search("dessin")] == ["H1203"]


def test_with_no_rome_list_a_code_typed_by_hand_is_taken(
    sqlite_database: str, tmp_path: Path, ban: StandIn
) -> None:
    posting = _start(sqlite_database, tmp_path, ban, rome=False)
    try:
        page, _ = posting.form()
        assert "La liste des métiers est vide" in page.text
        assert 'id="rome-code"' in page.text
        wrong = posting.post(rome="1234")
        assert wrong.status_code == 422
        assert 'id="rome-error">Un code ROME est une lettre et quatre chiffres' in wrong.text
        posted_id = posting.publish(rome="g1602")
        row = _offer_row(posting.hub, f"{BAKERY}-{posted_id}")
        assert row is not None and '"occupationalCategory":"G1602"' in (row.raw or "")
        search = posting.client.get("/recruiters/rome", params={"q": "cuisine"})
        assert "La liste des métiers est vide" in search.text
    finally:
        posting.hub.stop()


def test_quick_questions_and_ways_to_apply_are_kept_in_the_record(
    sqlite_posting: Posting,
) -> None:
    posted_id = sqlite_posting.publish(
        questions=["driving_licence"], apply_terminal="", apply_email=""
    )
    row = _offer_row(sqlite_posting.hub, f"{BAKERY}-{posted_id}")
    assert row is not None and row.raw is not None
    assert '"kioskQuestions":["driving_licence"]' in row.raw
    assert '"directApply":false' in row.raw
    assert '"applicationContact":{"@type":"ContactPoint","telephone":"01 43 43 00 00"}' in row.raw
    edit = sqlite_posting.client.get(f"/recruiters/offers/{posted_id}/edit").text
    assert re.search(r'value="driving_licence" checked', edit)
    assert not re.search(r'value="available_now" checked', edit)
    assert not re.search(r'name="apply_terminal" value="yes" checked', edit)


def test_a_withdrawn_offer_can_be_published_again(sqlite_posting: Posting) -> None:
    posted_id = sqlite_posting.publish()
    _, csrf = sqlite_posting.form()
    sqlite_posting.client.post(f"/recruiters/offers/{posted_id}/withdraw", data={"csrf": csrf})
    edit, csrf = sqlite_posting.form(f"/recruiters/offers/{posted_id}/edit")
    assert "Cette offre est retirée" in edit.text
    again = sqlite_posting.client.post(
        f"/recruiters/offers/{posted_id}", data={**offer_fields(), "csrf": csrf}
    )
    assert again.status_code == 303
    row = _offer_row(sqlite_posting.hub, f"{BAKERY}-{posted_id}")
    assert row is not None and not row.withdrawn
    assert "Publiée" in sqlite_posting.client.get("/recruiters/offers").text


def test_a_withdrawal_can_be_undone_from_its_notice(sqlite_posting: Posting) -> None:
    posted_id = sqlite_posting.publish()
    _, csrf = sqlite_posting.form()
    gone = sqlite_posting.client.post(
        f"/recruiters/offers/{posted_id}/withdraw", data={"csrf": csrf}
    )
    notice = sqlite_posting.client.get(gone.headers["location"])
    undo = f'action="/recruiters/offers/{posted_id}/republish"'
    assert "est retirée" in notice.text and undo in notice.text
    row = _offer_row(sqlite_posting.hub, f"{BAKERY}-{posted_id}")
    assert row is not None and row.withdrawn
    again = sqlite_posting.client.post(
        f"/recruiters/offers/{posted_id}/republish", data={"csrf": csrf_of(notice)}
    )
    assert again.status_code == 303
    assert again.headers["location"] == f"/recruiters/offers?published={posted_id}"
    row = _offer_row(sqlite_posting.hub, f"{BAKERY}-{posted_id}")
    assert row is not None and not row.withdrawn
    assert row.title == "Vendeur ou vendeuse en boulangerie"  # as it was
    listing = sqlite_posting.client.get(again.headers["location"]).text
    assert "est publiée" in listing and undo not in listing


def test_only_the_owner_can_undo_a_withdrawal(sqlite_posting: Posting) -> None:
    posted_id = sqlite_posting.publish()
    _, csrf = sqlite_posting.form()
    sqlite_posting.client.post(f"/recruiters/offers/{posted_id}/withdraw", data={"csrf": csrf})
    hub = sqlite_posting.hub
    other = hub.services.accounts.create_organisation("hotel-du-port", "Hôtel du Port")
    intruder = browser(hub, recruiter_session(hub, other, "paul@hotel-du-port.example"))
    token = csrf_of(intruder.get("/recruiters/offers/new"))
    answer = intruder.post(f"/recruiters/offers/{posted_id}/republish", data={"csrf": token})
    assert answer.status_code == 404
    no_token = sqlite_posting.client.post(f"/recruiters/offers/{posted_id}/republish")
    assert no_token.status_code in (403, 422)
    row = _offer_row(hub, f"{BAKERY}-{posted_id}")
    assert row is not None and row.withdrawn
