"""Offline store benchmark: import throughput, search latency, open + first query, with floors.

    python benchmarks/run.py --offers 100000 [--queries 400] [--json]

Every figure is printed beside a floor measured in the same run on the same machine:
- import: the whole path from a France Travail JSON file (read, parse, normalise, upsert, index)
  beside a raw `executemany` of the same rows into a bare table;
- search: first page + total + facet counts through `Searcher.search`, beside a raw sqlite3
  FTS5 MATCH that only fetches the rowids of the same words (for queries without words, a raw
  `count(*)`);
- open + first query: a fresh process opens the store (integrity check, migrations check) and
  answers one query, index build included; the interpreter's start and imports are reported apart.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kiosk import demo  # noqa: E402
from kiosk.cli import import_files  # noqa: E402
from kiosk.config import DEMO_CONFIG_TOML, parse_config  # noqa: E402
from kiosk.domain import WorkingTime  # noqa: E402
from kiosk.offline.bulk import parser_pool  # noqa: E402
from kiosk.offline.db import open_offers_database  # noqa: E402
from kiosk.offline.offers import OfferStore  # noqa: E402
from kiosk.offline.search import Order, Searcher, SearchQuery  # noqa: E402
from kiosk.text import search_terms  # noqa: E402

ORIGIN = parse_config(DEMO_CONFIG_TOML, "demo").origin
PREFIXES = ["se", "ve", "ag", "cu", "ch", "in", "te", "ma", "co", "pr", "ai", "re", "em", "ca"]
PREFIXES += ["ser", "ven", "age", "cui", "cha", "inf", "tec", "mag", "com", "pre", "aid", "res"]
PREFIXES += ["serv", "vend", "agen", "cuis", "chau", "infi", "tech", "maga", "comp", "prep"]
WORDS = ["serveur", "vendeur", "cuisinier", "chauffeur", "infirmier", "electricien", "soignant"]
WORDS += ["magasinier", "comptable", "boulanger", "agent", "nettoyage", "securite", "paris"]


def percentile(values: list[float], fraction: float) -> float:
    """The value below which `fraction` of `values` fall (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def query_mix(count: int, seed: int = 1) -> list[SearchQuery]:
    """Typing states and taps a passer-by makes: prefixes, words, filters, both orders."""
    rng = random.Random(seed)
    queries: list[SearchQuery] = []
    for i in range(count):
        kind = i % 5
        text = rng.choice(PREFIXES) if kind in (0, 1) else rng.choice(WORDS) if kind == 2 else ""
        queries.append(
            SearchQuery(
                text=text,
                contracts=frozenset(rng.sample(["CDI", "CDD", "MIS", "SAI"], rng.randint(0, 2))),
                working_time=rng.choice([None, None, WorkingTime.FULL, WorkingTime.PART]),
                max_km=rng.choice([None, None, 5, 10, 20, 50]),
                posted_within_days=rng.choice([None, None, None, 1, 7, 30]),
                accessible_only=rng.random() < 0.1,
                order=Order.NEWEST if kind == 4 else Order.DISTANCE,
            )
        )
    return queries


def bench_import(workdir: Path, offers: int) -> dict[str, Any]:
    """End-to-end import from a France Travail JSON file, and the raw insert floor."""
    source = workdir / "offers.json"
    started = time.perf_counter()
    demo.write_demo_file(source, offers, ORIGIN)
    generated_s = time.perf_counter() - started

    store = OfferStore(open_offers_database(workdir / "offers.sqlite"), ORIGIN)
    store.ensure_origin()
    started = time.perf_counter()
    report = import_files(store, [source], None, pool=parser_pool)  # as `kiosk import` does
    import_s = time.perf_counter() - started
    assert report.inserted == offers and not report.rejected, report.summary()

    # Floor: the same rows, already built, inserted with one executemany into a bare table.
    with store.engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT o.*, d.raw FROM offers o JOIN offer_documents d ON d.offer_id = o.id"
        ).all()
    floor_db = sqlite3.connect(workdir / "floor.sqlite")
    floor_db.execute("PRAGMA journal_mode=WAL")
    floor_db.execute("PRAGMA synchronous=NORMAL")
    columns = len(rows[0])
    floor_db.execute(f"CREATE TABLE t ({', '.join(f'c{i}' for i in range(columns))})")
    started = time.perf_counter()
    floor_db.executemany(f"INSERT INTO t VALUES ({', '.join('?' * columns)})", rows)
    floor_db.commit()
    floor_s = time.perf_counter() - started
    floor_db.close()
    store.engine.dispose()
    return {
        "offers": offers,
        "json_mb": round(source.stat().st_size / 1e6, 1),
        "generate_s": round(generated_s, 2),
        "import_s": round(import_s, 2),
        "import_offers_per_s": round(offers / import_s),
        "import_floor_rows_per_s": round(offers / floor_s),
    }


