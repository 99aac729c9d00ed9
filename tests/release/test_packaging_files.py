"""The files that lock a terminal down: systemd units, the guard wrapper, cage session, cursor."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import struct
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"


def unit(name: str) -> dict[str, list[str]]:
    """A systemd unit file as {key: [values]} (keys repeat, sections are ignored)."""
    values: dict[str, list[str]] = {}
    for line in (PACKAGING / "systemd" / name).read_text().splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, _, value = line.partition("=")
            values.setdefault(key.strip(), []).append(value.strip())
    return values


def test_kiosk_unit_is_supervised_and_locked_down() -> None:
    service = unit("job-kiosk.service")
    for key, value in {
        "Type": "notify",
        "NotifyAccess": "all",
        "WatchdogSec": "30",
        "Restart": "always",
        "User": "job-kiosk",
        "PAMName": "job-kiosk",
        "TTYPath": "/dev/tty1",
        "NoNewPrivileges": "yes",
        "ProtectSystem": "strict",
        "StartLimitIntervalSec": "0",
    }.items():
        assert service[key] == [value], key
    assert service["ExecStartPre"] == ["-+/opt/job-kiosk/bin/kiosk-guard --count-start"]
    assert service["ExecStart"][0].startswith("/usr/bin/cage -d -- ")  # no -s: no VT switching
    # Options that break Qt's JIT, Mesa or the seat stay off.
    for key in ("MemoryDenyWriteExecute", "PrivateDevices", "PrivateUsers"):
        assert key not in service
    update = unit("job-kiosk-update.service")
    assert "kiosk update apply" in update["ExecStart"][0]
    assert "--selftest-user job-kiosk" in update["ExecStart"][0]


def _fake_release(root: Path, name: str) -> None:
    folder = root / "releases" / name
    folder.mkdir(parents=True)
    (folder / "kiosk").write_text(f'#!/bin/sh\necho "{name} $*"\n')
    (folder / "kiosk").chmod(0o755)


def test_guard_wrapper_runs_the_previous_release_while_a_switch_is_pending(tmp_path: Path) -> None:
    _fake_release(tmp_path, "1.0.0")
    _fake_release(tmp_path, "1.1.0")
    (tmp_path / "current").symlink_to("releases/1.1.0")
    (tmp_path / "previous").symlink_to("releases/1.0.0")
    env = {**os.environ, "KIOSK_RELEASE_ROOT": str(tmp_path)}

    def guard() -> str:
        done = subprocess.run(
            ["/bin/sh", str(PACKAGING / "bin" / "kiosk-guard"), "--count-start"],
            env=env, capture_output=True, text=True, check=True, timeout=30,
        )  # fmt: skip
        return done.stdout.strip()

    assert guard() == f"1.1.0 guard --root {tmp_path} --count-start"
    (tmp_path / "pending.json").write_text("{}")
    assert guard() == f"1.0.0 guard --root {tmp_path} --count-start"


def test_session_script_and_executables() -> None:
    session = (PACKAGING / "cage" / "kiosk-session").read_text()
    assert "unset WATCHDOG_PID" in session and "QT_VIRTUALKEYBOARD_DESKTOP_DISABLE=1" in session
    for path in ("bin/kiosk-guard", "bin/kiosk", "cage/kiosk-session", "build.sh", "provision.sh"):
        assert os.access(PACKAGING / path, os.X_OK), path
        subprocess.run(["/bin/bash", "-n", str(PACKAGING / path)], check=True, timeout=30)


def test_blank_cursor_theme(tmp_path: Path) -> None:
    subprocess.run(
        ["python3", str(PACKAGING / "cage" / "blank-cursor-theme.py"), str(tmp_path)],
        check=True, capture_output=True, timeout=30,
    )  # fmt: skip
    data = (tmp_path / "job-kiosk-blank" / "cursors" / "left_ptr").read_bytes()
    magic, header, _, count = struct.unpack_from("<4sIII", data)
    assert (magic, header, count) == (b"Xcur", 16, 1)
    chunk_type, _size, position = struct.unpack_from("<III", data, 16)
    width, height = struct.unpack_from("<II", data, position + 16)
    assert (chunk_type, width, height) == (0xFFFD0002, 1, 1)
    assert data[-4:] == bytes(4)  # the one pixel is transparent
    assert (tmp_path / "job-kiosk-blank" / "cursors" / "pointer").resolve().name == "left_ptr"


def test_build_is_reproducible_and_terminal_only() -> None:
    build = (PACKAGING / "build.sh").read_text()
    assert "PYTHONHASHSEED=0" in build and "SOURCE_DATE_EPOCH" in build
    spec = (PACKAGING / "kiosk.spec").read_text()
    for module in ('"hub"', '"tests"', '"pytest"', '"PySide6.QtDesigner"'):
        assert module in spec
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert any(
        r.startswith("pyinstaller") for r in project["project"]["optional-dependencies"]["release"]
    )


def test_timers() -> None:
    assert unit("job-kiosk-update.timer")["OnUnitActiveSec"] == ["6h"]
    assert unit("job-kiosk-guard.timer")["OnCalendar"] == ["minutely"]
    assert unit("job-kiosk-guard.service")["ExecCondition"]


def _bundle_filter() -> Any:
    spec = importlib.util.spec_from_file_location("bundle_filter", PACKAGING / "bundle_filter.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_bundle_leaves_out_widgets_desktop_themes_and_the_base_images_libraries() -> None:
    wanted = _bundle_filter().wanted
    for dropped in (
        "PySide6/QtWidgets.abi3.so", "PySide6/QtMultimediaWidgets.abi3.so",
        "PySide6/Qt/lib/libQt6Widgets.so.6", "PySide6/Qt/lib/libQt6MultimediaWidgets.so.6",
        "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
        "PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so",
        "libgtk-3.so.0", "libgdk-3.so.0", "libcairo.so.2", "libpangocairo-1.0.so.0",
        "libstdc++.so.6", "libgcc_s.so.1", "libfontconfig.so.1", "libfreetype.so.6",
        "libdbus-1.so.3", "libpulse.so.0", "libpulse-mainloop-glib.so.0", "libglib-2.0.so.0",
        "PySide6/Qt/translations/qtbase_de.qm",
    ):  # fmt: skip
        assert not wanted(dropped), dropped
    for kept in (
        "PySide6/Qt/lib/libQt6Gui.so.6", "PySide6/Qt/lib/libQt6Quick.so.6",
        "PySide6/Qt/lib/libQt6VirtualKeyboard.so.6", "PySide6/Qt/lib/libQt6Multimedia.so.6",
        "PySide6/Qt/lib/libicui18n.so.73", "PySide6/Qt/plugins/platforms/libqwayland.so",
        "PySide6/Qt/plugins/platforms/libqoffscreen.so", "PySide6/QtMultimedia.abi3.so",
        "PySide6/Qt/translations/qtbase_fr.qm", "libssl.so.3", "libcrypto.so.3",
        "libpython3.11.so.1.0", "kiosk/ui/qml/Main.qml",
    ):  # fmt: skip
        assert wanted(kept), kept


def test_no_kept_qt_part_needs_a_library_that_is_left_out() -> None:
    """Against the installed PySide6 wheel, as PyInstaller collects it: the bindings the kiosk
    imports and the plug-ins and QML modules kept, then every Qt library they need."""
    import PySide6  # noqa: PLC0415

    if shutil.which("readelf") is None:
        pytest.skip("readelf (binutils) is not installed")
    wanted = _bundle_filter().wanted
    package = Path(PySide6.__file__).parent
    imported = {
        name.split(".")[1]
        for path in (ROOT / "kiosk").rglob("*.py")
        for name in re.findall(r"(?:from|import) (PySide6\.Qt\w+)", path.read_text())
    }
    assert {"QtQuick", "QtMultimedia"} <= imported
    roots = [package / f"{name}.abi3.so" for name in sorted(imported)] + [
        path
        for folder in ("plugins", "qml")
        for path in sorted((package / "Qt" / folder).rglob("*.so"))
        if wanted("PySide6/" + path.relative_to(package).as_posix())
    ]

    def needs(path: Path) -> list[str]:
        dynamic = subprocess.run(
            ["readelf", "-d", str(path)], capture_output=True, text=True, timeout=60, check=False
        ).stdout
        found = re.findall(r"\(NEEDED\)\s+Shared library: \[(libQt6[^\]]+)\]", dynamic)
        return found

    broken, seen, todo = [], set(), list(roots)
    while todo:
        path = todo.pop()
        for library in needs(path):
            if not wanted(f"PySide6/Qt/lib/{library}"):
                broken.append(f"{path.relative_to(package)} needs {library}")
            elif library not in seen:
                seen.add(library)
                todo.append(package / "Qt" / "lib" / library)
    assert broken == []
