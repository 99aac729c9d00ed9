"""Tenant isolation: a recruiter of organisation A, with their own session and form token,
tries every route of the hub (enumerated from the application, so a new route is covered
the day it is added) with B's application ids, reference codes, offers and terminals — and
never reads, counts, exports or changes anything of B."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import pytest
from fastapi.routing import iter_route_contexts
from sqlalchemy import insert, select

from hub.app import create_app
from hub.models import Application, ApplicationEvent, PostedOffer
from hub.recruiters.guard import RECRUITER_COOKIE
from tests.hub.conftest import RunningHub, start_hub
from tests.hub.recruiters.inbox_seed import (
    Organisation,
    Person,
    apply,
    browser,
    csrf_of,
    organisation,
    recruiter_session,
)

A_PEOPLE = (
    Person("Amandine", "Alpha", "06 11 11 11 11", "KC4TWM"),
    Person("Arnaud", "Abricot", "06 22 22 22 22", "PU9XQE"),
)
B_PEOPLE = (
    Person("Bérénice", "Bravo", "07 33 33 33 33", "WQ7RKT", "ar"),
    Person("Barnabé", "Brocoli", "07 44 44 44 44", "X9TC4M"),
    Person("Blandine", "Bergamote", "07 55 55 55 55", "VM6YQD"),
)
B_POSTED_TITLE = "Veilleur de nuit (organisation B seulement)"
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


@dataclass
class TwoOrganisations:
    hub: RunningHub
    a: Organisation
    b: Organisation
    b_terminal: str
    b_posted_id: int
    session: str  # A's recruiter


@pytest.fixture
def two(database_url: str, tmp_path: Path) -> Iterator[TwoOrganisations]:
    hub = start_hub(database_url, tmp_path)
    a = organisation(hub, "boulangerie", "Boulangerie Alpha", "boulangerie-1", "Vendeur")
    b = organisation(hub, "hotel-bravo", "Hôtel Bravo Secret", "hotel-1", "Réceptionniste")
    a_token, b_token = hub.enrol("gare-a"), hub.enrol("gare-b")
    for person in A_PEOPLE:
        apply(hub, a_token, "gare-a", a, person)
        hub.clock.advance(30)
    for person in B_PEOPLE:
        apply(hub, b_token, "gare-b", b, person)
        hub.clock.advance(30)
    # B's recruiter has moved one of B's applications on.
    b_browser = browser(hub, recruiter_session(hub, b.id, "brigitte@hotel.example"))
    b_browser.post(
        f"/recruiters/applications/{b.ids[0]}/status",
        data={"status": "interview", "csrf": csrf_of(b_browser.get("/recruiters/inbox"))},
    )
    now = int(hub.clock())
    with hub.services.db.write() as connection:
        b_posted_id = connection.execute(
            insert(PostedOffer)
            .values(
                organisation_id=b.id,
                form=orjson.dumps({"title": B_POSTED_TITLE}).decode(),
                created_at=now,
                updated_at=now,
            )
            .returning(PostedOffer.id)
        ).scalar_one()
    session = recruiter_session(hub, a.id, "anne@boulangerie.example")
    yield TwoOrganisations(hub, a, b, "gare-b", int(b_posted_id), session)
    hub.stop()


def _state(hub: RunningHub, ids: list[str]) -> list[tuple[Any, ...]]:
    """What must not move: B's statuses, their times, openings, events, posted offer."""
    with hub.services.db.read() as connection:
        rows = connection.execute(
            select(
                Application.application_id,
                Application.status,
                Application.status_at,
                Application.first_contact_at,
                Application.opened,
                Application.sealed.is_(None),
            )
            .where(Application.application_id.in_(ids))
            .order_by(Application.application_id)
        ).all()
        events = connection.execute(
            select(
                ApplicationEvent.application_id, ApplicationEvent.status, ApplicationEvent.at
            ).order_by(ApplicationEvent.id)
        ).all()
        posted = connection.execute(
            select(PostedOffer.form, PostedOffer.updated_at, PostedOffer.withdrawn_at)
        ).all()
    return [tuple(row) for row in (*rows, *events, *posted)]


def _secrets(two: TwoOrganisations) -> list[str]:
    """What of B must never reach A's recruiter (but the reference code A types, which the
    search form shows back)."""
    found = [two.b.name, B_POSTED_TITLE, "brigitte@hotel.example"]
    for person in B_PEOPLE:
        found += [person.first_name, person.last_name, person.phone]
        found.append("+33" + person.phone.replace(" ", "")[1:])
        if person is not B_PEOPLE[0]:
            found.append(person.reference)
    return found


