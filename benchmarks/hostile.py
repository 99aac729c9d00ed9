"""Hub under hostile clients: oversized unauthenticated uploads and slow clients at once.

    python benchmarks/hostile.py [--uploads 30] [--slow-clients 2000] [--seconds 30]
        [--floor-seconds 10] [--json]

The hub runs as `kiosk-hub serve` in its own process on 127.0.0.1, on a fresh SQLite database
in a temporary folder, with its default settings. The benchmark measures, first with no attack
(the floor), then during the attack, and then once the attack has stopped:

- the hub's peak memory (VmHWM of its process, reset at the start of each phase);
- `GET /v1/health` latency, 20 probes a second on a new connection each (open loop: latency
  counts from when the probe was due), from 127.0.0.1;
- the most times any one log line (digits aside) was written within one second.

The attack comes from other loopback addresses, as it would from elsewhere:

- `--uploads` attackers from 127.0.0.2, each sending `POST /v1/admin/ingest` with an invented
  operator token and 60 MB of body without waiting for an answer, again every second (or as
  soon as the hub has dealt with the last one, if that took longer);
- `--slow-clients` connections from 127.0.0.3 to 127.0.0.10, each dripping one byte of a request
  line every 2 s, reconnecting 1 s after the hub closes it.

Afterwards: 100 health probes, 20 operator requests and one genuine operator upload; every
answer that is not a 2xx is an error. This process raises its own descriptor limit to the
hard limit (the hub inherits it). Everything is bounded by the arguments and by time limits.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import multiprocessing
import os
import re
import resource
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hub.auth import Operators  # noqa: E402
from hub.db import open_database  # noqa: E402
from hub.settings import sqlite_url  # noqa: E402

UPLOAD_BYTES = 60 * 1000 * 1000
CHUNK = b"x" * (1 << 20)
PROBES_PER_S = 20
PROBE_TIMEOUT_S = 5.0
SLOW_ADDRESSES = [f"127.0.0.{n}" for n in range(3, 11)]
UPLOAD_ADDRESS = "127.0.0.2"
TARGETS = {"memory_mb": 300, "health_p99_ms": 100, "repeats_per_s": 1}


def percentile(values: list[float], fraction: float) -> float:
    """The value below which `fraction` of `values` fall (nearest rank)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# -- the hub -----------------------------------------------------------------------------------


class Hub:
    """`kiosk-hub serve` in its own process; its log lines are read as they come, with the
    time they arrived."""

    def __init__(self, data_dir: Path, port: int, max_connections: int | None) -> None:
        self.port = port
        self.lines: list[tuple[float, str]] = []
        if max_connections is not None:
            (data_dir / "hub.toml").write_text(f"[server]\nmax_connections = {max_connections}\n")
        command = [
            sys.executable,
            "-m",
            "hub",
            "serve",
            "--data-dir",
            str(data_dir),
            "--port",
            str(port),
            "--no-jobs",
        ]
        self.process = subprocess.Popen(
            command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=1).status_code == 200:
                    return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("the hub did not start within 60 s")

    def _read(self) -> None:
        assert self.process.stderr is not None
        for raw in self.process.stderr:
            self.lines.append((time.monotonic(), raw.decode("utf-8", "replace").rstrip("\n")))

    def status(self, field: str) -> int:
        """A figure of /proc/PID/status in bytes (VmRSS, VmHWM)."""
        text = Path(f"/proc/{self.process.pid}/status").read_text()
        match = re.search(rf"{field}:\s+(\d+) kB", text)
        return int(match.group(1)) * 1024 if match else 0

    def reset_peak(self) -> None:
        Path(f"/proc/{self.process.pid}/clear_refs").write_text("5")

    def descriptors(self) -> int:
        return len(os.listdir(f"/proc/{self.process.pid}/fd"))  # noqa: PTH208 (no objects: cheap)

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def max_repeats(lines: list[tuple[float, str]], start: float, end: float) -> tuple[int, str]:
    """The most times one log line (digits aside) was written within one second."""
    counts: Counter[tuple[int, str]] = Counter()
    for stamp, line in lines:
        if start <= stamp <= end:
            counts[(int(stamp), re.sub(r"\d+", "#", line))] += 1
    if not counts:
        return 0, ""
    (_second, line), count = counts.most_common(1)[0]
    return count, line


# -- clients -----------------------------------------------------------------------------------


