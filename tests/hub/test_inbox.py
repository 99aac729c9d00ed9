"""The applications inbox: once per UUID forever, replays answered alike, conflicts refused,
sealed at rest, opened for operators, exported per offer, purged after retention."""

from __future__ import annotations

import csv
import hashlib
import io
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy import func, select

from hub.errors import ApiError
from hub.models import Application
from tests.hub.conftest import RunningHub, application_plaintext, put_application, submission


def _rows(hub: RunningHub) -> int:
    with hub.services.db.read() as connection:
        return int(connection.scalar(select(func.count()).select_from(Application)) or 0)


def test_first_delivery_creates_and_a_replay_gets_the_same_answer(hub: RunningHub) -> None:
    client = hub.client(hub.enrol("gare-01"))
    key = uuid.uuid4()
    body = submission(hub.services.keys.public_key, key, "gare-01")
    first = put_application(client, key, body)
    assert first.status_code == 201, first.text
    assert first.json()["application_id"] == str(key)
    assert first.json()["status"] == "received"
    hub.clock.advance(3 * 86400)  # the terminal comes back days later
    replay = put_application(client, key, body)
    assert replay.status_code == 200
    assert replay.json() == first.json()
    # POST is the same operation.
    posted = client.post(
        f"/v1/applications/{key}", json=body, headers={"Idempotency-Key": f'"{key}"'}
    )
    assert posted.status_code == 200
    assert posted.json() == first.json()
    assert _rows(hub) == 1


def test_another_body_under_a_known_uuid_is_refused(hub: RunningHub) -> None:
    client = hub.client(hub.enrol("gare-01"))
    key = uuid.uuid4()
    put_application(client, key, submission(hub.services.keys.public_key, key, "gare-01"))
    other = submission(hub.services.keys.public_key, key, "gare-01", offer=("francetravail", "X"))
    conflict = put_application(client, key, other)
    assert conflict.status_code == 409
    assert conflict.json()["error"] == "idempotency_conflict"
    # Another terminal replaying the UUID is refused as well, and learns nothing more.
    stranger = hub.client(hub.enrol("gare-02"))
    theirs = submission(hub.services.keys.public_key, key, "gare-02")
    assert put_application(stranger, key, theirs).status_code == 409
    assert _rows(hub) == 1


def test_concurrent_replays_store_one_application(hub: RunningHub) -> None:
    token = hub.enrol("gare-01")
    key = uuid.uuid4()
    body = submission(hub.services.keys.public_key, key, "gare-01")
    start = threading.Barrier(12)

    def deliver(_: int) -> httpx.Response:
        with httpx.Client(
            base_url=hub.url, headers={"Authorization": f"Bearer {token}"}, timeout=30
        ) as client:
            start.wait()
            return put_application(client, key, body)

    with ThreadPoolExecutor(12) as pool:
        answers = list(pool.map(deliver, range(12)))
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [200] * 11 + [201]
    assert len({a.content for a in answers}) == 1
    assert _rows(hub) == 1


def test_concurrent_conflicting_bodies_keep_the_first(hub: RunningHub) -> None:
    token = hub.enrol("gare-01")
    key = uuid.uuid4()
    bodies = [
        submission(hub.services.keys.public_key, key, "gare-01", offer=("francetravail", f"O{i}"))
        for i in range(8)
    ]
    start = threading.Barrier(8)

    def deliver(i: int) -> httpx.Response:
        with httpx.Client(
            base_url=hub.url, headers={"Authorization": f"Bearer {token}"}, timeout=30
        ) as client:
            start.wait()
            return put_application(client, key, bodies[i])

    with ThreadPoolExecutor(8) as pool:
        statuses = sorted(a.status_code for a in pool.map(deliver, range(8)))
    assert statuses == [201] + [409] * 7
    assert _rows(hub) == 1


