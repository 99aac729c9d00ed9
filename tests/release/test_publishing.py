"""Publishing as the operator's guide says: make-release and sign-release refuse what would
strand terminals (min_from above the release, a mislabelled bundle, a channel moved back) and
keep what is published intact (reproducible archives when one build goes to two channels)."""

from __future__ import annotations

import itertools
import json
import os
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.release import cli as release_cli
from kiosk.release.cli import status_text
from kiosk.release.manifest import Manifest
from tests.release.conftest import build_folder


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("KIOSK_CONFIG", raising=False)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("KIOSK_RELEASE_ROOT", str(tmp_path / "opt"))


@pytest.fixture
def key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    prefix = tmp_path / "keys" / "release"
    assert main(["keygen", "--out", str(prefix), "--no-password"]) == 0
    capsys.readouterr()
    return prefix


def make(capsys: pytest.CaptureFixture[str], key: Path, *argv: str) -> tuple[int, str]:
    code = main(["make-release", *argv, "--key", f"{key}.key"])
    out, err = capsys.readouterr()
    return code, out + err


def test_min_from_above_the_release_itself_is_refused(
    capsys: pytest.CaptureFixture[str], key: Path, tmp_path: Path
) -> None:
    build = build_folder(tmp_path, "0.4.0")
    out = tmp_path / "out"
    code, said = make(capsys, key, str(build), "--out", str(out), "--min-from", "1.0.0")
    assert code == 1
    assert "--min-from 1.0.0 is above the release's own version 0.4.0" in said
    assert not out.exists() or not any(out.iterdir())
    # The default lets any version update to it; an equal min_from is allowed.
    assert make(capsys, key, str(build), "--out", str(out), "--min-from", "0.4.0")[0] == 0


def test_a_mislabelled_bundle_is_refused_and_the_version_defaults_to_the_bundles(
    capsys: pytest.CaptureFixture[str], key: Path, tmp_path: Path
) -> None:
    build = build_folder(tmp_path, "0.4.0")  # its `kiosk --version` says 0.4.0
    out = tmp_path / "out"
    code, said = make(capsys, key, str(build), "--out", str(out), "--version", "0.5.0")
    assert code == 1
    assert "--version 0.5.0, but" in said and "--version says 0.4.0" in said
    assert not (out / "stable.json").exists()
    code, said = make(capsys, key, str(build), "--out", str(out))
    assert code == 0 and "job-kiosk-0.4.0-" in said
    assert Manifest.from_bytes((out / "stable.json").read_bytes()).version == "0.4.0"


def test_a_bundle_whose_version_cannot_be_read_is_refused(
    capsys: pytest.CaptureFixture[str], key: Path, tmp_path: Path
) -> None:
    build = build_folder(tmp_path, "0.4.0")
    (build / "kiosk").write_text("#!/bin/sh\necho 'Traceback: no module named kiosk' >&2\nexit 1\n")
    code, said = make(capsys, key, str(build), "--out", str(tmp_path / "out"))
    assert code == 1 and "--version: exit status 1" in said


def test_one_build_published_to_pilot_then_stable_leaves_the_pilot_archive_intact(
    capsys: pytest.CaptureFixture[str],
    key: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without SOURCE_DATE_EPOCH, as the guide's commands are typed, days apart."""
    days = itertools.count(1_795_000_000, 86400)
    monkeypatch.setattr(release_cli, "_epoch_now", lambda: next(days))
    build = build_folder(tmp_path, "0.4.0")
    out = tmp_path / "out"
    assert make(capsys, key, str(build), "--out", str(out), "--channel", "pilot")[0] == 0
    pilot = Manifest.from_bytes((out / "pilot.json").read_bytes())
    archive = out / pilot.archive.name
    first = archive.read_bytes()
    os.utime(archive, (1, 1))  # a different moment: the archive must not depend on it
    assert make(capsys, key, str(build), "--out", str(out), "--channel", "stable")[0] == 0
    assert archive.read_bytes() == first
    # Both channels' manifests still describe the one archive.
    pub = f"{key}.pub"
    for channel in ("pilot", "stable"):
        code = main(["verify-build", str(out / f"{channel}.json"), "--pubkey", pub, "--deep"])
        said = capsys.readouterr().out
        assert code == 0 and "PROBLEM" not in said, said


def test_an_archive_with_other_bytes_is_never_replaced(
    capsys: pytest.CaptureFixture[str], key: Path, tmp_path: Path
) -> None:
    build = build_folder(tmp_path, "0.4.0")
    out = tmp_path / "out"
    assert make(capsys, key, str(build), "--out", str(out), "--channel", "pilot")[0] == 0
    archive = next(out.glob("*.tar.gz"))
    published = archive.read_bytes()
    (build / "_internal" / "kiosk_assets" / "fr.qm").write_bytes(b"rebuilt")  # another build
    code, said = make(capsys, key, str(build), "--out", str(out), "--channel", "stable")
    assert code == 1 and "exists with other bytes" in said
    assert archive.read_bytes() == published and not (out / "stable.json").exists()


def test_sign_release_never_moves_a_channel_back_unless_forced(
    capsys: pytest.CaptureFixture[str], key: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    for version in ("0.4.0", "0.5.0"):
        assert make(capsys, key, str(build_folder(tmp_path, version)), "--out", str(out))[0] == 0
    old = next(out.glob("job-kiosk-0.4.0-*.json"))
    old_bytes = old.read_bytes()
    code = main(["sign-release", str(old), "--key", f"{key}.key"])
    said = capsys.readouterr().err
    assert code == 1 and "names 0.5.0, newer than 0.4.0" in said and "--force" in said
    assert Manifest.from_bytes((out / "stable.json").read_bytes()).version == "0.5.0"
    assert old.read_bytes() == old_bytes  # nothing changed
    # Renewing the channel's own release is what the command is for.
    newest = next(out.glob("job-kiosk-0.5.0-*.json"))
    assert main(["sign-release", str(newest), "--key", f"{key}.key"]) == 0
    assert main(["sign-release", str(out / "stable.json"), "--key", f"{key}.key"]) == 0
    # make-release of an older version onto the channel is refused the same way.
    code, said = make(capsys, key, str(build_folder(tmp_path / "b", "0.4.1")), "--out", str(out))
    assert code == 1 and "names 0.5.0, newer than 0.4.1" in said
    assert main(["sign-release", str(old), "--key", f"{key}.key", "--force"]) == 0
    assert Manifest.from_bytes((out / "stable.json").read_bytes()).version == "0.4.0"


def test_update_status_is_written_for_people(
    capsys: pytest.CaptureFixture[str], key: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert make(capsys, key, str(build_folder(tmp_path, "0.4.0")), "--out", str(out))[0] == 0
    pub = f"{key}.pub"
    assert main(["update", "apply", "--from", str(out), "--pubkey", pub]) == 0
    capsys.readouterr()
    assert main(["update", "status"]) == 0
    said = capsys.readouterr().out
    assert "from None" not in said and "None" not in said
    assert "last: installed 0.4.0 at 20" in said and " UTC (first install)" in said
    assert main(["update", "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert isinstance(status["last"]["at"], float)  # machines keep the number

    pending = {"version": "0.5.0", "switched_at": 1_795_000_000.5, "starts": 1,
               "max_starts": 3, "deadline_s": 600.0}  # fmt: skip
    text = status_text({**status, "pending": pending, "previous": None})
    assert "pending: 0.5.0 since 2026-11-18 11:06:40 UTC, start 1 of 3" in text
    assert "previous: —" in text and "1795000000" not in text
