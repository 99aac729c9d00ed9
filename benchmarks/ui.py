"""Touch interface benchmark: start-up, typing latency, flicking; each beside a floor.

    python benchmarks/ui.py [--offers 100000] [--starts 5] [--flick-offers 10000] [--json]

Everything runs offscreen with Qt Quick's software renderer (the renderer used here), on a
cache of `--offers` synthetic demo offers around the demo terminal (built once, then reused
from the temporary directory):

- start-up: a fresh process runs the composition root (store, search thread, view-models,
  QML) up to the first frame of the attract screen, timed from just before the process is
  spawned; also when the "N offers nearby" line, which needs the search index, is on screen.
  Floor: a fresh process that shows an empty QML window of the same size.
- typing: the search field has focus; each letter of a few words is sent as a key event and
  timed until the result list holds the answer to that text and a frame with it is painted.
  Floor: `Searcher.search` of the same texts, in the same process.
- flicking: the list is scrolled `--px-per-frame` pixels a frame (a fast fling) until
  `--flick-offers` offers went by, pages arriving from the search thread on the way; the time
  between consecutive painted frames is recorded. Floor: the same scroll over a ListView with
  an integer model and a one-line delegate (no Python model, no paging).
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kiosk.config import DEMO_CONFIG_TOML, Settings, parse_config  # noqa: E402
from kiosk.ui.app import prepare_environment  # noqa: E402

WORDS = ["serveur", "cuisinier", "vendeuse", "chauffeur", "agent"]
WARM_UP_FRAMES = 5  # the first frames of a scroll (first layout of the view) are not counted
SIZE = (1080, 1920)


def percentile(values: list[float], fraction: float) -> float:
    """The value below which `fraction` of `values` fall (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def settings_for(data_dir: Path) -> Settings:
    return Settings(parse_config(DEMO_CONFIG_TOML, "demo"), "demo", data_dir, demo=True)


def ensure_cache(data_dir: Path, offers: int) -> None:
    """Build the offers cache once (generation and import are the store benchmark's business)."""
    from kiosk import demo  # noqa: PLC0415
    from kiosk.formats import parse_payload  # noqa: PLC0415
    from kiosk.offline.db import open_offers_database  # noqa: PLC0415
    from kiosk.offline.offers import OfferStore  # noqa: PLC0415

    settings = settings_for(data_dir)
    engine = open_offers_database(settings.offers_db)
    store = OfferStore(engine, settings.config.origin)
    store.ensure_origin()
    try:
        if store.count() == offers:
            return
        print(f"building a cache of {offers} demo offers in {data_dir} …", file=sys.stderr)
        records = demo.generate_offers(offers, settings.config.origin)
        store.import_records(parse_payload({"resultats": records}, "demo"), full_refresh=True)
    finally:
        engine.dispose()


# -- child processes: one start each --------------------------------------------------------


def child_start(data_dir: Path) -> None:
    """Start the kiosk; print when its first frame and the offer count were on screen."""
    prepare_environment(headless=True)
    from PySide6.QtGui import QGuiApplication  # noqa: PLC0415

    from kiosk.ui.app import build_kiosk, wait_until  # noqa: PLC0415

    app = QGuiApplication([])
    kiosk = build_kiosk(settings_for(data_dir), size=SIZE)
    wait_until(lambda: kiosk.first_frame_at is not None, 60, "the first frame")
    wait_until(lambda: kiosk.attract.offer_count() is not None, 60, "the offer count")
    counted: list[float] = []
    kiosk.window.frameSwapped.connect(lambda: counted.append(time.time()))
    kiosk.window.update()
    wait_until(lambda: bool(counted), 60, "a frame with the count")
    print(json.dumps({"first_frame": kiosk.first_frame_at, "count_frame": counted[0]}))
    # No app.quit() here: quit() first asks every window to close, and the kiosk's locked-down
    # window refuses, so the loop never ended (the benchmark hung on its first start).
    kiosk.shutdown()
    del app


def child_empty() -> None:
    """Show an empty QML window; print when its first frame was on screen."""
    prepare_environment(headless=True)
    from PySide6.QtGui import QGuiApplication  # noqa: PLC0415
    from PySide6.QtQml import QQmlApplicationEngine  # noqa: PLC0415
    from PySide6.QtQuick import QQuickWindow  # noqa: PLC0415

    from kiosk.ui.app import wait_until  # noqa: PLC0415

    app = QGuiApplication([])
    engine = QQmlApplicationEngine()
    engine.loadData(b"import QtQuick\nWindow { width: 1080; height: 1920; color: 'white' }")
    window = engine.rootObjects()[0]
    assert isinstance(window, QQuickWindow)
    frames: list[float] = []
    window.frameSwapped.connect(lambda: frames.append(time.time()))
    window.show()
    wait_until(lambda: bool(frames), 60, "the first frame")
    print(json.dumps({"first_frame": frames[0]}))
    del app


def timed_child(args: list[str]) -> tuple[float, dict[str, float]]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QT_QUICK_BACKEND="software")
    spawned = time.time()
    out = subprocess.run(
        [sys.executable, __file__, *args], env=env, capture_output=True, text=True, check=True
    ).stdout
    return spawned, json.loads(out.strip().splitlines()[-1])


