"""Hub load benchmark: a fleet's heartbeats plus applications, and large feed pages.

    python benchmarks/hub_load.py [--terminals 1000] [--apps-per-s 100] [--seconds 60]
        [--offers 40000] [--feed-requests 200] [--database sqlite|postgresql|both] [--json]

The hub runs as `kiosk-hub serve` in its own process on 127.0.0.1 (never anything else); this
process prepares its database, then drives it at a fixed arrival rate (open loop: latency is
measured from when each request was due, so a slow hub cannot hide its queue). Requests are
prepared as bytes beforehand and sent on keep-alive connections by a minimal client, so that
the load generator takes little of the machine's two cores:

- 5 s of the same mix first, not measured (connections, threads and caches warm up);
- every terminal sends a heartbeat every 60 s, spread evenly over the minute;
- `--apps-per-s` sealed applications a second from random terminals, 5 % of them replays;
- then `--feed-requests` first pages of 1,000 offers for a terminal whose area holds more.

Figures sit beside floors measured in the same run: the same rate of `GET /v1/health` (the
HTTP stack with no work), and the raw SQL of the same feed page without HTTP. PostgreSQL runs
on a throwaway durable cluster (fsync on) when its binaries are installed. Everything is
bounded: request counts come from the arguments, and each phase has a time limit.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import orjson

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.databases import each_database, report  # noqa: E402
from hub.app import build_services  # noqa: E402
from hub.db import open_database  # noqa: E402
from hub.feed import bounding_box  # noqa: E402
from hub.keys import load_or_create_keys  # noqa: E402
from hub.schemas import EnrolRequest  # noqa: E402
from hub.settings import HubConfig, HubSettings  # noqa: E402
from kiosk import demo  # noqa: E402
from kiosk.formats import parse_payload  # noqa: E402
from kiosk.geo import Point  # noqa: E402
from kiosk.sealing import load_public_key, seal  # noqa: E402

CITIES = {
    "paris": Point(48.8443, 2.3744),
    "lyon": Point(45.7606, 4.8593),
    "marseille": Point(43.3026, 5.3806),
    "lille": Point(50.6366, 3.0706),
    "toulouse": Point(43.6114, 1.4537),
    "bordeaux": Point(44.8257, -0.5563),
    "nantes": Point(47.2173, -1.5419),
    "strasbourg": Point(48.5850, 7.7350),
}
CONFIG = """\
[limits]
terminal_per_s = 1000.0
terminal_burst = 10000
anonymous_per_s = 10000.0
anonymous_burst = 100000
operator_per_s = 1000.0
operator_burst = 10000
"""
PHASE_LIMIT_S = 600  # no phase runs longer than this, whatever the arguments


def percentile(values: list[float], fraction: float) -> float:
    """The value below which `fraction` of `values` fall (nearest rank)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def summary(latencies_ms: list[float], statuses: Counter[str]) -> dict[str, Any]:
    """Percentiles and outcome counts of one kind of request."""
    errors = sum(n for status, n in statuses.items() if not status.startswith("2"))
    return {
        "requests": sum(statuses.values()),
        "errors": errors,
        "statuses": dict(sorted(statuses.items())),
        "p50_ms": round(percentile(latencies_ms, 0.50), 1),
        "p95_ms": round(percentile(latencies_ms, 0.95), 1),
        "p99_ms": round(percentile(latencies_ms, 0.99), 1),
        "max_ms": round(max(latencies_ms, default=float("nan")), 1),
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# -- preparing the hub -------------------------------------------------------------------------


def fleet_records(offers: int) -> list[dict[str, Any]]:
    """`offers` synthetic France Travail offers around eight cities, interleaved so that a
    terminal's feed has to skip the other cities' changes."""
    per_city = max(1, offers // len(CITIES))
    by_city = []
    for n, (name, point) in enumerate(CITIES.items()):
        records = demo.generate_offers(per_city, point, seed=n + 1)
        for record in records:
            record["id"] = f"{name[:3].upper()}{record['id'][2:]}"
        by_city.append(records)
    return [r for group in zip(*by_city, strict=True) for r in group]


def prepare(url: str, data_dir: Path, terminals: int, offers: int) -> dict[str, Any]:
    """Migrate, load offers, enrol the fleet; the tokens and what the run needs."""
    settings = HubSettings(
        config=HubConfig(), data_dir=data_dir, database_url=url, source="benchmark"
    )
    keys, _ = load_or_create_keys(settings.key_file)
    db = open_database(url)
    services = build_services(settings, db, keys)
    records = fleet_records(offers)
    started = time.perf_counter()  # parse and upsert, as `ingest_payload` does
    report = services.offers.upsert(
        parse_payload({"resultats": records}, cards=True), batch_size=2000
    )
    ingest_s = time.perf_counter() - started
    assert not report.rejected, report.summary()
    names = list(CITIES)
    tokens = []
    started = time.perf_counter()
    for i in range(terminals):
        city = CITIES[names[i % len(names)]]
        terminal_id = f"bench-{i:05d}"
        code, _ = services.terminals.create_code(terminal_id)
        tokens.append(
            services.terminals.enrol(
                EnrolRequest(
                    code=code,
                    terminal_id=terminal_id,
                    name=f"Bench {i}",
                    latitude=city.latitude,
                    longitude=city.longitude,
                    radius_km=30,
                    version="0.1.0",
                )
            )
        )
    enrol_s = time.perf_counter() - started
    operator = services.operators.create()
    db.dispose()
    return {
        "tokens": tokens,
        "public_key": keys.public_key,
        "operator": operator,
        "offers": report.inserted,
        "ingest_offers_per_s": round(report.inserted / ingest_s),
        "enrol_per_s": round(terminals / enrol_s),
    }


def start_server(url: str, data_dir: Path, port: int, config: Path) -> subprocess.Popen[bytes]:
    """`kiosk-hub serve` in its own process, no background jobs."""
    command = [
        sys.executable,
        "-m",
        "hub",
        "serve",
        "--config",
        str(config),
        "--data-dir",
        str(data_dir),
        "--database",
        url,
        "--port",
        str(port),
        "--no-jobs",
    ]
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=1).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("the hub did not start within 60 s")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# -- driving it --------------------------------------------------------------------------------


class _StaleError(Exception):
    """The connection was closed before an answer."""


class RawClient:
    """A minimal HTTP/1.1 client over a pool of keep-alive connections to 127.0.0.1: each
    request is prepared as bytes beforehand, so the load generator costs next to nothing and
    the figures are the hub's, not the client library's."""

    def __init__(self, port: int, size: int = 256) -> None:
        self._port = port
        self._idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
        self._slots = asyncio.Semaphore(size)
        self.opened = 0

    async def request(self, raw: bytes) -> int:
        async with self._slots:
            reused = bool(self._idle)
            try:
                return await self._exchange(raw, reused)
            except (ConnectionError, asyncio.IncompleteReadError, _StaleError):
                if not reused:
                    raise
            # The hub closed an idle keep-alive connection (as every server does after a
            # few seconds): send again on a new one, as HTTP clients do.
            return await self._exchange(raw, False)

    async def _exchange(self, raw: bytes, reuse: bool) -> int:
        if reuse and self._idle:
            reader, writer = self._idle.pop()
        else:
            reader, writer = await asyncio.open_connection("127.0.0.1", self._port)
            self.opened += 1
        try:
            writer.write(raw)
            status_line = await reader.readline()
            if not status_line:
                raise _StaleError
            status = int(status_line.split()[1])
            length = 0
            keep = True
            while (line := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("latin-1").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
                elif name.lower() == "connection" and "close" in value.lower():
                    keep = False
            if length:
                await reader.readexactly(length)
        except BaseException:
            writer.close()
            raise
        if keep:
            self._idle.append((reader, writer))
        else:
            writer.close()
        return status

    async def close(self) -> None:
        for _reader, writer in self._idle:
            writer.close()


def raw_request(method: str, path: str, headers: dict[str, str], body: Any = None) -> bytes:
    """The bytes of one HTTP/1.1 request with a JSON body."""
    payload = orjson.dumps(body) if body is not None else b""
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    if body is not None:
        lines += ["Content-Type: application/json", f"Content-Length: {len(payload)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + payload


Job = tuple[float, str, bytes]  # (due, kind, request bytes)


async def run_schedule(port: int, jobs: list[Job], limit_s: float) -> dict[str, Any]:
    """Fire each job at its due time (seconds from now); latency counts from that time."""
    latencies: dict[str, list[float]] = {}
    statuses: dict[str, Counter[str]] = {}
    client = RawClient(port)
    start = time.perf_counter()

    async def fire(due: float, kind: str, raw: bytes) -> None:
        try:
            outcome = str(await client.request(raw))
        except (OSError, ValueError, IndexError, _StaleError, asyncio.IncompleteReadError) as exc:
            outcome = type(exc).__name__
        latencies.setdefault(kind, []).append((time.perf_counter() - start - due) * 1000)
        statuses.setdefault(kind, Counter())[outcome] += 1

    tasks: list[asyncio.Task[None]] = []

    async def dispatch() -> None:  # one task per request, created when it is due
        for due, kind, raw in jobs:
            delay = start + due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(fire(due, kind, raw)))

    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(dispatch(), timeout=limit_s)
    remaining = max(1.0, limit_s - (time.perf_counter() - start))
    _done, pending = await asyncio.wait(tasks, timeout=remaining) if tasks else (set(), set())
    for task in pending:
        task.cancel()
    elapsed = time.perf_counter() - start
    await client.close()
    result: dict[str, Any] = {
        kind: summary(latencies[kind], statuses[kind]) for kind in sorted(latencies)
    }
    result["elapsed_s"] = round(elapsed, 1)
    result["unfinished"] = len(pending)
    result["connections"] = client.opened
    return result


def heartbeat_jobs(tokens: list[str], seconds: float) -> list[Job]:
    """Every terminal every 60 s, spread evenly over the minute."""
    body = {
        "version": "0.1.0",
        "uptime_s": 3600,
        "last_sync": "2026-11-20T11:00:00Z",
        "offers": 4000,
        "queue_depth": 0,
        "free_disk_mb": 20000,
        "counters": {"screens.browse": 12, "applications.sent": 1},
    }
    jobs: list[Job] = []
    for i, token in enumerate(tokens):
        raw = raw_request("POST", "/v1/heartbeat", {"Authorization": f"Bearer {token}"}, body)
        beat = 60.0 * i / len(tokens)
        while beat < seconds:
            jobs.append((beat, "heartbeat", raw))
            beat += 60.0
    return jobs


def application_jobs(
    tokens: list[str], public_key: str, per_s: float, seconds: float, seed: int = 7
) -> list[Job]:
    """`per_s` sealed applications a second (bodies sealed beforehand), 5 % replays."""
    rng = random.Random(seed)
    key = load_public_key(public_key)
    jobs: list[Job] = []
    sent: list[bytes] = []
    for n in range(int(per_s * seconds)):
        due = n / per_s
        if sent and rng.random() < 0.05:
            jobs.append((due, "application", rng.choice(sent)))
            continue
        i = rng.randrange(len(tokens))
        application_id = uuid.UUID(int=rng.getrandbits(128), version=4)
        offer_id = f"PAR{n % 5000:06d}"
        content = {
            "application_id": str(application_id),
            "offer": {"source": "francetravail", "id": offer_id},
            "first_name": "Camille",
            "last_name": "Exemple",
            "phone": "06 00 00 00 00",
            "answers": {"available_now": True},
            "consent": {"share_with_recruiter": True},
        }
        body = {
            "sealed": base64.b64encode(seal(key, application_id, orjson.dumps(content))).decode(),
            "offer_source": "francetravail",
            "offer_id": offer_id,
            "terminal_id": f"bench-{i:05d}",
            "created_at": "2026-11-20T11:58:00Z",
        }
        headers = {"Authorization": f"Bearer {tokens[i]}", "Idempotency-Key": str(application_id)}
        raw = raw_request("PUT", f"/v1/applications/{application_id}", headers, body)
        sent.append(raw)
        jobs.append((due, "application", raw))
    return jobs


def floor_jobs(per_s: float, seconds: float) -> list[Job]:
    """The same arrival rate on the cheapest route."""
    raw = raw_request("GET", "/v1/health", {})
    return [(n / per_s, "health", raw) for n in range(int(per_s * seconds))]


def bench_feed(base: str, token: str, requests: int) -> dict[str, Any]:
    """First pages of 1,000 offers, one after the other (one terminal syncing)."""
    timings: list[float] = []
    sizes: list[int] = []
    counts: list[int] = []
    statuses: Counter[str] = Counter()
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}) as client:
        client.get("/v1/feed", params={"limit": 1000})  # warm-up
        deadline = time.monotonic() + PHASE_LIMIT_S
        for _ in range(requests):
            started = time.perf_counter()
            response = client.get("/v1/feed", params={"limit": 1000})
            body = response.content
            timings.append((time.perf_counter() - started) * 1000)
            statuses[str(response.status_code)] += 1
            sizes.append(len(body))
            if time.monotonic() > deadline:
                break
        last = client.get("/v1/feed", params={"limit": 1000})
        counts.append(len(last.json()["offers"]) if last.status_code == 200 else 0)
        health: list[float] = []
        for _ in range(min(requests, 200)):
            started = time.perf_counter()
            client.get("/v1/health")
            health.append((time.perf_counter() - started) * 1000)
    result = summary(timings, statuses)
    result["offers_per_page"] = round(statuses["200"] and statistics.mean(counts))
    result["page_mb"] = round(statistics.mean(sizes) / 1e6, 2)
    result["floor_health_p95_ms"] = round(percentile(health, 0.95), 1)
    return result


