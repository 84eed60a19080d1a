"""Approver leniency over the price desk's decisions: each move read as a decision, the
report for the roles that review approvers, refusals for everyone else."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from tests.analytics.deal_builders import account, approved_request, deal, product
from tests.deals.test_service_builders import principal
from tests.factories import Org, make_org
from tests.shared_caches import sharing
from valuescout.analytics import service_approvers
from valuescout.analytics.approvals import DecisionQuery, decisions, size_band
from valuescout.analytics.deal_source import POLICY_APPROVER
from valuescout.analytics.service_approvers import approver_leniency
from valuescout.core.errors import Forbidden


@pytest.fixture()
def org(session: Session) -> Org:
    made = make_org(session)
    seller, seller_b = made.user("seller"), made.user("seller_b")
    pump = product(session, "Pump")
    acc = account(session, seller, "Alpha Ltd", "enterprise")
    acc_b = account(session, seller_b, "Gamma AG", "enterprise")

    def one(owner_acc, owner, action, who, **kw):  # type: ignore[no-untyped-def]
        opp = deal(session, owner, owner_acc, pump, [("10", "1000")])
        return approved_request(session, opp, who, action=action, list_price="10000", **kw)

    one(acc, seller, "approve", made.user("manager"), requested="8000")  # 20% granted
    one(acc, seller, "counter", made.user("price_desk"), requested="7000", price="8500")
    one(acc_b, seller_b, "reject", made.user("price_desk"), requested="6000")
    one(
        acc_b,
        seller_b,
        "auto_approve",
        None,
        requested="9000",
        evidence={"preference_before": "5000.00", "value_risk_adjusted": "20000.00"},
    )
    return made


def test_every_move_is_a_decision(session: Session, org: Org) -> None:
    found = {d.approver: d for d in decisions(session, DecisionQuery())}
    manager, desk = org.user("manager").full_name, org.user("price_desk").full_name
    assert set(found) == {manager, desk, POLICY_APPROVER}  # the desk's reject came last
    assert found[manager].approved and found[manager].approved_discount == Decimal("0.2")
    assert found[manager].cell == ("enterprise", "new", "10,000-99,999")
    assert found[POLICY_APPROVER].preference_before == Decimal("5000.00")
    everything = decisions(session, DecisionQuery())
    desk_moves = [d for d in everything if d.approver == desk]
    assert [(d.approved, d.approved_discount) for d in desk_moves] == [
        (True, Decimal("0.15")),  # the counter-offer's price: 8,500 of 10,000
        (False, None),
    ]
    assert decisions(session, DecisionQuery(start=date(2100, 1, 1))) == []
    assert decisions(session, DecisionQuery(currency="EUR")) == []


def test_size_band_is_the_decade_of_the_deal_at_list() -> None:
    assert size_band(Decimal("9999.99")) == "1,000-9,999"
    assert size_band(Decimal("10000")) == "10,000-99,999"
    assert size_band(Decimal("0.5")) == "<10"


def test_the_report_for_reviewers(session: Session, org: Org) -> None:
    report = approver_leniency(session, principal(session, org.user("executive")), DecisionQuery())
    assert report.decisions == 4 and report.currency == "USD"
    by_name = {a.approver: a for a in report.approvers}
    desk = by_name[org.user("price_desk").full_name]
    assert (desk.decisions, desk.approvals, desk.approval_rate) == (2, 1, 0.5)
    policy = by_name[POLICY_APPROVER]
    assert policy.valued_approvals == 1 and policy.left_on_table == 1000  # 10% of 10,000
    assert policy.discount_share_of_value == pytest.approx(0.05)


@pytest.mark.parametrize("role", ["manager", "seller", "contributor"])
def test_others_are_refused(session: Session, org: Org, role: str) -> None:
    with pytest.raises(Forbidden):
        approver_leniency(session, principal(session, org.user(role)), DecisionQuery())


def test_one_reading_is_shared_for_a_minute(
    session: Session, org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    with sharing(monkeypatch, service_approvers.REVIEWS):
        desk = principal(session, org.user("price_desk"))
        first = approver_leniency(session, desk, DecisionQuery())
        assert first.figures_at is not None and first.decisions > 0
        again = approver_leniency(
            session, principal(session, org.user("executive")), DecisionQuery()
        )
        assert again is first
        assert approver_leniency(session, desk, DecisionQuery(end=date(2000, 1, 1))) is not first
        with pytest.raises(Forbidden):  # a shared reading is still refused to a manager
            approver_leniency(session, principal(session, org.user("manager")), DecisionQuery())
