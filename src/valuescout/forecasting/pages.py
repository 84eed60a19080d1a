"""HTML pages of the forecast: `/forecast` (a team's quarter by every method: the range chart,
the methods table, the teams one level down to drill into, the largest deals with each
method's probability and the trained model's factors; a snapshot button for those who may
take one) and `/forecast/accuracy` (the methods side by side over the closed quarters).

Both take the team and the quarter in the query string (`team_id`, `period`), so a drill-down
is a link and a page can be bookmarked; the services decide who sees what.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from pydantic import Field
from starlette.responses import Response

from valuescout.core.errors import Invalid
from valuescout.core.web.csrf import verify_csrf
from valuescout.core.web.deps import DbSession
from valuescout.core.web.schemas import BlankIsNone
from valuescout.core.web.templating import redirect, render
from valuescout.deals.pages import Form
from valuescout.forecasting import charts, service, service_accuracy, snapshots
from valuescout.forecasting.api import PERIOD_PATTERN, period_or_current
from valuescout.forecasting.methods import LABELS, METHODS
from valuescout.forecasting.periods import Period
from valuescout.forecasting.schemas import AccuracyOut, FactorOut
from valuescout.identity.deps import PagePrincipal
from valuescout.identity.roles import Permission

router = APIRouter(dependencies=[Depends(verify_csrf)], include_in_schema=False)

# The pickers' blank choice means the default (the constraints apply to a value, not to None).
PagePeriod = Annotated[Annotated[str, Field(pattern=PERIOD_PATTERN)] | None, BlankIsNone, Query()]
PageTeam = Annotated[Annotated[int, Field(ge=1, le=2_147_483_647)] | None, BlankIsNone, Query()]
PAST_QUARTERS = 4
NEXT_QUARTERS = 3
# The trained model's columns in plain words.
COLUMN_WORDS = {
    "deal_type": "deal type",
    "amount": "deal size",
    "alternative": "the customer's alternative",
    "rfp": "RFP",
    "industry": "industry",
    "segment": "segment",
    "region": "region",
}


def quarter_choices(today: date, chosen: Period) -> list[Period]:
    """Past quarters, the current one and the next three (and the chosen one if elsewhere)."""
    current = Period.containing(today)
    out = [current]
    for _ in range(PAST_QUARTERS):
        out.insert(0, out[0].previous())
    for _ in range(NEXT_QUARTERS):
        out.append(out[-1].next())
    if chosen not in out:
        out = sorted([*out, chosen])
    return out


def factor_words(f: FactorOut) -> str:
    """'deal type is renewal' — what the factor is, in plain words."""
    column = COLUMN_WORDS.get(f.column, f.column.replace("_", " "))
    if f.value in ("", "missing", "None"):
        return f"{column} not known"
    return f"{column} is {f.value}"


def forecast_link(period: str | None = None, team_id: int | None = None, path: str = "") -> str:
    pairs = [(k, str(v)) for k, v in (("period", period), ("team_id", team_id)) if v]
    query = urlencode(pairs)
    return f"/forecast{path}?{query}" if query else f"/forecast{path}"


@router.get("/forecast")
def forecast_page(
    request: Request,
    principal: PagePrincipal,
    session: DbSession,
    period: PagePeriod = None,
    team_id: PageTeam = None,
) -> Response:
    today = date.today()
    chosen = period_or_current(period, today)
    result = service.forecast(session, principal, service.ForecastQuery(chosen, team_id, today))
    return render(
        request,
        "forecasting/forecast.html",
        {
            "result": result,
            "teams": service.visible_teams(session, principal),
            "quarters": quarter_choices(today, chosen),
            "current": Period.containing(today),
            "range_chart": charts.range_chart(result.methods, quota=result.quota),
            "labels": LABELS,
            "methods": METHODS,
            "factor_words": factor_words,
            "link": forecast_link,
            "may_snapshot": principal.can(Permission.TAKE_FORECAST_SNAPSHOTS),
        },
    )


@router.post("/forecast/snapshots")
def take_snapshot(principal: PagePrincipal, session: DbSession, form: Form) -> Response:
    """Freeze the company's forecast of the posted quarter; back to the page with a message."""
    text = str(form.get("period", ""))
    period = Period.parse(text)
    raw_team = str(form.get("team_id", "")).strip()
    if raw_team and not (raw_team.isdigit() and len(raw_team) < 10):
        raise Invalid("team_id: a team's number", field="team_id")
    snap = snapshots.take(session, principal, period, date.today())
    count = snapshots.deal_count(session, snap.id)
    message = f"Snapshot of {period.label} taken: {count} deals frozen as of {snap.as_of}."
    return redirect(forecast_link(period.label, int(raw_team) if raw_team else None), message)


def _accuracy_charts(result: AccuracyOut) -> dict[str, Any]:
    labels = {m.method: m.label for m in result.methods}
    errors = [
        (p.period, labels[m], p.methods[m].error_pct)
        for p in result.periods
        for m in METHODS
        if m in p.methods
    ]
    curves = [(m.label, m.calibration) for m in result.methods if m.calibration]
    return {
        "error_chart": charts.error_chart(errors) if errors else None,
        "calibration_chart": charts.calibration_chart(curves) if curves else None,
    }


@router.get("/forecast/accuracy")
def accuracy_page(
    request: Request, principal: PagePrincipal, session: DbSession, team_id: PageTeam = None
) -> Response:
    result = service_accuracy.accuracy(session, principal, team_id, date.today())
    return render(
        request,
        "forecasting/accuracy.html",
        {
            "result": result,
            "teams": service.visible_teams(session, principal),
            "labels": LABELS,
            "methods": METHODS,
            "link": forecast_link,
            **_accuracy_charts(result),
        },
    )
