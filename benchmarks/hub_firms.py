"""Firms near here, hub side: `GET /v1/firms` at the cap of 3,000 firms, first asked (cold),
revalidated (304) and sent whole (200), beside the floor of HTTP.

    python benchmarks/hub_firms.py [--firms 4000] [--trades 20] [--requests 200] [--cold 20]
        [--database sqlite|postgresql|both] [--json]

The hub runs as `kiosk-hub serve` in its own process on 127.0.0.1 with a `[labonneboite]`
section and no background jobs (as benchmarks/hub_load.py starts it), over a file-backed SQLite
database or a throwaway durable PostgreSQL cluster (fsync on) when its binaries are installed.
This process prepares the database as the hub's own paths would: a ROME list of 600 trades
(`RomeList.import_entries`), an organisation receiving spontaneous applications, four enrolled
terminals (two in Paris 5 km apart, Lyon, Marseille; 30 km each), and one complete harvest
written through `FirmStore` (`start_run`, pages of 100 firms per trade, `finish_run`):
`--firms` firms in each of the three areas, each found for one or two of `--trades` trades
(≈ 1.5 rows a firm, what 20 trades × 3 pages of 100 bring).

Then, on one keep-alive connection of a real HTTP client (httpx), the terminals in turn:

- the first request of all (the hub's cache of answers is empty);
- `--cold` more cold ones: before each, this process records a finished (incomplete) harvest,
  which changes no firm but empties the hub's cache as a real one would;
- `--requests` with the ETag of the terminal's list (304, nothing sent back);
- `--requests` without it (200, the whole list from the cache).

The floor is `GET /v1/health` the same way in the same run (HTTP, no authentication, no
database). A 200 is timed until its last byte is read.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.databases import each_database, report  # noqa: E402
from benchmarks.firms import TRADES  # noqa: E402
from benchmarks.fleet import figures  # noqa: E402
from benchmarks.hub_load import CONFIG, free_port, start_server  # noqa: E402
from hub.app import build_services  # noqa: E402
from hub.db import open_database  # noqa: E402
from hub.firms.client import FirmHit  # noqa: E402
from hub.firms.directory import MAX_FIRMS  # noqa: E402
from hub.firms.store import FirmStore  # noqa: E402
from hub.keys import load_or_create_keys  # noqa: E402
from hub.recruiters.rome import RomeList  # noqa: E402
from hub.schemas import EnrolRequest  # noqa: E402
from hub.settings import HubConfig, HubSettings  # noqa: E402
from kiosk.geo import Point  # noqa: E402
from kiosk.text import fold  # noqa: E402

FIRMS_CONFIG = CONFIG + '\n[labonneboite]\nclient_id = "PAR_bench"\nclient_secret = "bench"\n'
RADIUS_KM = 30.0
AREAS = {
    "paris": Point(48.8443, 2.3744),
    "lyon": Point(45.7606, 4.8593),
    "marseille": Point(43.3026, 5.3806),
}
# (terminal, where): two Paris terminals 5 km apart, each with its own answer.
TERMINALS = (
    ("paris-gare-de-lyon", AREAS["paris"]),
    ("paris-batignolles", Point(48.8870, 2.3170)),
    ("lyon-part-dieu", AREAS["lyon"]),
    ("marseille-joliette", AREAS["marseille"]),
)
ROME_LIST = 600  # about the size of the real ROME list
PAGE = 100  # La Bonne Boîte's page
WARM_UP = 10
KM_PER_DEGREE = 111.2


def trade_codes(count: int) -> list[tuple[str, str]]:
    """`count` ROME codes and labels: benchmarks/firms.py's trades first, then invented ones."""
    known = list(TRADES)
    invented = [(f"M{1000 + n:04d}", f"Métier inventé numéro {n}") for n in range(count)]
    return (known + invented)[:count]


