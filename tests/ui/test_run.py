"""`kiosk run` as a process: it starts on the demo data, paints, and shuts down in order on
SIGTERM (how systemd stops it)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

pytestmark = pytest.mark.ui


def test_run_then_sigterm(tmp_path: Path) -> None:
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        QT_QUICK_BACKEND="software",
        KIOSK_DATA_DIR=str(tmp_path),
        KIOSK_CONFIG="",
    )
    lines: list[str] = []
    painted = threading.Event()
    with subprocess.Popen(
        [sys.executable, "-m", "kiosk", "run", "--windowed", "--size", "1080x1920"],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:

        def read() -> None:
            assert process.stderr is not None
            for line in process.stderr:
                lines.append(line)
                if "first frame on screen" in line:
                    painted.set()

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        try:
            assert painted.wait(60), "".join(lines)
            process.send_signal(signal.SIGTERM)
            assert process.wait(30) == 0, "".join(lines)
        finally:
            if process.poll() is None:
                process.kill()
        reader.join(10)
    log = "".join(lines)
    assert "loaded 2000 synthetic demo offers" in log
    stages = [line for line in lines if "shutdown: stage" in line]
    assert [s.split("stage ")[1][:3] for s in stages] == ["1/4", "2/4", "3/4", "4/4"]
    assert "Traceback" not in log
