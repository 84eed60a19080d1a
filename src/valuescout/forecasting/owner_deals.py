"""Each owner's open deals of a period, read and scored once and shared by every forecast that
includes them.

A seller's deals are in their own forecast, their team's, their region's and the company's:
scored per forecast, each deal was read and scored four times (most of a forecast's cost;
bench/README.md, load test). Per owner, the scored deals are kept for `MAX_AGE` seconds with
the models that scored them; a forecast takes the owners it finds and reads and scores the
missing ones together (the same few queries as before, for fewer owners). A forecast is then
as old as its oldest owner's deals (`Scored.taken_at`), which it says.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session

from valuescout.core.shared_cache import Entry, SharedCache
from valuescout.deals.models import Opportunity, Stage
from valuescout.forecasting import features, methods
from valuescout.forecasting.periods import Period

MAX_AGE = 30.0
OWNER_DEALS: SharedCache[Scored] = SharedCache(4096, max_age=MAX_AGE, name="owner-deals")


@dataclass(frozen=True)
class Scored:
    deals: list[methods.DealScore]  # by opportunity id
    models: methods.Models  # that scored them
    taken_at: datetime


def _in_period(stmt: features.DealsQuery, period: Period, today: date) -> features.DealsQuery:
    closes: ColumnElement[bool] = Opportunity.close_date.between(period.start, period.end)
    if period.contains(today):  # overdue deals are still expected this quarter
        closes = closes | (Opportunity.close_date < period.start) | Opportunity.close_date.is_(None)
    return stmt.where(closes)


def open_deals(
    session: Session, owners: set[int], period: Period, today: date, currency: str
) -> list[features.DealFeatures]:
    stmt = features.deals_query().where(
        Stage.outcome == "open",
        Opportunity.owner_id.in_(owners),
        Opportunity.currency == currency,
    )
    return features.deal_features(session, _in_period(stmt, period, today), today)


def scored_open_deals(
    session: Session,
    owners: set[int],
    period: Period,
    today: date,
    currency: str,
    models: methods.Models,
    cache: SharedCache[Scored] = OWNER_DEALS,
) -> Scored:
    """The owners' open deals of the period scored by `models`, by opportunity id; taken_at:
    when the oldest of them was read."""
    url = str(session.get_bind().engine.url)

    def key(owner: int) -> tuple[object, ...]:
        return (url, owner, period, today, currency)

    def current(entry: Entry[Scored]) -> bool:
        return entry.value.models is models and cache.age(entry) <= cache.max_age

    found: dict[int, Scored] = {}
    for owner in owners:
        kept = cache.peek(key(owner), current)
        if kept is not None:
            found[owner] = kept
    missing = owners - found.keys()
    if missing:
        taken_at = datetime.now(UTC)
        by_owner: dict[int, list[methods.DealScore]] = defaultdict(list)
        for s in methods.score(models, open_deals(session, missing, period, today, currency)):
            by_owner[s.deal.owner_id].append(s)
        for owner in missing:
            found[owner] = Scored(by_owner.get(owner, []), models, taken_at)
            cache.put(key(owner), found[owner])
    deals = sorted(
        (s for v in found.values() for s in v.deals), key=lambda s: s.deal.opportunity_id
    )
    oldest = min((v.taken_at for v in found.values()), default=datetime.now(UTC))
    return Scored(deals, models, oldest)
