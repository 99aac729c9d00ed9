"""Each terminal's feed: its radius only, cursors and pages, tombstones, ETag → 304, resync."""

from __future__ import annotations

from typing import Any

import httpx

from hub.feed import RecordCache
from hub.ingest import ingest_payload
from kiosk.domain import Offer
from kiosk.formats import parse_payload
from tests.conftest import ft_record
from tests.hub.conftest import LYON, PARIS, RunningHub


def _place(lat: float | None, lon: float | None, label: str = "75 - PARIS 12") -> dict[str, Any]:
    place: dict[str, Any] = {"libelle": label, "codePostal": "75012"}
    if lat is not None and lon is not None:
        place |= {"latitude": lat, "longitude": lon}
    return place


def _paris(i: int, **overrides: Any) -> dict[str, Any]:
    return ft_record(
        id=f"P{i:04d}", lieuTravail=_place(PARIS[0] + i * 0.001, PARIS[1]), **overrides
    )


def _lyon(i: int) -> dict[str, Any]:
    return ft_record(id=f"L{i:04d}", lieuTravail=_place(LYON[0], LYON[1] + i * 0.001, "69 - LYON"))


def _ingest(hub: RunningHub, records: list[dict[str, Any]], full_refresh: bool = False) -> None:
    ingest_payload(hub.services.offers, {"resultats": records}, None, full_refresh)


def _sync(client: httpx.Client, cursor: str | None = None, limit: int = 1000) -> dict[str, Any]:
    """Page until `more` is false, like a terminal; the union of the pages."""
    offers: dict[tuple[str, str], dict[str, Any]] = {}
    tombstones: set[tuple[str, str]] = set()
    pages = 0
    while True:
        params: dict[str, Any] = {"limit": limit}
        if cursor:
            params["cursor"] = cursor
        answer = client.get("/v1/feed", params=params)
        assert answer.status_code == 200, answer.text
        page = answer.json()
        pages += 1
        for offer in page["offers"]:
            offers[(offer["source"], offer["id"])] = offer
        tombstones |= {(t["source"], t["id"]) for t in page["tombstones"]}
        cursor = page["cursor"]
        if not page["more"]:
            return {
                "offers": offers,
                "tombstones": tombstones,
                "cursor": cursor,
                "etag": answer.headers["etag"],
                "pages": pages,
                "resync": page["resync"],
            }


def test_a_terminal_receives_the_offers_within_its_radius_as_they_came(hub: RunningHub) -> None:
    _ingest(hub, [_paris(i) for i in range(5)] + [_lyon(i) for i in range(3)])
    _ingest(hub, [ft_record(id="NOWHERE", lieuTravail=_place(None, None, "75 - Paris"))])
    paris = _sync(hub.client(hub.enrol("paris-01", PARIS)))
    lyon = _sync(hub.client(hub.enrol("lyon-01", LYON)))
    assert sorted(i for _, i in paris["offers"]) == [f"P{i:04d}" for i in range(5)]
    assert sorted(i for _, i in lyon["offers"]) == ["L0000", "L0001", "L0002"]
    # `raw` is the record as the source published it: the terminal's parser reads it.
    offer = paris["offers"][("francetravail", "P0003")]
    assert offer["format"] == "francetravail"
    parsed = next(iter(parse_payload(offer["raw"], offer["source"])))
    assert isinstance(parsed, Offer)
    assert parsed.external_id == "P0003"
    assert offer["raw"] == _paris(3)


def test_pages_follow_the_cursor_and_end_with_more_false(hub: RunningHub) -> None:
    _ingest(hub, [_paris(i) for i in range(25)])
    client = hub.client(hub.enrol("paris-01"))
    first = client.get("/v1/feed", params={"limit": 10}).json()
    assert len(first["offers"]) == 10
    assert first["more"] is True
    assert first["resync"] is False
    synced = _sync(client, first["cursor"], limit=10)
    assert synced["pages"] == 2
    assert len(synced["offers"]) == 15
    assert not {o["id"] for o in first["offers"]} & {i for _, i in synced["offers"]}
    # Nothing new: the same cursor, an empty page.
    again = client.get("/v1/feed", params={"cursor": synced["cursor"]}).json()
    assert again == {
        "offers": [],
        "tombstones": [],
        "cursor": synced["cursor"],
        "more": False,
        "resync": False,
    }


