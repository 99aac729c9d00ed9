"""The outbox: queued → sending → delivered or parked, recovery after a crash, operator figures."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

from kiosk.offline.db import StorageError
from kiosk.offline.outbox import Outbox, SealedApplication, open_outbox_database, salvage
from kiosk.offline.salvage import REPORT_SUFFIX, load_report


class Clock:
    def __init__(self, now: float = 1_000_100.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def application(number: int, created: int = 1_000_000) -> SealedApplication:
    return SealedApplication(
        id=f"00000000-0000-4000-8000-{number:012d}",
        reference=f"R{number:05d}",
        offer_source="francetravail",
        offer_id=f"O{number}",
        sealed=b"\x01sealed" * 10,
        created_ts=created,
    )


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def outbox(tmp_path: Path, clock: Clock) -> Outbox:
    return Outbox(open_outbox_database(tmp_path / "outbox.sqlite"), clock, backlog_limit=3)


def test_the_outbox_commits_with_synchronous_full(outbox: Outbox) -> None:
    with outbox.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_claim_deliver_oldest_first(outbox: Outbox) -> None:
    for number, created in ((1, 1_000_010), (2, 1_000_000), (3, 1_000_005)):
        outbox.enqueue(application(number, created))
    claimed = outbox.claim(limit=2)
    assert [item.offer_id for item in claimed] == ["O2", "O3"]
    assert [item.attempts for item in claimed] == [1, 1]
    assert outbox.claim(limit=5)[0].offer_id == "O1"  # "sending" ones are not claimed twice
    assert outbox.claim() == []
    outbox.delivered(claimed[0].id)
    assert outbox.stats().depth == 2


def test_retry_later_waits_for_its_time(outbox: Outbox, clock: Clock) -> None:
    outbox.enqueue(application(1))
    [item] = outbox.claim()
    outbox.retry_later(item.id, 30, "ConnectionError")
    assert outbox.claim() == []
    clock.now += 30
    [again] = outbox.claim()
    assert again.attempts == 2


def test_released_applications_get_their_attempt_back(outbox: Outbox) -> None:
    for number in (1, 2):
        outbox.enqueue(application(number))
    claimed = outbox.claim()
    outbox.release([item.id for item in claimed])  # the round stopped before trying them
    assert [item.attempts for item in outbox.claim()] == [1, 1]  # not 2: never tried


def test_a_parked_application_never_blocks_the_rest(outbox: Outbox) -> None:
    outbox.enqueue(application(1, 1_000_000))
    outbox.enqueue(application(2, 1_000_001))
    first = outbox.claim(limit=1)[0]
    outbox.park(first.id, "422 offer unknown at the hub")
    assert [i.offer_id for i in outbox.claim()] == ["O2"]
    stats = outbox.stats()
    assert (stats.depth, stats.parked) == (1, 1)


def test_sending_rows_left_by_a_crash_are_queued_again(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "outbox.sqlite"
    first = Outbox(open_outbox_database(path), clock)
    first.enqueue(application(1))
    assert first.claim()
    first.engine.dispose()  # the process "dies" with the row in "sending"
    second = Outbox(open_outbox_database(path), clock)
    assert second.claim() == []
    assert second.recover() == 1
    assert [i.offer_id for i in second.claim()] == ["O1"]


def test_stats_and_backlog_alert(outbox: Outbox, clock: Clock) -> None:
    assert outbox.stats().oldest_age_s is None
    for number in range(3):
        outbox.enqueue(application(number, 1_000_000 - 100 * number))
    clock.now = 1_000_060
    stats = outbox.stats()
    assert (stats.depth, stats.oldest_age_s, stats.parked) == (3, 260, 0)
    assert stats.over_backlog  # an alert for the operator; nothing is dropped
    outbox.enqueue(application(9))
    assert outbox.stats().depth == 4


def _page_of(data: bytes, needle: bytes, page_size: int = 4096) -> int:
    """The 0-based page of the file that holds `needle`."""
    return data.index(needle) // page_size


def test_a_damaged_outbox_is_moved_aside_kept_and_its_readable_rows_salvaged(
    tmp_path: Path,
) -> None:
    path = tmp_path / "outbox.sqlite"
    outbox = Outbox(open_outbox_database(path))
    queued = [application(number, created=1_000_000 + number) for number in range(200)]
    for item in queued:
        outbox.enqueue(replace(item, sealed=os.urandom(300)))  # each body its own
    outbox.park(queued[0].id, "HTTP 422 unsealable")
    with outbox.engine.connect() as connection:
        bodies = dict(connection.exec_driver_sql("SELECT id, sealed FROM applications").all())
    outbox.engine.dispose()  # the last connection checkpoints the log into the file
    # A torn write scrambles the table page of application 100; a full disk cuts off the
    # last page.
    data = bytearray(path.read_bytes())
    page = _page_of(data, bodies[queued[100].id])
    data[page * 4096 : (page + 1) * 4096] = os.urandom(4096)
    del data[-4096:]
    path.write_bytes(bytes(data))

    fresh = Outbox(open_outbox_database(path))

    [kept] = [
        p
        for p in tmp_path.glob("outbox.sqlite.damaged-*")
        if not p.name.endswith(("-wal", "-shm", REPORT_SUFFIX))
    ]
    assert kept.read_bytes() == bytes(data)  # kept for the operator, untouched
    with fresh.engine.connect() as connection:
        salvaged = dict(connection.exec_driver_sql("SELECT id, sealed FROM applications").all())
        parked = (
            connection.exec_driver_sql("SELECT id FROM applications WHERE state = 'parked'")
            .scalars()
            .all()
        )
    # Most rows come back, byte for byte under the same UUID; those of the damaged page not.
    assert 150 <= len(salvaged) < 200
    assert queued[100].id not in salvaged
    assert all(bodies[key] == sealed for key, sealed in salvaged.items())
    assert parked == [queued[0].id]  # a refused one stays refused
    assert fresh.stats().depth == len(salvaged) - 1  # the rest are due now
    report = load_report(kept)
    assert report is not None and report.added == len(salvaged) and report.unreadable >= 1


def test_salvaging_the_same_file_twice_adds_nothing(tmp_path: Path) -> None:
    damaged = tmp_path / "old.sqlite"
    outbox = Outbox(open_outbox_database(damaged))
    for number in range(5):
        outbox.enqueue(application(number))
    outbox.engine.dispose()
    target = Outbox(open_outbox_database(tmp_path / "outbox.sqlite"))
    target.enqueue(replace(application(99), reference="R00003"))  # a reference in use
    first = salvage(target, damaged)
    second = salvage(target, damaged)
    assert (first.read, first.added, first.already_there) == (5, 5, 0)
    assert (second.added, second.already_there) == (0, 5)
    assert target.stats().depth == 6


def test_a_file_with_nothing_readable_says_why(tmp_path: Path) -> None:
    damaged = tmp_path / "old.sqlite"
    damaged.write_bytes(os.urandom(8192))
    report = salvage(Outbox(open_outbox_database(tmp_path / "outbox.sqlite")), damaged)
    assert report.read == 0 and report.problem


def test_an_outbox_from_a_newer_kiosk_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "outbox.sqlite"
    outbox = Outbox(open_outbox_database(path))
    outbox.enqueue(application(1))
    with outbox.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '0099'")
    outbox.engine.dispose()
    before = path.read_bytes()
    with pytest.raises(StorageError, match="newer version of the kiosk"):
        open_outbox_database(path)
    assert path.read_bytes() == before
