"""The history behind the demo deals' buyer engagement: the meetings held, the day the mutual
plan was agreed and each outcome the customer confirmed, dated inside the deal's life and
ending at the final fields, so a forecast rebuilt for a past day sees that day's engagement
and not the future. Written on a stream of its own: nothing else the demo makes moves."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.demo_store import ReadDemo
from valuescout.deals.models import (
    Opportunity,
    OpportunityChange,
    Stage,
    ValueCase,
    ValueOutcome,
)
from valuescout.demo import dealflow
from valuescout.demo.deals import DealScale
from valuescout.demo.generator import seed_demo

TODAY = date(2026, 6, 15)
CUTOFF = datetime(2026, 6, 15, tzinfo=UTC)
SMALL = DealScale(accounts=60, opportunities=400)
ENGAGEMENT = ("last_meeting", "mutual_plan", "confirmed")


def _histories(session: Session) -> dict[int, list[OpportunityChange]]:
    history: dict[int, list[OpportunityChange]] = defaultdict(list)
    query = select(OpportunityChange).order_by(OpportunityChange.changed_at, OpportunityChange.id)
    for change in session.scalars(query):
        history[change.opportunity_id].append(change)
    return history


def _stage_at(changes: list[OpportunityChange], moment: datetime) -> str:
    return [c for c in changes if c.field == "stage" and c.changed_at <= moment][-1].new_value or ""


@pytest.mark.xdist_group("demo-full")
def test_engagement_history_ends_at_the_final_fields(read_demo: ReadDemo) -> None:
    _, session = read_demo(seed=7, today=TODAY)
    stages = {s.id: s for s in session.scalars(select(Stage))}
    position = {s.name: s.position for s in stages.values()}
    proposal = sorted(s.position for s in stages.values() if s.outcome == "open")[-2]
    opps = {o.id: o for o in session.scalars(select(Opportunity))}
    cases = {c.opportunity_id: c for c in session.scalars(select(ValueCase))}
    case_deal = {c.id: c.opportunity_id for c in cases.values()}
    confirmed = Counter(
        case_deal[o.value_case_id]
        for o in session.scalars(select(ValueOutcome).where(ValueOutcome.state == "confirmed"))
    )
    history = _histories(session)
    rows = Counter(c.field for h in history.values() for c in h)
    assert rows["mutual_plan"] == sum(o.mutual_plan for o in opps.values())
    assert rows["confirmed"] == sum(confirmed.values())
    assert rows["last_meeting"] >= 5 * sum(o.last_meeting_on is not None for o in opps.values())

    plans_at_proposal, same_day_closes = 0, 0
    meetings: dict[bool, list[float]] = {True: [], False: []}  # per 30 days: lively, quiet
    for opp_id, changes in history.items():
        opp = opps[opp_id]
        closed = stages[opp.stage_id].outcome != "open"
        assert opp.close_date is not None
        end = datetime.combine(opp.close_date, datetime.min.time(), UTC) if closed else CUTOFF
        mine = {f: [c for c in changes if c.field == f] for f in ENGAGEMENT}
        for c in (c for f in ENGAGEMENT for c in mine[f]):
            assert opp.created_at < c.changed_at < CUTOFF, (opp_id, c.field)
            assert c.actor_id == opp.owner_id
        # Meetings: in order, on the day they were held, before the close (or today); the
        # last one is the deal's last meeting.
        held = mine["last_meeting"]
        if opp.last_meeting_on is None:
            assert not held and not mine["mutual_plan"]
        else:
            days = [date.fromisoformat(c.new_value or "") for c in held]
            assert days == sorted(set(days)) and days[-1] == opp.last_meeting_on
            assert [c.old_value for c in held] == [None] + [d.isoformat() for d in days[:-1]]
            assert all(c.changed_at.date() == d for c, d in zip(held, days, strict=True))
            assert opp.created_at.date() <= days[0] and days[-1] < end.date()
            assert all(c.changed_at < end for c in held)
            lively = (end.date() - opp.last_meeting_on).days < 21
            span = max(30, (opp.last_meeting_on - opp.created_at.date()).days)
            meetings[lively].append(30 * len(days) / span)
        # The mutual plan: agreed once, in a meeting, on or before the last one.
        plan = mine["mutual_plan"]
        assert len(plan) == opp.mutual_plan
        if plan:
            assert (plan[0].old_value, plan[0].new_value) == (None, "agreed")
            assert opp.last_meeting_on is not None
            assert plan[0].changed_at.date() in {c.changed_at.date() for c in held}
            assert plan[0].changed_at.date() <= opp.last_meeting_on
            # At Proposal or later, or the furthest stage it reached if less, or else (a deal
            # that went quiet before getting there) at its last meeting.
            then = position[_stage_at(changes, plan[0].changed_at)]
            walked = [position[c.new_value or ""] for c in changes if c.field == "stage"]
            furthest = max(p for p in walked if p <= proposal + 1)
            at_last = plan[0].changed_at.date() == opp.last_meeting_on
            assert then >= min(proposal, furthest) or at_last, opp_id
            plans_at_proposal += then >= proposal
        # Confirmed outcomes: counted up one at a time to what the value case holds, after
        # the case was made and before the close day (a deal closed the day it opened: that
        # day, before the close) or today.
        count = mine["confirmed"]
        assert [(c.old_value, c.new_value) for c in count] == [
            (str(n), str(n + 1)) for n in range(confirmed[opp_id])
        ]
        if count:
            assert cases[opp_id].created_at <= count[0].changed_at
            assert cases[opp_id].updated_at >= count[-1].changed_at
            if opp.created_at.date() < end.date():
                assert count[-1].changed_at < end
            else:
                same_day_closes += 1
                assert count[-1].changed_at < _close(changes).changed_at
        assert changes[-1].changed_at == opp.updated_at
    assert plans_at_proposal >= 0.6 * rows["mutual_plan"], (plans_at_proposal, rows)
    assert same_day_closes <= 3
    # Lively deals met the customer more often than those that went quiet.
    lively_rate = sorted(meetings[True])[len(meetings[True]) // 2]
    quiet_rate = sorted(meetings[False])[len(meetings[False]) // 2]
    assert lively_rate > quiet_rate * 1.2, (lively_rate, quiet_rate)


def _close(changes: list[OpportunityChange]) -> OpportunityChange:
    return [c for c in changes if c.field == "stage"][-1]


def _everything_else(session: Session) -> list[tuple[object, ...]]:
    """The deals as the demo made them (engagement fields included) and their other history."""
    o = Opportunity
    deals = select(o.name, o.amount, o.close_date, o.last_meeting_on, o.mutual_plan).order_by(o.id)
    c = OpportunityChange
    other = (
        select(c.field, c.old_value, c.new_value, c.changed_at)
        .where(c.field.not_in(ENGAGEMENT))
        .order_by(c.opportunity_id, c.changed_at, c.id)
    )
    v = ValueOutcome
    outcomes = select(v.name, v.state, v.yearly_value).order_by(v.id)
    return [tuple(r) for q in (deals, other, outcomes) for r in session.execute(q)]


def test_history_draws_change_nothing_else(
    session: Session, read_demo: ReadDemo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the history the deals, their last meetings and plans, their stage, amount and
    close-date histories and their value cases come out the same: the shared company as
    drawn, and the same seed again here with no history drawn."""
    _, shared = read_demo(seed=8, today=TODAY, deals=SMALL)
    drawn = _everything_else(shared)
    assert Counter(c.field for h in _histories(shared).values() for c in h).keys() >= set(
        ENGAGEMENT
    )
    monkeypatch.setattr(dealflow, "history_rows", lambda *a, **k: [])
    seed_demo(session, seed=8, today=TODAY, deals=SMALL)
    assert _everything_else(session) == drawn