def _fill(path: str, two: TwoOrganisations) -> str:
    """A route's path with B's values in its parameters."""
    values = {
        "application_id": two.b.ids[0],
        "terminal_id": two.b_terminal,
        "offer_source": two.b.offer[0],
        "source": two.b.offer[0],
        "offer_id": two.b.offer[1],
        "posted_id": str(two.b_posted_id),
        "token": "ki_not-an-invitation",
        "action": "resync",
    }
    return re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: values.get(m.group(1), "1"), path)


def test_a_recruiter_reaches_nothing_of_another_organisation_by_any_route(
    two: TwoOrganisations,
) -> None:
    hub = two.hub
    page = browser(hub, two.session)
    csrf = csrf_of(page.get("/recruiters/inbox"))
    before = _state(hub, two.b.ids)
    secrets = _secrets(two)
    routes = [
        (method, route.path)
        for route in iter_route_contexts(create_app(hub.services).routes)
        for method in sorted(route.methods or ())
        if method in METHODS and route.path
    ]
    assert ("POST", "/recruiters/applications/{application_id}/status") in routes
    assert ("GET", "/v1/admin/applications/export") in routes

    # Signing out goes last: every other route is tried with a live session.
    routes.sort(key=lambda route: route[1].endswith("/sign-out"))
    tried = 0
    for method, template in routes:
        b_ids = two.b.ids if "{application_id}" in template else two.b.ids[:1]
        for b_id in b_ids:
            path = _fill(template, two).replace(two.b.ids[0], b_id)
            form = {
                "csrf": csrf,
                "status": "hired",
                "reference": B_PEOPLE[0].reference,
                "application_id": b_id,
                "offer_source": two.b.offer[0],
                "offer_id": two.b.offer[1],
                "terminal_id": two.b_terminal,
                "confirm": two.b_terminal,
                "title": "Changé par A",
            }
            query = {
                "reference": B_PEOPLE[0].reference,
                "status": "interview",
                "offer_source": two.b.offer[0],
                "offer_id": two.b.offer[1],
                "organisation": two.b.slug,
                "format": "csv",
            }
            # The session cookie is sent on every path, not only under /recruiters.
            headers = {"Cookie": f"{RECRUITER_COOKIE}={two.session}"}
            plain = browser(hub)
            if method == "GET":
                answer = plain.get(path, params=query, headers=headers)
            else:
                answer = plain.request(method, path, params=query, data=form, headers=headers)
            tried += 1
            where = f"{method} {template}"
            assert answer.status_code < 500, where
            if path.startswith("/recruiters") and not path.endswith("/sign-out"):
                assert answer.headers.get("location") != "/recruiters/sign-in", where
            body = answer.content.decode("utf-8", "replace")
            for secret in secrets:
                assert secret not in body, f"{where} shows {secret!r}"
            for other in two.b.ids:
                assert other not in body or other in path, f"{where} names {other}"
    assert tried > len(routes)
    assert _state(hub, two.b.ids) == before


def test_a_recruiters_pages_count_and_export_their_organisation_only(
    two: TwoOrganisations,
) -> None:
    hub = two.hub
    page = browser(hub, two.session)
    inbox = page.get("/recruiters/inbox")
    shown = re.findall(r'id="application-([0-9a-f-]{36})"', inbox.text)
    assert sorted(shown) == sorted(two.a.ids)
    total = re.search(r'<span class="count">(\d+)</span>', inbox.text)
    assert total is not None and int(total.group(1)) == len(two.a.ids)
    assert re.search(r"Entretien <span class=\"n\">0</span>", inbox.text)  # B has one

    for b_id in two.b.ids:
        assert page.get(f"/recruiters/applications/{b_id}").status_code == 404
        refused = page.post(
            f"/recruiters/applications/{b_id}/status",
            data={"status": "not_retained", "csrf": csrf_of(inbox)},
        )
        assert refused.status_code == 404
    searched = page.get("/recruiters/inbox", params={"reference": B_PEOPLE[1].reference})
    assert "Aucune candidature" in searched.text
    assert not re.findall(r'id="application-', searched.text)
    exported = page.get("/recruiters/export.csv")
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert sorted(row["application_id"] for row in rows) == sorted(two.a.ids)
    with hub.services.db.read() as connection:
        statuses = dict(
            connection.execute(
                select(Application.application_id, Application.status).where(
                    Application.application_id.in_(two.b.ids)
                )
            ).all()
        )
    assert statuses == {two.b.ids[0]: "interview", two.b.ids[1]: "new", two.b.ids[2]: "new"}
