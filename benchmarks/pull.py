"""Pulling 100,000 offers from a local hub, the kiosk's window on screen and its list moving.

    python -m benchmarks.pull [--offers 100000] [--json]

A hub (`kiosk-hub serve`, SQLite, its own process) holds synthetic offers around the demo
terminal, `--offers` of them located (the feed sends only those); the terminal is enrolled
with a radius that takes them all. The kiosk is built in this process exactly as `kiosk run`
builds it (offscreen, software rendering) on an empty cache; its sync starts by itself after
the first frame and pulls the whole feed (the parsers in worker processes, the writes on the
sync thread). Meanwhile the offer list scrolls a few
pixels every 16 ms, as a finger would move it on a 60 Hz panel, so a frame is asked for 60
times a second; the time between consecutive painted frames is recorded.

- pull: from the start of the sync round to its end, every offer in the cache.
- frames: the longest interval between two painted frames during the pull, and how many were
  over 100 ms.
- floor: the same pages fetched with one HTTP session following `Feed-Cursor`, nothing decoded
  or written: what the hub and the loopback cost on their own, in the same run.

Targets (issue 6): the pull in ≤ 20 s, no frame over 100 ms.
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.hub_load import free_port, start_server  # noqa: E402
from benchmarks.ui import SIZE, _items, percentile  # noqa: E402
from kiosk.config import DEMO_CONFIG_TOML, Settings, parse_config  # noqa: E402

TARGET_S = 20.0
FRAME_LIMIT_MS = 100.0
PAGE = 1000


def prepare_hub(work: Path, offers: int) -> dict[str, Any]:
    """A hub database with `offers` offers around the demo terminal, and its enrolment."""
    from hub.app import build_services  # noqa: PLC0415
    from hub.db import open_database  # noqa: PLC0415
    from hub.keys import load_or_create_keys  # noqa: PLC0415
    from hub.schemas import EnrolRequest  # noqa: PLC0415
    from hub.settings import HubConfig, HubSettings, sqlite_url  # noqa: PLC0415
    from kiosk import demo  # noqa: PLC0415
    from kiosk.formats import parse_payload  # noqa: PLC0415

    config = parse_config(DEMO_CONFIG_TOML, "demo").origin
    url = sqlite_url(work / "hub.sqlite")
    settings = HubSettings(config=HubConfig(), data_dir=work, database_url=url, source="bench")
    keys, _ = load_or_create_keys(settings.key_file)
    db = open_database(url)
    services = build_services(settings, db, keys)
    # About 8 % of the synthetic offers have no coordinates, and the feed leaves those out:
    # 9 % more make the feed hold at least `offers`.
    records = demo.generate_offers(offers * 109 // 100, config, seed=1)
    report = services.offers.upsert(parse_payload({"resultats": records}), batch_size=5000)
    code, _ = services.terminals.create_code("bench-pull")
    token = services.terminals.enrol(
        EnrolRequest(
            code=code,
            terminal_id="bench-pull",
            name="Bench",
            latitude=config.latitude,
            longitude=config.longitude,
            radius_km=500,  # every offer: the pull is the subject, not the area
            version="0.1.0",
        )
    )
    db.dispose()
    return {"url": url, "token": token, "public_key": keys.public_key, "offers": report.inserted}


def floor_pull(base: str, token: str) -> tuple[float, int, int]:
    """Every page fetched, following Feed-Cursor, nothing decoded or written: the seconds
    spent fetching, the bytes, and how many offers the feed holds (counted off the clock)."""
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    cursor: str | None = None
    size = offers = 0
    fetching = 0.0
    while True:
        params: dict[str, Any] = {"limit": PAGE}
        if cursor:
            params["cursor"] = cursor
        started = time.perf_counter()
        answer = session.get(f"{base}/v1/feed", params=params, timeout=60)
        answer.raise_for_status()
        fetching += time.perf_counter() - started
        size += len(answer.content)
        offers += len(orjson.loads(answer.content)["offers"])
        cursor = answer.headers["Feed-Cursor"]
        if answer.headers["Feed-More"] != "true":
            break
    session.close()
    return fetching, size, offers


def frames_until(window: Any, view: Any, done: Callable[[], bool]) -> list[float]:
    """Scroll `view` 3 px every 16 ms (back to the top at the end) until `done()`; the
    intervals between painted frames, in ms."""
    from PySide6.QtCore import QEventLoop, QTimer  # noqa: PLC0415

    loop = QEventLoop()
    stamps: list[float] = []
    window.frameSwapped.connect(lambda: stamps.append(time.perf_counter()))

    def tick() -> None:
        if done():
            loop.quit()
            return
        bottom = view.property("contentHeight") - view.property("height") + view.property("originY")
        target = view.property("contentY") + 3
        view.setProperty("contentY", target if target < bottom else view.property("originY"))
        window.update()

    timer = QTimer()
    timer.setInterval(16)
    timer.timeout.connect(tick)
    timer.start()
    loop.exec()
    timer.stop()
    return [(b - a) * 1000 for a, b in itertools.pairwise(stamps)]


def kiosk_pull(base: str, hub: dict[str, Any], data_dir: Path) -> dict[str, Any]:
    """The kiosk on an empty cache syncing the whole feed while its list scrolls."""
    from PySide6.QtGui import QGuiApplication  # noqa: PLC0415

    from kiosk.cli import open_store  # noqa: PLC0415
    from kiosk.sync.engine import SyncStatus  # noqa: PLC0415
    from kiosk.ui.app import build_kiosk, prepare_environment, settle, wait_until  # noqa: PLC0415

    prepare_environment(headless=True)
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    assert app is not None
    toml = DEMO_CONFIG_TOML + (
        f'\n[hub]\nurl = "{base}"\ntoken = "{hub["token"]}"\npublic_key = "{hub["public_key"]}"\n'
    )
    settings = Settings(parse_config(toml, "bench"), "bench", data_dir, demo=False)
    store = open_store(settings)
    kiosk = build_kiosk(settings, store=store, size=SIZE, freeze_heap=True)
    try:
        wait_until(lambda: kiosk.first_frame_at is not None, what="the first frame")
        kiosk.session.wake()
        settle(kiosk.window)
        marks: dict[str, float] = {}
        statuses: list[SyncStatus] = []

        def on_change() -> None:
            status = kiosk.sync.status
            if status is None:
                return
            statuses.append(status)
            if status.syncing and "start" not in marks:
                marks["start"] = time.perf_counter()
            if not status.syncing and "start" in marks and "end" not in marks:
                marks["end"] = time.perf_counter()

        kiosk.sync.changed.connect(on_change)
        wait_until(lambda: "start" in marks, timeout_s=30, what="the sync round")
        view = next(i for i in _items(kiosk.window) if i.objectName() == "offerList")
        intervals = frames_until(kiosk.window, view, lambda: "end" in marks)
        last = statuses[-1]
        return {
            "pull_s": marks["end"] - marks["start"],
            "offers_in_cache": store.count(),
            "pages": max(s.pages for s in statuses),
            "error": last.error,
            "frames": len(intervals),
            "frame_p50_ms": statistics.median(intervals),
            "frame_p99_ms": percentile(intervals, 0.99),
            "frame_max_ms": max(intervals),
            "frames_over_100ms": sum(1 for i in intervals if i > FRAME_LIMIT_MS),
        }
    finally:
        kiosk.shutdown()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--offers", type=int, default=100_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pull-bench-") as folder:
        work = Path(folder)
        (work / "hub").mkdir()
        (work / "terminal").mkdir()
        started = time.perf_counter()
        hub = prepare_hub(work / "hub", args.offers)
        prepare_s = time.perf_counter() - started
        config = work / "hub.toml"
        config.write_text(f"[feed]\npage_default = {PAGE}\npage_max = {PAGE}\n")
        port = free_port()
        server = start_server(hub["url"], work / "hub", port, config)
        base = f"http://127.0.0.1:{port}"
        try:
            floor_s, size, listed = floor_pull(base, hub["token"])
            result = kiosk_pull(base, hub, work / "terminal")
        finally:
            server.terminate()
            server.wait(30)
    result |= {
        "offers_at_hub": hub["offers"],
        "offers_in_feed": listed,  # the located ones (the feed leaves the others out)
        "hub_prepared_s": prepare_s,
        "floor_s": floor_s,
        "feed_mb": size / 1e6,
        "offers_per_s": result["offers_in_cache"] / result["pull_s"],
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    ok_time = result["pull_s"] <= TARGET_S
    ok_frames = result["frames_over_100ms"] == 0
    print(
        f"pull {result['offers_in_cache']:,} offers ({result['pages']} pages, "
        f"{result['feed_mb']:.0f} MB): {result['pull_s']:.1f} s, "
        f"{result['offers_per_s']:,.0f} offers/s "
        f"(floor: the pages alone {floor_s:.1f} s) target ≤ {TARGET_S:.0f} s "
        f"{'✓' if ok_time else '✗'}"
    )
    print(
        f"frames while pulling: {result['frames']}, p50 {result['frame_p50_ms']:.0f} ms, "
        f"p99 {result['frame_p99_ms']:.0f} ms, worst {result['frame_max_ms']:.0f} ms, "
        f"{result['frames_over_100ms']} over {FRAME_LIMIT_MS:.0f} ms "
        f"{'✓' if ok_frames else '✗'}"
    )
    if result["error"]:
        print(f"sync error: {result['error']}", file=sys.stderr)
    return 0 if result["offers_in_cache"] == listed else 1


if __name__ == "__main__":
    raise SystemExit(main())
