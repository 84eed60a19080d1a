"""The demo company's deals: believable volumes, every stage and state, honest histories, and
sellers whose discount habits show in their line items."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.demo_store import ReadDemo
from valuescout.core.pagination import PageRequest
from valuescout.deals import service_pipeline
from valuescout.deals.models import (
    Account,
    Contact,
    LineItem,
    Opportunity,
    OpportunityChange,
    Product,
    Stage,
    ValueCase,
    ValueOutcome,
)
from valuescout.deals.terms import AlternativeKind, DealType, RfpClass
from valuescout.deals.valuecase import OutcomeState
from valuescout.identity.models import User
from valuescout.identity.service import principal_of
from valuescout.valuenet.models import NetworkNode

TODAY = date(2026, 6, 15)


@pytest.mark.xdist_group("demo-full")
def test_demo_deals_have_the_promised_shape(read_demo: ReadDemo) -> None:
    demo, session = read_demo(seed=7, today=TODAY)
    assert demo.deals.accounts == 300 and demo.deals.opportunities == 2000
    assert session.scalar(select(func.count()).select_from(Opportunity)) == 2000
    assert session.scalar(select(func.count()).select_from(Account)) == 300
    per_account = Counter(session.scalars(select(Contact.account_id)))
    assert len(per_account) == 300 and set(per_account.values()) <= {3, 4, 5, 6}
    economic = set(
        session.scalars(select(Contact.account_id).where(Contact.buying_role == "economic_buyer"))
    )
    assert len(economic) == 300
    products = session.scalars(select(Product)).all()
    assert len(products) >= 8
    assert all(p.value_network_id is not None and p.unit_cost < p.list_price for p in products)

    stages = {s.id: s for s in session.scalars(select(Stage))}
    opps = session.scalars(select(Opportunity)).all()
    assert {o.stage_id for o in opps} == set(stages), "every stage has deals"
    outcome = Counter(stages[o.stage_id].outcome for o in opps)
    assert 0.08 <= outcome["open"] / 2000 <= 0.25 and outcome["won"] > 400 and outcome["lost"] > 400
    for o in opps:
        assert o.close_date is not None
        if stages[o.stage_id].outcome == "open":
            assert o.close_date > TODAY
        else:
            assert o.close_date < TODAY
    created = sorted(o.created_at for o in opps)
    start = datetime(2023, 6, 1, tzinfo=UTC)
    assert start <= created[0] < start + timedelta(days=60)
    assert created[-1] < datetime(2026, 6, 15, tzinfo=UTC)
    assert {o.deal_type for o in opps} == {t.value for t in DealType}
    assert {o.alternative_kind for o in opps} == {k.value for k in AlternativeKind}
    assert {o.rfp_class for o in opps} == {c.value for c in RfpClass}
    competitors = [o for o in opps if o.alternative_kind == "competitor"]
    assert all(o.competitor_id and o.alternative_name and o.alternative_price for o in competitors)

    lines = defaultdict(list)
    for line in session.scalars(select(LineItem)):
        lines[line.opportunity_id].append(line)
    assert len(lines) > 1000
    by_id = {o.id: o for o in opps}
    for opp_id, items in lines.items():
        total = sum((i.quantity * i.net_price for i in items), Decimal(0))
        assert by_id[opp_id].amount == total.quantize(Decimal("0.01"))

    # The published seller login owns a real pipeline, and sees it through the service.
    sam = session.scalar(select(User).where(User.email == "seller@kestrelflow.example"))
    assert sam is not None
    mine = [o for o in opps if o.owner_id == sam.id]
    assert len(mine) >= 120
    assert sum(stages[o.stage_id].outcome == "open" for o in mine) >= 15
    page = service_pipeline.pipeline(
        session, principal_of(sam), service_pipeline.PipelineFilter(), PageRequest()
    )
    assert page.total == len(mine)


@pytest.mark.xdist_group("demo-full")
def test_demo_histories_end_where_the_deal_is(read_demo: ReadDemo) -> None:
    _, session = read_demo(seed=7, today=TODAY)
    stages = {s.id: s for s in session.scalars(select(Stage))}
    names = {s.name for s in stages.values()}
    opps = {o.id: o for o in session.scalars(select(Opportunity))}
    history = defaultdict(list)
    for change in session.scalars(
        select(OpportunityChange).order_by(OpportunityChange.changed_at, OpportunityChange.id)
    ):
        history[change.opportunity_id].append(change)
    assert set(history) == set(opps)
    cutoff = datetime(2026, 6, 15, tzinfo=UTC)
    for opp_id, changes in history.items():
        opp = opps[opp_id]
        assert changes[0].changed_at == opp.created_at
        assert all(opp.created_at <= c.changed_at < cutoff for c in changes)
        assert changes[-1].changed_at == opp.updated_at
        last: dict[str, str | None] = {}
        for c in changes:  # each field's chain from None ("0" for a count of confirmed)
            start = "0" if c.field == "confirmed" else None
            assert c.old_value == last.get(c.field, start), (opp_id, c.field)
            assert c.actor_id is not None
            last[c.field] = c.new_value
        stage_changes = [c for c in changes if c.field == "stage"]
        assert {c.new_value for c in stage_changes} <= names
        assert last["stage"] == stages[opp.stage_id].name
        assert last["amount"] == str(opp.amount)
        assert opp.close_date is not None and last["close_date"] == opp.close_date.isoformat()
        if stages[opp.stage_id].outcome != "open":
            assert stage_changes[-1].changed_at.date() == opp.close_date
    walked = Counter(len([c for c in h if c.field == "stage"]) for h in history.values())
    assert max(walked) >= 6, "some deals walk every stage"


@pytest.mark.xdist_group("demo-full")
def test_demo_value_cases_and_discount_habits(read_demo: ReadDemo) -> None:
    demo, session = read_demo(seed=7, today=TODAY)
    stages = {s.id: s.outcome for s in session.scalars(select(Stage))}
    opps = {o.id: o for o in session.scalars(select(Opportunity))}
    with_case = set(session.scalars(select(ValueCase.opportunity_id)))
    assert 0.3 <= len(with_case) / len(opps) <= 0.5
    won = [i for i, o in opps.items() if stages[o.stage_id] == "won"]
    lost = [i for i, o in opps.items() if stages[o.stage_id] == "lost"]
    won_share = len(with_case & set(won)) / len(won)
    assert won_share > len(with_case & set(lost)) / len(lost) + 0.2
    assert 0.5 <= won_share <= 0.85

    outcomes = session.scalars(select(ValueOutcome)).all()
    states = Counter(o.state for o in outcomes)
    assert set(states) == {s.value for s in OutcomeState}
    assert all(n >= 100 for n in states.values()), states
    against = [o for o in outcomes if o.direction == "against"]
    assert 30 <= len(against) < len(outcomes) / 10
    assert all(o.network_outcome_id is None for o in against)
    network_of = dict(session.execute(select(NetworkNode.id, NetworkNode.network_id)).all())
    cases = dict(session.execute(select(ValueCase.id, ValueCase.opportunity_id)).all())
    for o in outcomes:
        assert o.yearly_value > 0 and Decimal("0") < o.confidence <= 1
        if o.network_outcome_id is not None:
            deal_network = opps[cases[o.value_case_id]].value_network_id
            assert network_of[o.network_outcome_id] == deal_network

    # Discounts measured from won deals' line items: 2-3 heavy discounters stand apart.
    listed: dict[int, Decimal] = defaultdict(Decimal)
    net: dict[int, Decimal] = defaultdict(Decimal)
    for line in session.scalars(select(LineItem)):
        opp = opps[line.opportunity_id]
        if stages[opp.stage_id] == "won":
            listed[opp.owner_id] += line.quantity * line.list_price
            net[opp.owner_id] += line.quantity * line.net_price
    discount = {owner: float(1 - net[owner] / listed[owner]) for owner in listed}
    heavy = [discount[i] for i in demo.heavy_discounters]
    usual = sorted(d for i, d in discount.items() if i not in demo.heavy_discounters)
    assert 2 <= len(heavy) <= 3 and len(usual) >= 20
    assert min(heavy) >= 0.18 and min(heavy) > max(usual) + 0.05, (heavy, usual)
    assert 0.05 <= usual[len(usual) // 2] <= 0.12
    assert sum(0.04 <= d <= 0.13 for d in usual) >= 0.85 * len(usual)
