"""The operator's page of the services corner, /fleet/services: list, add, edit, remove (behind
the fleet login; forms carry the anti-forgery token; no script)."""

# No `from __future__ import annotations` here: FastAPI reads the annotations of routes
# defined inside functions at run time, and postponed ones would not resolve.

import logging
from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import APIRouter, Form, Path, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, PackageLoader, select_autoescape
from pydantic import ValidationError

from hub import __version__
from hub.auth import csrf_token
from hub.errors import ApiError
from hub.fleet import _HEADERS, _Auth
from hub.services_corner import CATEGORIES, MAX_ENTRIES, TEXT_MAX, ServiceFields

if TYPE_CHECKING:
    from hub.app import Services

log = logging.getLogger("hub.services")

_LABELS = {
    "category": "Need",
    "title": "Title",
    "text": "Text",
    "url": "Address (URL)",
    "languages": "Languages",
    "area": "Area",
    "label": "Place",
    "latitude": "Latitude",
    "longitude": "Longitude",
    "radius_km": "Radius",
}
Text = Annotated[str, Form(max_length=2000)]


def form_fields(form: dict[str, str]) -> tuple[ServiceFields | None, list[str]]:
    """The entry a submitted form describes, or the problems to show beside it."""
    problems: list[str] = []
    area: dict[str, Any] | None = None
    place = {name: form.get(name, "").strip() for name in ("place", "latitude", "longitude")}
    radius = form.get("radius_km", "").strip()
    if any(place.values()) or radius:
        numbers: dict[str, float] = {}
        for name, text in (
            ("latitude", place["latitude"]),
            ("longitude", place["longitude"]),
            ("radius_km", radius),
        ):
            try:
                numbers[name] = float(text.replace(",", "."))
            except ValueError:
                problems.append(f"{_LABELS[name]}: a number is needed for an area.")
        area = {"label": place["place"], **numbers}
    languages = [code.lower() for code in form.get("languages", "").replace(",", " ").split()]
    data = {
        "category": form.get("category", ""),
        "title": form.get("title", ""),
        "text": form.get("text", "").replace("\r\n", "\n"),
        "url": form.get("url", "").strip(),
        "languages": languages,
        "area": area,
    }
    if problems:
        return None, problems
    try:
        return ServiceFields.model_validate(data), []
    except ValidationError as exc:
        for error in exc.errors():
            where = [str(part) for part in error["loc"] if not isinstance(part, int)]
            label = _LABELS.get(where[-1], where[-1]) if where else "Entry"
            problems.append(f"{label}: {error['msg'].removeprefix('Value error, ')}.")
        return None, problems


def _filled(entry: dict[str, Any]) -> dict[str, str]:
    """The form as an entry fills it (to edit it)."""
    area = entry["area"] or {}
    return {
        "category": entry["category"],
        "title": entry["title"],
        "text": entry["text"],
        "url": entry["url"],
        "languages": ", ".join(entry["languages"]),
        "place": area.get("label", ""),
        "latitude": _number(area.get("latitude")),
        "longitude": _number(area.get("longitude")),
        "radius_km": _number(area.get("radius_km")),
    }


def services_pages(services: "Services") -> APIRouter:
    """The /fleet/services pages."""
    router = APIRouter(prefix="/fleet/services", include_in_schema=False)
    auth = _Auth(services)
    corner = services.services_corner
    env = Environment(
        loader=PackageLoader("hub", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )

    def render(name: str, status: int = 200, **context: Any) -> HTMLResponse:
        html = env.get_template(name).render(
            version=__version__,
            categories=CATEGORIES,
            max_entries=MAX_ENTRIES,
            text_max=TEXT_MAX,
            **context,
        )
        return HTMLResponse(html, status_code=status, headers=_HEADERS)

    def csrf_of(cookie: str | None) -> str:
        return csrf_token(services.keys.session_secret, cookie) if cookie else ""

    def listing(cookie: str | None, status: int = 200, **extra: Any) -> HTMLResponse:
        entries = corner.list_all()
        return render(
            "services.html",
            status=status,
            csrf=csrf_of(cookie),
            entries=entries,
            by_category={c: [e for e in entries if e["category"] == c] for c in CATEGORIES},
            **extra,
        )

    def _done(what: str) -> Response:
        return RedirectResponse(f"/fleet/services?done={what}", status_code=303, headers=_HEADERS)

    def entry_page(request: Request, service_id: int, template: str) -> Response:
        """`template` about one entry for a signed-in operator; else the login, or a 404."""
        who = auth.session(request)
        if who is None:
            return RedirectResponse("/fleet/login", status_code=303)
        try:
            entry = corner.get(service_id)
        except ApiError:
            return render("missing.html", status=404, what=f"No service {service_id}.")
        return render(template, csrf=csrf_of(who[1]), entry=entry, form=_filled(entry))

    @router.get("")
    def page(
        request: Request,
        done: Annotated[Literal["added", "changed", "removed"] | None, Query()] = None,
    ) -> Response:
        who = auth.session(request)
        if who is None:
            return RedirectResponse("/fleet/login", status_code=303)
        return listing(who[1], done=done, form={})

    @router.post("")
    def add(
        request: Request,
        category: Text = "",
        title: Text = "",
        text: Text = "",
        url: Text = "",
        languages: Text = "",
        place: Text = "",
        latitude: Text = "",
        longitude: Text = "",
        radius_km: Text = "",
        csrf: Annotated[str | None, Form()] = None,
    ) -> Response:
        _, cookie = auth.check_form(request, csrf)
        form = _form(category, title, text, url, languages, place, latitude, longitude, radius_km)
        fields, problems = form_fields(form)
        if fields is None:
            return listing(cookie, status=422, problems=problems, form=form)
        try:
            corner.add(fields)
        except ApiError as exc:
            return listing(cookie, status=exc.status, problems=[exc.message], form=form)
        return _done("added")

    @router.get("/{service_id}/edit")
    def edit_page(
        request: Request, service_id: Annotated[int, Path(ge=1, le=2**31 - 1)]
    ) -> Response:
        return entry_page(request, service_id, "service_edit.html")

    @router.post("/{service_id}")
    def change(
        request: Request,
        service_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
        category: Text = "",
        title: Text = "",
        text: Text = "",
        url: Text = "",
        languages: Text = "",
        place: Text = "",
        latitude: Text = "",
        longitude: Text = "",
        radius_km: Text = "",
        csrf: Annotated[str | None, Form()] = None,
    ) -> Response:
        _, cookie = auth.check_form(request, csrf)
        form = _form(category, title, text, url, languages, place, latitude, longitude, radius_km)
        entry = corner.get(service_id)  # 404 before anything
        fields, problems = form_fields(form)
        if fields is None:
            return render(
                "service_edit.html",
                status=422,
                csrf=csrf_of(cookie),
                entry=entry,
                form=form,
                problems=problems,
            )
        corner.replace(service_id, fields)
        return _done("changed")

    @router.get("/{service_id}/remove")
    def remove_page(
        request: Request, service_id: Annotated[int, Path(ge=1, le=2**31 - 1)]
    ) -> Response:
        return entry_page(request, service_id, "service_remove.html")

    @router.post("/{service_id}/remove")
    def remove(
        request: Request,
        service_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
        csrf: Annotated[str | None, Form()] = None,
    ) -> Response:
        auth.check_form(request, csrf)
        corner.remove(service_id)
        return _done("removed")

    return router


def _form(*values: str) -> dict[str, str]:
    names = (
        *("category", "title", "text", "url", "languages"),
        *("place", "latitude", "longitude", "radius_km"),
    )
    return dict(zip(names, values, strict=True))


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"
