"""Sync benchmarks against a real hub (`kiosk-hub serve`, SQLite, its own process on 127.0.0.1).

    python -m benchmarks.sync drain [--applications 1000] [--json]

- drain: N applications taken by `ApplicationDesk.submit` (sealed, committed with
  synchronous=FULL in a file-backed outbox, as on a terminal), then drained by one
  `SyncEngine.run_once()` (claim, PUT, delete, batch after batch; then the feed and the
  heartbeat, both tiny here). Floor, measured in the same run against the same hub: N other
  applications sealed the same way, PUT one after the other with one `requests.Session`
  straight from memory (no outbox, no engine). Target: at least 50 applications/s.

Each subcommand is a `Bench` in `BENCHES`. Pulling 100,000 offers with the kiosk's window on
screen is `python -m benchmarks.pull` (it needs Qt; this one does not).
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.soak import PARIS, TERMINAL_CONFIG, TERMINAL_ID, Hub  # noqa: E402
from kiosk.applications import ApplicationDesk, ApplicationForm  # noqa: E402
from kiosk.config import Settings, parse_config  # noqa: E402
from kiosk.offline.db import open_offers_database  # noqa: E402
from kiosk.offline.offers import OfferStore  # noqa: E402
from kiosk.offline.outbox import Outbox, open_outbox_database  # noqa: E402
from kiosk.sealing import load_public_key, seal  # noqa: E402
from kiosk.sync.engine import SyncEngine  # noqa: E402
from kiosk.sync.hub import HubClient  # noqa: E402

DRAIN_TARGET_PER_S = 50.0


def _form(n: int) -> ApplicationForm:
    return ApplicationForm(
        offer_source="francetravail",
        offer_id="100AAAA",
        offer_title=f"Serveur (H/F) {n}",
        first_name="Camille",
        last_name="Exemple",
        phone="06 12 34 56 78",
        consent=True,
        answers={"available_now": "yes"},
    )


def _terminal(folder: Path, hub: Hub) -> Settings:
    text = TERMINAL_CONFIG + f'\n[hub]\nurl = "{hub.url}"\ntoken = "{hub.token}"\n'
    text += f'public_key = "{hub.public_key}"\n'
    data = folder / "terminal"
    data.mkdir()
    return Settings(parse_config(text, "benchmark"), "benchmark", data, demo=False)


def _floor(hub: Hub, count: int) -> float:
    """Seconds to PUT `count` freshly sealed applications with one session, nothing else."""
    public_key = load_public_key(hub.public_key)
    bodies = []
    for n in range(count):
        application_id = uuid.uuid4()
        content = json.dumps({"application_id": str(application_id), "n": n}).encode()
        body = {
            "sealed": base64.b64encode(seal(public_key, application_id, content)).decode("ascii"),
            "offer_source": "francetravail",
            "offer_id": "100AAAA",
            "terminal_id": TERMINAL_ID,
            "created_at": "2026-11-20T11:58:00Z",
        }
        bodies.append((str(application_id), body))
    with requests.Session() as session:
        session.headers["Authorization"] = f"Bearer {hub.token}"
        started = time.perf_counter()
        for key, body in bodies:
            answer = session.put(
                f"{hub.url}/v1/applications/{key}",
                json=body,
                headers={"Idempotency-Key": key},
                timeout=30,
            )
            if answer.status_code != 201:
                raise RuntimeError(f"floor: HTTP {answer.status_code}")
        return time.perf_counter() - started


def drain(folder: Path, args: argparse.Namespace) -> dict[str, Any]:
    """Queue N applications, drain them in one round; the floor beside it."""
    count = args.applications
    print(f"drain: starting a hub, then {count} applications…", file=sys.stderr)
    hub = Hub(folder, offers=0)
    try:
        settings = _terminal(folder, hub)
        outbox = Outbox(open_outbox_database(settings.outbox_db), backlog_limit=count + 10)
        desk = ApplicationDesk(outbox, TERMINAL_ID, load_public_key(hub.public_key))
        started = time.perf_counter()
        for n in range(count):
            desk.submit(_form(n))
        queue_s = time.perf_counter() - started
        floor_s = _floor(hub, count)
        store = OfferStore(open_offers_database(settings.offers_db), PARIS)
        client = HubClient(hub.url, str(hub.token))
        engine = SyncEngine(settings, store, outbox, client)
        started = time.perf_counter()
        report = engine.run_once()
        drain_s = time.perf_counter() - started
        client.close()
        received = len(hub.applications())
    finally:
        hub.stop()
    if report.delivered != count or report.errors or outbox.stats().depth:
        raise RuntimeError(f"drain: the round did not deliver everything: {report.summary()}")
    return {
        "applications": count,
        "at_hub": received,
        "drain_s": round(drain_s, 2),
        "drain_per_s": round(count / drain_s, 1),
        "floor_s": round(floor_s, 2),
        "floor_per_s": round(count / floor_s, 1),
        "queue_per_s": round(count / queue_s, 1),
        "target_per_s": DRAIN_TARGET_PER_S,
        "meets_target": count / drain_s >= DRAIN_TARGET_PER_S,
    }


def print_drain(result: dict[str, Any]) -> None:
    print(f"== drain: {result['applications']} applications to a local hub (SQLite, 127.0.0.1)")
    print(
        f"outbox → hub, one SyncEngine round: {result['drain_s']} s = "
        f"{result['drain_per_s']} applications/s (target ≥ {result['target_per_s']:.0f}/s: "
        f"{'met' if result['meets_target'] else 'MISSED'})"
    )
    print(
        f"floor, raw PUTs with one requests.Session, no outbox: {result['floor_s']} s = "
        f"{result['floor_per_s']} applications/s"
    )
    print(
        f"queueing (ApplicationDesk.submit: seal + durable commit): "
        f"{result['queue_per_s']} applications/s; at the hub afterwards: {result['at_hub']}"
    )


@dataclass(frozen=True)
class Bench:
    """One subcommand: its options, its run (in a temporary folder) and its printout."""

    help: str
    arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[Path, argparse.Namespace], dict[str, Any]]
    report: Callable[[dict[str, Any]], None]


def _drain_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--applications", type=int, default=1000)


BENCHES = {
    "drain": Bench("drain the outbox to a local hub", _drain_arguments, drain, print_drain),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name, bench in BENCHES.items():
        sub = commands.add_parser(name, help=bench.help)
        bench.arguments(sub)
        sub.add_argument("--json", action="store_true")
    args = parser.parse_args()
    bench = BENCHES[args.command]
    with tempfile.TemporaryDirectory(prefix=f"kiosk-sync-{args.command}-") as folder:
        result = bench.run(Path(folder), args)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        bench.report(result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
