"""A sliding-window rate limiter kept in this process's memory (ADR 0013).

Pure bookkeeping: no database, no web framework. The clock is injected, so tests move time
instead of sleeping. Thread-safe: sync FastAPI dependencies run in a thread pool.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

Clock = Callable[[], float]


class SlidingWindow:
    """At most `limit` events per key in any `window_seconds`, counted exactly.

    Each key keeps the times of its last `limit` events (a bounded deque), so memory is at most
    `limit` floats per active key. Keys whose events have all left the window are dropped when
    the table grows past `max_keys`, and if it is still too full the oldest keys go first, so a
    flood of distinct keys (addresses, say) cannot grow memory without bound.
    """

    def __init__(
        self,
        limit: int,
        window_seconds: float,
        *,
        clock: Clock = time.monotonic,
        max_keys: int = 10_000,
    ) -> None:
        if limit < 1 or window_seconds <= 0:
            raise ValueError("a sliding window needs limit >= 1 and a positive window")
        self.limit = limit
        self.window = window_seconds
        self.clock = clock
        self.max_keys = max_keys
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def retry_after(self, key: str) -> int:
        """Seconds until `key` may act again (0: it may act now). Records nothing."""
        with self._lock:
            return self._retry_after(key, self.clock())

    def hit(self, key: str) -> int:
        """Record one event for `key` if the budget allows it; otherwise record nothing and
        return the whole seconds to wait (at least 1)."""
        with self._lock:
            now = self.clock()
            wait = self._retry_after(key, now)
            if wait:
                return wait
            events = self._events.get(key)
            if events is None:
                if len(self._events) >= self.max_keys:
                    self._prune(now)
                events = self._events[key] = deque(maxlen=self.limit)
            events.append(now)
            return 0

    def record(self, key: str) -> None:
        """Record an event whatever the budget (a failure that already happened)."""
        with self._lock:
            now = self.clock()
            events = self._events.get(key)
            if events is None:
                if len(self._events) >= self.max_keys:
                    self._prune(now)
                events = self._events[key] = deque(maxlen=self.limit)
            events.append(now)

    def __len__(self) -> int:
        return len(self._events)

    def _retry_after(self, key: str, now: float) -> int:
        events = self._events.get(key)
        if events is None:
            return 0
        start = now - self.window
        while events and events[0] <= start:
            events.popleft()
        if not events:
            del self._events[key]
            return 0
        if len(events) < self.limit:
            return 0
        # Full: the oldest event in the window must leave it before another is allowed.
        return max(1, math.ceil(events[0] + self.window - now))

    def _prune(self, now: float) -> None:
        start = now - self.window
        for key in [k for k, ev in self._events.items() if not ev or ev[-1] <= start]:
            del self._events[key]
        overflow = len(self._events) - self.max_keys + 1
        if overflow > 0:  # still full of live keys: forget the least recently active
            oldest = sorted(self._events, key=lambda k: self._events[k][-1])[:overflow]
            for key in oldest:
                del self._events[key]
