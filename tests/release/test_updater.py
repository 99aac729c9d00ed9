"""Updates end to end in tmp_path: install beside, self-test, switch, guard, roll back."""

from __future__ import annotations

import http.server
import os
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.release.fetch import FetchError, UrlFetcher
from kiosk.release.guard import confirm_healthy, run_guard
from kiosk.release.layout import Layout
from kiosk.release.manifest import ManifestError, RefusedError
from kiosk.release.minisign import SecretKey
from kiosk.release.updater import (
    SelfTestResult,
    Updater,
    UpdateSettings,
    roll_back_by_hand,
    run_selftest,
)
from tests.release.conftest import DAY, NOW, Publish


class Clock:
    def __init__(self, now: float = NOW) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def layout(tmp_path: Path) -> Layout:
    return Layout(tmp_path / "opt")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


def updater(
    layout: Layout,
    key: SecretKey,
    source: Path | str,
    clock: Clock,
    data_dir: Path,
    selftest: object = None,
) -> Updater:
    return Updater(
        layout,
        [key.public_key()],
        UrlFetcher(),
        UpdateSettings(source=str(source), platform="linux-x86_64", max_starts=3, deadline_s=600),
        selftest=selftest or (lambda folder, entry: run_selftest(folder, entry, timeout_s=30)),  # type: ignore[arg-type]
        clock=clock,
        data_dir=data_dir,
    )


def install_first(
    layout: Layout, key: SecretKey, publish: Publish, server: Path, clock: Clock, data_dir: Path
) -> None:
    publish("1.0.0")
    outcome = updater(layout, key, server, clock, data_dir).apply()
    assert outcome.action == "installed"
    assert layout.read_pending() is None  # nothing to go back to: no guard needed


def test_first_install_then_update_switches_and_waits_for_health(
    tmp_path: Path, layout: Layout, key: SecretKey, publish: Publish, clock: Clock, data_dir: Path
) -> None:
    server = tmp_path / "server"
    install_first(layout, key, publish, server, clock, data_dir)
    assert layout.current_version() == "1.0.0"

    publish("1.1.0", min_from="1.0.0")
    clock.now += 60
    outcome = updater(layout, key, f"file://{server}", clock, data_dir).apply()
    assert (outcome.action, outcome.restart_needed) == ("installed", True)
    assert (layout.current_version(), layout.previous_version()) == ("1.1.0", "1.0.0")
    assert (layout.current.resolve() / "kiosk").read_text().startswith("#!/bin/sh")
    assert layout.manifest_file("1.1.0").is_file() and layout.signature_file("1.1.0").is_file()
    pending = layout.read_pending()
    assert pending is not None and (pending.version, pending.previous) == ("1.1.0", "1.0.0")

    # The new version starts, then confirms; the guard clears the pending switch.
    assert run_guard(layout, data_dir, clock.now + 5, count_start=True).action == "waiting"
    confirm_healthy(data_dir, "1.1.0", clock.now + 20)
    assert run_guard(layout, data_dir, clock.now + 30, count_start=False).action == "confirmed"
    assert layout.read_pending() is None and layout.current_version() == "1.1.0"

    # Nothing newer: "same".
    with pytest.raises(RefusedError) as same:
        updater(layout, key, server, clock, data_dir).check()
    assert same.value.reason == "same"


def test_an_update_that_fails_its_self_test_is_kept_for_diagnosis_until_the_next_update(
    tmp_path: Path, layout: Layout, key: SecretKey, publish: Publish, clock: Clock, data_dir: Path
) -> None:
    server = tmp_path / "server"
    install_first(layout, key, publish, server, clock, data_dir)
    publish("1.1.0", selftest_exit=3)
    outcome = updater(layout, key, server, clock, data_dir).apply()
    assert outcome.action == "self-test-failed"
    assert "exit status 3" in outcome.message and "--selftest" in outcome.message
    assert layout.current_version() == "1.0.0" and layout.previous_version() is None
    assert layout.read_pending() is None and layout.failed_versions() == ["1.1.0"]
    # The advice can be followed: the folder is still there, and the whole output is kept.
    kept = layout.release_dir("1.1.0")
    assert f"{kept / 'kiosk'} --selftest" in outcome.message
    assert str(layout.selftest_log("1.1.0")) in outcome.message
    assert layout.selftest_log("1.1.0").read_text() == "kiosk 1.1.0 --selftest\n"
    assert subprocess.run([kept / "kiosk", "--selftest"], check=False, timeout=30).returncode == 3
    # The broken release is not tried again.
    with pytest.raises(RefusedError) as again:
        updater(layout, key, server, clock, data_dir).apply()
    assert again.value.reason == "failed"
    # The next update deletes it, and its log.
    publish("1.2.0")
    assert updater(layout, key, server, clock, data_dir).apply().action == "installed"
    assert layout.installed() == ["1.0.0", "1.2.0"]
    assert not layout.selftest_log("1.1.0").exists()
    assert not layout.manifest_file("1.1.0").exists()