def area_hits(
    area: str, centre: Point, firms: int, trades: list[tuple[str, str]], chance: random.Random
) -> dict[str, list[FirmHit]]:
    """The firms La Bonne Boîte would give for each trade of an area: `firms` firms spread over
    the 30 km circle, each for one or two trades; per trade, best potential first."""
    found: dict[str, list[FirmHit]] = {code: [] for code, _ in trades}
    prefix = f"{list(AREAS).index(area) + 1}"
    for n in range(firms):
        distance = RADIUS_KM * chance.random() ** 0.5  # even over the disc
        bearing = chance.uniform(0, 2 * math.pi)
        latitude = centre.latitude + distance * math.cos(bearing) / KM_PER_DEGREE
        longitude = centre.longitude + distance * math.sin(bearing) / (
            KM_PER_DEGREE * math.cos(math.radians(centre.latitude))
        )
        siret = f"{prefix}{n:08d}{chance.randrange(100_000):05d}"
        headcount = chance.choice(((1, 2), (3, 5), (10, 19), (20, 49), (50, 99), (None, None)))
        for code, _ in chance.sample(trades, chance.choice((1, 2))):
            found[code].append(
                FirmHit(
                    siret=siret,
                    rome=code,
                    name=f"Entreprise {area.title()} {n} {chance.choice(('SARL', 'SAS', 'EURL'))}",
                    naf="4711D",
                    sector=chance.choice(("Boulangerie", "Supermarchés", "Restauration", "BTP")),
                    headcount_min=headcount[0],
                    headcount_max=headcount[1],
                    latitude=round(latitude, 6),
                    longitude=round(longitude, 6),
                    city=area.title(),
                    postcode="75012",
                    hiring_potential=round(chance.uniform(0.1, 5), 3),
                    high=chance.random() < 0.2,
                )
            )
    for hits in found.values():
        hits.sort(key=lambda hit: -hit.hiring_potential)
    return found


@dataclass(frozen=True, slots=True)
class Prepared:
    tokens: dict[str, str]
    rows: int
    seeded_s: float


def prepare(url: str, data_dir: Path, firms: int, trades: int) -> Prepared:
    """Migrate; the ROME list, a spontaneous organisation, the terminals and one complete
    harvest, written as the hub writes them."""
    settings = HubSettings(
        config=HubConfig(), data_dir=data_dir, database_url=url, source="benchmark"
    )
    keys, _ = load_or_create_keys(settings.key_file)
    db = open_database(url)
    services = build_services(settings, db, keys)
    started = time.perf_counter()
    chosen = trade_codes(trades)
    labels = dict(chosen) | {
        f"K{2000 + n:04d}": f"Métier du répertoire {n}" for n in range(ROME_LIST - len(chosen))
    }
    RomeList(db).import_entries(
        [{"code": c, "label": label, "folded": fold(label)} for c, label in labels.items()]
    )
    organisation = services.accounts.create_organisation("agence-bench", "France Travail Bench")
    services.accounts.set_spontaneous(organisation)
    tokens = {}
    for terminal_id, where in TERMINALS:
        code, _ = services.terminals.create_code(terminal_id)
        tokens[terminal_id] = services.terminals.enrol(
            EnrolRequest(
                code=code,
                terminal_id=terminal_id,
                name=f"Mairie {terminal_id}",
                latitude=where.latitude,
                longitude=where.longitude,
                radius_km=RADIUS_KM,
                version="0.1.0",
            )
        )
    store = FirmStore(db, time.time)
    run = store.start_run()
    chance = random.Random(7)
    rows = calls = 0
    for area, centre in AREAS.items():
        for hits in area_hits(area, centre, firms, chosen, chance).values():
            for start in range(0, len(hits), PAGE):
                store.upsert(run, hits[start : start + PAGE])
                calls += 1
            rows += len(hits)
    store.finish_run(
        run,
        complete=True,
        queries=len(AREAS) * trades,
        calls=calls,
        found=rows,
        errors=[],
    )
    seeded_s = time.perf_counter() - started
    db.dispose()
    return Prepared(tokens, rows, seeded_s)


def timed_get(client: httpx.Client, path: str, token: str | None, etag: str | None) -> Any:
    headers = {} if token is None else {"Authorization": f"Bearer {token}"}
    if etag is not None:
        headers["If-None-Match"] = etag
    began = time.perf_counter()
    answer = client.get(path, headers=headers)
    return time.perf_counter() - began, answer


def forget_answers(url: str) -> None:
    """A finished harvest that changes no firm: the hub's cached answers are stale."""
    db = open_database(url)
    try:
        store = FirmStore(db, time.time)
        store.finish_run(store.start_run(), complete=False, queries=0, calls=0, found=0, errors=[])
    finally:
        db.dispose()


