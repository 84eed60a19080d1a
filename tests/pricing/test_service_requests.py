"""Price requests through the services: evidence frozen, the policy routes, the workflow."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.deals.test_service_builders import build_deal, principal
from tests.factories import make_org
from valuescout.core.audit import AuditEntry
from valuescout.core.errors import Conflict, Forbidden, NotFound
from valuescout.core.pagination import PageRequest
from valuescout.deals import service as deals_service
from valuescout.pricing import service, views
from valuescout.pricing.fields import Reason
from valuescout.pricing.models import PriceRequestEvent
from valuescout.pricing.schemas import MoveIn, PriceRequestIn
from valuescout.pricing.workflow import Move, State


def ask(price: str, **kw: object) -> PriceRequestIn:
    return PriceRequestIn(
        net_price=Decimal(price),
        reason=Reason.COMPETITIVE_MATCH,
        justification="Rival at 200k",
        **kw,  # type: ignore[arg-type]
    )


def test_price_at_target_is_approved_automatically(session: Session) -> None:
    org = make_org(session)
    seller = org.users["seller"]
    deal = build_deal(session, seller, line_product_of=org.users["admin"])
    # 250k list against 200k rival and 100k value (confidence 1): target 250k, so 250k holds.
    request = service.submit(session, principal(session, seller), deal.opp_id, ask("250000"))
    assert request.state == State.APPROVED
    assert request.decision["fired_rule"] == "at-or-above-target"
    assert request.approved_price == Decimal("250000.00")


def test_floor_to_target_routes_to_manager_and_manager_approves(session: Session) -> None:
    org = make_org(session)
    seller, manager = org.users["seller"], org.users["manager"]
    deal = build_deal(session, seller, line_product_of=org.users["admin"])
    request = service.submit(session, principal(session, seller), deal.opp_id, ask("230000"))
    assert request.state == State.PENDING
    assert request.waiting_role == "manager"
    ev = request.evidence
    assert ev["corridor_zone"] == "floor_to_target"
    assert Decimal(ev["preference_after"]) > Decimal(ev["preference_before"])
    queue = views.queue(session, principal(session, manager))
    assert [r.id for r in queue] == [request.id]
    with pytest.raises(Forbidden):
        service.act(session, principal(session, seller), request.id, MoveIn(move=Move.APPROVE))
    service.act(session, principal(session, manager), request.id, MoveIn(move=Move.APPROVE))
    session.refresh(request)
    assert (request.state, request.waiting_role) == (State.PENDING, "price_desk")
    actions = session.scalars(
        select(PriceRequestEvent.action).where(PriceRequestEvent.request_id == request.id)
    ).all()
    assert actions[:2] == ["submit", "route"] and actions[-1] == "approve"


def test_second_decision_on_stale_version_conflicts(session: Session) -> None:
    org = make_org(session)
    seller, desk = org.users["seller"], org.users["price_desk"]
    deal = build_deal(session, seller, value_case=False, line_product_of=org.users["admin"])
    request = service.submit(session, principal(session, seller), deal.opp_id, ask("240000"))
    assert request.waiting_role == "price_desk"
    seen = request.version
    service.act(
        session, principal(session, desk), request.id, MoveIn(move=Move.REJECT, version=seen)
    )
    with pytest.raises(Conflict):
        service.act(
            session, principal(session, desk), request.id, MoveIn(move=Move.APPROVE, version=seen)
        )


def test_other_team_seller_sees_nothing(session: Session) -> None:
    org = make_org(session)
    deal = build_deal(session, org.users["seller"], line_product_of=org.users["admin"])
    request = service.submit(
        session, principal(session, org.users["seller"]), deal.opp_id, ask("230000")
    )
    with pytest.raises(NotFound):
        views.detail(session, principal(session, org.users["seller_b"]), request.id)
    with pytest.raises(Forbidden):
        views.detail(session, principal(session, org.users["contributor"]), request.id)


def test_idempotency_key_returns_the_first_request(session: Session) -> None:
    org = make_org(session)
    seller = principal(session, org.users["seller"])
    deal = build_deal(session, org.users["seller"], line_product_of=org.users["admin"])
    first = service.submit(session, seller, deal.opp_id, ask("230000"), "key-1")
    again = service.submit(session, seller, deal.opp_id, ask("230000"), "key-1")
    assert again.id == first.id
    with pytest.raises(Conflict):
        service.submit(session, seller, deal.opp_id, ask("220000"), "key-1")


def test_a_deal_with_price_requests_is_kept(session: Session) -> None:
    org = make_org(session)
    seller = principal(session, org.users["seller"])
    deal = build_deal(session, org.users["seller"], line_product_of=org.users["admin"])
    request = service.submit(session, seller, deal.opp_id, ask("230000"))
    with pytest.raises(Conflict, match="mark it lost"):
        deals_service.delete_opportunity(session, seller, deal.opp_id)
    assert views.detail(session, seller, request.id).opportunity_id == deal.opp_id
    other = build_deal(session, org.users["seller"], value_case=False)
    deals_service.delete_opportunity(session, seller, other.opp_id)  # no requests: deleted


def test_the_audit_trail_keeps_the_frozen_evidence(session: Session) -> None:
    org = make_org(session)
    seller = principal(session, org.users["seller"])
    deal = build_deal(session, org.users["seller"], line_product_of=org.users["admin"])
    request = service.submit(session, seller, deal.opp_id, ask("230000"))
    entry = session.scalars(
        select(AuditEntry).where(
            AuditEntry.entity_type == "price_request", AuditEntry.entity_id == str(request.id)
        )
    ).one()
    assert entry.changes["evidence"] == request.evidence
    assert entry.changes["policy_version"] == 1 and entry.changes["route"] == request.route


def test_the_queue_pages_oldest_first_and_counts_every_request(session: Session) -> None:
    org = make_org(session)
    seller, manager = org.users["seller"], org.users["manager"]
    asked = []
    for _ in range(3):
        deal = build_deal(session, seller, line_product_of=org.users["admin"])
        asked.append(
            service.submit(session, principal(session, seller), deal.opp_id, ask("230000")).id
        )
    who = principal(session, manager)
    first = views.queue_page(session, who, PageRequest(2, 0))
    rest = views.queue_page(session, who, PageRequest(2, 2))
    assert [r.id for r in first.items] == asked[:2] and first.total == 3 and first.has_next
    assert [r.id for r in rest.items] == asked[2:] and not rest.has_next
    assert [r.id for r in views.queue(session, who)] == asked
