"""A terminal's alerts reach the hub in its heartbeat and show on the fleet page: above all a
terminal that refuses applications (no usable key), while it can still reach the hub."""

from __future__ import annotations

import re
from dataclasses import replace

import httpx

from kiosk.config import HubSection
from tests.hub.conftest import fleet_login
from tests.sync.conftest import TERMINAL_ID, RunningHub, Terminal


def test_a_terminal_without_a_usable_key_says_so_on_the_fleet_page(
    sqlite_hub: RunningHub, terminal: Terminal
) -> None:
    token = sqlite_hub.enrol(TERMINAL_ID)
    hub = HubSection(url=sqlite_hub.url, token=token, public_key="bm90IGEga2V5")  # "not a key"
    broken = replace(
        terminal.settings, config=terminal.settings.config.model_copy(update={"hub": hub})
    )
    engine = replace(terminal, settings=broken).engine(sqlite_hub.url, token)
    assert engine.run_once().errors == []

    seen = sqlite_hub.admin.get(f"/v1/admin/terminals/{TERMINAL_ID}").json()
    [alert] = seen["alerts"]
    assert alert.startswith("applications are refused: test: [hub] public_key")

    browser = httpx.Client(base_url=sqlite_hub.url, timeout=30)
    sqlite_hub.clients.append(browser)
    assert fleet_login(browser, sqlite_hub.operator_token).status_code in (200, 303)
    page = browser.get("/fleet").text
    row = re.search(rf'<tr id="terminal-{TERMINAL_ID}">(.*?)</tr>', page, re.S)
    assert row is not None and "applications are refused" in row.group(1)
    # Its badge counts it, and filtering on it lists this terminal first.
    assert re.search(r'id="badge-alerts"[^>]*>[^<]*<strong>1</strong>', page)

    # Fixed (the right key): the next heartbeat clears the alert.
    fixed = hub.model_copy(update={"public_key": sqlite_hub.services.keys.public_key})
    healthy = replace(
        terminal.settings, config=terminal.settings.config.model_copy(update={"hub": fixed})
    )
    replace(terminal, settings=healthy).engine(sqlite_hub.url, token).run_once()
    assert sqlite_hub.admin.get(f"/v1/admin/terminals/{TERMINAL_ID}").json()["alerts"] == []
