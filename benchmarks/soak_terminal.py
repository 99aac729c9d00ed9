"""One terminal process for the soak and the kill-and-restart test: it takes applications as the
kiosk does and syncs them as the kiosk does, until it is killed (or, with --until-drained,
until its queue is empty).

    python -m benchmarks.soak_terminal --config kiosk.toml --data-dir DIR --ledger FILE
        [--submit N] [--pace S] [--timeout S] [--interval S] [--page-limit N]
        [--clock-offset S] [--until-drained] [--seed N]

Applications go through `kiosk.ui.app.open_application_desk` and `ApplicationDesk.submit`
while a `SyncLoop` runs on a thread of its own, woken after each application (the kiosk's own
arrangement). An application counts as confirmed on screen once `submit` returned; only then
is its UUID appended to the ledger, with fsync. A kill between the two leaves an application
the ledger does not know: the soak does not count it, but the hub may well receive it.

Each line on stdout (flushed at once) is an event for the parent: `ready`, `submitted <uuid>`
(once the ledger line is on the disk), `put <uuid>` (a delivery starts), `round depth=…
parked=… error=…` (a round ended), `drained`.

`TerminalProcess` is the parent's side: start one, wait for its lines, kill it.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parents[1]

# A form like the ones passers-by fill in; the title carries a marker of the form, sealed with
# the rest, so that the soak can tell two copies of one form apart from two forms.
OFFER_ID = "100AAAA"


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _append(ledger: IO[str], line: str) -> None:
    ledger.write(line + "\n")
    ledger.flush()
    os.fsync(ledger.fileno())


class DrainWatch:
    """Tells when the queue is drained of every application submitted: a round that *started*
    after the last submission ended without an error and with nothing waiting. (A round that
    ended before the last submission says nothing about it, even with an empty queue.)"""

    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._submitted = 0
        self._round_saw: int | None = None  # submissions when the round under way started
        self._rounds: list[tuple[int, Any]] = []  # (submissions seen at its start, status)

    def submitted(self) -> None:
        """An application was enqueued (before the loop is woken for it)."""
        with self._lock:
            self._submitted += 1

    def on_status(self, status: Any) -> None:
        """The sync loop's status callback (its own thread)."""
        with self._lock:
            if status.syncing:
                if self._round_saw is None:  # the round's first report: it starts now
                    self._round_saw = self._submitted
                return
            saw = self._submitted if self._round_saw is None else self._round_saw
            self._round_saw = None
            self._rounds.append((saw, status))
            self._lock.notify_all()

    def drained(self, total: int) -> Any:
        """The status of a round that started after `total` submissions and ended clean, or
        None (the rounds looked at are forgotten)."""
        with self._lock:
            rounds, self._rounds = self._rounds, []
        for saw, status in rounds:
            if saw >= total and status.error is None and status.queue_depth == 0:
                return status
        return None

    def wait_drained(self, total: int) -> Any:
        """Block until `drained(total)` has a status; that status."""
        while True:
            with self._lock:
                while not self._rounds:
                    self._lock.wait()
            status = self.drained(total)
            if status is not None:
                return status


