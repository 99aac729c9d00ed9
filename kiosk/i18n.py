"""Translations: `.ts` sources in assets/translations, compiled to `.qm` by `kiosk.i18n build`.

`python -m kiosk.i18n update` extracts the strings of the touch interface (qsTr in QML,
QCoreApplication.translate in Python) into the `.ts` files, keeping what is translated.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path


def translations_dir() -> Path:
    """The folder holding the `.ts` sources and the compiled `.qm` files."""
    return Path(str(resources.files("kiosk_assets") / "translations"))


# Source strings are English; French (the default) and Arabic translate every one of them,
# English only gives its plural forms ("%n offer(s)" → "1 offer", "2 offers").
UI_LANGUAGES = {"fr": False, "ar": False, "en": True}  # language → plural forms only


def _tool(name: str) -> str:
    candidate = Path(sys.executable).with_name(name)
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"i18n: {name} not found (is PySide6 installed?)")
    return found


def _lrelease() -> str:
    return _tool("pyside6-lrelease")


def ui_sources() -> list[Path]:
    """The files whose strings the interface translates."""
    ui = Path(str(resources.files("kiosk.ui")))
    # rglob: the keyboard style lives in qml/keyboard/QtQuick/VirtualKeyboard/Styles/kiosk.
    return sorted(ui.glob("*.py")) + sorted((ui / "qml").rglob("*.qml"))


def update(target: Path | None = None) -> list[Path]:
    """Run lupdate over the interface into the `.ts` files of `target` (default: the assets)."""
    folder = target or translations_dir()
    written = []
    for language, plurals_only in UI_LANGUAGES.items():
        ts = folder / f"{language}.ts"
        command = [
            _tool("pyside6-lupdate"),
            *map(str, ui_sources()),
            "-silent",
            "-no-obsolete",
            "-locations",
            "none",
            "-source-language",
            "en",
            "-target-language",
            language,
            *(["-pluralonly"] if plurals_only else []),
            "-ts",
            str(ts),
        ]
        subprocess.run(command, check=True)  # noqa: S603 (a fixed tool on files of this repository)
        written.append(ts)
    return written


def build() -> list[Path]:
    """Compile every `.ts` whose `.qm` is missing or older; the `.qm` files compiled."""
    built: list[Path] = []
    for source in sorted(translations_dir().glob("*.ts")):
        target = source.with_suffix(".qm")
        if target.exists() and target.stat().st_mtime >= source.stat().st_mtime:
            continue
        subprocess.run(  # noqa: S603 (a fixed tool on files of this repository)
            [_lrelease(), "-silent", str(source), "-qm", str(target)], check=True
        )
        built.append(target)
    return built


if __name__ == "__main__":
    if sys.argv[1:] == ["build"]:
        for path in build():
            print(f"i18n: compiled {path.name}")
    elif sys.argv[1:] == ["update"]:
        for path in update():
            print(f"i18n: updated {path.name}")
    else:
        raise SystemExit("usage: python -m kiosk.i18n build|update")
