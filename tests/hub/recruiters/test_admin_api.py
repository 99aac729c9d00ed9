"""The operator's JSON API for organisations, over HTTP against the real server: only an
operator's token, the hub's error format, invitations answered once, rules moving offers."""

from __future__ import annotations

import uuid

from tests.conftest import ft_record
from tests.hub.conftest import RunningHub, put_application, submission
from tests.hub.recruiters.conftest import PASSWORD
from tests.hub.recruiters.test_ownership import ingest

BASE = "/v1/admin/organisations"


def test_only_operators_reach_the_organisations(sqlite_hub: RunningHub) -> None:
    hub = sqlite_hub
    terminal = hub.enrol("gare-01")
    for client, status in ((hub.client(), 401), (hub.client(terminal), 403)):
        answer = client.get(BASE)
        assert answer.status_code == status
        assert set(answer.json()) == {"error", "message", "details"}
        assert client.post(BASE, json={"slug": "x", "name": "X"}).status_code == status
    assert hub.client("ko_invented").get(f"{BASE}/x/rules").status_code == 401


def test_an_operator_sets_up_an_organisation_over_the_api(hub: RunningHub) -> None:
    admin = hub.admin
    created = admin.post(BASE, json={"slug": "hotel-du-parc", "name": "Hôtel du Parc"})
    assert created.status_code == 201, created.text
    assert created.json() == {
        "slug": "hotel-du-parc",
        "name": "Hôtel du Parc",
        "spontaneous": False,
        "recruiters": 0,
        "offers": 0,
        "created_at": "2026-11-20T12:00:00Z",
    }
    again = admin.post(BASE, json={"slug": "hotel-du-parc", "name": "Autre"})
    assert (again.status_code, again.json()["error"]) == (409, "conflict")
    bad = admin.post(BASE, json={"slug": "Hôtel", "name": "X"})
    assert (bad.status_code, bad.json()["details"][0]["field"]) == (422, "body.slug")
    assert admin.post(BASE, json={"slug": "agence", "name": "Agence"}).status_code == 201
    assert admin.post(f"{BASE}/agence/spontaneous").status_code == 204
    assert admin.get(f"{BASE}/nobody").status_code == 404

    # A recruiter invited: the link (shown this once) works on the hub's own address.
    invited = admin.post(
        f"{BASE}/hotel-du-parc/recruiters",
        json={"email": "Anne@Example.org", "name": "Anne Exemple"},
    )
    assert invited.status_code == 201, invited.text
    assert invited.headers["cache-control"] == "no-store"
    link = invited.json()["invitation_url"]
    assert link.startswith(f"{hub.url}/recruiters/invitation/ki_")
    assert invited.json()["expires_at"] == "2026-11-27T12:00:00Z"
    token = link.rsplit("/", 1)[1]
    assert hub.services.accounts.invitation(token) == ("Anne Exemple", "Hôtel du Parc")
    hub.services.accounts.accept_invitation(token, PASSWORD)
    elsewhere = admin.post(
        f"{BASE}/agence/recruiters", json={"email": "anne@example.org", "name": "Anne"}
    )
    assert elsewhere.status_code == 409
    assert "anne" not in elsewhere.text.lower()
    not_an_address = admin.post(f"{BASE}/agence/recruiters", json={"email": "nope", "name": "Anne"})
    assert not_an_address.status_code == 422

    # Offers given by a rule, with the application already received for one of them.
    ingest(
        hub.services,
        [ft_record(id="O1", entreprise={"nom": "HÔTEL DU PARC"}), ft_record(id="O2")],
        "francetravail",
    )
    key = uuid.uuid4()
    terminal = hub.enrol("gare-01")
    body = submission(hub.services.keys.public_key, key, "gare-01", ("francetravail", "O1"))
    assert put_application(hub.client(terminal), key, body).status_code == 201
    added = admin.post(
        f"{BASE}/hotel-du-parc/rules", json={"kind": "company", "value": "Hôtel du Parc"}
    )
    assert added.status_code == 201, added.text
    change = added.json()
    assert (change["offers"], change["applications"]) == (1, 1)
    assert change["rule"]["value"] == "hotel du parc"
    taken = admin.post(f"{BASE}/agence/rules", json={"kind": "company", "value": "hotel du parc"})
    assert taken.status_code == 409
    wrong = admin.post(f"{BASE}/agence/rules", json={"kind": "siret", "value": "12"})
    assert wrong.status_code == 422
    source = admin.post(f"{BASE}/agence/rules", json={"kind": "source", "value": "francetravail"})
    assert source.status_code == 201

    detail = admin.get(f"{BASE}/hotel-du-parc").json()
    assert detail["organisation"]["offers"] == 1
    assert detail["organisation"]["recruiters"] == 1
    (recruiter,) = detail["recruiters"]
    assert (recruiter["email"], recruiter["state"]) == ("anne@example.org", "active")
    assert recruiter["invitation_expires_at"] is None
    assert [r["kind"] for r in detail["rules"]] == ["company"]
    listed = admin.get(BASE).json()["organisations"]
    assert [(o["slug"], o["offers"], o["spontaneous"]) for o in listed] == [
        ("agence", 1, True),
        ("hotel-du-parc", 1, False),
    ]

    # The rule taken back: the offer and its application go to the source's organisation.
    rule_id = change["rule"]["id"]
    assert admin.delete(f"{BASE}/agence/rules/{rule_id}").status_code == 404
    removed = admin.delete(f"{BASE}/hotel-du-parc/rules/{rule_id}")
    assert removed.status_code == 200
    assert (removed.json()["offers"], removed.json()["applications"]) == (1, 1)
    assert admin.get(f"{BASE}/hotel-du-parc/rules").json() == {"rules": []}

    # Disabled: gone from the active count, sessions ended.
    session = hub.services.accounts.sign_in("anne@example.org", PASSWORD, "127.0.0.1")
    assert admin.post(f"{BASE}/agence/recruiters/{recruiter['id']}/disable").status_code == 404
    assert (
        admin.post(f"{BASE}/hotel-du-parc/recruiters/{recruiter['id']}/disable").status_code == 204
    )
    assert hub.services.accounts.identify(session) is None
    states = admin.get(f"{BASE}/hotel-du-parc/recruiters").json()["recruiters"]
    assert [r["state"] for r in states] == ["disabled"]
