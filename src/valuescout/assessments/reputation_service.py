"""The sales-reputation check over the caller's scope: the scorecard of the last quarters
(stored snapshots where they exist, computed from the data otherwise), the trends and the
reading; and snapshots to keep the results with their time.

Who: Permission.VIEW_ANALYTICS, scoped like analytics: a manager reads their team's deals and
stores their team's snapshots; price desk, executives and admins the company's. Sellers and
contributors get nothing company-wide (403).

Where the facts come from: deals closed won or lost in a quarter (by close date) with their
lines' list and net totals and whether their value case has a customer-confirmed outcome;
RFPs from the RFP records (by receipt date), and for a deal with an RFP class but no RFP
record, one RFP dated at its close date (else the day it was engaged), written by the customer
alone when we did not know its contents (unknown/known); how many competitors answered is
not known for those, so they never count as crowded.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from valuescout.assessments import reputation as rep
from valuescout.assessments.engagement_models import ReputationSnapshot
from valuescout.assessments.engagement_schemas import (
    QuarterOut,
    ReputationOut,
    ReputationSnapshotOut,
    TrendOut,
)
from valuescout.core.errors import Forbidden
from valuescout.core.models import utcnow
from valuescout.deals.models import LineItem, Opportunity, Stage, ValueCase, ValueOutcome
from valuescout.forecasting.periods import Period
from valuescout.identity.models import Team
from valuescout.identity.principal import Principal
from valuescout.identity.roles import Permission, Role
from valuescout.identity.scope import Scope, scope_for
from valuescout.rfp.models import RfpRecord

QUARTERS = 6  # five closed quarters and the current one
# The command line's operator (no user account) reads the company, as deals' operator does.
OPERATOR = Principal(
    user_id=0, email="cli", full_name="Operator", role=Role.EXECUTIVE, team_id=None
)


def window(today: date, count: int = QUARTERS) -> list[Period]:
    out = [Period.containing(today)]
    while len(out) < count:
        out.insert(0, out[0].previous())
    return out


def _quarter(p: Period) -> rep.Quarter:
    return rep.Quarter(p.label, p.start, p.end)


def _team_of(principal: Principal, scope: Scope) -> int | None:
    """The snapshot's owner: None for the company, the manager's team otherwise."""
    if scope.sees_everything:
        return None
    if principal.team_id is None:  # a manager without a team sees only their own deals
        raise Forbidden("Reputation snapshots are kept per team; you belong to none.")
    return principal.team_id


def _scope_label(session: Session, team_id: int | None) -> str:
    team = session.get(Team, team_id) if team_id is not None else None
    return team.name if team is not None else "the company"


def load_deals(session: Session, scope: Scope, start: date, end: date) -> list[rep.WonOrLost]:
    stmt = scope.filter(
        select(Opportunity.id, Opportunity.close_date, Stage.outcome)
        .join(Stage, Stage.id == Opportunity.stage_id)
        .where(
            Stage.outcome.in_(("won", "lost")),
            Opportunity.close_date >= start,
            Opportunity.close_date <= end,
        ),
        Opportunity.owner_id,
    )
    closed = {i: (d, o == "won") for i, d, o in session.execute(stmt) if d is not None}
    ids = list(closed)
    totals: dict[int, tuple[Decimal, Decimal]] = {}
    confirmed: set[int] = set()
    for chunk in (ids[i : i + 5000] for i in range(0, len(ids), 5000)):
        lines = (
            select(
                LineItem.opportunity_id,
                func.sum(LineItem.quantity * LineItem.list_price),
                func.sum(LineItem.quantity * LineItem.net_price),
            )
            .where(LineItem.opportunity_id.in_(chunk), LineItem.list_price > 0)
            .group_by(LineItem.opportunity_id)
        )
        for opp_id, listed, net in session.execute(lines):
            totals[opp_id] = (Decimal(listed), Decimal(net))
        confirmed.update(
            session.scalars(
                select(ValueCase.opportunity_id)
                .join(ValueOutcome, ValueOutcome.value_case_id == ValueCase.id)
                .where(ValueCase.opportunity_id.in_(chunk), ValueOutcome.state == "confirmed")
                .distinct()
            )
        )
    return [
        rep.WonOrLost(
            closed_on=day,
            won=won,
            list_total=totals.get(i, (None, None))[0],
            net_total=totals.get(i, (None, None))[1],
            confirmed_value=i in confirmed,
        )
        for i, (day, won) in closed.items()
    ]


def load_rfps(session: Session, scope: Scope, start: date, end: date) -> list[rep.RfpFact]:
    records = scope.filter(
        select(
            RfpRecord.received_on, RfpRecord.engagement_class,
            RfpRecord.customer_written, RfpRecord.competitors_responding,
        )
        .join(Opportunity, Opportunity.id == RfpRecord.opportunity_id)
        .where(RfpRecord.received_on >= start, RfpRecord.received_on <= end),
        Opportunity.owner_id,
    )  # fmt: skip
    facts = [
        rep.RfpFact(on, cls, bool(written), competitors)
        for on, cls, written, competitors in session.execute(records)
    ]
    has_record = select(RfpRecord.id).where(RfpRecord.opportunity_id == Opportunity.id).exists()
    bare = scope.filter(
        select(Opportunity.close_date, Opportunity.engaged_on, Opportunity.rfp_class).where(
            Opportunity.rfp_class != "none", ~has_record
        ),
        Opportunity.owner_id,
    )
    for close, engaged, cls in session.execute(bare):
        on = close or engaged
        if on is not None and start <= on <= end:
            facts.append(rep.RfpFact(on, cls, cls in ("unknown", "known"), None))
    return facts


def _live(
    session: Session, scope: Scope, periods: list[Period], threshold: Decimal
) -> list[rep.QuarterScore]:
    start, end = periods[0].start, periods[-1].end
    deals = load_deals(session, scope, start, end)
    rfps = load_rfps(session, scope, start, end)
    return rep.scorecard([_quarter(p) for p in periods], deals, rfps, threshold)


def _stored(
    session: Session, team_id: int | None, labels: list[str], threshold: Decimal
) -> dict[str, ReputationSnapshot]:
    """The latest snapshot of each quarter, for this scope and threshold."""
    team = (
        ReputationSnapshot.team_id.is_(None)
        if team_id is None
        else ReputationSnapshot.team_id == team_id
    )
    stmt = (
        select(ReputationSnapshot)
        .where(
            team, ReputationSnapshot.period.in_(labels), ReputationSnapshot.threshold == threshold
        )
        .order_by(ReputationSnapshot.taken_at, ReputationSnapshot.id)
    )
    return {s.period: s for s in session.scalars(stmt)}


def _from_snapshot(s: ReputationSnapshot) -> rep.QuarterScore:
    return rep.QuarterScore(
        quarter=rep.Quarter(s.period, s.period_start, s.period_end), rfps=s.rfps,
        shaped=s.shaped, crowded=s.crowded, won=s.won, lost=s.lost, won_priced=s.won_priced,
        above_threshold=s.above_threshold, list_total=s.list_total, net_total=s.net_total,
        confirmed_won=s.confirmed_won,
    )  # fmt: skip


def _quarter_out(score: rep.QuarterScore, stored_at: datetime | None) -> QuarterOut:
    q = score.quarter
    values = {k: score.value(k) for k in rep.MEASURE_KEYS}
    return QuarterOut(
        period=q.label, start=q.start, end=q.end, source="stored" if stored_at else "live",
        stored_at=stored_at, rfps=score.rfps, shaped=score.shaped, crowded=score.crowded,
        won=score.won, lost=score.lost, won_priced=score.won_priced,
        above_threshold=score.above_threshold, list_total=score.list_total,
        net_total=score.net_total, confirmed_won=score.confirmed_won, **values,
    )  # fmt: skip


def check(
    session: Session, principal: Principal, today: date, threshold: Decimal | None = None
) -> ReputationOut:
    principal.require(Permission.VIEW_ANALYTICS)
    scope = scope_for(session, principal)
    limit = rep.DEFAULT_THRESHOLD if threshold is None else threshold
    periods = window(today)
    live = _live(session, scope, periods, limit)
    team_id = _team_of(principal, scope)
    stored = _stored(session, team_id, [p.label for p in periods], limit)
    quarters: list[QuarterOut] = []
    for score in live:
        snap = stored.get(score.quarter.label)
        quarters.append(
            _quarter_out(_from_snapshot(snap), snap.taken_at) if snap else _quarter_out(score, None)
        )
    trends = []
    for m in rep.MEASURES:
        t = rep.trend(m.key, [(q.period, getattr(q, m.key)) for q in quarters])
        trends.append(
            TrendOut(
                key=m.key,
                label=m.label,
                higher_is_better=m.higher_is_better,
                latest=t.latest,
                latest_quarter=t.latest_quarter,
                previous=t.previous,
                change=t.change,
                direction=t.direction,
            )
        )
    reading = rep.reading({t.key: _as_trend(t) for t in trends}, limit)
    return ReputationOut(
        scope=_scope_label(session, team_id), threshold=limit, quarters=quarters, trends=trends,
        reading=reading,
    )  # fmt: skip


def _as_trend(t: TrendOut) -> rep.Trend:
    return rep.Trend(t.key, t.latest, t.latest_quarter, t.previous, t.change, t.direction)


def take_snapshot(
    session: Session,
    principal: Principal,
    today: date,
    threshold: Decimal | None = None,
    *,
    taken_at: datetime | None = None,
) -> list[ReputationSnapshotOut]:
    """Store the current quarter's scorecard, and every quarter of the window not stored
    yet for this scope and threshold, as computed now."""
    principal.require(Permission.VIEW_ANALYTICS)
    scope = scope_for(session, principal)
    limit = rep.DEFAULT_THRESHOLD if threshold is None else threshold
    periods = window(today)
    team_id = _team_of(principal, scope)
    stored = _stored(session, team_id, [p.label for p in periods], limit)
    current = Period.containing(today).label
    label = _scope_label(session, team_id)
    out = []
    for score in _live(session, scope, periods, limit):
        if score.quarter.label in stored and score.quarter.label != current:
            continue
        row = store(session, score, team_id, limit, principal.user_id or None, taken_at)
        out.append(
            ReputationSnapshotOut(id=row.id, period=row.period, taken_at=row.taken_at, scope=label)
        )
    return out


def store(
    session: Session,
    score: rep.QuarterScore,
    team_id: int | None,
    threshold: Decimal,
    taken_by_id: int | None,
    taken_at: datetime | None = None,
) -> ReputationSnapshot:
    q = score.quarter
    row = ReputationSnapshot(
        period=q.label, period_start=q.start, period_end=q.end, team_id=team_id,
        taken_at=taken_at or utcnow(), taken_by_id=taken_by_id, threshold=threshold,
        rfps=score.rfps, shaped=score.shaped, crowded=score.crowded, won=score.won,
        lost=score.lost, won_priced=score.won_priced, above_threshold=score.above_threshold,
        list_total=score.list_total.quantize(Decimal("0.01")),
        net_total=score.net_total.quantize(Decimal("0.01")), confirmed_won=score.confirmed_won,
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row


def snapshots(session: Session, principal: Principal) -> list[ReputationSnapshotOut]:
    """Stored snapshots of the caller's scope, newest first."""
    principal.require(Permission.VIEW_ANALYTICS)
    team_id = _team_of(principal, scope_for(session, principal))
    team = (
        ReputationSnapshot.team_id.is_(None)
        if team_id is None
        else ReputationSnapshot.team_id == team_id
    )
    label = _scope_label(session, team_id)
    stmt = select(ReputationSnapshot).where(team)
    stmt = stmt.order_by(ReputationSnapshot.taken_at.desc(), ReputationSnapshot.id.desc())
    return [
        ReputationSnapshotOut(id=s.id, period=s.period, taken_at=s.taken_at, scope=label)
        for s in session.scalars(stmt.limit(200))
    ]
