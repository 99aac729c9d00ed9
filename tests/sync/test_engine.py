"""Sync rounds against a real hub on 127.0.0.1, and against a fault server."""

from __future__ import annotations

import json
from concurrent.futures import Executor
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from kiosk.config import KioskConfig, Settings, SourceSection, parse_config
from kiosk.formats import parse_payload
from kiosk.offline.models import QueuedApplication
from kiosk.sealing import generate_keypair
from kiosk.sync import pushed
from kiosk.sync.engine import SyncEngine
from kiosk.sync.feed import parser_pool
from kiosk.sync.state import load_cursor
from tests.conftest import ft_record
from tests.sync.conftest import CONFIG, Fault, RunningHub, Terminal, form, ingest, listed
from tests.sync.conftest import PARIS_01 as TERMINAL_ID


def _queued(terminal: Terminal) -> list[Any]:
    with terminal.outbox.engine.connect() as connection:
        return list(
            connection.execute(
                select(
                    QueuedApplication.id,
                    QueuedApplication.state,
                    QueuedApplication.next_attempt_ts,
                    QueuedApplication.parked_reason,
                )
            )
        )


def test_an_application_is_delivered_once_even_when_sent_twice(
    sqlite_hub: RunningHub, terminal: Terminal
) -> None:
    token = sqlite_hub.enrol(TERMINAL_ID)
    terminal.desk(sqlite_hub.services.keys.public_key).submit(form())
    engine = terminal.engine(sqlite_hub.url, token)
    # A first delivery whose answer was lost: the row stays "sending" as after a crash.
    (item,) = terminal.outbox.claim()
    assert engine.client.put_application(item, TERMINAL_ID, terminal.clock()).status == 201
    report = engine.run_once()  # recover() queues it again; the hub answers 200 (replay)
    assert (report.delivered, report.retried, report.parked, report.errors) == (1, 0, 0, [])
    assert _queued(terminal) == []
    assert listed(sqlite_hub) == [item.id]


def test_an_operator_finds_a_delivered_application_by_its_reference_code(
    sqlite_hub: RunningHub, terminal: Terminal
) -> None:
    token = sqlite_hub.enrol(TERMINAL_ID)
    receipt = terminal.desk(sqlite_hub.services.keys.public_key).take(form())
    report = terminal.engine(sqlite_hub.url, token).run_once()
    assert report.delivered == 1
    assert _queued(terminal) == []  # the terminal has forgotten the code: the hub has it
    # Months later the applicant quotes it, as people do: lower case, with a space.
    quoted = f"{receipt.reference[:3].lower()} {receipt.reference[3:].lower()}"
    answer = sqlite_hub.admin.post(
        "/v1/admin/applications/find-reference", json={"reference": quoted}
    )
    assert answer.status_code == 200, answer.text
    [found] = answer.json()["applications"]
    assert found["application_id"] == receipt.application_id
    assert (found["terminal_id"], found["offer_id"]) == (TERMINAL_ID, "100AAAA")
    assert found["application"]["last_name"] == "Exemple"


def test_a_refused_application_is_parked_and_the_next_one_still_goes(
    sqlite_hub: RunningHub, terminal: Terminal
) -> None:
    token = sqlite_hub.enrol(TERMINAL_ID)
    terminal.desk(generate_keypair()[1]).submit(form("BADKEY"))  # sealed to another key: 422
    terminal.clock.advance(1)
    terminal.desk(sqlite_hub.services.keys.public_key).submit(form())
    report = terminal.engine(sqlite_hub.url, token).run_once()
    assert (report.delivered, report.parked, report.retried) == (1, 1, 0)
    ((_, state, _, reason),) = _queued(terminal)
    assert state == "parked"
    assert reason == "HTTP 422 unsealable"
    assert len(listed(sqlite_hub)) == 1
    assert terminal.outbox.stats().parked == 1


def test_a_refused_token_stops_the_round_and_keeps_the_queue(
    sqlite_hub: RunningHub, terminal: Terminal
) -> None:
    sqlite_hub.enrol(TERMINAL_ID)
    terminal.desk(sqlite_hub.services.keys.public_key).submit(form())
    report = terminal.engine(sqlite_hub.url, "kt_not-a-real-token").run_once()
    assert report.unauthorised
    assert (report.delivered, report.parked, report.pages) == (0, 0, 0)
    assert [row.state for row in _queued(terminal)] == ["queued"]


def test_a_busy_hub_leaves_the_application_queued_with_a_retry_time(
    fault_server: tuple[str, Fault], terminal: Terminal
) -> None:
    url, fault = fault_server
    terminal.desk(generate_keypair()[1]).submit(form())
    engine = terminal.engine(url, "kt_x")
    report = engine.run_once()  # 503 without Retry-After: full jitter, rand = 0.5 → 2.5 s
    assert (report.delivered, report.retried, report.parked) == (0, 1, 0)
    assert report.errors == ["delivery: HTTP 503 unavailable", "feed: HTTP 503 unavailable"]
    assert not report.online
    ((_, state, due, _),) = _queued(terminal)
    assert (state, due) == ("queued", int(terminal.clock() + 2.5))
    # Not due yet: the next round does not send it.
    assert engine.run_once().retried == 0
    terminal.clock.advance(3)
    fault.status, fault.headers = 429, {"Retry-After": "120"}
    assert engine.run_once().retried == 1
    ((_, state, due, _),) = _queued(terminal)
    assert (state, due) == ("queued", int(terminal.clock() + 120))


