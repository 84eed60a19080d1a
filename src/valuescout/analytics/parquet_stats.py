"""What a Parquet file's own statistics prove, so that `open_lines` need not scan for it.

A Parquet file keeps per row group and column the number of rows, nulls (and, from newer
writers, NaNs) and the smallest and largest value. From those alone, without reading a value:

* **checks that cannot fail** (`proven`): a required text column with no nulls whose smallest
  value starts with a printable ASCII character other than a space has no blank value; a
  number column (DOUBLE, FLOAT, integers, DECIMAL) with no nulls whose smallest and largest
  values lie inside the column's range has every value inside it (only NaN, which statistics
  leave out, still needs a look unless the writer counted NaNs as none); a DATE column likewise;
  a currency column whose row groups each hold a single valid code, or nothing.
  `open_lines` drops those checks from its scan and keeps the others (the invoice price
  against list price always needs the rows). See docs/adr/0010-trust-parquet-statistics.md.
* **deal ranges** (`deal_ranges`): when the row groups' ``opportunity_id`` intervals follow
  each other in file order without overlapping, every deal's lines lie in one run of row
  groups, so the deal sums of the outlier size band can be computed range by range (each
  range's rows only: a small hash table that stays in cache) and added up.

Strings are compared by code point, which is the order of their UTF-8 bytes, Parquet's order
for strings. Statistics from old writers that compared bytes as signed only differ from that
for non-ASCII bytes; the text proofs ask for an ASCII first character and the ranges for ASCII
bounds. A truncated minimum (a prefix) or maximum (rounded up) still bounds the values.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from valuescout.analytics.schema import (
    MAX_AMOUNT,
    MAX_DATE,
    MAX_QUANTITY,
    MIN_DATE,
    Column,
)

FLOATS = ("DOUBLE", "FLOAT", "REAL")
_NUMBERS = re.compile(
    r"^(DOUBLE|FLOAT|REAL|TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|U\w*INT|DECIMAL)"
)
_CODE = re.compile(r"^[A-Z]{3}$")
DEAL_RANGE_ROWS = 1_000_000  # rows per deal range (a 1M-row range's deal sums stay in cache)


@dataclass(frozen=True, slots=True)
class Chunk:
    """One row group's statistics of one column (None: not recorded)."""

    rows: int
    nulls: int | None
    nans: int | None
    low: str | None
    high: str | None


@dataclass(frozen=True)
class FileStats:
    row_groups: list[int]  # rows per row group, in file order
    columns: dict[str, list[Chunk]]  # per column, one chunk per row group in file order

    @property
    def rows(self) -> int:
        return sum(self.row_groups)


def read(con: duckdb.DuckDBPyConnection, path: Path) -> FileStats | None:
    """The file's row groups and column statistics; None when DuckDB cannot read them."""
    try:
        found = con.execute(
            "SELECT row_group_id, row_group_num_rows, path_in_schema, stats_null_count, "
            "stats_nan_count, stats_min_value, stats_max_value FROM parquet_metadata(?) "
            "ORDER BY row_group_id, column_id",
            [str(path)],
        ).fetchall()
    except duckdb.Error:
        return None
    sizes: dict[int, int] = {}
    columns: dict[str, list[Chunk]] = defaultdict(list)
    for group, rows, name, nulls, nans, low, high in found:
        sizes[int(group)] = int(rows)
        columns[str(name)].append(Chunk(int(rows), nulls, nans, low, high))
    groups = [sizes[g] for g in sorted(sizes)]
    if any(len(chunks) != len(groups) for chunks in columns.values()):
        return None  # nested columns or something else than one chunk per row group
    return FileStats(groups, dict(columns))


def _no_nulls(chunks: list[Chunk]) -> bool:
    return all(c.nulls == 0 for c in chunks if c.rows)


def _number(text: str | None) -> float | None:
    try:
        return None if text is None else float(text)
    except ValueError:
        return None


def _text_proven(chunks: list[Chunk]) -> bool:
    return _no_nulls(chunks) and all(
        c.low is not None and "!" <= c.low[:1] <= "~" for c in chunks if c.rows
    )


def _number_proven(column: Column, kind: str, chunks: list[Chunk]) -> bool:
    if not _NUMBERS.match(kind) or not _no_nulls(chunks):
        return False
    assert column.minimum is not None
    top = MAX_QUANTITY if column.name == "quantity" else MAX_AMOUNT
    for c in chunks:
        if not c.rows:
            continue
        low, high = _number(c.low), _number(c.high)
        if low is None or high is None or not (math.isfinite(low) and math.isfinite(high)):
            return False
        if (low <= column.minimum) if column.exclusive_minimum else (low < column.minimum):
            return False
        if high > top:
            return False
    return True


