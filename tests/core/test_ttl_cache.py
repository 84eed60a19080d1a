"""The shared time-limited cache: computed once per key while fresh, again after, bounded."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from valuescout.core.ttl_cache import TtlCache


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_reused_while_fresh_then_computed_again() -> None:
    clock = Clock()
    cache: TtlCache[int] = TtlCache(ttl=10, max_entries=5, clock=clock)
    calls: list[str] = []

    def compute() -> int:
        calls.append("x")
        return len(calls)

    assert cache.get("k", compute) == 1
    clock.now = 10
    assert cache.get("k", compute) == 1
    clock.now = 10.5
    assert cache.get("k", compute) == 2 and len(calls) == 2


def test_the_least_recently_used_key_goes_first() -> None:
    cache: TtlCache[str] = TtlCache(ttl=100, max_entries=2, clock=Clock())
    cache.get("a", lambda: "a1")
    cache.get("b", lambda: "b1")
    cache.get("a", lambda: "a2")  # a used again: b is the oldest now
    cache.get("c", lambda: "c1")
    assert cache.get("a", lambda: "a3") == "a1"
    assert cache.get("b", lambda: "b2") == "b2"


def test_inline_computes_every_time() -> None:
    cache: TtlCache[int] = TtlCache(ttl=100, max_entries=2, clock=Clock())
    cache.inline = True
    values = iter([1, 2])
    assert cache.get("k", lambda: next(values)) == 1
    assert cache.get("k", lambda: next(values)) == 2


def test_concurrent_askers_of_one_key_share_one_computation() -> None:
    cache: TtlCache[int] = TtlCache(ttl=100, max_entries=5, clock=Clock())
    started, release = threading.Event(), threading.Event()
    calls: list[int] = []

    def slow() -> int:
        calls.append(1)
        started.set()
        release.wait(5)
        return 42

    with ThreadPoolExecutor(max_workers=4) as pool:
        first = pool.submit(cache.get, "k", slow)
        assert started.wait(5)
        others = [pool.submit(cache.get, "k", slow) for _ in range(3)]
        release.set()
        assert [f.result(5) for f in [first, *others]] == [42] * 4
    assert len(calls) == 1


def test_a_failed_computation_lets_the_next_asker_try_again() -> None:
    cache: TtlCache[int] = TtlCache(ttl=100, max_entries=5, clock=Clock())

    def broken() -> int:
        raise RuntimeError("database gone")

    with pytest.raises(RuntimeError):
        cache.get("k", broken)
    assert cache.get("k", lambda: 7) == 7
