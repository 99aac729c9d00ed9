"""The funnel on the operator's fleet page (/fleet/funnel): per terminal, per offer and per
organisation, over the last 7, 30 or 90 days, sortable, paged; and beside it the passers-by's
verdict per terminal and week (anonymous counts only)."""

# No `from __future__ import annotations` here: FastAPI reads the annotations of routes
# defined inside functions at run time (as in hub/fleet.py).

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, PackageLoader, select_autoescape

from hub import __version__
from hub.errors import ApiError
from hub.fleet import _HEADERS, _Auth, link
from hub.fleet_query import page_number
from hub.recruiters.funnel import (
    DEFAULT_PERIOD,
    DEFAULT_SORT,
    PERIODS,
    FunnelRow,
    SortKey,
    human_delay,
    most_first,
    percent,
    sort_rows,
)
from hub.verdicts import Verdicts, WeekVerdicts, first_week

if TYPE_CHECKING:
    from hub.app import Services

PAGE_SIZE = 50
# The columns, in the order of the tables, with their headers.
COLUMNS = (
    ("name", "Name"),
    ("views", "Views"),
    ("applications", "Applications"),
    ("contacted", "Contacted"),
    ("hired", "Hired"),
    ("conversion", "Conversion"),
    ("median", "Median time to first contact"),
)
CUTS = (("terminals", "Terminals"), ("offers", "Offers"), ("organisations", "Organisations"))


@dataclass(frozen=True, slots=True)
class Table:
    """One page of one of the funnel's tables (or of the verdicts')."""

    number: int
    size: int
    total: int
    rows: list[FunnelRow] | list[WeekVerdicts]

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.size))


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("hub", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["delay"] = human_delay
    env.filters["percent"] = percent
    env.filters["thousands"] = lambda number: f"{number:,}"
    env.globals["link"] = link
    return env


def funnel_router(services: "Services") -> APIRouter:
    """GET /fleet/funnel, behind the fleet page's login."""
    router = APIRouter(prefix="/fleet", include_in_schema=False)
    auth = _Auth(services)
    env = _environment()
    verdicts = Verdicts(services.db)

    @router.get("/funnel")
    def funnel_page(
        request: Request,
        days: Annotated[int, Query(description="7, 30 or 90")] = DEFAULT_PERIOD,
        sort: Annotated[SortKey, Query()] = DEFAULT_SORT,
        order: Annotated[Literal["asc", "desc"] | None, Query()] = None,
        terminals_page: Annotated[int | None, Query(ge=1, le=1_000_000)] = None,
        offers_page: Annotated[int | None, Query(ge=1, le=1_000_000)] = None,
        organisations_page: Annotated[int | None, Query(ge=1, le=1_000_000)] = None,
        verdicts_page: Annotated[int | None, Query(ge=1, le=1_000_000)] = None,
    ) -> Response:
        if auth.session(request) is None:
            return RedirectResponse("/fleet/login", status_code=303)
        if days not in PERIODS:
            raise ApiError(422, "invalid_request", "days: 7, 30 or 90")
        report = services.funnel.report(days)
        descending = most_first(sort) if order is None else order == "desc"
        asked = {
            "terminals": terminals_page,
            "offers": offers_page,
            "organisations": organisations_page,
        }
        tables = {}
        for cut, _title in CUTS:
            rows = sort_rows(getattr(report, cut), sort, descending)
            number = page_number(asked[cut], len(rows), PAGE_SIZE)
            start = (number - 1) * PAGE_SIZE
            tables[cut] = Table(number, PAGE_SIZE, len(rows), rows[start : start + PAGE_SIZE])
        # The query of this view (defaults left out), for the links that change one thing.
        view: dict[str, Any] = {
            "days": days if days != DEFAULT_PERIOD else None,
            "sort": sort if sort != DEFAULT_SORT else None,
            "order": order,
        }
        # The passers-by's verdict, per terminal and week, over the weeks of the period.
        since = first_week(int(services.clock()), days)
        total = verdicts.count(since)
        number = page_number(verdicts_page, total, PAGE_SIZE)
        verdict_rows = verdicts.page(since, PAGE_SIZE, (number - 1) * PAGE_SIZE)
        verdict_table = Table(number, PAGE_SIZE, total, verdict_rows)
        pages = {f"{cut}_page": tables[cut].number for cut, _ in CUTS}
        pages["verdicts_page"] = verdict_table.number
        sort_links = {}
        for key, _label in COLUMNS:
            then_desc = not descending if key == sort else most_first(key)
            sort_links[key] = link(
                "/fleet/funnel",
                view,
                sort=key if key != DEFAULT_SORT else None,
                order=None if then_desc == most_first(key) else ("desc" if then_desc else "asc"),
            )
        html = env.get_template("funnel.html").render(
            version=__version__,
            report=report,
            tables=tables,
            cuts=CUTS,
            columns=COLUMNS,
            periods=PERIODS,
            days=days,
            sort=sort,
            descending=descending,
            sort_label=dict(COLUMNS)[sort].lower(),
            order_label=_order_label(sort, descending),
            sort_links=sort_links,
            view=view,
            paged=view | pages,
            verdicts=verdict_table,
            verdict_total=verdicts.total(since),
        )
        return HTMLResponse(html, headers=_HEADERS)

    return router


def _order_label(sort: str, descending: bool) -> str:
    """How the rows run, in words: "most first", "A to Z", "shortest first"."""
    if sort == "name":
        return "Z to A" if descending else "A to Z"
    if sort == "median":
        return "longest first" if descending else "shortest first"
    return "most first" if descending else "fewest first"
