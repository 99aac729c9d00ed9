"""Translations: `.ts` sources in assets/translations, compiled to `.qm` by `kiosk.i18n build`."""

from __future__ import annotations

import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path


def translations_dir() -> Path:
    """The folder holding the `.ts` sources and the compiled `.qm` files."""
    return Path(str(resources.files("kiosk_assets") / "translations"))


def _lrelease() -> str:
    candidate = Path(sys.executable).with_name("pyside6-lrelease")
    if candidate.exists():
        return str(candidate)
    found = shutil.which("pyside6-lrelease")
    if found is None:
        raise SystemExit("i18n: pyside6-lrelease not found (is PySide6 installed?)")
    return found


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
    if sys.argv[1:] != ["build"]:
        raise SystemExit("usage: python -m kiosk.i18n build")
    for path in build():
        print(f"i18n: compiled {path.name}")
