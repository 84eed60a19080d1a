"""Reading a CRM export (CSV) of past opportunities into rows of text, with clear errors that
name the file and the line. Pure: no database, no web.

* Text is UTF-8 (a byte-order mark is dropped). The delimiter is the one of `,` `;` tab that
  the header line holds most often (comma when it holds none).
* The first line names the columns: names are stripped of surrounding spaces and must be
  unique. A column without a name is allowed only when every cell in it is empty (a trailing
  delimiter); it is then ignored.
* Every other line is a row with as many fields as the header; blank lines are skipped.
* Cells are kept as text, exactly (the win model decides what is missing: only empty cells).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from valuescout.core.errors import Invalid

DELIMITERS = (",", ";", "\t")


@dataclass(frozen=True, slots=True)
class History:
    """The rows of an export, each a dict of column -> text, and each row's line number."""

    path: str
    columns: tuple[str, ...]
    rows: tuple[dict[str, str], ...]
    lines: tuple[int, ...]


def read_history(path: Path) -> History:
    name = str(path)
    if not path.exists():
        raise Invalid(f"{name}: no such file.")
    if not path.is_file():
        raise Invalid(f"{name}: not a file.")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise Invalid(f"{name}: cannot read the file ({exc.strerror or exc}).") from None
    if b"\0" in data:
        raise Invalid(f"{name}: not a CSV file (it holds binary data).")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise Invalid(f"{name}: line {line} is not UTF-8 text; save the export as UTF-8.") from None
    return parse_history(text, name)


def _delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def parse_history(text: str, name: str = "the file") -> History:
    """The rows of CSV text; `name` is used in the error messages."""
    first = text.lstrip("\r\n").split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first), strict=True)
    header: list[str] | None = None
    records: list[tuple[int, list[str]]] = []
    try:
        while True:
            start = reader.line_num + 1
            try:
                fields = next(reader)
            except StopIteration:
                break
            if not fields or fields == [""]:
                continue
            if header is None:
                header = [f.strip() for f in fields]
                continue
            if len(fields) != len(header):
                raise Invalid(
                    f"{name}: line {start} has {len(fields)} fields; the header has "
                    f"{len(header)}. Is it a CSV file?"
                )
            records.append((start, fields))
    except csv.Error as exc:
        raise Invalid(f"{name}: line {reader.line_num} is not valid CSV ({exc}).") from None
    if header is None:
        raise Invalid(f"{name}: the file is empty (no header line).")
    keep = _named_columns(header, records, name)
    if not records:
        raise Invalid(f"{name}: the file has a header but no rows.")
    columns = tuple(header[i] for i in keep)
    rows = tuple({header[i]: fields[i] for i in keep} for _, fields in records)
    return History(name, columns, rows, tuple(line for line, _ in records))


def _named_columns(header: list[str], records: list[tuple[int, list[str]]], name: str) -> list[int]:
    keep: list[int] = []
    seen: set[str] = set()
    for i, column in enumerate(header):
        if not column:
            filled = next((line for line, fields in records if fields[i].strip()), None)
            if filled is not None:
                raise Invalid(
                    f"{name}: column {i + 1} has no name in the header but holds values "
                    f"(line {filled})."
                )
            continue
        if column in seen:
            raise Invalid(f"{name}: the header names the column {column!r} twice.")
        seen.add(column)
        keep.append(i)
    return keep
