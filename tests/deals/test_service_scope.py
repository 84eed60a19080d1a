"""Row scope and money in the deals services, called directly: who sees which deal, account
and value case, managers over their team subtree, and contributors without money anywhere."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from tests.deals.test_service_builders import build_deal, principal
from tests.factories import Org, make_org, make_user
from valuescout.core.errors import Forbidden, NotFound
from valuescout.core.pagination import PageRequest
from valuescout.deals import (
    accounts,
    service,
    service_pipeline,
    setup,
    valuecase_figures,
    valuecases,
)
from valuescout.deals.schemas import OpportunityUpdate, OutcomeIn
from valuescout.identity.models import User
from valuescout.identity.roles import Role


@pytest.fixture()
def org(session: Session) -> Org:
    return make_org(session)


def pipeline_names(session: Session, user: User) -> list[str]:
    out = service_pipeline.pipeline(
        session, principal(session, user), service_pipeline.PipelineFilter(), PageRequest(), "name"
    )
    assert out.total == len(out.items)
    return [row.name for row in out.items]


def test_managers_see_their_team_subtree(session: Session, org: Org) -> None:
    build_deal(session, org.user("seller"), name="A deal")
    build_deal(session, org.user("seller_b"), name="B deal")
    build_deal(session, org.user("manager"), name="Manager deal")
    regional = make_user(session, Role.MANAGER, org.region)
    teamless = make_user(session, Role.MANAGER, None)
    build_deal(session, teamless, name="Teamless deal")
    assert pipeline_names(session, org.user("manager")) == ["A deal", "Manager deal"]
    assert pipeline_names(session, regional) == ["A deal", "B deal", "Manager deal"]
    assert pipeline_names(session, teamless) == ["Teamless deal"]  # only their own
    assert pipeline_names(session, org.user("seller")) == ["A deal"]
    assert pipeline_names(session, org.user("seller_b")) == ["B deal"]
    assert pipeline_names(session, org.user("contributor")) == []
    assert len(pipeline_names(session, org.user("executive"))) == 4


def test_out_of_scope_records_are_not_found_and_changes_need_edit_deals(
    session: Session, org: Org
) -> None:
    built = build_deal(session, org.user("seller"))
    outsider = principal(session, org.user("seller_b"))
    with pytest.raises(NotFound):
        service.opportunity_detail(session, outsider, built.opp_id)
    with pytest.raises(NotFound):
        service.update_opportunity(session, outsider, built.opp_id, OpportunityUpdate(name="x"))
    with pytest.raises(NotFound):
        service.delete_opportunity(session, outsider, built.opp_id)
    with pytest.raises(NotFound):
        accounts.account_detail(session, outsider, built.account_id)
    with pytest.raises(NotFound, match=f"Contact {built.contact_id} not found"):
        accounts.delete_contact(session, outsider, built.contact_id)
    with pytest.raises(NotFound):
        valuecases.value_case(session, outsider, built.opp_id)
    desk = principal(session, org.user("price_desk"))
    assert service.opportunity_detail(session, desk, built.opp_id).id == built.opp_id
    with pytest.raises(Forbidden):
        service.update_opportunity(session, desk, built.opp_id, OpportunityUpdate(name="x"))
    with pytest.raises(Forbidden):
        valuecases.start_value_case(session, desk, built.opp_id)
    with pytest.raises(Forbidden):
        accounts.delete_contact(session, desk, built.contact_id)


def test_contributors_see_no_money_anywhere(session: Session, org: Org) -> None:
    admin = org.user("admin")
    built = build_deal(session, org.user("contributor"), by=admin, line_product_of=admin)
    who = principal(session, org.user("contributor"))
    out = service_pipeline.pipeline(session, who, service_pipeline.PipelineFilter(), PageRequest())
    assert [row.amount for row in out.items] == [None] and out.total_amount is None
    assert {(t.amount, t.weighted) for t in out.totals} == {(None, None)}
    detail = service.opportunity_detail(session, who, built.opp_id)
    assert detail.amount is None and detail.alternative_price is None
    assert [(ln.list_price, ln.net_price, ln.discount) for ln in detail.lines] == [
        (None, None, None)
    ]
    assert [(h.old_value, h.new_value) for h in detail.history if h.field == "amount"] == [
        (None, None)
    ]
    case = valuecases.value_case(session, who, built.opp_id)
    assert case.figures is None
    assert [(o.yearly_value, o.horizon_value, o.risk_adjusted_value) for o in case.outcomes] == [
        (None, None, None)
    ]
    outcome = OutcomeIn(name="x", yearly_value=Decimal(1))
    assert valuecase_figures.preview_figures(session, who, built.opp_id, [outcome]) is None
    listed = accounts.list_accounts(session, who, PageRequest())
    assert [a.annual_revenue for a in listed.items] == [None]
    assert accounts.account_detail(session, who, built.account_id).annual_revenue is None
    product = setup.product_out(session, who, setup.products(session)[0])
    assert (product.list_price, product.unit_cost) == (None, None)
    # The same records with money, for the admin.
    full = service.opportunity_detail(session, principal(session, admin), built.opp_id)
    assert full.amount == Decimal("250000.00") and full.lines[0].net_price is not None


def test_unit_cost_is_for_those_who_configure_deals(session: Session, org: Org) -> None:
    build_deal(session, org.user("seller"), line_product_of=org.user("admin"))
    product = setup.products(session)[0]
    for role in ("seller", "manager", "price_desk", "executive"):
        out = setup.product_out(session, principal(session, org.user(role)), product)
        assert out.unit_cost is None and out.list_price == Decimal("250000.00"), role
    out = setup.product_out(session, principal(session, org.user("admin")), product)
    assert out.unit_cost == Decimal("400.00")
