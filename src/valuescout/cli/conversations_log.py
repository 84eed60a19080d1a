"""`valuescout conversations metrics`: value-quality metrics over the interaction log, per
seller, team or role, with the win rate and price realisation of the deals worked.

Without `--as` the operator (no user account) reads the whole company; with `--as EMAIL` the
user's role and row scope apply (a seller their own interactions, a manager their team's; a
contributor sees no price realisation). Tables and JSON go to stdout, errors to stderr.
"""

from __future__ import annotations

import json
from datetime import date

import typer
from rich.markup import escape
from rich.table import Table

from valuescout.cli.context import console, fail, transaction
from valuescout.cli.forecast import Output
from valuescout.conversations import service_metrics
from valuescout.conversations.schemas import MetricsOut
from valuescout.identity import service as people
from valuescout.identity.principal import Principal
from valuescout.identity.roles import Role

OPERATOR = Principal(
    user_id=0, email="cli", full_name="Operator", role=Role.EXECUTIVE, team_id=None
)
GROUPS = ("seller", "team", "role")


def metrics(
    by: str = typer.Option("seller", "--by", help="seller, team or role"),
    since: str | None = typer.Option(None, "--since", help="YYYY-MM-DD; default: 12 months"),
    as_user: str | None = typer.Option(None, "--as", help="Act as this user (email)"),
    format: Output = typer.Option(Output.TABLE, "--format", "-f", help="table or json"),
) -> None:
    """Mean value-quality score, expansion share of questions, quantified outcomes per
    interaction, and the win rate and price realisation of the deals worked."""
    if by not in GROUPS:
        fail(f"--by {escape(by)!r}: choose seller, team or role.")
    start = _day(since) if since else service_metrics.default_since(date.today())
    with transaction() as session:
        who = OPERATOR
        if as_user is not None:
            user = people.find_user_by_email(session, as_user)
            if not user.is_active:
                fail(f"{escape(user.email)} is deactivated.")
            who = people.principal_of(user)
        out = service_metrics.value_quality_metrics(session, who, by, start)  # type: ignore[arg-type]
    if format == Output.JSON:
        typer.echo(json.dumps(out.model_dump(mode="json"), indent=2, ensure_ascii=False))
    else:
        _print(out)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail(f"--since {escape(text)!r}: write a day as YYYY-MM-DD.")


def _pct(value: object) -> str:
    return "—" if value is None else f"{float(value):.0%}"  # type: ignore[arg-type]


def _print(out: MetricsOut) -> None:
    table = Table(title=f"Value quality by {out.group_by} since {out.since}")
    for name in (
        "Who",
        "Interactions",
        "Mean score",
        "Expansion share",
        "Quantified/int.",
        "Deals worked",
        "Win rate",
    ):
        table.add_column(name, justify="left" if name == "Who" else "right")
    if out.sees_money:
        table.add_column("Price realisation", justify="right")
    for g in out.groups:
        cells = [
            escape(g.label),
            str(g.interactions),
            f"{g.mean_score:.1f}",
            _pct(g.expansion_share),
            f"{g.quantified_per_interaction:.2f}",
            str(g.deals_worked),
            _pct(g.win_rate),
        ]
        if out.sees_money:
            cells.append("—" if g.price_realisation is None else f"{g.price_realisation:.1%}")
        table.add_row(*cells)
    if not out.groups:
        console.print("No interactions in this period.")
        return
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the group."""
    app.command("metrics")(metrics)