def test_offers_arrive_tombstones_withdraw_and_an_unchanged_feed_is_304(
    sqlite_hub: RunningHub, terminal: Terminal
) -> None:
    ingest(sqlite_hub, ["P0", "P1", "P2"])
    engine = terminal.engine(sqlite_hub.url, sqlite_hub.enrol(TERMINAL_ID))
    first = engine.run_once()
    assert first.errors == []
    assert (first.offers_in, first.withdrawn, first.not_modified) == (3, 0, False)
    assert terminal.store.count() == 3
    cursor, etag = load_cursor(terminal.store.engine)
    assert cursor and etag
    unchanged = engine.run_once()
    assert unchanged.not_modified
    assert (unchanged.offers_in, unchanged.pages) == (0, 0)
    ingest(sqlite_hub, ["P1", "P2"], full_refresh=True)  # P0 withdrawn at the hub
    changed = engine.run_once()
    assert (changed.offers_in, changed.withdrawn) == (0, 1)
    assert terminal.store.find("francetravail", "P0") is None
    assert terminal.store.find("francetravail", "P1") is not None
    seen = sqlite_hub.admin.get(f"/v1/admin/terminals/{TERMINAL_ID}").json()
    assert seen["status"] == "ok"


def _local_offer(terminal: Terminal, external_id: str, source: str) -> None:
    """An offer the terminal holds that the hub never listed (a demo offer, say)."""
    record = ft_record(id=external_id)
    imported = terminal.store.import_records(parse_payload({"resultats": [record]}), source=source)
    assert imported.inserted == 1


def test_a_first_pull_interrupted_half_way_carries_on_and_drops_what_the_hub_lacks(
    sqlite_hub: RunningHub, terminal: Terminal
) -> None:
    ingest(sqlite_hub, [f"P{n}" for n in range(5)])
    _local_offer(terminal, "DEMO1", "demo")
    token = sqlite_hub.enrol(TERMINAL_ID)
    engine = terminal.engine(sqlite_hub.url, token)
    engine.page_limit = 2
    pages: list[int] = []
    engine.progress = lambda report: pages.append(report.pages)
    # The process stops after the first page (as if killed): its offers and its cursor are in.
    stopped = engine.run_once(should_stop=lambda: len(pages) >= 1)
    assert (stopped.stopped, stopped.pages, stopped.offers_in) == (True, 1, 2)
    assert terminal.store.count() == 3  # two from the hub, the demo offer kept meanwhile
    assert terminal.store.feed_writer().listing_underway()
    cursor, _ = load_cursor(terminal.store.engine)
    assert cursor is not None
    # The next process carries on from the page's cursor and ends the listing.
    restarted = terminal.engine(sqlite_hub.url, token)
    restarted.page_limit = 2
    finished = restarted.run_once()
    assert finished.errors == []
    assert (finished.pages, finished.offers_in, finished.withdrawn) == (2, 3, 1)
    assert terminal.store.find("demo", "DEMO1") is None
    assert all(terminal.store.find("francetravail", f"P{n}") for n in range(5))
    assert not terminal.store.feed_writer().listing_underway()


def test_a_resync_keeps_the_offers_on_screen_until_the_new_set_is_complete(
    sqlite_hub: RunningHub, terminal: Terminal
) -> None:
    ingest(sqlite_hub, ["P0", "P1", "P2"])
    terminal.settings = _with_direct_source(terminal.settings, "mairie")
    _local_offer(terminal, "LOCAL1", "mairie")  # harvested by the terminal itself: kept
    engine = terminal.engine(sqlite_hub.url, sqlite_hub.enrol(TERMINAL_ID))
    assert engine.run_once().errors == []
    # The hub forgets P0 without a tombstone reaching the terminal, then asks for a resync.
    ingest(sqlite_hub, ["P1", "P2", "P3"], full_refresh=True)
    assert sqlite_hub.admin.post(f"/v1/admin/terminals/{TERMINAL_ID}/resync").status_code == 204
    engine.page_limit = 1
    counts: list[int] = []
    engine.progress = lambda _: counts.append(terminal.store.count())
    report = engine.run_once()
    assert report.resynced and report.errors == []
    # Never fewer offers on the way than before the resync began (4), whatever the pages held.
    assert min(counts) >= 4
    assert terminal.store.find("francetravail", "P0") is None
    assert terminal.store.find("francetravail", "P3") is not None
    assert terminal.store.find("mairie", "LOCAL1") is not None


