"""Firms near here: how long the terminal takes to find the firms of a trade, a family or a
search in its cache, at the hub's cap of 3,000 firms.

    python benchmarks/firms.py [--firms 3000] [--trades 2] [--runs 200] [--json]

These look-ups run on the UI thread: the browse screen counts the firms of its search as the
passer-by types (a SQL count: `*_count_*` figures), the offer screen those of the open offer's
trade; the firms screen lists them (`*_list_*` figures). The cache is a real SQLite
file replaced as a sync replaces it (one transaction). Floor, same run, same file: a primary-key
look-up of one firm (what any query on this file costs at the least).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kiosk.geo import Point  # noqa: E402
from kiosk.offline.db import open_offers_database  # noqa: E402
from kiosk.offline.firms import FirmsCache, parse_firms  # noqa: E402

ORIGIN = Point(48.8443, 2.3744)  # Paris Gare de Lyon, as the demo terminal
# ROME codes of several families, with labels as the hub sends them.
TRADES = (
    ("D1106", "Vente en alimentation"),
    ("D1102", "Boulangerie - viennoiserie"),
    ("D1507", "Mise en rayon libre-service"),
    ("G1602", "Personnel de cuisine"),
    ("G1803", "Service en restauration"),
    ("F1703", "Maçonnerie"),
    ("K1304", "Services domestiques"),
    ("N1103", "Magasinage et préparation de commandes"),
    ("H2909", "Montage-assemblage mécanique"),
    ("J1501", "Soins d'hygiène, de confort du patient"),
)
SEARCHES = ("boulang", "vente", "cuisine", "magasin", "paris", "maçon", "plombier")


def percentile(values: list[float], fraction: float) -> float:
    """The value below which `fraction` of `values` fall (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def firms_body(count: int, trades_each: int, seed: int = 1) -> dict[str, Any]:
    """A GET /v1/firms answer of `count` firms within 30 km, each for `trades_each` trades."""
    chance = random.Random(seed)
    firms = []
    for n in range(count):
        chosen = chance.sample(TRADES, trades_each)
        firms.append(
            {
                "siret": f"{10_000_000_000_000 + n:014d}",
                "name": f"Entreprise {n} {chance.choice(('Martin', 'Dupont', 'Leroy', 'Moreau'))}",
                "sector": chance.choice(("Boulangerie", "Supermarchés", "Restauration", "BTP")),
                "naf": "4711D",
                "headcount_min": 10,
                "headcount_max": 19,
                "latitude": ORIGIN.latitude + chance.uniform(-0.27, 0.27),
                "longitude": ORIGIN.longitude + chance.uniform(-0.4, 0.4),
                "city": chance.choice(("Paris", "Montreuil", "Vincennes", "Créteil")),
                "postcode": "75012",
                "trades": [
                    {
                        "rome": rome,
                        "label": label,
                        "hiring_potential": round(chance.uniform(0.1, 5), 2),
                        "high": chance.random() < 0.2,
                    }
                    for rome, label in chosen
                ],
            }
        )
    return {"spontaneous": True, "source": "La Bonne Boîte, France Travail", "firms": firms}


def timed(call: Callable[[], object], runs: int) -> list[float]:
    """Milliseconds of each of `runs` calls."""
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--firms", type=int, default=3000)
    parser.add_argument("--trades", type=int, default=2, help="trades per firm")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kiosk-firms-") as folder:
        engine = open_offers_database(Path(folder) / "offers.sqlite")
        cache = FirmsCache(engine, ORIGIN)
        answer, rejected = parse_firms(firms_body(args.firms, args.trades))
        assert rejected == 0
        started = time.perf_counter()
        cache.replace(answer, 'W/"bench"')
        replace_ms = (time.perf_counter() - started) * 1000
        rome = timed(lambda: cache.for_rome("D1102"), args.runs)
        family = timed(lambda: cache.for_family("D"), args.runs)
        searches = iter(SEARCHES * args.runs)
        search = timed(lambda: cache.for_text(next(searches)), args.runs)
        rome_count = timed(lambda: cache.count_rome("D1102"), args.runs)
        family_count = timed(lambda: cache.count_family("D"), args.runs)
        searches = iter(SEARCHES * args.runs)
        search_count = timed(lambda: cache.count_text(next(searches)), args.runs)
        with engine.connect() as connection:
            statement = text("SELECT * FROM firms WHERE siret = :siret")
            floor = timed(
                lambda: connection.execute(statement, {"siret": "10000000001234"}).all(),
                args.runs,
            )
        engine.dispose()
    figures: dict[str, float | int] = {
        "firms": args.firms,
        "trades_per_firm": args.trades,
        "replace_ms": round(replace_ms, 1),
    }
    for name, timings in (
        ("rome_list", rome),
        ("family_list", family),
        ("search_list", search),
        ("rome_count", rome_count),
        ("family_count", family_count),
        ("search_count", search_count),
    ):
        figures[f"{name}_p50_ms"] = round(percentile(timings, 0.5), 2)
        figures[f"{name}_p95_ms"] = round(percentile(timings, 0.95), 2)
    figures["floor_key_lookup_p50_ms"] = round(percentile(floor, 0.5), 3)
    if args.json:
        print(json.dumps(figures))
        return
    for key, value in figures.items():
        print(f"{key:28} {value}")


if __name__ == "__main__":
    main()
