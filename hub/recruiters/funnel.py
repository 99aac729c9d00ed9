"""Proof of effect: views → applications → contacted → hired, and the median time to first
contact, per terminal, per offer and per organisation (anonymous counts only); the views
terminals report in their heartbeats, stored per terminal, offer and day."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from sqlalchemy import ColumnElement, Connection, case, delete, func, inspect, select, union
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import InstrumentedAttribute

from hub import Clock
from hub.db import Database
from hub.models import (
    Application,
    HubBase,
    OfferDayViews,
    OfferRecord,
    OfferViews,
    Organisation,
    Terminal,
    TerminalDayViews,
)
from hub.schemas import OfferView

Period = Literal[7, 30, 90]
PERIODS: tuple[int, ...] = get_args(Period)
DEFAULT_PERIOD: Period = 30
# Views are kept a little longer than the longest period shown, then forgotten.
VIEWS_DAYS = 100
# Columns a funnel table sorts by, and whether "first" means the most.
SortKey = Literal["views", "applications", "contacted", "hired", "conversion", "median", "name"]
SORT_KEYS: tuple[str, ...] = get_args(SortKey)
DEFAULT_SORT: SortKey = "views"
_MOST_FIRST = {"views", "applications", "contacted", "hired", "conversion"}
_CHUNK = 500  # offers looked up per query


# -- heartbeats --------------------------------------------------------------------------------


def record_views(
    connection: Connection, terminal_id: str, now: int, views: Sequence[OfferView]
) -> None:
    """Add a heartbeat's offer views to today's counts (UTC day of `now`, in the caller's
    transaction): per terminal and offer, and their sums per terminal and per offer. An offer
    named twice in one heartbeat counts both."""
    if not views:
        return
    merged: dict[tuple[str, str], int] = defaultdict(int)
    for view in views:
        merged[(view.source, view.id)] += view.views
    day = now // 86400
    per_offer = [
        {"offer_source": source, "offer_id": offer_id, "day": day, "views": count}
        for (source, offer_id), count in merged.items()
    ]
    _add(connection, OfferViews, [row | {"terminal_id": terminal_id} for row in per_offer])
    _add(connection, OfferDayViews, per_offer)
    total = {"terminal_id": terminal_id, "day": day, "views": sum(merged.values())}
    _add(connection, TerminalDayViews, [total])


def _add(connection: Connection, model: type[HubBase], rows: list[dict[str, Any]]) -> None:
    """Insert `rows`, or add their views to the rows already there."""
    insert = sqlite_insert if connection.dialect.name == "sqlite" else postgresql_insert
    statement = insert(model)
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=[column.name for column in inspect(model).primary_key],
            set_={"views": model.__table__.c.views + statement.excluded.views},
        ),
        rows,
    )


def purge_views(db: Database, older_than: int) -> int:
    """Forget the views of the days before `older_than` (epoch s); how many rows went (of
    `offer_views`: its sums go with them)."""
    day = older_than // 86400
    with db.write() as connection:
        connection.execute(delete(TerminalDayViews).where(TerminalDayViews.day < day))
        connection.execute(delete(OfferDayViews).where(OfferDayViews.day < day))
        return int(connection.execute(delete(OfferViews).where(OfferViews.day < day)).rowcount)


# -- figures -----------------------------------------------------------------------------------


@dataclass(slots=True)
class FunnelRow:
    """One terminal, offer or organisation over the period."""

    key: Any
    label: str
    detail: str = ""  # a second line: the terminal's name, the offer's organisation…
    href: str | None = None
    views: int = 0
    applications: int = 0
    contacted: int = 0
    hired: int = 0
    median_s: float | None = None  # time to first contact, of the contacted ones

    @property
    def conversion(self) -> float | None:
        """Applications per 100 views (None without views)."""
        return 100 * self.applications / self.views if self.views else None

    def rate(self, count: int) -> float | None:
        """`count` per 100 applications (None without applications)."""
        return 100 * count / self.applications if self.applications else None


@dataclass(slots=True)
class FunnelReport:
    """The funnel of the last `days` UTC days (today included), in three cuts."""

    days: int
    since: int  # epoch s: the start of the first day
    total: FunnelRow
    terminals: list[FunnelRow] = field(default_factory=list)
    offers: list[FunnelRow] = field(default_factory=list)
    organisations: list[FunnelRow] = field(default_factory=list)


_VALUES: dict[str, Callable[[FunnelRow], float | None]] = {
    "views": lambda r: r.views,
    "applications": lambda r: r.applications,
    "contacted": lambda r: r.contacted,
    "hired": lambda r: r.hired,
    "conversion": lambda r: r.conversion,
    "median": lambda r: r.median_s,
}


def most_first(key: str) -> bool:
    """Whether column `key` sorts the most first unless told (counts, not names or delays)."""
    return key in _MOST_FIRST


def sort_rows(rows: list[FunnelRow], key: str, descending: bool | None = None) -> list[FunnelRow]:
    """`rows` sorted by column `key` (counts: the most first unless told; an empty value —
    no view, no contact — always last), ties by label."""
    if descending is None:
        descending = most_first(key)
    by_label = sorted(rows, key=lambda r: r.label.casefold())
    if key == "name":
        return by_label[::-1] if descending else by_label
    value = _VALUES[key]
    known = [r for r in by_label if value(r) is not None]
    unknown = [r for r in by_label if value(r) is None]
    known.sort(key=lambda r: value(r) or 0, reverse=descending)  # stable: ties stay by label
    return known + unknown


def human_delay(seconds: float | None) -> str:
    """A time to first contact as people read it: "2 h 10 min", "3 d 4 h"; "—" for none."""
    if seconds is None:
        return "—"
    minutes = int(seconds + 30) // 60
    if minutes < 1:
        return "under 1 min"
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"


def percent(value: float | None) -> str:
    """ "4.2 %", "100 %"; "—" when there is nothing to divide by."""
    if value is None:
        return "—"
    text = f"{value:.1f}".removesuffix(".0")
    return f"{text} %"


_Views = type[TerminalDayViews] | type[OfferDayViews]


class _Cut:
    """How one table groups: its views (which sums, by which columns) and its applications."""

    def __init__(
        self,
        views: _Views | None,
        views_by: Sequence[InstrumentedAttribute[Any]],
        applications_by: Sequence[InstrumentedAttribute[Any]],
    ) -> None:
        self.views = views  # None: computed from the offers' (organisations)
        self.views_by = views_by
        self.applications_by = applications_by


_TERMINALS = _Cut(TerminalDayViews, [TerminalDayViews.terminal_id], [Application.terminal_id])
_OFFERS = _Cut(
    OfferDayViews,
    [OfferDayViews.offer_source, OfferDayViews.offer_id],
    [Application.offer_source, Application.offer_id],
)
_ORGANISATIONS = _Cut(None, [], [Application.organisation_id])
_WHOLE = _Cut(TerminalDayViews, [], [])


def _key(row: Sequence[Any], width: int) -> Any:
    return tuple(row[:width]) if width > 1 else (row[0] if width else None)


class Funnel:
    """The funnel's queries over the hub's database (read-only, one short read each)."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    def since(self, days: int) -> int:
        """The start (epoch s) of the first of the last `days` UTC days, today included."""
        return (int(self._clock()) // 86400 - days + 1) * 86400

    def report(self, days: int = DEFAULT_PERIOD) -> FunnelReport:
        """Every terminal (enrolled ones without figures too), every offer and organisation
        with views or applications in the period, and the whole fleet's figures."""
        since = self.since(days)
        with self._db.read() as connection:
            whole = self._figures(connection, _WHOLE, since).get(None)
            total = _filled(FunnelRow(None, "All terminals"), whole)
            terminals = self._terminals(connection, self._figures(connection, _TERMINALS, since))
            offers, owners = self._offers(
                connection, self._figures(connection, _OFFERS, since), since
            )
            by_organisation = self._figures(connection, _ORGANISATIONS, since)
            # An organisation's views: those of the offers it owns now.
            for offer in offers:
                if offer.views:
                    entry = by_organisation[owners.get(offer.key)]
                    entry["views"] = entry.get("views", 0) + offer.views
            organisations = self._organisations(connection, by_organisation)
        return FunnelReport(days, since, total, terminals, offers, organisations)

    def terminal(self, terminal_id: str, days: int = DEFAULT_PERIOD) -> FunnelRow:
        """One terminal's funnel over the period."""
        since = self.since(days)
        with self._db.read() as connection:
            figures = self._figures(
                connection,
                _WHOLE,
                since,
                views_where=TerminalDayViews.terminal_id == terminal_id,
                applications_where=Application.terminal_id == terminal_id,
            )
        return _filled(FunnelRow(terminal_id, terminal_id), figures.get(None))

    # -- the three cuts ------------------------------------------------------------------------

    def _figures(
        self,
        connection: Connection,
        cut: _Cut,
        since: int,
        views_where: ColumnElement[bool] | None = None,
        applications_where: ColumnElement[bool] | None = None,
    ) -> defaultdict[Any, dict[str, Any]]:
        """{key: {views, applications, contacted, hired, median_s}} of the keys with any."""
        figures: defaultdict[Any, dict[str, Any]] = defaultdict(dict)
        if cut.views is not None:
            views = select(*cut.views_by, func.sum(cut.views.views)).where(
                cut.views.day >= since // 86400
            )
            if views_where is not None:
                views = views.where(views_where)
            width = len(cut.views_by)
            for row in connection.execute(views.group_by(*cut.views_by)):
                if row[-1] is not None:
                    figures[_key(row, width)]["views"] = int(row[-1])

        delay = Application.first_contact_at - Application.received_at
        postgresql = connection.dialect.name == "postgresql"
        columns: list[Any] = [
            func.count(),
            func.count(Application.first_contact_at),
            func.coalesce(func.sum(case((Application.status == "hired", 1), else_=0)), 0),
        ]
        if postgresql:  # the median in SQL; SQLite has none: read the delays below
            columns.append(func.percentile_cont(0.5).within_group(delay))
        in_period = [Application.received_at >= since]
        if applications_where is not None:
            in_period.append(applications_where)
        counts = select(*cut.applications_by, *columns).where(*in_period)
        width = len(cut.applications_by)
        for row in connection.execute(counts.group_by(*cut.applications_by)):
            if not row[width]:
                continue  # the whole fleet's row of an empty period
            entry = figures[_key(row, width)]
            entry["applications"] = int(row[width])
            entry["contacted"] = int(row[width + 1])
            entry["hired"] = int(row[width + 2])
            if postgresql and row[width + 3] is not None:
                entry["median_s"] = float(row[width + 3])
        if not postgresql:
            delays: dict[Any, list[int]] = defaultdict(list)
            rows = connection.execute(
                select(*cut.applications_by, delay).where(
                    *in_period, Application.first_contact_at.is_not(None)
                )
            )
            for row in rows:
                delays[_key(row, width)].append(int(row[-1]))
            for key, values in delays.items():
                figures[key]["median_s"] = float(statistics.median(values))
        return figures

    def _terminals(
        self, connection: Connection, figures: dict[Any, dict[str, Any]]
    ) -> list[FunnelRow]:
        rows: dict[str, FunnelRow] = {}
        for terminal_id, name, revoked_at in connection.execute(
            select(Terminal.terminal_id, Terminal.name, Terminal.revoked_at)
        ):
            if revoked_at is None or terminal_id in figures:
                detail = name if revoked_at is None else f"{name} (revoked)"
                rows[terminal_id] = FunnelRow(
                    terminal_id, terminal_id, detail, f"/fleet/terminals/{terminal_id}"
                )
        for terminal_id, entry in figures.items():
            row = rows.setdefault(terminal_id, FunnelRow(terminal_id, terminal_id, "not enrolled"))
            _filled(row, entry)
        return list(rows.values())

    def _offers(
        self, connection: Connection, figures: dict[Any, dict[str, Any]], since: int
    ) -> tuple[list[FunnelRow], dict[tuple[str, str], int | None]]:
        """The offers' rows, and the organisation each belongs to."""
        # The offers of the period (viewed or applied to), joined to their rows at once.
        period = union(
            select(OfferDayViews.offer_source, OfferDayViews.offer_id).where(
                OfferDayViews.day >= since // 86400
            ),
            select(Application.offer_source, Application.offer_id).where(
                Application.received_at >= since
            ),
        ).subquery()
        known: dict[tuple[str, str], tuple[str, int | None]] = {}
        for source, external_id, title, organisation_id in connection.execute(
            select(
                OfferRecord.source,
                OfferRecord.external_id,
                OfferRecord.title,
                OfferRecord.organisation_id,
            ).join(
                period,
                (OfferRecord.source == period.c.offer_source)
                & (OfferRecord.external_id == period.c.offer_id),
            )
        ):
            known[(source, external_id)] = (title, organisation_id)
        names = _organisation_names(connection, {o for _, o in known.values() if o is not None})
        rows = []
        for (source, offer_id), entry in figures.items():
            title, organisation_id = known.get((source, offer_id), ("", None))
            owner = names.get(organisation_id, "") if organisation_id is not None else ""
            detail = f"{source} / {offer_id}" + (f" · {owner}" if owner else "")
            row = FunnelRow((source, offer_id), title or offer_id, detail)
            rows.append(_filled(row, entry))
        return rows, {key: owner for key, (_title, owner) in known.items()}

    def _organisations(
        self, connection: Connection, figures: dict[Any, dict[str, Any]]
    ) -> list[FunnelRow]:
        names = _organisation_names(connection, {k for k in figures if k is not None})
        rows = []
        for organisation_id, entry in figures.items():
            if organisation_id is None:
                row = FunnelRow(None, "No organisation", "offers nobody answers for yet")
            else:
                row = FunnelRow(organisation_id, names.get(organisation_id, str(organisation_id)))
            rows.append(_filled(row, entry))
        return rows


def _organisation_names(connection: Connection, ids: Iterable[int]) -> dict[int, str]:
    wanted = list(ids)
    names: dict[int, str] = {}
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        for organisation_id, name in connection.execute(
            select(Organisation.id, Organisation.name).where(Organisation.id.in_(chunk))
        ):
            names[organisation_id] = name
    return names


def _filled(row: FunnelRow, entry: dict[str, Any] | None) -> FunnelRow:
    for name, value in (entry or {}).items():
        setattr(row, name, value)
    return row
