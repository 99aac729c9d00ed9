"""A fleet of many terminals written straight into the hub's database (one insert), in every
state the fleet page sorts by: for its browser tests, its benchmark and its screenshots."""

from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy import insert

from hub.db import Database
from hub.models import HeartbeatHour, Terminal

TOWNS = ("Lyon", "Paris", "Marseille", "Lille", "Nantes", "Toulouse", "Rennes", "Dijon")
VERSIONS = ("1.2.0", "1.2.0", "1.2.0", "1.1.3", "1.0.0")
ALERT = "No usable hub key: applications are refused"


def kind_of(index: int) -> str:
    """The state terminal number `index` is seeded in."""
    for every, rest, kind in (
        (97, 5, "never"),
        (111, 6, "revoked"),
        (50, 0, "alerts"),
        (37, 1, "offline"),
        (23, 2, "queue"),
        (41, 3, "refused"),
        (19, 4, "late"),
    ):
        if index % every == rest:
            return kind
    return "ok"


def terminal_id(index: int) -> str:
    return f"{TOWNS[index % len(TOWNS)].lower()}-{index:04d}"


def seed_fleet(
    db: Database, now: int, count: int = 1000, heartbeat_s: int = 60, history_days: int = 0
) -> None:
    """`count` terminals, as heartbeats would have left them at `now`, with `history_days` of
    heartbeat history (offline ones silent for their last two days, late ones now and then)."""
    rows: list[dict[str, Any]] = []
    for index in range(count):
        kind = kind_of(index)
        town = TOWNS[index % len(TOWNS)]
        seen = {"offline": now - 2 * 86400 - index, "late": now - 5 * heartbeat_s}.get(
            kind, now - 20
        )
        queued = {"queue": 3, "offline": 2 if index % 2 else 0, "alerts": 1}.get(kind, 0)
        rows.append(
            {
                "terminal_id": terminal_id(index),
                "name": f"Mairie de {town} — hall {index % 7 + 1}",
                "latitude": 45.0 + (index % 100) / 100,
                "longitude": 2.0 + (index % 70) / 70,
                "radius_km": 30.0,
                "token_hash": None,
                "enrolled_at": now - 30 * 86400,
                "revoked_at": now - 86400 if kind == "revoked" else None,
                "feed_generation": 1,
                "config_version": 2 if kind == "refused" else 0,
                "settings": "{}",
                "last_seen_at": None if kind == "never" else seen,
                "version": VERSIONS[index % len(VERSIONS)],
                "uptime_s": 3600 * (index % 48),
                "last_sync_at": None if kind == "never" else seen - 60,
                "offers_count": 900 + index % 300,
                "queue_depth": queued,
                "oldest_queued_age_s": 7200 if kind == "queue" else (300 if queued else None),
                "free_disk_mb": 70862 - index * 13,
                "counters": None,
                "reported_config_version": 1 if kind == "refused" else None,
                "config_refused": "idle_warning_s: must be at least 10"
                if kind == "refused"
                else None,
                "alerts": orjson.dumps([ALERT]).decode() if kind == "alerts" else None,
            }
        )
    with db.write() as connection:
        connection.execute(insert(Terminal), rows)
    per_hour = 3600 // heartbeat_s
    for index in range(count):
        hours = []
        kind = kind_of(index)
        last = rows[index]["last_seen_at"]
        if last is None or kind == "revoked":
            continue
        for hour in range((now - history_days * 86400) // 3600, last // 3600 + 1):
            beats = per_hour - (7 if kind == "late" and hour % 5 == 0 else 0) - hour % 2
            hours.append(
                {
                    "terminal_id": rows[index]["terminal_id"],
                    "hour": hour,
                    "beats": beats,
                    "alert_beats": beats if kind == "alerts" and hour > last // 3600 - 3 else 0,
                    "queue_max": rows[index]["queue_depth"] + hour % 3,
                    "free_disk_min_mb": rows[index]["free_disk_mb"] - hour % 100,
                    "version": rows[index]["version"],
                }
            )
        if hours:
            with db.write() as connection:
                connection.execute(insert(HeartbeatHour), hours)