def test_the_whole_self_test_output_is_kept_not_only_its_last_lines(tmp_path: Path) -> None:
    folder = tmp_path / "release"
    folder.mkdir()
    (folder / "kiosk").write_text(
        "#!/bin/sh\necho 'qrc:/Attract.qml:12: ReferenceError: offerModel is not defined' >&2\n"
        'for i in 1 2 3 4 5 6 7 8; do echo "closing store $i" >&2; done\nexit 1\n'
    )
    (folder / "kiosk").chmod(0o755)
    result = run_selftest(folder, "kiosk", timeout_s=30)
    assert not result.ok and "closing store 8" in result.detail
    assert result.output.splitlines()[0].endswith("ReferenceError: offerModel is not defined")
    assert len(result.output.splitlines()) == 9


def test_an_unknown_selftest_user_is_refused_before_anything_runs(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no-such-kiosk-user: no such user"):
        run_selftest(tmp_path, "kiosk", timeout_s=30, user="no-such-kiosk-user")


def test_the_selftest_user_runs_with_its_primary_group_not_a_same_named_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A user whose name is no group's name (useradd -N, or a group of another name).
    import pwd  # noqa: PLC0415

    me = pwd.getpwuid(os.getuid())
    seen: dict[str, object] = {}
    real_run = subprocess.run

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.update(user=kwargs.pop("user"), group=kwargs.pop("group"))
        return real_run(*args, **kwargs)

    monkeypatch.setattr(subprocess, "run", spy)
    monkeypatch.setattr(pwd, "getpwnam", lambda name: me if name == "kiosk-runner" else None)
    folder = tmp_path / "release"
    folder.mkdir()
    (folder / "kiosk").write_text("#!/bin/sh\nexit 0\n")
    (folder / "kiosk").chmod(0o755)
    monkeypatch.setattr("shutil.chown", lambda path, user: None)
    assert run_selftest(folder, "kiosk", timeout_s=30, user="kiosk-runner").ok
    assert seen == {"user": "kiosk-runner", "group": me.pw_gid}


def test_an_install_that_breaks_halfway_leaves_nothing_half_installed(
    tmp_path: Path, layout: Layout, key: SecretKey, publish: Publish, clock: Clock, data_dir: Path
) -> None:
    server = tmp_path / "server"
    install_first(layout, key, publish, server, clock, data_dir)
    publish("1.1.0")

    def crash(folder: Path, entry: str) -> SelfTestResult:
        raise KeyError("getgrnam(): name not found: 'job-kiosk'")  # what 2026-12 did

    with pytest.raises(KeyError):
        updater(layout, key, server, clock, data_dir, crash).apply()
    assert layout.installed() == ["1.0.0"] and layout.current_version() == "1.0.0"
    assert sorted(p.name for p in layout.releases.iterdir()) == [
        "1.0.0", "1.0.0.json", "1.0.0.json.minisig"
    ]  # fmt: skip
    assert list(layout.incoming.iterdir()) == []
    # And the next attempt installs it.
    assert updater(layout, key, server, clock, data_dir).apply().action == "installed"


def test_a_version_that_never_reports_healthy_is_switched_back_after_n_starts(
    tmp_path: Path, layout: Layout, key: SecretKey, publish: Publish, clock: Clock, data_dir: Path
) -> None:
    server = tmp_path / "server"
    install_first(layout, key, publish, server, clock, data_dir)
    confirm_healthy(data_dir, "1.0.0", clock.now)
    publish("1.1.0")
    updater(layout, key, server, clock, data_dir).apply()
    assert not (data_dir / "release-health.json").exists()  # only 1.1.0's own word counts

    results = [run_guard(layout, data_dir, clock.now + i, count_start=True) for i in range(4)]
    assert [r.action for r in results] == ["waiting", "waiting", "waiting", "rolled-back"]
    assert "started 3 times" in results[-1].message
    assert layout.current_version() == "1.0.0" and layout.read_pending() is None
    assert layout.failed_versions() == ["1.1.0"]


def test_a_version_that_runs_but_stays_unhealthy_is_switched_back_after_the_deadline(
    tmp_path: Path, layout: Layout, key: SecretKey, publish: Publish, clock: Clock, data_dir: Path
) -> None:
    server = tmp_path / "server"
    install_first(layout, key, publish, server, clock, data_dir)
    publish("1.1.0")
    updater(layout, key, server, clock, data_dir).apply()
    confirm_healthy(data_dir, "1.0.0", clock.now + 1)  # the wrong version's word does not count
    assert run_guard(layout, data_dir, clock.now + 600, count_start=False).action == "waiting"
    result = run_guard(layout, data_dir, clock.now + 601, count_start=False)
    assert result.action == "rolled-back" and layout.current_version() == "1.0.0"


def test_a_tampered_archive_is_refused_and_nothing_changes(
    tmp_path: Path, layout: Layout, key: SecretKey, publish: Publish, clock: Clock, data_dir: Path
) -> None:
    server = tmp_path / "server"
    install_first(layout, key, publish, server, clock, data_dir)
    files = publish("1.1.0")
    data = bytearray(files.archive.read_bytes())
    data[len(data) // 2] ^= 1
    files.archive.write_bytes(bytes(data))
    with pytest.raises(ManifestError, match="SHA-256"):
        updater(layout, key, server, clock, data_dir).apply()
    assert layout.current_version() == "1.0.0" and layout.installed() == ["1.0.0"]
    assert list(layout.incoming.iterdir()) == []


def test_rollback_and_freeze_are_refused(
    tmp_path: Path, layout: Layout, key: SecretKey, publish: Publish, clock: Clock, data_dir: Path
) -> None:
    server = tmp_path / "server"
    publish("2.0.0")
    updater(layout, key, server, clock, data_dir).apply()
    publish("1.9.0", force=True)  # an old release served again as "stable"
    with pytest.raises(RefusedError) as older:
        updater(layout, key, server, clock, data_dir).apply()
    assert older.value.reason == "rollback"
    publish("2.1.0", expires_days=1)
    clock.now += 2 * DAY  # the server keeps serving it: frozen
    with pytest.raises(RefusedError) as frozen:
        updater(layout, key, server, clock, data_dir).apply()
    assert frozen.value.reason == "expired"
    assert layout.current_version() == "2.0.0"


def test_rollback_by_hand(
    tmp_path: Path, layout: Layout, key: SecretKey, publish: Publish, clock: Clock, data_dir: Path
) -> None:
    server = tmp_path / "server"
    install_first(layout, key, publish, server, clock, data_dir)
    publish("1.1.0")
    updater(layout, key, server, clock, data_dir).apply()
    assert roll_back_by_hand(layout, data_dir, clock.now) == "1.0.0"
    assert layout.current_version() == "1.0.0" and layout.read_pending() is None
    assert roll_back_by_hand(layout, data_dir, clock.now) is None


def test_old_releases_are_pruned(
    tmp_path: Path, layout: Layout, key: SecretKey, publish: Publish, clock: Clock, data_dir: Path
) -> None:
    server = tmp_path / "server"
    for version in ("1.0.0", "1.1.0", "1.2.0"):
        publish(version)
        updater(layout, key, server, clock, data_dir, lambda f, e: SelfTestResult(True, "")).apply()
    # Until 1.2.0 confirms, 1.0.0 stays: a rollback must leave a previous to go back to.
    assert layout.installed() == ["1.0.0", "1.1.0", "1.2.0"]
    confirm_healthy(data_dir, "1.2.0", clock.now)
    assert run_guard(layout, data_dir, clock.now, count_start=False).action == "confirmed"
    assert layout.installed() == ["1.1.0", "1.2.0"]
    assert not layout.manifest_file("1.0.0").exists()


def test_after_a_rollback_only_current_and_previous_are_kept(
    tmp_path: Path, layout: Layout, key: SecretKey, publish: Publish, clock: Clock, data_dir: Path
) -> None:
    server = tmp_path / "server"
    for version in ("1.0.0", "1.1.0"):
        publish(version)
        updater(layout, key, server, clock, data_dir).apply()
        confirm_healthy(data_dir, version, clock.now)
        run_guard(layout, data_dir, clock.now, count_start=False)
    publish("1.2.0")
    updater(layout, key, server, clock, data_dir).apply()
    results = [run_guard(layout, data_dir, clock.now + i, count_start=True) for i in range(4)]
    assert results[-1].action == "rolled-back"
    # The failed release is gone; previous is the one before, as before the update.
    assert (layout.current_version(), layout.previous_version()) == ("1.1.0", "1.0.0")
    assert layout.installed() == ["1.0.0", "1.1.0"]
    assert not layout.manifest_file("1.2.0").exists()
    # Going back by hand works the same way: the release left is deleted, never run again.
    assert roll_back_by_hand(layout, data_dir, clock.now) == "1.0.0"
    assert layout.installed() == ["1.0.0"] and layout.failed_versions() == ["1.2.0", "1.1.0"]


@pytest.fixture
def http_server(tmp_path: Path) -> Iterator[str]:
    (tmp_path / "server").mkdir()
    folder = str(tmp_path / "server")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=folder, **kwargs)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    thread.join()


def test_update_over_http(
    http_server: str, layout: Layout, key: SecretKey, publish: Publish, clock: Clock, data_dir: Path
) -> None:
    publish("1.0.0")
    assert updater(layout, key, http_server, clock, data_dir).check().version == "1.0.0"
    assert updater(layout, key, http_server, clock, data_dir).apply().action == "installed"
    assert layout.current_version() == "1.0.0"
    missing = updater(layout, key, http_server + "nothing/", clock, data_dir)
    with pytest.raises(FetchError, match="HTTP 404"):
        missing.check()
