"""The hub's pages in a real browser (Debian's chromium through Selenium, scripts/test installs
it): the public offer page at desktop and phone sizes, escaped and self-contained; the fleet
page signed in through its form, with a terminal's alerts; an export downloaded by name."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select

from hub.api import attachment
from hub.ingest import ingest_payload
from tests.conftest import ft_record
from tests.hub.a11y import assert_accessible
from tests.hub.browsing import PHONE, SIZES, WIDE, chromium, fresh
from tests.hub.browsing import console_errors as _console_errors
from tests.hub.browsing import log as _log
from tests.hub.browsing import open_page as _open
from tests.hub.browsing import responses as _responses
from tests.hub.browsing import viewport as _viewport
from tests.hub.browsing import wait as _wait
from tests.hub.browsing import width as _width
from tests.hub.conftest import LYON, START, RunningHub, put_application, submission
from tests.hub.fleet_seed import VERSIONS, kind_of, seed_fleet
from tests.hub.fleet_seed import terminal_id as seeded_id

TITLE = "Serveur <b>en salle</b> & plongeur (H/F)"
SCRIPT = '<script>document.title = "exécuté"</script>'
DESCRIPTION = (
    "Service en salle du midi et du soir.\n\n"
    f"<img src=x onerror=alert(1)> Horaires en coupure. {SCRIPT}\n\n"
    "Référence interne : " + "REF-" + "0123456789" * 8  # one long word must wrap at 390 px
)
ALERT = "No usable hub key: applications are refused"
FLEET = 1000
HEARTBEAT = {
    "version": "0.1.0",
    "uptime_s": 60,
    "offers": 321,
    "queue_depth": 0,
    "free_disk_mb": 9000,
}


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    """One headless chromium for the module (starting one costs more than most tests)."""
    yield from chromium()


@pytest.fixture
def page(browser: WebDriver) -> WebDriver:
    """The module's browser without the cookies and logs of the test before."""
    return fresh(browser)


# -- the public offer page ---------------------------------------------------------------------


@SIZES
def test_the_public_offer_page_shows_the_offer_escaped_and_fits(
    page: WebDriver, sqlite_hub: RunningHub, size: tuple[int, int]
) -> None:
    hub = sqlite_hub
    record = ft_record(
        id="B1", intitule=TITLE, description=DESCRIPTION, entreprise={"nom": "LE BISTROT"}
    )
    ingest_payload(hub.services.offers, {"resultats": [record]}, "francetravail", False)
    _viewport(page, size)
    page.get(f"{hub.url}/offers/francetravail/B1")
    # The offer's text, markup included, shows as text: nothing of it became an element.
    assert page.find_element(By.TAG_NAME, "h1").text == TITLE
    assert page.title == f"{TITLE} — offre d’emploi"
    text = "\n".join(p.text for p in page.find_elements(By.CSS_SELECTOR, "p.text"))
    assert "<img src=x onerror=alert(1)> Horaires en coupure." in text
    assert SCRIPT in text
    assert "Service en salle du midi et du soir." in text
    assert "LE BISTROT" in page.find_element(By.CSS_SELECTOR, ".who").text
    assert page.find_elements(By.CSS_SELECTOR, "main b, main img, main script") == []
    # Its own stylesheet applies, and the page is no wider than the screen.
    article = "return getComputedStyle(document.querySelector('article')).borderTopLeftRadius"
    assert page.execute_script(article) == "8px"
    scroll, inner = _width(page)
    assert inner == size[0]
    assert scroll <= inner, f"the page is {scroll} px wide in a {inner} px window"
    # Nothing but the page and its stylesheet, both from the hub; the page says so to the
    # browser (CSP), which blocks anything else, and the console stays clean.
    responses = _responses(page)
    assert set(responses) == {f"{hub.url}/offers/francetravail/B1", f"{hub.url}/static/offer.css"}
    csp = responses[f"{hub.url}/offers/francetravail/B1"]["headers"]["content-security-policy"]
    assert csp.startswith("default-src 'none'")
    assert _console_errors(page) == []
    assert_accessible(page, f"the public offer page at {size}")
    blocked = page.execute_async_script(
        """const done = arguments[arguments.length - 1];
        document.addEventListener("securitypolicyviolation", (e) => done(e.effectiveDirective));
        const image = document.createElement("img");
        image.src = "https://images.example/pixel.png";
        document.body.append(image);"""
    )
    assert blocked == "img-src"


