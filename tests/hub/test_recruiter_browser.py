"""The recruiters' pages in a real browser (Debian's chromium through Selenium): the operator
makes an invitation link on the organisation's page; the recruiter chooses a password, reads
the inbox on a phone, calls back, records where they are, finds an application by the code a
caller quotes, signs out; a recruiter posts an offer that a terminal gets at its next sync.
Every page passes axe-core's WCAG 2.1 A/AA rules, fits a phone and a desktop, and on a phone
the recruiters' links and buttons are big enough to tap.

One browser and one hub (SQLite, with a stand-in for the address API) serve the module; each
test signs in afresh and touches only its own applications or offers.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from hub.ingest import ingest_payload
from hub.models import Application
from hub.recruiters.rome import read_file
from hub.settings import GeocodingSection, HubConfig, RecruitersSection, sqlite_url
from kiosk.config import Settings, parse_config
from kiosk.offline.db import open_offers_database
from kiosk.offline.offers import OfferStore
from kiosk.offline.outbox import Outbox, open_outbox_database
from tests.conftest import ORIGIN, ft_record
from tests.hub.a11y import assert_accessible, small_targets
from tests.hub.browsing import (
    PHONE,
    SIZES,
    WIDE,
    chromium,
    console_errors,
    fresh,
    viewport,
    wait,
    width,
)
from tests.hub.conftest import GENEROUS, START, FakeClock, RunningHub, start_hub
from tests.hub.recruiters.ban import RUE_DE_LYON, StandIn, ban_stand_in
from tests.hub.recruiters.inbox_seed import Organisation, Person, apply
from tests.sync.conftest import CONFIG, Terminal
from tests.sync.conftest import PARIS_01 as SYNCING_TERMINAL

PASSWORD = "croissants du matin 6h"
ANNE = ("anne.exemple@fournil.example", "Anne Exemple")  # signed in by most tests
ROME_CSV = """code_rome;libelle_rome
D1102;Boulangerie - viennoiserie
D1106;Vente en alimentation
G1803;Service en restauration
"""
CAMILLE = Person(
    "Camille", "Exemple", "06 12 34 56 78", "QX7M4P", "ar",
    {"available_now": True, "experience": "1_to_3_years", "driving_licence": False},
)  # fmt: skip
YANIS = Person("Yanis", "Exemple", "07 98 76 54 32", "T3KW9H", "fr", {"available_now": False})
INES = Person("Inès", "Exemple", "06 55 44 33 22", "MRC4DV", "es", {"experience": "none"})
GUEST = Person("Hugo", "Exemple", "06 11 22 33 44", "HU6EXA", "fr", {})


@dataclass
class World:
    """The module's hub: a bakery whose offer received three applications (Inès the newest),
    a hotel with one, and the address API's stand-in."""

    hub: RunningHub
    ban: StandIn
    bakery: Organisation
    hotel: Organisation


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("recruiters")
    shutil.copyfile(sqlite_template, folder / "hub.sqlite")
    with ban_stand_in() as ban:
        config = HubConfig(
            limits=GENEROUS,
            geocoding=GeocodingSection(url=ban.url, timeout_s=5),  # type: ignore[arg-type]
            recruiters=RecruitersSection(sign_in_per_minute=1000),
        )
        hub = start_hub(sqlite_url(folder / "hub.sqlite"), folder, config, FakeClock())
        try:
            (folder / "rome.csv").write_text(ROME_CSV, encoding="utf-8")
            hub.services.postings.rome.import_entries(read_file(folder / "rome.csv"))
            bakery = _organisation(hub, "fournil", "Boulangerie Le Fournil", "Vendeur ou vendeuse")
            hotel = _organisation(hub, "hotel-gare", "Hôtel de la Gare", "Réceptionniste de nuit")
            token = hub.enrol("gare-01")
            for person in (CAMILLE, YANIS, INES):
                hub.clock.advance(300)
                apply(hub, token, "gare-01", bakery, person)
            apply(hub, token, "gare-01", hotel, GUEST)
            invitation = hub.services.accounts.invite(bakery.id, *ANNE)
            hub.services.accounts.accept_invitation(invitation, PASSWORD)
            yield World(hub, ban, bakery, hotel)
        finally:
            hub.stop()


