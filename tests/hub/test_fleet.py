"""The fleet page: a login with the operator token, the terminals and their health, enrolment
codes, revocation, uploads and the applications per offer — forms protected from forgery."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import httpx

from hub.auth import SESSION_COOKIE
from tests.conftest import ft_record
from tests.hub.conftest import RunningHub, put_application, submission

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _login(hub: RunningHub) -> tuple[httpx.Client, str]:
    browser = httpx.Client(base_url=hub.url, follow_redirects=False, timeout=30)
    hub.clients.append(browser)
    answer = browser.post("/fleet/login", data={"token": hub.operator_token})
    assert answer.status_code == 303
    assert answer.headers["location"] == "/fleet"
    cookie = answer.headers["set-cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie
    assert "Path=/fleet" in cookie
    page = browser.get("/fleet")
    assert page.status_code == 200
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf is not None
    return browser, csrf.group(1)


def test_the_fleet_page_needs_an_operator(sqlite_hub: RunningHub) -> None:
    hub = sqlite_hub
    browser = httpx.Client(base_url=hub.url, follow_redirects=False)
    hub.clients.append(browser)
    assert browser.get("/fleet").headers["location"] == "/fleet/login"
    assert browser.post("/fleet/login", data={"token": "ko_wrong"}).status_code == 401
    terminal_token = hub.enrol("gare-01")
    assert browser.post("/fleet/login", data={"token": terminal_token}).status_code == 401
    browser.cookies.set(SESSION_COOKIE, "1.99999999999.x.forged", path="/fleet")
    assert browser.get("/fleet").status_code == 303
    # A session dies with its operator token.
    logged_in, _csrf = _login(hub)
    hub.services.operators.create(revoke_others=True)
    assert logged_in.get("/fleet").status_code == 303


def test_operators_see_the_fleet_and_enrol_and_revoke_from_it(sqlite_hub: RunningHub) -> None:
    hub = sqlite_hub
    token = hub.enrol("gare-01")
    hub.client(token).post(
        "/v1/heartbeat",
        json={
            "version": "0.1.0",
            "uptime_s": 60,
            "offers": 321,
            "queue_depth": 0,
            "free_disk_mb": 500,
            "last_sync": "2026-11-20T11:59:00Z",
        },
    )
    hub.enrol("gare-02")
    browser, csrf = _login(hub)
    page = browser.get("/fleet")
    assert page.headers["content-security-policy"].startswith("default-src 'none'")
    assert page.headers["cache-control"] == "no-store"
    row = re.search(r'<tr id="terminal-gare-01">(.*?)</tr>', page.text, re.S)
    assert row is not None
    assert "ok" in row.group(1)
    assert "321" in row.group(1)
    assert "disk almost full" in row.group(1)
    assert "never" in page.text  # gare-02 never sent a heartbeat
    assert hub.services.keys.public_key in page.text
    # A form without its anti-forgery token is refused.
    assert browser.post("/fleet/enrol-code", data={"terminal_id": "gare-03"}).status_code == 403
    created = browser.post("/fleet/enrol-code", data={"terminal_id": "gare-03", "csrf": csrf})
    code = re.search(r'<p class="code">([A-Z0-9-]+)</p>', created.text)
    assert code is not None
    enrolled = hub.client().post(
        "/v1/enrol",
        json={
            "code": code.group(1),
            "terminal_id": "gare-03",
            "name": "Hall 3",
            "latitude": 48.84,
            "longitude": 2.37,
            "radius_km": 10,
            "version": "0.1.0",
        },
    )
    assert enrolled.status_code == 201
    revoked = browser.post("/fleet/terminals/gare-01/revoke", data={"csrf": csrf})
    assert revoked.status_code == 303
    assert hub.client(token).get("/v1/feed").status_code == 401
    # Names from terminals are escaped, never markup.
    hub.admin.patch("/v1/admin/terminals/gare-02", json={"name": "<script>x()</script>"})
    assert "<script>x()" not in browser.get("/fleet").text


def test_applications_and_uploads_from_the_fleet_page(sqlite_hub: RunningHub) -> None:
    hub = sqlite_hub
    browser, csrf = _login(hub)
    upload = browser.post(
        "/fleet/ingest",
        data={"csrf": csrf, "source": "agence"},
        files={"file": ("offers.json", b'{"resultats": [' + _record() + b"]}", "application/json")},
    )
    assert upload.status_code == 200
    assert "&#34;inserted&#34;:1" in upload.text or '"inserted":1' in upload.text
    client = hub.client(hub.enrol("gare-01"))
    key = uuid.uuid4()
    put_application(
        client,
        key,
        submission(hub.services.keys.public_key, key, "gare-01", offer=("agence", "F1")),
    )
    page = browser.get("/fleet")
    assert "/fleet/offers/agence/F1" in page.text
    assert "Serveur" in page.text  # the offer's title
    detail = browser.get("/fleet/offers/agence/F1")
    assert "Camille" in detail.text
    assert detail.headers["cache-control"] == "no-store"
    export = browser.get(
        "/fleet/export", params={"format": "csv", "offer_source": "agence", "offer_id": "F1"}
    )
    assert export.status_code == 200
    assert "Camille" in export.content.decode("utf-8-sig")
    assert httpx.get(hub.url + "/fleet/export", follow_redirects=False).status_code == 303


def _record() -> bytes:
    import orjson  # noqa: PLC0415

    return orjson.dumps(ft_record(id="F1"))
