"""A file's rows, through validation, to the writer, in batches: memory holds one batch
however long the file is.

Reading and validating in one thread while another did the database work was tried: on the
benchmark's two-core machine (shared with other work) it was no faster, A/B in turn on
100,000 rows (SQLite 6.8 and 7.2 s with a writer thread, 6.8 and 5.8 s without; PostgreSQL
13.2 and 15.9 s against 12.7 and 20.4 s), so the simpler single thread stays.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from valuescout.deals.importing.problems import Problem
from valuescout.deals.importing.readers import CsvFile
from valuescout.deals.importing.validate import Record

RowCheck = Callable[[int, list[str]], Record | list[Problem]]


@dataclass(frozen=True, slots=True)
class Reject:
    file: str
    line: int
    values: list[str]
    problems: list[Problem]


@dataclass
class _Batch:
    records: list[Record] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)


class Sink:
    """What happens to a batch: write it, refuse its bad rows, advance the progress."""

    def write(self, records: list[Record]) -> list[Reject]:
        raise NotImplementedError

    def refuse(self, rejects: list[Reject]) -> None:
        raise NotImplementedError

    def advance(self, bytes_read: int) -> None:
        raise NotImplementedError


def stream(f: CsvFile, check: RowCheck, sink: Sink, batch_size: int) -> int:
    """Validate every row of `f` and hand the batches to `sink`; returns the rows read."""
    rows = 0
    batch = _Batch()
    for line, values in f.rows():
        rows += 1
        result = check(line, values)
        if isinstance(result, Record):
            batch.records.append(result)
        else:
            batch.rejects.append(Reject(f.label, line, values, result))
        if len(batch.records) >= batch_size or len(batch.rejects) >= batch_size:
            _hand_over(batch, sink, f)
            batch = _Batch()
    _hand_over(batch, sink, f)
    return rows


def _hand_over(batch: _Batch, sink: Sink, f: CsvFile) -> None:
    refused = sink.write(batch.records) if batch.records else []
    sink.refuse(sorted([*batch.rejects, *refused], key=lambda r: (r.file, r.line)))
    sink.advance(f.bytes_read())
