"""The passer-by's verdict at the hub: the heartbeat's cumulative `verdict.*` counters turned
into answers per terminal and ISO week, and read back for the fleet pages.

A terminal counts the answers to "Did this terminal help you?" (kiosk/ui/verdict.py) since it
started, and sends the running totals in every heartbeat's `counters`. The hub keeps each
terminal's last totals and uptime on its `terminals` row and adds the increase to the week the
heartbeat arrived in (UTC, weeks from Monday). A restart sets the terminal's totals back to
zero: it shows as an uptime that went down, or a total that went down, and then the new totals
are the increase. Nothing but these counts is kept, for KEEP_WEEKS (the retention purge).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

import orjson
from sqlalchemy import Connection, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from hub.db import Database
from hub.models import Terminal, TerminalWeekVerdicts
from hub.schemas import Heartbeat

# The answers, in the order of the tables; each is the terminal's counter `verdict.<answer>`.
ANSWERS = ("helped", "neutral", "not_helped", "skipped", "unanswered")
# How long the weekly rows are kept (two years: enough to compare a season with last year's).
KEEP_WEEKS = 104


def week_of(now: int) -> int:
    """The ISO week of epoch second `now` (UTC), as the epoch day of its Monday."""
    day = now // 86400
    return day - (day + 3) % 7  # epoch day 0 was a Thursday


def totals(counters: Mapping[str, int]) -> dict[str, int]:
    """The verdict totals in a heartbeat's counters (0 for an answer it does not name)."""
    return {answer: int(counters.get(f"verdict.{answer}", 0)) for answer in ANSWERS}


def increase(
    previous: Mapping[str, int] | None,
    previous_uptime_s: int | None,
    current: Mapping[str, int],
    uptime_s: int,
) -> dict[str, int]:
    """What the terminal counted since its previous heartbeat. Its first heartbeat, or one
    after a restart (uptime or a total went down), brings everything it counted since it
    started."""
    restarted = (
        previous is None
        or previous_uptime_s is None
        or uptime_s < previous_uptime_s
        or any(current[answer] < previous.get(answer, 0) for answer in ANSWERS)
    )
    if restarted or previous is None:
        return dict(current)
    return {answer: current[answer] - previous.get(answer, 0) for answer in ANSWERS}


def record(connection: Connection, terminal_id: str, now: int, beat: Heartbeat) -> None:
    """Add the heartbeat's new answers to this week's row of the terminal, and keep its totals
    for the next heartbeat (in the caller's transaction, after the caller updated the
    terminal's row: that update holds the row, so two heartbeats of one terminal at the same
    time are counted one after the other)."""
    row = connection.execute(
        select(Terminal.verdict_counts, Terminal.verdict_uptime_s).where(
            Terminal.terminal_id == terminal_id
        )
    ).first()
    if row is None:
        return
    current = totals(beat.counters)
    previous = orjson.loads(row.verdict_counts) if row.verdict_counts else None
    added = increase(previous, row.verdict_uptime_s, current, beat.uptime_s)
    connection.execute(
        update(Terminal)
        .where(Terminal.terminal_id == terminal_id)
        .values(verdict_counts=orjson.dumps(current).decode(), verdict_uptime_s=beat.uptime_s)
    )
    if not any(added.values()):
        return
    insert = sqlite_insert if connection.dialect.name == "sqlite" else postgresql_insert
    statement = insert(TerminalWeekVerdicts).values(
        terminal_id=terminal_id, week=week_of(now), **added
    )
    table = TerminalWeekVerdicts.__table__.c
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=["terminal_id", "week"],
            set_={answer: table[answer] + statement.excluded[answer] for answer in ANSWERS},
        )
    )


def purge(db: Database, now: int) -> int:
    """Keep the week of `now` and the KEEP_WEEKS - 1 before it, forget older weeks; how many
    rows were forgotten."""
    with db.write() as connection:
        return int(
            connection.execute(
                delete(TerminalWeekVerdicts).where(
                    TerminalWeekVerdicts.week <= week_of(now) - KEEP_WEEKS * 7
                )
            ).rowcount
        )


# -- reading ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WeekVerdicts:
    """The answers of one terminal (or of all of them) in one week."""

    week: int  # epoch day of its Monday
    terminal_id: str  # "" for all terminals
    helped: int = 0
    neutral: int = 0
    not_helped: int = 0
    skipped: int = 0
    unanswered: int = 0

    @property
    def answered(self) -> int:
        """Those who chose a face."""
        return self.helped + self.neutral + self.not_helped

    @property
    def asked(self) -> int:
        """Every time the question showed."""
        return self.answered + self.skipped + self.unanswered

    @property
    def share_helped(self) -> float | None:
        """Per cent of the faces chosen that said "it helped" (None: no face chosen)."""
        return self.helped * 100 / self.answered if self.answered else None

    @property
    def label(self) -> str:
        """The ISO week, "2026-W49"."""
        year, number, _ = self.monday.isocalendar()
        return f"{year}-W{number:02d}"

    @property
    def monday(self) -> datetime:
        """The first day of the week (UTC midnight)."""
        return datetime.fromtimestamp(self.week * 86400, UTC)

    @property
    def dates(self) -> str:
        """The week's days, "30 Nov – 6 Dec"."""
        sunday = datetime.fromtimestamp((self.week + 6) * 86400, UTC)
        return f"{self.monday.day} {self.monday:%b} – {sunday.day} {sunday:%b}"


def first_week(now: int, days: int) -> int:
    """The first week that overlaps the last `days` UTC days, today included."""
    return week_of(now - (days - 1) * 86400)


class Verdicts:
    """The answers per terminal and week, for the fleet pages."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def count(self, since_week: int) -> int:
        """How many (terminal, week) rows from `since_week` on."""
        with self._db.read() as connection:
            return int(
                connection.execute(
                    select(func.count()).where(TerminalWeekVerdicts.week >= since_week)
                ).scalar_one()
            )

    def page(self, since_week: int, limit: int, offset: int = 0) -> list[WeekVerdicts]:
        """Rows from `since_week` on, the latest week first, then by terminal id."""
        with self._db.read() as connection:
            rows = connection.execute(
                select(TerminalWeekVerdicts.__table__)
                .where(TerminalWeekVerdicts.week >= since_week)
                .order_by(TerminalWeekVerdicts.week.desc(), TerminalWeekVerdicts.terminal_id)
                .limit(limit)
                .offset(offset)
            ).mappings()
            return [WeekVerdicts(**row) for row in rows]

    def total(self, since_week: int) -> WeekVerdicts:
        """Every terminal's answers from `since_week` on, summed (`week` is `since_week`)."""
        table = TerminalWeekVerdicts.__table__.c
        with self._db.read() as connection:
            row = connection.execute(
                select(*(func.coalesce(func.sum(table[a]), 0) for a in ANSWERS)).where(
                    table.week >= since_week
                )
            ).one()
        return WeekVerdicts(since_week, "", *(int(value) for value in row))

    def terminal(self, terminal_id: str, since_week: int) -> list[WeekVerdicts]:
        """One terminal's weeks from `since_week` on, the latest first."""
        with self._db.read() as connection:
            rows = connection.execute(
                select(TerminalWeekVerdicts.__table__)
                .where(
                    TerminalWeekVerdicts.terminal_id == terminal_id,
                    TerminalWeekVerdicts.week >= since_week,
                )
                .order_by(TerminalWeekVerdicts.week.desc())
            ).mappings()
            return [WeekVerdicts(**row) for row in rows]
