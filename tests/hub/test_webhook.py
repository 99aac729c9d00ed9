"""Forwarding applications to a webhook: signed, idempotent, retried with backoff, given up
after the configured attempts, and running in the background of a served hub."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from pathlib import Path

import orjson
import pytest
from sqlalchemy import select

from hub.jobs import BackgroundJobs
from hub.models import Application
from hub.settings import HubConfig, WebhookSection
from hub.webhook import SIGNATURE_HEADER, WebhookForwarder
from tests.hub.conftest import (
    GENEROUS,
    RunningHub,
    put_application,
    start_hub,
    submission,
    wait_until,
)
from tests.hub.fakes import Reply, Request, fake_server


def _hub(tmp_path: Path, sqlite_database: str, url: str) -> RunningHub:
    config = HubConfig(limits=GENEROUS, webhook=WebhookSection(url=url, secret="s3cret"))
    return start_hub(sqlite_database, tmp_path, config)


def _state(hub: RunningHub, key: uuid.UUID) -> tuple[str, int, int | None]:
    with hub.services.db.read() as connection:
        row = connection.execute(
            select(
                Application.webhook_state,
                Application.webhook_attempts,
                Application.webhook_next_at,
            ).where(Application.application_id == str(key))
        ).one()
    return row[0], row[1], row[2]


def test_applications_are_forwarded_signed_and_retried(
    tmp_path: Path, sqlite_database: str
) -> None:
    answers = iter([Reply(503, headers={"Retry-After": "120"}), Reply(500), Reply(204)])
    with fake_server(lambda _request: next(answers)) as receiver:
        hub = _hub(tmp_path, sqlite_database, receiver.url + "/applications")
        try:
            forwarder = WebhookForwarder(
                hub.services.db,
                hub.services.inbox,
                receiver.url + "/applications",
                "s3cret",
                clock=hub.clock,
                rng=lambda: 0.5,
            )
            client = hub.client(hub.enrol("gare-01"))
            key = uuid.uuid4()
            put_application(client, key, submission(hub.services.keys.public_key, key, "gare-01"))
            assert [o.delivered for o in forwarder.run_due()] == [False]  # 503
            state, attempts, next_at = _state(hub, key)
            assert (state, attempts) == ("pending", 1)
            assert next_at == int(hub.clock.now) + 120  # Retry-After beats the backoff
            assert forwarder.run_due() == []  # not due yet
            hub.clock.advance(120)
            assert [o.detail for o in forwarder.run_due()] == ["HTTP 500"]
            # full jitter: rng 0.5 × min(cap, 10 s × 2²)
            assert _state(hub, key)[2] == int(hub.clock.now) + 20
            hub.clock.advance(20)
            assert [o.delivered for o in forwarder.run_due()] == [True]
            assert _state(hub, key)[0] == "sent"
        finally:
            hub.stop()
    last = receiver.requests[-1]
    assert last.headers["idempotency-key"] == str(key)
    expected = hmac.new(b"s3cret", last.body, hashlib.sha256).hexdigest()
    assert last.headers[SIGNATURE_HEADER.lower()] == f"sha256={expected}"
    payload = orjson.loads(last.body)
    assert payload["application_id"] == str(key)
    assert payload["terminal_id"] == "gare-01"
    assert payload["offer"] == {"source": "francetravail", "id": "100AAAA", "title": None}
    assert payload["application"]["first_name"] == "Camille"
    assert len(receiver.requests) == 3


def test_the_webhook_gives_up_after_its_attempts(tmp_path: Path, sqlite_database: str) -> None:
    with fake_server(lambda _request: Reply(400)) as receiver:
        hub = _hub(tmp_path, sqlite_database, receiver.url)
        try:
            forwarder = WebhookForwarder(
                hub.services.db,
                hub.services.inbox,
                receiver.url,
                None,
                clock=hub.clock,
                max_attempts=3,
                rng=lambda: 0.0,
            )
            client = hub.client(hub.enrol("gare-01"))
            key = uuid.uuid4()
            put_application(client, key, submission(hub.services.keys.public_key, key, "gare-01"))
            for _ in range(3):
                forwarder.run_due()
            assert _state(hub, key)[:2] == ("failed", 3)
            assert hub.services.inbox.counts()["webhook_failed"] == 1
        finally:
            hub.stop()
    assert SIGNATURE_HEADER.lower() not in receiver.requests[0].headers


def wake(jobs: list[BackgroundJobs]) -> None:
    jobs[0].wake()


def test_a_served_hub_forwards_in_the_background(tmp_path: Path, sqlite_database: str) -> None:
    received: list[Request] = []

    def record(request: Request) -> Reply:
        received.append(request)
        return Reply(200)

    with fake_server(record) as receiver:
        jobs: list[BackgroundJobs] = []
        config = HubConfig(limits=GENEROUS, webhook=WebhookSection(url=receiver.url))
        hub = start_hub(sqlite_database, tmp_path, config, on_application=lambda: wake(jobs))
        forwarder = WebhookForwarder(
            hub.services.db, hub.services.inbox, receiver.url, None, clock=hub.clock
        )
        jobs.append(BackgroundJobs(hub.services, forwarder, [], lambda *_: pytest.fail()))
        jobs[0].start()
        try:
            client = hub.client(hub.enrol("gare-01"))
            keys = [uuid.uuid4() for _ in range(3)]
            for key in keys:
                body = submission(hub.services.keys.public_key, key, "gare-01")
                assert put_application(client, key, body).status_code == 201
            wait_until(lambda: len(received) == 3)
            assert sorted(r.headers["idempotency-key"] for r in received) == sorted(map(str, keys))
        finally:
            jobs[0].stop()
            hub.stop()


def test_a_webhook_with_personal_data_must_use_https() -> None:
    with pytest.raises(ValueError, match="https"):
        WebhookSection(url="http://recruiter.example.org/hook")  # type: ignore[arg-type]
    assert WebhookSection(url="http://127.0.0.1:9000/hook").url is not None  # type: ignore[arg-type]
