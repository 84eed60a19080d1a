"""A demo deal's buyer engagement: the last meeting with the customer and whether the customer
agreed a mutual plan — the signals the "fit + engagement" forecast reads.

Drawn from the deal's eventual outcome (the generator knows it, also for open deals) and how
far the deal got, on a random stream of its own, so adding them changed nothing else the demo
makes. The articles' story: buyers engaged in their own buying process win more often. Won
deals mostly met the customer in the last weeks before closing and often worked to a mutual
plan; lost deals often went quiet weeks before the loss and rarely had a plan; a deal in its
first stages rarely has one. Open deals are drawn from their eventual outcome with the gap
narrowed (a deal that will be lost next quarter may be lively today), so the signal informs
without giving the outcome away.

Aimed for: an AUC of about 0.70 for these two signals alone on closed deals, scored as the
default scorecard weighs them (mutual plan 18; a meeting within 14 days of the close 15, half
within 28); measured 0.73 on the default demo (seed 7; 0.74 and 0.75 with seeds 8 and 11), and
about 0.60 on open deals against their eventual outcome. Won deals: about 50% with a mutual
plan and 70% with a meeting in the 30 days before the close; lost deals: 15% and 50% (short
deals lost early met the customer recently by construction).
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any


@dataclass(frozen=True, slots=True)
class Engagement:
    last_meeting_on: date | None
    mutual_plan: bool


# Chance the last meeting was in the deal's final weeks (else the deal had gone quiet), and
# the mutual plan factor, by (closed, won). Open deals' are narrowed towards each other.
ACTIVE = {(True, True): 0.72, (True, False): 0.4, (False, True): 0.66, (False, False): 0.5}
PLAN = {(True, True): 1.0, (True, False): 0.8, (False, True): 1.0, (False, False): 0.85}
ACTIVE_GAP = 9.0  # mean days from the last meeting to the close (or today) when active
QUIET_GAP = (21, 120)  # days, when the deal had gone quiet
EARLY_PLAN = 0.03  # mutual plans before the deal is half way through its stages


def draw_engagement(
    rng: random.Random,
    *,
    won: bool,
    closed: bool,
    progress: float,
    first: date,
    last: date,
) -> Engagement:
    """`won`: the deal's eventual outcome; `progress`: furthest open stage reached, 0..1;
    the last meeting falls in [first, last] (the deal's creation day to the day before its
    close, or before today for an open deal), or is None when the deal has had none."""
    key = (closed, won)
    progress = min(1.0, max(0.0, progress))
    if progress < 0.5:
        plan = rng.random() < EARLY_PLAN
    else:
        plan = rng.random() < min(0.95, (0.05 + 0.45 * progress) * PLAN[key])
    no_meeting = 0.02 if won else 0.06 + 0.14 * (1 - progress)
    if last < first or rng.random() < no_meeting:
        return Engagement(None, False)  # a plan is agreed with the customer, in a meeting
    active = rng.random() < ACTIVE[key]  # met in the final weeks, or gone quiet
    gap = rng.expovariate(1 / ACTIVE_GAP) if active else rng.uniform(*QUIET_GAP)
    gap = min(int(gap), (last - first).days)
    return Engagement(last - timedelta(days=gap), plan)


# --- the history behind the final fields ---------------------------------------------------
#
# A forecast rebuilt for a past day reads the buyer engagement of that day from the deal's
# history (opportunity_changes), so the demo writes how the final fields came about: one row
# per meeting held ("last_meeting", ISO dates), the day the mutual plan was agreed, and each
# value-case outcome the customer confirmed ("confirmed", a running count). Drawn on a stream
# of their own, after the deal is otherwise complete: the final fields stay as drawn above.

CADENCE = {True: (10.0, 24.0), False: (24.0, 50.0)}  # days between meetings: lively, quiet
QUIET_AFTER = QUIET_GAP[0]  # a last meeting this long before the close (or today): gone quiet
FIRST_MEETING = 4.0  # mean days from the deal's creation to its first meeting
PLAN_AFTER = timedelta(minutes=45)  # a plan agreed in a meeting is noted this long after
Stamp = Callable[[float], datetime]  # a day offset from the deal's creation -> a UTC time


@dataclass(frozen=True, slots=True)
class DealDays:
    """What the history is dated by: the deal's creation, the days it entered each stage it
    reached after its first, the times it spent where a mutual plan is likely, the end of its
    life (its close day, or today, 00:00 UTC), and when its value case's outcomes could be
    confirmed (day offsets from creation)."""

    created: datetime
    stage_days: list[date]
    plan_windows: list[tuple[datetime, datetime]]
    end: datetime
    confirm_from: float
    confirm_until: float


def deal_days(
    stamp: Stamp,
    created: datetime,
    *,
    entries: list[float],
    eligible: list[bool],
    end: datetime,
    closed_at: float | None,
) -> DealDays:
    """`stamp` dates day offsets from `created`; `entries`: the offsets at which the deal
    entered each stage it reached (a step back repeats one); `eligible`: whether a mutual plan
    fits that stage (Proposal or later, or the furthest stage it reached); `end`: its close day
    or today, 00:00 UTC; `closed_at`: the offset of its close. Outcomes are confirmed from its
    middle stage (not before its value case was made, on its second) to the day before `end`."""
    entered = [stamp(offset) for offset in entries] + [end]
    windows = [
        (entered[j], entered[j + 1])
        for j, fits in enumerate(eligible)
        if fits and entered[j] < entered[j + 1]
    ]
    until = (end - created).total_seconds() / 86400
    since = max(entries[len(entries) // 2], entries[min(1, len(entries) - 1)], 1 / 24)
    if until <= since:  # closed the day its middle stage began: confirmed earlier
        until = until if until > 0 or closed_at is None else closed_at  # or that day
        since = until / 2
    return DealDays(entered[0], [m.date() for m in entered[1:-1]], windows, end, since, until)


def meeting_days(rng: random.Random, deal: DealDays, last: date) -> list[date]:
    """The days the seller met the customer, from soon after the deal's creation to `last` (the
    final meeting, kept): one around each stage change before it, more in between, fewer for a
    deal that went quiet. Working days where the shift stays in range; distinct, in order."""
    first_day = deal.created.date()
    lively = (deal.end.date() - last).days < QUIET_AFTER
    anchors = [first_day + timedelta(days=int(rng.expovariate(1 / FIRST_MEETING)))]
    anchors += [day + timedelta(days=rng.randint(-3, 2)) for day in deal.stage_days]
    days = sorted({_working(d) for d in anchors if first_day <= d < last} | {last})
    spacing = rng.uniform(*CADENCE[lively])
    held = list(days)
    for before, after in itertools.pairwise(days):
        gap = (after - before).days
        extra = int(gap / spacing)
        for k in range(1, extra + 1):
            shift = gap * k / (extra + 1) + rng.uniform(-2.0, 2.0)
            held.append(_working(before + timedelta(days=round(shift))))
    return sorted({d for d in held if first_day <= d <= last})


def history_rows(
    rng: random.Random,
    deal: DealDays,
    signals: Engagement,
    confirmed: int,
    stamp: Stamp,
    actor: int,
) -> list[dict[str, Any]]:
    """OpportunityChange rows (without the deal's id) for the meetings, the mutual plan and the
    confirmed outcomes, each field's rows in order; none on or after `deal.end`."""
    rows: list[dict[str, Any]] = []
    held: list[tuple[date, datetime]] = []
    if signals.last_meeting_on is not None:
        previous: str | None = None
        for day in meeting_days(rng, deal, signals.last_meeting_on):
            at = datetime.combine(day, time(rng.randint(9, 16), rng.choice((0, 30))), UTC)
            if at <= deal.created:  # met the day the deal was opened, after it was
                at = deal.created + timedelta(minutes=30)
            held.append((day, at))
            rows.append(_row("last_meeting", previous, day.isoformat(), at, actor))
            previous = day.isoformat()
    if signals.mutual_plan and held:
        later = [
            at + PLAN_AFTER
            for _, at in held
            if any(start <= at and at + PLAN_AFTER < stop for start, stop in deal.plan_windows)
        ]
        agreed = rng.choice(later[:3]) if later else held[-1][1] + PLAN_AFTER  # in a meeting
        rows.append(_row("mutual_plan", None, "agreed", agreed, actor))
    if confirmed:
        low, high = deal.confirm_from, deal.confirm_until
        moments = sorted(stamp(rng.uniform(low, high)) for _ in range(confirmed))
        for count, at in enumerate(moments):
            rows.append(_row("confirmed", str(count), str(count + 1), at, actor))
    return rows


def _working(day: date) -> date:
    """Saturday -> the Friday before, Sunday -> the Monday after."""
    return day + timedelta(days={5: -1, 6: 1}.get(day.weekday(), 0))


def _row(field: str, old: str | None, new: str, at: datetime, actor: int) -> dict[str, Any]:
    return {"field": field, "old_value": old, "new_value": new, "changed_at": at, "actor_id": actor}
