"""Guessing across hub instances: how many enrolment codes one address can try a minute.

    python benchmarks/guessing.py [--instances 2] [--seconds 60] [--workers 8]
        [--database postgresql|sqlite] [--json]

`--instances` hubs run as `kiosk-hub serve` processes on one database (a throwaway PostgreSQL
cluster, or one SQLite file) with their default limits, each on its own port of 127.0.0.1, as
behind a load balancer that passes the client's address on. For `--seconds`, `--workers`
connections from 127.0.0.2 send wrong enrolment codes as fast as the hubs answer, spreading
them over the instances in turn; meanwhile an operator at 127.0.0.3 signs in to the fleet page
once every 4 s, through the instances in turn.

Printed: per instance, the attempts that reached the code check (answered 403) and those
refused with 429, per minute; the same for all the instances together; and how many of the
operator's sign-ins went through.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hub.settings import sqlite_url  # noqa: E402
from tests.hub.postgres import running_cluster  # noqa: E402

GUESS = {
    "code": "AAAA-BBBB-CCCC",
    "terminal_id": "gare-01",
    "name": "Gare",
    "latitude": 48.8,
    "longitude": 2.3,
    "radius_km": 30,
    "version": "0.1.0",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(data_dir: Path, database: str, port: int, jobs: bool) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "hub", "serve", "--data-dir", str(data_dir)]
    command += ["--database", database, "--port", str(port)]
    if not jobs:
        command.append("--no-jobs")
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=1).status_code == 200:
                return process
        time.sleep(0.1)
    process.kill()
    raise RuntimeError("a hub did not start within 60 s")


def operator_token(data_dir: Path, database: str) -> str:
    command = [sys.executable, "-m", "hub", "operator-token", "--data-dir", str(data_dir)]
    made = subprocess.run(
        [*command, "--database", database],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return made.stdout.strip()


async def flood(ports: list[int], seconds: float, workers: int) -> list[Counter[int]]:
    statuses = [Counter[int]() for _ in ports]
    transport = httpx.AsyncHTTPTransport(local_address="127.0.0.2")
    end = time.monotonic() + seconds
    async with httpx.AsyncClient(transport=transport, timeout=30) as client:

        async def worker(offset: int) -> None:
            turn = offset
            while time.monotonic() < end:
                index = turn % len(ports)
                turn += 1
                answer = await client.post(f"http://127.0.0.1:{ports[index]}/v1/enrol", json=GUESS)
                statuses[index][answer.status_code] += 1

        await asyncio.gather(*(worker(i) for i in range(workers)))
    return statuses


async def sign_ins(ports: list[int], seconds: float, token: str) -> Counter[int]:
    outcomes: Counter[int] = Counter()
    transport = httpx.AsyncHTTPTransport(local_address="127.0.0.3")
    end = time.monotonic() + seconds
    turn = 0
    async with httpx.AsyncClient(transport=transport, timeout=30) as client:
        while time.monotonic() < end:
            port = ports[turn % len(ports)]
            turn += 1
            # As a person does: the login page (its form's token and cookie), then the form.
            page = await client.get(f"http://127.0.0.1:{port}/fleet/login")
            form = re.search(r'name="csrf" value="([^"]+)"', page.text)
            answer = await client.post(
                f"http://127.0.0.1:{port}/fleet/login",
                data={"token": token, "csrf": form.group(1) if form else ""},
            )
            outcomes[answer.status_code] += 1
            await asyncio.sleep(4)
    return outcomes


def run(args: argparse.Namespace, database: str, folder: Path) -> dict[str, Any]:
    dirs = [folder / f"hub{i}" for i in range(args.instances)]
    ports = [free_port() for _ in dirs]
    processes: list[subprocess.Popen[bytes]] = []
    try:
        for i, (data_dir, port) in enumerate(zip(dirs, ports, strict=True)):
            data_dir.mkdir(parents=True)
            if i:  # the same key in every instance, as docs/operators.md says
                shutil.copy(dirs[0] / "hub-key", data_dir / "hub-key")
            processes.append(start(data_dir, database, port, jobs=i == 0))
        token = operator_token(dirs[0], database)

        async def both() -> tuple[list[Counter[int]], Counter[int]]:
            return await asyncio.gather(
                flood(ports, args.seconds, args.workers), sign_ins(ports, args.seconds, token)
            )

        statuses, logins = asyncio.run(both())
    finally:
        for process in processes:
            process.send_signal(signal.SIGINT)
        for process in processes:
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
    minutes = args.seconds / 60
    per_instance = [
        {
            "checked_per_min": round(s[403] / minutes, 1),
            "refused_429_per_min": round(s[429] / minutes, 1),
            "other": {str(k): v for k, v in s.items() if k not in (403, 429)},
        }
        for s in statuses
    ]
    total = sum((s for s in statuses), Counter[int]())
    return {
        "database": args.database,
        "instances": args.instances,
        "seconds": args.seconds,
        "per_instance": per_instance,
        "checked_per_min": round(total[403] / minutes, 1),
        "refused_429_per_min": round(total[429] / minutes, 1),
        "operator_sign_ins": {str(k): v for k, v in sorted(logins.items())},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--instances", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--database", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="guessing-") as name, contextlib.ExitStack() as stack:
        folder = Path(name)
        if args.database == "postgresql":
            cluster = stack.enter_context(running_cluster())
            if cluster is None:
                print("PostgreSQL is not installed: use --database sqlite", file=sys.stderr)
                return 2
            url = cluster.create_database("hub")
        else:
            url = sqlite_url(folder / "hub.sqlite")
        result = run(args, url, folder)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"{result['instances']} instances on {result['database']}, {result['seconds']:.0f} s")
    for i, figures in enumerate(result["per_instance"]):
        print(
            f"  instance {i}: {figures['checked_per_min']} codes checked/min, "
            f"{figures['refused_429_per_min']} refused (429)/min, other {figures['other']}"
        )
    print(
        f"  all: {result['checked_per_min']} codes checked/min per address, "
        f"{result['refused_429_per_min']} refused (429)/min"
    )
    print(f"  operator sign-ins from another address: {result['operator_sign_ins']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