async def probe(port: int) -> tuple[float, str]:
    """One `GET /v1/health` on a new connection: (milliseconds, outcome)."""
    started = time.perf_counter()
    try:
        async with asyncio.timeout(PROBE_TIMEOUT_S):
            reader, writer = await asyncio.open_connection(
                "127.0.0.1", port, local_addr=("127.0.0.1", 0)
            )
            writer.write(b"GET /v1/health HTTP/1.1\r\nHost: hub\r\nConnection: close\r\n\r\n")
            answer = await reader.read()
            writer.close()
        outcome = answer.split(b" ", 2)[1].decode() if answer.startswith(b"HTTP/") else "closed"
    except (OSError, TimeoutError) as exc:
        outcome = type(exc).__name__
    return (time.perf_counter() - started) * 1000, outcome


async def probe_health(port: int, seconds: float) -> tuple[list[float], Counter[str]]:
    """PROBES_PER_S probes a second for `seconds`, each fired when due (open loop)."""
    latencies: list[float] = []
    outcomes: Counter[str] = Counter()
    start = time.perf_counter()
    tasks = []

    async def fire(due: float) -> None:
        _elapsed, outcome = await probe(port)
        latencies.append((time.perf_counter() - start - due) * 1000)
        outcomes[outcome] += 1

    for n in range(int(seconds * PROBES_PER_S)):
        due = n / PROBES_PER_S
        delay = start + due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(fire(due)))
    await asyncio.gather(*tasks)
    return latencies, outcomes


class Attack:
    """The uploaders and the slow clients, until `stop` is set."""

    def __init__(self, port: int, uploads: int, slow_clients: int) -> None:
        self.port = port
        self.uploads = uploads
        self.slow_clients = slow_clients
        self.stop = asyncio.Event()
        self.upload_answers: Counter[str] = Counter()
        self.upload_bytes_taken: list[int] = []
        self.slow_answers: Counter[str] = Counter()
        self.slow_connections = 0

    async def run(self) -> None:
        tasks = [asyncio.create_task(self._uploader()) for _ in range(self.uploads)]
        gate = asyncio.Semaphore(200)  # connections being opened at once
        tasks += [asyncio.create_task(self._slow(i, gate)) for i in range(self.slow_clients)]
        await asyncio.gather(*tasks)

    async def _pause(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.stop.wait(), seconds)

    async def _uploader(self) -> None:
        head = (
            "POST /v1/admin/ingest HTTP/1.1\r\nHost: hub\r\n"
            f"Authorization: Bearer ko_{secrets.token_urlsafe(32)}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {UPLOAD_BYTES}\r\n\r\n"
        ).encode()
        while not self.stop.is_set():
            started = time.monotonic()
            sent = 0
            answer = b""
            try:
                reader, writer = await asyncio.open_connection(
                    "127.0.0.1", self.port, local_addr=(UPLOAD_ADDRESS, 0)
                )
                try:
                    with contextlib.suppress(OSError):  # the hub closes: stop sending
                        writer.write(head)
                        while sent < UPLOAD_BYTES and not self.stop.is_set():
                            writer.write(CHUNK)
                            await writer.drain()
                            sent += len(CHUNK)
                    async with asyncio.timeout(10):
                        answer = await reader.read(100)
                finally:
                    writer.close()
            except (OSError, TimeoutError):
                pass
            self.upload_bytes_taken.append(sent)
            status = answer.split(b" ", 2)[1].decode() if answer.startswith(b"HTTP/") else "cut"
            self.upload_answers[status] += 1
            await self._pause(max(0.0, 1.0 - (time.monotonic() - started)))

    async def _slow(self, i: int, gate: asyncio.Semaphore) -> None:
        request = b"GET /v1/health HTTP/1.1\r\nHost: hub\r\nX-Padding: " + b"a" * 10_000
        address = SLOW_ADDRESSES[i % len(SLOW_ADDRESSES)]
        await self._pause(2.0 * i / max(1, self.slow_clients))  # spread over the first 2 s
        while not self.stop.is_set():
            try:
                async with gate:
                    reader, writer = await asyncio.open_connection(
                        "127.0.0.1", self.port, local_addr=(address, 0)
                    )
                self.slow_connections += 1
                outcome = await self._drip(reader, writer, request)
            except OSError as exc:
                outcome = type(exc).__name__
            self.slow_answers[outcome] += 1
            await self._pause(1.0)

    async def _drip(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
    ) -> str:
        try:
            for byte in request:
                writer.write(bytes([byte]))
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(2.0):
                        answer = await reader.read(100)
                        if answer.startswith(b"HTTP/"):
                            return answer.split(b" ", 2)[1].decode()
                        return "closed"
                if self.stop.is_set():
                    return "stopped"
            return "complete"
        except OSError:
            return "reset"
        finally:
            writer.close()


