"""`valuescout analytics ...`: discounts, waterfall, outliers, concentration and pocket price
bands over a transaction-line file (Parquet or CSV), without a database; `report` writes all
of them as one HTML file (`cli/analytics_report.py`).

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

from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from rich.table import Table

from valuescout.analytics import definitions as defs
from valuescout.analytics import engine
from valuescout.cli import analytics_report
from valuescout.cli.analytics_io import (
    DIMS,
    EXCLUDE,
    FORMAT,
    LIMIT,
    LINES,
    MAPPING,
    WHERE,
    Format,
    domain_errors,
    echo_csv,
    echo_json,
    key_text,
    money,
    open_file,
    parse_dims,
    parse_filters,
    pct,
)
from valuescout.cli.context import console

app = typer.Typer(
    help="Discount and margin analytics over a transaction-line file (Parquet or CSV).",
    no_args_is_help=True,
)
# The HTML report lives in its own module (cli/analytics_report.py).
app.command("report")(analytics_report.report)


# --- commands ------------------------------------------------------------------------------


def _count(value: Any) -> str:
    return f"{value:,}"


SHOWN: list[tuple[str, str, Callable[[Any], str]]] = [
    ("lines", "lines", _count),
    ("list_revenue", "list revenue", money),
    ("discount", "discount", money),
    ("discount_rate", "rate", pct),
    ("price_realisation", "realisation", pct),
    ("pocket_revenue", "pocket revenue", money),
    ("pocket_margin", "pocket margin", money),
    ("pocket_margin_pct", "margin %", pct),
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
    dims = parse_dims(by, "--by")
    filters = parse_filters(where, "--where")
    with domain_errors():
        opened = open_file(lines, mapping, exclude_bad)
        grouped = engine.group_by(opened.con, dims, filters, view=opened.view)
    rows = grouped.rows[:limit] if limit else grouped.rows
    if format == Format.JSON:
        echo_json(rows)
    elif format == Format.CSV:
        echo_csv(grouped.columns, [[row[c] for c in grouped.columns] for row in rows])
    else:
        table = Table(*grouped.keys, *[label for _, label, _ in SHOWN])
        for row in rows:
            keys = [key_text(row[k]) for k in grouped.keys]
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
    base = parse_filters(where, "--where")
    other = parse_filters(compare, "--compare")
    with domain_errors():
        opened = open_file(lines, mapping, exclude_bad)
        if other:
            slices = list(engine.compare_waterfalls(opened.con, base, other, view=opened.view))
        else:
            slices = [engine.slice_waterfall(opened.con, base, view=opened.view)]
    names = [_slice_name(s.filters) for s in slices]
    if format == Format.JSON:
        echo_json([_waterfall_json(s) for s in slices])
        return
    steps = [s.waterfall.steps() for s in slices]
    if format == Format.CSV:
        rows = [
            [name, step.label, step.amount, step.is_total]
            for name, slice_steps in zip(names, steps, strict=True)
            for step in slice_steps
        ]
        echo_csv(["slice", "step", "amount", "is_total"], rows)
        return
    table = Table("", *[escape(n) for n in names], title="Price waterfall")
    for i, step in enumerate(steps[0]):
        table.add_row(step.label, *[money(s[i].amount) for s in steps])
    for label, attr in [
        ("lines", "lines"),
        ("discount rate", "discount_rate"),
        ("price realisation", "price_realisation"),
        ("pocket price realisation", "pocket_price_realisation"),
        ("pocket margin %", "pocket_margin_pct"),
        ("markup on cost", "markup"),
    ]:
        values = [getattr(s.waterfall, attr) for s in slices]
        shown = [f"{v:,}" if attr == "lines" else pct(v) for v in values]
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
    who = parse_dims([actor], "--actor")[0]
    filters = parse_filters(where, "--where")
    with domain_errors():
        opened = open_file(lines, mapping, exclude_bad)
        report = engine.outliers(opened.con, who, filters, view=opened.view)
    actors = report.actors[:limit] if limit else report.actors
    rows = [{c: getattr(a, c) for c in OUTLIER_COLUMNS} for a in actors]
    if format == Format.JSON:
        echo_json(
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
        echo_csv(OUTLIER_COLUMNS, [[r[c] for c in OUTLIER_COLUMNS] for r in rows])
        return
    table = Table(
        defs.dimension(who).key, "status", "lines", "list revenue", "rate", "peer rate",
        "residual", "z", "shrunk", "money at stake",
    )  # fmt: skip
    for a in actors:
        table.add_row(
            key_text(a.actor),
            a.status,
            f"{a.lines:,}",
            money(a.list_revenue),
            pct(a.rate),
            pct(a.expected_rate),
            pct(a.residual),
            "" if a.z is None else f"{a.z:.1f}",
            pct(a.shrunk_residual),
            money(a.money_at_stake),
        )
    console.print(table)
    flagged = sum(1 for a in report.actors if a.status == "flag")
    console.print(
        f"{flagged} flagged (|z| >= 3), {len(report.actors):,} compared; "
        f"line noise sigma {pct(report.sigma)}, between-seller tau {pct(report.tau)}.",
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
    dims = parse_dims(across or ["customer", "rep"], "--across")
    filters = parse_filters(where, "--where")
    with domain_errors():
        opened = open_file(lines, mapping, exclude_bad)
        sides = engine.concentration(opened.con, dims, filters, view=opened.view, top=top)
    if format == Format.JSON:
        echo_json(
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
        echo_csv([*header, "item_discount"], rows)
        return
    table = Table("across", "items", "discount $", "Gini", "top 10% share", "largest")
    for s in sides:
        largest = ", ".join(f"{escape(k)} {money(v)}" for k, v in s.top)
        table.add_row(
            s.dimension,
            f"{s.items:,}",
            money(s.discount),
            f"{s.gini:.3f}",
            pct(s.top_decile_share),
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
    filters = parse_filters(where, "--where")
    with domain_errors():
        opened = open_file(lines, mapping, exclude_bad)
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
        echo_json(rows)
    elif format == Format.CSV:
        echo_csv(columns, [[r[c] for c in columns] for r in rows])
    else:
        table = Table("product_id", "units", "P10", "P50", "P90", "width (P90-P10)", "min", "max")
        for r in rows:
            table.add_row(
                escape(r["product_id"]),
                f"{r['volume']:,.0f}",
                *[pct(r[c]) for c in ("p10", "p50", "p90", "width", "minimum", "maximum")],
            )
        console.print(table)
