"""Forecast snapshots: every method's probability for every deal of a quarter, frozen.

A snapshot is company-wide (any team's forecast is its owners' rows): the open deals expected
to close in the quarter with each method's probability, and the deals already won in it (as
rows with probability 1 in every method), each with its owner and team as they were.

Taken on demand (`take`, from the page, the API or `valuescout forecast snapshot`, which a
scheduler such as cron can run), or rebuilt from the deals' history for a past day
(`as_of`): the stage and close date each deal had then (from `opportunity_changes`), the
learned methods trained only on deals closed before that day, and engagement as of that day
(meetings after it are not counted). A rebuilt snapshot is marked `backfill`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from valuescout.core import audit
from valuescout.core.audit import Actor
from valuescout.core.errors import Invalid
from valuescout.core.money import to_money
from valuescout.deals.models import Opportunity, OpportunityChange, Stage
from valuescout.deals.valuecase_figures import deal_settings
from valuescout.forecasting import features, methods
from valuescout.forecasting.models import ForecastSnapshot, ForecastSnapshotDeal
from valuescout.forecasting.owner_deals import open_deals
from valuescout.forecasting.periods import Period
from valuescout.forecasting.schemas import SnapshotRowOut
from valuescout.forecasting.scorecard import default_scorecard
from valuescout.forecasting.service import trained_models
from valuescout.forecasting.training import training_examples
from valuescout.identity.principal import Principal
from valuescout.identity.roles import Permission
from valuescout.identity.scope import scope_for

ENTITY = "forecast_snapshot"


def _ratio(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(round(value, 4)))


def record(
    session: Session,
    period: Period,
    as_of: date,
    kind: str,
    scored: Sequence[methods.DealScore],
    won: Sequence[features.DealFeatures],
    currency: str,
    taken_by: int | None,
) -> ForecastSnapshot:
    snap = ForecastSnapshot(
        period=period.label,
        period_start=period.start,
        period_end=period.end,
        as_of=as_of,
        kind=kind,
        taken_by_id=taken_by,
        currency=currency,
        won_before=to_money(sum((d.amount for d in won), Decimal(0))),
    )
    session.add(snap)
    session.flush()
    rows = [
        ForecastSnapshotDeal(
            snapshot_id=snap.id,
            opportunity_id=s.deal.opportunity_id,
            owner_id=s.deal.owner_id,
            team_id=s.deal.team_id,
            amount=s.deal.amount,
            close_date=s.deal.close_date,
            stage_id=s.deal.stage_id,
            p_stage=_ratio(s.probabilities["stage"]),
            p_fit=_ratio(s.probabilities["fit_engagement"]),
            p_value=_ratio(s.probabilities["value"]),
            p_trained=_ratio(s.probabilities["trained"]),
            fit_score=s.fit,
            engagement_score=s.engagement,
        )
        for s in scored
    ]
    one = Decimal(1)
    rows += [
        ForecastSnapshotDeal(
            snapshot_id=snap.id,
            opportunity_id=d.opportunity_id,
            owner_id=d.owner_id,
            team_id=d.team_id,
            amount=d.amount,
            close_date=d.close_date,
            stage_id=d.stage_id,
            p_stage=one,
            p_fit=one,
            p_value=one,
            p_trained=one,
        )
        for d in won
    ]
    session.add_all(rows)
    session.flush()
    return snap


def take(session: Session, principal: Principal, period: Period, today: date) -> ForecastSnapshot:
    """A snapshot of the company's forecast for the period as it stands today."""
    principal.require(Permission.TAKE_FORECAST_SNAPSHOTS)
    return _take(session, period, today, "manual", principal.user_id, principal.actor)


def take_scheduled(session: Session, actor: Actor, period: Period, today: date) -> ForecastSnapshot:
    """As `take`, run by an operator or a scheduler with no user account (kind `scheduled`;
    audited under `actor`, e.g. `cli:<os user>`)."""
    return _take(session, period, today, "scheduled", None, actor)


def _take(
    session: Session, period: Period, today: date, kind: str, taken_by: int | None, actor: Actor
) -> ForecastSnapshot:
    currency = deal_settings(session).currency
    in_currency = features.deals_query().where(Opportunity.currency == currency)
    with_deals = in_currency.where(Stage.outcome.in_(("open", "won")))
    owners = set(session.scalars(with_deals.with_only_columns(Opportunity.owner_id).order_by(None)))
    deals = open_deals(session, owners, period, today, currency) if owners else []
    won = features.deal_features(
        session,
        in_currency.where(
            Stage.outcome == "won", Opportunity.close_date.between(period.start, period.end)
        ),
        today,
    )
    scored = methods.score(trained_models(session, today), deals)
    snap = record(session, period, today, kind, scored, won, currency, taken_by)
    audit.record(
        session, actor, "forecast_snapshot.taken", ENTITY, snap.id,
        {"period": period.label, "deals": len(scored), "won": len(won)},
    )  # fmt: skip
    return snap


def deal_count(session: Session, snapshot_id: int) -> int:
    """How many deals a snapshot froze (open and won)."""
    found = session.scalar(
        select(func.count())
        .select_from(ForecastSnapshotDeal)
        .where(ForecastSnapshotDeal.snapshot_id == snapshot_id)
    )
    return int(found or 0)