def test_an_unknown_offer_gets_the_not_found_page(page: WebDriver, sqlite_hub: RunningHub) -> None:
    hub = sqlite_hub
    _viewport(page, PHONE)
    url = f"{hub.url}/offers/francetravail/NOPE"
    page.get(url)
    assert page.find_element(By.TAG_NAME, "h1").text == "Offre introuvable"
    assert page.title == "Offre introuvable"
    assert _responses(page)[url]["status"] == 404
    scroll, inner = _width(page)
    assert scroll <= inner
    # The 404 answer is a page, not an error the browser logs beyond its status line.
    assert [m for m in _console_errors(page) if "404" not in m] == []
    assert_accessible(page, "the offer-not-found page")


# -- the fleet page ----------------------------------------------------------------------------


def _sign_in(page: WebDriver, hub: RunningHub) -> None:
    """Sign in through the login form the way an operator does."""
    page.get(f"{hub.url}/fleet")
    _wait(page).until(expected_conditions.url_to_be(f"{hub.url}/fleet/login"))
    page.find_element(By.ID, "token").send_keys(hub.operator_token)
    page.find_element(By.CSS_SELECTOR, "form[action='/fleet/login'] button").click()
    _wait(page).until(expected_conditions.url_to_be(f"{hub.url}/fleet"))
    _wait(page).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "form.logout"))
    )


def _alerting_fleet(hub: RunningHub) -> None:
    """gare-01 reports an alert in its heartbeat; gare-02 is fine."""
    for terminal_id, alerts in (("gare-01", [ALERT]), ("gare-02", [])):
        beat = hub.client(hub.enrol(terminal_id)).post(
            "/v1/heartbeat",
            json={
                "version": "0.1.0",
                "uptime_s": 60,
                "offers": 321,
                "queue_depth": 0,
                "free_disk_mb": 20000,
                "alerts": alerts,
            },
        )
        assert beat.status_code == 200, beat.text


def test_an_operator_signs_in_and_sees_a_terminals_alert(
    page: WebDriver, sqlite_hub: RunningHub
) -> None:
    hub = sqlite_hub
    _alerting_fleet(hub)
    _viewport(page, WIDE)
    # A wrong token is refused on the form itself.
    page.get(f"{hub.url}/fleet/login")
    page.find_element(By.ID, "token").send_keys("ko_wrong")
    page.find_element(By.CSS_SELECTOR, "form[action='/fleet/login'] button").click()
    refused = _wait(page).until(
        expected_conditions.visibility_of_element_located((By.CSS_SELECTOR, "[role=alert]"))
    )
    assert refused.text == "This is not a valid operator token."
    assert_accessible(page, "the fleet login page with its error")
    _log(page, "browser")  # the refused login's 401, as the browser reports it
    _sign_in(page, hub)
    # The alerting terminal comes first, its alert in sight.
    rows = page.find_elements(By.CSS_SELECTOR, "#terminal-list tbody tr")
    assert [row.get_attribute("id") for row in rows] == ["terminal-gare-01", "terminal-gare-02"]
    alert = page.find_element(By.CSS_SELECTOR, "#terminal-gare-01 .alert")
    assert alert.text == f"⚠ {ALERT}"
    assert alert.is_displayed()
    assert alert.rect["x"] + alert.rect["width"] <= WIDE[0]
    assert page.find_elements(By.CSS_SELECTOR, "#terminal-gare-02 .alert") == []
    # Connected but refusing applications: its status says so, not "ok".
    assert page.find_element(By.CSS_SELECTOR, "#terminal-gare-01 .status").text == "alert"
    badge = page.find_element(By.ID, "badge-alerts")
    assert badge.text == "report alerts 1"
    badge.click()
    _wait(page).until(expected_conditions.url_to_be(f"{hub.url}/fleet?state=alerts"))
    rows = page.find_elements(By.CSS_SELECTOR, "#terminal-list tbody tr")
    assert [row.get_attribute("id") for row in rows] == ["terminal-gare-01"]
    assert _console_errors(page) == []
    # On a phone, the row is a card: its alert fits the screen.
    _viewport(page, PHONE)
    alert = page.find_element(By.CSS_SELECTOR, "#terminal-gare-01 .alert")
    assert alert.text == f"⚠ {ALERT}"
    assert alert.rect["x"] + alert.rect["width"] <= PHONE[0]


