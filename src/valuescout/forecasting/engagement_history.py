"""Buyer engagement as it was on a given day, from the deal's history.

The deal's history (`opportunity_changes`) records, with their times, each new last meeting
(`last_meeting`), the mutual plan being agreed (`mutual_plan`) and how many value-case outcomes
the customer had confirmed (`confirmed`). A deal described as of a day — a closed deal at its
close, an open one today, any deal on a past day when a snapshot is rebuilt — sees only what
was recorded by the end of that day.

Where a deal has no such history (data from before it was kept, or imported), its current
values stand for its final state: they count on a day at or after the deal's close (or today),
and are unknown (not met) before — except the last meeting, whose date says when it was held.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from valuescout.core.sql_sets import id_filters
from valuescout.deals.models import OpportunityChange

FIELDS = ("last_meeting", "mutual_plan", "confirmed")


@dataclass
class Trail:
    meetings: list[tuple[datetime, date]] = field(default_factory=list)  # recorded, held on
    plan: list[tuple[datetime, bool]] = field(default_factory=list)
    confirmed: list[tuple[datetime, int]] = field(default_factory=list)


@dataclass(frozen=True)
class EngagementThen:
    meetings: tuple[date, ...]
    mutual_plan: bool
    confirmed: int


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def trails(session: Session, opp_ids: Collection[int]) -> dict[int, Trail]:
    out: dict[int, Trail] = defaultdict(Trail)
    for among in id_filters(session, OpportunityChange.opportunity_id, opp_ids):
        rows = session.execute(
            select(
                OpportunityChange.opportunity_id,
                OpportunityChange.field,
                OpportunityChange.new_value,
                OpportunityChange.changed_at,
            )
            .where(
                among,
                OpportunityChange.field.in_(FIELDS),
            )
            .order_by(OpportunityChange.changed_at, OpportunityChange.id)
        )
        for opp_id, name, value, at in rows:
            trail, at = out[opp_id], _aware(at)
            if name == "last_meeting" and value:
                trail.meetings.append((at, date.fromisoformat(value)))
            elif name == "mutual_plan":
                trail.plan.append((at, value == "agreed"))
            elif name == "confirmed" and value is not None and value.isdigit():
                trail.confirmed.append((at, int(value)))
    return dict(out)


def engagement_on(
    trail: Trail | None,
    day: date,
    *,
    final: bool,
    last_meeting: date | None,
    mutual_plan: bool,
    confirmed_now: int,
) -> EngagementThen:
    """What was known of the buyer's engagement at the end of `day`; `final` says the deal's
    current values are its state on that day (the day is at or after its close, or today)."""
    trail = trail or Trail()
    end = datetime.combine(day, time.max, UTC)
    held = {d for at, d in trail.meetings if at <= end and d <= day}
    if last_meeting is not None and last_meeting <= day:
        held.add(last_meeting)
    if trail.plan:
        plan = next((v for at, v in reversed(trail.plan) if at <= end), False)
    else:
        plan = mutual_plan and final
    if trail.confirmed:
        confirmed = next((v for at, v in reversed(trail.confirmed) if at <= end), 0)
    else:
        confirmed = confirmed_now if final else 0
    return EngagementThen(tuple(sorted(held)), plan, confirmed)
