"""The shared time-limited cache: computed once per key while fresh, again after, bounded."""

from __future__ import annotations

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
