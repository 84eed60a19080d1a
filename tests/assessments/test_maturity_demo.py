"""The data-backed indicators on the demo company, each figure checked against a count made
here from the rows themselves; and the demo's two closed rounds a quarter apart (several
respondents, some disagreement, visible improvement, results stored with their time).

The demo is built once per backend (about 20 s) in its own database, and shared."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.demo_store import ReadDemo
from valuescout.assessments import evidence, service
from valuescout.assessments.models import MaturityAnswer, MaturityRound
from valuescout.conversations.models import Interaction
from valuescout.core.errors import Forbidden
from valuescout.deals.models import LineItem, Opportunity, Stage, ValueCase, ValueOutcome
from valuescout.forecasting import service_accuracy
from valuescout.forecasting.service import OPERATOR
from valuescout.identity.models import User
from valuescout.identity.roles import Role
from valuescout.identity.service import principal_of
from valuescout.pricing.models import PriceRequest

TODAY = date(2026, 11, 28)
START = TODAY - timedelta(days=evidence.PERIOD_DAYS)


# The tests share one seeded company (per backend): on one worker, it is seeded once.
pytestmark = pytest.mark.xdist_group("demo-maturity")


@pytest.fixture()
def demo(read_demo: ReadDemo) -> Session:
    """A read-only session on the demo company, seeded once and shared (tests/demo_store.py)."""
    return read_demo(seed=7, today=TODAY)[1]


def _won_in_period(session: Session) -> list[Opportunity]:
    won = set(session.scalars(select(Stage.id).where(Stage.outcome == "won")))
    return [
        o for o in session.scalars(select(Opportunity))
        if o.stage_id in won and o.close_date is not None and START < o.close_date <= TODAY
    ]  # fmt: skip


def test_discount_tracking_matches_the_won_deals(demo: Session) -> None:
    item = evidence.discount_tracking(demo, TODAY)
    won = _won_in_period(demo)
    priced = {i.opportunity_id for i in demo.scalars(select(LineItem)) if i.list_price > 0}
    tracked = [o for o in won if o.id in priced and o.account_id is not None]
    assert item.basis == len(won) > 100
    assert f"{100 * len(tracked) / len(won):.0f}% of {len(won)} won deals" in item.value
    assert f"{len({o.owner_id for o in tracked})} sellers" in item.value
    assert item.supports is (len(tracked) / len(won) >= 0.8)
    assert item.period == f"{START.isoformat()} to {TODAY.isoformat()}"


def test_confirmed_value_cases_match_the_outcomes(demo: Session) -> None:
    item = evidence.confirmed_value_cases(demo, TODAY)
    won = _won_in_period(demo)
    cases = {c.id: c.opportunity_id for c in demo.scalars(select(ValueCase))}
    confirmed = {
        cases[o.value_case_id] for o in demo.scalars(select(ValueOutcome)) if o.state == "confirmed"
    }
    count = sum(1 for o in won if o.id in confirmed)
    assert 0 < count < len(won)
    assert item.value.startswith(f"{100 * count / len(won):.0f}% of {len(won)} won deals")
    assert item.supports is (count / len(won) >= 0.5)


def test_call_planning_matches_the_meetings(demo: Session) -> None:
    item = evidence.call_planning(demo, TODAY)
    meetings = [
        i for i in demo.scalars(select(Interaction))
        if i.kind == "meeting" and START < i.occurred_on <= TODAY
    ]  # fmt: skip
    assert item.basis == len(meetings)
    if not meetings:
        assert item.supports is None and "no meetings" in item.value
        return
    planned = sum(1 for i in meetings if i.call_plan_id is not None)
    assert item.value.startswith(f"{100 * planned / len(meetings):.0f}% of {len(meetings)}")
    assert item.supports is (planned / len(meetings) >= 0.6)


def test_approvals_read_the_policy_and_the_decided_requests(demo: Session) -> None:
    item = evidence.approvals_value_evidence(demo, TODAY)
    decided = [
        r for r in demo.scalars(select(PriceRequest))
        if r.state in ("approved", "rejected") and r.decided_at is not None
        and START <= r.decided_at.date() <= TODAY
    ]  # fmt: skip
    with_value = sum(1 for r in decided if r.evidence.get("has_value_case") is True)
    assert item.basis == len(decided) > 0
    assert "5 of 7 rules of the price policy in force test value-case evidence" in item.value
    assert f"{100 * with_value / len(decided):.0f}% of {len(decided)} decided" in item.value
    assert item.supports is (with_value / len(decided) >= 0.5)


def test_forecast_evidence_follows_the_accuracy(demo: Session) -> None:
    rigour, informed = evidence.forecast_evidence(demo, TODAY)
    accuracy = service_accuracy.accuracy(demo, OPERATOR, None, TODAY)
    assert rigour.basis == len(accuracy.periods) >= 2
    best = next(m for m in accuracy.methods if m.method == accuracy.most_accurate)
    assert rigour.supports is (best.wape is not None and best.wape <= 0.25)
    assert informed.supports is (accuracy.most_accurate == "value")
    assert f"{len(accuracy.periods)} closed quarters snapshotted" in rigour.value


def test_demo_has_two_closed_rounds_a_quarter_apart(demo: Session) -> None:
    rounds = demo.scalars(select(MaturityRound).order_by(MaturityRound.closed_at)).all()
    assert [r.status for r in rounds] == ["closed", "closed"]
    assert all(r.result is not None and r.closed_at is not None for r in rounds)
    gap = rounds[1].closed_at - rounds[0].closed_at  # type: ignore[operator]
    assert 80 <= gap.days <= 100
    for row in rounds:
        people = {a.respondent_id for a in demo.scalars(
            select(MaturityAnswer).where(MaturityAnswer.round_id == row.id))}  # fmt: skip
        assert len(people) >= 5
        assert row.result["respondents"] == len(people)  # type: ignore[index]
        assert row.result["disagreements"]  # type: ignore[index]
        assert {e["id"] for e in row.result["evidence"]} == set(evidence.gather(demo, TODAY))  # type: ignore[index]


def test_demo_journey_shows_improvement(demo: Session) -> None:
    executive = demo.scalars(select(User).where(User.role == Role.EXECUTIVE)).first()
    assert executive is not None
    steps = service.journey(demo, principal_of(executive)).steps
    assert len(steps) == 2 and steps[0].changes == []
    changes = {c.domain: c.change for c in steps[1].changes}
    assert all(v >= 0 for v in changes.values()) and sum(changes.values()) >= 2
    assert len(steps[1].newly_met) > len(steps[1].lost)
    seller = demo.scalars(select(User).where(User.role == Role.SELLER)).first()
    assert seller is not None
    with pytest.raises(Forbidden):
        service.result(demo, principal_of(seller), steps[1].round_id)
