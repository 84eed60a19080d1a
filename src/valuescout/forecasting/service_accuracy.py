"""How right each method was: the snapshot of each closed quarter against what was won.

For a team (or a seller's own deals) and every quarter that has ended and has a snapshot, the
earliest snapshot of the quarter is compared with the bookings won in it: per method the
forecast (won so far + the open deals' expected value), its error and bias, and — over the
snapshot's open deals — the Brier score, AUC and a calibration curve (a deal counts as won when
it was won with a close date in the quarter). Across quarters: WAPE, bias, hit rate within
10%, and the method with the lowest WAPE, which is the one to trust.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from valuescout.deals.models import Opportunity, Stage
from valuescout.deals.valuecase_figures import deal_settings
from valuescout.forecasting import accuracy as acc
from valuescout.forecasting.methods import LABELS, METHODS
from valuescout.forecasting.models import ForecastSnapshot, ForecastSnapshotDeal
from valuescout.forecasting.periods import Period
from valuescout.forecasting.schemas import (
    AccuracyOut,
    BinOut,
    MethodAccuracyOut,
    PeriodAccuracyOut,
    PeriodMethodOut,
)
from valuescout.forecasting.service import _owners, _team, _won
from valuescout.identity.principal import Principal
from valuescout.identity.roles import Permission
from valuescout.identity.scope import scope_for

COLUMN = {"stage": "p_stage", "fit_engagement": "p_fit", "value": "p_value", "trained": "p_trained"}
HIT_TOLERANCE = 0.1


def _earliest(session: Session, today: date, currency: str) -> list[ForecastSnapshot]:
    """Per ended quarter, its earliest snapshot in the currency."""
    chosen: dict[str, ForecastSnapshot] = {}
    for snap in session.scalars(
        select(ForecastSnapshot)
        .where(ForecastSnapshot.period_end < today, ForecastSnapshot.currency == currency)
        .order_by(ForecastSnapshot.as_of, ForecastSnapshot.id)
    ):
        chosen.setdefault(snap.period, snap)
    return sorted(chosen.values(), key=lambda s: s.period_start)


def _won_in(session: Session, ids: set[int], period: Period) -> set[int]:
    if not ids:
        return set()
    rows = session.execute(
        select(Opportunity.id)
        .join(Stage, Stage.id == Opportunity.stage_id)
        .where(
            Opportunity.id.in_(ids),
            Stage.outcome == "won",
            Opportunity.close_date.between(period.start, period.end),
        )
    )
    return {r[0] for r in rows}


def accuracy(
    session: Session, principal: Principal, team_id: int | None = None, today: date | None = None
) -> AccuracyOut:
    principal.require(Permission.SEE_MONEY)
    today = today or date.today()
    scope = scope_for(session, principal)
    team = _team(session, principal, team_id)
    owners = _owners(session, scope, team)
    currency = deal_settings(session).currency
    won_stages = set(session.scalars(select(Stage.id).where(Stage.outcome == "won")))
    periods: list[PeriodAccuracyOut] = []
    pooled: dict[str, tuple[list[float], list[int]]] = defaultdict(lambda: ([], []))
    sums: dict[str, tuple[list[float], list[float]]] = defaultdict(lambda: ([], []))
    for snap in _earliest(session, today, currency):
        period = Period.parse(snap.period)
        rows = [
            r
            for r in session.scalars(
                select(ForecastSnapshotDeal).where(ForecastSnapshotDeal.snapshot_id == snap.id)
            )
            if r.owner_id in owners
        ]
        actual = float(_won(session, owners, period, currency))
        open_rows = [r for r in rows if r.stage_id not in won_stages]
        won = _won_in(session, {r.opportunity_id for r in open_rows if r.opportunity_id}, period)
        outcomes = [1 if r.opportunity_id in won else 0 for r in open_rows]
        per_method: dict[str, PeriodMethodOut] = {}
        for m in METHODS:
            ps = [getattr(r, COLUMN[m]) for r in rows]
            if any(p is None for p in ps):
                per_method[m] = PeriodMethodOut(forecast=None, error_pct=None, brier=None, auc=None)
                continue
            forecast = float(sum((r.amount * p for r, p in zip(rows, ps, strict=True)), Decimal(0)))
            open_ps = [float(getattr(r, COLUMN[m])) for r in open_rows]
            pooled[m][0].extend(open_ps)
            pooled[m][1].extend(outcomes)
            sums[m][0].append(forecast)
            sums[m][1].append(actual)
            per_method[m] = PeriodMethodOut(
                forecast=forecast,
                error_pct=acc.error_percent(forecast, actual),
                brier=acc.brier_score(open_ps, outcomes),
                auc=acc.roc_auc(open_ps, outcomes),
            )
        periods.append(
            PeriodAccuracyOut(
                period=snap.period, as_of=snap.as_of, kind=snap.kind, actual=actual,
                deals=len(open_rows), methods=per_method,
            )
        )  # fmt: skip
    summaries = [_summary(m, pooled.get(m), sums.get(m)) for m in METHODS]
    ranked = [s for s in summaries if s.wape is not None]
    best = min(ranked, key=lambda s: s.wape or 0.0).method if ranked else None
    names = team.name if team else principal.full_name
    return AccuracyOut(
        team_id=team.id if team else None, team_name=names, currency=currency,
        periods=periods, methods=summaries, most_accurate=best,
    )  # fmt: skip


def _summary(
    method: str,
    pooled: tuple[list[float], list[int]] | None,
    sums: tuple[list[float], list[float]] | None,
) -> MethodAccuracyOut:
    ps, ys = pooled or ([], [])
    forecasts, actuals = sums or ([], [])
    bins = acc.calibration_bins(ps, ys, 10) if ps else ()
    return MethodAccuracyOut(
        method=method,
        label=LABELS[method],
        wape=acc.wape(forecasts, actuals) if forecasts else None,
        bias=acc.bias(forecasts, actuals) if forecasts else None,
        hit_rate=acc.hit_rate(forecasts, actuals, HIT_TOLERANCE) if forecasts else None,
        brier=acc.brier_score(ps, ys) if ps else None,
        auc=acc.roc_auc(ps, ys) if ps else None,
        calibration=[_bin(b) for b in bins],
    )


def _bin(b: acc.CalibrationBin) -> BinOut:
    return BinOut(
        lower=round(b.lower, 6),
        upper=round(b.upper, 6),
        count=b.count,
        mean_predicted=b.mean_predicted,
        fraction_won=b.fraction_positive,
    )
