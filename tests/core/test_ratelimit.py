"""The sliding window counts exactly, on a clock the test moves."""

from __future__ import annotations

import pytest

from valuescout.core.ratelimit import SlidingWindow


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_limit_trips_at_n_plus_one_and_says_how_long_to_wait() -> None:
    clock = FakeClock()
    window = SlidingWindow(3, 60, clock=clock)
    for _ in range(3):
        assert window.hit("a") == 0
        clock.now += 1  # events at 1000, 1001, 1002
    assert window.hit("a") == 57  # the first leaves the window at 1060; now 1003
    assert window.retry_after("b") == 0  # another key is unaffected
    assert window.hit("b") == 0


def test_refused_hits_are_not_counted_and_the_window_slides() -> None:
    clock = FakeClock()
    window = SlidingWindow(2, 10, clock=clock)
    assert window.hit("k") == 0  # t=1000
    clock.now = 1005
    assert window.hit("k") == 0  # t=1005
    for _ in range(5):
        assert window.hit("k") > 0  # refused, not recorded
    clock.now = 1010  # the first event leaves: one place frees up
    assert window.hit("k") == 0
    assert window.hit("k") == 5  # full again until 1015
    clock.now = 1025
    assert window.retry_after("k") == 0
    assert len(window) == 0  # an idle key is forgotten


def test_recorded_failures_block_until_the_oldest_leaves() -> None:
    clock = FakeClock()
    window = SlidingWindow(3, 300, clock=clock)
    for _ in range(3):
        assert window.retry_after("ip") == 0
        window.record("ip")
    assert window.retry_after("ip") == 300
    clock.now += 299.5
    assert window.retry_after("ip") == 1  # never rounds down to "now"
    clock.now += 0.5
    assert window.retry_after("ip") == 0


def test_many_keys_cannot_grow_memory_without_bound() -> None:
    clock = FakeClock()
    window = SlidingWindow(1, 60, clock=clock, max_keys=100)
    for n in range(1000):
        window.record(f"10.0.{n // 256}.{n % 256}")
        clock.now += 0.01
    assert len(window) <= 100
    assert window.retry_after("10.0.3.231") > 0  # the most recent keys are kept


@pytest.mark.parametrize(("limit", "seconds"), [(0, 60), (5, 0)])
def test_a_window_without_room_is_refused(limit: int, seconds: int) -> None:
    with pytest.raises(ValueError, match="limit >= 1"):
        SlidingWindow(limit, seconds)