def feed_sql_floor(url: str, requests: int) -> float:
    """p95 of the raw SQL behind the same page (no HTTP, no JSON), through SQLAlchemy."""
    from sqlalchemy import create_engine, text  # noqa: PLC0415

    from hub.db import normalise_url  # noqa: PLC0415

    south, north, west, east = bounding_box(CITIES["paris"], 30)
    query = text(
        "SELECT seq, source, external_id, format, raw, withdrawn, latitude, longitude "
        "FROM offers WHERE seq > 0 AND ((latitude BETWEEN :s AND :n AND longitude BETWEEN :w "
        "AND :e) OR (old_latitude BETWEEN :s AND :n AND old_longitude BETWEEN :w AND :e)) "
        "ORDER BY seq LIMIT 1000"
    )
    engine = create_engine(normalise_url(url))
    timings = []
    with engine.connect() as connection:
        for _ in range(requests):
            started = time.perf_counter()
            connection.execute(query, {"s": south, "n": north, "w": west, "e": east}).all()
            timings.append((time.perf_counter() - started) * 1000)
    engine.dispose()
    return round(percentile(timings, 0.95), 1)


def run(database: str, url: str, data_dir: Path, args: argparse.Namespace) -> dict[str, Any]:
    """One database: prepare, then the floor, the fleet load and the feed."""
    print(
        f"[{database}] preparing {args.offers} offers and {args.terminals} terminals…",
        file=sys.stderr,
    )
    prepared = prepare(url, data_dir, args.terminals, args.offers)
    config = data_dir / "bench.toml"
    config.write_text(CONFIG + f"\n[feed]\ncache_mb = {args.feed_cache_mb}\n")
    port = free_port()
    server = start_server(url, data_dir, port, config)
    base = f"http://127.0.0.1:{port}"
    try:
        rate = args.terminals / 60 + args.apps_per_s
        # Warm-up (not measured): the hub's connections, threads and caches, the client's
        # keep-alive connections; the same mix for 5 s.
        warm = application_jobs(prepared["tokens"], prepared["public_key"], args.apps_per_s, 5, 99)
        asyncio.run(run_schedule(port, warm, PHASE_LIMIT_S))
        print(f"[{database}] floor: {rate:.0f} req/s of /v1/health for 10 s…", file=sys.stderr)
        floor = asyncio.run(run_schedule(port, floor_jobs(rate, 10), PHASE_LIMIT_S))
        print(f"[{database}] load: {rate:.0f} req/s for {args.seconds} s…", file=sys.stderr)
        jobs = heartbeat_jobs(prepared["tokens"], args.seconds)
        jobs += application_jobs(
            prepared["tokens"], prepared["public_key"], args.apps_per_s, args.seconds
        )
        jobs.sort(key=lambda job: job[0])
        cpu_before = cpu_seconds(server.pid)
        load = asyncio.run(run_schedule(port, jobs, args.seconds + PHASE_LIMIT_S))
        load["server_cpu_percent"] = round(
            100 * (cpu_seconds(server.pid) - cpu_before) / load["elapsed_s"]
        )
        print(f"[{database}] feed: {args.feed_requests} pages of 1,000…", file=sys.stderr)
        feed = bench_feed(base, prepared["tokens"][0], args.feed_requests)
        feed["floor_sql_p95_ms"] = feed_sql_floor(url, min(args.feed_requests, 100))
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
    return {
        "database": database,
        "offers": prepared["offers"],
        "terminals": args.terminals,
        "ingest_offers_per_s": prepared["ingest_offers_per_s"],
        "enrol_per_s": prepared["enrol_per_s"],
        "offered_rate_per_s": round(rate, 1),
        "feed_cache_mb": args.feed_cache_mb,
        "floor": floor,
        "load": load,
        "feed": feed,
    }


