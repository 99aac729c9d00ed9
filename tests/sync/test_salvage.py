"""A damaged outbox strands nothing: what can be read is queued again and delivered, the
damaged file is kept, and `kiosk outbox salvage FILE` delivers from it again, never twice."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from kiosk.cli import main
from kiosk.offline.outbox import Outbox, open_outbox_database
from kiosk.offline.salvage import REPORT_SUFFIX
from tests.sync.conftest import CONFIG, TERMINAL_ID, RunningHub, Terminal, form, listed


def _damage(path: Path, body: bytes) -> None:
    """A torn write scrambles the page holding `body`; a full disk cuts off the last page."""
    data = bytearray(path.read_bytes())
    page = data.index(body) // 4096
    data[page * 4096 : (page + 1) * 4096] = os.urandom(4096)
    del data[-4096:]
    path.write_bytes(bytes(data))


def test_readable_applications_of_a_damaged_outbox_are_delivered_once(
    sqlite_hub: RunningHub, terminal: Terminal, tmp_path: Path, capsys: Any
) -> None:
    token = sqlite_hub.enrol(TERMINAL_ID)
    public = sqlite_hub.services.keys.public_key
    config = tmp_path / "kiosk.toml"
    config.write_text(
        CONFIG + f'\n[hub]\nurl = "{sqlite_hub.url}"\ntoken = "{token}"\npublic_key = "{public}"\n',
        encoding="utf-8",
    )
    data = terminal.settings.data_dir
    common = ["--config", str(config), "--data-dir", str(data)]
    desk = terminal.desk(public)
    taken = [desk.take(form(f"{n:07d}A")).application_id for n in range(60)]
    # One was delivered, but its answer was lost: it is still in the outbox.
    [first] = terminal.outbox.claim(1)
    engine = terminal.engine(sqlite_hub.url, token)
    assert engine.client is not None
    assert engine.client.put_application(first, TERMINAL_ID, terminal.clock()).status == 201
    engine.close()
    with terminal.outbox.engine.connect() as connection:
        bodies = dict(connection.exec_driver_sql("SELECT id, sealed FROM applications").all())
    terminal.outbox.engine.dispose()
    terminal.store.engine.dispose()
    _damage(terminal.settings.outbox_db, bodies[taken[30]])

    assert main(["sync", "--once", *common]) == 0
    held = listed(sqlite_hub)
    assert len(held) == len(set(held))  # nothing twice
    assert 40 <= len(held) < 60 and taken[30] not in held and set(held) <= set(taken)
    [aside] = [
        p
        for p in data.glob("outbox.sqlite.damaged-*")
        if not p.name.endswith(("-wal", "-shm", REPORT_SUFFIX))
    ]
    capsys.readouterr()
    assert main(["status", *common]) == 1
    out = capsys.readouterr().out
    assert f"damaged database moved aside: {aside.name}; " in out
    assert "applications salvaged from it and queued again" in out

    # Salvaged again by hand: the hub has them all already, and says so; nothing doubles.
    assert main(["outbox", "salvage", str(aside), *common]) == 0
    assert "queued again" in capsys.readouterr().out
    assert main(["sync", "--once", *common]) == 0
    assert sorted(listed(sqlite_hub)) == sorted(held)
    outbox = Outbox(open_outbox_database(terminal.settings.outbox_db))
    assert outbox.stats().depth == 0 and outbox.stats().parked == 0


def test_salvage_refuses_the_outbox_in_use(terminal: Terminal, capsys: Any) -> None:
    data = terminal.settings.data_dir
    argv = ["outbox", "salvage", str(data / "outbox.sqlite"), "--data-dir", str(data)]
    assert main(argv) == 1
    assert "is the outbox in use" in capsys.readouterr().err