def _organisation(hub: RunningHub, slug: str, name: str, title: str) -> Organisation:
    """An organisation given, by the operator's rule, the offers of a source: one offer."""
    organisation_id = hub.services.accounts.create_organisation(slug, name)
    offer = (f"agence-{slug}", f"{slug.upper()}-1")
    record = ft_record(id=offer[1], intitule=title, entreprise={"nom": name})
    assert not ingest_payload(hub.services.offers, {"resultats": [record]}, offer[0]).rejected
    hub.services.ownership.add(organisation_id, "source", offer[0])
    return Organisation(organisation_id, slug, name, offer, title)


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    yield from chromium()


@pytest.fixture
def page(browser: WebDriver) -> WebDriver:
    return fresh(browser)


# -- helpers -----------------------------------------------------------------------------------


def _checked(
    page: WebDriver, what: str, size: tuple[int, int], status: int = 200, tap: bool = True
) -> None:
    """The page the browser shows passes axe-core, fits the window, and on a phone has no
    link, button or field too small to tap (`tap`: the recruiters' pages; the operator's
    pages are made for a desk); the console holds nothing but the page's own status when it
    is not 200."""
    assert_accessible(page, f"{what} at {size[0]}×{size[1]}")
    scroll, inner = width(page)
    assert scroll <= inner, f"{what} is {scroll} px wide in a {inner} px window"
    if size == PHONE and tap:
        assert small_targets(page) == [], f"{what}: targets under 44 px on a phone"
    expected = f"the server responded with a status of {status}"
    assert [m for m in console_errors(page) if status == 200 or expected not in m] == []


_LEFT = "document.documentElement.dataset.left = 'yes'"
_ARRIVED = (
    "return document.documentElement.dataset.left !== 'yes' && document.readyState === 'complete'"
)


def _follow(page: WebDriver, element: WebElement) -> None:
    """Click a link or a button and wait until the page it leads to has loaded (the page
    left is marked; while the browser moves, its answers may be errors: asked again)."""
    page.execute_script(_LEFT)
    element.click()
    WebDriverWait(page, 15, ignored_exceptions=(WebDriverException,)).until(
        lambda driver: driver.execute_script(_ARRIVED)
    )


def _submit(page: WebDriver, form: str) -> None:
    _follow(page, page.find_element(By.CSS_SELECTOR, f"{form} button[type=submit]"))


def _tick(page: WebDriver, selector: str) -> None:
    """Tick a checkbox or radio button (left as it is when it already is)."""
    box = page.find_element(By.CSS_SELECTOR, selector)
    if not box.is_selected():
        box.click()


def _sign_in(page: WebDriver, hub: RunningHub, email: str = ANNE[0]) -> None:
    """Sign in through the form, as a recruiter does every morning."""
    page.get(f"{hub.url}/recruiters/sign-in")
    page.find_element(By.ID, "email").send_keys(email)
    page.find_element(By.ID, "password").send_keys(PASSWORD)
    _submit(page, "form[action='/recruiters/sign-in']")
    wait(page).until(expected_conditions.url_to_be(f"{hub.url}/recruiters/inbox"))


def _cards(page: WebDriver) -> list[WebElement]:
    return page.find_elements(By.CSS_SELECTOR, "main li[id^=application-]")


def _ids(page: WebDriver) -> list[str]:
    return [str(card.get_attribute("id")).removeprefix("application-") for card in _cards(page)]


def _row(hub: RunningHub, application_id: str) -> Application:
    with hub.services.db.read() as connection:
        found = connection.execute(
            Application.__table__.select().where(Application.application_id == application_id)
        ).one()
    return found  # type: ignore[return-value]


# -- reading and answering ---------------------------------------------------------------------


