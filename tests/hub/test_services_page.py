"""The services corner's fleet page in a real browser (headless chromium): an operator adds an
entry through the form, sees it by need, and the page is accessible (axe-core, WCAG 2.1 A/AA),
has 44 px targets and fits a phone, without any script (its CSP allows none)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select

from tests.hub.a11y import assert_accessible, small_targets
from tests.hub.browsing import (
    PHONE,
    SIZES,
    WIDE,
    chromium,
    console_errors,
    fresh,
    open_page,
    viewport,
    wait,
    width,
)
from tests.hub.conftest import RunningHub


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    yield from chromium()


@pytest.fixture
def page(browser: WebDriver) -> WebDriver:
    return fresh(browser)


def _sign_in(page: WebDriver, hub: RunningHub) -> None:
    open_page(page, f"{hub.url}/fleet/login")
    page.find_element(By.ID, "token").send_keys(hub.operator_token)
    page.find_element(By.CSS_SELECTOR, "form[action='/fleet/login'] button").click()
    wait(page).until(expected_conditions.url_to_be(f"{hub.url}/fleet"))


@SIZES
def test_an_operator_adds_an_entry_on_the_page(
    page: WebDriver, sqlite_hub: RunningHub, size: tuple[int, int]
) -> None:
    hub = sqlite_hub
    viewport(page, size)
    _sign_in(page, hub)
    page.find_element(By.CSS_SELECTOR, "a[href='/fleet/services']").click()
    wait(page).until(expected_conditions.url_to_be(f"{hub.url}/fleet/services"))
    assert page.find_element(By.ID, "no-entries").is_displayed()

    Select(page.find_element(By.ID, "category")).select_by_value("digital")
    page.find_element(By.ID, "title").send_keys("Pix")
    page.find_element(By.ID, "text").send_keys("Tester ses compétences numériques.")
    page.find_element(By.ID, "url").send_keys("https://pix.fr/")
    page.find_element(By.ID, "languages").send_keys("fr, en")
    page.find_element(By.ID, "add-service").click()
    wait(page).until(expected_conditions.url_to_be(f"{hub.url}/fleet/services?done=added"))
    (entry,) = hub.services.services_corner.list_all()
    row = page.find_element(By.ID, f"service-{entry['id']}")
    assert "Pix" in row.text and "fr, en" in row.text
    assert page.find_element(By.ID, "need-digital").text.startswith("Get help with digital")

    # A mistake comes back beside the form, announced, with what was typed kept.
    page.find_element(By.ID, "title").send_keys("France Travail")
    page.find_element(By.ID, "url").send_keys("https://www.francetravail.fr/")
    page.find_element(By.ID, "latitude").send_keys("forty-eight")
    page.find_element(By.ID, "add-service").click()
    problems = wait(page).until(
        expected_conditions.visibility_of_element_located((By.ID, "problems"))
    )
    assert problems.get_attribute("role") == "alert" and "Latitude" in problems.text
    assert page.find_element(By.ID, "title").get_attribute("value") == "France Travail"

    scroll, inner = width(page)
    assert scroll <= inner, "the page scrolls sideways"
    assert_accessible(page, f"the services page at {size}")
    if size == PHONE:
        assert small_targets(page) == []
    assert [m for m in console_errors(page) if "422" not in m] == []
    if size == WIDE:
        page.get(f"{hub.url}/fleet/services/{entry['id']}/edit")
        assert_accessible(page, "the edit page")
        assert page.find_element(By.ID, "title").get_attribute("value") == "Pix"
        # Removing takes a confirmation.
        open_page(page, f"{hub.url}/fleet/services")
        page.find_element(By.ID, f"remove-{entry['id']}").click()
        confirm = wait(page).until(
            expected_conditions.element_to_be_clickable((By.ID, "confirm-remove"))
        )
        assert_accessible(page, "the removal's confirmation")
        confirm.click()
        wait(page).until(expected_conditions.url_to_be(f"{hub.url}/fleet/services?done=removed"))
        assert hub.services.services_corner.list_all() == []
