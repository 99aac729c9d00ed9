"""The recruiters' pages over the real server: signing in (and by invitation), the inbox
newest first, one application with its tap-to-call link and quick answers, statuses changed
and timestamped, the search by reference code, the export, and the retention purge."""

from __future__ import annotations

import csv
import io
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from hub.models import Application, ApplicationEvent, OfferRecord
from hub.recruiters.guard import RECRUITER_COOKIE
from hub.recruiters.inbox_query import COUNT_CAP, PAGE_SIZE, PURGED, shown_count, shown_total
from hub.settings import HubConfig, LimitsSection, RecruitersSection
from tests.hub.conftest import GENEROUS, FakeClock, RunningHub, start_hub
from tests.hub.recruiters.conftest import PASSWORD
from tests.hub.recruiters.inbox_seed import (
    Organisation,
    Person,
    apply,
    browser,
    csrf_of,
    organisation,
    recruiter_session,
)

CAMILLE = Person(
    "Camille",
    "Exemple",
    "06 12 34 56 78",
    "QX7M4P",
    "ar",
    {"available_now": "yes", "experience": "1_to_3_years", "driving_licence": "no"},
)
DOMINIQUE = Person("Dominique", "Essai", "+44 7911 123456", "KW3RTA", "en")
SACHA = Person("Sacha", "Témoin", "07 98 76 54 32", "HJ4NPC")


@pytest.fixture
def bakery_hub(database_url: str, tmp_path: Path) -> Iterator[tuple[RunningHub, Organisation]]:
    """A hub (SQLite and PostgreSQL) with a bakery that received three applications, one a
    minute: Camille, then Dominique, then Sacha."""
    hub = start_hub(database_url, tmp_path)
    bakery = organisation(hub, "boulangerie", "Boulangerie Martin", "boulangerie-1", "Vendeur·se")
    token = hub.enrol("gare-01")
    for person in (CAMILLE, DOMINIQUE, SACHA):
        apply(hub, token, "gare-01", bakery, person)
        hub.clock.advance(60)
    yield hub, bakery
    hub.stop()


def _row(hub: RunningHub, application_id: str) -> Any:
    with hub.services.db.read() as connection:
        return connection.execute(
            select(Application).where(Application.application_id == application_id)
        ).one()


def _events(hub: RunningHub, row_id: int) -> list[tuple[str, int, int | None]]:
    with hub.services.db.read() as connection:
        return [
            (e.status, e.at, e.recruiter_id)
            for e in connection.execute(
                select(ApplicationEvent)
                .where(ApplicationEvent.application_id == row_id)
                .order_by(ApplicationEvent.id)
            )
        ]


def test_an_invited_recruiter_signs_in_and_sees_the_inbox_newest_first(
    bakery_hub: tuple[RunningHub, Organisation],
) -> None:
    hub, bakery = bakery_hub
    page = browser(hub)
    assert page.get("/recruiters/inbox").headers["location"] == "/recruiters/sign-in"

    # The invitation link: choose a password (twice), and be signed in.
    invitation = hub.services.accounts.invite(bakery.id, "anne@example.org", "Anne Exemple")
    opened = page.get(f"/recruiters/invitation/{invitation}")
    assert opened.status_code == 200
    assert "Anne Exemple" in opened.text and "Boulangerie Martin" in opened.text
    mismatch = page.post(
        f"/recruiters/invitation/{invitation}",
        data={"password": PASSWORD, "password_again": PASSWORD + "!"},
    )
    assert mismatch.status_code == 422
    assert 'role="alert"' in mismatch.text
    accepted = page.post(
        f"/recruiters/invitation/{invitation}",
        data={"password": PASSWORD, "password_again": PASSWORD},
    )
    assert accepted.status_code == 303
    assert accepted.headers["location"] == "/recruiters/inbox"
    cookie = accepted.headers["set-cookie"]
    assert cookie.startswith(f"{RECRUITER_COOKIE}=")
    for attribute in ("HttpOnly", "SameSite=strict", "Path=/recruiters"):
        assert attribute in cookie
    assert "Secure" not in cookie  # [server] secure_cookies is off in the tests
    assert page.get(f"/recruiters/invitation/{invitation}").status_code == 404  # used once

    # Signing out, then in with the e-mail and the password.
    inbox = page.get("/recruiters/inbox")
    signed_out = page.post("/recruiters/sign-out", data={"csrf": csrf_of(inbox)})
    assert signed_out.headers["location"] == "/recruiters/sign-in"
    assert page.get("/recruiters/inbox").status_code == 303
    token = csrf_of(page.get("/recruiters/sign-in"))
    wrong = page.post(
        "/recruiters/sign-in",
        data={"email": "anne@example.org", "password": "not it at all", "csrf": token},
    )
    assert wrong.status_code == 401
    assert 'role="alert"' in wrong.text
    assert "not it at all" not in wrong.text
    signed_in = page.post(
        "/recruiters/sign-in",
        data={"email": "ANNE@example.org ", "password": PASSWORD, "csrf": csrf_of(wrong)},
    )
    assert signed_in.status_code == 303
    assert signed_in.headers["location"] == "/recruiters/inbox"

    inbox = page.get("/recruiters/inbox")
    assert inbox.status_code == 200
    assert '<html lang="fr">' in inbox.text
    assert "Boulangerie Martin" in inbox.text  # the header names the organisation
    assert inbox.headers["cache-control"] == "no-store"
    assert "default-src 'none'" in inbox.headers["content-security-policy"]
    assert inbox.headers["x-frame-options"] == "DENY"
    # Newest first: Sacha, Dominique, Camille.
    positions = [inbox.text.index(f'id="application-{a}"') for a in reversed(bakery.ids)]
    assert positions == sorted(positions)
    camille = inbox.text[positions[-1] :]
    assert "Camille Exemple" in camille
    assert "Vendeur·se" in camille
    assert "Terminal gare-01" in camille
    assert 'href="tel:+33612345678"' in camille
    assert "06 12 34 56 78" in camille
    assert "arabe" in camille
    assert "QX7M4P" in camille
    assert "Nouvelle" in camille
    assert 'href="tel:+447911123456"' in inbox.text and "anglais" in inbox.text