def test_an_invited_recruiter_reads_calls_back_answers_and_finds_by_reference_on_a_phone(
    page: WebDriver, world: World
) -> None:
    hub = world.hub
    viewport(page, PHONE)
    # The operator makes an invitation link on the organisation's page…
    page.get(f"{hub.url}/fleet/login")
    page.find_element(By.ID, "token").send_keys(hub.operator_token)
    _submit(page, "form[action='/fleet/login']")
    page.get(f"{hub.url}/fleet/funnel")
    _checked(page, "the operator's funnel", PHONE, tap=False)
    page.get(f"{hub.url}/fleet/organisations")
    _checked(page, "the operator's organisations", PHONE, tap=False)
    _follow(page, page.find_element(By.LINK_TEXT, "Boulangerie Le Fournil"))
    page.find_element(By.ID, "invite-name").send_keys("Léa Exemple")
    page.find_element(By.ID, "invite-email").send_keys("lea@fournil.example")
    _follow(page, page.find_element(By.ID, "invite"))
    link = page.find_element(By.ID, "invitation-url").text
    assert link.startswith(f"{hub.url}/recruiters/invitation/")
    _checked(page, "an organisation's page with its invitation link", PHONE, tap=False)
    # … and the recruiter opens it and chooses a password (twice).
    page.get(link)
    assert page.find_element(By.TAG_NAME, "h1").text == "Bienvenue Léa Exemple"
    assert "Boulangerie Le Fournil" in page.find_element(By.TAG_NAME, "main").text
    _checked(page, "the invitation page", PHONE)
    page.find_element(By.ID, "password").send_keys(PASSWORD)
    page.find_element(By.ID, "password_again").send_keys(PASSWORD + " ")
    _submit(page, "main form")
    error = wait(page).until(
        expected_conditions.visibility_of_element_located((By.CSS_SELECTOR, "[role=alert]"))
    )
    assert "ne sont pas les mêmes" in error.text
    _checked(page, "the invitation page with its error", PHONE, status=422)
    page.find_element(By.ID, "password").send_keys(PASSWORD)
    page.find_element(By.ID, "password_again").send_keys(PASSWORD)
    _submit(page, "main form")
    wait(page).until(expected_conditions.url_to_be(f"{hub.url}/recruiters/inbox"))

    # The inbox: the bakery's three applications, newest first; not the hotel's.
    assert page.find_element(By.CSS_SELECTOR, "header .org").text == "Boulangerie Le Fournil"
    camille, yanis, ines = world.bakery.ids
    assert _ids(page) == [ines, yanis, camille]
    first = page.find_element(By.ID, f"application-{ines}")
    assert "Inès Exemple" in first.text and "Vendeur ou vendeuse" in first.text
    _checked(page, "the inbox", PHONE)

    # Camille's application: her name, a number to tap, her answers, language and code.
    _follow(page, page.find_element(By.CSS_SELECTOR, f"#application-{camille} h2 a"))
    wait(page).until(expected_conditions.url_contains(f"/recruiters/applications/{camille}"))
    assert page.find_element(By.TAG_NAME, "h1").text == "Camille Exemple"
    call = page.find_element(By.CSS_SELECTOR, "main .actions a[href^='tel:']")
    assert call.get_attribute("href") == "tel:+33612345678"
    assert call.text == "Appeler le 06 12 34 56 78"
    facts = page.find_element(By.CSS_SELECTOR, "main").text
    assert "arabe" in facts and "QX7M4P" in facts
    answers = page.find_element(By.CSS_SELECTOR, "dl.answers").text
    assert "Disponible tout de suite\nOui" in answers
    assert "1 à 3 ans" in answers
    _checked(page, "an application", PHONE)
    assert _row(hub, camille).opened == 1

    # Called back: "contacted", with the time it was recorded.
    hub.clock.advance(600)
    _tick(page, "input[name=status][value=contacted]")
    _submit(page, f"form[action='/recruiters/applications/{camille}/status']")
    wait(page).until(expected_conditions.url_contains("saved=contacted"))
    saved = page.find_element(By.CSS_SELECTOR, "[role=status]").text
    assert saved == "Statut enregistré : Contactée."
    assert page.find_element(By.CSS_SELECTOR, ".title-row .badge").text == "Contactée"
    history = page.find_element(By.CSS_SELECTOR, "ol.history").text
    assert "Contactée aujourd’hui à 13:25 — Léa Exemple" in history  # 12:25 UTC, Paris time
    assert _row(hub, camille).status_at == int(hub.clock())
    _checked(page, "an application after a status change", PHONE)

    # Yanis calls and quotes his code as he heard it: lower case, with a space.
    _follow(page, page.find_element(By.LINK_TEXT, "← Toutes les candidatures"))
    wait(page).until(expected_conditions.url_to_be(f"{hub.url}/recruiters/inbox"))
    page.find_element(By.ID, "reference").send_keys("t3k w9h")
    _submit(page, "form[role=search]")
    wait(page).until(expected_conditions.url_contains("reference="))
    assert _ids(page) == [yanis]
    assert "1 candidature avec ce code." in page.find_element(By.CSS_SELECTOR, "[role=status]").text
    _checked(page, "the inbox found by reference code", PHONE)
    # A code of another organisation finds nothing, and says so.
    box = page.find_element(By.ID, "reference")
    box.clear()
    box.send_keys(GUEST.reference.lower())
    _submit(page, "form[role=search]")
    wait(page).until(expected_conditions.url_contains(f"reference={GUEST.reference.lower()}"))
    assert _ids(page) == []
    assert "Aucune candidature" in page.find_element(By.CSS_SELECTOR, "[role=status]").text

    # The hotel's application, by its address: not found, as if it did not exist.
    page.get(f"{hub.url}/recruiters/applications/{world.hotel.ids[0]}")
    assert page.find_element(By.TAG_NAME, "h1").text == "Candidature introuvable"
    assert "Hugo" not in page.page_source
    _checked(page, "the not-found page", PHONE, status=404)

    # Signing out ends the session: the inbox asks to sign in again.
    _follow(page, page.find_element(By.CSS_SELECTOR, "form.sign-out button"))
    wait(page).until(expected_conditions.url_to_be(f"{hub.url}/recruiters/sign-in"))
    page.get(f"{hub.url}/recruiters/inbox")
    wait(page).until(expected_conditions.url_to_be(f"{hub.url}/recruiters/sign-in"))


