"""The release commands as an operator types them: keygen, make-release, verify-build, update,
guard, hash-pin."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.release.pin import verify_pin
from tests.release.conftest import build_folder


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("KIOSK_CONFIG", raising=False)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("KIOSK_RELEASE_ROOT", str(tmp_path / "opt"))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_keygen_release_verify_update(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    keys = tmp_path / "keys" / "release"
    code, out, _ = run(capsys, "keygen", "--out", str(keys), "--no-password")
    assert code == 0 and "minisign -Vm <file> -P RW" in out
    assert (keys.with_suffix(".key").stat().st_mode & 0o777) == 0o600
    pub = str(keys.with_suffix(".pub"))
    code, _, err = run(capsys, "keygen", "--out", str(keys), "--no-password")
    assert code == 1 and "exists" in err

    build = build_folder(tmp_path, "1.0.0")
    server = tmp_path / "server"
    code, out, _ = run(
        capsys, "make-release", str(build), "--key", str(keys.with_suffix(".key")),
        "--out", str(server), "--version", "1.0.0",
    )  # fmt: skip
    assert code == 0 and "stable.json" in out
    manifest = next(server.glob("job-kiosk-1.0.0-*.json"))

    code, out, _ = run(capsys, "verify-build", str(manifest), "--pubkey", pub, "--deep")
    assert code == 0 and "signature ok: job-kiosk 1.0.0 channel=stable" in out
    code, out, _ = run(capsys, "verify-build", str(manifest), "--pubkey", pub, "--dir", str(build))
    assert code == 0
    (build / "kiosk").write_text("#!/bin/sh\nexit 0\n")
    code, out, _ = run(capsys, "verify-build", str(manifest), "--pubkey", pub, "--dir", str(build))
    assert code == 1 and "PROBLEM content differs (SHA-256): kiosk" in out

    code, out, _ = run(capsys, "update", "check", "--from", str(server), "--pubkey", pub)
    assert code == 0 and "1.0.0 is available" in out
    code, out, _ = run(capsys, "update", "apply", "--from", str(server), "--pubkey", pub)
    assert code == 0 and "installed 1.0.0" in out
    code, out, _ = run(capsys, "update", "apply", "--from", str(server), "--pubkey", pub)
    assert code == 0 and "already installed" in out
    code, out, _ = run(capsys, "update", "status", "--json")
    status = json.loads(out)
    assert status["current"] == "1.0.0" and status["last"]["outcome"] == "installed"

    code, out, _ = run(
        capsys, "sign-release", str(manifest), "--key", str(keys.with_suffix(".key"))
    )
    assert code == 0
    code, out, _ = run(capsys, "verify-build", str(manifest), "--pubkey", pub)
    assert code == 0

    code, out, _ = run(capsys, "guard", "--count-start")
    assert code == 0 and "guard: none" in out
    code, _, err = run(capsys, "update", "rollback")
    assert code == 1 and "no previous release" in err


def test_update_without_a_trusted_key_or_source(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "update", "check")
    assert code == 1 and "no release location" in err
    code, _, err = run(capsys, "update", "check", "--from", str(tmp_path))
    assert code == 1 and ("no trusted release key" in err or "release.pub" in err)


def test_encrypted_key_password_from_a_pipe(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kiosk.release import minisign  # noqa: PLC0415

    # Cheap key derivation for the test; the command itself uses minisign's defaults.
    monkeypatch.setattr(minisign, "DEFAULT_OPSLIMIT", 32768)
    monkeypatch.setattr(minisign, "DEFAULT_MEMLIMIT", 16 << 20)
    monkeypatch.setattr(sys, "stdin", io.StringIO("s3cret\ns3cret\n"))
    assert run(capsys, "keygen", "--out", str(tmp_path / "k"))[0] == 0
    key_text = (tmp_path / "k.key").read_text()
    assert minisign.SecretKey.is_encrypted(key_text)

    build = build_folder(tmp_path, "1.0.0")
    monkeypatch.setattr(sys, "stdin", io.StringIO("wrong\n"))
    code, _, err = run(
        capsys, "make-release", str(build), "--key", str(tmp_path / "k.key"), "--out", "x"
    )
    assert code == 1 and "wrong password" in err


def test_hash_pin_reads_twice(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("482913\n482913\n"))
    code, out, _ = run(capsys, "hash-pin")
    assert code == 0
    line = out.splitlines()[-1]
    assert line.startswith('pin_hash = "scrypt$ln=17,')
    assert verify_pin("482913", line.split('"')[1])

    monkeypatch.setattr(sys, "stdin", io.StringIO("482913\n482914\n"))
    code, _, err = run(capsys, "hash-pin")
    assert code == 1 and "differ" in err
    monkeypatch.setattr(sys, "stdin", io.StringIO("1234\n1234\n"))
    code, _, err = run(capsys, "hash-pin")
    assert code == 1 and "6 to 12 digits" in err


def test_help_is_fast_and_lists_the_commands() -> None:
    code = (
        "import sys, kiosk.cli as c\n"
        "try:\n    c.main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in sys.modules if m.startswith('kiosk.release.') "
        "and m != 'kiosk.release.cli']\n"
        "print('HEAVY', heavy)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    for command in ("keygen", "make-release", "sign-release", "verify-build", "update", "guard",
                    "hash-pin"):  # fmt: skip
        assert command in done.stdout
    assert "HEAVY []" in done.stdout


def test_errors_are_messages_not_tracebacks(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    key = tmp_path / "k"
    assert run(capsys, "keygen", "--out", str(key), "--no-password")[0] == 0
    build = build_folder(tmp_path, "1.0.0")
    argv = ["make-release", str(build), "--key", f"{key}.key", "--out", str(tmp_path / "o")]
    code, _, err = run(capsys, *argv, "--version", "1.0-beta")
    assert code == 1 and "not a release version" in err
    code, _, err = run(capsys, "sign-release", str(tmp_path / "none.json"), "--key", f"{key}.key")
    assert code == 1 and "kiosk: " in err
    code, _, err = run(
        capsys, "verify-build", str(tmp_path / "none.json"), "--pubkey", f"{key}.pub"
    )
    assert code == 1 and "No such file" in err