# -- phases ------------------------------------------------------------------------------------


def attack_process(port: int, uploads: int, slow_clients: int, seconds: float, out: Any) -> None:
    """The attack in a process of its own, so that its event loop's work does not delay the
    health probes measured here; its counts go back through `out` (a pipe)."""

    async def run() -> dict[str, Any]:
        attacker = Attack(port, uploads, slow_clients)
        attacking = asyncio.create_task(attacker.run())
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(attacking), seconds)
        attacker.stop.set()
        await asyncio.wait_for(attacking, 30)
        taken = attacker.upload_bytes_taken
        return {
            "uploads_sent": len(taken),
            "upload_answers": dict(attacker.upload_answers),
            "upload_mb_sent_max": round(max(taken, default=0) / 1e6, 1),
            "slow_connections": attacker.slow_connections,
            "slow_answers": dict(attacker.slow_answers),
        }

    raise_descriptor_limit()
    os.nice(10)  # attackers run elsewhere: their own CPU should not be taken from the hub
    out.send(asyncio.run(run()))
    out.close()


def phase(hub: Hub, seconds: float, attack: dict[str, int] | None) -> dict[str, Any]:
    """Probe the hub's health for `seconds`, under attack or not; memory, log repeats."""
    hub.reset_peak()
    start = time.monotonic()
    descriptors = [hub.descriptors()]
    attacker = None
    receiving = None
    if attack is not None:
        receiving, sending = multiprocessing.Pipe(duplex=False)
        attacker = multiprocessing.Process(
            target=attack_process,
            args=(hub.port, attack["uploads"], attack["slow_clients"], seconds + 3, sending),
        )
        attacker.start()
        time.sleep(3)  # the slow clients are connected, the uploads are going

    sampled = threading.Event()
    sampler = threading.Thread(target=sample_descriptors, args=(hub, descriptors, sampled))
    sampler.start()  # in a thread: listing 2,000 descriptors would hold up the probes' loop
    pids = [hub.process.pid] + ([attacker.pid] if attacker is not None and attacker.pid else [])
    cpu_before = [cpu_seconds(pid) for pid in pids]
    probing_started = time.monotonic()
    latencies, outcomes = asyncio.run(probe_health(hub.port, seconds))
    spent = time.monotonic() - probing_started
    cpu = [
        (cpu_seconds(pid) - before) / spent for pid, before in zip(pids, cpu_before, strict=True)
    ]
    sampled.set()
    sampler.join()
    attacked: dict[str, Any] = {}
    if attacker is not None and receiving is not None:
        if receiving.poll(60):
            attacked = receiving.recv()
        attacker.join(30)
    end = time.monotonic()
    repeats, line = max_repeats(hub.lines, start, end)
    return {
        "peak_rss_mb": round(hub.status("VmHWM") / 1e6, 1),
        "hub_cpu_percent": round(100 * cpu[0]),
        "attacker_cpu_percent": round(100 * cpu[1]) if len(cpu) > 1 else 0,
        "load_average": round(os.getloadavg()[0], 1),
        "max_descriptors": max(descriptors),
        "health_requests": len(latencies),
        "health_outcomes": dict(outcomes),
        "health_p50_ms": round(percentile(latencies, 0.50), 1),
        "health_p99_ms": round(percentile(latencies, 0.99), 1),
        "health_max_ms": round(max(latencies, default=float("nan")), 1),
        "log_lines": sum(1 for stamp, _ in hub.lines if start <= stamp <= end),
        "max_repeats_per_s": repeats,
        "most_repeated": line[:120],
    } | attacked


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def sample_descriptors(hub: Hub, into: list[int], done: threading.Event) -> None:
    while not done.wait(0.5):
        with contextlib.suppress(OSError):
            into.append(hub.descriptors())


def afterwards(hub: Hub, operator: str) -> dict[str, Any]:
    """Once the attack is over: does everything work?"""
    deadline = time.monotonic() + 30  # the attackers' connections are closed by then
    while time.monotonic() < deadline and hub.descriptors() > 64:
        time.sleep(0.2)
    statuses: Counter[str] = Counter()
    base = f"http://127.0.0.1:{hub.port}"
    with httpx.Client(base_url=base, timeout=10) as client:
        for _ in range(100):
            statuses[f"health {client.get('/v1/health').status_code}"] += 1
        admin = {"Authorization": f"Bearer {operator}"}
        for _ in range(20):
            statuses[f"admin {client.get('/v1/admin/terminals', headers=admin).status_code}"] += 1
        offers = {"resultats": [{"id": "BENCH1", "intitule": "Agent", "lieuTravail": {}}]}
        upload = client.post("/v1/admin/ingest", json=offers, headers=admin)
        statuses[f"upload {upload.status_code}"] += 1
    errors = sum(n for key, n in statuses.items() if not key.split()[1].startswith("2"))
    return {
        "alive": hub.alive(),
        "requests": sum(statuses.values()),
        "errors": errors,
        "statuses": dict(statuses),
        "descriptors": hub.descriptors(),
    }


