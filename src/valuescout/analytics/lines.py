"""Open a transaction-line file (Parquet or CSV, any size) as a DuckDB view in canonical terms.

Nothing is loaded into Python: DuckDB scans the file, in SQL, with a memory limit. Opening a
file checks every row once (one aggregate scan) and reports each bad value by where it is
(CSV: the file's line, the header is line 1; Parquet: the row, the first is row 1), its
column and the reason. Nothing is dropped silently: by default a file with any bad row is
refused (the error lists the first problems and the totals); with `on_bad="exclude"` the view
leaves out exactly the reported rows, and `LineFile` says how many.

CSV files whose structure is broken (a row with too few or too many fields, an unterminated
quote, bytes that are not UTF-8) are refused in both modes, with every such line: reading
around them would shift values into the wrong columns. A quoted value that spans lines counts
as one line here (the line number is the record's, header = 1).
"""

from __future__ import annotations

import csv
import itertools
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import duckdb

from valuescout.analytics import parquet_stats
from valuescout.analytics.lines_checks import expressions, locate, sql_literal
from valuescout.analytics.mapping import IDENTITY, LineMapping
from valuescout.core.errors import Invalid

OnBad = Literal["refuse", "exclude"]

# Checking 10M lines peaks at ~130 MiB RSS (Parquet), ~250 MiB (CSV) with these (bench/README.md).
MEMORY_LIMIT = "384MB"
THREADS = 2
NO_NETWORK = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
}
_counter = itertools.count(1)
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")  # SQL below is built from our names only