def _with_direct_source(settings: Settings, name: str) -> Settings:
    config = settings.config.model_copy(
        update={"sources": [SourceSection(kind="jobposting", name=name, url="https://x.example/")]}
    )
    return replace(settings, config=config)


def test_configuration_pushed_by_the_hub_is_applied_whole_or_refused_whole(
    sqlite_hub: RunningHub, terminal: Terminal
) -> None:
    applied: list[KioskConfig] = []
    engine = terminal.engine(sqlite_hub.url, sqlite_hub.enrol(TERMINAL_ID))
    engine.on_config = applied.append
    admin = sqlite_hub.admin
    change = {"name": "Hall 2", "settings": {"idle_warning_s": 120, "default_language": "en"}}
    assert admin.patch(f"/v1/admin/terminals/{TERMINAL_ID}", json=change).status_code == 200
    first = engine.run_once()
    assert first.config_applied == 1 and first.config_refused is None
    (config,) = applied
    assert (config.terminal.name, config.idle.warning_after_s) == ("Hall 2", 120)
    assert config.languages.default == "en"
    saved = pushed.overlay(terminal.settings)  # what the next start will read
    assert saved.config == config
    engine.run_once()  # reports version 1: the hub has nothing more to say
    view = admin.get(f"/v1/admin/terminals/{TERMINAL_ID}").json()
    assert (view["reported_config_version"], view["warnings"]) == (1, [])

    # Version 2 holds a value the terminal refuses: nothing of it is applied.
    change = {"name": "Hall 3", "settings": {"idle_warning_s": 5}}
    assert admin.patch(f"/v1/admin/terminals/{TERMINAL_ID}", json=change).status_code == 200
    refused = engine.run_once()
    assert refused.config_applied is None
    assert refused.config_refused is not None
    assert "settings.idle_warning_s" not in refused.config_refused  # the terminal's own name
    assert "idle.warning_after_s" in refused.config_refused
    assert len(applied) == 1
    assert pushed.overlay(terminal.settings).config.terminal.name == "Hall 2"
    engine.run_once()  # the next heartbeat says why
    view = admin.get(f"/v1/admin/terminals/{TERMINAL_ID}").json()
    assert view["reported_config_version"] == 1
    assert view["config_refused"].startswith("version 2: ")
    assert view["warnings"] == [f"configuration refused by the terminal: {view['config_refused']}"]


def test_an_unknown_setting_refuses_the_configuration() -> None:
    config = parse_config(CONFIG, "test")
    with pytest.raises(pushed.PushedConfigError, match=r"settings\.brightness: unknown setting"):
        pushed.merge(config, {"version": 3, "settings": {"brightness": 80}})


def test_a_terminal_without_a_hub_harvests_its_own_sources_when_they_are_due(
    terminal: Terminal, tmp_path: Path
) -> None:
    feed = tmp_path / "offers.json"
    feed.write_text(json.dumps({"resultats": [ft_record(id="F1"), ft_record(id="F2")]}))
    source = SourceSection(kind="file", name="agence", path=feed, refresh_minutes=30)
    config = terminal.settings.config.model_copy(update={"sources": [source]})
    terminal.settings = replace(terminal.settings, config=config)
    engine = SyncEngine(terminal.settings, terminal.store, terminal.outbox, None, terminal.clock)
    first = engine.run_once()
    assert (first.offers_in, first.errors, first.source_errors) == (2, [], [])
    feed.write_text(json.dumps({"resultats": [ft_record(id="F2")]}))  # F1 withdrawn
    terminal.clock.advance(29 * 60)
    assert engine.run_once().withdrawn == 0  # not due yet
    terminal.clock.advance(60)
    assert engine.run_once().withdrawn == 1
    assert terminal.store.find("agence", "F1") is None
    assert terminal.store.find("agence", "F2") is not None
    feed.write_text("{not json")
    terminal.clock.advance(30 * 60)
    broken = engine.run_once()
    assert broken.errors == [] and len(broken.source_errors) == 1
    assert broken.source_errors[0].startswith("agence: ")
    assert terminal.store.find("agence", "F2") is not None  # a failed harvest withdraws nothing


def test_a_long_pull_parses_its_pages_in_worker_processes(
    sqlite_hub: RunningHub, terminal: Terminal
) -> None:
    ingest(sqlite_hub, [f"W{n}" for n in range(7)])
    engine = terminal.engine(sqlite_hub.url, sqlite_hub.enrol(TERMINAL_ID))
    engine.page_limit = 2  # four pages: the first says more, so the workers start
    started: list[int] = []

    def pool() -> Executor:
        started.append(1)
        return parser_pool(workers=1)

    engine.parsers = pool
    report = engine.run_once()
    assert report.errors == []
    assert (report.pages, report.offers_in, started) == (4, 7, [1])
    assert all(terminal.store.find("francetravail", f"W{n}") for n in range(7))
    cursor, etag = load_cursor(terminal.store.engine)
    assert cursor and etag  # the last page's, written with it
    assert engine.run_once().not_modified  # and a poll starts no process
    assert started == [1]
