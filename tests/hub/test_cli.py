"""`kiosk-hub` end to end, as an operator uses it on a fresh machine: serve in one command,
enrol a terminal, serve it offers, receive a sealed application exactly once, see the fleet."""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from hub.cli import main
from hub.settings import SettingsError, load_hub_settings
from tests.conftest import ft_record
from tests.hub.conftest import (
    PARIS,
    application_plaintext,
    put_application,
    submission,
    wait_until,
)

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Ran:
    """What a command did."""

    returncode: int
    stdout: str
    stderr: str


def _hub(*args: str, data_dir: Path) -> Ran:
    """`kiosk-hub ARGS --data-dir DIR`, in this process (its logging set-up undone after)."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main([*args, "--data-dir", str(data_dir)])
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    return Ran(code, out.getvalue(), err.getvalue())


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, dict[str, str], Path]]:
    """`kiosk-hub serve` on a fresh data directory; its URL and what it printed."""
    port = _free_port()
    data_dir = tmp_path / "hub-data"
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "hub", "serve", "--data-dir", str(data_dir), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        cwd=ROOT,
        env=env,
    )
    lines: queue.Queue[str] = queue.Queue()
    assert process.stdout is not None
    stdout = process.stdout
    threading.Thread(target=lambda: [lines.put(line) for line in stdout], daemon=True).start()
    printed: dict[str, str] = {}
    try:
        while "enrol" not in printed:
            line = lines.get(timeout=60)
            if "public_key = " in line:
                printed["public_key"] = line.split('"')[1]
            elif line.strip().startswith("ko_"):
                printed["operator_token"] = line.strip()
            elif line.startswith("enrol a terminal"):
                printed["enrol"] = line
        url = f"http://127.0.0.1:{port}"

        def up() -> bool:
            try:
                return httpx.get(url + "/v1/health").status_code == 200
            except httpx.TransportError:
                return False

        wait_until(up, timeout=30)
        yield url, printed, data_dir
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        stdout.close()
        log.close()


def test_serve_enrol_offers_applications_and_fleet(
    served: tuple[str, dict[str, str], Path], tmp_path: Path
) -> None:
    url, printed, data_dir = served
    assert set(printed) == {"public_key", "operator_token", "enrol"}
    assert _hub("public-key", data_dir=data_dir).stdout.strip() == printed["public_key"]
    # Offers from a file, through the terminal's parser.
    offers = tmp_path / "offers.json"
    offers.write_text(json.dumps({"resultats": [ft_record(id="CLI1"), ft_record(id="CLI2")]}))
    ingested = _hub("ingest", "--json", "files", str(offers), data_dir=data_dir)
    assert ingested.returncode == 0, ingested.stderr
    assert json.loads(ingested.stdout)["inserted"] == 2
    # A one-time code, then enrolment over HTTP as the terminal will do it.
    code = _hub("enrol-code", "--terminal-id", "gare-01", data_dir=data_dir)
    assert code.returncode == 0, code.stderr
    enrolled = httpx.post(
        url + "/v1/enrol",
        json={
            "code": code.stdout.strip(),
            "terminal_id": "gare-01",
            "name": "Gare de Lyon",
            "latitude": PARIS[0],
            "longitude": PARIS[1],
            "radius_km": 30,
            "version": "0.1.0",
        },
    )
    assert enrolled.status_code == 201, enrolled.text
    assert enrolled.json()["public_key"] == printed["public_key"]
    terminal = httpx.Client(
        base_url=url, headers={"Authorization": f"Bearer {enrolled.json()['token']}"}
    )
    feed = terminal.get("/v1/feed").json()
    assert sorted(o["id"] for o in feed["offers"]) == ["CLI1", "CLI2"]
    key = uuid.uuid4()
    body = submission(printed["public_key"], key, "gare-01", offer=("francetravail", "CLI1"))
    assert put_application(terminal, key, body).status_code == 201
    assert put_application(terminal, key, body).status_code == 200
    quoted = uuid.uuid4()
    plaintext = application_plaintext(quoted, reference="QX7M4P")
    body = submission(
        printed["public_key"], quoted, "gare-01", ("francetravail", "CLI1"), plaintext
    )
    assert put_application(terminal, quoted, body).status_code == 201
    beat = terminal.post(
        "/v1/heartbeat",
        json={
            "version": "0.1.0",
            "uptime_s": 5,
            "offers": 2,
            "queue_depth": 0,
            "free_disk_mb": 9000,
        },
    )
    assert beat.status_code == 200
    terminal.close()
    operator = {"Authorization": f"Bearer {printed['operator_token']}"}
    fleet = httpx.get(url + "/fleet", headers=operator)
    assert fleet.status_code == 200
    assert "gare-01" in fleet.text
    exported = httpx.get(url + "/v1/admin/applications/export", headers=operator)
    assert "Camille" in exported.content.decode("utf-8-sig")
    listed = json.loads(_hub("terminals", "--json", data_dir=data_dir).stdout)
    assert listed["terminals"][0]["status"] == "ok"
    new_token = _hub("operator-token", data_dir=data_dir).stdout.strip()
    assert (
        httpx.get(
            url + "/v1/admin/terminals", headers={"Authorization": f"Bearer {new_token}"}
        ).status_code
        == 200
    )
    purged = _hub("purge", data_dir=data_dir).stdout
    assert purged.startswith("purged 0 applications, 0 tombstones, 0 enrolment codes")
    assert "0 weeks of verdicts" in purged and "_" not in purged  # every kind, in words
    # An applicant quotes their reference code to see, then delete, their data.
    found = _hub("find-reference", "qx7 m4p", data_dir=data_dir)
    assert found.returncode == 0, found.stderr
    assert f"application {quoted}" in found.stdout
    assert "from terminal gare-01 (webhook none)" in found.stdout
    assert "francetravail/CLI1" in found.stdout
    assert "first_name Camille" in found.stdout
    erased = _hub("find-reference", "QX7M4P", "--erase", "--json", data_dir=data_dir)
    [view] = json.loads(erased.stdout)["applications"]
    assert (view["application_id"], view["purged"], view["application"]) == (
        str(quoted),
        True,
        None,
    )
    assert "content deleted" in _hub("find-reference", "QX7M4P", data_dir=data_dir).stdout
    assert _hub("find-reference", "RRRRRR", data_dir=data_dir).returncode == 1
    wrong = _hub("find-reference", "QX0M4P", data_dir=data_dir)
    assert wrong.returncode == 2
    assert "'QX0M4P' is not a reference code" in wrong.stderr
    assert _hub("revoke", "gare-01", data_dir=data_dir).returncode == 0
    assert _hub("revoke", "nobody", data_dir=data_dir).returncode == 2


def test_configuration_errors_name_the_key(tmp_path: Path) -> None:
    config = tmp_path / "hub.toml"
    config.write_text(
        '[retention]\napplications_dayz = 30\n[[sources]]\nkind = "jobposting"\nname = "x"\n'
    )
    with pytest.raises(SettingsError) as error:
        load_hub_settings(config, tmp_path)
    message = str(error.value)
    assert "retention.applications_dayz: unknown key" in message
    assert "sources.0: Value error, a 'jobposting' source needs 'url'" in message
    secret = tmp_path / "secret.toml"
    secret.write_text('[webhook]\nurl = "https://h.example.org"\nsecret = 987654321\n')
    with pytest.raises(SettingsError) as error:
        load_hub_settings(secret, tmp_path)
    assert "987654321" not in str(error.value)  # secrets are never echoed
    found = load_hub_settings(None, tmp_path / "elsewhere", "postgresql://hub@db/hub")
    assert found.database_url == "postgresql://hub@db/hub"
    assert not found.embedded
