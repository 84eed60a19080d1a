"""`valuescout coaching sessions | effectiveness`: coaching sessions and whether they moved the
metric they were about.

Without `--as` the operator (no user account) reads the whole company; with `--as EMAIL` the
command runs as that user, with their role's rights and row scope (a manager their teams'
sessions; sellers may list their own sessions but not read the effectiveness). Tables and JSON
go to stdout, errors to stderr (exit 1). `effectiveness --format json` prints the API's shape
(`GET /api/v1/coaching/effectiveness`): window_days, as_of, min_coached, min_comparison, and
`overall` / `by_coach` lists of per-focus summaries with the counts behind each figure.
"""

from __future__ import annotations

import json
from datetime import date
from enum import StrEnum

import typer
from rich.markup import escape
from rich.table import Table
from sqlalchemy.orm import Session

from valuescout.cli.context import console, fail, transaction
from valuescout.conversations import coaching_service as svc
from valuescout.conversations.coaching_effect import DEFAULT_WINDOW_DAYS
from valuescout.conversations.coaching_schemas import SummaryOut
from valuescout.identity import service as people
from valuescout.identity.principal import Principal
from valuescout.identity.roles import Role

app = typer.Typer(help="Coaching sessions and their effect.", no_args_is_help=True)

# The operator at the command line reads everything, as an executive does, and records nothing.
OPERATOR = Principal(
    user_id=0, email="cli", full_name="Operator", role=Role.EXECUTIVE, team_id=None
)
AS = typer.Option(None, "--as", help="Act as this user (email); default: the operator")


class Output(StrEnum):
    TABLE = "table"
    JSON = "json"


FORMAT = typer.Option(Output.TABLE, "--format", "-f", help="table or json")


def _acting(session: Session, email: str | None) -> Principal:
    if email is None:
        return OPERATOR
    user = people.find_user_by_email(session, email)
    if not user.is_active:
        fail(f"{escape(user.email)} is deactivated.")
    return people.principal_of(user)


def _fig(value: float | None, signed: bool = False) -> str:
    if value is None:
        return "—"
    return f"{value:+.2f}" if signed else f"{value:.2f}"


@app.command("sessions")
def sessions(as_user: str | None = AS, format: Output = FORMAT) -> None:
    """Coaching sessions in scope, newest first."""
    today = date.today()
    with transaction() as session:
        out = svc.list_sessions(session, _acting(session, as_user), today)
    if format == Output.JSON:
        typer.echo(
            json.dumps([s.model_dump(mode="json") for s in out], indent=2, ensure_ascii=False)
        )
        return
    table = Table(title=f"Coaching sessions ({len(out)})")
    for col in ("Date", "Seller", "Focus", "Coach", "Actions done"):
        table.add_column(col)
    for s in out:
        done = sum(a.done for a in s.actions)
        table.add_row(
            str(s.held_on), escape(s.seller_name), s.focus_label,
            escape(s.coach_name or "—"), f"{done}/{len(s.actions)}",
        )  # fmt: skip
    console.print(table)


@app.command("effectiveness")
def effectiveness(
    window: int = typer.Option(
        DEFAULT_WINDOW_DAYS, "--window", help="Days before and after each session (1-365)"
    ),
    as_user: str | None = AS,
    format: Output = FORMAT,
) -> None:
    """Per focus, overall and per coach: the coached sellers' change in the focus's metric
    against sellers not coached on it (difference-in-differences), with the interactions
    behind each figure."""
    with transaction() as session:
        out = svc.effectiveness(session, _acting(session, as_user), date.today(), window)
    if format == Output.JSON:
        typer.echo(json.dumps(out.model_dump(mode="json"), indent=2, ensure_ascii=False))
        return
    if not out.overall:
        console.print("No coaching sessions in view.")
        return
    console.print(_table(f"Coaching effect per focus ({out.window_days} days either side)",
                         out.overall, by_coach=False))  # fmt: skip
    console.print(_table("Per coach", out.by_coach, by_coach=True))
    console.print(
        f"A session counts with at least {out.min_coached} interactions by the seller and "
        f"{out.min_comparison} by the comparison group in each window."
    )


def _table(title: str, rows: list[SummaryOut], *, by_coach: bool) -> Table:
    table = Table(title=title)
    columns = ["Coach"] if by_coach else []
    columns += ["Focus", "Metric", "Sessions", "Coached", "Comparison", "Effect", "n", "Note"]
    for col in columns:
        table.add_column(col)
    for r in rows:
        cells = [escape(r.coach_name or "—")] if by_coach else []
        cells += [
            r.focus_label, r.metric_label, f"{r.readable_sessions}/{r.sessions}",
            f"{_fig(r.coached_before)} → {_fig(r.coached_after)}",
            f"{_fig(r.comparison_before)} → {_fig(r.comparison_after)}",
            _fig(r.effect, signed=True),
            f"{r.interactions_coached_before}/{r.interactions_coached_after} · "
            f"{r.interactions_comparison_before}/{r.interactions_comparison_after}",
            r.note or "",
        ]  # fmt: skip
        table.add_row(*cells)
    return table
