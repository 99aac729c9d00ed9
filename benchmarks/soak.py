"""Soak: applications through a faulty network to a real hub, the terminal killed at random.

    python -m benchmarks.soak [--applications 200] [--kills 50] [--seed 1] [--fault-rate 0.2]
        [--keep DIR]

A real hub (`kiosk-hub serve`, SQLite, in its own process on 127.0.0.1) behind the fault proxy
of tests/sync/faults.py, which gives a share of the requests a fault drawn at random (seeded):
refused, timed out, 5xx, 429 with Retry-After, truncated, garbage, slow drip, answer lost
after the hub stored the request. Terminal processes (benchmarks/soak_terminal.py) take
applications as the kiosk does and sync them as the kiosk does; each is killed with SIGKILL
at a random moment and the next one starts on the same data folder. Meanwhile the hub's offers
change every few kills (offers withdrawn, added and updated), so feeds are cut half-way too.

At the end the network heals and one last terminal runs until its queue is empty; its clock is
an hour ahead, so that every backoff the kills left behind has run out (the terminal coming
back later, not sooner than its retry rules allow). Then:

- lost: applications confirmed on screen (in the ledger) that the hub does not have;
- duplicated: hub rows beyond the first for one application id, or for one form (each form
  carries a marker, sealed with it, so two copies of one form under two ids would show);
- drained: the terminal's outbox is empty (nothing queued, sending or parked);
- the offers cache and the outbox pass PRAGMA integrity_check, and the cache holds exactly the
  offers the hub's feed lists for this terminal.

It prints `lost=0 duplicated=0 drained=true` and exits 0 on success; non-zero otherwise.
"""

from __future__ import annotations

import argparse
import math
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.hub_load import CONFIG, free_port, start_server  # noqa: E402
from benchmarks.soak_terminal import TerminalProcess  # noqa: E402
from hub.app import Services, build_services  # noqa: E402
from hub.db import open_database  # noqa: E402
from hub.ingest import ingest_payload  # noqa: E402
from hub.keys import load_or_create_keys  # noqa: E402
from hub.schemas import EnrolRequest  # noqa: E402
from hub.settings import HubConfig, HubSettings, sqlite_url  # noqa: E402
from kiosk import demo  # noqa: E402
from kiosk.geo import Point  # noqa: E402
from tests.sync.faults import Fault, FaultProxy  # noqa: E402

PARIS = Point(48.8443, 2.3744)
TERMINAL_ID = "soak-01"
OFFERS = 300  # listed by the hub at any time
CHANGE_EVERY = 10  # kills between two changes of the hub's offers
CLIENT_TIMEOUT_S = 1.5  # the terminal's connect and read timeouts (the kiosk's are 5 and 30)
FINAL_OFFSET_S = 3700  # the last terminal's clock: an hour later, every backoff run out
TERMINAL_CONFIG = f"""\
[terminal]
id = "{TERMINAL_ID}"
name = "Soak"

[location]
latitude = {PARIS.latitude}
longitude = {PARIS.longitude}
label = "Paris Gare de Lyon"
radius_km = 30
"""


