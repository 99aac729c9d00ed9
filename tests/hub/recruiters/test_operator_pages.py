"""The operator's organisation pages over HTTP (real server): behind the fleet login, forms
protected from forgery, the invitation link shown once, rules moving offers."""

from __future__ import annotations

import re

import httpx

from tests.conftest import ft_record
from tests.hub.conftest import RunningHub
from tests.hub.recruiters.test_ownership import ingest
from tests.hub.test_fleet import _login


def test_the_pages_need_the_fleet_login(sqlite_hub: RunningHub) -> None:
    browser = httpx.Client(base_url=sqlite_hub.url, follow_redirects=False)
    sqlite_hub.clients.append(browser)
    assert browser.get("/fleet/organisations").headers["location"] == "/fleet/login"
    assert browser.get("/fleet/organisations/x").headers["location"] == "/fleet/login"
    refused = browser.post("/fleet/organisations", data={"slug": "x", "name": "X", "csrf": "a"})
    assert refused.status_code == 401


def test_an_operator_sets_up_an_organisation_in_the_pages(hub: RunningHub) -> None:
    browser, csrf = _login(hub)
    assert 'href="/fleet/organisations"' in browser.get("/fleet").text
    page = browser.get("/fleet/organisations")
    assert page.status_code == 200
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert 'id="no-organisations"' in page.text

    forged = browser.post("/fleet/organisations", data={"slug": "a", "name": "A", "csrf": "x"})
    assert forged.status_code == 403
    bad = browser.post(
        "/fleet/organisations", data={"slug": "Pas Bon", "name": "Hôtel", "csrf": csrf}
    )
    assert bad.status_code == 422
    assert 'role="alert"' in bad.text and 'value="Pas Bon"' in bad.text
    created = browser.post(
        "/fleet/organisations",
        data={"slug": "hotel-du-parc", "name": "Hôtel <du> Parc", "csrf": csrf},
    )
    assert created.status_code == 303
    assert created.headers["location"] == "/fleet/organisations/hotel-du-parc?done=created"
    page = browser.get(created.headers["location"])
    assert "Organisation created" in page.text
    assert "Hôtel &lt;du&gt; Parc" in page.text  # escaped

    # The invitation: its link on the page once, working; not on the next load.
    invited = browser.post(
        "/fleet/organisations/hotel-du-parc/invite",
        data={"name": "Anne Exemple", "email": "anne@example.org", "csrf": csrf},
    )
    assert invited.status_code == 200
    link = re.search(r'id="invitation-url">([^<]+)<', invited.text)
    assert link is not None
    assert link.group(1).startswith(f"{hub.url}/recruiters/invitation/ki_")
    token = link.group(1).rsplit("/", 1)[1]
    assert hub.services.accounts.invitation(token) == ("Anne Exemple", "Hôtel <du> Parc")
    again = browser.get("/fleet/organisations/hotel-du-parc")
    assert token not in again.text
    assert "anne@example.org" in again.text and "invited" in again.text
    wrong = browser.post(
        "/fleet/organisations/hotel-du-parc/invite",
        data={"name": "Paul", "email": "paul at example", "csrf": csrf},
    )
    assert wrong.status_code == 422
    assert 'id="invite-problem"' in wrong.text

    # Offers given by a rule, and taken back.
    ingest(
        hub.services,
        [ft_record(id="O1", entreprise={"nom": "HOTEL DU PARC"}), ft_record(id="O2")],
        "francetravail",
    )
    added = browser.post(
        "/fleet/organisations/hotel-du-parc/rules",
        data={"kind": "company", "value": "Hôtel du Parc", "csrf": csrf},
    )
    assert added.status_code == 303
    page = browser.get(added.headers["location"])
    assert "1 offer and 0 applications changed hands." in page.text
    assert re.search(r'id="offers-count">1<', page.text)
    refused = browser.post(
        "/fleet/organisations/hotel-du-parc/rules",
        data={"kind": "siret", "value": "123", "csrf": csrf},
    )
    assert refused.status_code == 422
    assert 'id="rule-problem"' in refused.text and "14 digits" in refused.text
    rule_id = hub.services.ownership.rules()[0].id
    removed = browser.post(
        f"/fleet/organisations/hotel-du-parc/rules/{rule_id}/remove", data={"csrf": csrf}
    )
    assert removed.status_code == 303
    assert "Rule removed" in browser.get(removed.headers["location"]).text
    assert hub.services.ownership.rules() == []

    # Spontaneous applications, and a recruiter disabled.
    spontaneous = browser.post(
        "/fleet/organisations/hotel-du-parc/spontaneous", data={"csrf": csrf}
    )
    assert spontaneous.status_code == 303
    found = hub.services.accounts.recruiter_by_email("anne@example.org")
    assert found is not None
    disabled = browser.post(
        f"/fleet/organisations/hotel-du-parc/recruiters/{found[0]}/disable", data={"csrf": csrf}
    )
    assert disabled.status_code == 303
    page = browser.get(disabled.headers["location"])
    assert "Recruiter disabled" in page.text
    assert f'id="disable-{found[0]}"' not in page.text
    assert hub.services.accounts.invitation(token) is None

    listing = browser.get("/fleet/organisations").text
    row = re.search(r'<tr id="organisation-hotel-du-parc">(.*?)</tr>', listing, re.S)
    assert row is not None
    assert ">0</td>" in row.group(1) and ">yes</td>" in row.group(1)
    assert browser.get("/fleet/organisations/nobody").status_code == 404
    assert (
        browser.post(
            "/fleet/organisations/hotel-du-parc/recruiters/999/disable", data={"csrf": csrf}
        ).status_code
        == 404
    )