def bench_start(data_dir: Path, runs: int) -> dict[str, float]:
    timed_child(["--child", "empty"])  # warm the file cache for both
    timed_child(["--child", "start", "--data-dir", str(data_dir)])
    first, count, empty = [], [], []
    for _ in range(runs):
        spawned, marks = timed_child(["--child", "empty"])
        empty.append((marks["first_frame"] - spawned) * 1000)
        spawned, marks = timed_child(["--child", "start", "--data-dir", str(data_dir)])
        first.append((marks["first_frame"] - spawned) * 1000)
        count.append((marks["count_frame"] - spawned) * 1000)
    return {
        "start_attract_ms": statistics.median(first),
        "start_attract_max_ms": max(first),
        "start_count_ms": statistics.median(count),
        "start_floor_empty_window_ms": statistics.median(empty),
    }


# -- in-process: typing and flicking --------------------------------------------------------


def bench_typing(kiosk: Any) -> dict[str, float]:
    from PySide6.QtCore import QEventLoop, Qt, QTimer  # noqa: PLC0415
    from PySide6.QtQuick import QQuickItem  # noqa: PLC0415
    from PySide6.QtTest import QTest  # noqa: PLC0415

    from kiosk.offline.search import Searcher, SearchQuery  # noqa: PLC0415
    from kiosk.ui.app import settle, wait_until  # noqa: PLC0415

    window, results = kiosk.window, kiosk.results
    field = next(i for i in _items(window) if i.objectName() == "searchField")
    assert isinstance(field, QQuickItem)
    field.forceActiveFocus()
    latencies: list[float] = []
    texts: list[str] = []
    for word in WORDS:
        kiosk.browse.text = ""
        wait_until(lambda: not results.is_loading() and results.query.text == "", 30, "the list")
        settle(window)
        for length in range(1, len(word) + 1):
            text = word[:length]
            texts.append(text)
            loop = QEventLoop()
            answered = [False]
            painted: list[float] = []

            def on_page(_page: Any, text: str = text, answered: list[bool] = answered) -> None:
                answered[0] = results.query.text == text
                # When the answer looks like the last one (same cards, same counts) the scene
                # has nothing to repaint; ask for the frame that would show it anyway.
                window.update()

            def on_frame(painted: list[float] = painted, answered: list[bool] = answered) -> None:
                if answered[0] and not painted:
                    painted.append(time.perf_counter())
                    loop.quit()  # noqa: B023

            results.firstPageLoaded.connect(on_page)
            window.frameSwapped.connect(on_frame)
            started = time.perf_counter()
            QTest.keyClick(window, getattr(Qt.Key, f"Key_{word[length - 1].upper()}"))
            # The answer, even its frame, may come while the key is delivered; otherwise the
            # loop sleeps until it (the search thread has the GIL meanwhile).
            if not painted:
                QTimer.singleShot(30_000, loop, loop.quit)
                loop.exec()
                if not painted:
                    raise RuntimeError(f"no answer to {text!r} on screen after 30 s")
            results.firstPageLoaded.disconnect(on_page)
            window.frameSwapped.disconnect(on_frame)
            latencies.append((painted[0] - started) * 1000)
    floor: list[float] = []
    searcher = Searcher(kiosk.store.engine)
    try:
        searcher.index()
        for text in texts:
            started = time.perf_counter()
            searcher.search(SearchQuery(text=text, limit=40))
            floor.append((time.perf_counter() - started) * 1000)
    finally:
        searcher.close()
    return {
        "letters": len(latencies),
        "type_p50_ms": statistics.median(latencies),
        "type_p95_ms": percentile(latencies, 0.95),
        "type_max_ms": max(latencies),
        "type_floor_search_p50_ms": statistics.median(floor),
        "type_floor_search_p95_ms": percentile(floor, 0.95),
    }