def connect(
    memory_limit: str = MEMORY_LIMIT, threads: int = THREADS, temp_directory: str | None = None
) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB that loads no extension from anywhere (Parquet/CSV are built in)."""
    config: dict[str, str | bool | int | float | list[str]] = {
        **NO_NETWORK,
        "memory_limit": memory_limit,
        "threads": threads,
        "preserve_insertion_order": False,
    }
    if temp_directory is not None:
        config["temp_directory"] = temp_directory
    con = duckdb.connect(":memory:", config=config)
    con.execute("SET enable_progress_bar = false")  # a library prints nothing
    return con


@dataclass(frozen=True, slots=True)
class LineProblem:
    """A bad value: which file, which line (CSV) or row (Parquet), which column, and why."""

    file: str
    line: int | None
    column: str
    message: str
    unit: str = "line"  # line (CSV) | row (Parquet)

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}, {self.unit} {self.line}"
        column = f", column {self.column!r}" if self.column else ""
        return f"{where}{column}: {self.message}"


class LinesRefused(Invalid):
    """The file cannot be used as it is; `problems` are the first ones, with the totals."""

    def __init__(
        self,
        message: str,
        problems: list[LineProblem],
        *,
        problem_count: int = 0,
        bad_rows: int = 0,
        rows: int = 0,
    ) -> None:
        super().__init__(message, details=[str(p) for p in problems])
        self.problems = problems
        self.problem_count = problem_count or len(problems)
        self.bad_rows = bad_rows
        self.rows = rows


@dataclass
class LineFile:
    """A validated file: `view` names the canonical view of its good lines in `con`."""

    con: duckdb.DuckDBPyConnection
    path: Path
    format: str  # csv | parquet
    view: str
    rows: int  # every data row in the file
    bad_rows: int  # rows with at least one problem (left out of `view`)
    problem_count: int
    problems: list[LineProblem]  # the first ones, by line
    by_column: dict[str, int] = field(default_factory=dict)  # bad rows per column
    # Parquet: checks the file's statistics proved (not run on the rows), and the runs of
    # file rows [first, end) that no opportunity crosses (see parquet_stats.deal_ranges).
    proven: list[str] = field(default_factory=list)
    deal_ranges: list[tuple[int, int]] = field(default_factory=list)

    @property
    def good_rows(self) -> int:
        return self.rows - self.bad_rows

    def relation(self) -> duckdb.DuckDBPyRelation:
        return self.con.table(self.view)


def open_lines(
    path: str | Path,
    *,
    con: duckdb.DuckDBPyConnection | None = None,
    mapping: LineMapping = IDENTITY,
    on_bad: OnBad = "refuse",
    max_problems: int = 50,
    view: str = "lines",
) -> LineFile:
    """Check the whole file and define `view` (canonical names and types) over it."""
    path = Path(path)
    if not _NAME.match(view):
        raise Invalid(f"view name {view!r}: use letters, digits and _", field="view")
    if not path.is_file():
        raise Invalid(f"{path}: no such file", field="lines")
    con = con if con is not None else connect()
    kind = _format(path)
    unit = "row" if kind == "parquet" else "line"
    header = _csv_header(path, mapping.delimiter) if kind == "csv" else []
    source = _source_sql(path, kind, mapping, header)
    found = {name: "VARCHAR" for name in header} if kind == "csv" else _columns(con, path, source)
    stats = parquet_stats.read(con, path) if kind == "parquet" else None
    located, missing = locate(found, mapping)
    if missing:
        raise LinesRefused(
            f"{path.name}: required columns missing: {', '.join(missing)}. "
            f"The file has: {', '.join(found) or 'no columns'}",
            [],
        )
    exprs = expressions(located, found, mapping, stats)
    tag = next(_counter)
    checked = f"_vs_checked_{tag}"
    row_of = "file_row_number" if kind == "parquet" else "ordinality"
    select = ",\n  ".join(
        [f"{row_of} + 1 AS __line", f"{row_of} AS __row"]
        + [f"{e.typed} AS {e.column.name}" for e in exprs]
        + [f"{e.reason} AS __why_{e.column.name}" for e in exprs]
    )
    con.execute(f"CREATE OR REPLACE TEMP VIEW {checked} AS SELECT\n  {select}\nFROM {source}")
    whys = [f"__why_{e.column.name}" for e in exprs]
    bad = " OR ".join(f"{w} IS NOT NULL" for w in whys)
    counts = ", ".join(f"count({w})" for w in whys)
    try:
        row = con.execute(
            f"SELECT count(*), count(*) FILTER (WHERE {bad}), {counts} FROM {checked}"  # noqa: S608
        ).fetchone()
    except duckdb.InvalidInputException as exc:
        if kind != "csv":
            raise Invalid(f"{path.name}: cannot read the file ({_first_line(exc)})") from None
        raise _broken_csv(con, path, mapping, header, max_problems, exc) from None
    assert row is not None
    rows, bad_rows = int(row[0]), int(row[1])
    by_column = {e.column.name: int(n) for e, n in zip(exprs, row[2:], strict=True) if n}
    problems: list[LineProblem] = []
    if bad_rows:
        first = con.execute(
            f"SELECT __line, {', '.join(whys)} FROM {checked} WHERE {bad} "  # noqa: S608
            f"ORDER BY __line LIMIT {int(max_problems)}"
        ).fetchall()
        for line, *reasons in first:
            for e, reason in zip(exprs, reasons, strict=True):
                if reason is not None and len(problems) < max_problems:
                    problems.append(LineProblem(path.name, int(line), e.source, str(reason), unit))
    problem_count = sum(by_column.values())
    if bad_rows and on_bad == "refuse":
        raise LinesRefused(
            f"{path.name}: {bad_rows:,} of {rows:,} {unit}s have bad values "
            f"({problem_count:,} problems); nothing was used. First: {problems[0]}",
            problems,
            problem_count=problem_count,
            bad_rows=bad_rows,
            rows=rows,
        )
    names = ", ".join(e.column.name for e in exprs)
    where = f" WHERE NOT ({bad})" if bad_rows else ""
    sql = f"CREATE OR REPLACE TEMP VIEW {view} AS SELECT {names} FROM {checked}{where}"  # noqa: S608
    con.execute(sql)
    source = next(e.source for e in exprs if e.column.name == "opportunity_id")
    numbered = f"SELECT __row, {names} FROM {checked}{where}"  # noqa: S608
    ranges = parquet_stats.define_deal_ranges(con, view, numbered, stats, source, found)
    return LineFile(
        con,
        path,
        kind,
        view,
        rows,
        bad_rows,
        problem_count,
        problems,
        by_column=by_column,
        proven=[e.column.name for e in exprs if e.proven],
        deal_ranges=ranges,
    )


# --- the source --------------------------------------------------------------------------


def _format(path: Path) -> str:
    with path.open("rb") as f:
        magic = f.read(4)
    return "parquet" if magic == b"PAR1" else "csv"


def _csv_header(path: Path, delimiter: str) -> list[str]:
    """The header line, read here so that DuckDB needs no sniffing (all values are text)."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            header = next(csv.reader(f, delimiter=delimiter), [])
    except (UnicodeDecodeError, csv.Error) as exc:
        raise Invalid(f"{path.name}: cannot read the header line ({exc})") from None
    names = [name.strip() for name in header]
    if not any(names):
        raise Invalid(f"{path.name}: the file is empty (line 1 must name the columns)")
    blank = [str(i + 1) for i, name in enumerate(names) if not name]
    counts = Counter(n.lower() for n in names if n)
    twice = sorted({n for n in names if n and counts[n.lower()] > 1})
    if blank or twice:
        why = [f"column {', '.join(blank)} has no name"] if blank else []
        why += [f"named twice: {', '.join(twice)}"] if twice else []
        raise Invalid(f"{path.name}, line 1: {'; '.join(why)}")
    return names


