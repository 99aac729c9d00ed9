"""Security rules: tokens only in the header, roles kept apart, size and rate limits, and no
personal data in any log line."""

from __future__ import annotations

import logging
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from hub.settings import HubConfig, LimitsSection
from tests.hub.conftest import (
    FakeClock,
    RunningHub,
    application_plaintext,
    put_application,
    start_hub,
    submission,
)


def test_roles_are_kept_apart(sqlite_hub: RunningHub) -> None:
    hub = sqlite_hub
    terminal = hub.client(hub.enrol("gare-01"))
    for path in ("/v1/admin/terminals", "/v1/admin/applications", "/v1/admin/sources"):
        answer = terminal.get(path)
        assert answer.status_code == 403, path
        assert answer.json()["error"] == "forbidden"
        assert hub.client().get(path).status_code == 401
    assert terminal.get("/v1/admin/applications/export").status_code == 403
    # An operator token is not a terminal token.
    assert hub.admin.get("/v1/feed").status_code == 401
    assert hub.admin.post("/v1/heartbeat", json={}).status_code in (401, 422)
    # Terminals cannot read applications at all: there is no such route for them.
    key = uuid.uuid4()
    put_application(terminal, key, submission(hub.services.keys.public_key, key, "gare-01"))
    assert terminal.get(f"/v1/applications/{key}").status_code == 405


def test_tokens_are_refused_in_the_url(sqlite_hub: RunningHub) -> None:
    hub = sqlite_hub
    token = hub.enrol("gare-01")
    client = hub.client()
    answer = client.get("/v1/feed", params={"access_token": token})
    assert answer.status_code == 400
    assert answer.json()["error"] == "token_in_url"
    authorised = hub.client(token).get("/v1/feed", params={"token": token})
    assert authorised.status_code == 400
    assert hub.admin.get("/v1/admin/terminals", params={"api_key": "x"}).status_code == 400


def test_bodies_over_the_limit_are_refused_before_reading_them_all(sqlite_hub: RunningHub) -> None:
    hub = sqlite_hub
    client = hub.client(hub.enrol("gare-01"))
    big = b'{"version": "' + b"x" * (70 * 1024) + b'"}'
    declared = client.post(
        "/v1/heartbeat", content=big, headers={"Content-Type": "application/json"}
    )
    assert declared.status_code == 413
    assert declared.json()["error"] == "too_large"

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it streams
        for _ in range(20):
            yield b" " * 8192

    streamed = client.post(
        "/v1/heartbeat", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert streamed.status_code == 413


def test_each_token_has_its_own_rate_limit(tmp_path: Path, sqlite_database: str) -> None:
    limits_clock = FakeClock(0.0)
    config = HubConfig(
        limits=LimitsSection(terminal_per_s=2, terminal_burst=3, anonymous_per_s=1000)
    )
    hub = start_hub(sqlite_database, tmp_path, config, limits_clock=limits_clock)
    try:
        first = hub.client(hub.enrol("gare-01"))
        second = hub.client(hub.enrol("gare-02"))
        assert [first.get("/v1/feed").status_code for _ in range(3)] == [200, 200, 200]
        limited = first.get("/v1/feed")
        assert limited.status_code == 429
        assert limited.json()["error"] == "rate_limited"
        assert limited.headers["retry-after"] == "1"
        assert second.get("/v1/feed").status_code == 200  # another terminal is not affected
        limits_clock.advance(0.5)
        assert first.get("/v1/feed").status_code == 200
    finally:
        hub.stop()


def test_no_personal_data_reaches_the_logs(
    sqlite_hub: RunningHub, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    hub = sqlite_hub
    client = hub.client(hub.enrol("gare-01"))
    person = {
        "first_name": "Zéphyrine",
        "last_name": "Quelconque",
        "phone": "0611223344",
        "email": "zephyrine.q@example.org",
    }
    key = uuid.uuid4()
    content = application_plaintext(key, **person)
    body = submission(hub.services.keys.public_key, key, "gare-01", plaintext=content)
    assert put_application(client, key, body).status_code == 201
    assert put_application(client, key, body).status_code == 200
    other = submission(hub.services.keys.public_key, key, "gare-01", offer=("x", "y"))
    assert put_application(client, key, other).status_code == 409
    assert hub.admin.get("/v1/admin/applications").status_code == 200
    assert hub.admin.get("/v1/admin/applications/export").status_code == 200
    hub.clock.advance(100 * 86400)
    hub.admin.post("/v1/admin/purge")
    logged = caplog.text
    assert "application" in logged  # the flow was logged…
    for value in person.values():  # …without the person
        assert value not in logged
    assert body["sealed"][:40] not in logged


def test_the_interactive_docs_are_not_served(sqlite_hub: RunningHub) -> None:
    client = sqlite_hub.client()
    assert client.get("/docs").status_code == 404
    assert client.get("/redoc").status_code == 404
    not_found = client.get("/v1/nothing")
    assert not_found.json()["error"] == "not_found"


def test_invented_tokens_buy_no_extra_enrolment_attempts(
    tmp_path: Path, sqlite_database: str
) -> None:
    limits_clock = FakeClock(0.0)
    config = HubConfig(limits=LimitsSection(anonymous_per_s=1, anonymous_burst=2))
    hub = start_hub(sqlite_database, tmp_path, config, limits_clock=limits_clock)
    try:
        client = hub.client()
        statuses = [
            client.post(
                "/v1/enrol", json={}, headers={"Authorization": f"Bearer kt_invented{i}"}
            ).status_code
            for i in range(3)
        ]
        assert statuses == [422, 422, 429]
    finally:
        hub.stop()


def test_server_error_lines_lose_their_traceback() -> None:
    from hub.cli import _WithoutTraceback  # noqa: PLC0415

    try:
        raise ValueError("Zéphyrine 0611223344")
    except ValueError:
        record = logging.LogRecord(
            "uvicorn.error",
            logging.ERROR,
            __file__,
            1,
            "Exception in ASGI application",
            None,
            sys.exc_info(),
        )
    assert _WithoutTraceback().filter(record)
    line = logging.Formatter().format(record)
    assert "Exception in ASGI application" in line
    assert "0611223344" not in line