def run(args: argparse.Namespace) -> int:
    """Submit `args.submit` applications while the sync loop runs; see the module's text."""
    from kiosk.applications import ApplicationForm  # noqa: PLC0415 (after argument parsing)
    from kiosk.config import load_settings  # noqa: PLC0415
    from kiosk.offline.db import open_offers_database  # noqa: PLC0415
    from kiosk.offline.offers import OfferStore  # noqa: PLC0415
    from kiosk.offline.outbox import Outbox, OutboxItem, SealedApplication  # noqa: PLC0415
    from kiosk.sync.engine import SyncEngine, SyncLoop, SyncStatus  # noqa: PLC0415
    from kiosk.sync.hub import Delivery, HubClient  # noqa: PLC0415
    from kiosk.sync.runner import SyncLock  # noqa: PLC0415
    from kiosk.ui.app import open_application_desk  # noqa: PLC0415

    class AnnouncingClient(HubClient):
        """The kiosk's client, saying when a delivery starts."""

        def put_application(self, item: OutboxItem, terminal_id: str, now: float) -> Delivery:
            _say(f"put {item.id}")
            return super().put_application(item, terminal_id, now)

    settings = load_settings(args.config, args.data_dir)
    offset: float = args.clock_offset

    def clock() -> float:
        return time.time() + offset

    outbox, desk = open_application_desk(settings)
    # The kiosk's lock on the data folder's sync: the system releases it when a process dies.
    SyncLock(settings.data_dir).__enter__()
    # The desk returns the reference code; the UUID is the outbox's to know.
    enqueued: list[str] = []
    enqueue = outbox.enqueue

    def recording(application: SealedApplication) -> None:
        enqueue(application)
        enqueued.append(application.id)

    outbox.enqueue = recording  # type: ignore[method-assign]

    store = OfferStore(open_offers_database(settings.offers_db), settings.config.origin, clock)
    store.ensure_origin()
    hub = settings.config.hub
    assert hub.url is not None and hub.token, "the soak's terminal needs [hub] url and token"
    client = AnnouncingClient(str(hub.url), hub.token, timeout=args.timeout)
    engine_outbox = outbox if not offset else Outbox(outbox.engine, clock, outbox.backlog_limit)
    engine = SyncEngine(settings, store, engine_outbox, client, clock=clock)
    engine.page_limit = args.page_limit
    drain = DrainWatch()

    def on_status(status: SyncStatus) -> None:
        if not status.syncing:
            _say(f"round depth={status.queue_depth} parked={status.parked} error={status.error}")
        drain.on_status(status)

    loop = SyncLoop(engine, args.interval, clock=clock, on_status=on_status)
    worker = threading.Thread(target=loop.run, name="sync", daemon=True)
    worker.start()
    _say("ready")
    rng = random.Random(args.seed)
    pause = threading.Event()
    with args.ledger.open("a", encoding="ascii") as ledger:
        for _ in range(args.submit):
            pause.wait(rng.uniform(0, 2 * args.pace))
            marker = secrets.token_hex(16)
            form = ApplicationForm(
                offer_source="francetravail",
                offer_id=OFFER_ID,
                offer_title=f"soak {marker}",
                first_name="Camille",
                last_name="Exemple",
                phone="06 12 34 56 78",
                consent=True,
                answers={"available_now": "yes"},
            )
            desk.submit(form)  # confirmed on screen from here
            drain.submitted()
            application_id = enqueued[-1]
            _append(ledger, f"{application_id} {marker}")
            _say(f"submitted {application_id}")
            loop.wake()
    if not args.until_drained:
        worker.join()  # until killed
        return 0
    loop.wake()  # a round that starts after the last submission, even with --submit 0
    status = drain.wait_drained(args.submit)
    loop.stop()
    worker.join(60)
    client.close()
    _say(f"drained parked={status.parked}")
    return 0 if status.parked == 0 else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--ledger", type=Path, required=True)
    parser.add_argument("--submit", type=int, default=0, help="applications to take")
    parser.add_argument("--pace", type=float, default=0.0, help="mean seconds between them")
    parser.add_argument(
        "--timeout", type=float, default=None, help="the client's connect and read timeout"
    )
    parser.add_argument("--interval", type=float, default=60.0, help="seconds between rounds")
    parser.add_argument("--page-limit", type=int, default=500, help="feed page size")
    parser.add_argument(
        "--clock-offset", type=float, default=0.0, help="seconds added to the terminal's clock"
    )
    parser.add_argument("--until-drained", action="store_true")
    parser.add_argument("--seed", type=int, default=None)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.timeout is not None:
        args.timeout = (args.timeout, args.timeout)
    return run(args)


# -- the parent's side ---------------------------------------------------------------------------


class TerminalProcess:
    """A running `python -m benchmarks.soak_terminal`, its stdout lines gathered by a thread."""

    def __init__(self, options: list[str], stderr: Path | None = None) -> None:
        command = [sys.executable, "-m", "benchmarks.soak_terminal", *options]
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        self._stderr = stderr.open("ab") if stderr is not None else None
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=self._stderr if self._stderr is not None else subprocess.DEVNULL,
            text=True,
        )
        self.lines: list[str] = []
        self._lock = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            with self._lock:
                self.lines.append(line.rstrip("\n"))
                self._lock.notify_all()
        with self._lock:
            self.lines.append("")  # end of output
            self._lock.notify_all()

    def count(self, prefix: str) -> int:
        """How many lines so far start with `prefix`."""
        with self._lock:
            return sum(1 for line in self.lines if line.startswith(prefix))

    def wait_for(self, prefix: str, count: int = 1, timeout: float = 60.0) -> None:
        """Return once `count` lines starting with `prefix` were printed (fail if it ends)."""
        self.wait_until(lambda: self.count(prefix) >= count, f"{count}× {prefix!r}", timeout)

    def wait_until(self, predicate: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
        """Return once `predicate()` holds, checked at each new line and every 50 ms."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while not predicate():
                if self.lines and self.lines[-1] == "" and self.process.poll() is not None:
                    raise RuntimeError(
                        f"the terminal exited ({self.process.returncode}) before {what}"
                    )
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"the terminal did not print {what} in {timeout} s")
                self._lock.wait(min(left, 0.05))

    def kill(self) -> int | None:
        """SIGKILL; the exit code it had if it had ended by itself first, else None."""
        ended = self.process.poll()
        if ended is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(30)
        self._reader.join(30)
        self.close()
        return ended

    def wait(self, timeout: float) -> int:
        """Wait for it to end by itself; its exit code."""
        try:
            code = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise
        self._reader.join(30)
        self.close()
        return code

    def close(self) -> None:
        if self.process.stdout is not None:
            self.process.stdout.close()
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None

    def __enter__(self) -> TerminalProcess:
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(30)
        self.close()


if __name__ == "__main__":
    raise SystemExit(main())
