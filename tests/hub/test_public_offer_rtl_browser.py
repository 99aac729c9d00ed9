"""The public offer page in Arabic in a real browser at phone size (the QR code of an Arabic
session leads there): right to left, the offer's French text still left to right, a phone
number in its order, nothing wider than the screen, accessible (axe-core) with whole tap
targets."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.by import By

from hub.ingest import ingest_payload
from tests.hub.a11y import assert_accessible, small_targets
from tests.hub.browsing import PHONE, chromium, fresh
from tests.hub.browsing import console_errors as _console_errors
from tests.hub.browsing import open_page as _open
from tests.hub.browsing import viewport as _viewport
from tests.hub.browsing import width as _width
from tests.hub.conftest import RunningHub

TITLE = "Vendeur ou vendeuse en boulangerie"
PHONE_NUMBER = "01 43 43 00 00"
POSTING = {
    "@context": "https://schema.org",
    "@type": "JobPosting",
    "identifier": "boulangerie-martin-1",
    "title": TITLE,
    "description": "Vente au comptoir et mise en place.\n\nÉquipe de quatre.",
    "datePosted": "2026-11-18",
    "directApply": True,
    "employmentType": "PART_TIME",
    "hiringOrganization": {"@type": "Organization", "name": "Boulangerie Martin"},
    "jobLocation": {"address": {"addressLocality": "Paris", "postalCode": "75012"}},
    "skills": "Accueillir une clientèle",
    "applicationContact": {
        "@type": "ContactPoint",
        "telephone": PHONE_NUMBER,
        "email": "recrutement@boulangerie-martin.example",
    },
}

# Where an element's text starts and ends, and where its box does (CSS pixels).
_EDGES = """
const element = document.querySelector(arguments[0]);
const range = document.createRange();
range.selectNodeContents(element);
const text = range.getBoundingClientRect(), box = element.getBoundingClientRect();
return [text.left - box.left, box.right - text.right];
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    yield from chromium()


@pytest.fixture
def page(browser: WebDriver) -> WebDriver:
    return fresh(browser)


def test_the_arabic_page_reads_right_to_left_and_fits_a_phone(
    page: WebDriver, sqlite_hub: RunningHub
) -> None:
    hub = sqlite_hub
    ingest_payload(hub.services.offers, POSTING, "posted", False)
    _viewport(page, PHONE)
    _open(page, f"{hub.url}/offers/posted/boulangerie-martin-1?lang=ar")  # a French browser
    root = page.find_element(By.TAG_NAME, "html")
    assert (root.get_attribute("lang"), root.get_attribute("dir")) == ("ar", "rtl")
    assert page.title == f"{TITLE} — عرض عمل"
    assert page.find_element(By.TAG_NAME, "h1").text == TITLE
    # The page's own words stand at the right; the offer's French text at the left.
    heading_left, heading_right = page.execute_script(_EDGES, "h2")
    assert heading_right < 2 < heading_left
    title_left, title_right = page.execute_script(_EDGES, "h1")
    assert title_left < 2 < title_right
    paragraph_left, _ = page.execute_script(_EDGES, "p.text")
    assert paragraph_left < 2
    # The phone number reads in its order, left to right.
    link = page.find_element(By.CSS_SELECTOR, "a[href^='tel:']")
    assert link.text == PHONE_NUMBER
    assert page.execute_script("return getComputedStyle(arguments[0]).direction", link) == "ltr"
    scroll, inner = _width(page)
    assert scroll <= inner, f"the page is {scroll} px wide in a {inner} px window"
    assert _console_errors(page) == []
    assert_accessible(page, "the public offer page in Arabic")
    assert small_targets(page) == []  # the language links too
    # The other languages are a tap away.
    page.find_element(By.CSS_SELECTOR, "a[hreflang='en']").click()
    assert page.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    assert page.current_url.endswith("/offers/posted/boulangerie-martin-1?lang=en")