def test_the_inbox_pages_and_counts_by_status(sqlite_hub: RunningHub) -> None:
    hub = sqlite_hub
    hotel = organisation(hub, "hotel", "Hôtel du Parc", "hotel-1", "Réceptionniste")
    token = hub.enrol("gare-02")
    for number in range(PAGE_SIZE + 3):
        apply(hub, token, "gare-02", hotel, Person("Lou", f"Numéro{number:02d}", "0612345678", ""))
        hub.clock.advance(1)
    page = browser(hub, recruiter_session(hub, hotel.id, "hotel@example.org"))
    newest = list(reversed(hotel.ids))

    first = page.get("/recruiters/inbox")
    assert all(f"application-{a}" in first.text for a in newest[:PAGE_SIZE])
    assert not any(f"application-{a}" in first.text for a in newest[PAGE_SIZE:])
    assert 'rel="next"' in first.text
    second = page.get("/recruiters/inbox", params={"page": 2})
    assert [a for a in newest if f"application-{a}" in second.text] == newest[PAGE_SIZE:]

    csrf = csrf_of(first)
    for application_id in newest[:2]:
        page.post(
            f"/recruiters/applications/{application_id}/status",
            data={"status": "interview", "csrf": csrf},
        )
    interviews = page.get("/recruiters/inbox", params={"status": "interview"})
    assert [a for a in newest if f"application-{a}" in interviews.text] == newest[:2]
    assert re.search(r"Entretien <span class=\"n\">2</span>", interviews.text)
    assert re.search(rf"Nouvelle <span class=\"n\">{PAGE_SIZE + 1}</span>", interviews.text)


def test_an_application_shows_how_to_call_and_its_quick_answers_and_counts_openings(
    bakery_hub: tuple[RunningHub, Organisation],
) -> None:
    hub, bakery = bakery_hub
    page = browser(hub, recruiter_session(hub, bakery.id, "anne@example.org"))
    camille = bakery.ids[0]

    shown = page.get(f"/recruiters/applications/{camille}")

    assert shown.status_code == 200
    assert shown.headers["cache-control"] == "no-store"
    assert '<a class="call" href="tel:+33612345678">Appeler le 06 12 34 56 78</a>' in shown.text
    answers = re.sub(r"\s+", " ", shown.text)
    assert "<dt>Disponible tout de suite</dt><dd>Oui</dd>" in answers
    assert "<dt>Expérience dans ce métier</dt><dd>1 à 3 ans</dd>" in answers
    assert "<dt>Permis de conduire</dt><dd>Non</dd>" in answers
    assert "<dt>Langue utilisée</dt><dd>arabe</dd>" in answers
    assert "QX7M4P" in shown.text
    assert _row(hub, camille).opened == 1
    page.get(f"/recruiters/applications/{camille.upper()}")
    assert _row(hub, camille).opened == 2
    assert _row(hub, bakery.ids[1]).opened == 0
    missing = page.get("/recruiters/applications/00000000-0000-4000-8000-000000000000")
    assert missing.status_code == 404


