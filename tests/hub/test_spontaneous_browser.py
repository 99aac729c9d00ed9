"""A spontaneous application in a real browser (chromium through Selenium): the recruiter of
the organisation that receives them finds it in the inbox, marked "Candidature spontanée" with
the firm and the trade, and opens it; both pages pass axe-core and fit a phone and a desktop."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions

from hub.recruiters.guard import COOKIE_PATH, RECRUITER_COOKIE
from hub.settings import sqlite_url
from tests.hub.a11y import assert_accessible, small_targets
from tests.hub.browsing import PHONE, SIZES, chromium, fresh, viewport, wait, width
from tests.hub.conftest import PARIS, FakeClock, RunningHub, start_hub
from tests.hub.firms_seed import firms_config, seed_firms, spontaneous_organisation
from tests.hub.recruiters.inbox_seed import recruiter_session
from tests.hub.test_spontaneous import send_spontaneous


@pytest.fixture(scope="module")
def agency_hub(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path
) -> Iterator[tuple[RunningHub, str, str]]:
    """A hub whose agency received one spontaneous application: (hub, session, its id)."""
    folder = tmp_path_factory.mktemp("spontaneous")
    shutil.copyfile(sqlite_template, folder / "hub.sqlite")
    hub = start_hub(sqlite_url(folder / "hub.sqlite"), folder, firms_config(), FakeClock())
    try:
        seed_firms(hub.services.db)
        agency = spontaneous_organisation(hub)
        application_id = send_spontaneous(hub, hub.enrol("gare-01", PARIS, 10))
        session = recruiter_session(hub, agency, "anne@agence.example")
        yield hub, session, application_id
    finally:
        hub.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    yield from chromium()


@SIZES
def test_the_agency_reads_a_spontaneous_application(
    browser: WebDriver, agency_hub: tuple[RunningHub, str, str], size: tuple[int, int]
) -> None:
    hub, session, application_id = agency_hub
    page = fresh(browser)
    viewport(page, size)
    page.get(f"{hub.url}/recruiters/sign-in")  # the cookie's site, before setting it
    page.add_cookie({"name": RECRUITER_COOKIE, "value": session, "path": COOKIE_PATH})
    page.get(f"{hub.url}/recruiters/inbox")
    card = wait(page).until(
        expected_conditions.presence_of_element_located((By.ID, f"application-{application_id}"))
    )
    assert "Candidature spontanée — Boulangerie - viennoiserie · Boulangerie Martin (Paris)" in (
        card.text
    )
    _fits(page, "the inbox", size)
    card.find_element(By.CSS_SELECTOR, "h2 a").click()
    wait(page).until(expected_conditions.url_contains(f"/recruiters/applications/{application_id}"))
    facts = wait(page).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "dl.facts"))
    )
    assert "Candidature spontanée" in facts.text
    assert "Boulangerie Martin, Paris (SIRET 12345678900012)" in facts.text
    assert "Boulangerie - viennoiserie" in facts.text
    _fits(page, "a spontaneous application", size)


def _fits(page: WebDriver, what: str, size: tuple[int, int]) -> None:
    assert_accessible(page, f"{what} at {size[0]}×{size[1]}")
    scroll, inner = width(page)
    assert scroll <= inner, f"{what} is {scroll} px wide in a {inner} px window"
    if size == PHONE:
        assert small_targets(page) == [], f"{what}: targets under 44 px on a phone"