def test_the_fleet_page_fits_a_phone(page: WebDriver, sqlite_hub: RunningHub) -> None:
    hub = sqlite_hub
    _alerting_fleet(hub)
    _viewport(page, PHONE)
    _sign_in(page, hub)
    scroll, inner = _width(page)
    assert scroll <= inner, f"the fleet page is {scroll} px wide in a {inner} px window"


def test_an_offers_export_downloads_under_its_non_latin_name(
    page: WebDriver, sqlite_hub: RunningHub, tmp_path: Path
) -> None:
    hub = sqlite_hub
    offer_id = "求人-42"
    record = ft_record(id=offer_id)
    ingest_payload(hub.services.offers, {"resultats": [record]}, "agence", False)
    key = uuid.uuid4()
    terminal = hub.client(hub.enrol("gare-01"))
    body = submission(hub.services.keys.public_key, key, "gare-01", offer=("agence", offer_id))
    assert put_application(terminal, key, body).status_code in (200, 201)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    page.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    _viewport(page, WIDE)
    _sign_in(page, hub)
    _responses(page)  # forget the sign-in's
    link = page.find_element(By.CSS_SELECTOR, "a[href^='/fleet/export?format=csv&offer_source=']")
    link.click()
    name = f"applications-agence-{offer_id}.csv"
    _wait(page).until(lambda _driver: (downloads / name).exists())
    assert "Camille" in (downloads / name).read_text(encoding="utf-8-sig")
    exports = [r for url, r in _responses(page).items() if "/fleet/export?" in url]
    assert len(exports) == 1
    disposition = exports[0]["headers"]["content-disposition"]
    assert disposition == attachment(f"applications-agence-{offer_id}", "csv")
    assert "filename*=UTF-8''applications-agence-%E6%B1%82%E4%BA%BA-42.csv" in disposition


# -- a fleet of 1,000 terminals ----------------------------------------------------------------


def _fleet(hub: RunningHub) -> None:
    seed_fleet(hub.services.db, int(hub.clock()), FLEET)


def _row_ids(driver: WebDriver) -> list[str]:
    rows = driver.find_elements(By.CSS_SELECTOR, "#terminal-list tbody tr")
    return [str(row.get_attribute("id")).removeprefix("terminal-") for row in rows]


def _seeded(kind: str) -> list[str]:
    return [seeded_id(i) for i in range(FLEET) if kind_of(i) == kind]


@SIZES
def test_a_fleet_of_1000_needing_attention_first_with_badges_that_filter(
    page: WebDriver, sqlite_hub: RunningHub, size: tuple[int, int]
) -> None:
    hub = sqlite_hub
    _fleet(hub)
    _viewport(page, size)
    _sign_in(page, hub)
    assert page.find_element(By.ID, "showing").text == "1–50 of 1,000"
    # Alerts first, then the offline terminals that hold applications, the other offline ones…
    order = ["alerts", "offline", "queue", "refused", "late", "never", "ok", "revoked"]
    kinds = [kind_of(int(tid.rsplit("-", 1)[1])) for tid in _row_ids(page)]
    assert kinds[: len(_seeded("alerts"))] == ["alerts"] * len(_seeded("alerts"))
    assert kinds == sorted(kinds, key=order.index)
    assert "offline" in kinds
    assert_accessible(page, f"the fleet page at {size}")
    # No sideways scrolling, and on a phone each row's queue and warnings stay on screen.
    scroll, inner = _width(page)
    assert scroll <= inner, f"the fleet page is {scroll} px wide in a {inner} px window"
    first = _row_ids(page)[0]
    for cell in page.find_elements(By.CSS_SELECTOR, f"#terminal-{first} td"):
        assert cell.rect["x"] + cell.rect["width"] <= inner
    # Each badge is a link to the list of its terminals.
    for state, expected in (("offline", _seeded("offline")), ("revoked", _seeded("revoked"))):
        badge = page.find_element(By.ID, f"badge-{state}")
        assert badge.find_element(By.TAG_NAME, "strong").text == f"{len(expected):,}"
        badge.click()
        _wait(page).until(expected_conditions.url_to_be(f"{hub.url}/fleet?state={state}"))
        assert (
            page.find_element(By.ID, "showing").text
            == f"1–{len(expected)} of {len(expected)} matching"
        )
        assert sorted(_row_ids(page)) == sorted(expected)
        assert page.find_element(By.ID, f"badge-{state}").get_attribute("aria-current") == "true"
    assert _console_errors(page) == []


