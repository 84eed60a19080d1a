"""`valuescout deals ...`: read the pipeline and one deal from the command line.

An operator has no user account: they read every deal with its money, and change nothing
(`service.operator_pipeline` / `operator_opportunity`). JSON writes money as strings, so
amounts stay exact.
"""

from __future__ import annotations

import json
from decimal import Decimal
from enum import StrEnum
from typing import Any

import typer
from rich.table import Table

from valuescout.cli.context import console, transaction
from valuescout.deals import service
from valuescout.deals.schemas import OpportunityDetail, ValueCaseOut

app = typer.Typer(help="Deals: the pipeline and one opportunity.", no_args_is_help=True)


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"


FORMAT = typer.Option(Format.TABLE, "--format", "-f", help="table or json")


@app.command("list")
def list_deals(
    format: Format = FORMAT,
    stage: str | None = typer.Option(None, "--stage", help="Only deals in this stage (its name)"),
    owner: str | None = typer.Option(None, "--owner", help="Only deals of this owner (email)"),
    limit: int = typer.Option(50, "--limit", min=1, max=200, help="How many deals at most"),
) -> None:
    """List opportunities by close date, with the total of everything that matches."""
    with transaction() as session:
        out = service.operator_pipeline(session, stage_name=stage, owner_email=owner, limit=limit)
    if format == Format.JSON:
        _echo_json([row.model_dump(mode="json") for row in out.items])
        return
    table = Table("id", "name", "account", "owner", "stage", "prob.", "close", "amount")
    for row in out.items:
        table.add_row(
            str(row.id),
            row.name,
            row.account_name or "",
            row.owner_name,
            row.stage_name,
            _percent(row.probability),
            row.close_date.isoformat() if row.close_date else "",
            _money(row.amount, row.currency),
        )
    console.print(table)
    console.print(
        f"{len(out.items)} of {out.total} opportunities; total amount {_money(out.total_amount)}.",
        highlight=False,
    )


@app.command("show")
def show(
    opp_id: int = typer.Argument(..., min=1, help="The opportunity's id"),
    format: Format = FORMAT,
) -> None:
    """One opportunity with its lines, its history and its value case figures."""
    with transaction() as session:
        detail, case = service.operator_opportunity(session, opp_id)
    if format == Format.JSON:
        body = detail.model_dump(mode="json")
        body["value_case"] = case.model_dump(mode="json") if case is not None else None
        _echo_json(body)
        return
    _print_detail(detail)
    _print_lines(detail)
    _print_history(detail)
    if case is not None:
        _print_value_case(case)


def _print_detail(d: OpportunityDetail) -> None:
    table = Table(title=f"Opportunity {d.id}: {d.name}", show_header=False)
    table.add_column("field", style="bold")
    table.add_column("value")
    rows: list[tuple[str, str]] = [
        ("account", d.account_name or ""),
        ("owner", d.owner_name),
        ("stage", f"{d.stage_name} ({d.stage_outcome.value})"),
        ("probability", _percent(d.probability)),
        ("close date", d.close_date.isoformat() if d.close_date else ""),
        ("deal type", d.deal_type.value),
        ("amount", _money(d.amount, d.currency)),
        ("alternative", f"{d.alternative_kind.value} {d.alternative_name}".strip()),
        ("alternative price", _money(d.alternative_price, d.currency)),
        ("RFP", d.rfp_class.value),
        ("value case", "yes" if d.has_value_case else "no"),
    ]
    for name, value in rows:
        table.add_row(name, value)
    console.print(table)


def _print_lines(d: OpportunityDetail) -> None:
    if not d.lines:
        console.print("No line items.")
        return
    table = Table("product", "quantity", "list price", "net price", "discount", title="Lines")
    for line in d.lines:
        table.add_row(
            line.product_name,
            str(line.quantity),
            _money(line.list_price),
            _money(line.net_price),
            _percent(line.discount),
        )
    console.print(table)


def _print_history(d: OpportunityDetail) -> None:
    table = Table("when", "field", "from", "to", title="History")
    for change in d.history:
        table.add_row(
            change.changed_at.strftime("%Y-%m-%d %H:%M"),
            change.field,
            change.old_value or "",
            change.new_value or "",
        )
    console.print(table)


def _print_value_case(case: ValueCaseOut) -> None:
    table = Table("outcome", "direction", "state", "yearly", "horizon", "risk-adjusted")
    table.title = "Value case"
    for o in case.outcomes:
        table.add_row(
            o.name,
            o.direction.value,
            o.state.value,
            _money(o.yearly_value),
            _money(o.horizon_value),
            _money(o.risk_adjusted_value),
        )
    console.print(table)
    f = case.figures
    if f is None:
        return
    figures = Table(show_header=False, title="Figures")
    figures.add_column("figure", style="bold")
    figures.add_column("value")
    rows: list[tuple[str, Any]] = [
        ("value (unadjusted)", _money(f.value_unadjusted)),
        ("value (risk-adjusted)", _money(f.value_risk_adjusted)),
        ("price difference", _money(f.price_difference)),
        ("customer preference", _money(f.preference)),
        ("value to price", "" if f.value_to_price is None else f"{f.value_to_price}x"),
        ("ROI", _percent(f.roi)),
        ("payback (months)", "never" if f.payback_months is None else str(f.payback_months)),
        ("NPV", _money(f.npv)),
        ("price floor", _money(f.corridor.floor)),
        ("target price", _money(f.corridor.target)),
        ("ceiling price", _money(f.corridor.ceiling)),
        ("our price is", f.position.value.replace("_", " ")),
    ]
    for name, value in rows:
        figures.add_row(name, value)
    console.print(figures)


def _money(value: Decimal | None, currency: str = "") -> str:
    if value is None:
        return ""
    return f"{value:,.2f} {currency}".strip()


def _percent(value: Decimal | None) -> str:
    return "" if value is None else f"{value * 100:.2f}%"


def _echo_json(value: object) -> None:
    typer.echo(json.dumps(value, indent=2, ensure_ascii=False))
