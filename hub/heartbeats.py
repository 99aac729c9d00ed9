"""Heartbeat history: each heartbeat folded into its terminal's row for the hour, read back
as days for the terminal's fleet page, and forgotten after HISTORY_DAYS."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Connection, case, delete, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from hub import verdicts
from hub.db import Database
from hub.models import HeartbeatHour
from hub.recruiters.funnel import record_views
from hub.schemas import Heartbeat

HISTORY_DAYS = 14


def record(connection: Connection, terminal_id: str, now: int, beat: Heartbeat) -> None:
    """Fold one heartbeat into the terminal's row for this hour (in the caller's transaction)."""
    insert = sqlite_insert if connection.dialect.name == "sqlite" else postgresql_insert
    statement = insert(HeartbeatHour).values(
        terminal_id=terminal_id,
        hour=now // 3600,
        beats=1,
        alert_beats=1 if beat.alerts else 0,
        queue_max=beat.queue_depth,
        free_disk_min_mb=beat.free_disk_mb,
        version=beat.version,
    )
    row, new = HeartbeatHour.__table__.c, statement.excluded
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=["terminal_id", "hour"],
            set_={
                "beats": row.beats + 1,
                "alert_beats": row.alert_beats + new.alert_beats,
                "queue_max": case(
                    (row.queue_max >= new.queue_max, row.queue_max), else_=new.queue_max
                ),
                "free_disk_min_mb": case(
                    (row.free_disk_min_mb <= new.free_disk_min_mb, row.free_disk_min_mb),
                    else_=new.free_disk_min_mb,
                ),
                "version": new.version,
            },
        )
    )
    record_views(connection, terminal_id, now, beat.offer_views)  # the funnel's views
    verdicts.record(connection, terminal_id, now, beat)  # the passers-by's answers per week


@dataclass
class Day:
    """One UTC day of a terminal's heartbeats."""

    date: str  # YYYY-MM-DD
    beats: int = 0
    expected: int = 0  # heartbeats due in the part of the day that has passed
    hours: list[int] = field(default_factory=lambda: [-1] * 24)  # beats per hour, -1: to come
    silent_hours: int = 0
    alert_beats: int = 0
    queue_max: int | None = None
    free_disk_min_mb: int | None = None
    versions: list[str] = field(default_factory=list)


def history(db: Database, terminal_id: str, now: int, heartbeat_s: int, days: int = 7) -> list[Day]:
    """The last `days` UTC days of the terminal's heartbeats, the latest first."""
    today = now // 86400
    first_hour = (today - days + 1) * 24
    with db.read() as connection:
        rows = connection.execute(
            select(HeartbeatHour.__table__)
            .where(HeartbeatHour.terminal_id == terminal_id, HeartbeatHour.hour >= first_hour)
            .order_by(HeartbeatHour.hour)
        ).mappings()
        by_hour = {row["hour"]: row for row in rows}
    per_hour = max(1, 3600 // heartbeat_s)
    current_hour = now // 3600
    result = []
    for day_number in range(today, today - days, -1):
        day = Day(datetime.fromtimestamp(day_number * 86400, UTC).strftime("%Y-%m-%d"))
        for offset in range(24):
            hour = day_number * 24 + offset
            if hour > current_hour:
                continue
            got = by_hour.get(hour)
            beats = got["beats"] if got is not None else 0
            day.hours[offset] = beats
            day.beats += beats
            if hour < current_hour:
                day.expected += per_hour
                day.silent_hours += beats == 0
            else:  # the hour under way: the heartbeats due so far
                day.expected += per_hour * (now % 3600) // 3600
            if got is None:
                continue
            day.alert_beats += got["alert_beats"]
            day.queue_max = max(day.queue_max or 0, got["queue_max"])
            day.free_disk_min_mb = (
                got["free_disk_min_mb"]
                if day.free_disk_min_mb is None
                else min(day.free_disk_min_mb, got["free_disk_min_mb"])
            )
            if got["version"] not in day.versions:
                day.versions.append(got["version"])
        result.append(day)
    return result


def purge(db: Database, older_than: int) -> int:
    """Forget the hours before `older_than` (epoch s)."""
    with db.write() as connection:
        return int(
            connection.execute(
                delete(HeartbeatHour).where(HeartbeatHour.hour < older_than // 3600)
            ).rowcount
        )