def _date_proven(kind: str, chunks: list[Chunk]) -> bool:
    if kind != "DATE" or not _no_nulls(chunks):
        return False
    try:
        return all(
            c.low is not None
            and c.high is not None
            and date.fromisoformat(c.low) >= MIN_DATE
            and date.fromisoformat(c.high) <= MAX_DATE
            for c in chunks
            if c.rows
        )
    except ValueError:
        return False


def _currency_proven(kind: str, chunks: list[Chunk]) -> bool:
    if kind != "VARCHAR":
        return False
    for c in chunks:
        if not c.rows or c.nulls == c.rows:
            continue
        if c.low is None or c.low != c.high or not _CODE.match(c.low.strip(" ").upper()):
            return False
    return True


def no_nans(kind: str, chunks: list[Chunk]) -> bool:
    """True when the column cannot hold a NaN: not a float type, or the writer counted none."""
    return not kind.startswith(FLOATS) or all(c.nans == 0 for c in chunks if c.rows)


def proven(column: Column, kind: str, chunks: list[Chunk] | None) -> bool:
    """Whether the statistics prove that no value of the column fails its check (NaN apart:
    see ``no_nans``)."""
    if chunks is None:
        return False
    if column.kind == "text":
        return not column.required or _text_proven(chunks)
    if column.kind == "currency":
        return _currency_proven(kind, chunks)
    if column.kind == "date":
        return _date_proven(kind, chunks)
    return _number_proven(column, kind, chunks)


def deal_ranges(
    stats: FileStats, kind: str, chunks: list[Chunk] | None, rows: int | None = None
) -> list[tuple[int, int]] | None:
    """Runs of whole row groups, [first row, end row) of about ``rows`` rows each, such that
    no opportunity has lines in two runs; None when the statistics cannot show it.

    Shown when the row groups' opportunity intervals rise in file order without overlapping
    (row groups with only blanks or nulls aside: such lines are each their own deal). Values
    are trimmed of spaces in the canonical view, so text bounds must hold no character up to
    the space (" O1" and "O1 " could then be "O1" elsewhere); integers compare as numbers."""
    if chunks is None or len(stats.row_groups) < 2:
        return None
    numeric = kind in ("TINYINT", "SMALLINT", "INTEGER", "BIGINT")
    if not numeric and kind != "VARCHAR":
        return None
    last_number: float | None = None
    last_text: str | None = None
    for c in chunks:
        if not c.rows or c.nulls == c.rows:
            continue
        if c.low is None or c.high is None:
            return None
        if numeric:
            low, high = _number(c.low), _number(c.high)
            if low is None or high is None or (last_number is not None and low <= last_number):
                return None
            last_number = high
        else:
            if not (_plain(c.low) and _plain(c.high)):
                return None
            if last_text is not None and c.low <= last_text:
                return None
            last_text = c.high
    rows = DEAL_RANGE_ROWS if rows is None else rows
    ranges: list[tuple[int, int]] = []
    start = end = 0
    for size in stats.row_groups:
        end += size
        if end - start >= rows:
            ranges.append((start, end))
            start = end
    if end > start:
        ranges.append((start, end))
    return ranges if len(ranges) > 1 else None


def _plain(text: str) -> bool:
    """Printable ASCII without spaces: "!" to "~" only."""
    return bool(text) and all("!" <= ch <= "~" for ch in text)


def rows_view(view: str) -> str:
    """The companion of ``view`` with each line's file row (``__row``, from 0)."""
    return f"_vs_rows_{view}"


def ranges_table(view: str) -> str:
    """The table of ``view``'s deal ranges (``first``, ``stop``), when its file has them."""
    return f"_vs_deal_ranges_{view}"


def define_deal_ranges(
    con: duckdb.DuckDBPyConnection,
    view: str,
    numbered: str,
    stats: FileStats | None,
    source: str,
    found: dict[str, str],
) -> list[tuple[int, int]]:
    """For a Parquet file whose statistics show deal ranges (see ``deal_ranges``): define
    ``rows_view(view)`` as ``numbered`` (the view's lines with ``__row``) and fill
    ``ranges_table(view)``; else neither (a stale table of an earlier file is dropped).
    ``source`` is the file's opportunity column ("" when it has none)."""
    table = ranges_table(view)
    con.execute(f"DROP TABLE IF EXISTS {table}")
    if stats is None or not source:
        return []
    ranges = deal_ranges(stats, found[source], stats.columns.get(source)) or []
    if ranges:
        con.execute(f"CREATE OR REPLACE TEMP VIEW {rows_view(view)} AS {numbered}")
        con.execute(f"CREATE TEMP TABLE {table} (first BIGINT, stop BIGINT)")
        con.executemany(f"INSERT INTO {table} VALUES (?, ?)", ranges)  # noqa: S608
    return ranges