def test_search_filters_and_pages_through_the_fleet(
    page: WebDriver, sqlite_hub: RunningHub
) -> None:
    hub = sqlite_hub
    _fleet(hub)
    _viewport(page, WIDE)
    _sign_in(page, hub)
    # A place and a version, chosen in the form.
    page.find_element(By.ID, "place").send_keys("lyon")
    Select(page.find_element(By.ID, "version")).select_by_value("1.2.0")
    page.find_element(By.CSS_SELECTOR, "form.filters button").click()
    _wait(page).until(expected_conditions.url_contains("place=lyon"))
    expected = [
        seeded_id(i) for i in range(FLEET) if i % 8 == 0 and VERSIONS[i % len(VERSIONS)] == "1.2.0"
    ]
    assert page.find_element(By.ID, "showing").text == f"1–50 of {len(expected)} matching"
    first_page = _row_ids(page)
    page.find_element(By.CSS_SELECTOR, "nav.pager a[rel=next]").click()
    _wait(page).until(expected_conditions.url_contains("page=2"))
    assert "place=lyon" in page.current_url and "version=1.2.0" in page.current_url
    second_page = _row_ids(page)
    assert sorted(first_page + second_page) == sorted(expected)  # 50 + the rest, none twice
    # The search box finds a terminal by its id.
    _open(page, f"{hub.url}/fleet")
    box = page.find_element(By.ID, "q")
    box.send_keys("marseille-0002")
    box.submit()
    _wait(page).until(expected_conditions.url_contains("q=marseille-0002"))
    assert _row_ids(page) == ["marseille-0002"]
    assert page.find_element(By.ID, "showing").text == "1–1 of 1 matching"
    page.find_element(By.LINK_TEXT, "Clear").click()
    _wait(page).until(expected_conditions.url_to_be(f"{hub.url}/fleet"))
    assert page.find_element(By.ID, "showing").text == "1–50 of 1,000"


