"""The fleet page: a login with the operator token, the terminals and their health, enrolment
codes, revocation, uploads and the applications per offer — forms protected from forgery."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from hub import heartbeats
from hub.auth import SESSION_COOKIE
from hub.fleet import human_size
from hub.fleet_query import FleetFilter, FleetQueries, parse_settings
from tests.conftest import ft_record
from tests.hub.conftest import RunningHub, fleet_login, put_application, submission
from tests.hub.fleet_seed import kind_of, seed_fleet

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
HEARTBEAT = {
    "version": "0.1.0",
    "uptime_s": 60,
    "offers": 3,
    "queue_depth": 0,
    "free_disk_mb": 9000,
}
QUEUE_WARNING = "applications queued for over an hour"
REFUSED = "configuration refused by the terminal"


def _login(hub: RunningHub) -> tuple[httpx.Client, str]:
    browser = httpx.Client(base_url=hub.url, follow_redirects=False, timeout=30)
    hub.clients.append(browser)
    answer = fleet_login(browser, hub.operator_token)
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
    assert fleet_login(browser, "ko_wrong").status_code == 401
    terminal_token = hub.enrol("gare-01")
    assert fleet_login(browser, terminal_token).status_code == 401
    browser.cookies.set(SESSION_COOKIE, "1.99999999999.x.forged", path="/fleet")
    assert browser.get("/fleet").status_code == 303
    # A session dies with its operator token.
    logged_in, _csrf = _login(hub)
    hub.services.operators.create(revoke_others=True)
    assert logged_in.get("/fleet").status_code == 303


def _form_token(page: httpx.Response) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found is not None, "the page has no form token"
    return found.group(1)


def test_a_login_form_from_elsewhere_is_refused(sqlite_hub: RunningHub) -> None:
    hub = sqlite_hub

    def fresh() -> httpx.Client:
        client = httpx.Client(base_url=hub.url, follow_redirects=False, timeout=30)
        hub.clients.append(client)
        return client

    # Another site's page posting the form with a valid token: no cookie of ours, no token.
    forged = fresh().post("/fleet/login", data={"token": hub.operator_token})
    assert forged.status_code == 403
    assert SESSION_COOKIE + "=" not in forged.headers.get("set-cookie", "")
    assert "This form has expired" in forged.text and 'role="alert"' in forged.text
    # A form token copied from another browser does not fit this one's cookie.
    stolen = _form_token(fresh().get("/fleet/login"))
    browser = fresh()
    page = browser.get("/fleet/login")
    cookie = page.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/fleet" in cookie
    refused = browser.post("/fleet/login", data={"token": hub.operator_token, "csrf": stolen})
    assert refused.status_code == 403
    assert SESSION_COOKIE + "=" not in refused.headers.get("set-cookie", "")
    assert browser.get("/fleet").status_code == 303
    # The form the refusal comes back with logs in.
    form = {"token": hub.operator_token, "csrf": _form_token(refused)}
    logged_in = browser.post("/fleet/login", data=form)
    assert logged_in.status_code == 303 and logged_in.headers["location"] == "/fleet"
    assert browser.get("/fleet").status_code == 200


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
    assert "500 MB" in row.group(1)
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
    # Revoking takes the confirmation page's button: the form's post alone only leads there.
    asked = browser.post("/fleet/terminals/gare-01/revoke", data={"csrf": csrf})
    assert asked.status_code == 303
    assert asked.headers["location"] == "/fleet/terminals/gare-01/revoke"
    assert hub.client(token).get("/v1/feed").status_code == 200
    confirmation = browser.get("/fleet/terminals/gare-01/revoke")
    assert 'name="confirm" value="gare-01"' in confirmation.text
    revoked = browser.post(
        "/fleet/terminals/gare-01/revoke", data={"csrf": csrf, "confirm": "gare-01"}
    )
    assert revoked.status_code == 303
    assert revoked.headers["location"] == "/fleet/terminals/gare-01?done=revoke"
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


# -- a fleet of many ---------------------------------------------------------------------------


def test_the_lists_states_are_the_terminals_own_on_each_database(hub: RunningHub) -> None:
    """The SQL that sorts and filters the list agrees, terminal by terminal, with the health
    the hub computes for each (hub.terminals), on SQLite and PostgreSQL."""
    now = int(hub.clock())
    seed_fleet(hub.services.db, now, 400)
    queries = FleetQueries(hub.services.db, hub.services.settings.config.terminals.heartbeat_s)
    views = {t["terminal_id"]: t for t in hub.services.terminals.list_all()}

    def listed(**chosen: str) -> list[str]:
        page = queries.terminals(FleetFilter(**chosen), 1, now, dict, size=500)
        return [row["terminal_id"] for row in page.rows]

    for status in ("ok", "late", "offline", "never", "revoked"):
        expected = {i for i, t in views.items() if t["status"] == status}
        assert set(listed(state=status)) == expected, status
    expected_by_flag = {
        "alerts": {i for i, t in views.items() if t["alerts"] and t["status"] != "revoked"},
        "queue": {i for i, t in views.items() if QUEUE_WARNING in t["warnings"]},
        "refused": {
            i for i, t in views.items() if any(w.startswith(REFUSED) for w in t["warnings"])
        },
    }
    for state, expected in expected_by_flag.items():
        assert expected, state
        assert set(listed(state=state)) == expected, state
    summary = queries.summary(now)
    assert summary["all"] == 400
    assert summary["offline"] == len({i for i, t in views.items() if t["status"] == "offline"})
    # The order: what needs attention first; within offline, those holding applications.
    everyone = listed()
    kinds = [kind_of(int(i.rsplit("-", 1)[1])) for i in everyone]
    order = ["alerts", "offline", "queue", "refused", "late", "never", "ok", "revoked"]
    assert kinds == sorted(kinds, key=order.index)
    offline = [i for i in everyone if views[i]["status"] == "offline"]
    queued = [bool(views[i]["queue_depth"]) for i in offline]
    assert queued == sorted(queued, reverse=True)
    assert True in queued and False in queued
    # Search, place and version, and a search that is not a pattern.
    assert listed(q="LYON-0008") == ["lyon-0008"]
    assert set(listed(place="dijon", version="1.0.0")) == {
        i for i, t in views.items() if "Dijon" in t["name"] and t["version"] == "1.0.0"
    }
    assert listed(q="%") == []
    assert listed(q="_") == []
    # Pages: 50 by 50, none twice, and a page past the end shows the last.
    first = queries.terminals(FleetFilter(), 1, now, dict)
    last = queries.terminals(FleetFilter(), 99, now, dict)
    assert (first.total, first.pages, last.number, len(last.rows)) == (400, 8, 8, 50)
    assert (last.first, last.last) == (351, 400)


def test_settings_reach_one_terminal_a_selection_or_all_but_the_revoked(
    sqlite_hub: RunningHub,
) -> None:
    hub = sqlite_hub
    terminals = {name: hub.client(hub.enrol(name)) for name in ("t-1", "t-2", "t-3")}
    hub.admin.patch("/v1/admin/terminals/t-1", json={"settings": {"kept": "yes"}})
    hub.services.terminals.revoke("t-3")
    browser, csrf = _login(hub)

    applied: dict[str, int] = {}

    def settings_of(name: str) -> Any:
        """What the terminal's next heartbeat answer brings (the terminal applies it)."""
        beat = dict(HEARTBEAT, config_version=applied.get(name))
        config = terminals[name].post("/v1/heartbeat", json=beat).json()["config"]
        if config is None:
            return None
        applied[name] = config["version"]
        return config["settings"]

    pushed = browser.post(
        "/fleet/settings",
        data={"csrf": csrf, "target": "selected", "terminal": ["t-1"], "settings": "a = 1"},
    )
    assert pushed.status_code == 303
    assert pushed.headers["location"] == "/fleet?pushed=1"
    assert settings_of("t-1") == {"kept": "yes", "a": 1}  # merged with what it had
    assert settings_of("t-2") is None
    pushed = browser.post(
        "/fleet/settings", data={"csrf": csrf, "target": "all", "settings": "kept =\nb = on"}
    )
    assert pushed.headers["location"] == "/fleet?pushed=2"  # t-3 is revoked
    assert settings_of("t-1") == {"a": 1, "b": "on"}
    assert settings_of("t-2") == {"b": "on"}
    one = browser.post("/fleet/terminals/t-2/settings", data={"csrf": csrf, "settings": "c=2.5"})
    assert one.headers["location"] == "/fleet/terminals/t-2?done=settings"
    assert settings_of("t-2") == {"b": "on", "c": 2.5}
    # Refused with the reason, nothing changed; a forged form is refused.
    refused = browser.post(
        "/fleet/settings", data={"csrf": csrf, "target": "selected", "settings": "a = 1"}
    )
    assert refused.status_code == 422
    assert "No terminal selected" in refused.text
    refused = browser.post(
        "/fleet/settings", data={"csrf": csrf, "target": "all", "settings": "a = " + "x" * 501}
    )
    assert refused.status_code == 422
    assert "Settings not pushed: a:" in refused.text
    forged = browser.post("/fleet/settings", data={"target": "all", "settings": "a = 1"})
    assert forged.status_code == 403
    assert settings_of("t-1") is None  # unchanged since it got the last one


