"""Capped full-jitter backoff for the hub's outgoing HTTP (`Retry-After` is parsed by
`kiosk.sync.retry.parse_retry_after`, shared with the terminal)."""

from __future__ import annotations

from collections.abc import Callable


def backoff(attempt: int, rng: Callable[[], float], base: float, cap: float) -> float:
    """Full jitter: uniform(0, min(cap, base · 2^attempt))."""
    return rng() * min(cap, base * 2.0**attempt)
