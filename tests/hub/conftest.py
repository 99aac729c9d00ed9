"""The hub under test: the real server (uvicorn) on a free port of 127.0.0.1, in a thread, over
file-backed SQLite in tmp_path, or a throwaway PostgreSQL cluster when its binaries exist."""

from __future__ import annotations

import base64
import re
import shutil
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
import uvicorn

from hub.app import Services, build_services, create_app
from hub.db import open_database
from hub.keys import HubKeys
from hub.settings import HubConfig, HubSettings, LimitsSection, sqlite_url
from kiosk.sealing import generate_keypair, load_public_key, seal
from tests.hub.postgres import Cluster, running_cluster

START = datetime(2026, 11, 20, 12, 0, tzinfo=UTC).timestamp()
GENEROUS = LimitsSection(
    terminal_per_s=10000,
    terminal_burst=100000,
    operator_per_s=10000,
    operator_burst=100000,
    anonymous_per_s=10000,
    anonymous_burst=100000,
)
# The terminals of the tests: Paris Gare de Lyon and Lyon Part-Dieu.
PARIS = (48.8443, 2.3744)
LYON = (45.7606, 4.8593)


def wait_until(predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    """Return once `predicate()` is true (checked every few milliseconds); fail after timeout."""
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        pause.wait(0.005)


@dataclass
class FakeClock:
    """Wall-clock time that moves only when a test says so."""

    now: float = START

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def fleet_login(browser: httpx.Client, token: str) -> httpx.Response:
    """Log `browser` in to the fleet page as a person does: load the login page (its form's
    anti-forgery token, and the cookie it is tied to), then post the operator token."""
    page = browser.get("/fleet/login")
    assert page.status_code == 200, page.text
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found is not None, "the login page has no form token"
    return browser.post("/fleet/login", data={"token": token, "csrf": found.group(1)})


@dataclass
class RunningHub:
    """A hub served on 127.0.0.1 and what tests need to drive it."""

    url: str
    services: Services
    clock: FakeClock
    operator_token: str
    server: uvicorn.Server
    thread: threading.Thread
    clients: list[httpx.Client] = field(default_factory=list)

    def client(self, token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        client = httpx.Client(base_url=self.url, headers=headers, timeout=30.0)
        self.clients.append(client)
        return client

    @property
    def admin(self) -> httpx.Client:
        return self.client(self.operator_token)

    def enrol(
        self,
        terminal_id: str,
        where: tuple[float, float] = PARIS,
        radius_km: float = 30.0,
    ) -> str:
        code, _ = self.services.terminals.create_code(terminal_id)
        answer = self.client().post(
            "/v1/enrol",
            json={
                "code": code,
                "terminal_id": terminal_id,
                "name": f"Terminal {terminal_id}",
                "latitude": where[0],
                "longitude": where[1],
                "radius_km": radius_km,
                "version": "0.1.0",
            },
        )
        assert answer.status_code == 201, answer.text
        return str(answer.json()["token"])

    def stop(self) -> None:
        for client in self.clients:
            client.close()
        self.server.should_exit = True
        self.thread.join(10)
        self.services.db.dispose()


def start_hub(
    database_url: str,
    data_dir: Path,
    config: HubConfig | None = None,
    clock: FakeClock | None = None,
    limits_clock: Callable[[], float] = time.monotonic,
    on_application: Callable[[], None] | None = None,
    send_buffer: int | None = None,
) -> RunningHub:
    """Open (migrate) the database and serve the hub on a free port (`send_buffer`: the
    kernel's send buffer of its connections, in bytes, so that a client that stops reading
    stops the server soon; by default it grows to megabytes)."""
    settings = HubSettings(
        config=config or HubConfig(limits=GENEROUS),
        data_dir=data_dir,
        database_url=database_url,
        source="tests",
    )
    clock = clock or FakeClock()
    keys = HubKeys.from_private_text(generate_keypair()[0])
    db = open_database(database_url)
    services = build_services(settings, db, keys, clock, on_application)
    operator_token = services.operators.create()
    app = create_app(services, limits_clock=limits_clock)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if send_buffer is not None:  # accepted connections inherit it
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, send_buffer)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(
            app, log_config=None, access_log=False, ws="none", lifespan="off", server_header=False
        )
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    wait_until(lambda: server.started)
    return RunningHub(f"http://127.0.0.1:{port}", services, clock, operator_token, server, thread)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster | None]:
    with running_cluster() as cluster:
        if cluster is not None:
            # Migrated once; each test's database is a copy (CREATE DATABASE … TEMPLATE).
            open_database(cluster.create_database(TEMPLATE)).dispose()
        yield cluster


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file that each test copies (migrating costs more than the tests)."""
    path = tmp_path_factory.mktemp("template") / "hub.sqlite"
    open_database(sqlite_url(path)).dispose()  # the last connection folds the WAL in
    return path


TEMPLATE = "hub_template"


def _database(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    if kind == "sqlite":
        path = tmp_path / "hub.sqlite"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield sqlite_url(path)
        return
    cluster: Cluster | None = request.getfixturevalue("pg_cluster")
    if cluster is None:
        pytest.skip("PostgreSQL binaries (initdb, pg_ctl) are not installed")
    name = f"hub_{uuid.uuid4().hex[:12]}"
    yield cluster.create_database(name, template=TEMPLATE)
    cluster.drop_database(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Each test using it runs on SQLite and on PostgreSQL (skipped when not installed)."""
    yield from _database(request.param, tmp_path, request)


