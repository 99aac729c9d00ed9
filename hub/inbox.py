"""The applications inbox: stored once per UUID forever, sealed at rest, opened for operators.

A replay of a UUID with the same body gets the original answer (200 instead of 201); another
body under a known UUID is refused (409). The retention purge drops the sealed body but keeps
the row, so even a terminal coming back months later gets its original answer.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC
from typing import Any

import orjson
from sqlalchemy import Connection, case, func, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from hub import Clock
from hub.auth import TerminalIdentity
from hub.db import Database
from hub.errors import ApiError
from hub.exports import EXPORT_BATCH, Chunks, encoded, keyset_pages
from hub.firms.spontaneous import SOURCE as SPONTANEOUS
from hub.firms.spontaneous import spontaneous_organisation, target_of
from hub.keys import HubKeys
from hub.logsafe import shown
from hub.models import Application, OfferRecord
from hub.schemas import ApplicationSubmission
from hub.terminals import iso
from kiosk.applications import normalise_reference
from kiosk.sealing import SealingError, unseal

log = logging.getLogger("hub.inbox")


@dataclass(frozen=True, slots=True)
class Receipt:
    """The answer to a submission: 201 the first time, 200 for a replay."""

    status: int
    body: dict[str, Any]


def _body_hash(submission: ApplicationSubmission, created_at: str) -> str:
    canonical = orjson.dumps(
        [
            hashlib.sha256(submission.sealed_bytes()).hexdigest(),
            submission.offer_source,
            submission.offer_id,
            submission.terminal_id,
            created_at,
        ]
    )
    return hashlib.sha256(canonical).hexdigest()


def _receipt_body(application_id: str, received_at: int) -> dict[str, Any]:
    stamp = iso(received_at)
    assert stamp is not None
    return {
        "application_id": application_id,
        "status": "received",
        "received_at": stamp.isoformat().replace("+00:00", "Z"),
    }


def reference_digest(secret: bytes, code: str) -> str:
    """The keyed hash stored for a reference code (already normalised): whoever reads the
    database cannot list the codes, nor test guesses without the hub's key."""
    return hmac.new(secret, f"reference {code}".encode(), hashlib.sha256).hexdigest()


