"""Audio mode benchmark: key press → speech requested, key press → focus ring painted, with floors.

    python benchmarks/audio.py [--presses 200] [--json]

Offscreen, software renderer, 1080×1920, on the demo terminal with its 2,000 demo offers and
Qt's `mock` speech engine (it speaks nothing). The kiosk is woken by audio mode
(`guide.setAudio(True)`); then each key press is a real key event sent to the window
(`QTest.keyClick`), Down and Up, three forward for one back:

- browse: from the search field (where waking puts the guide's focus, without the on-screen
  keyboard), through the filter chips, the result summary and into the offer list, whose
  cards scroll into view;
- apply: the application form of an offer (opened through the view-model, not timed), its
  fields, answers, consent and "Continue", round and round.

For each press: the time from just before the key is sent to the Speaker's `spoke` signal
(the engine's `say()` was called), and to the first frame swapped after the focus ring's
parent became the guide's new focus.
Floor, same run: a bare QML window of the same size with two bordered Rectangles; Down and Up
move the active focus between them and the focused one's border thickens. Key press → its
`activeFocusItemChanged` (beside speech), key press → the frame that shows it (beside the ring).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.ui import SIZE, CollectionLog, _items, percentile  # noqa: E402
from kiosk.config import DEMO_CONFIG_TOML, Settings, parse_config  # noqa: E402
from kiosk.ui.app import prepare_environment  # noqa: E402

# The demo terminal, speaking through Qt's engine that speaks nothing; no attract-screen hint.
AUDIO_CONFIG = DEMO_CONFIG_TOML + '\n[audio]\nengine = "mock"\nattract_hint_s = 0\n'
PATTERN = ("Down", "Down", "Down", "Up")  # forward through the screen, one step back now and then
SPEECH_TARGET_MS = 100
RING_TARGET_MS = 50
TIMEOUT_S = 5


class Press:
    """One key sent to a window, timed to the signals and frame that answer it."""

    def __init__(self, window: Any, moved: Callable[[], bool]) -> None:
        self.window = window
        self.moved = moved  # whether the frame about to be swapped shows the new focus
        self.answered: float | None = None
        self.painted: float | None = None

    def answer(self, *_: object) -> None:
        if self.answered is None:
            self.answered = time.perf_counter()

    def frame(self) -> None:
        if self.painted is None and self.answered is not None and self.moved():
            self.painted = time.perf_counter()

    def send(self, key: str, answer_signal: Any) -> tuple[float, float]:
        """Press `key`; (ms to the answer signal, ms to the frame showing the move)."""
        from PySide6.QtCore import Qt  # noqa: PLC0415
        from PySide6.QtTest import QTest  # noqa: PLC0415

        from kiosk.ui.app import wait_until  # noqa: PLC0415

        answer_signal.connect(self.answer)
        self.window.frameSwapped.connect(self.frame)
        try:
            started = time.perf_counter()
            QTest.keyClick(self.window, getattr(Qt.Key, f"Key_{key}"))
            wait_until(lambda: self.painted is not None, TIMEOUT_S, f"the frame after {key}")
        finally:
            answer_signal.disconnect(self.answer)
            self.window.frameSwapped.disconnect(self.frame)
        assert self.answered is not None and self.painted is not None
        return (self.answered - started) * 1000, (self.painted - started) * 1000


def press_all(
    kiosk: Any, ring: Any, count: int, where: Callable[[Any], str], log: CollectionLog
) -> list[tuple[str, str, float, float, str]]:
    """`count` presses of PATTERN on the kiosk: (the part of the screen the focus went to, its
    objectName, speech ms, ring ms, garbage collections during the press)."""
    guide = kiosk.guide
    timings = []
    for n in range(count):
        before = guide.focus

        def moved(before: Any = before) -> bool:
            focus = guide.focus
            return focus is not None and focus is not before and ring.parentItem() is focus

        started = time.perf_counter()
        speech, frame = Press(kiosk.window, moved).send(
            PATTERN[n % len(PATTERN)], kiosk.speaker.spoke
        )
        collections = log.overlapping(started, time.perf_counter())
        gcs = ", ".join(f"gen-{g} GC {ms:.0f} ms" for g, ms in collections if ms >= 1)
        timings.append((where(guide.focus), guide.focus.objectName(), speech, frame, gcs))
    return timings


def bench_kiosk(data_dir: Path, presses: int) -> dict[str, Any]:
    from kiosk.ui.app import build_kiosk, settle, wait_until  # noqa: PLC0415

    settings = Settings(parse_config(AUDIO_CONFIG, "benchmark"), "benchmark", data_dir, demo=True)
    kiosk = build_kiosk(settings, size=SIZE, freeze_heap=True)  # as `kiosk run`
    try:
        wait_until(lambda: kiosk.attract.offer_count() is not None, 60, "the index")
        wait_until(lambda: kiosk.results.rowCount() > 0, 60, "the first page")
        heard: list[str] = []
        kiosk.speaker.spoke.connect(heard.append)
        kiosk.guide.setAudio(True)  # wakes the terminal: the browse screen
        wait_until(lambda: len(heard) >= 2 and kiosk.guide.focus is not None, 10, "the screen")
        settle(kiosk.window)
        ring = next(i for i in _items(kiosk.window) if i.objectName() == "focusRing")

        def where(item: Any) -> str:
            name = item.objectName() if item is not None else ""
            return (
                "apply"
                if kiosk.navigator.page == "apply"
                else ("list" if name.startswith("offerCard") else "filters")
            )

        browse_presses = presses * 3 // 4
        with CollectionLog() as log:
            view = next(i for i in _items(kiosk.window) if i.objectName() == "offerList")
            top = float(view.property("contentY"))
            timings = press_all(kiosk, ring, browse_presses, where, log)
            scrolled = float(view.property("contentY")) - top
            rows = kiosk.results.rowCount()
            offer_id = next(
                kiosk.results.offerIdAt(row)
                for row in range(kiosk.results.rowCount())
                if kiosk.results.summary(row).direct_apply  # type: ignore[union-attr]
            )
            kiosk.navigator.openOffer(offer_id)
            kiosk.navigator.startApply(False)
            mark = len(heard)
            wait_until(
                lambda: len(heard) > mark and where(kiosk.guide.focus) == "apply", 10, "form"
            )
            settle(kiosk.window)
            timings += press_all(kiosk, ring, presses - browse_presses, where, log)
    finally:
        kiosk.shutdown()
    speech = [t[2] for t in timings]
    ring_ms = [t[3] for t in timings]
    cards = [int(t[1].removeprefix("offerCard-")) for t in timings if t[0] == "list"]
    # Presses over a target, and the slowest one, named on stderr with the collections that
    # ran meanwhile, so a regression names itself.
    slowest = max(range(len(timings)), key=lambda i: timings[i][3])
    slow = [
        f"#{i} {name or w} {s:.0f}/{r:.0f} ms{', ' + g if g else ''}"
        for i, (w, name, s, r, g) in enumerate(timings)
        if s > SPEECH_TARGET_MS or r > RING_TARGET_MS or i == slowest
    ]
    print(f"slowest presses (speech/ring): {'; '.join(slow)}", file=sys.stderr)
    figures: dict[str, Any] = {
        "presses": len(timings),
        "offers_walked": max(cards, default=-1) + 1,
        "list_scrolled_px": scrolled,
        "list_rows_loaded": rows,
        "speech_p50_ms": statistics.median(speech),
        "speech_p95_ms": percentile(speech, 0.95),
        "speech_max_ms": max(speech),
        "ring_p50_ms": statistics.median(ring_ms),
        "ring_p95_ms": percentile(ring_ms, 0.95),
        "ring_max_ms": max(ring_ms),
    }
    for part in ("filters", "list", "apply"):
        mine = [t for t in timings if t[0] == part]
        if mine:
            figures[f"{part}_presses"] = len(mine)
            figures[f"{part}_speech_p95_ms"] = percentile([t[2] for t in mine], 0.95)
            figures[f"{part}_ring_p95_ms"] = percentile([t[3] for t in mine], 0.95)
    return figures


FLOOR_QML = b"""
import QtQuick
Window {
    width: %d; height: %d; color: "white"; visible: true
    Column {
        x: 40; y: 40; spacing: 20
        Rectangle {
            id: first; objectName: "first"; width: 1000; height: 170; focus: true
            border.width: activeFocus ? 8 : 2; border.color: activeFocus ? "#1f5fbf" : "#888888"
            KeyNavigation.down: second; KeyNavigation.up: second
        }
        Rectangle {
            id: second; objectName: "second"; width: 1000; height: 170
            border.width: activeFocus ? 8 : 2; border.color: activeFocus ? "#1f5fbf" : "#888888"
            KeyNavigation.down: first; KeyNavigation.up: first
        }
    }
}
"""


def bench_floor(presses: int) -> dict[str, float]:
    """A bare QML item taking focus on a key and repainted, in a window of the same size."""
    from PySide6.QtQml import QQmlApplicationEngine  # noqa: PLC0415

    from kiosk.ui.app import settle  # noqa: PLC0415

    engine = QQmlApplicationEngine()
    engine.loadData(FLOOR_QML % SIZE)
    window = engine.rootObjects()[0]
    settle(window)
    focus_ms, frame_ms = [], []
    for n in range(presses):
        before = window.activeFocusItem()

        def moved(before: Any = before) -> bool:
            focus = window.activeFocusItem()
            return focus is not None and focus.objectName() != before.objectName()

        focus, frame = Press(window, moved).send(
            PATTERN[n % len(PATTERN)], window.activeFocusItemChanged
        )
        focus_ms.append(focus)
        frame_ms.append(frame)
    window.hide()
    engine.deleteLater()
    return {
        "floor_focus_p50_ms": statistics.median(focus_ms),
        "floor_focus_p95_ms": percentile(focus_ms, 0.95),
        "floor_focus_max_ms": max(focus_ms),
        "floor_frame_p50_ms": statistics.median(frame_ms),
        "floor_frame_p95_ms": percentile(frame_ms, 0.95),
        "floor_frame_max_ms": max(frame_ms),
    }


def report(figures: dict[str, Any]) -> None:
    rows = [
        ("key → speech requested, p50 ms", "speech_p50_ms", "floor_focus_p50_ms", None),
        ("key → speech requested, p95 ms", "speech_p95_ms", "floor_focus_p95_ms", "≤ 100"),
        ("key → speech requested, worst ms", "speech_max_ms", "floor_focus_max_ms", None),
        ("key → focus ring painted, p50 ms", "ring_p50_ms", "floor_frame_p50_ms", None),
        ("key → focus ring painted, p95 ms", "ring_p95_ms", "floor_frame_p95_ms", "≤ 50"),
        ("key → focus ring painted, worst ms", "ring_max_ms", "floor_frame_max_ms", None),
    ]
    for part, label in (("filters", "search + filters"), ("list", "offer list"), ("apply", "form")):
        if f"{part}_presses" in figures:
            rows.append((f"  {label}: speech p95 ms", f"{part}_speech_p95_ms", None, None))
            rows.append((f"  {label}: ring p95 ms", f"{part}_ring_p95_ms", None, None))
    print(f"{'figure':<42} {'measured':>10} {'floor':>10}  target")
    for label, key, floor, target in rows:
        shown_floor = f"{figures[floor]:10.1f}" if floor else " " * 10
        print(f"{label:<42} {figures[key]:10.1f} {shown_floor}  {target or ''}")
    parts = ", ".join(
        f"{figures[f'{p}_presses']} {p}"
        for p in ("filters", "list", "apply")
        if f"{p}_presses" in figures
    )
    print(
        f"({figures['presses']} presses: {parts}; {figures['offers_walked']} offers walked, "
        f"the list scrolled {figures['list_scrolled_px']:.0f} px, "
        f"{figures['list_rows_loaded']} rows loaded; floor: a bare QML Rectangle taking focus, "
        "key → activeFocusItemChanged / frame)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    prepare_environment(headless=True)
    from PySide6.QtGui import QGuiApplication  # noqa: PLC0415

    app = QGuiApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory(prefix="kiosk-audio-bench-") as folder:
        figures = bench_kiosk(Path(folder), args.presses)
    figures |= bench_floor(args.presses)
    del app
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        report(figures)


if __name__ == "__main__":
    main()
