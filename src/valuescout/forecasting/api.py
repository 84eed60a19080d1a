"""JSON API of the forecast: every method's forecast of a team and quarter, the accuracy of the
methods over closed quarters, snapshots (take, list) and quotas (set).

A period is a calendar quarter written `YYYY-Qn` (e.g. 2026-Q4); the forecast's defaults to
the current quarter. `team_id` defaults to the caller's own view (the company for price desk,
executives and admins, a manager's team, a seller's own deals); a team outside the caller's
view answers 404.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query

from valuescout.core.web.deps import DbSession
from valuescout.core.web.schemas import ERROR_RESPONSES
from valuescout.forecasting import quotas, service, service_accuracy, snapshots
from valuescout.forecasting.periods import Period
from valuescout.forecasting.schemas import (
    AccuracyOut,
    ForecastOut,
    QuotaIn,
    QuotaOut,
    SnapshotIn,
    SnapshotOut,
    SnapshotRowOut,
)
from valuescout.identity.deps import ApiPrincipal

router = APIRouter(prefix="/api/v1/forecast", tags=["forecast"], responses=ERROR_RESPONSES)

PERIOD_PATTERN = r"^(19|20|21)[0-9]{2}-Q[1-4]$"  # years 1900-2199
TeamId = Annotated[int | None, Query(ge=1, le=2_147_483_647, description="default: your view")]
PeriodQuery = Annotated[
    str | None, Query(pattern=PERIOD_PATTERN, description="YYYY-Qn; default: this quarter")
]


def period_or_current(text: str | None, today: date) -> Period:
    return Period.parse(text) if text else Period.containing(today)


@router.get("", response_model=ForecastOut, summary="Every method's forecast of a quarter")
def forecast(
    principal: ApiPrincipal, session: DbSession, period: PeriodQuery = None, team_id: TeamId = None
) -> ForecastOut:
    today = date.today()
    query = service.ForecastQuery(period_or_current(period, today), team_id, today)
    return service.forecast(session, principal, query)


@router.get("/accuracy", response_model=AccuracyOut, summary="How right each method was")
def accuracy(principal: ApiPrincipal, session: DbSession, team_id: TeamId = None) -> AccuracyOut:
    return service_accuracy.accuracy(session, principal, team_id, date.today())


@router.post(
    "/snapshots",
    response_model=SnapshotOut,
    status_code=201,
    summary="Freeze the company's forecast of a quarter as it stands today",
)
def take_snapshot(principal: ApiPrincipal, session: DbSession, body: SnapshotIn) -> SnapshotOut:
    snap = snapshots.take(session, principal, Period.parse(body.period), date.today())
    return SnapshotOut(
        id=snap.id, period=snap.period, as_of=snap.as_of, kind=snap.kind,
        deals=snapshots.deal_count(session, snap.id),
    )  # fmt: skip


@router.get("/snapshots", response_model=list[SnapshotRowOut], summary="Snapshots, newest first")
def list_snapshots(
    principal: ApiPrincipal,
    session: DbSession,
    period: Annotated[str | None, Query(pattern=PERIOD_PATTERN)] = None,
) -> list[SnapshotRowOut]:
    return snapshots.list_snapshots(session, principal, Period.parse(period) if period else None)


@router.put(
    "/quotas/{team_id}/{period}", response_model=QuotaOut, summary="Set a team's quarter quota"
)
def set_quota(
    principal: ApiPrincipal,
    session: DbSession,
    team_id: Annotated[int, Path(ge=1, le=2_147_483_647)],
    period: Annotated[str, Path(pattern=PERIOD_PATTERN)],
    body: QuotaIn,
) -> QuotaOut:
    return quotas.set_quota(session, principal, team_id, Period.parse(period), body.amount)
