"""Fleet page benchmark: the operator's pages with 1,000 terminals, beside the floor of their SQL.

    python benchmarks/fleet.py [--terminals 1000] [--requests 200]
        [--database sqlite|postgresql|both] [--json] [--screenshots DIR]

The hub runs as `kiosk-hub serve` in its own process on 127.0.0.1 (as benchmarks/hub_load.py
starts it), over a file-backed SQLite database or a throwaway durable PostgreSQL cluster
(fsync on) when its binaries are installed. The terminals are written straight into the
database in every state the page sorts by, with 14 days of hourly heartbeat history
(tests/hub/fleet_seed.py). A signed-in client then asks each page `--requests` times on one
keep-alive connection, after 10 unmeasured requests; `GET /v1/health` the same way is the
floor of HTTP.

The floor is the page's own SQL, measured in the same run: every statement one request of the
page ran to read (recorded from the engine), replayed on a raw DBAPI connection with its parameters
and its rows fetched — the database's share of the page, with no Python around it.

`--screenshots DIR` also saves the fleet page and a terminal's page at 1440×900 and 390×844
through headless chromium (Debian's chromium + chromium-driver), for docs/operators.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import event

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.databases import each_database, report  # noqa: E402
from benchmarks.hub_load import CONFIG, free_port, start_server  # noqa: E402
from hub.app import Services, build_services, create_app  # noqa: E402
from hub.db import open_database  # noqa: E402
from hub.keys import load_or_create_keys  # noqa: E402
from hub.settings import HubConfig, HubSettings  # noqa: E402
from tests.hub.conftest import fleet_login  # noqa: E402
from tests.hub.fleet_seed import seed_fleet, terminal_id  # noqa: E402

with warnings.catch_warnings():  # starlette would rather have httpx2: no matter here
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

PAGES = {
    "fleet, first page": "/fleet",
    "fleet, offline filter": "/fleet?state=offline",
    "fleet, search + version, page 2": "/fleet?place=lyon&version=1.2.0&page=2",
    "terminal page": "/fleet/terminals/" + terminal_id(0),
}
WARM_UP = 10


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def figures(times: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(statistics.median(times) * 1000, 2),
        "p95_ms": round(percentile(times, 0.95) * 1000, 2),
        "max_ms": round(max(times) * 1000, 2),
    }


def prepare(url: str, data_dir: Path, terminals: int) -> tuple[Services, str, float]:
    """Migrate and seed the database; the hub's services on it, an operator token, and how
    long seeding took."""
    settings = HubSettings(
        config=HubConfig(), data_dir=data_dir, database_url=url, source="benchmark"
    )
    keys, _ = load_or_create_keys(settings.key_file)
    services = build_services(settings, open_database(url), keys)
    started = time.perf_counter()
    seed_fleet(services.db, int(time.time()), terminals, history_days=14)
    return services, services.operators.create(), time.perf_counter() - started


def page_statements(
    services: Services, path: str, sign_in: Callable[[TestClient], None]
) -> list[tuple[str, Any]]:
    """The reading SQL statements (with parameters) that one request of `path` ran, served
    in this process (after one unrecorded request) by a client `sign_in` made known."""
    seen: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            seen.append((statement, parameters))

    with TestClient(create_app(services), base_url="http://127.0.0.1") as client:
        sign_in(client)
        answer = client.get(path, follow_redirects=False)
        assert answer.status_code == 200, (path, answer.status_code)
        event.listen(services.db.engine, "before_cursor_execute", record)
        try:
            assert client.get(path, follow_redirects=False).status_code == 200
        finally:
            event.remove(services.db.engine, "before_cursor_execute", record)
    return seen


def bearer(token: str) -> Callable[[TestClient], None]:
    """Sign a test client in with the operator's token."""

    def sign_in(client: TestClient) -> None:
        client.headers["Authorization"] = f"Bearer {token}"

    return sign_in


def sql_floor(services: Services, statements: list[tuple[str, Any]], runs: int) -> list[float]:
    """Times of the statements replayed together on a raw DBAPI connection."""
    raw = services.db.engine.raw_connection()
    times = []
    try:
        for index in range(WARM_UP + runs):
            started = time.perf_counter()
            cursor = raw.cursor()
            for statement, parameters in statements:
                cursor.execute(statement, parameters)
                if cursor.description is not None:
                    cursor.fetchall()
            cursor.close()
            raw.rollback()
            if index >= WARM_UP:
                times.append(time.perf_counter() - started)
    finally:
        raw.close()
    return times


