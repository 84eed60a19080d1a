"""`valuescout forecast run | snapshot | accuracy`: the forecast of a team's quarter by every
method, snapshots (today's, or rebuilt for a past day from the deals' history), and how right
each method was over the closed quarters. Registered on the `forecast` group (`cli/forecast.py`)
by `cli/main.py`.

Who acts: without `--as`, the operator (no user account) reads the whole company, as
`valuescout deals` does, and a snapshot they take is kind `scheduled` (so cron can run it),
audited as `cli:<os user>`; with `--as EMAIL` the command runs as that user, with their role's
rights and row scope (a manager sees their team, a seller their own deals; snapshots need an
executive or an admin). Tables and JSON go to stdout, errors to stderr (exit 1).
"""

from __future__ import annotations

import json
from contextlib import nullcontext
from datetime import date

import typer
from rich.markup import escape
from rich.table import Table
from sqlalchemy.orm import Session

from valuescout.cli.context import cli_actor, console, fail, transaction
from valuescout.cli.forecast import Output
from valuescout.forecasting import service, service_accuracy, snapshots
from valuescout.forecasting.periods import Period
from valuescout.forecasting.schemas import AccuracyOut, ForecastOut
from valuescout.identity import service as people
from valuescout.identity.principal import Principal

AS = typer.Option(None, "--as", help="Act as this user (email); default: the operator")
TEAM = typer.Option(None, "--team", help="A team's name or id; default: the whole view")
FORMAT = typer.Option(Output.TABLE, "--format", "-f", help="table or json")
PERIOD = typer.Option(None, "--period", help="The quarter, YYYY-Qn; default: this quarter")
DEALS_SHOWN = 10


def _period(text: str | None, today: date) -> Period:
    return Period.parse(text, "--period") if text else Period.containing(today)


def _acting(session: Session, email: str | None) -> Principal | None:
    """The user named by --as (active), or None for the operator."""
    if email is None:
        return None
    user = people.find_user_by_email(session, email)
    if not user.is_active:
        fail(f"{escape(user.email)} is deactivated.")
    return people.principal_of(user)


def _team(session: Session, who: Principal, team: str | None) -> int | None:
    return service.team_named(session, who, team) if team is not None else None


def run(
    period: str | None = PERIOD,
    team: str | None = TEAM,
    as_user: str | None = AS,
    format: Output = FORMAT,
) -> None:
    """Every method's forecast of a team's quarter: expected bookings, P10/P50/P90, commit,
    best case, the chance of making the quota; the teams one level down; the largest deals."""
    today = date.today()
    with transaction() as session:
        who = _acting(session, as_user) or service.OPERATOR
        query = service.ForecastQuery(_period(period, today), _team(session, who, team), today)
        with console.status("Forecasting ...") if format == Output.TABLE else nullcontext():
            out = service.forecast(session, who, query)
    if format == Output.JSON:
        typer.echo(json.dumps(out.model_dump(mode="json"), indent=2, ensure_ascii=False))
    else:
        _print_forecast(out)


def snapshot(
    period: str | None = PERIOD,
    as_of: str | None = typer.Option(
        None, "--as-of", help="YYYY-MM-DD: rebuild the snapshot of that past day from history"
    ),
    as_user: str | None = AS,
) -> None:
    """Freeze every method's forecast of the quarter for the whole company (for its accuracy
    once the quarter closes); with --as-of, rebuild the one a past day would have taken."""
    today = date.today()
    day = _day(as_of) if as_of else None
    with transaction() as session:
        who = _acting(session, as_user)
        chosen = _period(period, day or today)
        actor = who.actor if who else cli_actor()
        if day is not None:
            snap = snapshots.backfill_audited(session, actor, chosen, day, today, who)
        elif who is not None:
            snap = snapshots.take(session, who, chosen, today)
        else:
            snap = snapshots.take_scheduled(session, actor, chosen, today)
        count = snapshots.deal_count(session, snap.id)
        snap_id, kind = snap.id, snap.kind
    console.print(
        f"Snapshot {snap_id} of {chosen.label} ({kind}, as of {(day or today).isoformat()}): "
        f"{count} deals frozen.",
        highlight=False,
    )


