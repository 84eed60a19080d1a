"""The opportunity use cases called directly: weighted totals against Decimal arithmetic on
both databases, the history's actor and time, and the stage a new deal starts in."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from tests.deals.test_service_builders import build_deal, principal
from tests.factories import make_org
from valuescout.core.errors import NotFound
from valuescout.core.money import to_money
from valuescout.core.pagination import PageRequest
from valuescout.deals import service, service_pipeline
from valuescout.deals.models import Opportunity, OpportunityChange, Stage
from valuescout.deals.schemas import OpportunityIn, OpportunityUpdate


def test_weighted_totals_are_exact_decimal_sums(session: Session) -> None:
    org = make_org(session)
    seller = org.user("seller")
    who = principal(session, seller)
    stages = {s.id: s.probability for s in session.scalars(select(Stage))}
    rng = random.Random(20261127)
    expected: dict[int, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for _ in range(40):
        amount = Decimal(rng.randint(0, 10**9)) / 100
        stage_id = rng.choice(list(stages))
        built = build_deal(session, seller, amount=str(amount), stage_id=stage_id, value_case=False)
        probability = stages[stage_id]
        if rng.random() < 0.5:
            probability = Decimal(rng.randint(0, 10_000)) / 10_000
            service.update_opportunity(
                session, who, built.opp_id, OpportunityUpdate(probability=probability)
            )
        expected[stage_id][0] += amount
        expected[stage_id][1] += amount * probability
    session.flush()
    out = service_pipeline.pipeline(session, who, service_pipeline.PipelineFilter(), PageRequest())
    for total in out.totals:
        amount, weighted = expected.get(total.stage_id, (Decimal(0), Decimal(0)))
        assert total.amount == to_money(amount), total
        assert total.weighted == to_money(weighted), total
    assert out.total == 40
    assert out.total_amount == to_money(sum((a for a, _ in expected.values()), Decimal(0)))


def test_history_names_who_changed_what_and_when(session: Session) -> None:
    org = make_org(session)
    built = build_deal(session, org.user("seller"), value_case=False)
    manager = principal(session, org.user("manager"))
    service.update_opportunity(
        session,
        manager,
        built.opp_id,
        OpportunityUpdate(stage_id=2, close_date=date(2027, 4, 1), description="Notes"),
    )
    session.flush()
    rows = session.scalars(
        select(OpportunityChange)
        .where(OpportunityChange.opportunity_id == built.opp_id)
        .order_by(OpportunityChange.id)
    ).all()
    assert [(r.field, r.actor_id) for r in rows] == [
        ("stage", org.user("seller").id),
        ("amount", org.user("seller").id),
        ("close_date", org.user("seller").id),
        ("stage", org.user("manager").id),
        ("close_date", org.user("manager").id),
    ]
    assert rows[3].changed_at == rows[4].changed_at  # one change, one time
    assert rows[3].changed_at >= rows[2].changed_at
    detail = service.opportunity_detail(session, manager, built.opp_id)
    assert [(h.field, h.new_value) for h in detail.history][-2:] == [
        ("stage", "Qualifying"),
        ("close_date", "2027-04-01"),
    ]


def test_a_new_deal_starts_in_the_first_open_stage(session: Session) -> None:
    org = make_org(session)
    who = principal(session, org.user("seller"))
    session.execute(update(Stage).where(Stage.name == "Prospecting").values(outcome="lost"))
    opp = service.create_opportunity(session, who, OpportunityIn(name="Starts later"))
    assert session.get(Stage, opp.stage_id).name == "Qualifying"  # type: ignore[union-attr]
    session.execute(update(Stage).where(Stage.outcome == "open").values(outcome="won"))
    with pytest.raises(NotFound, match="No open stage"):
        service.create_opportunity(session, who, OpportunityIn(name="Nowhere to start"))
    assert (
        session.scalar(select(Opportunity.name).where(Opportunity.name == "Nowhere to start"))
        is None
    )