@pytest.fixture
def sqlite_database(tmp_path: Path, sqlite_template: Path) -> str:
    path = tmp_path / "hub.sqlite"
    shutil.copyfile(sqlite_template, path)
    return sqlite_url(path)


@pytest.fixture
def hub(database_url: str, tmp_path: Path) -> Iterator[RunningHub]:
    """The hub on each database."""
    running = start_hub(database_url, tmp_path)
    yield running
    running.stop()


@pytest.fixture
def sqlite_hub(sqlite_database: str, tmp_path: Path) -> Iterator[RunningHub]:
    """The hub on SQLite only (for tests whose subject is not the database)."""
    running = start_hub(sqlite_database, tmp_path)
    yield running
    running.stop()


# -- applications ------------------------------------------------------------------------------


def application_plaintext(application_id: uuid.UUID, **overrides: Any) -> dict[str, Any]:
    """What a terminal seals (docs/protocol.md): invented people only."""
    content: dict[str, Any] = {
        "application_id": str(application_id),
        "offer": {"source": "francetravail", "id": "100AAAA"},
        "first_name": "Camille",
        "last_name": "Exemple",
        "phone": "06 00 00 00 00",
        "email": None,
        "answers": {"available_now": True, "experience": False, "driving_licence": True},
        "consent": {"share_with_recruiter": True, "keep_for_future_offers": False},
        "language": "fr",
    }
    content.update(overrides)
    return content


def submission(
    public_key: str,
    application_id: uuid.UUID,
    terminal_id: str,
    offer: tuple[str, str] = ("francetravail", "100AAAA"),
    plaintext: dict[str, Any] | None = None,
    created_at: str = "2026-11-20T11:58:00Z",
) -> dict[str, Any]:
    """The JSON body a terminal sends for one application."""
    content = plaintext or application_plaintext(application_id)
    sealed = seal(load_public_key(public_key), application_id, orjson.dumps(content))
    return {
        "sealed": base64.b64encode(sealed).decode(),
        "offer_source": offer[0],
        "offer_id": offer[1],
        "terminal_id": terminal_id,
        "created_at": created_at,
    }


def put_application(
    client: httpx.Client, application_id: uuid.UUID, body: dict[str, Any]
) -> httpx.Response:
    return client.put(
        f"/v1/applications/{application_id}",
        json=body,
        headers={"Idempotency-Key": str(application_id)},
    )
