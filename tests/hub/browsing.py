"""What the hub's browser tests share: a headless chromium (Debian's chromium and chromium-driver,
installed by scripts/setup --browser), window sizes, and reading what the page did."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
WIDE = (1440, 900)
PHONE = (390, 844)
SIZES = pytest.mark.parametrize("size", [WIDE, PHONE], ids=["1440x900", "390x844"])


def start_chromium() -> WebDriver:
    """A headless chromium that records what pages loaded and wrote to their console, set up
    in French like most of the hub's users' browsers (the public offer page follows the
    browser's language)."""
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"intl.accept_languages": "fr-FR,fr"})
    # What the page loaded and answered (status, headers) and what it wrote to its console.
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    return webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))


def chromium() -> Iterator[WebDriver]:
    """The body of a module's `browser` fixture: one chromium for the module (starting one
    costs more than most tests); the test is skipped where the driver is not installed."""
    if not CHROMEDRIVER.exists():
        pytest.skip("chromium-driver is not installed: scripts/test (scripts/setup --browser) is")
    driver = start_chromium()
    yield driver
    driver.quit()


def fresh(driver: WebDriver) -> WebDriver:
    """The module's browser without the cookies and logs of the test before."""
    driver.execute_cdp_cmd("Network.clearBrowserCookies", {})
    driver.get("about:blank")
    log(driver, "performance")
    log(driver, "browser")
    return driver


def log(driver: WebDriver, kind: str) -> list[dict[str, Any]]:
    """The entries of a log ("performance", "browser") since it was last read."""
    entries: list[dict[str, Any]] = driver.get_log(kind)  # type: ignore[no-untyped-call]
    return entries


def viewport(driver: WebDriver, size: tuple[int, int]) -> None:
    width, height = size
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
    )


def responses(driver: WebDriver) -> dict[str, dict[str, Any]]:
    """The responses received since the last call, by URL: status and (lower-case) headers."""
    seen: dict[str, dict[str, Any]] = {}
    for entry in log(driver, "performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.responseReceived":
            response = message["params"]["response"]
            headers = {name.lower(): value for name, value in response["headers"].items()}
            seen[response["url"]] = {"status": response["status"], "headers": headers}
    return seen


def width(driver: WebDriver) -> tuple[int, int]:
    """(document width, viewport width) in CSS pixels."""
    scroll, inner = driver.execute_script(
        "return [document.documentElement.scrollWidth, window.innerWidth]"
    )
    return int(scroll), int(inner)


def console_errors(driver: WebDriver) -> list[str]:
    return [entry["message"] for entry in log(driver, "browser") if entry["level"] == "SEVERE"]


def wait(driver: WebDriver) -> WebDriverWait[WebDriver]:
    return WebDriverWait(driver, 15)


def open_page(driver: WebDriver, url: str) -> None:
    """Load `url` and wait until the document has loaded."""
    driver.get(url)
    wait(driver).until(lambda d: d.execute_script("return document.readyState") == "complete")