def test_etag_answers_304_until_something_changes(hub: RunningHub) -> None:
    _ingest(hub, [_paris(i) for i in range(3)])
    client = hub.client(hub.enrol("paris-01"))
    synced = _sync(client)
    poll = client.get(
        "/v1/feed", params={"cursor": synced["cursor"]}, headers={"If-None-Match": synced["etag"]}
    )
    assert poll.status_code == 304
    assert poll.content == b""
    assert poll.headers["etag"] == synced["etag"]
    # An unchanged re-import is not news either.
    _ingest(hub, [_paris(i) for i in range(3)])
    assert (
        client.get(
            "/v1/feed",
            params={"cursor": synced["cursor"]},
            headers={"If-None-Match": synced["etag"]},
        ).status_code
        == 304
    )
    _ingest(hub, [_paris(1, intitule="Serveur de nuit (H/F)")])
    changed = client.get(
        "/v1/feed", params={"cursor": synced["cursor"]}, headers={"If-None-Match": synced["etag"]}
    )
    assert changed.status_code == 200
    assert [o["id"] for o in changed.json()["offers"]] == ["P0001"]
    assert changed.json()["offers"][0]["raw"]["intitule"] == "Serveur de nuit (H/F)"


def test_withdrawn_and_departed_offers_come_as_tombstones(hub: RunningHub) -> None:
    _ingest(hub, [_paris(i) for i in range(4)] + [_lyon(0)])
    paris = hub.client(hub.enrol("paris-01", PARIS))
    lyon = hub.client(hub.enrol("lyon-01", LYON))
    paris_cursor = _sync(paris)["cursor"]
    lyon_cursor = _sync(lyon)["cursor"]
    # A complete listing without P0000 withdraws it; P0001 moves to Lyon.
    moved = ft_record(id="P0001", lieuTravail=_place(LYON[0], LYON[1], "69 - LYON"))
    _ingest(hub, [moved, _paris(2), _paris(3), _lyon(0)], full_refresh=True)
    paris_changes = _sync(paris, paris_cursor)
    assert paris_changes["offers"] == {}
    assert paris_changes["tombstones"] == {("francetravail", "P0000"), ("francetravail", "P0001")}
    lyon_changes = _sync(lyon, lyon_cursor)
    assert set(lyon_changes["offers"]) == {("francetravail", "P0001")}
    assert lyon_changes["tombstones"] == set()
    # A terminal syncing from scratch gets no tombstones, only what is live.
    fresh = _sync(hub.client(hub.enrol("paris-02", PARIS)))
    assert sorted(i for _, i in fresh["offers"]) == ["P0002", "P0003"]


def test_stale_cursors_ask_for_a_resync(hub: RunningHub) -> None:
    _ingest(hub, [_paris(i) for i in range(3)])
    client = hub.client(hub.enrol("paris-01"))
    cursor = _sync(client)["cursor"]
    # The operator asks for a resync: the old cursor answers resync with a fresh cursor.
    assert hub.admin.post("/v1/admin/terminals/paris-01/resync").status_code == 204
    answer = client.get("/v1/feed", params={"cursor": cursor}).json()
    assert answer["resync"] is True
    assert answer["offers"] == []
    assert answer["more"] is True
    again = _sync(client, answer["cursor"])
    assert len(again["offers"]) == 3
    assert again["resync"] is False
    # A new area (the operator moved the terminal) resyncs too, to the new area's offers.
    _ingest(hub, [_lyon(0)])
    hub.admin.patch(
        "/v1/admin/terminals/paris-01", json={"latitude": LYON[0], "longitude": LYON[1]}
    )
    moved = client.get("/v1/feed", params={"cursor": again["cursor"]}).json()
    assert moved["resync"] is True
    assert set(_sync(client, moved["cursor"])["offers"]) == {("francetravail", "L0000")}
    # A cursor of another database (a restored or replaced hub) resyncs as well.
    foreign = "v1.0123456789ab.1.2"
    assert client.get("/v1/feed", params={"cursor": foreign}).json()["resync"] is True
    ahead = again["cursor"].rsplit(".", 1)[0] + ".999999"
    assert client.get("/v1/feed", params={"cursor": ahead}).json()["resync"] is True