def test_a_wrong_password_is_refused_on_the_form_and_the_right_one_opens_the_inbox(
    page: WebDriver, world: World
) -> None:
    hub = world.hub
    viewport(page, WIDE)
    page.get(f"{hub.url}/recruiters/sign-in")
    _checked(page, "the sign-in page", WIDE)
    page.find_element(By.ID, "email").send_keys(ANNE[0])
    page.find_element(By.ID, "password").send_keys("pas le bon mot de passe")
    _submit(page, "form[action='/recruiters/sign-in']")
    refused = wait(page).until(
        expected_conditions.visibility_of_element_located((By.CSS_SELECTOR, "[role=alert]"))
    )
    assert refused.text
    assert page.find_element(By.ID, "email").get_attribute("value") == ANNE[0]
    assert page.find_element(By.ID, "password").get_attribute("value") == ""
    _checked(page, "the sign-in page with its error", WIDE, status=401)
    page.find_element(By.ID, "password").send_keys(PASSWORD)
    _submit(page, "form[action='/recruiters/sign-in']")
    wait(page).until(expected_conditions.url_to_be(f"{hub.url}/recruiters/inbox"))
    assert len(_cards(page)) == 3


@SIZES
def test_every_recruiter_page_passes_the_accessibility_check_and_fits(
    page: WebDriver, world: World, size: tuple[int, int]
) -> None:
    hub = world.hub
    viewport(page, size)
    page.get(f"{hub.url}/recruiters/sign-in")
    _checked(page, "the sign-in page", size)
    _sign_in(page, hub)
    application = world.bakery.ids[1]
    for what, path in (
        ("the inbox", "/recruiters/inbox"),
        ("the inbox, one status", "/recruiters/inbox?status=new"),
        ("the inbox, a code that cannot be one", "/recruiters/inbox?reference=hello"),
        ("an application", f"/recruiters/applications/{application}"),
        ("the offers", "/recruiters/offers"),
        ("the offer form", "/recruiters/offers/new"),
        ("the trade search", "/recruiters/rome?q=boulang"),
    ):
        page.get(hub.url + path)
        wait(page).until(expected_conditions.presence_of_element_located((By.ID, "main")))
        _checked(page, what, size)


