"""`kiosk run` stopped by SIGTERM, as systemd stops it, again and again: every stop is the
ordered shutdown and a clean exit, never a crash.

The kiosk used to quit from inside a Qt timer pass, closing its window there; a timer of that
window could still fire, and Qt crashed (SIGSEGV) in about one stop in three once the attract
screen was animating. A single stop proves little, so the real kiosk is started and stopped
`RUNS` times, two at a time.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from kiosk.cli import load_demo, open_store
from kiosk.config import Settings, parse_config
from kiosk.ui.stop_signals import StopSignals

pytestmark = pytest.mark.ui

RUNS = 16
AT_ONCE = 2
# The kiosk has answered its first search and set its start-up heap aside: it is up, and the
# attract screen's animation keeps the window painting (the old crash needed a paint pending).
UP = "set aside from garbage collection"

CONFIG = """\
[terminal]
id = "shutdown-test"
name = "Shutdown test"

[location]
latitude = 48.8443
longitude = 2.3744
label = "Paris Gare de Lyon"
radius_km = 30

[audio]
engine = "mock"
"""


@dataclass(frozen=True, slots=True)
class Stop:
    """How one run ended."""

    returncode: int | None  # None: it never came up, or did not exit after the signal
    log: str

    @property
    def clean(self) -> bool:
        stages = [line.split("stage ")[1][:3] for line in self.lines if "shutdown: stage" in line]
        return (
            self.returncode == 0
            and stages == ["1/4", "2/4", "3/4", "4/4"]
            and "Fatal Python error" not in self.log
            and "Traceback" not in self.log
        )

    @property
    def lines(self) -> list[str]:
        return self.log.splitlines()

    def describe(self) -> str:
        if self.returncode is None:
            ending = "it did not come up, or did not end after SIGTERM"
        elif self.returncode < 0:
            ending = f"killed by {signal.Signals(-self.returncode).name}"
        else:
            ending = f"exit code {self.returncode}"
        return f"{ending}\n{self.log[-3000:]}"


def start_and_stop(data_dir: Path, config: Path) -> Stop:
    """Start `kiosk run`, send SIGTERM once it is up, and wait for it to end."""
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        QT_QUICK_BACKEND="software",
        KIOSK_DATA_DIR=str(data_dir),
        KIOSK_CONFIG=str(config),
        PYTHONFAULTHANDLER="1",  # a crash prints its Python stack into the log
    )
    lines: list[str] = []
    up = threading.Event()
    with subprocess.Popen(
        [sys.executable, "-m", "kiosk", "run", "--windowed", "--size", "1080x1920"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:

        def read() -> None:
            assert process.stderr is not None
            for line in process.stderr:
                lines.append(line)
                if UP in line:
                    up.set()

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        returncode: int | None = None
        try:
            if up.wait(60):
                process.send_signal(signal.SIGTERM)
                returncode = process.wait(30)
        except subprocess.TimeoutExpired:
            pass
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        reader.join(10)
    return Stop(returncode, "".join(lines))


@pytest.mark.slow
def test_every_sigterm_is_an_ordered_shutdown(tmp_path: Path) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text(CONFIG, encoding="utf-8")
    seeded = tmp_path / "seeded"
    settings = Settings(parse_config(CONFIG, str(config)), str(config), seeded, demo=False)
    store = open_store(settings)
    try:
        load_demo(store, 500, settings.config.origin)
    finally:
        store.engine.dispose()
    folders = []
    for number in range(RUNS):
        folder = tmp_path / f"run-{number}"
        shutil.copytree(seeded, folder)
        folders.append(folder)

    with ThreadPoolExecutor(AT_ONCE) as pool:
        stops = list(pool.map(lambda folder: start_and_stop(folder, config), folders))

    unclean = [stop for stop in stops if not stop.clean]
    first = unclean[0].describe() if unclean else ""
    assert len(unclean) == 0, f"{len(unclean)} of {RUNS} stops were not clean; the first: {first}"


def test_a_stop_signal_is_read_by_the_event_loop(qtbot: Any) -> None:
    before = signal.getsignal(signal.SIGTERM)
    stops = StopSignals()
    try:
        with qtbot.waitSignal(stops.received) as received:
            os.kill(os.getpid(), signal.SIGTERM)
        assert received.args == [signal.SIGTERM]
    finally:
        stops.close()
    assert signal.getsignal(signal.SIGTERM) == before