def run(database: str, url: str, data_dir: Path, args: argparse.Namespace) -> dict[str, Any]:
    data_dir.mkdir(parents=True, exist_ok=True)
    prepared = prepare(url, data_dir, args.firms, args.trades)
    config = data_dir / "hub.toml"
    config.write_text(FIRMS_CONFIG)
    port = free_port()
    server = start_server(url, data_dir, port, config)
    terminals = list(prepared.tokens.items())
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            health = []
            for index in range(WARM_UP + args.requests):
                elapsed, answer = timed_get(client, "/v1/health", None, None)
                assert answer.status_code == 200, answer.status_code
                if index >= WARM_UP:
                    health.append(elapsed)
            first_s, first = timed_get(client, "/v1/firms", terminals[0][1], None)
            assert first.status_code == 200, first.text
            etags: dict[str, str] = {}
            lists: dict[str, dict[str, Any]] = {}
            for terminal_id, token in terminals:
                _, answer = timed_get(client, "/v1/firms", token, None)
                assert answer.status_code == 200, answer.text
                etags[terminal_id] = answer.headers["ETag"]
                body = answer.json()
                lists[terminal_id] = {"firms": len(body["firms"]), "bytes": len(answer.content)}
                assert body["spontaneous"] is True
            cold = []
            for index in range(args.cold):
                forget_answers(url)
                terminal_id, token = terminals[index % len(terminals)]
                elapsed, answer = timed_get(client, "/v1/firms", token, None)
                assert answer.status_code == 200, answer.status_code
                assert answer.headers["ETag"] == etags[terminal_id]  # the same list
                cold.append(elapsed)
            revalidated, whole = [], []
            for index in range(WARM_UP + args.requests):
                terminal_id, token = terminals[index % len(terminals)]
                elapsed, answer = timed_get(client, "/v1/firms", token, etags[terminal_id])
                assert answer.status_code == 304, answer.status_code
                if index >= WARM_UP:
                    revalidated.append(elapsed)
            for index in range(WARM_UP + args.requests):
                terminal_id, token = terminals[index % len(terminals)]
                elapsed, answer = timed_get(client, "/v1/firms", token, None)
                assert answer.status_code == 200, answer.status_code
                assert len(answer.content) == lists[terminal_id]["bytes"]
                if index >= WARM_UP:
                    whole.append(elapsed)
        return {
            "database": database,
            "firms_per_area": args.firms,
            "trades": args.trades,
            "rows": prepared.rows,
            "seeded_s": round(prepared.seeded_s, 2),
            "requests": args.requests,
            "terminals": lists,
            "health_floor": figures(health),
            "first_ms": round(first_s * 1000, 2),
            "cold": figures(cold) if cold else None,
            "etag_304": figures(revalidated),
            "whole_200": figures(whole),
        }
    finally:
        server.terminate()
        server.wait(30)


def print_report(result: dict[str, Any]) -> None:
    print(
        f"\n{result['database']}: {result['firms_per_area']:,} firms in each of "
        f"{len(AREAS)} areas, {result['trades']} trades ({result['rows']:,} rows, seeded in "
        f"{result['seeded_s']} s), {result['requests']} requests each"
    )
    for terminal_id, listed in result["terminals"].items():
        capped = " (the cap)" if listed["firms"] == MAX_FIRMS else ""
        print(
            f"  {terminal_id:22} {listed['firms']:6,} firms{capped:10} {listed['bytes']:>10,} bytes"
        )
    print(f"  {'request':34} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    rows = [("floor: GET /v1/health", result["health_floor"])]
    rows.append(("first GET /v1/firms (cache empty)", {"p50_ms": result["first_ms"]}))
    if result["cold"]:
        rows.append(("cold (after a harvest)", result["cold"]))
    rows += [("with the ETag (304)", result["etag_304"]), ("without (200)", result["whole_200"])]
    for name, figure in rows:
        cells = [figure.get(key) for key in ("p50_ms", "p95_ms", "max_ms")]
        print(f"  {name:34} " + " ".join("        " if c is None else f"{c:8.1f}" for c in cells))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--firms", type=int, default=4000, help="firms in each area")
    parser.add_argument("--trades", type=int, default=20)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--cold", type=int, default=20)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not 0 < args.firms <= 100_000 or not 0 < args.requests <= 10_000:
        parser.error("--firms must be in 1..100000 and --requests in 1..10000")
    if not 2 <= args.trades <= ROME_LIST or not 0 <= args.cold <= 1_000:
        parser.error(f"--trades must be in 2..{ROME_LIST} and --cold in 0..1000")
    results = [
        run(target.name, target.url, target.data_dir, args)
        for target in each_database(args.database, "firms-bench")
    ]
    report(results, print_report, args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
