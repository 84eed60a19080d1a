"""A small time-limited cache of computed answers, shared by the threads of one process.

For figures that may lag the database by a little (the discount history a price request is
judged against, an analytics page's figures of one snapshot): an answer is computed once per
key and reused for `ttl` seconds. Requests that ask for a key while it is being computed wait
for that computation rather than repeat it (on two CPUs, ten users opening the same heavy page
at once would otherwise each pay for it). `inline` (tests, where one database URL serves many
companies in turn) computes every time.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class TtlCache(Generic[T]):
    def __init__(
        self, ttl: float, max_entries: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self.clock = clock
        self.inline = False
        self._lock = threading.Lock()
        self._entries: OrderedDict[Hashable, tuple[float, T]] = OrderedDict()
        self._computing: dict[Hashable, threading.Event] = {}

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        if self.inline:
            return compute()
        while True:
            now = self.clock()
            with self._lock:
                found = self._entries.get(key)
                if found is not None and now - found[0] <= self.ttl:
                    self._entries.move_to_end(key)
                    return found[1]
                computing = self._computing.get(key)
                if computing is None:
                    self._computing[key] = threading.Event()
                    break
            computing.wait()  # then look again; if that computation failed, try it ourselves
        try:
            value = compute()
            with self._lock:
                self._entries[key] = (now, value)
                self._entries.move_to_end(key)
                while len(self._entries) > self.max_entries:
                    self._entries.popitem(last=False)
            return value
        finally:
            with self._lock:
                self._computing.pop(key).set()

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
