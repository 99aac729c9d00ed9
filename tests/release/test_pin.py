"""The operator PIN: slow hash, rate limit and lock-out that survive a restart."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kiosk.config import OperatorSection
from kiosk.release.pin import PinFormatError, PinGate, hash_pin, verify_pin

FAST = {"log2_n": 10}  # tests only: the default is N=2^17


class Clock:
    def __init__(self, now: float = 1_795_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_hash_format_and_verification() -> None:
    stored = hash_pin("482913")
    assert re.fullmatch(r"scrypt\$ln=17,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}", stored)
    assert OperatorSection(pin_hash=stored).pin_hash == stored  # the config accepts it
    assert verify_pin("482913", stored)
    assert not verify_pin("482914", stored)
    assert hash_pin("482913", **FAST) != hash_pin("482913", **FAST)  # salted


def test_pin_rules_and_foreign_hashes() -> None:
    for bad in ("12345", "abcdef", "1234567890123", "12 3456"):
        with pytest.raises(PinFormatError):
            hash_pin(bad, **FAST)
    with pytest.raises(PinFormatError):
        verify_pin("123456", "scrypt$not-ours")
    with pytest.raises(PinFormatError, match="out-of-range"):
        verify_pin("123456", "scrypt$ln=40,r=8,p=1$AAAA$AAAA")


@pytest.fixture
def stored() -> str:
    return hash_pin("482913", **FAST)


def test_correct_pin_opens(tmp_path: Path, stored: str) -> None:
    gate = PinGate(stored, tmp_path, clock=Clock())
    assert gate.status().outcome == "ready"
    assert gate.verify("482913").ok


def test_lock_out_after_repeated_failures_survives_a_restart(tmp_path: Path, stored: str) -> None:
    clock = Clock()
    gate = PinGate(stored, tmp_path, clock=clock, max_failures=5, lockout_s=900)
    outcomes = []
    for _ in range(5):
        result = gate.verify("000000")
        outcomes.append((result.outcome, result.attempts_left))
        if result.outcome == "wrong":
            clock.now += result.retry_after_s  # the pause after each wrong PIN: 1, 2, 4, 8 s
    assert outcomes == [("wrong", 4), ("wrong", 3), ("wrong", 2), ("wrong", 1), ("locked", 0)]

    # Even the right PIN is refused while locked, and a new gate (restart) still refuses it.
    assert gate.verify("482913").outcome == "locked"
    restarted = PinGate(stored, tmp_path, clock=clock, max_failures=5, lockout_s=900)
    locked = restarted.verify("482913")
    assert locked.outcome == "locked" and locked.retry_after_s == 900

    clock.now += 900
    assert restarted.verify("482913").ok
    assert restarted.status().attempts_left == 5  # success resets everything


def test_each_lock_out_is_longer(tmp_path: Path, stored: str) -> None:
    clock = Clock()
    gate = PinGate(stored, tmp_path, clock=clock, max_failures=2, lockout_s=60, max_pause_s=0)
    durations = []
    for _ in range(3):
        gate.verify("000000")
        result = gate.verify("000000")
        durations.append(result.retry_after_s)
        clock.now += result.retry_after_s
    assert durations == [60, 120, 240]


def test_too_soon_after_a_wrong_pin_is_not_checked(tmp_path: Path, stored: str) -> None:
    clock = Clock()
    gate = PinGate(stored, tmp_path, clock=clock)
    gate.verify("000000")
    gate.verify("111111")  # too soon: neither checked nor counted
    clock.now += 1
    second = gate.verify("222222")
    assert (second.outcome, second.attempts_left) == ("wrong", 3)
    assert gate.verify("482913").outcome == "wait"


def test_a_clock_set_back_does_not_lock_forever(tmp_path: Path, stored: str) -> None:
    clock = Clock()
    gate = PinGate(stored, tmp_path, clock=clock, max_failures=1, lockout_s=900)
    gate.verify("000000")
    clock.now -= 10 * 365 * 86400
    assert gate.status().retry_after_s <= 900


def test_a_damaged_state_file_locks(tmp_path: Path, stored: str) -> None:
    (tmp_path / "operator-pin.json").write_text("{garbage")
    gate = PinGate(stored, tmp_path, clock=Clock(), lockout_s=900)
    assert gate.verify("482913").outcome == "locked"


def test_no_pin_configured_means_no_way_in(tmp_path: Path) -> None:
    gate = PinGate(None, tmp_path, clock=Clock())
    assert gate.verify("482913").outcome == "disabled"
    assert gate.status().outcome == "disabled"
