"""Small CSV files of one number per key (quotas per seller, preferences per opportunity).

The first line names the columns (case and surrounding spaces ignored; other columns are
allowed); blank lines are skipped. Every problem is returned with its line (1-based), all at
once, so the caller can refuse the whole file: a row with the wrong number of fields, a missing
or repeated key, a value that is not what the column needs.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

Problem = tuple[int, str]


@dataclass(frozen=True, slots=True)
class KeyedColumns:
    """What the file holds: ``keys`` the accepted names of the key column (the first is used in
    messages), ``value`` the number's column, ``requirement`` what a value must be."""

    file: str  # "quota file"
    keys: tuple[str, ...]
    value: str
    requirement: str  # "a number above 0"


def read_keyed(
    text: str, columns: KeyedColumns, number: Callable[[str], Decimal | None]
) -> tuple[dict[str, Decimal], list[Problem]]:
    """The key -> number mapping and the problems by line; ``number`` returns None for a value
    that does not meet the requirement."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        rows = list(reader)
    except csv.Error as exc:  # e.g. a NUL, or a quote in a field that is never closed
        return {}, [(reader.line_num or 1, f"not readable as CSV ({exc})")]
    if not rows or not any(c.strip() for c in rows[0]):
        return {}, [(1, f"the {columns.file} is empty (line 1 names the columns)")]
    header = [c.strip().lower() for c in rows[0]]
    who = next((header.index(c) for c in columns.keys if c in header), None)
    amount = header.index(columns.value) if columns.value in header else None
    if who is None or amount is None:
        first, *others = columns.keys
        alias = "".join(f" (or `{k}`)" for k in others)
        return {}, [(1, f"the header needs a `{first}`{alias} and a `{columns.value}` column")]
    name = columns.keys[0]
    problems: list[Problem] = []
    out: dict[str, Decimal] = {}
    seen: set[str] = set()
    for line, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) != len(header):
            problems.append((line, f"{len(row)} fields; the header has {len(header)}"))
            continue
        key, raw = row[who].strip(), row[amount].strip()
        value = number(raw)
        if not key:
            problems.append((line, f"the {name} is missing"))
        elif key in seen:
            problems.append((line, f"{name} {key!r} is given twice"))
        if value is None:
            problems.append((line, f"{columns.value} must be {columns.requirement}, not {raw!r}"))
        elif key and key not in seen:
            out[key] = value
        seen.add(key)
    return out, problems