def test_deliveries_that_cannot_be_right_are_refused_with_a_reason(hub: RunningHub) -> None:
    client = hub.client(hub.enrol("gare-01"))
    hub.enrol("gare-02")
    key = uuid.uuid4()
    public = hub.services.keys.public_key
    good = submission(public, key, "gare-01")

    def put(body: dict[str, object], headers: dict[str, str] | None = None) -> httpx.Response:
        return client.put(
            f"/v1/applications/{key}",
            json=body,
            headers={"Idempotency-Key": str(key)} if headers is None else headers,
        )

    assert put(good, {}).json()["error"] == "idempotency_key"
    assert put(good, {"Idempotency-Key": str(uuid.uuid4())}).status_code == 400
    assert put(submission(public, key, "gare-02")).json()["error"] == "wrong_terminal"
    sealed_for_another = submission(public, uuid.uuid4(), "gare-01")
    refused = put(sealed_for_another)
    assert refused.status_code == 422
    assert refused.json()["error"] == "unsealable"
    assert put(good | {"sealed": "not base64!"}).status_code == 422
    assert put(good | {"sealed": "AAAA"}).status_code == 422
    assert put(good | {"created_at": "2026-11-20T11:58:00"}).status_code == 422
    assert put(good | {"offer_source": "Bad Source"}).status_code == 422
    assert client.put("/v1/applications/not-a-uuid", json=good).status_code == 422
    assert _rows(hub) == 0
    assert put(good).status_code == 201


def test_operators_read_and_export_applications_per_offer(hub: RunningHub) -> None:
    from hub.ingest import ingest_payload  # noqa: PLC0415
    from tests.conftest import ft_record  # noqa: PLC0415

    ingest_payload(hub.services.offers, [ft_record(id="100AAAA")])
    client = hub.client(hub.enrol("gare-01"))
    public = hub.services.keys.public_key
    keys = [uuid.uuid4() for _ in range(3)]
    for i, key in enumerate(keys):
        content = application_plaintext(key, first_name=f"Prénom{i}", phone="=HYPERLINK(1)")
        offer = ("francetravail", "100AAAA") if i < 2 else ("francetravail", "200BBBB")
        put_application(client, key, submission(public, key, "gare-01", offer, content))
        hub.clock.advance(60)
    listed = hub.admin.get(
        "/v1/admin/applications", params={"offer_source": "francetravail", "offer_id": "100AAAA"}
    ).json()["applications"]
    assert [a["application_id"] for a in listed] == [str(keys[1]), str(keys[0])]
    assert listed[0]["application"]["first_name"] == "Prénom1"
    assert listed[0]["offer_title"] == "Serveur / Serveuse en restauration (H/F)"
    per_offer = hub.admin.get("/v1/admin/offers/applications").json()["offers"]
    assert [(o["offer_id"], o["applications"]) for o in per_offer] == [
        ("200BBBB", 1),
        ("100AAAA", 2),
    ]
    exported = hub.admin.get(
        "/v1/admin/applications/export",
        params={"format": "csv", "offer_source": "francetravail", "offer_id": "100AAAA"},
    )
    assert exported.headers["content-type"].startswith("text/csv")
    assert "attachment" in exported.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert [r["first_name"] for r in rows] == ["Prénom1", "Prénom0"]
    assert rows[0]["phone"] == "'=HYPERLINK(1)"  # a spreadsheet must not run it
    assert rows[0]["answers"] == '{"available_now":true,"experience":false,"driving_licence":true}'
    as_json = hub.admin.get("/v1/admin/applications/export", params={"format": "json"}).json()
    assert len(as_json["applications"]) == 3


def test_the_body_stays_sealed_at_rest(hub: RunningHub) -> None:
    client = hub.client(hub.enrol("gare-01"))
    key = uuid.uuid4()
    put_application(client, key, submission(hub.services.keys.public_key, key, "gare-01"))
    with hub.services.db.read() as connection:
        stored = connection.scalar(select(Application.sealed))
    assert stored is not None
    assert b"Camille" not in bytes(stored)
    assert b"06 00" not in bytes(stored)