def test_answers_to_questions_the_offer_does_not_ask_are_not_shown(
    bakery_hub: tuple[RunningHub, Organisation], caplog: pytest.LogCaptureFixture
) -> None:
    # The recruiter asks only "available now"; Camille's application (accepted, as it was
    # already confirmed to her) also answers the two other questions.
    hub, bakery = bakery_hub
    posting = '{"@type":"JobPosting","title":"Vendeur·se","kioskQuestions":["available_now"]}'
    with hub.services.db.write() as connection:
        connection.execute(
            update(OfferRecord)
            .where(OfferRecord.external_id == bakery.offer[1])
            .values(raw=posting)
        )
    page = browser(hub, recruiter_session(hub, bakery.id, "anne@example.org"))
    camille = bakery.ids[0]

    with caplog.at_level(logging.INFO, logger="hub.recruiters.inbox"):
        shown = re.sub(r"\s+", " ", page.get(f"/recruiters/applications/{camille}").text)
        exported = page.get("/recruiters/export.csv")

    assert "<dt>Disponible tout de suite</dt><dd>Oui</dd>" in shown
    assert "Expérience dans ce métier" not in shown and "1 à 3 ans" not in shown
    assert "Permis de conduire" not in shown
    rows = csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig")))
    answers = {row["application_id"]: row["answers"] for row in rows}
    assert answers[camille] == '{"available_now":"yes"}'
    left_out = [r.getMessage() for r in caplog.records if "does not ask" in r.getMessage()]
    told = f"application {camille}: 2 answers to questions its offer does not ask, not shown"
    assert left_out == [told, told]  # the page, then the export: a count, never an answer
    assert all("1_to_3_years" not in m and "experience" not in m for m in left_out)


def test_status_changes_are_timestamped_and_kept_as_events(
    bakery_hub: tuple[RunningHub, Organisation],
) -> None:
    hub, bakery = bakery_hub
    session = recruiter_session(hub, bakery.id, "anne@example.org")
    recruiter = hub.services.accounts.identify(session)
    assert recruiter is not None
    page = browser(hub, session)
    camille = bakery.ids[0]
    received = _row(hub, camille)
    assert (received.status, received.status_at, received.first_contact_at) == (
        "new",
        received.received_at,
        None,
    )
    csrf = csrf_of(page.get(f"/recruiters/applications/{camille}"))

    hub.clock.advance(600)  # within the session's idle time
    contacted_at = int(hub.clock())
    moved = page.post(
        f"/recruiters/applications/{camille}/status", data={"status": "contacted", "csrf": csrf}
    )
    assert moved.status_code == 303
    assert moved.headers["location"] == f"/recruiters/applications/{camille}?saved=contacted"
    hub.clock.advance(1200)
    interview_at = int(hub.clock())
    page.post(
        f"/recruiters/applications/{camille}/status", data={"status": "interview", "csrf": csrf}
    )
    page.post(  # the same status again is no change
        f"/recruiters/applications/{camille}/status", data={"status": "interview", "csrf": csrf}
    )

    row = _row(hub, camille)
    assert (row.status, row.status_at, row.first_contact_at) == (
        "interview",
        interview_at,
        contacted_at,
    )
    assert _events(hub, row.id) == [
        ("contacted", contacted_at, recruiter.id),
        ("interview", interview_at, recruiter.id),
    ]
    shown = page.get(f"/recruiters/applications/{camille}?saved=interview")
    assert 'role="status"' in shown.text and "Statut enregistré\u00a0: Entretien." in shown.text
    assert "Contactée" in shown.text and "Anne Exemple" in shown.text  # the history
    assert _row(hub, camille).opened == 1  # coming back after saving is no opening
    refused = page.post(
        f"/recruiters/applications/{camille}/status", data={"status": "promoted", "csrf": csrf}
    )
    assert refused.status_code == 422
    assert _row(hub, camille).status == "interview"


def test_a_reference_code_finds_the_application_however_it_is_typed(
    bakery_hub: tuple[RunningHub, Organisation],
) -> None:
    hub, bakery = bakery_hub
    page = browser(hub, recruiter_session(hub, bakery.id, "anne@example.org"))
    camille = bakery.ids[0]
    for typed in ("QX7M4P", "qx7 m4p", " Qx7-M4p ", "qx7.m4p"):
        found = page.get("/recruiters/inbox", params={"reference": typed})
        assert found.status_code == 200
        assert f'id="application-{camille}"' in found.text, typed
        assert not any(f'id="application-{a}"' in found.text for a in bakery.ids[1:])
    unknown = page.get("/recruiters/inbox", params={"reference": "AAAAAA"})
    assert "Aucune candidature" in unknown.text
    invalid = page.get("/recruiters/inbox", params={"reference": "hello!"})
    assert 'role="alert"' in invalid.text
    assert not any(f'id="application-{a}"' in invalid.text for a in bakery.ids)


