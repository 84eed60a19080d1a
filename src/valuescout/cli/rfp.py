"""`valuescout rfp ...`: RFP-engagement analysis.

`rfp analysis` reads every RFP of the company as the operator (no user account) does in
`valuescout deals`, or with `--as EMAIL` as that user (their row scope; contributors are
refused, the analysis shows deal amounts). Tables or JSON to stdout, errors to stderr.
"""

from __future__ import annotations

import json
from decimal import Decimal
from enum import StrEnum

import typer
from rich.markup import escape
from rich.table import Table

from valuescout.cli.context import console, fail, transaction
from valuescout.identity import service as people
from valuescout.rfp import service
from valuescout.rfp.schemas import AnalysisOut

app = typer.Typer(help="RFP-engagement analysis.", no_args_is_help=True)


class Output(StrEnum):
    TABLE = "table"
    JSON = "json"


def _pct(value: Decimal | None, places: int = 0) -> str:
    return "-" if value is None else f"{value * 100:.{places}f}%"


@app.command()
def analysis(
    as_user: str | None = typer.Option(None, "--as", help="Act as this user (email)"),
    format: Output = typer.Option(Output.TABLE, "--format", "-f", help="table or json"),
) -> None:
    """Per engagement class: share of RFPs (count and deal amount), win rate and price
    realisation, overall and per quarter of receipt."""
    with transaction() as session:
        who = service.OPERATOR
        if as_user is not None:
            user = people.find_user_by_email(session, as_user)
            if not user.is_active:
                fail(f"{escape(user.email)} is deactivated.")
            who = people.principal_of(user)
        _, out = service.analyse(session, who)
    if format == Output.JSON:
        typer.echo(json.dumps(out.model_dump(mode="json"), indent=2))
    else:
        _print(out)


def _print(out: AnalysisOut) -> None:
    table = Table(title=f"RFP engagement: {out.count} RFPs, {out.currency} {out.amount:,.0f}")
    for column in ("Engagement", "RFPs", "Share", "Amount share", "Decided", "Win rate",
                   "Price realisation"):  # fmt: skip
        table.add_column(column)
    for c in out.classes:
        table.add_row(
            c.label, str(c.count), _pct(c.count_share), _pct(c.amount_share), str(c.judged),
            _pct(c.win_rate), _pct(c.realisation, 1),
        )  # fmt: skip
    console.print(table)
    by_quarter = Table(title="Win rate per quarter received (RFPs)")
    by_quarter.add_column("Quarter")
    for c in out.classes:
        by_quarter.add_column(c.label)
    for q in out.quarters:
        by_quarter.add_row(q.quarter, *(f"{_pct(c.win_rate)} ({c.count})" for c in q.classes))
    console.print(by_quarter)
