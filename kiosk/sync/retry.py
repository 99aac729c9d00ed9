"""Capped exponential backoff with full jitter, and `Retry-After` parsing."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC
from email.utils import parsedate_to_datetime

BASE_S = 5.0
CAP_S = 3600.0


def backoff_s(
    attempt: int,
    base_s: float = BASE_S,
    cap_s: float = CAP_S,
    rand: Callable[[], float] = random.random,
) -> float:
    """Full jitter: uniform in [0, min(cap, base·2^(attempt-1))), for attempt 1, 2, …"""
    exponent = min(max(attempt, 1) - 1, 62)
    ceiling = min(cap_s, base_s * (2.0**exponent))
    return ceiling * rand()


def parse_retry_after(value: str | None, now: float, cap_s: float = CAP_S) -> float | None:
    """Seconds to wait from a `Retry-After` value (delta-seconds or HTTP-date); None if unusable."""
    if value is None:
        return None
    text = value.strip()
    if text.isdigit():
        return min(float(text), cap_s)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return min(max(0.0, when.timestamp() - now), cap_s)
