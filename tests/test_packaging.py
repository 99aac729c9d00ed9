"""Packaging: every package of the tree is listed in pyproject.toml, so installs miss nothing."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_package_is_listed() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    mapping = config["tool"]["setuptools"].get("package-dir", {})
    found = set()
    for top in ("kiosk", "hub"):
        for init in (ROOT / top).rglob("__init__.py") if (ROOT / top).is_dir() else ():
            found.add(".".join(init.parent.relative_to(ROOT).parts))
    for package, folder in mapping.items():
        for init in (ROOT / folder).rglob("__init__.py"):
            found.add(".".join((package, *init.parent.relative_to(ROOT / folder).parts)))
    assert found - listed == set(), "add these to [tool.setuptools] packages"
    assert listed - found == set(), "these listed packages do not exist"
