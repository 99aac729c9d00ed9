"""Organisations with offers, recruiters and applications on a running hub, for the tests of
the recruiters' pages: applications arrive through the terminals' API, as in production."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy import insert

from hub.models import OfferRecord
from hub.offers import OFFER_SEQ, lock_counter, set_counter
from hub.recruiters.guard import COOKIE_PATH, RECRUITER_COOKIE
from tests.hub.conftest import RunningHub, application_plaintext, put_application, submission
from tests.hub.recruiters.conftest import PASSWORD


@dataclass(frozen=True, slots=True)
class Person:
    """Someone who applied (invented)."""

    first_name: str
    last_name: str
    phone: str
    reference: str
    language: str = "fr"
    answers: dict[str, Any] = field(default_factory=dict)


@dataclass
class Organisation:
    """An organisation of the test, its offer, and the applications it received."""

    id: int
    slug: str
    name: str
    offer: tuple[str, str]
    offer_title: str
    applications: list[tuple[str, Person]] = field(default_factory=list)  # (uuid, who)

    @property
    def ids(self) -> list[str]:
        return [application_id for application_id, _ in self.applications]


def add_offer(hub: RunningHub, offer: tuple[str, str], title: str, organisation_id: int) -> None:
    """An offer owned by the organisation, straight into the offers table (numbered like any
    change, so that offers written later by the hub come after it)."""
    now = int(hub.clock())
    with hub.services.db.write() as connection:
        seq = lock_counter(connection, OFFER_SEQ) + 1
        set_counter(connection, OFFER_SEQ, seq)
        connection.execute(
            insert(OfferRecord).values(
                source=offer[0],
                external_id=offer[1],
                format="jobposting",
                title=title,
                raw="{}",
                content_hash="0" * 32,
                seq=seq,
                withdrawn=False,
                changed_at=now,
                organisation_id=organisation_id,
            )
        )


def organisation(hub: RunningHub, slug: str, name: str, offer_id: str, title: str) -> Organisation:
    """A new organisation owning one offer."""
    organisation_id = hub.services.accounts.create_organisation(slug, name)
    offer = ("posted", offer_id)
    add_offer(hub, offer, title, organisation_id)
    return Organisation(organisation_id, slug, name, offer, title)


def apply(
    hub: RunningHub, terminal_token: str, terminal_id: str, to: Organisation, person: Person
) -> str:
    """A terminal delivers `person`'s application to the organisation's offer; its UUID."""
    application_id = uuid.uuid4()
    content = application_plaintext(
        application_id,
        offer={"source": to.offer[0], "id": to.offer[1], "title": to.offer_title},
        first_name=person.first_name,
        last_name=person.last_name,
        phone=person.phone,
        language=person.language,
        answers=person.answers,
        reference=person.reference,
        kind="application",
    )
    body = submission(
        hub.services.keys.public_key,
        application_id,
        terminal_id,
        offer=to.offer,
        plaintext=content,
    )
    answer = put_application(hub.client(terminal_token), application_id, body)
    assert answer.status_code == 201, answer.text
    to.applications.append((str(application_id), person))
    return str(application_id)


def recruiter_session(
    hub: RunningHub, organisation_id: int, email: str, name: str = "Anne Exemple"
) -> str:
    """An active recruiter of the organisation, signed in: their session token."""
    token = hub.services.accounts.invite(organisation_id, email, name)
    return hub.services.accounts.accept_invitation(token, PASSWORD)


def browser(hub: RunningHub, session: str | None = None) -> httpx.Client:
    """A client that does not follow redirects, holding the session cookie if given."""
    client = httpx.Client(base_url=hub.url, follow_redirects=False, timeout=30)
    hub.clients.append(client)
    if session is not None:
        client.cookies.set(RECRUITER_COOKIE, session, path=COOKIE_PATH)
    return client


def csrf_of(page: httpx.Response) -> str:
    """The anti-forgery token of a page's forms."""
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found is not None, "the page has no form token"
    return found.group(1)
