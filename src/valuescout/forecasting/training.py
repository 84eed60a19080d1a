"""The examples the learned methods train on: closed deals seen as they were while still open.

A model that scores open deals must learn from deals described the same way. A closed deal
described at its close shows the engagement of its last days (the plan agreed, the recent
meeting, the confirmed outcomes) that an open deal mid-way has not shown yet, so a model trained
on it would read every open deal as a likely loss. Each closed deal therefore gives one example
per `STEP_DAYS` of its open life (from its creation to the day before it closed, at most
`MAX_SAMPLES`, the last ones kept), each described as of that day from the deal's history
(engagement and confirmations then) and labelled with how the deal ended; the deal's examples
weigh one deal together, so long deals do not count more.

Only the `MAX_DEALS` most recently closed deals are learned from: what wins and loses now is
better told by the last ten thousand deals than by older ones, and describing each deal on its
days reads its whole history (training on the 88,000 closed deals of a 100,000-deal company
would take a minute of CPU; see bench/README.md, load test).
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from valuescout.deals.models import Opportunity, Stage
from valuescout.forecasting import features

STEP_DAYS = 30
MAX_SAMPLES = 6
MAX_DEALS = 10_000


def sample_days(created: date, closed: date) -> list[date]:
    """Days of the deal's open life to describe it on: every STEP_DAYS from its creation,
    the last MAX_SAMPLES before its close."""
    days: list[date] = []
    day = created
    while day < closed:
        days.append(day)
        day += timedelta(days=STEP_DAYS)
    return days[-MAX_SAMPLES:]


def training_examples(
    session: Session, today: date, before: date | None = None
) -> tuple[list[features.DealFeatures], list[float]]:
    """The most recently closed deals (those closed before `before`, when given) as examples
    on days of their open life, and each example's weight (1 / the deal's number of examples)."""
    closed = (
        select(Opportunity.id)
        .join(Stage, Stage.id == Opportunity.stage_id)
        .where(Stage.outcome != "open", Opportunity.close_date.is_not(None))
    )
    if before is not None:
        closed = closed.where(Opportunity.close_date < before)
    recent = closed.order_by(Opportunity.close_date.desc(), Opportunity.id.desc()).limit(MAX_DEALS)
    stmt = features.deals_query().where(Opportunity.id.in_(recent.scalar_subquery()))
    lives = session.execute(
        select(Opportunity.id, Opportunity.created_at, Opportunity.close_date).where(
            Opportunity.id.in_(recent.scalar_subquery())
        )
    )
    days_by_deal: dict[int, list[date]] = {}
    for opp_id, created_at, close_date in lives:
        assert close_date is not None
        days_by_deal[opp_id] = sample_days(created_at.date(), close_date) or [close_date]
    examples = features.deal_features(session, stmt, today, days_by_deal=days_by_deal)
    weights = [1.0 / len(days_by_deal[d.opportunity_id]) for d in examples]
    return examples, weights