def test_retention_drops_the_body_but_a_replay_still_gets_its_answer(hub: RunningHub) -> None:
    client = hub.client(hub.enrol("gare-01"))
    old, recent = uuid.uuid4(), uuid.uuid4()
    public = hub.services.keys.public_key
    old_body = submission(public, old, "gare-01")
    first = put_application(client, old, old_body)
    hub.clock.advance(80 * 86400)
    put_application(client, recent, submission(public, recent, "gare-01"))
    hub.clock.advance(11 * 86400)
    assert hub.admin.post("/v1/admin/purge").json()["applications"] == 1
    views = {
        a["application_id"]: a
        for a in hub.admin.get("/v1/admin/applications").json()["applications"]
    }
    assert views[str(old)]["purged"] is True
    assert views[str(old)]["application"] is None
    assert views[str(recent)]["application"]["first_name"] == "Camille"
    replay = put_application(client, old, old_body)
    assert replay.status_code == 200
    assert replay.json() == first.json()


def _with_reference(hub: RunningHub, key: uuid.UUID, reference: str | None) -> dict[str, object]:
    plaintext = application_plaintext(key)
    if reference is not None:
        plaintext["reference"] = reference
    return submission(hub.services.keys.public_key, key, "gare-01", plaintext=plaintext)


def test_an_applicant_quoting_their_reference_code_is_found(hub: RunningHub) -> None:
    client = hub.client(hub.enrol("gare-01"))
    mine, other, older = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    assert put_application(client, mine, _with_reference(hub, mine, "QX7M4P")).status_code == 201
    put_application(client, other, _with_reference(hub, other, "ACDEFG"))
    put_application(client, older, _with_reference(hub, older, None))  # an older terminal
    answer = hub.admin.post("/v1/admin/applications/find-reference", json={"reference": "qx7-m4p"})
    assert answer.status_code == 200, answer.text
    assert answer.headers["cache-control"] == "no-store"
    [found] = answer.json()["applications"]
    assert found["application_id"] == str(mine)
    assert (found["terminal_id"], found["offer_source"], found["offer_id"]) == (
        "gare-01",
        "francetravail",
        "100AAAA",
    )
    assert found["received_at"] == "2026-11-20T12:00:00Z"
    assert (found["webhook"], found["purged"]) == ("none", False)
    assert found["application"]["first_name"] == "Camille"
    # The code is stored as a keyed hash only: not in clear, not as a plain hash.
    with hub.services.db.read() as connection:
        digests = set(connection.scalars(select(Application.reference_digest)))
    assert len(digests) == 3  # two codes and one NULL
    assert not any(
        d and ("QX7M4P" in d or d == hashlib.sha256(b"QX7M4P").hexdigest()) for d in digests
    )
    nobody = hub.admin.post("/v1/admin/applications/find-reference", json={"reference": "RRRRRR"})
    assert nobody.json()["applications"] == []


def test_a_reference_that_cannot_be_one_is_refused_naming_the_field(hub: RunningHub) -> None:
    for typed in ("QX0M4P", "QX7M4", "QX7M4PQ", "", "x" * 41):
        answer = hub.admin.post("/v1/admin/applications/find-reference", json={"reference": typed})
        assert answer.status_code == 422, typed
        assert answer.json()["error"] == "invalid_request"
        assert "reference" in str(answer.json()["details"])
    with pytest.raises(ApiError, match="A C D E F G H J K M N P Q R T U V W X Y 3 4 6 7 9"):
        hub.services.inbox.find_reference("QX0M4P")


def test_an_applicant_asking_for_deletion_is_erased_and_the_terminal_still_answered(
    hub: RunningHub,
) -> None:
    client = hub.client(hub.enrol("gare-01"))
    key = uuid.uuid4()
    body = _with_reference(hub, key, "QX7M4P")
    first = put_application(client, key, body)
    erased = hub.admin.delete(f"/v1/admin/applications/{key}")
    assert erased.status_code == 200, erased.text
    assert (erased.json()["purged"], erased.json()["application"]) == (True, None)
    with hub.services.db.read() as connection:
        assert connection.scalar(select(Application.sealed)) is None
    [found] = hub.admin.post(
        "/v1/admin/applications/find-reference", json={"reference": "QX7M4P"}
    ).json()["applications"]
    assert (found["application_id"], found["purged"]) == (str(key), True)
    replay = put_application(client, key, body)
    assert (replay.status_code, replay.json()) == (200, first.json())
    assert hub.admin.delete(f"/v1/admin/applications/{uuid.uuid4()}").status_code == 404
    assert hub.client().delete(f"/v1/admin/applications/{key}").status_code == 401
