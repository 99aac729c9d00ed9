"""The operator PIN: a slow scrypt hash in the config, and a gate that rate-limits and locks out."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import logging
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kiosk.files import read_json, write_json_atomically

log = logging.getLogger("kiosk.operator")

# scrypt N=2^17, r=8, p=1 (OWASP's minimum for scrypt): 128 MiB and about 0.3 s per check on
# a terminal, which is what makes guessing a 6-digit PIN offline from a stolen config slow.
DEFAULT_LOG2_N = 17
DEFAULT_R = 8
DEFAULT_P = 1
SALT_BYTES = 16
HASH_BYTES = 32
PIN_RULE = re.compile(r"^[0-9]{6,12}$")
_FORMAT = re.compile(
    r"^scrypt\$ln=(?P<ln>\d{1,2}),r=(?P<r>\d{1,2}),p=(?P<p>\d{1,2})"
    r"\$(?P<salt>[A-Za-z0-9+/]+)\$(?P<hash>[A-Za-z0-9+/]+)$"
)
STATE_FILE = "operator-pin.json"


class PinFormatError(ValueError):
    """A PIN that breaks the rules, or a stored hash that is not ours."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)


def _derive(pin: str, salt: bytes, log2_n: int, r: int, p: int, length: int) -> bytes:
    return hashlib.scrypt(
        pin.encode("utf-8"),
        salt=salt,
        n=1 << log2_n,
        r=r,
        p=p,
        maxmem=128 * r * ((1 << log2_n) + p + 2) + (1 << 20),
        dklen=length,
    )


def check_pin_rule(pin: str) -> None:
    """PINs are 6 to 12 digits (typed on the on-screen keypad)."""
    if not PIN_RULE.match(pin):
        raise PinFormatError("a PIN is 6 to 12 digits")


def hash_pin(
    pin: str, *, log2_n: int = DEFAULT_LOG2_N, r: int = DEFAULT_R, p: int = DEFAULT_P
) -> str:
    """The line for `[operator] pin_hash`: "scrypt$ln=17,r=8,p=1$<salt>$<hash>" (base64)."""
    check_pin_rule(pin)
    salt = os.urandom(SALT_BYTES)
    digest = _derive(pin, salt, log2_n, r, p, HASH_BYTES)
    return f"scrypt$ln={log2_n},r={r},p={p}${_b64(salt)}${_b64(digest)}"


def verify_pin(pin: str, stored: str) -> bool:
    """Whether `pin` matches the stored hash (constant-time comparison of the derived keys)."""
    match = _FORMAT.match(stored)
    if not match:
        raise PinFormatError("operator.pin_hash is not a hash written by `kiosk hash-pin`")
    log2_n, r, p = int(match["ln"]), int(match["r"]), int(match["p"])
    if not (10 <= log2_n <= 22 and 1 <= r <= 32 and 1 <= p <= 16):
        raise PinFormatError("operator.pin_hash has out-of-range scrypt parameters")
    try:
        salt, expected = _unb64(match["salt"]), _unb64(match["hash"])
    except binascii.Error as exc:
        raise PinFormatError("operator.pin_hash is damaged") from exc
    candidate = _derive(pin, salt, log2_n, r, p, len(expected))
    return hmac.compare_digest(candidate, expected)


@dataclass(frozen=True, slots=True)
class PinResult:
    """The answer to one PIN attempt.

    outcome: "ok", "wrong" (attempts_left before a lock-out), "wait" (too soon after a wrong
    PIN; not checked, not counted), "locked" (retry_after_s), "disabled" (no PIN configured).
    """

    outcome: str
    retry_after_s: float = 0.0
    attempts_left: int = 0

    @property
    def ok(self) -> bool:
        """Whether the operator may come in."""
        return self.outcome == "ok"