def timed(client: httpx.Client, path: str, runs: int) -> tuple[list[float], int]:
    """Times of `runs` requests of `path` after WARM_UP unmeasured ones; the page's size."""
    times = []
    size = 0
    for index in range(WARM_UP + runs):
        began = time.perf_counter()
        answer = client.get(path)
        elapsed = time.perf_counter() - began
        assert answer.status_code == 200, (path, answer.status_code)
        size = len(answer.content)
        if index >= WARM_UP:
            times.append(elapsed)
    return times, size


def run(database: str, url: str, data_dir: Path, args: argparse.Namespace) -> dict[str, Any]:
    data_dir.mkdir(parents=True, exist_ok=True)
    services, token, seeded_s = prepare(url, data_dir, args.terminals)
    config = data_dir / "hub.toml"
    config.write_text(CONFIG)
    port = free_port()
    server = start_server(url, data_dir, port, config)
    try:
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, timeout=30) as client:
            assert fleet_login(client, token).status_code == 303
            health, _ = timed(client, "/v1/health", args.requests)
            pages = {}
            for name, path in PAGES.items():
                times, size = timed(client, path, args.requests)
                statements = page_statements(services, path, bearer(token))
                pages[name] = {
                    "path": path,
                    "bytes": size,
                    "page": figures(times),
                    "sql_statements": len(statements),
                    "sql_floor": figures(sql_floor(services, statements, args.requests)),
                }
        if args.screenshots:
            screenshots(base, token, Path(args.screenshots))
        return {
            "database": database,
            "terminals": args.terminals,
            "requests": args.requests,
            "seeded_s": round(seeded_s, 2),
            "health_floor": figures(health),
            "pages": pages,
        }
    finally:
        server.terminate()
        server.wait(30)
        services.db.dispose()


def screenshots(base: str, token: str, folder: Path) -> None:
    """The fleet page and a terminal's page at desktop and phone sizes, as PNG files."""
    from selenium import webdriver  # noqa: PLC0415
    from selenium.webdriver.chrome.service import Service  # noqa: PLC0415
    from selenium.webdriver.common.by import By  # noqa: PLC0415

    folder.mkdir(parents=True, exist_ok=True)
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))
    try:
        driver.get(f"{base}/fleet/login")
        driver.find_element(By.ID, "token").send_keys(token + "\n")
        for name, (width, height) in (("desktop", (1440, 900)), ("phone", (390, 844))):
            driver.execute_cdp_cmd(
                "Emulation.setDeviceMetricsOverride",
                {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
            )
            for page, path in (("fleet", "/fleet"), ("terminal", PAGES["terminal page"])):
                driver.get(base + path)
                target = folder / f"{page}-{name}.png"
                target.write_bytes(driver.get_screenshot_as_png())
                print(f"saved {target}", file=sys.stderr)
    finally:
        driver.quit()


def print_report(result: dict[str, Any]) -> None:
    print(
        f"\n{result['database']}: {result['terminals']:,} terminals (seeded in "
        f"{result['seeded_s']} s), {result['requests']} requests per page"
    )
    print(f"  {'page':34} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}   SQL floor p50/p95 ms")
    health = result["health_floor"]
    print(
        f"  {'floor: GET /v1/health':34} {health['p50_ms']:8.1f} {health['p95_ms']:8.1f} "
        f"{health['max_ms']:8.1f}"
    )
    for name, page in result["pages"].items():
        floor = page["sql_floor"]
        print(
            f"  {name:34} {page['page']['p50_ms']:8.1f} {page['page']['p95_ms']:8.1f} "
            f"{page['page']['max_ms']:8.1f}   {floor['p50_ms']:.1f} / {floor['p95_ms']:.1f} "
            f"({page['sql_statements']} statements, {page['bytes'] // 1024} KiB)"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--terminals", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--screenshots", metavar="DIR", help="save PNGs of the pages here")
    args = parser.parse_args()
    if not 0 < args.terminals <= 100_000 or not 0 < args.requests <= 10_000:
        parser.error("--terminals must be in 1..100000 and --requests in 1..10000")
    results = []
    for target in each_database(args.database, "fleet-bench"):
        results.append(run(target.name, target.url, target.data_dir, args))
        args.screenshots = None  # once is enough
    report(results, print_report, args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