def test_the_export_holds_the_organisations_applications_in_safe_cells(
    bakery_hub: tuple[RunningHub, Organisation],
) -> None:
    hub, bakery = bakery_hub
    token = hub.enrol("gare-09")
    risky = apply(hub, token, "gare-09", bakery, Person("=HYPERLINK(1)", "Nom", "0612345678", ""))
    page = browser(hub, recruiter_session(hub, bakery.id, "anne@example.org"))
    csrf = csrf_of(page.get("/recruiters/inbox"))
    page.post(
        f"/recruiters/applications/{bakery.ids[0]}/status", data={"status": "hired", "csrf": csrf}
    )

    exported = page.get("/recruiters/export.csv")

    assert exported.status_code == 200
    assert exported.headers["content-type"] == "text/csv; charset=utf-8"
    assert "candidatures-boulangerie.csv" in exported.headers["content-disposition"]
    assert exported.headers["cache-control"] == "no-store"
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert {row["application_id"] for row in rows} == set(bakery.ids)
    by_id = {row["application_id"]: row for row in rows}
    assert by_id[bakery.ids[0]]["status"] == "hired"
    assert by_id[bakery.ids[0]]["reference"] == "QX7M4P"
    assert by_id[bakery.ids[0]]["first_name"] == "Camille"
    assert by_id[risky]["first_name"] == "'=HYPERLINK(1)"


def test_the_purge_erases_the_person_and_keeps_statuses_and_history(
    bakery_hub: tuple[RunningHub, Organisation],
) -> None:
    hub, bakery = bakery_hub
    session = recruiter_session(hub, bakery.id, "anne@example.org")
    page = browser(hub, session)
    camille = bakery.ids[0]
    csrf = csrf_of(page.get("/recruiters/inbox"))
    page.post(f"/recruiters/applications/{camille}/status", data={"status": "hired", "csrf": csrf})
    hired = _row(hub, camille)

    hub.clock.advance(91 * 86400)
    hub.services.purge()
    session = recruiter_session(hub, bakery.id, "anne@example.org")  # the old one expired
    page = browser(hub, session)

    row = _row(hub, camille)
    assert row.sealed is None and row.purged_at is not None
    assert (row.status, row.status_at, row.first_contact_at) == (
        "hired",
        hired.status_at,
        hired.first_contact_at,
    )
    assert [e[0] for e in _events(hub, row.id)] == ["hired"]
    inbox = page.get("/recruiters/inbox")
    assert PURGED in inbox.text
    for person in (CAMILLE, DOMINIQUE, SACHA):
        assert person.first_name not in inbox.text
        assert person.reference not in inbox.text
    shown = page.get(f"/recruiters/applications/{camille}")
    assert PURGED in shown.text
    assert "Recrutée" in shown.text and "tel:" not in shown.text
    assert "Camille" not in shown.text


def test_forms_without_their_token_are_refused(
    bakery_hub: tuple[RunningHub, Organisation],
) -> None:
    hub, bakery = bakery_hub
    page = browser(hub, recruiter_session(hub, bakery.id, "anne@example.org"))
    camille = bakery.ids[0]
    for data in ({"status": "hired"}, {"status": "hired", "csrf": "forged"}):
        refused = page.post(f"/recruiters/applications/{camille}/status", data=data)
        assert refused.status_code == 403
        assert "Rechargez la page" in refused.text
    assert page.post("/recruiters/sign-out", data={}).status_code == 403
    assert _row(hub, camille).status == "new"
    assert page.get("/recruiters/inbox").status_code == 200  # still signed in
    # Another recruiter's token does not fit this session.
    other = browser(hub, recruiter_session(hub, bakery.id, "paul@example.org", "Paul Test"))
    foreign = csrf_of(other.get("/recruiters/inbox"))
    assert (
        page.post(
            f"/recruiters/applications/{camille}/status",
            data={"status": "hired", "csrf": foreign},
        ).status_code
        == 403
    )
    assert _row(hub, camille).status == "new"


