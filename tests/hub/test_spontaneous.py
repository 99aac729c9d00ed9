"""Spontaneous applications at the hub: delivered like any application (offer
`spontaneous/<siret>.<rome>`), given to the organisation the operator designates, read there
with the firm and the trade (never by another organisation), announced by mail; without such
an organisation they wait, unassigned, for the operator."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from hub.models import Application
from tests.hub.conftest import (
    PARIS,
    RunningHub,
    application_plaintext,
    put_application,
    start_hub,
    submission,
)
from tests.hub.firms_seed import firms_config, seed_firms, spontaneous_organisation
from tests.hub.recruiters.inbox_seed import browser, organisation, recruiter_session
from tests.hub.recruiters.test_notify import (
    Mailbox,
    batches,
    local,
    notifier,
    sign_in_to_fleet,
    smtp_server,
)

FIRM = {
    "siret": "12345678900012",
    "name": "Boulangerie Martin",
    "city": "Paris",
    "rome": "D1102",
    "trade": "Boulangerie - viennoiserie",
}


def send_spontaneous(hub: RunningHub, token: str, firm: dict[str, Any] = FIRM) -> str:
    """A terminal delivers a spontaneous application for `firm`, as the contract says."""
    application_id = uuid.uuid4()
    offer_id = f"{firm['siret']}.{firm['rome']}"
    content = application_plaintext(
        application_id,
        offer={"source": "spontaneous", "id": offer_id, "title": firm["trade"]},
        first_name="Zéphyrine",
        last_name="Quatrebarbe",
        reference="QX7M4P",
        kind="spontaneous",
        firm=firm,
    )
    body = submission(
        hub.services.keys.public_key,
        application_id,
        "gare-01",
        offer=("spontaneous", offer_id),
        plaintext=content,
    )
    answer = put_application(hub.client(token), application_id, body)
    assert answer.status_code == 201, answer.text
    return str(application_id)


def owner(hub: RunningHub, application_id: str) -> int | None:
    with hub.services.db.read() as connection:
        return connection.scalar(
            select(Application.organisation_id).where(Application.application_id == application_id)
        )


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    with smtp_server() as box:
        yield box


def test_it_reaches_the_designated_organisation_only_and_is_announced(
    database_url: str, tmp_path: Path, mailbox: Mailbox
) -> None:
    config = firms_config().model_copy(update={"smtp": local(mailbox.port, batch_minutes=0)})
    hub = start_hub(database_url, tmp_path, config=config)
    try:
        seed_firms(hub.services.db)
        agency = spontaneous_organisation(hub)
        bakery = organisation(hub, "boulangerie", "Boulangerie Martin", "b-1", "Vendeur·se")
        token = hub.enrol("gare-01", PARIS, 10)
        application_id = send_spontaneous(hub, token)
        assert owner(hub, application_id) == agency  # never the firm, nor its organisation

        reader = browser(hub, recruiter_session(hub, agency, "anne@agence.example"))
        inbox = reader.get("/recruiters/inbox")
        assert inbox.status_code == 200
        card = inbox.text[inbox.text.index(f'id="application-{application_id}"') :]
        assert "Zéphyrine Quatrebarbe" in card
        assert (
            "Candidature spontanée — Boulangerie - viennoiserie · Boulangerie Martin (Paris)"
            in card
        )
        page = reader.get(f"/recruiters/applications/{application_id}")
        assert page.status_code == 200
        text = re.sub(r"\s+", " ", page.text)
        assert "<dt>Type</dt><dd>Candidature spontanée</dd>" in text
        assert "Boulangerie Martin, Paris" in text and "SIRET 12345678900012" in text
        assert "<dt>Métier</dt><dd>Boulangerie - viennoiserie</dd>" in text
        exported = reader.get("/recruiters/export.csv").content.decode("utf-8-sig")
        assert "Candidature spontanée — Boulangerie - viennoiserie · Boulangerie Martin" in exported

        # Another organisation (even the firm's own) neither lists nor opens it.
        other = browser(hub, recruiter_session(hub, bakery.id, "bruno@boulangerie.example"))
        assert application_id not in other.get("/recruiters/inbox").text
        assert other.get(f"/recruiters/applications/{application_id}").status_code == 404

        # The agency's recruiters hear of it, with the firm and trade, never the person.
        hub.clock.advance(60)
        outcomes = notifier(hub).run_due()
        assert [(o.organisation_id, o.state) for o in outcomes] == [(agency, "sent")]
    finally:
        hub.stop()
    mail = mailbox.to("anne@agence.example")[0]
    plain = mail.part("plain")
    assert "Candidature spontanée — Boulangerie - viennoiserie · Boulangerie Martin (Paris)" in (
        plain
    )
    assert "Zéphyrine" not in plain and "Quatrebarbe" not in plain
    assert not mailbox.to("bruno@boulangerie.example")


def test_without_a_designated_organisation_it_waits_for_the_operator(
    sqlite_database: str, tmp_path: Path
) -> None:
    hub = start_hub(sqlite_database, tmp_path, config=firms_config())
    try:
        token = hub.enrol("gare-01", PARIS, 10)
        fleet = sign_in_to_fleet(hub)
        listed = fleet.get("/fleet/organisations")
        assert 'id="no-spontaneous"' in listed.text
        # The firm is not in the hub's table (gone since): the sealed firm still names it.
        application_id = send_spontaneous(
            hub, token, FIRM | {"siret": "99999999900099", "name": "Atelier Disparu"}
        )
        assert owner(hub, application_id) is None
        seen = hub.admin.get("/v1/admin/applications", params={"offer_source": "spontaneous"})
        assert [a["application_id"] for a in seen.json()["applications"]] == [application_id]
        assert seen.json()["applications"][0]["application"]["firm"]["name"] == "Atelier Disparu"
        # The fleet page names it by what the hub knows (no firm, no ROME list here).
        assert "Candidature spontanée — D1102 · SIRET 99999999900099" in fleet.get("/fleet").text

        # Once the operator designates one, the waiting application is its own, and its
        # recruiters hear of it in their next mail.
        agency = spontaneous_organisation(hub)
        assert owner(hub, application_id) == agency
        assert [(b["organisation_id"], b["counts"]) for b in batches(hub)] == [
            (agency, {"spontaneous/99999999900099.D1102": 1})
        ]
        assert 'id="no-spontaneous"' not in fleet.get("/fleet/organisations").text
        reader = browser(hub, recruiter_session(hub, agency, "anne@agence.example"))
        page = reader.get(f"/recruiters/applications/{application_id}")
        assert "Atelier Disparu, Paris" in page.text and "SIRET 99999999900099" in page.text
    finally:
        hub.stop()
