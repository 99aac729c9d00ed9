"""The hub benchmarks' common frame: run once on SQLite, then on PostgreSQL, and print.

Each hub benchmark measures the same thing on both databases the hub supports; this module
gives them the databases (a fresh SQLite file, a fresh database in a throw-away PostgreSQL
cluster) and prints their results the same way.
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hub.settings import sqlite_url
from tests.hub.postgres import running_cluster

CHOICES = ("sqlite", "postgresql", "both")
LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


@dataclass(frozen=True, slots=True)
class Target:
    """One database to run a benchmark on, and a folder of its own for the hub's files."""

    name: str  # "sqlite" | "postgresql"
    url: str
    data_dir: Path

    @property
    def label(self) -> str:
        """How reports name it."""
        return LABELS[self.name]


def each_database(choice: str, prefix: str) -> Iterator[Target]:
    """SQLite then PostgreSQL, as `choice` ("sqlite", "postgresql" or "both") says.

    PostgreSQL runs in a durable throw-away cluster; without its binaries it is skipped with a
    line on stderr. Everything is removed once the iteration ends.
    """
    if choice not in CHOICES:
        raise ValueError(f"database {choice!r}: one of {', '.join(CHOICES)}")
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix=f"{prefix}-")))
        if choice in ("sqlite", "both"):
            data_dir = folder / "sqlite"
            data_dir.mkdir()
            yield Target("sqlite", sqlite_url(data_dir / "hub.sqlite"), data_dir)
        if choice in ("postgresql", "both"):
            cluster = stack.enter_context(running_cluster(durable=True))
            if cluster is None:
                print("PostgreSQL binaries not found: PostgreSQL skipped", file=sys.stderr)
                return
            data_dir = folder / "postgresql"
            data_dir.mkdir()
            yield Target("postgresql", cluster.create_database(prefix.replace("-", "_")), data_dir)


def report(
    results: list[dict[str, Any]], print_report: Callable[[dict[str, Any]], None], as_json: bool
) -> None:
    """Print the results as JSON, or each with `print_report`."""
    if as_json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
        return
    for result in results:
        print_report(result)