class Inbox:
    """Receives applications from terminals; reads, exports and purges them for operators."""

    def __init__(
        self,
        db: Database,
        keys: HubKeys,
        clock: Clock,
        webhook: bool = False,
        on_received: Callable[[], None] | None = None,
    ) -> None:
        self._db = db
        self._keys = keys
        self._clock = clock
        self._webhook = webhook
        self._on_received = on_received
        # Called in the transaction that stores a new application owned by an organisation
        # (connection, organisation id, offer source, offer id): the recruiters' mail batch
        # is opened with the application or not at all.
        self.on_arrival: list[Callable[[Connection, int, str, str], None]] = []

    # -- terminals ------------------------------------------------------------------------------

    def receive(
        self,
        terminal: TerminalIdentity,
        application_id: uuid.UUID,
        submission: ApplicationSubmission,
    ) -> Receipt:
        """Store the application once; the original answer for a replay. ApiError otherwise."""
        if submission.terminal_id != terminal.terminal_id:
            raise ApiError(403, "wrong_terminal", "terminal_id is not the token's terminal")
        key = str(application_id)
        created_at = submission.created_at.astimezone(UTC).isoformat().replace("+00:00", "Z")
        digest = _body_hash(submission, created_at)
        sealed = submission.sealed_bytes()
        content, unreadable = self._unseal(application_id, sealed)
        now = int(self._clock())
        values = {
            "application_id": key,
            "terminal_id": terminal.terminal_id,
            "offer_source": submission.offer_source,
            "offer_id": submission.offer_id,
            "created_at": created_at,
            "received_at": now,
            "body_hash": digest,
            "sealed": sealed,
            "purged_at": None,
            "webhook_state": "pending" if self._webhook else "none",
            "webhook_attempts": 0,
            "webhook_next_at": now if self._webhook else None,
            "webhook_error": None,
            "reference_digest": self._reference_digest(content),
        }
        # One transaction: insert unless the UUID is known (a concurrent delivery of the same
        # UUID waits for the first one's commit, then finds it), else answer as a replay.
        with self._db.write() as connection:
            if unreadable is None:
                statement = (sqlite_insert if self._db.is_sqlite else postgresql_insert)(
                    Application
                )
                owner = (
                    # To the organisation the operator designates, never to the firm.
                    spontaneous_organisation(connection)
                    if submission.offer_source == SPONTANEOUS
                    else connection.scalar(
                        select(OfferRecord.organisation_id).where(
                            OfferRecord.source == submission.offer_source,
                            OfferRecord.external_id == submission.offer_id,
                        )
                    )
                )
                inserted = connection.execute(
                    statement.values(**values, organisation_id=owner, status_at=now)
                    .on_conflict_do_nothing(index_elements=["application_id"])
                    .returning(Application.id)
                ).first()
                if inserted is not None and owner is not None:
                    for arrival in self.on_arrival:
                        arrival(connection, owner, submission.offer_source, submission.offer_id)
            else:
                inserted = None
            known = None if inserted is not None else self._replay(connection, key, digest)
        if known is not None:
            return known
        if unreadable is not None:
            raise unreadable
        log.info(
            "application %s received from terminal %s for offer %s/%s",
            key,
            terminal.terminal_id,
            shown(submission.offer_source),
            shown(submission.offer_id),
        )
        if self._on_received is not None:
            self._on_received()
        return Receipt(201, _receipt_body(key, now))

    @staticmethod
    def _replay(connection: Connection, key: str, digest: str) -> Receipt | None:
        row = connection.execute(
            select(Application.body_hash, Application.received_at).where(
                Application.application_id == key
            )
        ).first()
        if row is None:
            return None
        if row.body_hash != digest:
            raise ApiError(
                409,
                "idempotency_conflict",
                f"application {key} was already received with a different body",
            )
        return Receipt(200, _receipt_body(key, row.received_at))

    def _unseal(
        self, application_id: uuid.UUID, sealed: bytes
    ) -> tuple[dict[str, Any] | None, ApiError | None]:
        """The opened body, or why the hub could never read it (422)."""
        try:
            content = orjson.loads(unseal(self._keys.private_key, application_id, sealed))
        except SealingError:
            return None, ApiError(
                422,
                "unsealable",
                "sealed does not open with this hub's key for this application id "
                "(wrong public key, or sealed for another UUID)",
            )
        except orjson.JSONDecodeError:
            return None, ApiError(422, "unsealable", "the sealed application is not JSON")
        if not isinstance(content, dict):
            return None, ApiError(422, "unsealable", "the sealed application is not a JSON object")
        return content, None

    def _reference_digest(self, content: dict[str, Any] | None) -> str | None:
        """The keyed hash of the reference code sealed in the body (older terminals seal none;
        a code that cannot be one is not kept: the application is still received)."""
        raw = (content or {}).get("reference")
        code = normalise_reference(raw) if isinstance(raw, str) else None
        return None if code is None else reference_digest(self._keys.reference_secret, code)

    # -- operators ------------------------------------------------------------------------------

    def open(self, application_id: str, sealed: bytes | None) -> tuple[dict[str, Any] | None, str]:
        """The unsealed application (None once purged or unreadable) and why not, if not."""
        if sealed is None:
            return None, "purged"
        try:
            content = orjson.loads(
                unseal(self._keys.private_key, uuid.UUID(application_id), sealed)
            )
        except (SealingError, orjson.JSONDecodeError, ValueError):
            return None, "does not open with the hub's current key"
        if not isinstance(content, dict):
            return None, "not a JSON object"
        return content, ""

    def _query(
        self,
        offer_source: str | None,
        offer_id: str | None,
        terminal_id: str | None,
        limit: int | None,
        offset: int = 0,
        *,
        reference: str | None = None,
        application_id: str | None = None,
    ) -> Any:
        query = (
            select(
                Application.id,
                Application.application_id,
                Application.terminal_id,
                Application.offer_source,
                Application.offer_id,
                Application.created_at,
                Application.received_at,
                Application.webhook_state,
                Application.purged_at,
                Application.sealed,
                OfferRecord.title,
            )
            .outerjoin(
                OfferRecord,
                (OfferRecord.source == Application.offer_source)
                & (OfferRecord.external_id == Application.offer_id),
            )
            .order_by(Application.received_at.desc(), Application.id.desc())
        )
        if offer_source is not None:
            query = query.where(Application.offer_source == offer_source)
        if offer_id is not None:
            query = query.where(Application.offer_id == offer_id)
        if terminal_id is not None:
            query = query.where(Application.terminal_id == terminal_id)
        if reference is not None:
            query = query.where(Application.reference_digest == reference)
        if application_id is not None:
            query = query.where(Application.application_id == application_id)
        if limit is not None:
            query = query.limit(limit)
        return query.offset(offset) if offset else query

    def iter_views(
        self,
        offer_source: str | None = None,
        offer_id: str | None = None,
        terminal_id: str | None = None,
        limit: int | None = None,
        offset: int = 0,
        *,
        reference: str | None = None,
        application_id: str | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Applications, unsealed, newest first (`limit` of them after `offset`, for a page;
        `reference`: a `reference_digest`)."""
        query = self._query(
            offer_source,
            offer_id,
            terminal_id,
            limit,
            offset,
            reference=reference,
            application_id=application_id,
        )
        with self._db.read() as connection:
            rows = connection.execute(query).all()
        for row in rows:
            yield self._view(row)

    def _view(self, row: Any) -> dict[str, Any]:
        content, problem = self.open(row.application_id, row.sealed)
        return {
            "application_id": row.application_id,
            "terminal_id": row.terminal_id,
            "offer_source": row.offer_source,
            "offer_id": row.offer_id,
            "offer_title": row.title,
            "created_at": row.created_at,
            "received_at": iso(row.received_at),
            "webhook": row.webhook_state,
            "purged": row.purged_at is not None,
            "application": content,
            "unreadable": problem if problem and problem != "purged" else None,
        }

    def find_reference(self, typed: str) -> list[dict[str, Any]]:
        """The applications given this reference code, unsealed (usually one: a code is unique
        only among one terminal's queue). ApiError 422 when it cannot be a reference code."""
        code = normalise_reference(typed)
        if code is None:
            raise ApiError(
                422,
                "invalid_reference",
                "a reference code is 6 characters among "
                "A C D E F G H J K M N P Q R T U V W X Y 3 4 6 7 9 (spaces and dashes ignored)",
            )
        digest = reference_digest(self._keys.reference_secret, code)
        views = list(self.iter_views(reference=digest))
        log.info("operator looked up a reference code: %d applications", len(views))
        return views

    def erase(self, application_id: str) -> dict[str, Any]:
        """Delete what a person gave, at their request: the sealed body goes now rather than
        at the end of retention, and the webhook will not send it any more; the row stays (a
        terminal's replay still gets its answer). ApiError 404 if unknown."""
        now = int(self._clock())
        with self._db.write() as connection:
            known = connection.execute(
                update(Application)
                .where(Application.application_id == application_id)
                .values(
                    sealed=None,
                    purged_at=func.coalesce(Application.purged_at, now),
                    webhook_state=case(
                        (Application.webhook_state == "pending", "dropped"),
                        else_=Application.webhook_state,
                    ),
                    webhook_next_at=None,
                )
            ).rowcount
        if not known:
            raise ApiError(404, "unknown_application", f"no application {application_id}")
        log.info("operator erased application %s at its applicant's request", application_id)
        [view] = self.iter_views(application_id=application_id)
        return view

    def export(
        self,
        fmt: str,
        offer_source: str | None = None,
        offer_id: str | None = None,
        batch: int | None = EXPORT_BATCH,
    ) -> Chunks:
        """The applications (of one offer, or all) as CSV or JSON, newest first, read and
        written `batch` at a time (hub/exports.py); how many is logged at the end."""

        def views(rows: Sequence[Any], _connection: Connection) -> list[dict[str, Any]]:
            return [self._view(row) for row in rows]

        def done(count: int, complete: bool) -> None:
            log.info(
                "operator exported %d applications as %s (offer %s/%s)%s",
                count,
                fmt,
                shown(offer_source or "*"),
                shown(offer_id or "*"),
                "" if complete else ", then the download broke off",
            )

        query = self._query(offer_source, offer_id, None, None)
        return encoded(keyset_pages(self._db, query, views, batch), fmt, (), done)

    def per_offer(self, limit: int = 500, offset: int = 0) -> list[dict[str, Any]]:
        """Offers that received applications, with their count, the latest first."""
        latest = func.max(Application.received_at)
        with self._db.read() as connection:
            rows = connection.execute(
                select(
                    Application.offer_source,
                    Application.offer_id,
                    func.max(OfferRecord.title),
                    func.count(Application.id),
                    latest,
                )
                .outerjoin(
                    OfferRecord,
                    (OfferRecord.source == Application.offer_source)
                    & (OfferRecord.external_id == Application.offer_id),
                )
                .group_by(Application.offer_source, Application.offer_id)
                .order_by(latest.desc(), Application.offer_source, Application.offer_id)
                .limit(limit)
                .offset(offset)
            ).all()
            return [
                {
                    "offer_source": source,
                    "offer_id": offer_id,
                    "offer_title": (
                        target_of(connection, offer_id, None).title
                        if source == SPONTANEOUS
                        else title
                    ),
                    "applications": int(count),
                    "last_received_at": iso(last),
                }
                for source, offer_id, title, count, last in rows
            ]

    def counts(self) -> dict[str, int]:
        """How many applications in total, waiting for the webhook, failed at the webhook."""
        with self._db.read() as connection:
            rows = dict(
                connection.execute(
                    select(Application.webhook_state, func.count()).group_by(
                        Application.webhook_state
                    )
                ).all()
            )
        return {
            "total": int(sum(rows.values())),
            "webhook_pending": int(rows.get("pending", 0)),
            "webhook_failed": int(rows.get("failed", 0)),
        }

    def purge(self, older_than: int) -> int:
        """Drop the sealed bodies received before `older_than` (epoch s); the rows stay."""
        now = int(self._clock())
        with self._db.write() as connection:
            dropped = connection.execute(
                update(Application)
                .where(
                    Application.received_at < older_than,
                    Application.purged_at.is_(None),
                    Application.webhook_state == "pending",
                )
                .values(webhook_state="dropped", webhook_next_at=None)
            ).rowcount
            purged = connection.execute(
                update(Application)
                .where(Application.received_at < older_than, Application.purged_at.is_(None))
                .values(sealed=None, purged_at=now)
            ).rowcount
        if purged:
            log.info(
                "retention: purged %d applications (%d never reached the webhook)",
                purged,
                dropped,
            )
        return int(purged)
