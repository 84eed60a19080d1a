"""Value-quality metrics over the interactions in the caller's scope, grouped by seller
(the author), team (the author's team when they logged it) or role (the author's role), with
the win rate and price realisation of the deals those interactions were on (metrics.py).

Row scope as for the log: a seller and a contributor their own interactions, a manager their
team's, price desk, executives and admins all. Callers who may not see money (contributors)
get no price realisation.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from valuescout.conversations import metrics
from valuescout.conversations.models import Interaction
from valuescout.conversations.schemas import GroupBy, GroupMetrics, MetricsOut, TrendPoint
from valuescout.deals.models import LineItem, Opportunity, Stage
from valuescout.identity.models import Team, User
from valuescout.identity.principal import Principal
from valuescout.identity.roles import ROLE_LABELS, Role
from valuescout.identity.scope import scope_for

DEFAULT_MONTHS = 12


def default_since(today: date) -> date:
    """The first day of the month DEFAULT_MONTHS - 1 months before today's."""
    months = today.year * 12 + today.month - 1 - (DEFAULT_MONTHS - 1)
    return date(months // 12, months % 12 + 1, 1)


def _facts(
    session: Session, principal: Principal, group_by: GroupBy, since: date
) -> list[metrics.InteractionFact]:
    i = Interaction
    stmt = (
        select(
            i.author_id,
            User.full_name,
            User.role,
            i.team_id,
            Team.name,
            i.occurred_on,
            i.quality_score,
            i.expansion_questions,
            i.qualification_questions,
            i.quantified_outcomes,
            i.opportunity_id,
        )
        .join(User, User.id == i.author_id)
        .outerjoin(Team, Team.id == i.team_id)
        .where(i.occurred_on >= since)
    )
    stmt = scope_for(session, principal).filter(stmt, i.author_id)
    facts = []
    for row in session.execute(stmt):
        author_id, name, role, team_id, team, day, score, exp, qual, quant, opp_id = row
        if group_by == "seller":
            key, label = str(author_id), name
        elif group_by == "team":
            key, label = str(team_id or 0), team or "No team"
        else:
            key, label = str(role), ROLE_LABELS[Role(role)]
        facts.append(
            metrics.InteractionFact(
                key, label, day.strftime("%Y-%m"), score or 0.0, exp, qual, quant, opp_id
            )
        )
    return facts


def _deals(session: Session, ids: set[int]) -> dict[int, metrics.DealFact]:
    if not ids:
        return {}
    outcomes = dict(
        session.execute(
            select(Opportunity.id, Stage.outcome)
            .join(Stage, Stage.id == Opportunity.stage_id)
            .where(Opportunity.id.in_(ids))
        ).all()
    )
    sums = {
        opp_id: (lst or Decimal(0), net or Decimal(0))
        for opp_id, lst, net in session.execute(
            select(
                LineItem.opportunity_id,
                func.sum(LineItem.quantity * LineItem.list_price),
                func.sum(LineItem.quantity * LineItem.net_price),
            )
            .where(LineItem.opportunity_id.in_(ids))
            .group_by(LineItem.opportunity_id)
        ).all()
    }
    return {
        opp_id: metrics.DealFact(
            outcome, *(Decimal(str(v)) for v in sums.get(opp_id, (Decimal(0), Decimal(0))))
        )
        for opp_id, outcome in outcomes.items()
    }


def value_quality_metrics(
    session: Session, principal: Principal, group_by: GroupBy, since: date
) -> MetricsOut:
    facts = _facts(session, principal, group_by, since)
    ids = {f.opportunity_id for f in facts if f.opportunity_id is not None}
    stats = metrics.group_stats(facts, _deals(session, ids))
    sees_money = scope_for(session, principal).sees_money
    return MetricsOut(
        group_by=group_by,
        since=since,
        sees_money=sees_money,
        groups=[
            GroupMetrics(
                key=g.key,
                label=g.label,
                interactions=g.interactions,
                mean_score=g.mean_score,
                expansion_share=g.expansion_share,
                quantified_per_interaction=g.quantified_per_interaction,
                trend=[TrendPoint(**p.__dict__) for p in g.trend],
                deals_worked=g.deals_worked,
                deals_closed=g.deals_closed,
                win_rate=g.win_rate,
                price_realisation=g.price_realisation if sees_money else None,
            )
            for g in stats
        ],
    )
