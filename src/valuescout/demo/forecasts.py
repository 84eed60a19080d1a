"""The demo company's forecasting history: a snapshot at the start of each of the last four
quarters (and of the current one), rebuilt from the deals' stage and close-date history as the
company would have taken it that day (`forecasting.snapshots.backfill`), and a quota per team
and quarter, so the forecast shows coverage and the accuracy page compares the methods on
quarters that have closed.

Quotas: per team, its average quarterly bookings over the demo's history, raised 10% and
rounded to 100,000 — a stretch the teams make some quarters and miss in others.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from valuescout.deals.models import Opportunity, Stage
from valuescout.deals.valuecase_figures import deal_settings
from valuescout.forecasting.models import ForecastQuota
from valuescout.forecasting.periods import Period, last_quarters
from valuescout.forecasting.snapshots import backfill
from valuescout.identity.models import Team, User

PAST_QUARTERS = 4
STRETCH = Decimal("1.10")


@dataclass
class ForecastCounts:
    snapshots: int = 0
    quotas: int = 0


def _quarterly_bookings(session: Session, currency: str) -> dict[int, dict[str, Decimal]]:
    """Per team (and every team above it): bookings won per quarter."""
    parents = {t: p for t, p in session.execute(select(Team.id, Team.parent_id))}
    team_of = {u: t for u, t in session.execute(select(User.id, User.team_id))}
    out: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    rows = session.execute(
        select(Opportunity.owner_id, Opportunity.close_date, Opportunity.amount)
        .join(Stage, Stage.id == Opportunity.stage_id)
        .where(Stage.outcome == "won", Opportunity.currency == currency)
    )
    for owner, closed, amount in rows:
        if closed is None:
            continue
        team = team_of.get(owner)
        label = Period.containing(closed).label
        seen: set[int] = set()
        while team is not None and team not in seen:
            seen.add(team)
            out[team][label] += amount
            team = parents.get(team)
    return out


def seed_forecasts(session: Session, today_: date) -> ForecastCounts:
    counts = ForecastCounts()
    current = Period.containing(today_)
    for period in [*last_quarters(today_, PAST_QUARTERS), current]:
        backfill(session, period, period.start)
        counts.snapshots += 1
    currency = deal_settings(session).currency
    history = _quarterly_bookings(session, currency)
    for team_id, quarters in history.items():
        closed = [v for k, v in quarters.items() if Period.parse(k) < current]
        if not closed:
            continue
        average = sum(closed, Decimal(0)) / len(closed)
        quota = (average * STRETCH / 100_000).quantize(Decimal(1)) * 100_000
        periods = [*last_quarters(today_, PAST_QUARTERS), current, current.next()]
        session.add_all(
            ForecastQuota(team_id=team_id, period=p.label, amount=quota, currency=currency)
            for p in periods
        )
        counts.quotas += len(periods)
    session.flush()
    return counts
