"""Backoff bounds and `Retry-After` parsing."""

from __future__ import annotations

from email.utils import formatdate

import pytest

from kiosk.sync.retry import CAP_S, backoff_s, parse_retry_after


@pytest.mark.parametrize("attempt", [1, 2, 3, 5, 10, 40, 1000])
def test_backoff_stays_within_zero_and_the_capped_ceiling(attempt: int) -> None:
    ceiling = min(CAP_S, 5.0 * 2 ** (min(attempt, 60) - 1))
    assert backoff_s(attempt, rand=lambda: 0.0) == 0.0
    assert backoff_s(attempt, rand=lambda: 0.999999) < ceiling
    assert backoff_s(attempt, rand=lambda: 0.999999) == pytest.approx(ceiling, rel=1e-5)


def test_backoff_doubles_then_caps() -> None:
    half = [backoff_s(a, base_s=2, cap_s=20, rand=lambda: 0.5) for a in range(1, 7)]
    assert half == [1.0, 2.0, 4.0, 8.0, 10.0, 10.0]
    assert backoff_s(0, rand=lambda: 0.5) == backoff_s(1, rand=lambda: 0.5)


def test_retry_after_in_seconds_and_as_an_http_date() -> None:
    now = 1_800_000_000.0
    assert parse_retry_after("120", now) == 120.0
    assert parse_retry_after(" 0 ", now) == 0.0
    assert parse_retry_after("999999", now) == CAP_S
    assert parse_retry_after(formatdate(now + 90, usegmt=True), now) == 90.0
    assert parse_retry_after(formatdate(now - 90, usegmt=True), now) == 0.0


@pytest.mark.parametrize("value", [None, "", "soon", "-5", "1.5"])
def test_unusable_retry_after_is_none(value: str | None) -> None:
    assert parse_retry_after(value, 0.0) is None
