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
requests that arrive meanwhile wait for that one read (`core.shared_cache`). `inline` (tests,
where one database URL serves many companies in turn, and the command line) reads a new
snapshot for every request.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pyarrow as pa
from sqlalchemy.orm import Session

from valuescout.core.shared_cache import Entry, SharedCache

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
CACHE: SharedCache[Snapshot] = SharedCache(KEEP_DATABASES, name="analytics-snapshot")


def snapshot(session: Session, read: Read, cache: SharedCache[Snapshot] = CACHE) -> Snapshot:
    """The shared snapshot of the session's database; the first of a process read in line."""
    engine = session.get_bind().engine

    def reread() -> Snapshot:
        with Session(engine) as own:
            return read(own)

    def current(entry: Entry[Snapshot]) -> bool:
        return cache.age(entry) <= max(MAX_AGE, READS_APART * entry.took)

    return cache.get(str(engine.url), lambda: read(session), refresh=reread, current=current)


def now() -> datetime:
    return datetime.now(UTC)


def arrow_table(columns: Mapping[str, list[Any]], types: Mapping[str, pa.DataType]) -> pa.Table:
    return pa.table({name: pa.array(values, type=types[name]) for name, values in columns.items()})