def test_purged_tombstones_resync_the_terminals_that_missed_them(hub: RunningHub) -> None:
    _ingest(hub, [_paris(i) for i in range(3)])
    client = hub.client(hub.enrol("paris-01"))
    behind = _sync(client)["cursor"]
    hub.services.offers.withdraw("francetravail", ["P0000"])
    hub.clock.advance(31 * 86400)
    assert hub.admin.post("/v1/admin/purge").json()["tombstones"] == 1
    assert client.get("/v1/feed", params={"cursor": behind}).json()["resync"] is True


def test_bad_cursors_and_limits_are_refused(hub: RunningHub) -> None:
    client = hub.client(hub.enrol("paris-01"))
    bad = client.get("/v1/feed", params={"cursor": "yesterday"})
    assert bad.status_code == 400
    assert bad.json()["error"] == "invalid_cursor"
    assert client.get("/v1/feed", params={"limit": 0}).status_code == 422
    assert client.get("/v1/feed", params={"limit": 1001}).status_code == 422
    assert client.get("/v1/feed", params={"limit": "ten"}).status_code == 422


def test_no_parameter_reaches_another_terminals_feed(hub: RunningHub) -> None:
    _ingest(hub, [_paris(0), _lyon(0)])
    client = hub.client(hub.enrol("lyon-01", LYON))
    paris = hub.client(hub.enrol("paris-01", PARIS))
    for params in ({"terminal_id": "paris-01"}, {"terminal": "paris-01"}):
        answer = client.get("/v1/feed", params=params).json()
        assert [o["id"] for o in answer["offers"]] == ["L0000"]
    # A cursor carries no identity: another terminal's cursor only moves this one's position.
    paris_cursor = _sync(paris)["cursor"]
    reused = client.get("/v1/feed", params={"cursor": paris_cursor})
    assert reused.status_code == 200
    assert reused.json()["offers"] == []


def test_the_record_cache_keeps_to_its_budget() -> None:
    cache = RecordCache(max_bytes=10)
    cache.put_many({1: "aaaa", 2: "bbbb"})
    assert cache.get_many([1]) == {1: "aaaa"}  # 1 is now the most recently used
    cache.put_many({3: "cccc"})
    assert cache.get_many([1, 2, 3]) == {1: "aaaa", 3: "cccc"}
    off = RecordCache(max_bytes=0)
    off.put_many({1: "x"})
    assert off.get_many([1]) == {}


def test_a_large_ingest_and_its_update_reach_the_feed_whole(hub: RunningHub) -> None:
    # Enough offers for several batches, COPY on PostgreSQL and its statistics refreshed
    # (hub.offers._Statistics) between them; then an update batch of moved and changed offers.
    def near_paris(i: int, **overrides: Any) -> dict[str, Any]:
        place = _place(PARIS[0] + (i % 100) * 0.001, PARIS[1])
        return ft_record(id=f"P{i:04d}", lieuTravail=place, **overrides)

    records = [near_paris(i) for i in range(2500)]
    first = ingest_payload(hub.services.offers, {"resultats": records})
    assert (first.inserted, first.rejected) == (2500, [])
    changed = [near_paris(i, intitule=f"Cuisinier {i}") for i in range(0, 2500, 250)]
    moved = ft_record(id="P0007", lieuTravail=_place(LYON[0], LYON[1]))
    again = ingest_payload(hub.services.offers, {"resultats": [*changed, moved, records[9]]})
    assert (again.inserted, again.updated, again.unchanged) == (0, 11, 1)
    paris = _sync(hub.client(hub.enrol("paris-01", PARIS)))
    assert len(paris["offers"]) == 2499
    assert paris["offers"][("francetravail", "P0250")]["raw"]["intitule"] == "Cuisinier 250"
    assert paris["offers"][("francetravail", "P0001")]["raw"] == records[1]
    lyon = _sync(hub.client(hub.enrol("lyon-01", LYON)))
    assert list(lyon["offers"]) == [("francetravail", "P0007")]