# -- posting an offer --------------------------------------------------------------------------


def _terminal(folder: Path) -> Terminal:
    """The Paris terminal of the sync tests: its offers cache and outbox (SQLite files)."""
    settings = Settings(parse_config(CONFIG, "test"), "test", folder, demo=False)
    clock = FakeClock(START)
    store = OfferStore(open_offers_database(settings.offers_db), ORIGIN, clock)
    outbox = Outbox(open_outbox_database(settings.outbox_db), clock)
    return Terminal(settings, store, outbox, clock)


@SIZES
def test_a_recruiter_posts_an_offer_that_reaches_a_terminal_at_its_next_sync(
    page: WebDriver, world: World, size: tuple[int, int], tmp_path: Path
) -> None:
    hub = world.hub
    terminal = _terminal(tmp_path)
    engine = terminal.engine(hub.url, hub.enrol(f"{SYNCING_TERMINAL}-{size[0]}"))
    engine.run_once()  # up to date before the offer is posted
    viewport(page, size)
    _sign_in(page, hub)
    _follow(page, page.find_element(By.LINK_TEXT, "Offres"))
    wait(page).until(expected_conditions.url_to_be(f"{hub.url}/recruiters/offers"))
    page.get(f"{hub.url}/recruiters/offers/new")
    title = f"Vendeur ou vendeuse en boulangerie ({size[0]} px)"
    page.find_element(By.ID, "title").send_keys(title)
    # The trade, searched by a word of it: the form comes back with what was typed.
    page.find_element(By.ID, "trade_query").send_keys("boulang")
    _follow(page, page.find_element(By.CSS_SELECTOR, "button[name=action][value=search]"))
    choice = wait(page).until(
        expected_conditions.element_to_be_clickable(
            (By.CSS_SELECTOR, "input[name=rome][value=D1102]")
        )
    )
    assert page.find_element(By.ID, "title").get_attribute("value") == title
    _checked(page, "the offer form with trades found", size)
    choice.click()
    _tick(page, "input[name=contract][value=CDD]")
    _tick(page, "input[name=working_time][value=part]")
    page.find_element(By.ID, "weekly_hours").send_keys("24")
    # An address the BAN cannot place is said next to its field.
    page.find_element(By.ID, "place").send_keys("Quelque part")
    page.find_element(By.ID, "description").send_keys("Vente au comptoir.\n\nDébut à 6 h 30.")
    _tick(page, "input[name=apply_terminal]")
    _tick(page, "input[name=questions][value=available_now]")
    _follow(page, page.find_element(By.CSS_SELECTOR, "button[name=action][value=publish]"))
    summary = wait(page).until(
        expected_conditions.visibility_of_element_located((By.CSS_SELECTOR, "[role=alert]"))
    )
    assert "Lieu de travail" in summary.text
    assert page.find_element(By.ID, "place-error").is_displayed()
    _checked(page, "the offer form with an error", size, status=422)
    place = page.find_element(By.ID, "place")
    place.clear()
    place.send_keys("12 rue de Lyon, Paris")
    _follow(page, page.find_element(By.CSS_SELECTOR, "button[name=action][value=publish]"))
    wait(page).until(expected_conditions.url_contains("/recruiters/offers?published="))
    assert title in page.find_element(By.TAG_NAME, "main").text
    _checked(page, "the offers after publishing", size)
    posted = page.current_url.rsplit("=", 1)[1]

    engine.run_once()  # one sync brings it to the terminal
    found = terminal.store.find("posted", f"fournil-{posted}")
    assert found is not None
    offer = terminal.store.get(found)
    assert offer is not None
    assert (offer.title, offer.company, offer.rome_code) == (
        title,
        "Boulangerie Le Fournil",
        "D1102",
    )
    assert (offer.latitude, offer.longitude) == (RUE_DE_LYON.latitude, RUE_DE_LYON.longitude)
    assert offer.direct_apply
