"""Analytics over the system's own deals: the figures of a hand-checkable book of deals, the
slice (status, period, currency, filters), row scope, and who is refused."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from tests.analytics.deal_builders import Book, account, book, deal, product, value_case
from tests.deals.test_service_builders import principal
from tests.factories import Org, make_org
from valuescout.analytics import service
from valuescout.analytics.deal_source import OUTSIDE_SCOPE, DealLineQuery, DealStatus
from valuescout.core.errors import Forbidden, Invalid


@pytest.fixture()
def booked(session: Session) -> tuple[Org, Book]:
    made = make_org(session)
    return made, book(session, made)


@pytest.fixture()
def org(booked: tuple[Org, Book]) -> Org:
    return booked[0]


def _by(result: service.DiscountsOut, key: str) -> dict[str | None, service.GroupOut]:
    return {g.group[key]: g for g in result.groups}


def test_totals_and_groups_are_the_hand_worked_figures(session: Session, org: Org) -> None:
    who = principal(session, org.user("executive"))
    result = service.discounts(session, who, service.Slice(), ["rep"])
    # won lines: 10x800 + 5x950 (seller), 10x900 (seller_b), all at list 1,000, cost 400
    t = result.total
    assert (t.lines, t.list_revenue, t.invoice_revenue, t.discount) == (3, 25000, 21750, 3250)
    assert t.discount_rate == pytest.approx(0.13)
    assert t.pocket_margin == 21750 - 25 * 400
    reps = _by(result, "rep_id")
    seller, seller_b = org.user("seller").full_name, org.user("seller_b").full_name
    assert reps[seller].discount == 2250 and reps[seller].discount_rate == pytest.approx(0.15)
    assert reps[seller_b].discount == 1000
    assert result.groups[0].group["rep_id"] == seller  # largest discount first
    assert result.source.lines == 3 and result.source.currency == "USD"


def test_filters_and_drill_down(session: Session, org: Org) -> None:
    who = principal(session, org.user("executive"))
    sl = service.Slice(filters={"rep": org.user("seller").full_name})
    by_segment = _by(service.discounts(session, who, sl, ["segment"]), "segment")
    assert set(by_segment) == {"enterprise", "mid-market"}
    assert by_segment["mid-market"].discount == 250
    region = _by(service.discounts(session, who, service.Slice(), ["region"]), "region")
    assert region["North"].lines == 1 and region["West"].lines == 2


def test_status_period_and_currency_choose_the_lines(session: Session, org: Org) -> None:
    who = principal(session, org.user("executive"))
    open_only = service.Slice(DealLineQuery(status=DealStatus.OPEN))
    assert service.discounts(session, who, open_only, []).total.discount == 1000
    everything = service.Slice(DealLineQuery(status=DealStatus.ALL))
    assert service.discounts(session, who, everything, []).total.lines == 5
    later = service.Slice(DealLineQuery(start=date(2026, 4, 1)))
    assert service.discounts(session, who, later, []).total.lines == 0
    seller = org.user("seller")
    euro = deal(session, seller, None, product(session, "Valve"), [("1", "100")], currency="EUR")
    assert euro.id
    usd = service.discounts(session, who, service.Slice(), [])
    assert usd.source.currencies == ["EUR", "USD"] and usd.total.lines == 3
    eur = service.discounts(
        session, who, service.Slice(DealLineQuery(currency="EUR")), ["customer"]
    )
    assert eur.total.lines == 1 and eur.groups[0].group["customer_id"] == "(no account)"


def test_a_manager_sees_their_team_and_no_outside_names(session: Session, org: Org) -> None:
    who = principal(session, org.user("manager"))
    result = service.discounts(session, who, service.Slice(), ["rep"])
    assert [g.group["rep_id"] for g in result.groups] == [org.user("seller").full_name]
    approvers = _by(service.discounts(session, who, service.Slice(), ["approver"]), "approver_id")
    assert org.user("manager").full_name in approvers  # the manager approved Alpha
    # the executive sees who approved Gamma (team B); the manager does not see Gamma at all
    top = principal(session, org.user("executive"))
    every = _by(service.discounts(session, top, service.Slice(), ["approver"]), "approver_id")
    assert org.user("price_desk").full_name in every


def test_an_approver_outside_the_managers_team_is_not_named(session: Session, org: Org) -> None:
    seller = org.user("seller")
    acc = account(session, seller, "Delta Oy", "enterprise")
    from tests.analytics.deal_builders import approved_request

    opp = deal(session, seller, acc, product(session, "Skid"), [("1", "500")])
    approved_request(session, opp, org.user("price_desk"))
    who = principal(session, org.user("manager"))
    approvers = _by(service.discounts(session, who, service.Slice(), ["approver"]), "approver_id")
    assert OUTSIDE_SCOPE in approvers
    assert org.user("price_desk").full_name not in approvers


@pytest.mark.parametrize("role", ["seller", "seller_b", "contributor"])
def test_sellers_and_contributors_are_refused(session: Session, org: Org, role: str) -> None:
    who = principal(session, org.user(role))
    with pytest.raises(Forbidden):
        service.discounts(session, who, service.Slice(), ["rep"])
    with pytest.raises(Forbidden):
        service.outliers(session, who, service.Slice())


def test_bad_slices_are_refused_clearly(session: Session, org: Org) -> None:
    who = principal(session, org.user("admin"))
    with pytest.raises(Invalid, match="unknown dimension 'colour'"):
        service.discounts(session, who, service.Slice(), ["colour"])
    with pytest.raises(Invalid, match="DIM=VALUE"):
        service.parse_where(["rep"])
    with pytest.raises(Invalid, match="at most 3"):
        service.discounts(session, who, service.Slice(), ["rep", "region", "segment", "month"])
    with pytest.raises(Invalid, match="outliers are for"):
        service.outliers(session, who, service.Slice(), "month")


def test_waterfall_outliers_concentration_and_bands(session: Session, org: Org) -> None:
    who = principal(session, org.user("executive"))
    two = service.waterfalls(session, who, service.Slice(), {"segment": "mid-market"})
    assert [s.list_revenue for s in two.slices] == [25000, 5000]
    assert two.slices[1].steps[1].amount == -250
    out = service.outliers(session, who, service.Slice())
    assert {a.actor for a in out.actors} <= {
        org.user("seller").full_name,
        org.user("seller_b").full_name,
    }
    spread = service.concentration(session, who, service.Slice(), ["customer"])
    assert spread.sides[0].items == 3 and spread.sides[0].discount == 3250
    bands = service.bands(session, who, service.Slice())
    assert len(bands.products) == 1
    assert bands.products[0].minimum == pytest.approx(0.8)
    assert bands.products[0].maximum == pytest.approx(0.95)


def test_leakage_names_money_left_on_the_table(session: Session, booked: tuple[Org, Book]) -> None:
    org, deals = booked[0], booked[1].deals
    value_case(session, deals["alpha"], "50000")  # worth far more than its 10,000 at list
    value_case(session, deals["gamma"], "100")  # worth less than list: the discount mattered
    who = principal(session, org.user("executive"))
    leak = service.leakage(session, who, service.Slice())
    assert leak.discount == 3250 and leak.left_on_table == 2000  # all of Alpha's discount
    assert leak.known_share == pytest.approx(20000 / 25000)
    assert leak.known_discount == 3000
    assert [r.actor for r in leak.rankings] == ["rep", "approver", "customer"]
    board = service.dashboard(session, who, service.Slice(), ["rep"])
    unread = {"source": {"as_of"}}  # the two answers read the lines at different moments
    assert board.leakage.model_dump(exclude=unread) == leak.model_dump(exclude=unread)
    assert board.discounts.total.discount == 3250
