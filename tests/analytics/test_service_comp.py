"""Compensation plans replayed on the system's own deals: hand-worked payouts, the switch,
the built-in examples, and clear refusals of bad plans."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from tests.analytics.deal_builders import book
from tests.deals.test_service_builders import principal
from tests.factories import Org, make_org
from valuescout.analytics import service_comp
from valuescout.analytics.compensation_yaml import PlanError
from valuescout.analytics.schemas import PlanIn
from valuescout.analytics.service import Slice
from valuescout.core.errors import Forbidden

REVENUE = "name: Revenue\nrevenue_commission:\n  rate: 0.10\n"
MARGIN = "name: Margin\nmargin_commission:\n  rate: 20%\n"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "comp-plans"


@pytest.fixture()
def org(session: Session) -> Org:
    made = make_org(session)
    book(session, made)
    return made


def test_payouts_and_the_switch_are_the_hand_worked_figures(session: Session, org: Org) -> None:
    who = principal(session, org.user("executive"))
    out = service_comp.compare_plans(
        session, who, Slice(), [PlanIn(source=REVENUE), PlanIn(source=MARGIN)]
    )
    seller, seller_b = org.user("seller").full_name, org.user("seller_b").full_name
    revenue, margin = out.results
    # seller: invoice 8,000 + 4,750, cost 15 x 400; seller_b: invoice 9,000, cost 10 x 400
    assert {p.seller: p.payout for p in revenue.sellers} == {seller: 1275, seller_b: 900}
    assert {p.seller: p.payout for p in margin.sellers} == {seller: 1350, seller_b: 1000}
    assert revenue.company_margin == 11750 - 2175 and margin.company_margin == 11750 - 2350
    switch = out.switches[0]
    assert (switch.before, switch.after, switch.total_change) == ("Revenue", "Margin", 175)
    assert [c.seller for c in switch.changes] == [seller_b, seller]  # largest gain first


def test_a_slice_and_quotas(session: Session, org: Org) -> None:
    who = principal(session, org.user("executive"))
    only = Slice(filters={"segment": "mid-market"})
    out = service_comp.compare_plans(session, who, only, [PlanIn(source=REVENUE)])
    assert [(p.seller, p.payout) for p in out.results[0].sellers] == [
        (org.user("seller").full_name, 475)
    ]
    assert out.switches == []


def test_a_manager_replays_their_team_only(session: Session, org: Org) -> None:
    who = principal(session, org.user("manager"))
    out = service_comp.compare_plans(session, who, Slice(), [PlanIn(source=REVENUE)])
    assert [p.seller for p in out.results[0].sellers] == [org.user("seller").full_name]


def test_bad_plans_and_roles_are_refused(session: Session, org: Org) -> None:
    who = principal(session, org.user("admin"))
    with pytest.raises(PlanError, match="Mine: line 3: not valid YAML"):
        service_comp.compare_plans(
            session, who, Slice(), [PlanIn(name="Mine", source="name: X\nrevenue_commission: [\n")]
        )
    with pytest.raises(PlanError, match="quotas"):
        service_comp.compare_plans(
            session, who, Slice(), [PlanIn(source=REVENUE)], quotas="seller,quota\nA,-5\n"
        )
    seller = principal(session, org.user("seller"))
    with pytest.raises(Forbidden):
        service_comp.compare_plans(session, seller, Slice(), [PlanIn(source=REVENUE)])


def test_the_built_in_plans_are_the_examples() -> None:
    shipped = service_comp.example_plans()
    files = {p.stem: p.read_text(encoding="utf-8") for p in EXAMPLES.glob("*.yaml")}
    assert shipped == files and len(shipped) == 3
