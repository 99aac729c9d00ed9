"""Enrolment with one-time codes, tokens, revocation, heartbeats, health and pushed config."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hub.auth import normalise_code
from hub.settings import HubConfig, ReleasesSection
from tests.hub.conftest import GENEROUS, PARIS, RunningHub, start_hub


def _enrol_body(code: str, terminal_id: str = "gare-01", **overrides: Any) -> dict[str, Any]:
    body = {
        "code": code,
        "terminal_id": terminal_id,
        "name": "Gare de Lyon, hall 1",
        "latitude": PARIS[0],
        "longitude": PARIS[1],
        "radius_km": 20,
        "version": "0.1.0",
    }
    body.update(overrides)
    return body


def _beat(**overrides: Any) -> dict[str, Any]:
    body = {
        "version": "0.1.0",
        "uptime_s": 3600,
        "last_sync": "2026-11-20T11:55:00Z",
        "offers": 1234,
        "queue_depth": 0,
        "oldest_queued_age_s": None,
        "free_disk_mb": 20000,
        "counters": {"screens.browse": 40, "applications.sent": 2},
    }
    body.update(overrides)
    return body


def test_a_code_enrols_its_terminal_once(hub: RunningHub) -> None:
    code, _ = hub.services.terminals.create_code("gare-01")
    client = hub.client()
    answer = client.post("/v1/enrol", json=_enrol_body(code.lower().replace("-", " ")))
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["public_key"] == hub.services.keys.public_key
    assert body["token"].startswith("kt_")
    assert answer.headers["cache-control"] == "no-store"
    # The token works; the code does not work a second time.
    terminal = hub.client(body["token"])
    assert terminal.post("/v1/heartbeat", json=_beat()).status_code == 200
    again = client.post("/v1/enrol", json=_enrol_body(code))
    assert again.status_code == 403
    assert again.json()["error"] == "enrol_refused"


def test_codes_are_bound_to_a_terminal_id_and_expire(hub: RunningHub) -> None:
    code, _ = hub.services.terminals.create_code("gare-01", hours=1)
    client = hub.client()
    assert client.post("/v1/enrol", json=_enrol_body(code, "gare-02")).status_code == 403
    hub.clock.advance(3601)
    assert client.post("/v1/enrol", json=_enrol_body(code)).status_code == 403
    assert client.post("/v1/enrol", json=_enrol_body("AAAA-BBBB-CCCC")).status_code == 403


def test_an_enrolled_terminal_cannot_enrol_twice_without_a_replacement_code(
    hub: RunningHub,
) -> None:
    first_token = hub.enrol("gare-01")
    code, _ = hub.services.terminals.create_code("gare-01")
    twice = hub.client().post("/v1/enrol", json=_enrol_body(code))
    assert twice.status_code == 409
    assert twice.json()["error"] == "already_enrolled"
    # The operator replaces the terminal (new hardware): the old token stops working.
    replacement, _ = hub.services.terminals.create_code("gare-01", replace=True)
    answer = hub.client().post("/v1/enrol", json=_enrol_body(replacement))
    assert answer.status_code == 201
    assert hub.client(first_token).post("/v1/heartbeat", json=_beat()).status_code == 401
    assert hub.client(answer.json()["token"]).post("/v1/heartbeat", json=_beat()).status_code == 200


def test_revoking_stops_the_token_at_once_and_a_new_code_reenrols(hub: RunningHub) -> None:
    token = hub.enrol("gare-01")
    terminal = hub.client(token)
    assert hub.admin.post("/v1/admin/terminals/gare-01/revoke").status_code == 204
    refused = terminal.get("/v1/feed")
    assert refused.status_code == 401
    assert refused.headers["www-authenticate"].startswith("Bearer")
    assert hub.admin.get("/v1/admin/terminals/gare-01").json()["status"] == "revoked"
    new_token = hub.enrol("gare-01")
    assert hub.client(new_token).get("/v1/feed").status_code == 200
    assert hub.admin.post("/v1/admin/terminals/nobody/revoke").status_code == 404


def test_enrolment_input_is_validated_with_the_field_named(hub: RunningHub) -> None:
    code, _ = hub.services.terminals.create_code("gare-01")
    client = hub.client()
    for field, value in [
        ("latitude", 95),
        ("radius_km", 0),
        ("terminal_id", "../etc"),
        ("version", "1 0"),
        ("name", ""),
    ]:
        answer = client.post("/v1/enrol", json=_enrol_body(code, **{field: value}))
        assert answer.status_code == 422, field
        body = answer.json()
        assert body["error"] == "invalid_request"
        assert body["details"][0]["field"] == f"body.{field}"
    unknown = client.post("/v1/enrol", json=_enrol_body(code, colour="red"))
    assert unknown.status_code == 422
    assert unknown.json()["details"][0]["field"] == "body.colour"
    # Nothing consumed the code.
    assert client.post("/v1/enrol", json=_enrol_body(code)).status_code == 201


def test_heartbeats_make_the_health_operators_see(hub: RunningHub) -> None:
    token = hub.enrol("gare-01")
    hub.enrol("gare-02")
    terminal = hub.client(token)
    assert terminal.post("/v1/heartbeat", json=_beat()).json() == {"config": None}
    listed = {t["terminal_id"]: t for t in hub.admin.get("/v1/admin/terminals").json()["terminals"]}
    mine = listed["gare-01"]
    assert mine["status"] == "ok"
    assert mine["warnings"] == []
    assert mine["offers"] == 1234
    assert mine["free_disk_mb"] == 20000
    assert mine["counters"] == {"screens.browse": 40, "applications.sent": 2}
    assert mine["last_sync_at"] == "2026-11-20T11:55:00Z"
    assert listed["gare-02"]["status"] == "never"
    hub.clock.advance(5 * 60)
    assert hub.admin.get("/v1/admin/terminals/gare-01").json()["status"] == "late"
    hub.clock.advance(2 * 3600)
    late = hub.admin.get("/v1/admin/terminals/gare-01").json()
    assert late["status"] == "offline"
    terminal.post(
        "/v1/heartbeat",
        json=_beat(queue_depth=3, oldest_queued_age_s=7200, free_disk_mb=200, last_sync=None),
    )
    warned = hub.admin.get("/v1/admin/terminals/gare-01").json()
    assert warned["status"] == "ok"
    assert warned["warnings"] == [
        "applications queued for over an hour",
        "disk almost full",
        "offers not synced for over a day",
    ]


def test_a_queue_keeps_ageing_while_its_terminal_is_silent(hub: RunningHub) -> None:
    terminal = hub.client(hub.enrol("gare-01"))
    beat = _beat(queue_depth=3, oldest_queued_age_s=60)
    assert terminal.post("/v1/heartbeat", json=beat).status_code == 200
    fresh = hub.admin.get("/v1/admin/terminals/gare-01").json()
    assert (fresh["status"], fresh["oldest_queued_age_s"]) == ("ok", 60)
    assert fresh["oldest_queued_at"] == "2026-11-20T11:59:00Z"
    assert fresh["warnings"] == []
    # Five days without a heartbeat: the three applications have waited five days, not 1 min.
    hub.clock.advance(5 * 86400)
    silent = hub.admin.get("/v1/admin/terminals/gare-01").json()
    assert silent["status"] == "offline"
    assert silent["oldest_queued_age_s"] == 5 * 86400 + 60
    assert silent["oldest_queued_at"] == "2026-11-20T11:59:00Z"
    assert silent["warnings"][:2] == [
        "offline with 3 applications queued",
        "applications queued for over an hour",
    ]
    listed = hub.admin.get("/v1/admin/terminals").json()["terminals"]
    assert listed[0]["warnings"] == silent["warnings"]
    # Back, its queue delivered: no warning about it any more.
    terminal.post(
        "/v1/heartbeat",
        json=_beat(queue_depth=0, oldest_queued_age_s=None, last_sync="2026-11-25T12:00:00Z"),
    )
    back = hub.admin.get("/v1/admin/terminals/gare-01").json()
    assert (back["status"], back["oldest_queued_age_s"], back["warnings"]) == ("ok", None, [])


def test_heartbeat_input_is_bounded(hub: RunningHub) -> None:
    terminal = hub.client(hub.enrol("gare-01"))
    too_many = {f"c{i}": i for i in range(65)}
    for body in (
        _beat(counters=too_many),
        _beat(counters={"Name With Spaces": 1}),
        _beat(offers=-1),
        _beat(last_sync="2026-11-20T11:55:00"),  # no time zone
        _beat(email="x@example.org"),  # an unknown field is refused, not stored
    ):
        assert terminal.post("/v1/heartbeat", json=body).status_code == 422


def test_operator_changes_reach_the_terminal_in_its_heartbeat(hub: RunningHub) -> None:
    terminal = hub.client(hub.enrol("gare-01"))
    changed = hub.admin.patch(
        "/v1/admin/terminals/gare-01",
        json={"name": "Hall 2", "settings": {"idle_warning_s": 120, "languages": "fr,en"}},
    )
    assert changed.status_code == 200
    assert changed.json()["config_version"] == 1
    config = terminal.post("/v1/heartbeat", json=_beat()).json()["config"]
    assert config == {
        "version": 1,
        "name": "Hall 2",
        "radius_km": 20.0,
        "heartbeat_s": 60,
        "settings": {"idle_warning_s": 120, "languages": "fr,en"},
    } | {"radius_km": config["radius_km"]}
    pending = hub.admin.get("/v1/admin/terminals/gare-01").json()
    assert "configuration change not applied yet" in pending["warnings"]
    # Once the terminal reports the version it applied, the answer is empty again.
    assert terminal.post("/v1/heartbeat", json=_beat(config_version=1)).json() == {"config": None}
    bad = hub.admin.patch("/v1/admin/terminals/gare-01", json={"settings": {"Bad Key": 1}})
    assert bad.status_code == 422


def test_codes_are_normalised_as_people_type_them() -> None:
    assert normalise_code(" k7qm 3xpa-wb9d ") == "K7QM-3XPA-WB9D"


def test_signed_releases_are_served_without_a_token(tmp_path: Path, sqlite_database: str) -> None:
    folder = tmp_path / "releases"
    folder.mkdir()
    (folder / "stable.json").write_bytes(b'{"version": "0.2.0"}')
    (folder / "stable.json.minisig").write_bytes(b"untrusted comment: x\n")
    (tmp_path / "secret.txt").write_text("not for terminals")
    config = HubConfig(limits=GENEROUS, releases=ReleasesSection(folder=folder))
    hub = start_hub(sqlite_database, tmp_path, config)
    try:
        terminal = hub.client(hub.enrol("gare-01"))
        manifest = terminal.get("/v1/releases/stable.json")
        assert manifest.status_code == 200
        assert manifest.content == b'{"version": "0.2.0"}'
        assert terminal.get("/v1/releases/stable.json.minisig").status_code == 200
        assert terminal.get("/v1/releases/beta.json").status_code == 404
        assert terminal.get("/v1/releases/..%2Fsecret.txt").status_code in (404, 422)
        # Public signed artefacts: a blank machine fetches them before it is enrolled.
        anonymous = hub.client().get("/v1/releases/stable.json")
        assert (anonymous.status_code, anonymous.content) == (200, b'{"version": "0.2.0"}')
    finally:
        hub.stop()


def test_a_terminals_alerts_are_kept_until_its_next_heartbeat_and_bounded(
    hub: RunningHub,
) -> None:
    terminal = hub.client(hub.enrol("gare-01"))
    alert = "applications are refused: /var/lib/job-kiosk/enrolment.json cannot be used"
    assert terminal.post("/v1/heartbeat", json=_beat(alerts=[alert])).status_code == 200
    assert hub.admin.get("/v1/admin/terminals/gare-01").json()["alerts"] == [alert]
    assert terminal.post("/v1/heartbeat", json=_beat()).status_code == 200  # fixed
    assert hub.admin.get("/v1/admin/terminals/gare-01").json()["alerts"] == []
    for alerts in (["x"] * 21, ["x" * 501], [1]):
        assert terminal.post("/v1/heartbeat", json=_beat(alerts=alerts)).status_code == 422
