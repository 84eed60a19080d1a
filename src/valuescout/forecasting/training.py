"""The examples the learned methods train on: closed deals seen as they were while still open.

A model that scores open deals must learn from deals described the same way. A closed deal
described at its close shows the engagement of its last days (the plan agreed, the recent
meeting, the confirmed outcomes) that an open deal mid-way has not shown yet, so a model trained
on it would read every open deal as a likely loss. Each closed deal therefore gives one example
per `STEP_DAYS` of its open life (from its creation to the day before it closed, at most
`MAX_SAMPLES`, the last ones kept), each described as of that day from the deal's history
(engagement and confirmations then) and labelled with how the deal ended; the deal's examples
weigh one deal together, so long deals do not count more.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from valuescout.deals.models import Opportunity, Stage
from valuescout.forecasting import features

STEP_DAYS = 30
MAX_SAMPLES = 6


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
    """Closed deals (those closed before `before`, when given) as examples on days of their
    open life, and each example's weight (1 / the deal's number of examples)."""
    stmt = features.deals_query().where(
        Stage.outcome != "open", Opportunity.close_date.is_not(None)
    )
    if before is not None:
        stmt = stmt.where(Opportunity.close_date < before)
    deals = session.execute(stmt).all()
    days_by_deal: dict[int, list[date]] = {}
    for opp, _stage, _acc in deals:
        assert opp.close_date is not None
        days_by_deal[opp.id] = sample_days(opp.created_at.date(), opp.close_date) or [
            opp.close_date
        ]
    examples = features.deal_features(session, stmt, today, days_by_deal=days_by_deal)
    weights = [1.0 / len(days_by_deal[d.opportunity_id]) for d in examples]
    return examples, weights
