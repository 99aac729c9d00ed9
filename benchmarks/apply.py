"""Apply benchmark: tap "Send" to the confirmation on screen, durable commit included.

    python benchmarks/apply.py [--runs 30] [--json]

Offscreen, software renderer, on the demo terminal with 2,000 demo offers and a demo hub key.
Each run fills the form of an offer (through the view-model: typing is not what is timed),
opens the review, then taps "Send" with a mouse press and release at its centre and waits for
the first frame painted with the confirmation. What lies between: validation, HPKE sealing,
the outbox commit with `synchronous=FULL` (an fsync of the WAL), and the screen change.
Floor, same run, same disk: an empty SQLite transaction committed with `synchronous=FULL`
(the fsync alone), and one frame painted after a trivial change.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QPointF, Qt

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kiosk.config import DEMO_CONFIG_TOML, Settings, parse_config  # noqa: E402
from kiosk.ui.app import prepare_environment  # noqa: E402


def percentile(values: list[float], fraction: float) -> float:
    """The value below which `fraction` of `values` fall (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def fsync_floor(folder: Path, runs: int) -> list[float]:
    """An empty write transaction committed with synchronous=FULL, in WAL mode."""
    connection = sqlite3.connect(folder / "floor.sqlite", isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    connection.execute("CREATE TABLE t (x)")
    timings = []
    for i in range(runs):
        started = time.perf_counter()
        connection.execute("BEGIN")
        connection.execute("INSERT INTO t VALUES (?)", (i,))
        connection.execute("COMMIT")
        timings.append((time.perf_counter() - started) * 1000)
    connection.close()
    return timings


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    prepare_environment(headless=True)
    from PySide6.QtGui import QGuiApplication  # noqa: PLC0415
    from PySide6.QtTest import QTest  # noqa: PLC0415

    from kiosk.ui.app import build_kiosk, settle, wait_until  # noqa: PLC0415

    app = QGuiApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory(prefix="kiosk-apply-") as folder:
        data = Path(folder)
        settings = Settings(parse_config(DEMO_CONFIG_TOML, "demo"), "demo", data, demo=True)
        kiosk = build_kiosk(settings, size=(1080, 1920))
        try:
            wait_until(lambda: kiosk.results.rowCount() > 0, what="offers")
            kiosk.session.wake()
            offer_id = next(
                kiosk.results.offerIdAt(row)
                for row in range(kiosk.results.rowCount())
                if kiosk.results.summary(row).direct_apply  # type: ignore[union-attr]
            )
            timings: list[float] = []
            frames: list[float] = []
            for _ in range(args.runs):
                kiosk.navigator.openOffer(offer_id)
                kiosk.navigator.startApply(False)
                for name, value in (("firstName", "Amélie"), ("lastName", "Ndiaye")):
                    kiosk.apply.setProperty(name, value)
                kiosk.apply.setProperty("phone", "06 12 34 56 78")
                kiosk.apply.setProperty("consent", True)
                kiosk.apply.review()
                settle(kiosk.window)
                button = next(
                    i for i in _items(kiosk.window.contentItem()) if i.objectName() == "sendButton"
                )
                centre = button.mapToScene(
                    QPointF(button.width() / 2, button.height() / 2)
                ).toPoint()
                painted: list[float] = []
                kiosk.window.frameSwapped.connect(lambda p=painted: p.append(time.perf_counter()))
                started = time.perf_counter()
                QTest.mousePress(kiosk.window, Qt.MouseButton.LeftButton, pos=centre)
                QTest.mouseRelease(kiosk.window, Qt.MouseButton.LeftButton, pos=centre)
                wait_until(lambda p=painted: kiosk.apply.step == "done" and bool(p), 5, "done")
                timings.append((painted[0] - started) * 1000)
                kiosk.window.frameSwapped.disconnect()
                kiosk.session.end()
                kiosk.session.wake()
                # Floor for the frame: one trivial change painted.
                painted.clear()
                kiosk.window.frameSwapped.connect(lambda p=painted: p.append(time.perf_counter()))
                started = time.perf_counter()
                kiosk.window.update()
                wait_until(lambda p=painted: bool(p), 5, "a frame")
                frames.append((painted[0] - started) * 1000)
                kiosk.window.frameSwapped.disconnect()
            queued = kiosk.outbox.stats().depth
        finally:
            kiosk.shutdown()
        floor = fsync_floor(data, args.runs)
    del app
    figures = {
        "runs": args.runs,
        "queued": queued,
        "send_to_confirmation_p50_ms": round(percentile(timings, 0.5), 1),
        "send_to_confirmation_p95_ms": round(percentile(timings, 0.95), 1),
        "send_to_confirmation_max_ms": round(max(timings), 1),
        "floor_fsync_commit_p50_ms": round(percentile(floor, 0.5), 1),
        "floor_fsync_commit_p95_ms": round(percentile(floor, 0.95), 1),
        "floor_frame_p50_ms": round(percentile(frames, 0.5), 1),
    }
    if args.json:
        print(json.dumps(figures))
        return
    for key, value in figures.items():
        print(f"{key:32} {value}")


def _items(root):  # type: ignore[no-untyped-def]
    stack = [root]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(current.childItems())


if __name__ == "__main__":
    main()