@SIZES
def test_a_terminals_page_and_revoking_it_after_a_confirmation(
    page: WebDriver, sqlite_hub: RunningHub, size: tuple[int, int]
) -> None:
    hub = sqlite_hub
    _fleet(hub)
    token = hub.enrol("gare-01")
    terminal = hub.client(token)
    for minutes in (0, 1, 2, 61):  # three heartbeats in one hour, one in the next
        hub.clock.now = START + minutes * 60
        beat = dict(HEARTBEAT, queue_depth=2, oldest_queued_age_s=90, free_disk_mb=70862)
        assert terminal.post("/v1/heartbeat", json=beat).status_code == 200
    _viewport(page, size)
    _sign_in(page, hub)
    page.find_element(By.ID, "q").send_keys("gare-01\n")
    _wait(page).until(expected_conditions.url_contains("q=gare-01"))
    page.find_element(By.LINK_TEXT, "gare-01").click()
    _wait(page).until(expected_conditions.url_to_be(f"{hub.url}/fleet/terminals/gare-01"))
    facts = page.find_element(By.CSS_SELECTOR, "dl.facts").text
    assert "69.2 GB" in facts
    assert "2 applications waiting, the oldest for 1 min" in facts
    today = page.find_element(By.CSS_SELECTOR, "table.history tbody tr")
    assert "4" in today.find_element(By.CSS_SELECTOR, "td[data-label=Received]").text
    scroll, inner = _width(page)
    assert scroll <= inner, f"the terminal page is {scroll} px wide in a {inner} px window"
    assert_accessible(page, f"a terminal's page at {size}")
    # Resync is its own form; Revoke is a link to a page that asks.
    resync = page.find_element(By.ID, "resync")
    revoke = page.find_element(By.ID, "revoke")
    assert (
        resync.find_element(By.XPATH, "./ancestor::form")
        .get_attribute("action")
        .endswith("/resync")
    )
    assert revoke.tag_name == "a"
    assert revoke.location["y"] > resync.location["y"] + resync.size["height"] + 30
    revoke.click()
    _wait(page).until(expected_conditions.url_to_be(f"{hub.url}/fleet/terminals/gare-01/revoke"))
    assert page.find_element(By.TAG_NAME, "h2").text == "Revoke gare-01?"
    assert "2 applications still queued on it" in page.find_element(By.TAG_NAME, "main").text
    assert_accessible(page, f"the revoke confirmation at {size}")
    assert terminal.get("/v1/feed").status_code == 200  # asking revoked nothing
    page.find_element(By.LINK_TEXT, "Cancel").click()
    _wait(page).until(expected_conditions.url_to_be(f"{hub.url}/fleet/terminals/gare-01"))
    assert terminal.get("/v1/feed").status_code == 200
    page.find_element(By.ID, "revoke").click()
    page.find_element(By.ID, "confirm-revoke").click()
    _wait(page).until(expected_conditions.url_contains("done=revoke"))
    assert "gare-01 is revoked" in page.find_element(By.ID, "done").text
    assert terminal.get("/v1/feed").status_code == 401
    assert _console_errors(page) == []


def test_settings_pushed_to_a_group_reach_the_next_heartbeat(
    page: WebDriver, sqlite_hub: RunningHub
) -> None:
    hub = sqlite_hub
    _fleet(hub)
    lyon = hub.client(hub.enrol("gare-lyon", where=LYON))
    paris = hub.client(hub.enrol("gare-paris"))
    for client in (lyon, paris):
        answer = client.post("/v1/heartbeat", json=HEARTBEAT)
        assert answer.json() == {"config": None}
    # The two real terminals are named "Terminal gare-…": the group is those with "gare-l".
    _viewport(page, PHONE)
    _sign_in(page, hub)
    page.find_element(By.ID, "q").send_keys("gare-l\n")
    _wait(page).until(expected_conditions.url_contains("q=gare-l"))
    assert _row_ids(page) == ["gare-lyon"]
    page.find_element(By.CSS_SELECTOR, "input[name=target][value=matching]").click()
    page.find_element(By.ID, "settings").send_keys("idle_warning_s = 90\ndefault_language = ar")
    page.find_element(By.CSS_SELECTOR, "#push button[type=submit]").click()
    _wait(page).until(expected_conditions.url_contains("pushed=1"))
    assert "1 terminal will get" in page.find_element(By.ID, "pushed").text
    config = lyon.post("/v1/heartbeat", json=HEARTBEAT).json()["config"]
    assert config["settings"] == {"idle_warning_s": 90, "default_language": "ar"}
    assert paris.post("/v1/heartbeat", json=HEARTBEAT).json() == {"config": None}
    # A bad line is refused on the form, naming it, and what was typed stays.
    _open(page, f"{hub.url}/fleet")
    page.find_element(By.ID, f"pick-{seeded_id(1)}").click()
    page.find_element(By.ID, "settings").send_keys("Bad Name = 1")
    page.find_element(By.CSS_SELECTOR, "#push button[type=submit]").click()
    error = _wait(page).until(
        expected_conditions.visibility_of_element_located((By.ID, "push-error"))
    )
    assert "line 1: 'Bad Name' is not a setting name" in error.text
    assert page.find_element(By.ID, "settings").get_attribute("value") == "Bad Name = 1"
    scroll, inner = _width(page)
    assert scroll <= inner