def print_report(result: dict[str, Any]) -> None:
    load, floor, feed = result["load"], result["floor"], result["feed"]
    print(f"== {result['database']}: {result['offers']} offers, {result['terminals']} terminals")
    print(
        f"prepare: ingest {result['ingest_offers_per_s']} offers/s, "
        f"enrol {result['enrol_per_s']} terminals/s"
    )
    print(
        f"load {result['offered_rate_per_s']} req/s for {load['elapsed_s']} s "
        f"(server CPU {load['server_cpu_percent']} % of one core):"
    )
    for kind in ("heartbeat", "application"):
        k = load[kind]
        print(
            f"  {kind:<12} {k['requests']:>6} req  errors {k['errors']:<4} p50 {k['p50_ms']:>6} "
            f"ms  p95 {k['p95_ms']:>6} ms  p99 {k['p99_ms']:>6} ms  max {k['max_ms']} ms  "
            f"{k['statuses']}"
        )
    h = floor["health"]
    print(
        f"  floor health {h['requests']:>6} req  errors {h['errors']:<4} p50 {h['p50_ms']:>6} "
        f"ms  p95 {h['p95_ms']:>6} ms  p99 {h['p99_ms']:>6} ms"
    )
    print(
        f"feed, first page ({feed['offers_per_page']} offers, {feed['page_mb']} MB, record "
        f"cache {result['feed_cache_mb']} MB): "
        f"p50 {feed['p50_ms']} ms  p95 {feed['p95_ms']} ms  p99 {feed['p99_ms']} ms  "
        f"errors {feed['errors']}; floors: SQL p95 {feed['floor_sql_p95_ms']} ms, "
        f"/v1/health p95 {feed['floor_health_p95_ms']} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--terminals", type=int, default=1000)
    parser.add_argument("--apps-per-s", type=float, default=100.0)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--offers", type=int, default=40000)
    parser.add_argument("--feed-requests", type=int, default=200)
    parser.add_argument(
        "--feed-cache-mb",
        type=int,
        default=256,
        help="the hub's record cache (0: every page reads its records from the database)",
    )
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not 0 < args.seconds <= PHASE_LIMIT_S or args.terminals > 100_000:
        parser.error(f"--seconds must be in (0, {PHASE_LIMIT_S}] and --terminals ≤ 100000")
    results = [
        run(target.name, target.url, target.data_dir, args)
        for target in each_database(args.database, "hub-bench")
    ]
    report(results, print_report, args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
