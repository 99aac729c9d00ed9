"""benchmarks/soak_terminal.py --until-drained: "drained" only once a round that started after
the last submission ended with nothing waiting, never on an older round's empty queue."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from benchmarks.soak_terminal import DrainWatch


@dataclass(frozen=True)
class Status:
    syncing: bool
    queue_depth: int = 0
    parked: int = 0
    error: str | None = None


def test_an_old_rounds_empty_queue_does_not_count_as_drained() -> None:
    watch = DrainWatch()
    # The round at start-up: nothing queued yet, and it ends with an empty queue...
    watch.on_status(Status(syncing=True))
    watch.submitted()
    watch.on_status(Status(syncing=True))  # a progress report of the same round
    watch.submitted()  # ... while the last application is being taken
    watch.on_status(Status(syncing=False, queue_depth=0))
    assert watch.drained(2) is None
    # A round that started before the last submission says nothing either.
    watch.on_status(Status(syncing=True))
    watch.submitted()
    watch.on_status(Status(syncing=False, queue_depth=0))
    assert watch.drained(3) is None

    drained: list[Status] = []
    waiter = threading.Thread(target=lambda: drained.append(watch.wait_drained(3)))
    waiter.start()
    watch.on_status(Status(syncing=True))  # started after every submission
    watch.on_status(Status(syncing=False, queue_depth=1, error="network: ConnectionError"))
    watch.on_status(Status(syncing=True))
    watch.on_status(Status(syncing=False, queue_depth=0, parked=0))
    waiter.join(30)
    assert drained == [Status(syncing=False, queue_depth=0, parked=0)]


def test_a_round_with_an_error_or_a_queue_is_not_drained() -> None:
    watch = DrainWatch()
    watch.submitted()
    for depth, error in ((1, None), (0, "feed: HTTP 502")):
        watch.on_status(Status(syncing=True))
        watch.on_status(Status(syncing=False, queue_depth=depth, error=error))
    watch.on_status(Status(syncing=True))
    watch.on_status(Status(syncing=False, queue_depth=0, parked=1))
    assert watch.wait_drained(1).parked == 1
