"""One hub opening (migrating) a database in step with its peers, for tests/hub/test_db.py.

`python -m tests.hub.racing_migration URL FOLDER NAME PEER…`: before its first schema change
this process waits until every peer has either reached its own first schema change or is
waiting for the migration lock, so that without a lock the migrations always collide. Markers
are files in FOLDER: NAME.ddl, NAME.lock.
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event

from hub.db import open_database

DDL = ("CREATE ", "ALTER ", "DROP ")
LOCKS = ("pg_advisory_xact_lock", "BEGIN IMMEDIATE")


def main(url: str, folder: Path, name: str, peers: list[str]) -> None:
    reached = False

    @event.listens_for(Engine, "before_cursor_execute")
    def _step(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        nonlocal reached
        if any(lock in statement for lock in LOCKS):
            (folder / f"{name}.lock").touch()
        elif not reached and statement.lstrip().upper().startswith(DDL):
            reached = True
            (folder / f"{name}.ddl").touch()
            deadline = time.monotonic() + 60
            pause = threading.Event()
            while not all(
                (folder / f"{peer}.ddl").exists() or (folder / f"{peer}.lock").exists()
                for peer in peers
            ):
                if time.monotonic() > deadline:
                    raise SystemExit(f"{name}: the peers never reached a schema change")
                pause.wait(0.005)

    open_database(url).dispose()


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]), sys.argv[3], sys.argv[4:])