def accuracy(team: str | None = TEAM, as_user: str | None = AS, format: Output = FORMAT) -> None:
    """How right each method was over the closed quarters (each quarter's earliest snapshot
    against what was won): WAPE, bias, hit rate, Brier, AUC, and the method to trust."""
    with transaction() as session:
        who = _acting(session, as_user) or service.OPERATOR
        out = service_accuracy.accuracy(session, who, _team(session, who, team), date.today())
    if format == Output.JSON:
        typer.echo(json.dumps(out.model_dump(mode="json"), indent=2, ensure_ascii=False))
    else:
        _print_accuracy(out)


# --- rendering ----------------------------------------------------------------------------


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail(f"--as-of {escape(text)!r}: write a day as YYYY-MM-DD.")


def _money(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def _pct(value: float | None, digits: int = 0) -> str:
    return "—" if value is None else f"{value * 100:.{digits}f}%"


def _print_forecast(out: ForecastOut) -> None:
    quota = f", quota {_money(out.quota)}" if out.quota is not None else ""
    console.print(
        f"[bold]{escape(out.team_name)}[/], {out.period} ({out.start} to {out.end}), "
        f"{out.currency}: won {_money(out.won)}, open {_money(out.open_amount)} in "
        f"{out.deal_count} deals{quota}.",
        highlight=False,
    )
    table = Table("method", "expected", "P10", "P50", "P90", "commit", "best case",
                  "chance of quota", "coverage", title="Forecast by method")  # fmt: skip
    for m in out.methods:
        if not m.available:
            table.add_row(m.label, f"not available: {escape(m.reason or '')}")
            continue
        table.add_row(
            m.label, _money(m.expected), _money(m.p10), _money(m.p50), _money(m.p90),
            _money(m.commit), _money(m.best_case), _pct(m.chance_of_quota), _pct(m.coverage),
        )  # fmt: skip
    console.print(table)
    if out.teams:
        teams = Table("team", "id", "won", *[m.label for m in out.methods], title="Teams below")
        for t in out.teams:
            teams.add_row(
                escape(t.name), str(t.team_id), _money(t.won),
                *[_money(t.expected.get(m.method)) for m in out.methods],
            )  # fmt: skip
        console.print(teams)
    if out.deals:
        deals = Table("deal", "owner", "stage", "amount", "close", "fit", "engagement",
                      *[m.label for m in out.methods], title="Largest deals")  # fmt: skip
        for d in out.deals[:DEALS_SHOWN]:
            deals.add_row(
                escape(d.name), escape(d.owner_name), escape(d.stage_name), _money(d.amount),
                d.close_date.isoformat() if d.close_date else "", f"{d.fit:.0f}",
                f"{d.engagement:.0f}",
                *[_pct(d.probabilities.get(m.method)) for m in out.methods],
            )  # fmt: skip
        console.print(deals)
    console.print(f"Learned from {out.closed_deals_learned_from:,} closed deals.", highlight=False)


def _print_accuracy(out: AccuracyOut) -> None:
    console.print(f"[bold]{escape(out.team_name)}[/], {out.currency}", highlight=False)
    if not out.periods:
        console.print("No closed quarter has a snapshot yet.", highlight=False)
        return
    summary = Table("method", "WAPE", "bias", "hit rate", "Brier", "AUC",
                    title="Accuracy over the closed quarters")  # fmt: skip
    for m in out.methods:
        summary.add_row(
            m.label, _pct(m.wape, 1), _pct(m.bias, 1), _pct(m.hit_rate),
            "—" if m.brier is None else f"{m.brier:.3f}",
            "—" if m.auc is None else f"{m.auc:.3f}",
        )  # fmt: skip
    console.print(summary)
    labels = {m.method: m.label for m in out.methods}
    periods = Table("quarter", "snapshot", "won", *labels.values(), title="Error per quarter")
    for p in out.periods:
        cells = []
        for method in labels:
            pm = p.methods.get(method)
            cells.append("—" if pm is None or pm.forecast is None else
                         f"{_money(pm.forecast)} ({_pct(pm.error_pct, 1)})")  # fmt: skip
        periods.add_row(p.period, f"{p.as_of} {p.kind}", _money(p.actual), *cells)
    console.print(periods)
    if out.most_accurate:
        console.print(f"Trust: [bold]{labels[out.most_accurate]}[/] (lowest WAPE).")
