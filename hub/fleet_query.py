"""The fleet page's queries: terminals by what needs attention, searched, filtered and paged;
the summary's counts; settings pushed to one terminal, a group or all; paged applications."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, get_args

import orjson
from pydantic import ValidationError
from sqlalchemy import (
    ColumnElement,
    and_,
    bindparam,
    case,
    func,
    literal,
    or_,
    select,
    update,
)

from hub.db import Database
from hub.models import Application, Terminal
from hub.schemas import SETTING_NAME, TerminalChange
from hub.terminals import (
    LATE_AFTER_HEARTBEATS,
    LOW_DISK_MB,
    OFFLINE_AFTER_S,
    QUEUE_STUCK_S,
    STALE_SYNC_S,
)

PAGE_SIZE = 50
# The states an operator can filter by, in the order of the summary; "attention" is every
# terminal ranked before the healthy ones.
StateFilter = Literal[
    "", "attention", "alerts", "offline", "queue", "refused", "late", "never", "ok", "revoked"
]
STATES: tuple[str, ...] = get_args(StateFilter)[1:]
STATE_LABELS = {
    "attention": "need attention",
    "alerts": "report alerts",
    "offline": "offline",
    "queue": "queue stuck",
    "refused": "refused config",
    "late": "late",
    "never": "never seen",
    "ok": "ok",
    "revoked": "revoked",
}
HEALTHY_RANK = 8


@dataclass(frozen=True, slots=True)
class FleetFilter:
    """What the operator typed or picked above the terminal list."""

    q: str = ""
    state: str = ""
    place: str = ""
    version: str = ""

    def query(self) -> dict[str, str]:
        """The filter as URL query parameters (empty ones left out)."""
        return {k: v for k, v in (("q", self.q), ("state", self.state), ("place", self.place),
                                  ("version", self.version)) if v}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a list: which, of how many, and its rows."""

    number: int
    size: int
    total: int
    rows: list[dict[str, Any]]

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.size))

    @property
    def first(self) -> int:
        """The 1-based position of its first row (0 when empty)."""
        return 0 if not self.rows else (self.number - 1) * self.size + 1

    @property
    def last(self) -> int:
        return (self.number - 1) * self.size + len(self.rows)


def page_number(value: int | None, total: int, size: int) -> int:
    """A page number within 1..pages (a page past the end shows the last one)."""
    pages = max(1, math.ceil(total / size))
    return min(max(1, value or 1), pages)