def test_setting_lines_are_read_or_refused_by_line() -> None:
    assert parse_settings("a = true\nb=12\n# note\n\nc = 1.5\nd = 'x = y'\ne =\nf = Oui") == {
        "a": True,
        "b": 12,
        "c": 1.5,
        "d": "x = y",
        "e": None,
        "f": "Oui",
    }
    for text, problem in (
        ("", "no setting given"),
        ("just words", "line 1: write name = value"),
        ("a = 1\nNo = 2", "line 2: 'No' is not a setting name"),
        (" = 2", "line 1: write name = value"),
    ):
        with pytest.raises(ValueError, match=re.escape(problem)):
            parse_settings(text)


def test_free_disk_reads_in_human_units() -> None:
    assert [human_size(v) for v in (None, 500, 1024, 70862, 3 * 1024 * 1024)] == [
        "",
        "500 MB",
        "1.0 GB",
        "69.2 GB",
        "3.0 TB",
    ]


def test_an_offers_applications_come_in_pages(sqlite_hub: RunningHub) -> None:
    hub = sqlite_hub
    client = hub.client(hub.enrol("gare-01"))
    for _ in range(30):
        key = uuid.uuid4()
        body = submission(hub.services.keys.public_key, key, "gare-01", offer=("agence", "F1"))
        assert put_application(client, key, body).status_code == 201
    browser, _csrf = _login(hub)
    first = browser.get("/fleet/offers/agence/F1")
    assert first.text.count("Camille") == 25  # 25 opened, not 30
    assert "1–25 of 30" in first.text
    second = browser.get("/fleet/offers/agence/F1", params={"page": 2})
    assert second.text.count("Camille") == 5
    assert "26–30 of 30" in second.text
    terminal = browser.get("/fleet/terminals/gare-01", params={"page": 2})
    assert terminal.text.count("Camille") == 5
    assert "Applications it took" in terminal.text
    fleet = browser.get("/fleet")
    assert "Offers 1–1 of 1 with applications" in fleet.text
    assert browser.get("/fleet/terminals/nope").status_code == 404


