"""Asking for a price: by deal price, discount or lines; what is refused and writes nothing;
the frozen evidence; one open request per deal; asking again after a withdrawal."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.deals.test_service_builders import build_deal, principal
from tests.factories import make_org
from tests.pricing.builders import (
    actions,
    ask,
    audit_actions,
    count,
    move,
    routing_policy,
    stage_id,
    submit,
    use_policy,
)
from valuescout.core.audit import AuditEntry
from valuescout.core.errors import Conflict, Forbidden, Invalid, NotFound
from valuescout.core.pagination import PageRequest
from valuescout.deals import service as deals
from valuescout.deals import valuecases
from valuescout.deals.models import LineItem
from valuescout.deals.schemas import OpportunityUpdate, OutcomeIn
from valuescout.pricing import views
from valuescout.pricing.models import PriceRequest, PriceRequestEvent, PriceRequestLine
from valuescout.pricing.schemas import LinePriceIn
from valuescout.pricing.workflow import Move, State

D = Decimal


def test_ask_by_deal_price_freezes_evidence_and_routes_the_weak_case(session: Session) -> None:
    org = make_org(session)
    seller = org.users["seller"]
    deal = build_deal(session, seller, line_product_of=org.users["admin"])
    request = submit(session, seller, deal.opp_id, ask("230000"))
    assert request.list_price == D("250000.00") and request.price_before == D("250000.00")
    assert request.requested_price == D("230000.00")
    assert request.requested_discount == D("0.0800")
    assert request.requester_id == seller.id and request.owner_id == seller.id
    # Between floor (cost 400 / 0.75) and target (250k), nothing confirmed by the customer.
    assert request.decision["fired_rule"] == "floor-to-target-weak-evidence"
    assert request.state == State.PENDING
    assert request.route == ["manager", "price_desk"] and request.waiting_role == "manager"
    ev = request.evidence
    assert ev["corridor_zone"] == "floor_to_target"
    assert ev["corridor_floor"] == "533.33" and ev["corridor_target"] == "250000.00"
    assert ev["margin_after"] == "0.9983"  # (230k - 400) / 230k
    assert ev["preference_before"] == "50000.00" and ev["preference_after"] == "70000.00"
    assert ev["discount_amount"] == "20000.00"
    assert actions(session, request.id) == ["submit", "route"]
    assert audit_actions(session, "price_request", request.id) == ["create"]


def test_ask_by_discount_takes_it_off_the_list_price(session: Session) -> None:
    org = make_org(session)
    seller = org.users["seller"]
    deal = build_deal(session, seller, line_product_of=org.users["admin"])
    request = submit(session, seller, deal.opp_id, ask(discount=D("0.1")))
    assert request.requested_price == D("225000.00")
    assert request.requested_discount == D("0.1000")


def test_ask_by_lines_copies_every_line(session: Session) -> None:
    org = make_org(session)
    seller = org.users["seller"]
    deal = build_deal(session, seller, line_product_of=org.users["admin"])
    line = session.scalars(select(LineItem).where(LineItem.opportunity_id == deal.opp_id)).one()
    body = ask(lines=[LinePriceIn(line_id=line.id, net_price=D("240000"))])
    request = submit(session, seller, deal.opp_id, body)
    assert request.requested_price == D("240000.00")
    copied = session.scalars(
        select(PriceRequestLine).where(PriceRequestLine.request_id == request.id)
    ).one()
    assert (copied.line_id, copied.product_id) == (line.id, deal.product_id)
    assert copied.net_price_before == D("250000.00")
    assert copied.requested_net_price == D("240000.00")
    detail = views.detail(session, principal(session, seller), request.id)
    assert [x.requested_net_price for x in detail.lines] == [D("240000.00")]


def _nothing_written(session: Session) -> None:
    assert count(session, PriceRequest) == 0
    assert count(session, PriceRequestEvent) == 0
    assert count(session, PriceRequestLine) == 0
    entities = session.scalars(select(AuditEntry.entity_type)).all()
    assert "price_request" not in entities


def test_line_errors_are_refused_and_write_nothing(session: Session) -> None:
    org = make_org(session)
    seller = org.users["seller"]
    deal = build_deal(session, seller, line_product_of=org.users["admin"])
    other = build_deal(session, seller, line_product_of=org.users["admin"])
    bare = build_deal(session, seller)
    line = session.scalars(select(LineItem).where(LineItem.opportunity_id == deal.opp_id)).one()
    foreign = session.scalars(select(LineItem).where(LineItem.opportunity_id == other.opp_id)).one()
    price = D("1000")
    with pytest.raises(Invalid, match=f"Line {foreign.id} is not a line of this deal"):
        submit(
            session,
            seller,
            deal.opp_id,
            ask(lines=[LinePriceIn(line_id=foreign.id, net_price=price)]),
        )
    twice = [LinePriceIn(line_id=line.id, net_price=price)] * 2
    with pytest.raises(Invalid, match="given twice"):
        submit(session, seller, deal.opp_id, ask(lines=twice))
    with pytest.raises(Invalid, match="no line items"):
        submit(
            session, seller, bare.opp_id, ask(lines=[LinePriceIn(line_id=line.id, net_price=price)])
        )
    _nothing_written(session)


def test_a_closed_deal_is_refused(session: Session) -> None:
    org = make_org(session)
    seller = org.users["seller"]
    for stage in ("Won", "Lost"):
        deal = build_deal(session, seller, stage_id=stage_id(session, stage))
        with pytest.raises(Invalid, match="closed"):
            submit(session, seller, deal.opp_id, ask("230000"))
    _nothing_written(session)


def test_who_may_ask(session: Session) -> None:
    org = make_org(session)
    deal = build_deal(session, org.users["seller"], line_product_of=org.users["admin"])
    for role in ("seller_b", "contributor"):  # cannot see the deal
        with pytest.raises(NotFound):
            submit(session, org.users[role], deal.opp_id, ask("230000"))
    for role in ("price_desk", "executive"):  # see it, may not change deals
        with pytest.raises(Forbidden):
            submit(session, org.users[role], deal.opp_id, ask("230000"))
    _nothing_written(session)
    assert submit(session, org.users["manager"], deal.opp_id, ask("230000")).id


def test_one_open_request_per_deal_and_a_new_one_after_withdrawing(session: Session) -> None:
    org = make_org(session)
    seller = org.users["seller"]
    deal = build_deal(session, seller, line_product_of=org.users["admin"])
    first = submit(session, seller, deal.opp_id, ask("230000"))
    with pytest.raises(Conflict, match=f"Price request {first.id} on this deal is still open"):
        submit(session, seller, deal.opp_id, ask("220000"))
    # A countered request is open too.
    move(session, org.users["manager"], first.id, Move.COUNTER, price="240000")
    with pytest.raises(Conflict):
        submit(session, seller, deal.opp_id, ask("220000"))
    move(session, seller, first.id, Move.WITHDRAW)
    second = submit(session, seller, deal.opp_id, ask("235000", replaces_id=first.id))
    assert second.id != first.id and second.replaces_id == first.id
    detail = views.detail(session, principal(session, seller), second.id)
    assert detail.replaces_id == first.id
    assert [
        r.id
        for r in views.requests(
            session,
            principal(session, seller),
            views.RequestFilter(opportunity_id=deal.opp_id),
            PageRequest(50, 0),
        ).items
    ] == [second.id, first.id]


def test_replaces_id_must_be_a_request_of_the_same_deal(session: Session) -> None:
    org = make_org(session)
    seller = org.users["seller"]
    one = build_deal(session, seller, line_product_of=org.users["admin"])
    two = build_deal(session, seller, line_product_of=org.users["admin"])
    first = submit(session, seller, one.opp_id, ask("230000"))
    with pytest.raises(Invalid, match="not one of this deal's"):
        submit(session, seller, two.opp_id, ask("230000", replaces_id=first.id))
    with pytest.raises(Invalid):
        submit(session, seller, two.opp_id, ask("230000", replaces_id=999_999))


def test_a_decided_request_does_not_block_the_next_one(session: Session) -> None:
    org = make_org(session)
    seller = org.users["seller"]
    deal = build_deal(session, seller, line_product_of=org.users["admin"])
    approved = submit(session, seller, deal.opp_id, ask("250000"))
    assert approved.state == State.APPROVED
    rejected = submit(session, seller, deal.opp_id, ask("100000"))
    assert rejected.state == State.REJECTED
    assert rejected.decision["fired_rule"] == "beyond-any-discount"
    assert actions(session, rejected.id) == ["submit", "auto_reject"]
    assert actions(session, approved.id) == ["submit", "auto_approve"]
    assert rejected.approved_price is None and approved.approved_price == D("250000.00")
    assert rejected.decided_at is not None


def test_frozen_evidence_stays_as_it_was_when_the_value_case_changes(session: Session) -> None:
    org = make_org(session)
    seller, manager = org.users["seller"], org.users["manager"]
    deal = build_deal(session, seller, line_product_of=org.users["admin"])
    request = submit(session, seller, deal.opp_id, ask("230000"))
    frozen = dict(request.evidence)
    valuecases.add_outcome(
        session,
        principal(session, seller),
        deal.opp_id,
        OutcomeIn(name="Faster ramp", yearly_value=D("500000"), confidence=D(1)),
    )
    deals.update_opportunity(
        session, principal(session, seller), deal.opp_id, OpportunityUpdate(name="Renamed")
    )
    move(session, manager, request.id, Move.APPROVE)
    move(session, org.users["price_desk"], request.id, Move.APPROVE)
    session.expire_all()
    detail = views.detail(session, principal(session, seller), request.id)
    assert detail.state == State.APPROVED
    assert detail.evidence == frozen
    assert detail.evidence["preference_after"] == "70000.00"  # not the new 570k
    # A new request sees the new value case.
    again = submit(session, seller, deal.opp_id, ask("230000"))
    assert again.evidence["preference_after"] == "570000.00"


def test_the_final_price_shows_once_the_deal_is_won(session: Session) -> None:
    org = make_org(session)
    seller = org.users["seller"]
    use_policy(session, routing_policy("price_desk"))
    deal = build_deal(session, seller)  # no lines: the amount is the price
    request = submit(session, seller, deal.opp_id, ask("230000"))
    move(session, org.users["price_desk"], request.id, Move.APPROVE)
    seen = principal(session, seller)
    assert views.detail(session, seen, request.id).final_price is None
    deals.update_opportunity(session, seen, deal.opp_id, OpportunityUpdate(amount=D("231000")))
    assert views.detail(session, seen, request.id).final_price is None  # still open
    deals.update_opportunity(
        session, seen, deal.opp_id, OpportunityUpdate(stage_id=stage_id(session, "Won"))
    )
    detail = views.detail(session, seen, request.id)
    assert detail.final_price == D("231000.00")
    assert detail.requested_price == D("230000.00")
