"""Retry timing shared by the hub's outgoing HTTP: Retry-After and capped full-jitter backoff."""

from __future__ import annotations

from collections.abc import Callable
from email.utils import parsedate_to_datetime


def retry_after_seconds(value: str | None, now: float) -> float | None:
    """`Retry-After` as seconds (delay-seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when.timestamp() - now)


def backoff(attempt: int, rng: Callable[[], float], base: float, cap: float) -> float:
    """Full jitter: uniform(0, min(cap, base · 2^attempt))."""
    return rng() * min(cap, base * 2.0**attempt)