def _items(window: Any) -> Any:
    stack = [window.contentItem()]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(current.childItems())


class CollectionLog:
    """When the garbage collector ran (perf_counter intervals), to explain long frames."""

    def __init__(self) -> None:
        self.spans: list[tuple[int, float, float]] = []
        self._started = 0.0

    def __enter__(self) -> CollectionLog:
        gc.callbacks.append(self._note)
        return self

    def __exit__(self, *_: object) -> None:
        gc.callbacks.remove(self._note)

    def _note(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.spans.append((info["generation"], self._started, time.perf_counter()))

    def overlapping(self, start: float, end: float) -> list[tuple[int, float]]:
        """(generation, ms) of the collections that ran between `start` and `end`."""
        return [(g, (e - s) * 1000) for g, s, e in self.spans if s < end and e > start]


def scroll_frames(
    window: Any, view: Any, px_per_frame: int, done: Callable[[], bool]
) -> tuple[list[float], int, list[str]]:
    """Scroll `view` by `px_per_frame` after each painted frame until `done()`: the frame
    intervals in ms (warm-up frames left out), how many frames could not move because the
    list had reached the rows loaded so far, and what ran during frames over 32 ms. One event
    loop runs the whole scroll."""
    from PySide6.QtCore import QEventLoop  # noqa: PLC0415

    loop = QEventLoop()
    stamps: list[float] = []
    stalls = [0]

    def step() -> None:
        stamps.append(time.perf_counter())
        if done():
            loop.quit()
            return
        top = view.property("contentHeight") - view.property("height") + view.property("originY")
        current = view.property("contentY")
        target = min(current + px_per_frame, top)
        if target <= current:
            stalls[0] += 1  # the next page is not there yet: paint again, try again
            window.update()
        else:
            view.setProperty("contentY", target)

    window.frameSwapped.connect(step)
    window.update()
    with CollectionLog() as collections:
        loop.exec()
    window.frameSwapped.disconnect(step)
    pairs = list(itertools.pairwise(stamps))[WARM_UP_FRAMES:]
    long_frames = [
        f"{(b - a) * 1000:.0f} ms"
        + "".join(f", gen-{g} GC {ms:.0f} ms" for g, ms in collections.overlapping(a, b))
        for a, b in pairs
        if b - a > 0.032
    ]
    return [(b - a) * 1000 for a, b in pairs], stalls[0], long_frames


def bench_flick(kiosk: Any, offers: int, px_per_frame: int) -> dict[str, float]:
    from kiosk.ui.app import settle, wait_until  # noqa: PLC0415

    window = kiosk.window
    kiosk.browse.text = ""
    wait_until(lambda: not kiosk.results.is_loading() and kiosk.results.query.text == "")
    view = next(i for i in _items(window) if i.objectName() == "offerList")
    settle(window)

    def first_visible() -> int:
        return int(view.indexAt(10, view.property("contentY") + 10))

    started = time.perf_counter()
    intervals, stalls, long_frames = scroll_frames(
        window, view, px_per_frame, lambda: first_visible() >= offers
    )
    if long_frames:
        print(f"flick: frames over 32 ms: {'; '.join(long_frames)}", file=sys.stderr)
    elapsed = time.perf_counter() - started
    return {
        "flick_offers": first_visible(),
        "flick_frames": len(intervals) + WARM_UP_FRAMES + 1,
        "flick_seconds": elapsed,
        "flick_frame_p50_ms": statistics.median(intervals),
        "flick_frame_p99_ms": percentile(intervals, 0.99),
        "flick_frame_max_ms": max(intervals),
        "flick_frames_over_32ms": sum(1 for i in intervals if i > 32),
        "flick_stalled_frames": stalls,
    }


def bench_flick_floor(frames: int, px_per_frame: int) -> dict[str, float]:
    from PySide6.QtQml import QQmlApplicationEngine  # noqa: PLC0415

    from kiosk.ui.app import settle  # noqa: PLC0415

    engine = QQmlApplicationEngine()
    engine.loadData(
        b"import QtQuick\n"
        b"Window { width: 1080; height: 1920; color: 'white'; visible: true\n"
        b"  ListView { objectName: 'floorList'; anchors.fill: parent; model: 1000000;"
        b" reuseItems: true; cacheBuffer: 0; spacing: 20\n"
        b"    delegate: Rectangle { required property int index; width: ListView.view.width;"
        b" height: 170; border.width: 2; Text { anchors.centerIn: parent; font.pixelSize: 26;"
        b" text: 'Offre ' + parent.index } } } }"
    )
    window = engine.rootObjects()[0]
    view = next(i for i in _items(window) if i.objectName() == "floorList")
    settle(window)
    count = [0]

    def done() -> bool:
        count[0] += 1
        return count[0] > frames

    intervals, _, _ = scroll_frames(window, view, px_per_frame, done)
    window.hide()
    engine.deleteLater()
    return {
        "flick_floor_frame_p50_ms": statistics.median(intervals),
        "flick_floor_frame_p99_ms": percentile(intervals, 0.99),
        "flick_floor_frame_max_ms": max(intervals),
    }


def bench_in_process(data_dir: Path, flick_offers: int, px_per_frame: int) -> dict[str, float]:
    prepare_environment(headless=True)
    from PySide6.QtGui import QGuiApplication  # noqa: PLC0415

    from kiosk.ui.app import build_kiosk, settle, wait_until  # noqa: PLC0415

    app = QGuiApplication([])
    kiosk = build_kiosk(settings_for(data_dir), size=SIZE, freeze_heap=True)  # as `kiosk run`
    try:
        wait_until(lambda: kiosk.attract.offer_count() is not None, 60, "the index")
        kiosk.session.wake()
        wait_until(lambda: kiosk.results.rowCount() > 0, 60, "the first page")
        settle(kiosk.window)
        figures = bench_typing(kiosk)
        figures |= bench_flick(kiosk, flick_offers, px_per_frame)
    finally:
        kiosk.shutdown()
    figures |= bench_flick_floor(int(figures["flick_frames"]), px_per_frame)
    del app
    return figures


def report(figures: dict[str, float]) -> None:
    rows = [
        ("start → attract painted, ms (median)", "start_attract_ms", "start_floor_empty_window_ms"),
        ("start → offer count painted, ms", "start_count_ms", "start_floor_empty_window_ms"),
        ("typed letter → list painted, p50 ms", "type_p50_ms", "type_floor_search_p50_ms"),
        ("typed letter → list painted, p95 ms", "type_p95_ms", "type_floor_search_p95_ms"),
        ("typed letter → list painted, max ms", "type_max_ms", None),
        ("flick: frame interval p50, ms", "flick_frame_p50_ms", "flick_floor_frame_p50_ms"),
        ("flick: frame interval p99, ms", "flick_frame_p99_ms", "flick_floor_frame_p99_ms"),
        ("flick: longest frame, ms", "flick_frame_max_ms", "flick_floor_frame_max_ms"),
        ("flick: frames over 32 ms", "flick_frames_over_32ms", None),
        ("flick: frames waiting for a page", "flick_stalled_frames", None),
    ]
    print(f"{'figure':<42} {'measured':>10} {'floor':>10}")
    for label, key, floor in rows:
        if key in figures:
            shown_floor = f"{figures[floor]:10.1f}" if floor and floor in figures else " " * 10
            print(f"{label:<42} {figures[key]:10.1f} {shown_floor}")
    print(
        f"(flick: {figures.get('flick_offers', 0):.0f} offers in "
        f"{figures.get('flick_frames', 0):.0f} frames, {figures.get('flick_seconds', 0):.0f} s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offers", type=int, default=100_000)
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--flick-offers", type=int, default=10_000)
    parser.add_argument("--px-per-frame", type=int, default=300)
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", choices=["start", "empty"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "empty":
        child_empty()
        return
    data_dir = args.data_dir or Path(tempfile.gettempdir()) / f"kiosk-ui-bench-{args.offers}"
    if args.child == "start":
        child_start(data_dir)
        return
    ensure_cache(data_dir, args.offers)
    figures: dict[str, float] = {"offers": args.offers}
    figures |= bench_start(data_dir, args.starts)
    figures |= bench_in_process(data_dir, args.flick_offers, args.px_per_frame)
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        report(figures)


if __name__ == "__main__":
    main()
