"""Forwarding each application, unsealed, to a webhook: at least once, with capped retries.

Deliveries are claimed in the database (a lease), so several hub instances never post the
same application at the same time. The receiver deduplicates on the `Idempotency-Key`
header (the application's UUID) and checks `X-Kiosk-Hub-Signature` (HMAC-SHA256 of the body).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson
import requests
from sqlalchemy import select, update

from hub import Clock
from hub.db import Database
from hub.inbox import Inbox
from hub.models import Application, OfferRecord
from hub.retry import backoff
from hub.terminals import iso
from kiosk.sync.retry import parse_retry_after

log = logging.getLogger("hub.webhook")

LEASE_S = 120  # a claimed delivery is retried by another instance after this
BACKOFF_BASE_S = 10.0
BACKOFF_CAP_S = 3600.0
SIGNATURE_HEADER = "X-Kiosk-Hub-Signature"


def sign(secret: str, body: bytes) -> str:
    """The signature header's value for a body."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one delivery attempt did (for logs and tests): never the application itself."""

    application_id: str
    delivered: bool
    detail: str


class WebhookForwarder:
    """Posts due applications to the webhook; call `run_due` from one background thread."""

    def __init__(
        self,
        db: Database,
        inbox: Inbox,
        url: str,
        secret: str | None,
        clock: Clock = time.time,
        session: requests.Session | None = None,
        max_attempts: int = 12,
        timeout_s: float = 10.0,
        rng: Callable[[], float] = random.random,
    ) -> None:
        self._db = db
        self._inbox = inbox
        self._url = url
        self._secret = secret
        self._clock = clock
        self._session = session or requests.Session()
        self._max_attempts = max_attempts
        self._timeout = timeout_s
        self._rng = rng

    def next_due(self) -> float | None:
        """When the next pending delivery is due (epoch s), or None if none is pending."""
        with self._db.read() as connection:
            value = connection.scalar(
                select(Application.webhook_next_at)
                .where(Application.webhook_state == "pending")
                .order_by(Application.webhook_next_at)
                .limit(1)
            )
        return None if value is None else float(value)

    def run_due(self, limit: int = 50) -> list[Outcome]:
        """Attempt every due delivery (at most `limit`)."""
        now = int(self._clock())
        with self._db.read() as connection:
            due = connection.scalars(
                select(Application.id)
                .where(Application.webhook_state == "pending", Application.webhook_next_at <= now)
                .order_by(Application.webhook_next_at)
                .limit(limit)
            ).all()
        outcomes = []
        for row_id in due:
            claimed = self._claim(row_id, now)
            if claimed is not None:
                outcomes.append(self._deliver(claimed))
        return outcomes

    def _claim(self, row_id: int, now: int) -> dict[str, Any] | None:
        with self._db.write() as connection:
            taken = connection.execute(
                update(Application)
                .where(
                    Application.id == row_id,
                    Application.webhook_state == "pending",
                    Application.webhook_next_at <= now,
                )
                .values(webhook_next_at=now + LEASE_S)
            ).rowcount
            if taken != 1:
                return None
            row = (
                connection.execute(
                    select(
                        Application.id,
                        Application.application_id,
                        Application.terminal_id,
                        Application.offer_source,
                        Application.offer_id,
                        Application.created_at,
                        Application.received_at,
                        Application.sealed,
                        Application.webhook_attempts,
                        OfferRecord.title,
                    )
                    .outerjoin(
                        OfferRecord,
                        (OfferRecord.source == Application.offer_source)
                        & (OfferRecord.external_id == Application.offer_id),
                    )
                    .where(Application.id == row_id)
                )
                .mappings()
                .first()
            )
        return dict(row) if row is not None else None

    def _deliver(self, row: dict[str, Any]) -> Outcome:
        key = row["application_id"]
        content, problem = self._inbox.open(key, row["sealed"])
        if content is None:
            self._finish(row, "failed", f"cannot forward: {problem}")
            return Outcome(key, False, problem)
        received = iso(row["received_at"])
        assert received is not None
        body = orjson.dumps(
            {
                "application_id": key,
                "terminal_id": row["terminal_id"],
                "offer": {
                    "source": row["offer_source"],
                    "id": row["offer_id"],
                    "title": row["title"],
                },
                "created_at": row["created_at"],
                "received_at": received.isoformat().replace("+00:00", "Z"),
                "application": content,
            }
        )
        headers = {"Content-Type": "application/json", "Idempotency-Key": key}
        if self._secret:
            headers[SIGNATURE_HEADER] = sign(self._secret, body)
        retry_after: float | None = None
        try:
            response = self._session.post(
                self._url, data=body, headers=headers, timeout=self._timeout
            )
        except requests.RequestException as exc:
            detail = f"network error: {type(exc).__name__}"
        else:
            if 200 <= response.status_code < 300:
                self._finish(row, "sent", None)
                log.info("application %s forwarded to the webhook", key)
                return Outcome(key, True, f"HTTP {response.status_code}")
            detail = f"HTTP {response.status_code}"
            retry_after = parse_retry_after(response.headers.get("Retry-After"), self._clock())
        attempts = row["webhook_attempts"] + 1
        if attempts >= self._max_attempts:
            self._finish(row, "failed", detail, attempts)
            log.error(
                "application %s: webhook gave up after %d attempts (%s)", key, attempts, detail
            )
        else:
            delay = max(
                retry_after or 0.0, backoff(attempts, self._rng, BACKOFF_BASE_S, BACKOFF_CAP_S)
            )
            with self._db.write() as connection:
                connection.execute(
                    update(Application)
                    .where(Application.id == row["id"])
                    .values(
                        webhook_attempts=attempts,
                        webhook_next_at=int(self._clock() + delay),
                        webhook_error=detail,
                    )
                )
            log.warning("application %s: webhook attempt %d failed (%s)", key, attempts, detail)
        return Outcome(key, False, detail)

    def _finish(
        self, row: dict[str, Any], state: str, error: str | None, attempts: int | None = None
    ) -> None:
        with self._db.write() as connection:
            connection.execute(
                update(Application)
                .where(Application.id == row["id"])
                .values(
                    webhook_state=state,
                    webhook_next_at=None,
                    webhook_error=error,
                    webhook_attempts=attempts or row["webhook_attempts"] + 1,
                )
            )
