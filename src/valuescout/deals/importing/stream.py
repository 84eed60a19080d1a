"""A file's rows, through validation, to the writer, in batches, with reading overlapping
the database work.

The calling thread reads and validates; one writer thread takes batches from a queue of at
most two and does every database call and every report update. So the session is used by one
thread at a time, nothing is shared but the queue, and memory holds at most a few batches
however long the file is. Reading and validating (Python) then run while the database driver
works with the interpreter lock released; on the benchmark this took about a third off.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from valuescout.deals.importing.problems import Problem
from valuescout.deals.importing.readers import CsvFile
from valuescout.deals.importing.validate import Record

RowCheck = Callable[[int, list[str]], Record | list[Problem]]
_QUEUE_DEPTH = 2


@dataclass(frozen=True, slots=True)
class Reject:
    file: str
    line: int
    values: list[str]
    problems: list[Problem]


@dataclass
class _Chunk:
    records: list[Record] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    bytes_read: int = 0


class Sink:
    """What the writer thread does with a batch: write it, refuse its bad rows, advance."""

    def write(self, records: list[Record]) -> list[Reject]:
        raise NotImplementedError

    def refuse(self, rejects: list[Reject]) -> None:
        raise NotImplementedError

    def advance(self, bytes_read: int) -> None:
        raise NotImplementedError


def stream(f: CsvFile, check: RowCheck, sink: Sink, batch_size: int) -> int:
    """Validate every row of `f` and hand the batches to `sink`; returns the rows read."""
    batches: queue.Queue[_Chunk | None] = queue.Queue(_QUEUE_DEPTH)
    failures: list[BaseException] = []

    def work() -> None:
        while (chunk := batches.get()) is not None:
            if failures:
                continue  # keep taking batches so the reader never blocks; write nothing more
            try:
                refused = sink.write(chunk.records) if chunk.records else []
                sink.refuse(sorted([*chunk.rejects, *refused], key=lambda r: (r.file, r.line)))
                sink.advance(chunk.bytes_read)
            except BaseException as exc:  # handed to the reading thread, which raises it
                failures.append(exc)

    writer = threading.Thread(target=work, name=f"import-writer:{f.label}", daemon=True)
    writer.start()
    rows = 0
    chunk = _Chunk()
    try:
        for line, values in f.rows():
            rows += 1
            result = check(line, values)
            if isinstance(result, Record):
                chunk.records.append(result)
            else:
                chunk.rejects.append(Reject(f.label, line, values, result))
            if len(chunk.records) >= batch_size or len(chunk.rejects) >= batch_size:
                if failures:
                    break
                chunk.bytes_read = f.bytes_read()
                batches.put(chunk)
                chunk = _Chunk()
        chunk.bytes_read = f.bytes_read()
        batches.put(chunk)
    finally:
        batches.put(None)
        writer.join()
    if failures:
        raise failures[0]
    return rows