def bench_search(workdir: Path, count: int) -> dict[str, Any]:
    """Latency of Searcher.search over the query mix, and of the raw FTS5 floor."""
    engine = open_offers_database(workdir / "offers.sqlite")
    searcher = Searcher(engine)
    started = time.perf_counter()
    searcher.index()
    index_ms = (time.perf_counter() - started) * 1000
    raw = sqlite3.connect(workdir / "offers.sqlite")
    queries = query_mix(count)
    timings: list[float] = []
    floors: list[float] = []
    totals: list[int] = []
    for query in queries:
        started = time.perf_counter()
        page = searcher.search(query)
        timings.append((time.perf_counter() - started) * 1000)
        totals.append(page.total)
        terms = search_terms(query.text)
        started = time.perf_counter()
        if terms:
            expression = " ".join(f'"{t}"*' for t in terms)
            raw.execute(
                "SELECT rowid FROM offers_fts WHERE offers_fts MATCH ?", (expression,)
            ).fetchall()
        else:
            raw.execute("SELECT count(*) FROM offers").fetchall()
        floors.append((time.perf_counter() - started) * 1000)
    raw.close()
    searcher.close()
    engine.dispose()
    return {
        "queries": count,
        "index_build_ms": round(index_ms, 1),
        "search_p50_ms": round(percentile(timings, 0.50), 2),
        "search_p95_ms": round(percentile(timings, 0.95), 2),
        "search_p99_ms": round(percentile(timings, 0.99), 2),
        "search_max_ms": round(max(timings), 2),
        "search_floor_p50_ms": round(percentile(floors, 0.50), 2),
        "search_floor_p95_ms": round(percentile(floors, 0.95), 2),
        "search_floor_p99_ms": round(percentile(floors, 0.99), 2),
        "median_total": statistics.median(totals),
    }


_OPEN_PROBE = """
import json, sys, time
started = time.perf_counter()
from pathlib import Path
from kiosk.geo import Point
from kiosk.offline.db import open_offers_database
from kiosk.offline.offers import OfferStore
from kiosk.offline.search import Searcher, SearchQuery
imported = time.perf_counter()
engine = open_offers_database(Path(sys.argv[1]))
store = OfferStore(engine, Point(float(sys.argv[2]), float(sys.argv[3])))
store.ensure_origin()
page = Searcher(engine).search(SearchQuery())
answered = time.perf_counter()
print(json.dumps({"imports_ms": (imported - started) * 1000,
                  "open_first_query_ms": (answered - imported) * 1000, "total": page.total}))
"""


def bench_open(workdir: Path, runs: int = 5) -> dict[str, Any]:
    """Open the store and answer the first query in a fresh process (median of `runs`)."""
    figures = []
    for _ in range(runs):
        output = subprocess.run(
            [sys.executable, "-c", _OPEN_PROBE, str(workdir / "offers.sqlite"),
             str(ORIGIN.latitude), str(ORIGIN.longitude)],
            check=True, capture_output=True, text=True, cwd=ROOT,
        ).stdout  # fmt: skip
        figures.append(json.loads(output))
    return {
        "open_first_query_ms": round(statistics.median(f["open_first_query_ms"] for f in figures)),
        "open_imports_ms": round(statistics.median(f["imports_ms"] for f in figures)),
    }


def main() -> None:
    """Run every benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offers", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-") as folder:
        workdir = Path(folder)
        figures = bench_import(workdir, args.offers)
        figures |= bench_search(workdir, args.queries)
        figures |= bench_open(workdir)
    if args.json:
        print(json.dumps(figures))
        return
    print(f"offers                      {figures['offers']:>10}  ({figures['json_mb']} MB of JSON)")
    print(
        f"import (offers/s)           {figures['import_offers_per_s']:>10}"
        f"   floor (raw executemany rows/s) {figures['import_floor_rows_per_s']}"
    )
    for q in ("p50", "p95", "p99"):
        print(
            f"search {q} (ms)             {figures[f'search_{q}_ms']:>10}"
            f"   floor (raw FTS5 MATCH) {figures[f'search_floor_{q}_ms']}"
        )
    print(f"search index build (ms)     {figures['index_build_ms']:>10}")
    print(
        f"open + first query (ms)     {figures['open_first_query_ms']:>10}"
        f"   (+ {figures['open_imports_ms']} ms of Python imports)"
    )


if __name__ == "__main__":
    main()
