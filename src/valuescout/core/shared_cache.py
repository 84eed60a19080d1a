"""Values computed once and shared by the threads of one process: the app's one cache mechanism.

For figures that are costly and may lag the database a little (trained forecast models, the
analytics snapshot of every deal line and the answers cut from it, a forecast, an approver
review, the discount history a price request is judged against). On two CPUs, ten users opening
the same heavy page would otherwise each pay for it (bench/README.md, load test).

Each entry remembers the version it was computed from (the closed deals' key, a snapshot's
time), when it was stored and how long computing it took. A request for a key then finds it:

- current (by default: the same version and younger than `max_age`): served;
- not current, but the caller says how to recompute it outside the request (`refresh`, which
  must not use the request's database session) and it is not older than `stale_for`: still
  served, while one background thread computes the replacement (stale while revalidating; at
  most one background computation per cache at a time, so refreshes take at most one CPU);
- missing, or not current without `refresh`: computed in the request. Requests asking for the
  key meanwhile wait for that one computation instead of repeating it; if it fails, the next
  one tries.

`inline` (tests, where one database URL serves many companies in turn, and the command line)
computes every time.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class Entry(Generic[T]):
    value: T
    version: Hashable  # what the value was computed from; None when only age matters
    stored_at: float  # the cache's clock when stored
    took: float  # seconds the computation took


class SharedCache(Generic[T]):
    def __init__(
        self,
        max_entries: int,
        *,
        max_age: float = math.inf,
        clock: Callable[[], float] = time.monotonic,
        name: str = "shared-cache",
    ) -> None:
        self.max_entries = max_entries
        self.max_age = max_age
        self.clock = clock
        self.name = name
        self.inline = False
        self._lock = threading.Lock()
        self._entries: OrderedDict[Hashable, Entry[T]] = OrderedDict()
        self._computing: dict[Hashable, threading.Event] = {}
        self._background = threading.Semaphore(1)

    def get(
        self,
        key: Hashable,
        compute: Callable[[], T],
        *,
        version: Hashable = None,
        refresh: Callable[[], T] | None = None,
        current: Callable[[Entry[T]], bool] | None = None,
        stale_for: float = math.inf,
    ) -> T:
        if self.inline:
            return compute()
        is_current = current or (lambda e: e.version == version and self.age(e) <= self.max_age)
        while True:
            with self._lock:
                entry = self._entries.get(key)
                fresh = entry is not None and is_current(entry)
                servable = (
                    refresh is not None and entry is not None and self.age(entry) <= stale_for
                )
                if entry is not None and (fresh or servable):
                    self._entries.move_to_end(key)
                    if not fresh and refresh is not None:  # and servable
                        self._refresh_behind(key, version, refresh)
                    return entry.value
                waiting = self._computing.get(key)
                if waiting is None:
                    self._computing[key] = threading.Event()
                    break
            waiting.wait()  # then look again; if that computation failed, try it ourselves
        try:
            return self._compute(key, version, compute)
        finally:
            self._done(key)

    def get_or_start(
        self,
        key: Hashable,
        refresh: Callable[[], T],
        *,
        version: Hashable = None,
        current: Callable[[Entry[T]], bool] | None = None,
    ) -> T | None:
        """As `get` with `refresh`, except that a key with no value yet is computed by the
        background thread too: None until it is there (a page can say "being computed" and
        look again instead of holding a request for as long as the computation takes)."""
        if self.inline:
            return refresh()
        with self._lock:
            if key not in self._entries:
                self._refresh_behind(key, version, refresh)
                return None
        return self.get(key, refresh, version=version, refresh=refresh, current=current)

    def peek(self, key: Hashable, current: Callable[[Entry[T]], bool]) -> T | None:
        """The value stored for `key` if `current` says it is, else None; never computes. For
        callers that compute many keys at once (one query for every missing one)."""
        if self.inline:
            return None
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or not current(entry):
                return None
            self._entries.move_to_end(key)
            return entry.value

    def put(self, key: Hashable, value: T, *, version: Hashable = None, took: float = 0.0) -> None:
        """Store a value computed outside `get` (see `peek`)."""
        if self.inline:
            return
        with self._lock:
            self._store(key, Entry(value, version, self.clock(), took))

    def age(self, entry: Entry[T]) -> float:
        return self.clock() - entry.stored_at

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def _refresh_behind(self, key: Hashable, version: Hashable, refresh: Callable[[], T]) -> None:
        """Start the one background computation of `key` unless it runs (caller holds the lock)."""
        if key in self._computing:
            return
        self._computing[key] = threading.Event()
        thread = threading.Thread(
            target=self._in_background, args=(key, version, refresh), name=self.name, daemon=True
        )  # a daemon: stopping the server does not wait for a refresh nobody will read
        thread.start()

    def _in_background(self, key: Hashable, version: Hashable, refresh: Callable[[], T]) -> None:
        try:
            with self._background:
                self._compute(key, version, refresh)
        except Exception:  # the previous value goes on serving; the next request retries
            log.exception("%s: recomputing a value failed", self.name)
        finally:
            self._done(key)

    def _compute(self, key: Hashable, version: Hashable, compute: Callable[[], T]) -> T:
        started = self.clock()
        value = compute()
        with self._lock:
            now = self.clock()
            self._store(key, Entry(value, version, now, now - started))
        return value

    def _store(self, key: Hashable, entry: Entry[T]) -> None:
        """Caller holds the lock."""
        self._entries[key] = entry
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    def _done(self, key: Hashable) -> None:
        with self._lock:
            self._computing.pop(key).set()
