"""Every deal line of the company, read once and shared by the analytics requests of a process.

Reading and converting every line item, its deal, account, owner, manager and approver, and
evaluating every value case for the leakage figures, costs seconds of CPU at 100,000 deals
(bench/README.md, load test), far too slow for each page. So a process keeps one snapshot of
the company's lines (all outcomes, periods and currencies, names unmasked, with the owner's,
manager's and approver's user ids), and each request cuts the caller's lines out of it
(`deal_source.load`: scope, outcome, period, currency, names outside the scope masked) in
milliseconds.

A snapshot serves for `MAX_AGE` seconds, or for `READS_APART` times as long as reading it took
when that is longer (at 100,000 deals a read costs 20-45 s of CPU; refreshing every minute
kept most of a CPU busy in the load test). A request after that still gets it while one
background thread reads a new one (analytics describe past deals, so figures may lag a change
by a minute; pages say as of when). The first request of a process reads it in line, and
requests that arrive meanwhile wait for that one read. `INLINE` (tests, where one database URL
serves many companies in turn, and the command line) reads a new snapshot for every request.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pyarrow as pa
from sqlalchemy import Engine
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)
MAX_AGE = 60.0  # seconds a snapshot answers before a background read replaces it
READS_APART = 10.0  # ... at least this many times its read's duration: reads take <= 1/10 CPU
KEEP_DATABASES = 4  # a process serves one company; tests and tools open many databases


@dataclass(frozen=True)
class Snapshot:
    """The company's deal lines as an Arrow table (canonical columns + `_` columns), sorted by
    line id, with what the per-caller cut needs beside them."""

    table: pa.Table
    opportunity_names: Mapping[str, str]
    preferences: Mapping[str, Decimal]  # per opportunity with a value case (`preferences_at_list`)
    taken_at: datetime


Read = Callable[[Session], Snapshot]


@dataclass
class _Entry:
    snapshot: Snapshot
    read_at: float  # time.monotonic()
    took: float = 0.0  # seconds the read took

    @property
    def max_age(self) -> float:
        return max(MAX_AGE, READS_APART * self.took)


class SnapshotCache:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.inline = False
        self.clock = clock
        self._lock = threading.Lock()
        self._reading = threading.Lock()  # held by whoever reads a snapshot
        self._entries: dict[str, _Entry] = {}
        self._refreshing: set[str] = set()

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def get(self, session: Session, read: Read) -> Snapshot:
        if self.inline:
            return read(session)
        engine = session.get_bind().engine
        url = str(engine.url)
        with self._lock:
            entry = self._entries.get(url)
        if entry is not None:
            if self.clock() - entry.read_at > entry.max_age:
                self._refresh_in_background(engine, url, read)
            return entry.snapshot
        with self._reading:  # the first read of a process: the others wait for it
            with self._lock:
                entry = self._entries.get(url)
            if entry is not None:
                return entry.snapshot
            started = self.clock()
            snapshot = read(session)
            self._store(url, snapshot, started)
            return snapshot

    def _store(self, url: str, snapshot: Snapshot, started: float) -> None:
        with self._lock:
            self._entries.pop(url, None)
            while len(self._entries) >= KEEP_DATABASES:
                del self._entries[next(iter(self._entries))]
            now = self.clock()
            self._entries[url] = _Entry(snapshot, now, now - started)

    def _refresh_in_background(self, engine: Engine, url: str, read: Read) -> None:
        with self._lock:
            if url in self._refreshing:
                return
            self._refreshing.add(url)
        threading.Thread(target=self._refresh, args=(engine, url, read), daemon=True).start()

    def _refresh(self, engine: Engine, url: str, read: Read) -> None:
        try:
            with self._reading, Session(engine) as session:
                started = self.clock()
                self._store(url, read(session), started)
        except Exception:  # the previous snapshot keeps answering; the next request retries
            log.exception("reading the analytics snapshot of the deal lines failed")
        finally:
            with self._lock:
                self._refreshing.discard(url)


def now() -> datetime:
    return datetime.now(UTC)


def arrow_table(columns: Mapping[str, list[Any]], types: Mapping[str, pa.DataType]) -> pa.Table:
    return pa.table({name: pa.array(values, type=types[name]) for name, values in columns.items()})


CACHE = SnapshotCache()