def raise_descriptor_limit() -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = hard if hard != resource.RLIM_INFINITY else max(soft, 65536)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def print_report(result: dict[str, Any]) -> None:
    floor, attack, after = result["floor"], result["attack"], result["afterwards"]
    print(
        f"== hub under {result['uploads']} unauthenticated 60 MB uploads and "
        f"{result['slow_clients']} slow clients ({result['seconds']} s; descriptor limit "
        f"{result['descriptor_limit']}; max_connections {result['max_connections'] or 'default'})"
    )
    rows = [
        ("hub peak memory, MB", "peak_rss_mb", TARGETS["memory_mb"]),
        ("/v1/health p50, ms", "health_p50_ms", None),
        ("/v1/health p99, ms", "health_p99_ms", TARGETS["health_p99_ms"]),
        ("/v1/health max, ms", "health_max_ms", None),
        ("most repeats of a log line in 1 s", "max_repeats_per_s", TARGETS["repeats_per_s"]),
        ("log lines", "log_lines", None),
        ("hub descriptors, max", "max_descriptors", None),
        ("hub CPU, % of one core", "hub_cpu_percent", None),
        ("attack process CPU, % of one core", "attacker_cpu_percent", None),
        ("machine load average (1 min)", "load_average", None),
    ]
    print(f"  {'figure':<36} {'floor':>10} {'attack':>10} {'target':>8}")
    for label, key, target in rows:
        print(f"  {label:<36} {floor[key]:>10} {attack[key]:>10} {target or '':>8}")
    print(
        f"  health outcomes: floor {floor['health_outcomes']}, attack {attack['health_outcomes']}"
    )
    print(
        f"  uploads: {attack['uploads_sent']} sent, answers {attack['upload_answers']}, at most "
        f"{attack['upload_mb_sent_max']} MB of one taken by the socket before the hub cut it"
    )
    print(
        f"  slow clients: {attack['slow_connections']} connections, outcomes "
        f"{attack['slow_answers']}"
    )
    print(f"  most repeated line under attack: {attack['most_repeated']!r}")
    print(
        f"afterwards: alive {after['alive']}, {after['requests']} requests, errors "
        f"{after['errors']} {after['statuses']}, descriptors {after['descriptors']}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--uploads", type=int, default=30)
    parser.add_argument("--slow-clients", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--floor-seconds", type=float, default=10.0)
    parser.add_argument(
        "--max-connections", type=int, help="the hub's [server] max_connections (default: its own)"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not (0 < args.seconds <= 600 and 0 < args.floor_seconds <= 600):
        parser.error("--seconds and --floor-seconds must be in (0, 600]")
    if args.uploads > 1000 or args.slow_clients > 50_000:
        parser.error("--uploads ≤ 1000 and --slow-clients ≤ 50000")
    limit = raise_descriptor_limit()
    with tempfile.TemporaryDirectory(prefix="hub-hostile-") as folder:
        data_dir = Path(folder)
        db = open_database(sqlite_url(data_dir / "hub.sqlite"))
        operator = Operators(db, time.time).create()
        db.dispose()
        hub = Hub(data_dir, free_port(), args.max_connections)
        try:
            print(f"floor: {args.floor_seconds} s of health probes…", file=sys.stderr)
            floor = phase(hub, args.floor_seconds, None)
            print(
                f"attack: {args.uploads} uploads, {args.slow_clients} slow clients, "
                f"{args.seconds} s…",
                file=sys.stderr,
            )
            attack = phase(
                hub, args.seconds, {"uploads": args.uploads, "slow_clients": args.slow_clients}
            )
            print("afterwards…", file=sys.stderr)
            after = afterwards(hub, operator)
        finally:
            hub.stop()
    result = {
        "uploads": args.uploads,
        "slow_clients": args.slow_clients,
        "seconds": args.seconds,
        "descriptor_limit": limit,
        "max_connections": args.max_connections,
        "floor": floor,
        "attack": attack,
        "afterwards": after,
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_report(result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
