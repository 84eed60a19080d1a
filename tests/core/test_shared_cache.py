"""The shared cache: computed once per key while current, again after, bounded; a stale value
served while one background thread recomputes it when the caller says how."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest

from valuescout.core.shared_cache import SharedCache


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_reused_while_fresh_then_computed_again() -> None:
    clock = Clock()
    cache: SharedCache[int] = SharedCache(5, max_age=10, clock=clock)
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
    cache: SharedCache[str] = SharedCache(2, max_age=100, clock=Clock())
    cache.get("a", lambda: "a1")
    cache.get("b", lambda: "b1")
    cache.get("a", lambda: "a2")  # a used again: b is the oldest now
    cache.get("c", lambda: "c1")
    assert cache.get("a", lambda: "a3") == "a1"
    assert cache.get("b", lambda: "b2") == "b2"


def test_inline_computes_every_time() -> None:
    cache: SharedCache[int] = SharedCache(2, max_age=100, clock=Clock())
    cache.inline = True
    values = iter([1, 2])
    assert cache.get("k", lambda: next(values)) == 1
    assert cache.get("k", lambda: next(values)) == 2


def test_concurrent_askers_of_one_key_share_one_computation() -> None:
    cache: SharedCache[int] = SharedCache(5, max_age=100, clock=Clock())
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
    cache: SharedCache[int] = SharedCache(5, max_age=100, clock=Clock())

    def broken() -> int:
        raise RuntimeError("database gone")

    with pytest.raises(RuntimeError):
        cache.get("k", broken)
    assert cache.get("k", lambda: 7) == 7


def test_a_new_version_is_computed_again() -> None:
    cache: SharedCache[str] = SharedCache(5, clock=Clock())
    assert cache.get("k", lambda: "v1", version=1) == "v1"
    assert cache.get("k", lambda: "again", version=1) == "v1"
    assert cache.get("k", lambda: "v2", version=2) == "v2"


def _eventually(check: Callable[[], bool]) -> bool:
    for _ in range(400):  # up to 20 s: a background thread on a busy CI machine
        if check():
            return True
        time.sleep(0.05)
    return False


def test_with_refresh_the_stale_value_serves_while_one_thread_recomputes() -> None:
    cache: SharedCache[str] = SharedCache(5, clock=Clock())
    cache.get("k", lambda: "old", version=1)
    release, calls = threading.Event(), []

    def refresh() -> str:
        calls.append(1)
        release.wait(5)
        return "new"

    def in_request() -> str:
        raise AssertionError("a stale value with a refresh is never computed in the request")

    assert cache.get("k", in_request, version=2, refresh=refresh) == "old"
    assert cache.get("k", in_request, version=2, refresh=refresh) == "old"
    release.set()
    assert _eventually(lambda: cache.get("k", in_request, version=2, refresh=refresh) == "new")
    assert calls == [1]


def test_a_failed_refresh_keeps_the_stale_value_and_is_tried_again() -> None:
    cache: SharedCache[str] = SharedCache(5, clock=Clock())
    cache.get("k", lambda: "old", version=1)
    failed = threading.Event()

    def broken() -> str:
        failed.set()
        raise RuntimeError("database gone")

    assert cache.get("k", broken, version=2, refresh=broken) == "old"
    assert failed.wait(5)
    assert _eventually(lambda: cache.get("k", broken, version=2, refresh=lambda: "new") == "new")


def test_the_entry_records_how_long_its_computation_took() -> None:
    clock = Clock()
    cache: SharedCache[int] = SharedCache(5, clock=clock)

    def slow() -> int:
        clock.now += 7
        return 1

    cache.get("k", slow)
    taken = []
    cache.get("k", lambda: 2, current=lambda e: bool(taken.append(e.took)) or True)
    assert taken == [7]


def test_a_value_older_than_stale_for_is_computed_in_the_request() -> None:
    clock = Clock()
    cache: SharedCache[str] = SharedCache(5, max_age=30, clock=clock)
    cache.get("k", lambda: "first")
    clock.now += 60  # stale but young enough: served while refreshed behind
    refreshed = threading.Event()

    def refresh() -> str:
        refreshed.set()
        return "refreshed"

    assert cache.get("k", lambda: "in request", refresh=refresh, stale_for=300) == "first"
    assert refreshed.wait(5)
    assert _eventually(lambda: cache.get("k", lambda: "x", stale_for=300) == "refreshed")
    clock.now += 400  # too old to serve: the request computes it
    assert cache.get("k", lambda: "in request", refresh=refresh, stale_for=300) == "in request"