def list_snapshots(
    session: Session, principal: Principal, period: Period | None = None, limit: int = 200
) -> list[SnapshotRowOut]:
    """The newest snapshots first; each counts only the deals whose owner the caller sees."""
    principal.require(Permission.SEE_MONEY)
    scope = scope_for(session, principal)
    stmt = select(ForecastSnapshot).order_by(
        ForecastSnapshot.taken_at.desc(), ForecastSnapshot.id.desc()
    )
    if period is not None:
        stmt = stmt.where(ForecastSnapshot.period == period.label)
    snaps = list(session.scalars(stmt.limit(limit)))
    counts: dict[int, int] = {}
    if snaps:
        count_stmt = scope.filter(
            select(ForecastSnapshotDeal.snapshot_id, func.count())
            .where(ForecastSnapshotDeal.snapshot_id.in_([s.id for s in snaps]))
            .group_by(ForecastSnapshotDeal.snapshot_id),
            ForecastSnapshotDeal.owner_id,
        )
        counts = {sid: int(n) for sid, n in session.execute(count_stmt)}
    return [
        SnapshotRowOut(
            id=s.id,
            period=s.period,
            as_of=s.as_of,
            kind=s.kind,
            taken_at=s.taken_at,
            deals=counts.get(s.id, 0),
        )
        for s in snaps
    ]


# --- rebuilt from history --------------------------------------------------------------------


def _history(session: Session, as_of: date) -> dict[int, dict[str, str | None]]:
    """Per opportunity: its stage (by name) and close date as they were at the end of `as_of`."""
    end = datetime.combine(as_of, time.max, UTC)
    out: dict[int, dict[str, str | None]] = defaultdict(dict)
    rows = session.execute(
        select(
            OpportunityChange.opportunity_id, OpportunityChange.field, OpportunityChange.new_value
        )
        .where(
            OpportunityChange.changed_at <= end,
            OpportunityChange.field.in_(("stage", "close_date")),
        )
        .order_by(OpportunityChange.changed_at, OpportunityChange.id)
    )
    for opp_id, name, value in rows:
        out[opp_id][name] = value
    return out


def _expected(close: date | None, period: Period, as_of: date) -> bool:
    """Expected in the period as seen on `as_of` (as `owner_deals.open_deals` does today)."""
    if close is None:
        return period.contains(as_of)
    return period.contains(close) or (period.contains(as_of) and close < period.start)


def rebuild(
    session: Session, period: Period, as_of: date
) -> tuple[list[methods.DealScore], list[features.DealFeatures], str]:
    """The snapshot the company would have taken on `as_of`: the deals open that day and
    expected in the period, scored by models that knew only the deals closed before it."""
    currency = deal_settings(session).currency
    stages = {s.name: s for s in session.scalars(select(Stage))}
    then = _history(session, as_of)
    stmt = features.deals_query().where(Opportunity.currency == currency)
    everything = features.deal_features(session, stmt, as_of, closed_as_of_close=False)
    open_then: list[features.DealFeatures] = []
    won_then: list[features.DealFeatures] = []
    for d in everything:
        past = then.get(d.opportunity_id)
        if not past or past.get("stage") not in stages:
            continue  # the deal did not exist yet
        stage = stages[str(past["stage"])]
        written = past.get("close_date")
        close = date.fromisoformat(written) if written else d.close_date
        was = replace(d, stage_id=stage.id, stage_name=stage.name, close_date=close)
        if stage.outcome == "open" and _expected(close, period, as_of):
            open_then.append(replace(was, p_stage=stage.probability, outcome="open"))
        elif stage.outcome == "won" and close is not None and period.contains(close):
            won_then.append(was)
    examples, weights = training_examples(session, as_of, before=as_of)
    models = methods.train(default_scorecard(), examples, weights=weights)
    return methods.score(models, open_then), won_then, currency


def backfill(
    session: Session, period: Period, as_of: date, taken_by: int | None = None
) -> ForecastSnapshot:
    """Store the rebuilt snapshot (kind `backfill`)."""
    scored, won, currency = rebuild(session, period, as_of)
    return record(session, period, as_of, "backfill", scored, won, currency, taken_by)


def backfill_audited(
    session: Session,
    actor: Actor,
    period: Period,
    as_of: date,
    today: date,
    principal: Principal | None = None,
) -> ForecastSnapshot:
    """`backfill` for a person (who needs TAKE_FORECAST_SNAPSHOTS) or an operator (no
    principal), in the audit trail; `as_of` must be a day before today."""
    if principal is not None:
        principal.require(Permission.TAKE_FORECAST_SNAPSHOTS)
    if as_of >= today:
        raise Invalid("a snapshot is rebuilt for a past day: --as-of must be before today")
    snap = backfill(session, period, as_of, principal.user_id if principal else None)
    audit.record(
        session, actor, "forecast_snapshot.backfilled", ENTITY, snap.id,
        {"period": period.label, "as_of": as_of.isoformat(), "deals": deal_count(session, snap.id)},
    )  # fmt: skip
    return snap
