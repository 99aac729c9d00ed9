"""Terminals: one-time enrolment codes, enrolment, heartbeats, health, revocation, config."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from hub import Clock, heartbeats
from hub.auth import TERMINAL_PREFIX, TerminalIdentity, new_enrol_code, new_token, normalise_code
from hub.auth import token_hash as hash_secret
from hub.db import Database
from hub.errors import ApiError
from hub.models import EnrolCode, Terminal
from hub.schemas import EnrolRequest, Heartbeat, TerminalChange
from hub.settings import TerminalsSection

log = logging.getLogger("hub.terminals")

# Health thresholds shown on the fleet page.
LATE_AFTER_HEARTBEATS = 3
OFFLINE_AFTER_S = 3600
QUEUE_STUCK_S = 3600
LOW_DISK_MB = 1024
STALE_SYNC_S = 24 * 3600


def iso(epoch: int | None) -> datetime | None:
    """An aware UTC datetime from epoch seconds (None stays None)."""
    return None if epoch is None else datetime.fromtimestamp(epoch, UTC)


def oldest_queued_age(row: Mapping[str, Any], now: int) -> int | None:
    """How long the terminal's oldest queued application has waited, now (seconds).

    The terminal reports that age as of its heartbeat; the time since that heartbeat is added,
    so a terminal that went offline with applications queued sees them age, not freeze."""
    reported = row["oldest_queued_age_s"]
    if reported is None or not row["queue_depth"] or row["last_seen_at"] is None:
        return None
    return int(reported) + max(0, now - int(row["last_seen_at"]))


class Terminals:
    """Everything about terminals except their feed and their applications."""

    def __init__(self, db: Database, clock: Clock, settings: TerminalsSection) -> None:
        self._db = db
        self._clock = clock
        self._settings = settings

    # -- enrolment ------------------------------------------------------------------------------

    def create_code(
        self, terminal_id: str, hours: float | None = None, replace: bool = False
    ) -> tuple[str, int]:
        """A new one-time code for `terminal_id` and when it expires (epoch s)."""
        code = new_enrol_code()
        now = int(self._clock())
        expires = now + round(3600 * (hours or self._settings.enrol_code_hours))
        with self._db.write() as connection:
            connection.execute(
                insert(EnrolCode).values(
                    code_hash=hash_secret(code),
                    terminal_id=terminal_id,
                    created_at=now,
                    expires_at=expires,
                    used_at=None,
                    replace_existing=replace,
                )
            )
        log.info("enrolment code created for terminal %s", terminal_id)
        return code, expires

    def pending_codes(self) -> list[dict[str, Any]]:
        """Codes not used yet and not expired (terminal id and expiry; the codes are hashed)."""
        now = int(self._clock())
        with self._db.read() as connection:
            rows = connection.execute(
                select(EnrolCode.terminal_id, EnrolCode.expires_at, EnrolCode.replace_existing)
                .where(EnrolCode.used_at.is_(None), EnrolCode.expires_at > now)
                .order_by(EnrolCode.expires_at)
            ).all()
        return [{"terminal_id": t, "expires_at": iso(e), "replace": bool(r)} for t, e, r in rows]

    def enrol(self, request: EnrolRequest) -> str:
        """Consume the code and give the terminal its token (returned once, stored hashed)."""
        refused = ApiError(
            403, "enrol_refused", "the code is unknown, used, expired or for another terminal id"
        )
        now = int(self._clock())
        digest = hash_secret(normalise_code(request.code))
        token = new_token(TERMINAL_PREFIX)
        try:
            self._enrol(request, digest, token, now, refused)
        except IntegrityError as exc:  # another enrolment of this id committed meanwhile
            raise ApiError(
                409, "already_enrolled", f"terminal {request.terminal_id} was just enrolled"
            ) from exc
        log.info("terminal %s enrolled", request.terminal_id)
        return token

    def _enrol(
        self, request: EnrolRequest, digest: str, token: str, now: int, refused: ApiError
    ) -> None:
        with self._db.write() as connection:
            code = connection.execute(
                select(EnrolCode.id, EnrolCode.terminal_id, EnrolCode.replace_existing).where(
                    EnrolCode.code_hash == digest,
                    EnrolCode.used_at.is_(None),
                    EnrolCode.expires_at > now,
                )
            ).first()
            if code is None or code.terminal_id != request.terminal_id:
                raise refused
            existing = connection.execute(
                select(Terminal.id, Terminal.revoked_at, Terminal.feed_generation).where(
                    Terminal.terminal_id == request.terminal_id
                )
            ).first()
            if existing is not None and existing.revoked_at is None and not code.replace_existing:
                raise ApiError(
                    409,
                    "already_enrolled",
                    f"terminal {request.terminal_id} is already enrolled: an operator must "
                    "revoke it or give a replacement code (enrol-code --replace)",
                )
            # Consume the code first: of two enrolments racing with it, one wins.
            taken = connection.execute(
                update(EnrolCode)
                .where(EnrolCode.id == code.id, EnrolCode.used_at.is_(None))
                .values(used_at=now)
            ).rowcount
            if taken != 1:
                raise refused
            values: dict[str, Any] = {
                "name": request.name,
                "latitude": request.latitude,
                "longitude": request.longitude,
                "radius_km": request.radius_km,
                "token_hash": hash_secret(token),
                "enrolled_at": now,
                "revoked_at": None,
                "version": request.version,
            }
            if existing is None:
                connection.execute(
                    insert(Terminal).values(
                        terminal_id=request.terminal_id,
                        feed_generation=1,
                        config_version=0,
                        settings="{}",
                        **values,
                    )
                )
            else:
                # A re-enrolled terminal starts its feed again from scratch.
                connection.execute(
                    update(Terminal)
                    .where(Terminal.id == existing.id)
                    .values(feed_generation=existing.feed_generation + 1, **values)
                )

    # -- heartbeats -----------------------------------------------------------------------------

    def heartbeat(self, terminal: TerminalIdentity, beat: Heartbeat) -> dict[str, Any] | None:
        """Record the heartbeat; the configuration to push, if the terminal lacks it."""
        now = int(self._clock())
        last_sync = int(beat.last_sync.timestamp()) if beat.last_sync else None
        with self._db.write() as connection:
            connection.execute(
                update(Terminal)
                .where(Terminal.id == terminal.id)
                .values(
                    last_seen_at=now,
                    version=beat.version,
                    uptime_s=beat.uptime_s,
                    last_sync_at=last_sync,
                    offers_count=beat.offers,
                    queue_depth=beat.queue_depth,
                    oldest_queued_age_s=beat.oldest_queued_age_s,
                    free_disk_mb=beat.free_disk_mb,
                    counters=orjson.dumps(beat.counters).decode() if beat.counters else None,
                    reported_config_version=beat.config_version,
                    config_refused=beat.config_refused,
                    alerts=orjson.dumps(beat.alerts).decode() if beat.alerts else None,
                )
            )
            heartbeats.record(connection, terminal.terminal_id, now, beat)
        if terminal.config_version in (0, beat.config_version):
            return None
        return self.config(terminal.terminal_id)

    def config(self, terminal_id: str) -> dict[str, Any] | None:
        """The configuration operators set for a terminal (None if it is unknown)."""
        with self._db.read() as connection:
            row = connection.execute(
                select(
                    Terminal.config_version, Terminal.name, Terminal.radius_km, Terminal.settings
                ).where(Terminal.terminal_id == terminal_id)
            ).first()
        if row is None:
            return None
        return {
            "version": row.config_version,
            "name": row.name,
            "radius_km": row.radius_km,
            "heartbeat_s": self._settings.heartbeat_s,
            "settings": orjson.loads(row.settings),
        }

    # -- operators ------------------------------------------------------------------------------

    def list_all(self) -> list[dict[str, Any]]:
        """Every terminal with its health, by terminal id."""
        with self._db.read() as connection:
            rows = connection.execute(
                select(Terminal.__table__).order_by(Terminal.terminal_id)
            ).mappings()
            return [self._view(dict(row)) for row in rows]

    def get(self, terminal_id: str) -> dict[str, Any]:
        """One terminal with its health; ApiError 404 if unknown."""
        with self._db.read() as connection:
            row = (
                connection.execute(
                    select(Terminal.__table__).where(Terminal.terminal_id == terminal_id)
                )
                .mappings()
                .first()
            )
        if row is None:
            raise ApiError(404, "unknown_terminal", f"no terminal {terminal_id}")
        return self._view(dict(row))

    def view(self, row: Mapping[str, Any]) -> dict[str, Any]:
        """A terminal with its health, from its row in the terminals table."""
        return self._view(dict(row))

    def _view(self, row: dict[str, Any]) -> dict[str, Any]:
        now = int(self._clock())
        status, warnings = self._health(row, now)
        oldest = oldest_queued_age(row, now)
        return {
            "terminal_id": row["terminal_id"],
            "name": row["name"],
            "latitude": row["latitude"],
            "longitude": row["longitude"],
            "radius_km": row["radius_km"],
            "status": status,
            "warnings": warnings,
            "enrolled_at": iso(row["enrolled_at"]),
            "revoked_at": iso(row["revoked_at"]),
            "last_seen_at": iso(row["last_seen_at"]),
            "version": row["version"],
            "uptime_s": row["uptime_s"],
            "last_sync_at": iso(row["last_sync_at"]),
            "offers": row["offers_count"],
            "queue_depth": row["queue_depth"],
            # Now, not as of the last heartbeat (see `oldest_queued_age`).
            "oldest_queued_age_s": oldest,
            "oldest_queued_at": None if oldest is None else iso(max(0, now - oldest)),
            "free_disk_mb": row["free_disk_mb"],
            "counters": orjson.loads(row["counters"]) if row["counters"] else {},
            "config_version": row["config_version"],
            "reported_config_version": row["reported_config_version"],
            "config_refused": row["config_refused"],
            "alerts": orjson.loads(row["alerts"]) if row["alerts"] else [],
        }

    def _health(self, row: dict[str, Any], now: int) -> tuple[str, list[str]]:
        if row["revoked_at"] is not None:
            return "revoked", []
        seen = row["last_seen_at"]
        if seen is None:
            return "never", []
        age = now - seen
        if age <= LATE_AFTER_HEARTBEATS * self._settings.heartbeat_s:
            status = "ok"
        elif age <= max(OFFLINE_AFTER_S, LATE_AFTER_HEARTBEATS * self._settings.heartbeat_s):
            status = "late"
        else:
            status = "offline"
        warnings = []
        queued = row["queue_depth"] or 0
        if status == "offline" and queued:
            noun = "application" if queued == 1 else "applications"
            warnings.append(f"offline with {queued} {noun} queued")
        if (oldest_queued_age(row, now) or 0) > QUEUE_STUCK_S:
            warnings.append("applications queued for over an hour")
        if row["free_disk_mb"] is not None and row["free_disk_mb"] < LOW_DISK_MB:
            warnings.append("disk almost full")
        if row["last_sync_at"] is None or now - row["last_sync_at"] > STALE_SYNC_S:
            warnings.append("offers not synced for over a day")
        reported = row["reported_config_version"]
        if row["config_version"] and reported != row["config_version"]:
            if row["config_refused"]:
                warnings.append(f"configuration refused by the terminal: {row['config_refused']}")
            else:
                warnings.append("configuration change not applied yet")
        return status, warnings

    def revoke(self, terminal_id: str) -> None:
        """Revoke a terminal's token at once; ApiError 404 if unknown."""
        now = int(self._clock())
        with self._db.write() as connection:
            changed = connection.execute(
                update(Terminal)
                .where(Terminal.terminal_id == terminal_id)
                .values(revoked_at=now, token_hash=None)
            ).rowcount
        if not changed:
            raise ApiError(404, "unknown_terminal", f"no terminal {terminal_id}")
        log.info("terminal %s revoked", terminal_id)

    def request_resync(self, terminal_id: str) -> None:
        """Make the terminal's next feed request start again from scratch."""
        with self._db.write() as connection:
            changed = connection.execute(
                update(Terminal)
                .where(Terminal.terminal_id == terminal_id)
                .values(feed_generation=Terminal.feed_generation + 1)
            ).rowcount
        if not changed:
            raise ApiError(404, "unknown_terminal", f"no terminal {terminal_id}")
        log.info("terminal %s asked to resync its offers", terminal_id)

    def change(self, terminal_id: str, change: TerminalChange) -> dict[str, Any]:
        """Apply an operator's change: a new config version; a new area also resyncs."""
        with self._db.write() as connection:
            row = connection.execute(
                select(
                    Terminal.id,
                    Terminal.latitude,
                    Terminal.longitude,
                    Terminal.radius_km,
                    Terminal.settings,
                ).where(Terminal.terminal_id == terminal_id)
            ).first()
            if row is None:
                raise ApiError(404, "unknown_terminal", f"no terminal {terminal_id}")
            values: dict[str, Any] = {"config_version": Terminal.config_version + 1}
            if change.name is not None:
                values["name"] = change.name
            area = {
                "latitude": change.latitude,
                "longitude": change.longitude,
                "radius_km": change.radius_km,
            }
            moved = {k: v for k, v in area.items() if v is not None and v != getattr(row, k)}
            if moved:
                values |= moved
                values["feed_generation"] = Terminal.feed_generation + 1
            if change.settings is not None:
                values["settings"] = orjson.dumps(change.settings).decode()
            connection.execute(update(Terminal).where(Terminal.id == row.id).values(**values))
        log.info("terminal %s configuration changed", terminal_id)
        return self.get(terminal_id)

    def purge_codes(self) -> int:
        """Forget codes that were used or expired more than a day ago."""
        cutoff = int(self._clock()) - 86400
        with self._db.write() as connection:
            return int(
                connection.execute(
                    delete(EnrolCode).where(
                        or_(EnrolCode.expires_at < cutoff, EnrolCode.used_at < cutoff)
                    )
                ).rowcount
            )
