"""Funnel benchmark: the fleet page's funnel (/fleet/funnel's queries) over a large fleet.

    python benchmarks/funnel.py [--terminals 1000] [--applications 100000] [--offers 5000]
        [--offers-per-day 20] [--days 90] [--database sqlite|postgresql|both] [--repeat 5]

Seeds a fresh hub database (SQLite in a temporary folder; PostgreSQL on a throwaway durable
cluster when its binaries are installed) with `--terminals` terminals, `--offers` offers in 50
organisations, `--applications` applications spread over `--days` days (a third contacted, one
in ten hired), and views: each terminal opened `--offers-per-day` offers every day. Then times
`Funnel.report()` for the last 7, 30 and 90 days, beside a floor measured in the same run:
the raw SQL that only counts the rows of the period it reads (the views' sums per terminal
and per offer, and the applications), which any funnel must read at least once.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import insert, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.databases import each_database  # noqa: E402
from hub.db import Database, open_database  # noqa: E402
from hub.models import Application, OfferRecord, Organisation, Terminal  # noqa: E402
from hub.recruiters.funnel import Funnel  # noqa: E402

NOW = 1_795_000_000  # 2026-11-18, a fixed "now"
BATCH = 5000


def _batches(rows: list[dict[str, object]]) -> list[list[dict[str, object]]]:
    return [rows[i : i + BATCH] for i in range(0, len(rows), BATCH)]


def seed(db: Database, args: argparse.Namespace) -> None:
    """The fleet, its offers and organisations, applications and views."""
    today = NOW // 86400
    with db.write() as connection:
        connection.execute(
            insert(Organisation),
            [
                {"slug": f"org-{n}", "name": f"Organisation {n}", "created_at": NOW}
                for n in range(50)
            ],
        )
        connection.execute(
            insert(Terminal),
            [
                {"terminal_id": f"term-{n}", "name": f"Terminal {n}", "latitude": 45.0,
                 "longitude": 5.0, "radius_km": 30.0, "enrolled_at": NOW - 200 * 86400}
                for n in range(args.terminals)
            ],
        )  # fmt: skip
        for batch in _batches(
            [
                {"source": "bench", "external_id": f"offer-{n}", "format": "francetravail",
                 "title": f"Offer {n}", "raw": "{}", "content_hash": "x", "seq": n + 1,
                 "withdrawn": False, "changed_at": NOW, "organisation_id": 1 + n % 50}
                for n in range(args.offers)
            ]
        ):  # fmt: skip
            connection.execute(insert(OfferRecord), batch)
    applications = []
    span = args.days * 86400
    for n in range(args.applications):
        received = NOW - (n * 7919) % span
        contacted = n % 3 == 0
        applications.append(
            {"application_id": str(uuid.UUID(int=n)), "terminal_id": f"term-{n % args.terminals}",
             "offer_source": "bench", "offer_id": f"offer-{(n * 31) % args.offers}",
             "created_at": "2026-11-18T00:00:00Z", "received_at": received, "body_hash": "x",
             "organisation_id": 1 + ((n * 31) % args.offers) % 50,
             "status": ("hired" if n % 10 == 0 else "contacted") if contacted else "new",
             "first_contact_at": received + (n * 97) % 86400 if contacted else None}
        )  # fmt: skip
    for batch in _batches(applications):
        with db.write() as connection:
            connection.execute(insert(Application), batch)
    biggest = max(args.terminals, args.offers_per_day, args.days)
    with db.write() as connection:
        connection.execute(text("CREATE TEMPORARY TABLE nums (n INTEGER PRIMARY KEY)"))
        connection.execute(
            text("INSERT INTO nums (n) VALUES (:n)"), [{"n": n} for n in range(biggest)]
        )
        connection.execute(
            text(
                "INSERT INTO offer_views (terminal_id, offer_source, offer_id, day, views) "
                "SELECT 'term-' || t.n, 'bench',"
                " 'offer-' || ((t.n * 37 + k.n * 101 + d.n) % :offers), :today - d.n,"
                " ((t.n + k.n + d.n) % 5) + 1 FROM nums t, nums k, nums d "
                "WHERE t.n < :terminals AND k.n < :per_day AND d.n < :days"
            ),
            {"offers": args.offers, "today": today, "terminals": args.terminals,
             "per_day": args.offers_per_day, "days": args.days},
        )  # fmt: skip
        connection.execute(text("DROP TABLE nums"))
        # Their sums, as the heartbeats write them (hub/recruiters/funnel.py record_views).
        connection.execute(
            text(
                "INSERT INTO terminal_day_views (terminal_id, day, views) "
                "SELECT terminal_id, day, sum(views) FROM offer_views GROUP BY terminal_id, day"
            )
        )
        connection.execute(
            text(
                "INSERT INTO offer_day_views (offer_source, offer_id, day, views) "
                "SELECT offer_source, offer_id, day, sum(views) FROM offer_views "
                "GROUP BY offer_source, offer_id, day"
            )
        )
    with db.write() as connection:
        connection.execute(text("ANALYZE"))


def timed(action: Callable[[], object], repeat: int) -> float:
    """The median of `repeat` runs, in ms (one run first, not counted)."""
    action()
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        runs.append((time.perf_counter() - started) * 1000)
    return statistics.median(runs)


def run(url: str, name: str, args: argparse.Namespace) -> None:
    db = open_database(url)
    try:
        started = time.perf_counter()
        seed(db, args)
        with db.read() as connection:
            views = connection.execute(text("SELECT count(*) FROM offer_views")).scalar_one()
        print(f"{name}: seeded {args.terminals} terminals, {args.applications} applications, "
              f"{views} view rows in {time.perf_counter() - started:.0f} s")  # fmt: skip
        funnel = Funnel(db, lambda: float(NOW))
        for days in (7, 30, 90):
            since = funnel.since(days)

            def floor(since: int = since) -> None:
                with db.read() as connection:
                    for table in ("terminal_day_views", "offer_day_views"):
                        connection.execute(
                            text(f"SELECT count(*), sum(views) FROM {table} WHERE day >= :d"),
                            {"d": since // 86400},
                        ).all()
                    connection.execute(
                        text("SELECT count(*), count(first_contact_at) FROM applications "
                             "WHERE received_at >= :s"),
                        {"s": since},
                    ).all()  # fmt: skip

            report = funnel.report(days)
            took = timed(lambda d=days: funnel.report(d), args.repeat)
            floor_ms = timed(floor, args.repeat)
            print(f"  last {days:2d} days: report {took:7.1f} ms"
                  f"  (floor {floor_ms:6.1f} ms; {len(report.terminals)} terminals,"
                  f" {len(report.offers)} offers, {report.total.views} views,"
                  f" {report.total.applications} applications)")  # fmt: skip
        one = timed(lambda: funnel.terminal("term-1", 30), args.repeat)
        print(f"  one terminal, 30 days: {one:.1f} ms")
    finally:
        db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terminals", type=int, default=1000)
    parser.add_argument("--applications", type=int, default=100_000)
    parser.add_argument("--offers", type=int, default=5000)
    parser.add_argument("--offers-per-day", type=int, default=20)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    for target in each_database(args.database, "funnel-bench"):
        run(target.url, target.label, args)


if __name__ == "__main__":
    main()