class Hub:
    """The hub's database prepared in this process, and its server in another."""

    def __init__(self, folder: Path, offers: int = OFFERS, terminal_id: str = TERMINAL_ID) -> None:
        self.offers = offers
        self.data_dir = folder / "hub"
        self.database = sqlite_url(self.data_dir / "hub.sqlite")
        settings = HubSettings(
            config=HubConfig(),
            data_dir=self.data_dir,
            database_url=self.database,
            source="soak",
        )
        keys, _ = load_or_create_keys(settings.key_file)
        self.public_key = keys.public_key
        self.services: Services = build_services(settings, open_database(self.database), keys)
        self.operator = self.services.operators.create()
        self.pool = demo.generate_offers(2 * offers, PARIS, seed=11)
        if offers:
            self.change(0)
        code, _ = self.services.terminals.create_code(terminal_id)
        self.token = self.services.terminals.enrol(
            EnrolRequest(
                code=code,
                terminal_id=terminal_id,
                name="Soak",
                latitude=PARIS.latitude,
                longitude=PARIS.longitude,
                radius_km=30,
                version="0.1.0",
            )
        )
        config = self.data_dir / "hub.toml"
        config.write_text(CONFIG, encoding="utf-8")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = start_server(self.database, self.data_dir, self.port, config)

    def change(self, generation: int) -> None:
        """List a window of the pool that moves on by 10 %: offers withdrawn, offers added,
        and a few of those kept changed."""
        start = (generation * self.offers // 10) % self.offers
        listed = [dict(record) for record in self.pool[start : start + self.offers]]
        for record in listed[:: max(1, self.offers // 10)]:
            record["intitule"] = f"{record['intitule']} ({generation})"
        ingest_payload(self.services.offers, {"resultats": listed}, None, full_refresh=True)

    def applications(self) -> list[dict[str, Any]]:
        """Every application the hub holds, unsealed (the operators' export)."""
        answer = httpx.get(
            f"{self.url}/v1/admin/applications/export",
            params={"format": "json"},
            headers={"Authorization": f"Bearer {self.operator}"},
            timeout=120,
        )
        answer.raise_for_status()
        return list(answer.json()["applications"])

    def feed(self) -> set[tuple[str, str]]:
        """The offers the hub's feed lists for the terminal, pulled from scratch."""
        listed: set[tuple[str, str]] = set()
        cursor = None
        with httpx.Client(headers={"Authorization": f"Bearer {self.token}"}) as client:
            while True:
                params: dict[str, Any] = {"limit": 1000}
                if cursor:
                    params["cursor"] = cursor
                page = client.get(f"{self.url}/v1/feed", params=params, timeout=120).json()
                listed |= {(str(o["source"]), str(o["id"])) for o in page["offers"]}
                cursor = page["cursor"]
                if not page["more"]:
                    return listed

    def stop(self) -> None:
        self.server.send_signal(signal.SIGINT)
        try:
            self.server.wait(20)
        except subprocess.TimeoutExpired:
            self.server.kill()
        self.services.db.dispose()


def _rows(path: Path, query: str) -> list[tuple[Any, ...]]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute(query).fetchall()
    finally:
        connection.close()


def _ledger(path: Path) -> dict[str, str]:
    """Application id → form marker, for each whole line (a kill may cut the last one)."""
    entries = {}
    if path.exists():
        for line in path.read_text(encoding="ascii").splitlines():
            parts = line.split()
            if len(parts) == 2 and len(parts[0]) == 36 and len(parts[1]) == 32:
                entries[parts[0]] = parts[1]
    return entries


def soak(folder: Path, args: argparse.Namespace) -> int:
    rng = random.Random(args.seed)
    started = time.monotonic()
    print(f"soak: preparing the hub in {folder}…", file=sys.stderr)
    hub = Hub(folder)
    with ExitStack() as stack:
        stack.callback(hub.stop)
        proxy = stack.enter_context(FaultProxy(hub.url, drip_interval_s=CLIENT_TIMEOUT_S + 0.5))
        proxy.randomly(args.fault_rate, args.seed, tuple(Fault), retry_after=("1", "2", "3"))
        config = folder / "kiosk.toml"
        config.write_text(
            TERMINAL_CONFIG + f'\n[hub]\nurl = "{proxy.url}"\ntoken = "{hub.token}"\n'
            f'public_key = "{hub.public_key}"\n',
            encoding="utf-8",
        )
        data, ledger, log = folder / "terminal", folder / "ledger.txt", folder / "terminal.log"
        options = ["--config", str(config), "--data-dir", str(data), "--ledger", str(ledger)]
        kills = generation = 0
        early = 0  # kills before the terminal said it was ready (start-up, recovery)
        while kills < args.kills or len(_ledger(ledger)) < args.applications:
            remaining = max(0, args.applications - len(_ledger(ledger)))
            take = math.ceil(remaining / max(1, args.kills - kills))
            extra = ["--submit", str(take), "--pace", "0.15", "--interval", "5"]
            extra += ["--timeout", str(CLIENT_TIMEOUT_S), "--page-limit", "100"]
            extra += ["--seed", str(rng.randrange(1 << 30))]
            with TerminalProcess([*options, *extra], log) as child:
                if rng.random() < 0.2:
                    time.sleep(rng.uniform(0.3, 1.5))
                    early += child.count("ready") == 0
                else:
                    child.wait_for("ready")
                    time.sleep(rng.uniform(0, 2.5))
                ended = child.kill()
            if ended is not None:
                print(f"soak: a terminal ended by itself ({ended}); see {log}", file=sys.stderr)
                return 2
            kills += 1
            if kills % CHANGE_EVERY == 0:
                generation += 1
                hub.change(generation)
            if kills % 10 == 0:
                print(
                    f"soak: {kills} kills, {len(_ledger(ledger))} applications confirmed, "
                    f"{time.monotonic() - started:.0f} s",
                    file=sys.stderr,
                )
        faults = proxy.counts
        proxy.calm()
        final = ["--until-drained", "--clock-offset", str(FINAL_OFFSET_S), "--interval", "5"]
        with TerminalProcess([*options, *final], log) as child:
            code = child.wait(600)
        confirmed = _ledger(ledger)
        received = hub.applications()
        hub_offers = hub.feed()
    by_id = Counter(a["application_id"] for a in received)
    markers = Counter(
        str((a["application"] or {}).get("offer", {}).get("title", "")).removeprefix("soak ")
        for a in received
    )
    lost = sum(1 for application_id in confirmed if application_id not in by_id)
    duplicated = sum(n - 1 for n in by_id.values()) + sum(n - 1 for n in markers.values())
    unreadable = sum(1 for a in received if a["application"] is None)
    mismatched = sum(
        1
        for a in received
        if a["application"] is not None
        and a["application"].get("application_id") != a["application_id"]
    )
    waiting = _rows(data / "outbox.sqlite", "SELECT state, count(*) FROM applications GROUP BY 1")
    drained = code == 0 and not waiting
    integrity = {
        name: _rows(data / name, "PRAGMA integrity_check")[0][0]
        for name in ("offers.sqlite", "outbox.sqlite")
    }
    cached = set(_rows(data / "offers.sqlite", "SELECT source, external_id FROM offers"))
    consistent = cached == hub_offers
    unledgered = sum(1 for application_id in by_id if application_id not in confirmed)
    injected = {str(k): v for k, v in sorted(faults.items()) if k != "forwarded"}
    print(
        f"soak: {len(confirmed)} applications confirmed on screen, {len(by_id)} at the hub "
        f"({unledgered} submitted but killed before their ledger line), {kills} kills "
        f"({early} during start-up), {time.monotonic() - started:.0f} s"
    )
    print(f"network: {faults.total()} requests, {faults['forwarded']} untouched, faults {injected}")
    print(
        f"terminal: outbox {dict(waiting) or 'empty'}; integrity offers "
        f"{integrity['offers.sqlite']}, outbox {integrity['outbox.sqlite']}; offers cached "
        f"{len(cached)}, listed by the hub {len(hub_offers)} "
        f"({'consistent' if consistent else 'INCONSISTENT'}); unreadable {unreadable}, "
        f"id mismatches {mismatched}"
    )
    print(f"lost={lost} duplicated={duplicated} drained={'true' if drained else 'false'}")
    sound = all(v == "ok" for v in integrity.values()) and consistent
    success = not lost and not duplicated and drained and sound and not unreadable
    return 0 if success and not mismatched else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--applications", type=int, default=200)
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--fault-rate", type=float, default=0.2, help="share of requests")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args()
    if args.keep is not None:
        args.keep.mkdir(parents=True, exist_ok=True)
        return soak(args.keep, args)
    with tempfile.TemporaryDirectory(prefix="kiosk-soak-") as folder:
        return soak(Path(folder), args)


if __name__ == "__main__":
    raise SystemExit(main())
