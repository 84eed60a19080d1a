"""Input and output of the `valuescout analytics` commands: options, DIM=VALUE filters, the
file opened with its errors reported, and table / JSON / CSV rendering helpers."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape

from valuescout.analytics import definitions as defs
from valuescout.analytics.lines import LineFile, LinesRefused, open_lines
from valuescout.analytics.mapping import IDENTITY, read_mapping
from valuescout.cli.context import err_console, fail
from valuescout.core.errors import DomainError
from valuescout.core.text import spreadsheet_safe


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"


LINES = typer.Option(..., "--lines", "-l", help="The transaction-line file (Parquet or CSV)")
MAPPING = typer.Option(None, "--mapping", "-m", help="A YAML mapping of the file's columns")
EXCLUDE = typer.Option(
    False, "--exclude-bad", help="Leave out the rows with bad values (they are counted) "
    "instead of refusing the file",
)  # fmt: skip
FORMAT = typer.Option(Format.TABLE, "--format", "-f", help="table, json or csv")
WHERE = typer.Option(
    None, "--where", "-w", help="Only lines with DIM=VALUE (repeatable; DIM= means no value)"
)
LIMIT = typer.Option(None, "--limit", min=1, help="At most this many rows, largest first")
DIMS = ", ".join(defs.DIMENSION_NAMES)
MAX_SHOWN_PROBLEMS = 20


# --- input ---------------------------------------------------------------------------------


def parse_filters(pairs: Sequence[str] | None, option: str) -> dict[str, str | None]:
    """DIM=VALUE pairs -> {dimension: value}; an empty value means "no value" (NULL)."""
    out: dict[str, str | None] = {}
    for pair in pairs or []:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            fail(f"{option} {pair!r}: write DIM=VALUE, with DIM one of {DIMS}.")
        try:
            dim = defs.dimension(name)
        except DomainError as exc:
            fail(f"{option} {pair!r}: {exc.message}.")
        out[dim.name] = value if value != "" else None
    return out


def parse_dims(names: Sequence[str] | None, option: str) -> list[str]:
    try:
        return [d.name for d in defs.dimensions(names or [])]
    except DomainError as exc:
        fail(f"{option}: {exc.message}.")


@contextmanager
def domain_errors() -> Iterator[None]:
    """Domain errors from the file or the engine -> a clear message, exit 1."""
    try:
        yield
    except LinesRefused as exc:
        err_console.print(f"[bold red]Error:[/] {escape(exc.message)}", highlight=False)
        for problem in exc.problems[:MAX_SHOWN_PROBLEMS]:
            err_console.print(f"  {escape(str(problem))}", highlight=False)
        more = exc.problem_count - min(len(exc.problems), MAX_SHOWN_PROBLEMS)
        if more > 0:
            err_console.print(f"  ... and {more:,} more problems.", highlight=False)
        if exc.bad_rows and exc.rows:
            err_console.print(
                "  Fix the file, or use --exclude-bad to leave those rows out.", highlight=False
            )
        raise typer.Exit(1) from None
    except DomainError as exc:
        details = "".join(f"\n  {escape(d)}" for d in (exc.details or [])[:MAX_SHOWN_PROBLEMS])
        fail(escape(exc.message) + details)


def open_file(lines: Path, mapping: Path | None, exclude_bad: bool) -> LineFile:
    chosen = IDENTITY
    if mapping is not None:
        try:
            chosen = read_mapping(mapping)
        except (OSError, UnicodeDecodeError) as exc:
            fail(escape(f"{mapping}: cannot read the mapping file ({exc})."))
    with err_console.status(f"Checking {escape(lines.name)} ..."):
        opened = open_lines(lines, mapping=chosen, on_bad="exclude" if exclude_bad else "refuse")
    if opened.bad_rows:
        unit = "rows" if opened.format == "parquet" else "lines"
        err_console.print(
            f"Left out {opened.bad_rows:,} of {opened.rows:,} {unit} with bad values "
            f"({opened.problem_count:,} problems); first: {escape(str(opened.problems[0]))}",
            highlight=False,
        )
    return opened


# --- output --------------------------------------------------------------------------------


def _number(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    return value


def echo_json(body: Any) -> None:
    typer.echo(json.dumps(body, indent=2, ensure_ascii=False, default=_number))


def safe_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet will not run: text starting with = + - @ tab or CR gets "'"."""
    if isinstance(value, str):
        return spreadsheet_safe(value)
    if value is None:
        return ""
    return _number(value)


def echo_csv(header: list[str], rows: list[list[Any]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([safe_cell(v) for v in row] for row in rows)
    typer.echo(buffer.getvalue(), nl=False)


def money(value: Any) -> str:
    return "" if value is None else f"{float(value):,.2f}"


def pct(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}%"


def key_text(value: Any) -> str:
    return "(none)" if value is None else escape(str(value))