class _Health:
    """SQL expressions of a terminal's health, as hub.terminals computes it for one row."""

    def __init__(self, now: int, heartbeat_s: int) -> None:
        t = Terminal.__table__.c
        late_s = LATE_AFTER_HEARTBEATS * heartbeat_s
        offline_s = max(OFFLINE_AFTER_S, late_s)
        active = t.revoked_at.is_(None)
        seen = t.last_seen_at.is_not(None)
        self.status = case(
            (t.revoked_at.is_not(None), literal("revoked")),
            (t.last_seen_at.is_(None), literal("never")),
            (t.last_seen_at >= now - late_s, literal("ok")),
            (t.last_seen_at >= now - offline_s, literal("late")),
            else_=literal("offline"),
        )
        queued = and_(active, seen, t.queue_depth > 0)
        self.flags: dict[str, ColumnElement[bool]] = {
            "alerts": and_(active, t.alerts.is_not(None)),
            "offline": and_(active, seen, t.last_seen_at < now - offline_s),
            # The oldest application's age as reported, plus the time since that heartbeat.
            "queue": and_(
                queued,
                t.oldest_queued_age_s.is_not(None),
                t.oldest_queued_age_s + (now - t.last_seen_at) > QUEUE_STUCK_S,
            ),
            "refused": and_(
                active,
                t.config_version > 0,
                t.config_refused.is_not(None),
                t.reported_config_version.is_distinct_from(t.config_version),
            ),
            "late": and_(active, t.last_seen_at < now - late_s, t.last_seen_at >= now - offline_s),
            "never": and_(active, t.last_seen_at.is_(None)),
            "ok": and_(active, t.last_seen_at >= now - late_s),
            "revoked": t.revoked_at.is_not(None),
        }
        warned = and_(
            active,
            or_(
                t.free_disk_mb < LOW_DISK_MB,
                t.last_sync_at.is_(None),
                t.last_sync_at < now - STALE_SYNC_S,
            ),
        )
        f = self.flags
        self.rank = case(
            (f["alerts"], 0),
            (and_(f["offline"], queued), 1),
            (f["offline"], 2),
            (f["queue"], 3),
            (f["refused"], 4),
            (f["late"], 5),
            (f["never"], 6),
            (warned, 7),
            (f["revoked"], 9),
            else_=HEALTHY_RANK,
        )
        self.flags["attention"] = self.rank < HEALTHY_RANK

    def where(self, chosen: FleetFilter) -> list[ColumnElement[bool]]:
        """The conditions of a filter."""
        t = Terminal.__table__.c
        conditions: list[ColumnElement[bool]] = []
        if chosen.state in self.flags:
            conditions.append(self.flags[chosen.state])
        if chosen.q:
            needle = chosen.q.lower()
            conditions.append(
                or_(
                    func.lower(t.terminal_id).contains(needle, autoescape=True),
                    func.lower(t.name).contains(needle, autoescape=True),
                )
            )
        if chosen.place:
            conditions.append(func.lower(t.name).contains(chosen.place.lower(), autoescape=True))
        if chosen.version:
            conditions.append(t.version == chosen.version)
        return conditions


