"""`valuescout analytics ...`: discounts, waterfall, outliers, concentration and pocket price
bands over a transaction-line file (Parquet or CSV), without a database.

Each command opens the file through `analytics.lines.open_lines` (checked whole; a file with
bad rows is refused with the problems by line unless `--exclude-bad`), runs the engine, and
prints only once everything is computed, so an error never leaves half an output. Messages go
to stderr; stdout holds just the table, JSON or CSV. JSON and CSV use the canonical column
names for the group keys (`rep_id`, `customer_id` ...; `month`, `quarter`), money as numbers
rounded to cents, rates as fractions. CSV cells that a spreadsheet would run as a formula
(starting with = + - @, tab or carriage return) get a leading apostrophe: the keys come from
the user's file.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from rich.table import Table

from valuescout.analytics import definitions as defs
from valuescout.analytics import engine
from valuescout.analytics.lines import LineFile, LinesRefused, open_lines
from valuescout.analytics.mapping import IDENTITY, read_mapping
from valuescout.cli.context import console, err_console, fail
from valuescout.core.errors import DomainError

app = typer.Typer(
    help="Discount and margin analytics over a transaction-line file (Parquet or CSV).",
    no_args_is_help=True,
)


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


def _filters(pairs: Sequence[str] | None, option: str) -> dict[str, str | None]:
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


def _dims(names: Sequence[str] | None, option: str) -> list[str]:
    try:
        return [d.name for d in defs.dimensions(names or [])]
    except DomainError as exc:
        fail(f"{option}: {exc.message}.")


@contextmanager
def _errors() -> Iterator[None]:
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


def _open(lines: Path, mapping: Path | None, exclude_bad: bool) -> LineFile:
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


def _echo_json(body: Any) -> None:
    typer.echo(json.dumps(body, indent=2, ensure_ascii=False, default=_number))


def safe_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet will not run: text starting with = + - @ tab or CR gets "'"."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    if value is None:
        return ""
    return _number(value)


def _echo_csv(header: list[str], rows: list[list[Any]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([safe_cell(v) for v in row] for row in rows)
    typer.echo(buffer.getvalue(), nl=False)


def _money(value: Any) -> str:
    return "" if value is None else f"{float(value):,.2f}"


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}%"


def _key(value: Any) -> str:
    return "(none)" if value is None else escape(str(value))


# --- commands ------------------------------------------------------------------------------


def _count(value: Any) -> str:
    return f"{value:,}"


SHOWN: list[tuple[str, str, Callable[[Any], str]]] = [
    ("lines", "lines", _count),
    ("list_revenue", "list revenue", _money),
    ("discount", "discount", _money),
    ("discount_rate", "rate", _pct),
    ("price_realisation", "realisation", _pct),
    ("pocket_revenue", "pocket revenue", _money),
    ("pocket_margin", "pocket margin", _money),
    ("pocket_margin_pct", "margin %", _pct),
]


@app.command("discounts")
def discounts(
    lines: Path = LINES,
    by: list[str] = typer.Option(None, "--by", "-b", help=f"Group by ({DIMS}); repeatable"),
    where: list[str] = WHERE,
    mapping: Path | None = MAPPING,
    exclude_bad: bool = EXCLUDE,
    format: Format = FORMAT,
    limit: int | None = LIMIT,
) -> None:
    """Discount $ and rate, price realisation, pocket revenue and margin per group, largest
    discount first (no --by: one total)."""
    dims = _dims(by, "--by")
    filters = _filters(where, "--where")
    with _errors():
        opened = _open(lines, mapping, exclude_bad)
        grouped = engine.group_by(opened.con, dims, filters, view=opened.view)
    rows = grouped.rows[:limit] if limit else grouped.rows
    if format == Format.JSON:
        _echo_json(rows)
    elif format == Format.CSV:
        _echo_csv(grouped.columns, [[row[c] for c in grouped.columns] for row in rows])
    else:
        table = Table(*grouped.keys, *[label for _, label, _ in SHOWN])
        for row in rows:
            keys = [_key(row[k]) for k in grouped.keys]
            table.add_row(*keys, *[show(row[name]) for name, _, show in SHOWN])
        console.print(table)
        if len(rows) < len(grouped.rows):
            console.print(f"{len(rows):,} of {len(grouped.rows):,} groups.", highlight=False)


@app.command("waterfall")
def waterfall(
    lines: Path = LINES,
    where: list[str] = WHERE,
    compare: list[str] = typer.Option(
        None, "--compare", "-c", help="A second slice: --where with these DIM=VALUE laid over it"
    ),
    mapping: Path | None = MAPPING,
    exclude_bad: bool = EXCLUDE,
    format: Format = FORMAT,
) -> None:
    """The price waterfall (list -> invoice -> pocket -> pocket margin) of a slice, or of two
    slices side by side (--where region=North --compare region=South)."""
    base = _filters(where, "--where")
    other = _filters(compare, "--compare")
    with _errors():
        opened = _open(lines, mapping, exclude_bad)
        if other:
            slices = list(engine.compare_waterfalls(opened.con, base, other, view=opened.view))
        else:
            slices = [engine.slice_waterfall(opened.con, base, view=opened.view)]
    names = [_slice_name(s.filters) for s in slices]
    if format == Format.JSON:
        _echo_json([_waterfall_json(s) for s in slices])
        return
    steps = [s.waterfall.steps() for s in slices]
    if format == Format.CSV:
        rows = [
            [name, step.label, step.amount, step.is_total]
            for name, slice_steps in zip(names, steps, strict=True)
            for step in slice_steps
        ]
        _echo_csv(["slice", "step", "amount", "is_total"], rows)
        return
    table = Table("", *[escape(n) for n in names], title="Price waterfall")
    for i, step in enumerate(steps[0]):
        table.add_row(step.label, *[_money(s[i].amount) for s in steps])
    for label, attr in [
        ("lines", "lines"),
        ("discount rate", "discount_rate"),
        ("price realisation", "price_realisation"),
        ("pocket price realisation", "pocket_price_realisation"),
        ("pocket margin %", "pocket_margin_pct"),
        ("markup on cost", "markup"),
    ]:
        values = [getattr(s.waterfall, attr) for s in slices]
        shown = [f"{v:,}" if attr == "lines" else _pct(v) for v in values]
        table.add_row(label, *shown)
    console.print(table)


def _slice_name(filters: dict[str, str | None]) -> str:
    if not filters:
        return "all lines"
    return ", ".join(f"{k}={'(none)' if v is None else v}" for k, v in filters.items())


def _waterfall_json(s: engine.SliceWaterfall) -> dict[str, Any]:
    w = s.waterfall
    body: dict[str, Any] = {"filters": s.filters}
    for name in w.__dataclass_fields__:
        body[name] = getattr(w, name)
    body["steps"] = [{"label": st.label, "amount": st.amount} for st in w.steps()]
    return body


OUTLIER_COLUMNS = [
    "actor", "status", "lines", "list_revenue", "discount", "rate", "expected_rate", "residual",
    "standard_error", "z", "shrunk_residual", "excess_discount", "money_at_stake",
    "shrunk_money_at_stake", "uncompared_list_revenue",
]  # fmt: skip


@app.command("outliers")
def outliers(
    lines: Path = LINES,
    actor: str = typer.Option("rep", "--actor", help="Whose discounting: rep, approver, manager"),
    where: list[str] = WHERE,
    mapping: Path | None = MAPPING,
    exclude_bad: bool = EXCLUDE,
    format: Format = FORMAT,
    limit: int | None = LIMIT,
) -> None:
    """Each seller's discount rate against what their mix predicts (segment x deal type x
    size band), as a shrunken z-score, with the money at stake, largest excess first."""
    who = _dims([actor], "--actor")[0]
    filters = _filters(where, "--where")
    with _errors():
        opened = _open(lines, mapping, exclude_bad)
        report = engine.outliers(opened.con, who, filters, view=opened.view)
    actors = report.actors[:limit] if limit else report.actors
    rows = [{c: getattr(a, c) for c in OUTLIER_COLUMNS} for a in actors]
    if format == Format.JSON:
        _echo_json(
            {
                "actor": defs.dimension(who).key,
                "sigma": report.sigma,
                "tau": report.tau,
                "excluded_from_peers": report.excluded_from_peers,
                "unbenchmarked": report.unbenchmarked,
                "actors": rows,
            }
        )
        return
    if format == Format.CSV:
        _echo_csv(OUTLIER_COLUMNS, [[r[c] for c in OUTLIER_COLUMNS] for r in rows])
        return
    table = Table(
        defs.dimension(who).key, "status", "lines", "list revenue", "rate", "peer rate",
        "residual", "z", "shrunk", "money at stake",
    )  # fmt: skip
    for a in actors:
        table.add_row(
            _key(a.actor),
            a.status,
            f"{a.lines:,}",
            _money(a.list_revenue),
            _pct(a.rate),
            _pct(a.expected_rate),
            _pct(a.residual),
            "" if a.z is None else f"{a.z:.1f}",
            _pct(a.shrunk_residual),
            _money(a.money_at_stake),
        )
    console.print(table)
    flagged = sum(1 for a in report.actors if a.status == "flag")
    console.print(
        f"{flagged} flagged (|z| >= 3), {len(report.actors):,} compared; "
        f"line noise sigma {_pct(report.sigma)}, between-seller tau {_pct(report.tau)}.",
        highlight=False,
    )


@app.command("concentration")
def concentration(
    lines: Path = LINES,
    across: list[str] = typer.Option(
        None, "--across", help="Dimensions to measure (default: customer and rep)"
    ),
    where: list[str] = WHERE,
    mapping: Path | None = MAPPING,
    exclude_bad: bool = EXCLUDE,
    format: Format = FORMAT,
    top: int = typer.Option(5, "--top", min=1, max=1000, help="How many largest items to list"),
) -> None:
    """How discount dollars concentrate: Gini, top-decile share, Lorenz curve and the largest
    items, across customers and across sellers."""
    dims = _dims(across or ["customer", "rep"], "--across")
    filters = _filters(where, "--where")
    with _errors():
        opened = _open(lines, mapping, exclude_bad)
        sides = engine.concentration(opened.con, dims, filters, view=opened.view, top=top)
    if format == Format.JSON:
        _echo_json(
            [
                {
                    "dimension": defs.dimension(s.dimension).key,
                    "items": s.items,
                    "discount": s.discount,
                    "gini": s.gini,
                    "top_decile_share": s.top_decile_share,
                    "top": [{"item": k, "discount": v} for k, v in s.top],
                    "lorenz": [list(p) for p in s.lorenz],
                }
                for s in sides
            ]
        )
        return
    if format == Format.CSV:
        header = ["dimension", "items", "discount", "gini", "top_decile_share", "rank", "item"]
        rows = [
            [
                *(defs.dimension(s.dimension).key, s.items, s.discount),
                *(s.gini, s.top_decile_share, rank, item, amount),
            ]
            for s in sides
            for rank, (item, amount) in enumerate(s.top, start=1)
        ]
        _echo_csv([*header, "item_discount"], rows)
        return
    table = Table("across", "items", "discount $", "Gini", "top 10% share", "largest")
    for s in sides:
        largest = ", ".join(f"{escape(k)} {_money(v)}" for k, v in s.top)
        table.add_row(
            s.dimension,
            f"{s.items:,}",
            _money(s.discount),
            f"{s.gini:.3f}",
            _pct(s.top_decile_share),
            largest,
        )
    console.print(table)


@app.command("bands")
def bands(
    lines: Path = LINES,
    where: list[str] = WHERE,
    mapping: Path | None = MAPPING,
    exclude_bad: bool = EXCLUDE,
    format: Format = FORMAT,
    limit: int | None = LIMIT,
) -> None:
    """The pocket price band per product: pocket price as a share of list, weighted by units
    (percentiles to 0.1 point), most units first."""
    filters = _filters(where, "--where")
    with _errors():
        opened = _open(lines, mapping, exclude_bad)
        found = engine.product_bands(opened.con, filters, view=opened.view)
    ordered = sorted(found.items(), key=lambda kv: (-kv[1].volume, kv[0]))
    ordered = ordered[:limit] if limit else ordered
    fields = ["points", "volume", "mean", "minimum", "p10", "p25", "p50", "p75", "p90", "maximum"]
    rows = [
        {"product_id": p, **{f: getattr(b, f) for f in fields}, "width": b.width}
        for p, b in ordered
    ]
    columns = ["product_id", *fields, "width"]
    if format == Format.JSON:
        _echo_json(rows)
    elif format == Format.CSV:
        _echo_csv(columns, [[r[c] for c in columns] for r in rows])
    else:
        table = Table("product_id", "units", "P10", "P50", "P90", "width (P90-P10)", "min", "max")
        for r in rows:
            table.add_row(
                escape(r["product_id"]),
                f"{r['volume']:,.0f}",
                *[_pct(r[c]) for c in ("p10", "p50", "p90", "width", "minimum", "maximum")],
            )
        console.print(table)
