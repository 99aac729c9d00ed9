"""The hidden operator gesture: only five quick taps in the corner open the PIN pad."""

from __future__ import annotations

from kiosk.release.gesture import OperatorGesture


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_five_quick_corner_taps() -> None:
    clock = Clock()
    gesture = OperatorGesture(clock=clock)
    results = []
    for _ in range(5):
        results.append(gesture.tap(20, 30, 1080, 1920))
        clock.now += 0.4
    assert results == [False, False, False, False, True]
    assert not gesture.tap(20, 30, 1080, 1920)  # starts over


def test_a_tap_elsewhere_or_too_slow_starts_over() -> None:
    clock = Clock()
    gesture = OperatorGesture(clock=clock)
    for _ in range(4):
        gesture.tap(10, 10, 1080, 1920)
    assert not gesture.tap(540, 960, 1080, 1920)  # a passer-by's tap in the middle
    assert not any(gesture.tap(10, 10, 1080, 1920) for _ in range(4))
    clock.now += 10
    assert not gesture.tap(10, 10, 1080, 1920)  # the earlier taps are too old
    # Outside the corner square (12 % of the shorter side = 129 px on 1080x1920).
    assert not any(gesture.tap(200, 10, 1080, 1920) for _ in range(6))