class FleetQueries:
    """The fleet page's reads and group writes, on the hub's database."""

    def __init__(self, db: Database, heartbeat_s: int) -> None:
        self._db = db
        self._heartbeat_s = heartbeat_s

    def terminals(
        self,
        chosen: FleetFilter,
        page: int | None,
        now: int,
        view: Callable[[Mapping[str, Any]], dict[str, Any]],
        size: int = PAGE_SIZE,
    ) -> Page:
        """One page of the terminals the filter keeps, those needing attention first, each
        made a view by `view` from its row of the terminals table."""
        health = _Health(now, self._heartbeat_s)
        t = Terminal.__table__.c
        conditions = health.where(chosen)
        with self._db.read() as connection:
            total = int(
                connection.execute(
                    select(func.count()).select_from(Terminal).where(*conditions)
                ).scalar_one()
            )
            number = page_number(page, total, size)
            rows = (
                connection.execute(
                    select(Terminal.__table__)
                    .where(*conditions)
                    .order_by(
                        health.rank,
                        t.queue_depth.desc().nulls_last()
                        if not self._db.is_sqlite
                        else func.coalesce(t.queue_depth, 0).desc(),
                        func.coalesce(t.last_seen_at, 0),
                        t.terminal_id,
                    )
                    .limit(size)
                    .offset((number - 1) * size)
                )
                .mappings()
                .all()
            )
        return Page(number, size, total, [view(dict(row)) for row in rows])

    def summary(self, now: int) -> dict[str, int]:
        """How many terminals in all, and in each state of STATES."""
        health = _Health(now, self._heartbeat_s)
        columns = [func.count().label("all")] + [
            func.coalesce(func.sum(case((flag, 1), else_=0)), 0).label(name)
            for name, flag in health.flags.items()
        ]
        with self._db.read() as connection:
            row = connection.execute(select(*columns).select_from(Terminal)).mappings().one()
        return {name: int(row[name]) for name in ("all", *STATES)}

    def versions(self) -> list[tuple[str, int]]:
        """The versions terminals run (newest text first) and how many run each."""
        with self._db.read() as connection:
            rows = connection.execute(
                select(Terminal.version, func.count())
                .where(Terminal.version.is_not(None), Terminal.revoked_at.is_(None))
                .group_by(Terminal.version)
                .order_by(Terminal.version.desc())
            ).all()
        return [(str(version), int(count)) for version, count in rows]

    def push_settings(
        self,
        changes: Mapping[str, Any],
        now: int,
        chosen: FleetFilter | None = None,
        terminal_ids: list[str] | None = None,
    ) -> int:
        """Merge `changes` (None removes a setting) into the settings of the terminals chosen
        by filter or by id (every terminal with neither), revoked ones left out; each gets a
        new config version, so its next heartbeat answer carries it. How many were changed."""
        t = Terminal.__table__.c
        conditions: list[ColumnElement[bool]] = [t.revoked_at.is_(None)]
        if chosen is not None:
            conditions += _Health(now, self._heartbeat_s).where(chosen)
        if terminal_ids is not None:
            conditions.append(t.terminal_id.in_(terminal_ids))
        with self._db.write() as connection:
            rows = connection.execute(select(t.id, t.settings).where(*conditions)).all()
            params = []
            for row in rows:
                merged = orjson.loads(row.settings or "{}") | dict(changes)
                merged = {k: v for k, v in merged.items() if v is not None}
                TerminalChange.model_validate({"settings": merged})  # the API's own rules
                params.append({"row_id": row.id, "new_settings": orjson.dumps(merged).decode()})
            if params:
                connection.execute(
                    update(Terminal)
                    .where(Terminal.id == bindparam("row_id"))
                    .values(
                        settings=bindparam("new_settings"),
                        config_version=Terminal.config_version + 1,
                    ),
                    params,
                )
        return len(params)

    # -- applications ---------------------------------------------------------------------------

    def count_applications(
        self,
        offer_source: str | None = None,
        offer_id: str | None = None,
        terminal_id: str | None = None,
    ) -> int:
        """How many applications an offer, a terminal, or the hub received."""
        query = select(func.count()).select_from(Application)
        if offer_source is not None:
            query = query.where(Application.offer_source == offer_source)
        if offer_id is not None:
            query = query.where(Application.offer_id == offer_id)
        if terminal_id is not None:
            query = query.where(Application.terminal_id == terminal_id)
        with self._db.read() as connection:
            return int(connection.execute(query).scalar_one())

    def count_offers_with_applications(self) -> int:
        """How many offers received at least one application."""
        grouped = (
            select(Application.offer_source, Application.offer_id)
            .group_by(Application.offer_source, Application.offer_id)
            .subquery()
        )
        with self._db.read() as connection:
            return int(connection.execute(select(func.count()).select_from(grouped)).scalar_one())


_SETTING_LINE = re.compile(r"^\s*([^=]*?)\s*=\s*(.*?)\s*$")


def parse_settings(text: str) -> dict[str, Any]:
    """Settings typed one per line as `name = value` (`name =` removes it): true/false,
    numbers, or text (quotes optional). ValueError naming the line otherwise."""
    changes: dict[str, Any] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _SETTING_LINE.match(line)
        if match is None or not match.group(1):
            raise ValueError(f"line {number}: write name = value")
        name, value = match.groups()
        if re.fullmatch(SETTING_NAME, name) is None:
            raise ValueError(
                f"line {number}: {name[:64]!r} is not a setting name "
                "(lower-case letters, digits and _, starting with a letter)"
            )
        changes[name] = _value(value)
    if not changes:
        raise ValueError("no setting given: write one per line as name = value")
    try:
        kept = {name: value for name, value in changes.items() if value is not None}
        TerminalChange.model_validate({"settings": kept})
    except ValidationError as exc:
        problem = exc.errors()[0]
        where = str(problem["loc"][1]) if len(problem["loc"]) > 1 else "settings"
        raise ValueError(f"{where}: {problem['msg']}") from None
    return changes


def _value(text: str) -> Any:
    if text == "":
        return None
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    for kind in (int, float):
        try:
            number = kind(text)
        except ValueError:
            continue
        if not isinstance(number, float) or math.isfinite(number):
            return number
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    return text
