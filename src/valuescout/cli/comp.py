"""`valuescout comp simulate`: replay a period's transaction lines under compensation plans.

With one plan: the payout per seller and its parts, and the totals. With two or more: each
plan's cost of sales and company margin, and who gains or loses switching from the first plan
to each other one. Needs no database. A bad plan or quota file is refused with every problem
and its line; a line file with bad values is refused with its problems (exit 1).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from rich.table import Table

from valuescout.analytics.compensation import (
    Comparison,
    Payout,
    Plan,
    PlanResult,
    SellerChange,
    Switch,
    band_edges,
    compare,
)
from valuescout.analytics.compensation_data import seller_sums
from valuescout.analytics.compensation_yaml import PlanError, parse_plan, parse_quotas
from valuescout.analytics.lines import LinesRefused, open_lines
from valuescout.analytics.mapping import IDENTITY, MappingError, read_mapping
from valuescout.cli.context import console, err_console, fail
from valuescout.core.errors import Invalid

app = typer.Typer(help="Sales compensation plans: simulate and compare.", no_args_is_help=True)


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"


def _read(path: Path, what: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"{escape(str(path))}: cannot read the {what} ({escape(str(exc))}).", code=2)


def _problems(header: str, problems: list[str]) -> None:
    err_console.print(f"[bold red]Error:[/] {escape(header)}", highlight=False)
    for problem in problems:
        err_console.print(f"  {escape(problem)}", highlight=False)


def _plans(paths: list[Path]) -> list[Plan]:
    plans: list[Plan] = []
    bad = False
    for path in paths:
        try:
            plans.append(parse_plan(_read(path, "plan"), path.name))
        except PlanError as exc:
            n = len(exc.problems)
            _problems(
                f"{path}: the plan is not valid ({n} problem{'s' if n != 1 else ''}).",
                [f"line {line}: {text}" for line, text in exc.problems],
            )
            bad = True
    if bad:
        raise typer.Exit(1)
    return plans


@app.command("simulate")
def simulate(
    plan: list[Path] = typer.Option(
        ..., "--plan", "-p", help="A plan's YAML file; give two or more to compare them"
    ),
    lines: Path = typer.Option(..., "--lines", help="Transaction lines (Parquet or CSV)"),
    mapping: Path | None = typer.Option(None, "--mapping", help="Column mapping (YAML)"),
    quota_file: Path | None = typer.Option(
        None, "--quota-file", help="CSV with seller and quota columns (overrides the plans)"
    ),
    start: datetime | None = typer.Option(
        None, "--from", formats=["%Y-%m-%d"], help="The period's first invoice date"
    ),
    end: datetime | None = typer.Option(
        None, "--to", formats=["%Y-%m-%d"], help="The period's last invoice date (included)"
    ),
    format: Format = typer.Option(Format.TABLE, "--format", "-f", help="table or json"),
) -> None:
    """Payout per seller under each plan, the cost of sales and the company's margin after
    commissions; with several plans, who gains and who loses switching from the first."""
    first, last = (None if d is None else d.date() for d in (start, end))
    if first is not None and last is not None and first > last:
        fail(f"--from {first} is after --to {last}.", code=2)
    plans = _plans(plan)
    quotas: dict[str, Decimal] | None = None
    if quota_file is not None:
        try:
            quotas = parse_quotas(_read(quota_file, "quota file"), quota_file.name)
        except PlanError as exc:
            _problems(f"{quota_file}: the quota file is not valid.", exc.details or [])
            raise typer.Exit(1) from None
    line_mapping = IDENTITY
    if mapping is not None:
        try:
            line_mapping = read_mapping(mapping)
        except MappingError as exc:
            _problems(f"{mapping}: the mapping is not valid.", exc.problems)
            raise typer.Exit(1) from None
        except (OSError, UnicodeDecodeError) as exc:
            fail(f"{escape(str(mapping))}: cannot read the mapping ({escape(str(exc))}).", 2)
    try:
        opened = open_lines(lines, mapping=line_mapping)
    except LinesRefused as exc:
        _problems(exc.message, [str(p) for p in exc.problems])
        if exc.problem_count > len(exc.problems):
            err_console.print(f"  ... {exc.problem_count:,} problems in all.", highlight=False)
        raise typer.Exit(1) from None
    except Invalid as exc:
        fail(escape(exc.message))
    try:
        sellers = seller_sums(opened.con, band_edges(plans), opened.view, start=first, end=last)
    finally:
        opened.con.close()
    result = compare(plans, sellers, quotas)
    if format == Format.JSON:
        out = {"period": {"from": _iso(first), "to": _iso(last)}, **_json(result, opened.rows)}
        typer.echo(json.dumps(out, indent=2, ensure_ascii=False))
        return
    period = f", invoiced {first or '...'} to {last or '...'}" if first or last else ""
    console.print(
        f"{opened.rows:,} lines in {escape(lines.name)}{period}: "
        f"{len(sellers):,} seller{'s' if len(sellers) != 1 else ''}.",
        highlight=False,
    )
    if len(result.results) == 1:
        _render_one(result.results[0])
    else:
        _render_many(result)


# --- rendering -----------------------------------------------------------------------------


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _money(value: Decimal) -> str:
    return f"{value:,.2f}"


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


_COLUMNS: list[tuple[str, Callable[[Payout], str], bool]] = [
    # (header, cell, always shown); a part that is 0 or unknown for every seller is left out
    ("seller", lambda p: escape(p.seller), True),
    ("deals", lambda p: f"{p.deals:,}", True),
    ("invoice revenue", lambda p: _money(p.invoice_revenue), True),
    ("pocket margin", lambda p: _money(p.pocket_margin), True),
    ("discount", lambda p: _pct(p.discount_rate), True),
    ("attainment", lambda p: _pct(p.attainment) if p.attainment is not None else "", False),
    (
        "revenue comm.",
        lambda p: _money(p.revenue_commission) if p.revenue_commission else "",
        False,
    ),
    ("margin comm.", lambda p: _money(p.margin_commission) if p.margin_commission else "", False),
    (
        "discount tiers",
        lambda p: _signed(p.discount_adjustment) if p.discount_adjustment else "",
        False,
    ),
    ("accelerator", lambda p: _signed(p.accelerator) if p.accelerator else "", False),
    ("cap/floor", lambda p: _signed(p.cap_floor) if p.cap_floor else "", False),
    ("payout", lambda p: _money(p.payout), True),
]


def _render_one(res: PlanResult) -> None:
    cells = [[cell(p) for p in res.sellers] for _, cell, _ in _COLUMNS]
    shown = [i for i, (_, _, always) in enumerate(_COLUMNS) if always or any(cells[i])]
    table = Table(*[_COLUMNS[i][0] for i in shown], title=f"Plan: {escape(res.plan)}")
    for row in range(len(res.sellers)):
        table.add_row(*[cells[i][row] for i in shown])
    console.print(table)
    _render_totals([res])


def _render_totals(results: list[PlanResult]) -> None:
    table = Table("plan", "total payout", "of invoice revenue", "pocket margin", "company margin")
    for r in results:
        table.add_row(
            escape(r.plan),
            _money(r.total_payout),
            _pct(r.cost_of_sales_rate),
            _money(r.pocket_margin),
            _money(r.company_margin),
        )
    console.print(table)


def _render_many(result: Comparison) -> None:
    names = [r.plan for r in result.results]
    table = Table("seller", *[escape(n) for n in names], title="Payout per seller")
    payouts = [{p.seller: p.payout for p in r.sellers} for r in result.results]
    for seller in sorted(payouts[0]):
        table.add_row(escape(seller), *[_money(p.get(seller, Decimal(0))) for p in payouts])
    console.print(table)
    _render_totals(list(result.results))
    for move in result.switches:
        console.print(
            f"From [bold]{escape(move.before)}[/] to [bold]{escape(move.after)}[/]: "
            f"{len(move.winners)} gain, {len(move.losers)} lose; payouts "
            f"{_signed(move.total_change)}, company margin {_signed(move.company_margin_change)}.",
            highlight=False,
        )
        changes = Table("seller", "before", "after", "change")
        for c in [*move.winners, *move.losers]:
            changes.add_row(escape(c.seller), _money(c.before), _money(c.after), _signed(c.change))
        if changes.row_count:
            console.print(changes)


def _signed(value: Decimal) -> str:
    return f"{value:+,.2f}"


def _payout_json(p: Payout) -> dict[str, Any]:
    return {
        "seller": p.seller,
        "deals": p.deals,
        "invoice_revenue": str(p.invoice_revenue),
        "pocket_revenue": str(p.pocket_revenue),
        "pocket_margin": str(p.pocket_margin),
        "discount_rate": p.discount_rate,
        "quota": None if p.quota is None else str(p.quota),
        "attainment": p.attainment,
        "revenue_commission": str(p.revenue_commission),
        "margin_commission": str(p.margin_commission),
        "discount_adjustment": str(p.discount_adjustment),
        "accelerator": str(p.accelerator),
        "cap_floor": str(p.cap_floor),
        "payout": str(p.payout),
    }


def _change_json(c: SellerChange) -> dict[str, str]:
    return {
        "seller": c.seller,
        "before": str(c.before),
        "after": str(c.after),
        "change": str(c.change),
    }


def _switch_json(s: Switch) -> dict[str, Any]:
    return {
        "from": s.before,
        "to": s.after,
        "total_change": str(s.total_change),
        "company_margin_change": str(s.company_margin_change),
        "winners": [_change_json(c) for c in s.winners],
        "losers": [_change_json(c) for c in s.losers],
        "changes": [_change_json(c) for c in s.changes],
    }


def _json(result: Comparison, rows: int) -> dict[str, Any]:
    return {
        "lines": rows,
        "plans": [
            {
                "plan": r.plan,
                "total_payout": str(r.total_payout),
                "invoice_revenue": str(r.invoice_revenue),
                "pocket_margin": str(r.pocket_margin),
                "company_margin": str(r.company_margin),
                "cost_of_sales_rate": r.cost_of_sales_rate,
                "sellers": [_payout_json(p) for p in r.sellers],
            }
            for r in result.results
        ],
        "switches": [_switch_json(s) for s in result.switches],
    }