def test_an_idle_or_expired_session_goes_back_to_the_sign_in(
    bakery_hub: tuple[RunningHub, Organisation],
) -> None:
    hub, bakery = bakery_hub
    section = hub.services.settings.config.recruiters
    page = browser(hub, recruiter_session(hub, bakery.id, "anne@example.org"))
    assert page.get("/recruiters/inbox").status_code == 200

    hub.clock.advance(section.idle_minutes * 60 + 1)

    for path in ("/recruiters/inbox", f"/recruiters/applications/{bakery.ids[0]}"):
        gone = page.get(path)
        assert gone.status_code == 303
        assert gone.headers["location"] == "/recruiters/sign-in"
    assert page.get("/recruiters/export.csv").status_code == 303
    asked = page.get("/recruiters/inbox", headers={"Accept": "application/json"})
    assert asked.status_code == 401
    assert asked.json()["error"] == "unauthorised"
    assert _row(hub, bakery.ids[0]).opened == 0
    assert page.get("/recruiters/sign-in").status_code == 200


def test_a_signed_in_recruiter_has_their_own_rate_limit(
    tmp_path: Path, sqlite_database: str
) -> None:
    """Recruiters of one office share its address: a live session picks its own bucket, an
    invented cookie takes from the address's like any anonymous request."""
    config = HubConfig(limits=LimitsSection(anonymous_per_s=0.001, anonymous_burst=3))
    hub = start_hub(sqlite_database, tmp_path, config, limits_clock=FakeClock(0.0))
    try:
        bakery = organisation(hub, "boulangerie", "Boulangerie Martin", "b-1", "Vendeur·se")
        page = browser(hub, recruiter_session(hub, bakery.id, "anne@example.org"))
        forged = browser(hub, "kr_invented")
        assert [forged.get("/recruiters/inbox").status_code for _ in range(4)] == [
            303,
            303,
            303,
            429,
        ]
        assert [page.get("/recruiters/inbox").status_code for _ in range(10)] == [200] * 10
    finally:
        hub.stop()


def test_counts_stop_at_the_cap() -> None:
    assert shown_count(7) == "7"
    assert shown_count(COUNT_CAP) == "1\u202f000"
    assert shown_count(COUNT_CAP + 1) == "1\u202f000+"
    assert shown_total({"new": 3, "hired": 2}) == "5"
    assert shown_total({"new": COUNT_CAP + 1, "hired": 2}) == "1\u202f002+"


def test_too_many_sign_in_attempts_are_refused_in_french(
    tmp_path: Path, sqlite_database: str
) -> None:
    config = HubConfig(limits=GENEROUS, recruiters=RecruitersSection(sign_in_per_minute=2))
    hub = start_hub(sqlite_database, tmp_path, config)
    try:
        page = browser(hub)
        form = {"email": "x@example.org", "password": "nope"}
        form["csrf"] = csrf_of(page.get("/recruiters/sign-in"))
        tries = [page.post("/recruiters/sign-in", data=form) for _ in range(3)]
        assert [answer.status_code for answer in tries] == [401, 401, 429]
        assert 'role="alert"' in tries[-1].text and "Trop de tentatives" in tries[-1].text
        assert int(tries[-1].headers["retry-after"]) >= 1
        assert tries[-1].headers["content-type"].startswith("text/html")
    finally:
        hub.stop()


def test_a_sign_in_form_from_elsewhere_is_refused(tmp_path: Path, sqlite_database: str) -> None:
    hub = start_hub(sqlite_database, tmp_path)
    try:
        organisation = hub.services.accounts.create_organisation("boulangerie", "Boulangerie")
        recruiter_session(hub, organisation, "anne@example.org")  # an account that exists
        credentials = {"email": "anne@example.org", "password": PASSWORD}
        # Another site's page posting the form: no cookie of ours, no token.
        forged = browser(hub).post("/recruiters/sign-in", data=credentials)
        assert forged.status_code == 403
        assert RECRUITER_COOKIE + "=" not in forged.headers.get("set-cookie", "")
        assert "Ce formulaire a expiré" in forged.text and 'role="alert"' in forged.text
        # A token copied from another browser does not fit this one's cookie.
        stolen = csrf_of(browser(hub).get("/recruiters/sign-in"))
        page = browser(hub)
        page.get("/recruiters/sign-in")
        refused = page.post("/recruiters/sign-in", data={**credentials, "csrf": stolen})
        assert refused.status_code == 403
        assert RECRUITER_COOKIE + "=" not in refused.headers.get("set-cookie", "")
        # The form the refusal comes back with signs in.
        signed_in = page.post("/recruiters/sign-in", data={**credentials, "csrf": csrf_of(refused)})
        assert signed_in.status_code == 303
        assert signed_in.headers["location"] == "/recruiters/inbox"
    finally:
        hub.stop()