def _read_csv(path: Path, mapping: LineMapping, header: list[str], extra: str = "") -> str:
    columns = ", ".join(f"{sql_literal(name)}: 'VARCHAR'" for name in header)
    return (
        f"read_csv({sql_literal(str(path))}, header = true, auto_detect = false, "
        f"columns = {{{columns}}}, delim = {sql_literal(mapping.delimiter)}, quote = '\"', "
        f"escape = '\"'{extra})"
    )


def _source_sql(path: Path, kind: str, mapping: LineMapping, header: list[str]) -> str:
    if kind == "parquet":
        return f"read_parquet({sql_literal(str(path))}, file_row_number = true)"
    return f"{_read_csv(path, mapping, header)} WITH ORDINALITY"


def _columns(con: duckdb.DuckDBPyConnection, path: Path, source: str) -> dict[str, str]:
    """The file's columns and their types."""
    try:
        described = con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()  # noqa: S608
    except duckdb.Error as exc:
        raise Invalid(f"{path.name}: cannot read the file ({_first_line(exc)})") from None
    return {
        str(name): str(kind)
        for name, kind, *_ in described
        if name not in ("file_row_number", "ordinality")
    }


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


# --- broken CSV structure ----------------------------------------------------------------


def _broken_csv(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    mapping: LineMapping,
    header: list[str],
    max_problems: int,
    exc: Exception,
) -> LinesRefused:
    """Every structural error of the file, from DuckDB's rejects table, with its line."""
    tag = next(_counter)
    scan, errors = f"_vs_reject_scans_{tag}", f"_vs_reject_errors_{tag}"
    try:
        extra = f", store_rejects = true, rejects_scan = '{scan}', rejects_table = '{errors}'"
        scan_sql = f"SELECT count(*) FROM {_read_csv(path, mapping, header, extra)}"  # noqa: S608
        con.execute(scan_sql).fetchall()
        found = con.execute(
            f"SELECT (SELECT count(DISTINCT line) FROM {errors}), count(*) OVER (), line, "  # noqa: S608
            f"coalesce(column_name, ''), error_type, "
            f"error_message FROM {errors} ORDER BY line, column_idx LIMIT {int(max_problems)}"
        ).fetchall()
    except duckdb.Error:
        found = []
    if not found:
        problem = LineProblem(path.name, None, "", f"cannot read the file ({_first_line(exc)})")
        return LinesRefused(f"{path.name}: {problem.message}; nothing was used.", [problem])
    problems = [
        LineProblem(path.name, int(line), str(col), f"{kind.lower()}: {_first_line(Exception(m))}")
        for _, _, line, col, kind, m in found
    ]
    lines, total = int(found[0][0]), int(found[0][1])
    return LinesRefused(
        f"{path.name}: {lines:,} lines cannot be read as CSV rows (the file's structure is "
        f"broken); nothing was used. First: {problems[0]}",
        problems,
        problem_count=total,
        bad_rows=lines,
    )