class PinGate:
    """Checks operator PINs: a growing pause after each wrong PIN, a lock-out after
    `max_failures` in a row (doubling with each lock-out, up to a day), all kept in the data
    folder so that restarting the kiosk does not reset it."""

    def __init__(
        self,
        pin_hash: str | None,
        data_dir: Path,
        *,
        clock: Callable[[], float] = time.time,
        max_failures: int = 5,
        lockout_s: float = 15 * 60,
        max_lockout_s: float = 24 * 3600,
        max_pause_s: float = 30.0,
    ) -> None:
        self._pin_hash = pin_hash
        self._state_file = data_dir / STATE_FILE
        self._clock = clock
        self._max_failures = max_failures
        self._lockout_s = lockout_s
        self._max_lockout_s = max_lockout_s
        self._max_pause_s = max_pause_s

    def _lockout_for(self, lockouts: int) -> float:
        return float(min(self._lockout_s * 2 ** max(lockouts - 1, 0), self._max_lockout_s))

    def _load(self, now: float) -> dict[str, float]:
        if not self._state_file.exists():
            return {"failures": 0, "lockouts": 0, "locked_until": 0.0, "next_at": 0.0}
        state = read_json(self._state_file)
        try:
            if not isinstance(state, dict):
                raise TypeError("not an object")
            loaded = {
                key: float(state[key])
                for key in ("failures", "lockouts", "locked_until", "next_at")
            }
        except (KeyError, TypeError, ValueError):
            # A damaged record must not reopen the door: count it as a fresh lock-out.
            log.warning("operator PIN state unreadable: locking out")
            return {
                "failures": 0,
                "lockouts": 1,
                "locked_until": now + self._lockout_s,
                "next_at": 0.0,
            }
        # A clock set back must not stretch a lock-out beyond its length.
        longest = self._lockout_for(int(loaded["lockouts"]))
        loaded["locked_until"] = min(loaded["locked_until"], now + longest)
        loaded["next_at"] = min(loaded["next_at"], now + self._max_pause_s)
        return loaded

    def _save(self, state: dict[str, float]) -> None:
        self._state_file.parent.mkdir(parents=True, exist_ok=True)
        write_json_atomically(self._state_file, state, mode=0o600)

    def status(self) -> PinResult:
        """Whether a PIN can be typed now (for the operator screen), without trying one."""
        if not self._pin_hash:
            return PinResult("disabled")
        now = self._clock()
        state = self._load(now)
        if state["locked_until"] > now:
            return PinResult("locked", retry_after_s=state["locked_until"] - now)
        if state["next_at"] > now:
            return PinResult("wait", retry_after_s=state["next_at"] - now)
        return PinResult("ready", attempts_left=self._max_failures - int(state["failures"]))

    def verify(self, pin: str) -> PinResult:
        """Try one PIN."""
        if not self._pin_hash:
            return PinResult("disabled")
        now = self._clock()
        state = self._load(now)
        if state["locked_until"] > now:
            return PinResult("locked", retry_after_s=state["locked_until"] - now)
        if state["next_at"] > now:
            return PinResult("wait", retry_after_s=state["next_at"] - now)
        try:
            matches = PIN_RULE.match(pin) is not None and verify_pin(pin, self._pin_hash)
        except PinFormatError:
            log.error("operator.pin_hash is not usable; operator access is closed")
            return PinResult("disabled")
        if matches:
            if self._state_file.exists():
                self._state_file.unlink()
            log.info("operator PIN accepted")
            return PinResult("ok")
        failures = int(state["failures"]) + 1
        if failures >= self._max_failures:
            lockouts = int(state["lockouts"]) + 1
            until = now + self._lockout_for(lockouts)
            self._save({"failures": 0, "lockouts": lockouts, "locked_until": until, "next_at": 0.0})
            log.warning("operator PIN: %d wrong attempts, locked for %d s", failures, until - now)
            return PinResult("locked", retry_after_s=until - now)
        pause = min(2.0 ** (failures - 1), self._max_pause_s)
        self._save(
            {
                "failures": failures,
                "lockouts": state["lockouts"],
                "locked_until": 0.0,
                "next_at": now + pause,
            }
        )
        log.warning("operator PIN: wrong attempt %d of %d", failures, self._max_failures)
        return PinResult("wrong", retry_after_s=pause, attempts_left=self._max_failures - failures)