def test_the_per_offer_list_is_paged_with_its_count(sqlite_hub: RunningHub) -> None:
    hub = sqlite_hub
    client = hub.client(hub.enrol("gare-01"))
    for number in range(45):
        key = uuid.uuid4()
        offer = ("agence", f"O{number:03d}")
        body = submission(hub.services.keys.public_key, key, "gare-01", offer=offer)
        assert put_application(client, key, body).status_code == 201
        hub.clock.advance(1)
    browser, _csrf = _login(hub)
    page = browser.get("/fleet")
    assert "Offers 1–20 of 45 with applications" in page.text
    last = browser.get("/fleet", params={"offers_page": 3})
    assert "Offers 41–45 of 45 with applications" in last.text
    assert "/fleet/offers/agence/O000" in last.text  # the oldest, on the last page
    assert "/fleet/offers/agence/O044" not in last.text


def test_heartbeats_are_kept_hour_by_hour_then_forgotten(hub: RunningHub) -> None:
    client = hub.client(hub.enrol("gare-01"))
    start = int(hub.clock()) // 86400 * 86400 + 3 * 3600  # 03:00 UTC on the day of START
    for offset, queue, disk in ((0, 2, 9000), (60, 5, 8000), (120, 1, 8500), (3600, 0, 9900)):
        hub.clock.now = start + offset
        beat = dict(HEARTBEAT, queue_depth=queue, free_disk_mb=disk)
        assert client.post("/v1/heartbeat", json=beat).status_code == 200
    hub.clock.now = start + 2 * 86400 + 7200  # two days later, 05:00
    days = heartbeats.history(hub.services.db, "gare-01", int(hub.clock()), 60)
    assert len(days) == 7
    assert days[0].beats == 0
    assert days[0].expected == 5 * 60
    first = days[2]
    assert first.hours[3:5] == [3, 1]
    assert (first.beats, first.queue_max, first.free_disk_min_mb) == (4, 5, 8000)
    assert first.silent_hours == 22
    assert first.versions == ["0.1.0"]
    hub.clock.now = start + (heartbeats.HISTORY_DAYS + 1) * 86400
    assert hub.services.purge()["heartbeat_hours"] == 2
    assert (
        heartbeats.history(hub.services.db, "gare-01", int(hub.clock()), 60, days=30)[-1].beats == 0
    )
