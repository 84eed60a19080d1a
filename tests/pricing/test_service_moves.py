"""The workflow through the services: chains, counter-offers, who may decide (and who never
may), unstaffed steps, delegations, queues, and the audit trail of every move."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from tests.deals.test_service_builders import build_deal, principal
from tests.factories import make_org
from tests.pricing.builders import (
    actions,
    ask,
    audit_actions,
    events,
    move,
    routing_policy,
    submit,
    use_policy,
)
from valuescout.core.errors import Conflict, Forbidden, NotFound
from valuescout.identity.models import User
from valuescout.pricing import delegations, views
from valuescout.pricing.schemas import DelegationIn
from valuescout.pricing.workflow import Move, State

D = Decimal
TODAY = date.today()


def test_chain_manager_then_price_desk(session: Session) -> None:
    org = make_org(session)
    seller, manager, desk = org.users["seller"], org.users["manager"], org.users["price_desk"]
    deal = build_deal(session, seller, line_product_of=org.users["admin"])
    request = submit(session, seller, deal.opp_id, ask("230000"))
    assert request.route == ["manager", "price_desk"] and request.version == 1
    with pytest.raises(Forbidden):  # not the price desk's turn yet
        move(session, desk, request.id, Move.APPROVE)
    move(session, manager, request.id, Move.APPROVE, comment="  fine by me  ")
    assert (request.state, request.step, request.waiting_role) == (State.PENDING, 1, "price_desk")
    assert request.version == 2 and request.decided_at is None
    with pytest.raises(Forbidden):  # the manager's step is done
        move(session, manager, request.id, Move.APPROVE)
    move(session, desk, request.id, Move.APPROVE)
    assert request.state == State.APPROVED and request.waiting_role is None
    assert request.approved_price == D("230000.00") and request.decided_at is not None
    log = events(session, request.id)
    assert [(e.action, e.role, e.step, e.state_after) for e in log] == [
        ("submit", "manager", 0, "pending"),
        ("route", "manager", 0, "pending"),
        ("approve", "manager", 0, "pending"),
        ("approve", "price_desk", 1, "approved"),
    ]
    assert log[2].actor_id == manager.id and log[2].comment == "fine by me"
    assert log[3].price == D("230000.00")
    assert log[1].actor_email == "policy" and log[1].actor_id is None
    assert audit_actions(session, "price_request", request.id) == ["create", "approve", "approve"]
    with pytest.raises(Conflict):  # decided: nothing more to do
        move(session, desk, request.id, Move.REJECT)


def test_counter_then_accept_approves_at_the_counter_price(session: Session) -> None:
    org = make_org(session)
    seller, manager = org.users["seller"], org.users["manager"]
    deal = build_deal(session, seller, line_product_of=org.users["admin"])
    request = submit(session, seller, deal.opp_id, ask("230000"))
    move(session, manager, request.id, Move.COUNTER, price="240000", comment="Meet halfway")
    assert request.state == State.COUNTERED and request.counter_price == D("240000.00")
    assert views.moves_for(session, principal(session, seller), request) == [
        Move.ACCEPT,
        Move.WITHDRAW,
    ]
    assert views.moves_for(session, principal(session, manager), request) == []
    with pytest.raises(Forbidden):  # only the requester accepts
        move(session, manager, request.id, Move.ACCEPT)
    with pytest.raises(Conflict):  # a counter-offer is not approved by an approver
        move(session, manager, request.id, Move.APPROVE)
    move(session, seller, request.id, Move.ACCEPT)
    assert request.state == State.APPROVED
    assert request.approved_price == D("240000.00")
    assert request.requested_price == D("230000.00")
    assert actions(session, request.id)[-2:] == ["counter", "accept"]
    assert [e.price for e in events(session, request.id)][-2:] == [D("240000.00"), D("240000.00")]
    assert audit_actions(session, "price_request", request.id)[-2:] == ["counter", "accept"]


def test_reject_and_withdraw(session: Session) -> None:
    org = make_org(session)
    seller, manager = org.users["seller"], org.users["manager"]
    deal = build_deal(session, seller, line_product_of=org.users["admin"])
    request = submit(session, seller, deal.opp_id, ask("230000"))
    with pytest.raises(Forbidden):  # only the seller who asked withdraws
        move(session, manager, request.id, Move.WITHDRAW)
    move(session, manager, request.id, Move.REJECT, comment="No")
    assert request.state == State.REJECTED and request.approved_price is None
    with pytest.raises(Conflict):
        move(session, seller, request.id, Move.WITHDRAW)
    again = submit(session, seller, deal.opp_id, ask("240000", replaces_id=request.id))
    move(session, seller, again.id, Move.WITHDRAW)
    assert again.state == State.WITHDRAWN
    assert events(session, again.id)[-1].actor_id == seller.id


def test_an_unstaffed_manager_step_goes_to_an_executive(session: Session) -> None:
    org = make_org(session)
    seller_b, executive = org.users["seller_b"], org.users["executive"]
    deal = build_deal(session, seller_b, line_product_of=org.users["admin"])  # team B: no manager
    request = submit(session, seller_b, deal.opp_id, ask("230000"))
    assert request.route == ["executive", "price_desk"]
    assert request.waiting_role == "executive"
    assert "an executive decides the manager step" in request.decision["staffing"][0]
    assert request.decision["route"] == ["manager", "price_desk"]  # what the policy said
    with pytest.raises(NotFound):  # team A's manager does not even see it
        move(session, org.users["manager"], request.id, Move.APPROVE)
    move(session, executive, request.id, Move.APPROVE)
    assert request.waiting_role == "price_desk"


def test_an_unstaffed_manager_step_is_dropped_when_an_executive_follows(session: Session) -> None:
    org = make_org(session)
    use_policy(session, routing_policy("manager", "executive"))
    deal = build_deal(session, org.users["seller_b"])
    request = submit(session, org.users["seller_b"], deal.opp_id, ask("230000"))
    assert request.route == ["executive"]
    assert "dropped" in request.decision["staffing"][0]


def test_a_manager_asking_for_their_own_team_is_not_their_own_approver(session: Session) -> None:
    """The only manager over the deal asked: the manager step cannot wait for them."""
    org = make_org(session)
    use_policy(session, routing_policy("manager"))
    manager = org.users["manager"]
    deal = build_deal(session, org.users["seller"])
    request = submit(session, manager, deal.opp_id, ask("230000"))
    with pytest.raises(Forbidden):
        move(session, manager, request.id, Move.APPROVE)
    assert request.route == ["executive"], "nobody could ever decide the manager step"
    move(session, org.users["executive"], request.id, Move.APPROVE)
    assert request.state == State.APPROVED


def test_an_approver_never_decides_a_deal_they_own(session: Session) -> None:
    org = make_org(session)
    use_policy(session, routing_policy("price_desk"))
    desk, admin = org.users["price_desk"], org.users["admin"]
    deal = build_deal(session, desk, by=admin)
    request = submit(session, admin, deal.opp_id, ask("230000"))
    assert request.owner_id == desk.id and request.waiting_role == "price_desk"
    with pytest.raises(Forbidden):
        move(session, desk, request.id, Move.APPROVE)
    assert views.queue(session, principal(session, desk)) == []
    assert views.moves_for(session, principal(session, desk), request) == []


def test_the_requester_cannot_approve_even_with_the_role(session: Session) -> None:
    org = make_org(session)
    use_policy(session, routing_policy("manager", "price_desk"))
    # A second manager in team A, so the manager step is staffed by someone else.
    from tests.factories import make_user
    from valuescout.identity.roles import Role

    other = make_user(session, Role.MANAGER, org.team_a)
    manager = org.users["manager"]
    deal = build_deal(session, org.users["seller"])
    request = submit(session, manager, deal.opp_id, ask("230000"))
    assert request.route == ["manager", "price_desk"]
    with pytest.raises(Forbidden):
        move(session, manager, request.id, Move.APPROVE)
    assert request.id not in [r.id for r in views.queue(session, principal(session, manager))]
    assert [r.id for r in views.queue(session, principal(session, other))] == [request.id]
    move(session, other, request.id, Move.APPROVE)
    assert request.waiting_role == "price_desk"


def _delegate(session: Session, approver: User, delegate: User, start: int, end: int) -> int:
    row = delegations.create(
        session,
        principal(session, approver),
        DelegationIn(
            delegate_id=delegate.id,
            starts_on=TODAY + timedelta(days=start),
            ends_on=TODAY + timedelta(days=end),
        ),
    )
    return row.id


def test_a_delegate_decides_on_behalf_of_the_absent_approver(session: Session) -> None:
    org = make_org(session)
    seller, manager, stand_in = org.users["seller"], org.users["manager"], org.users["seller_b"]
    deal = build_deal(session, seller, line_product_of=org.users["admin"])
    request = submit(session, seller, deal.opp_id, ask("230000"))
    other = submit(
        session, seller, build_deal(session, seller, value_case=False).opp_id, ask("240000")
    )
    with pytest.raises(NotFound):  # team B's seller does not see team A's request
        move(session, stand_in, request.id, Move.APPROVE)
    _delegate(session, manager, stand_in, -1, 1)
    assert [r.id for r in views.queue(session, principal(session, stand_in))] == [request.id]
    assert views.detail(session, principal(session, stand_in), request.id).moves == [
        Move.APPROVE,
        Move.COUNTER,
        Move.REJECT,
    ]
    move(session, stand_in, request.id, Move.APPROVE)
    decided = events(session, request.id)[-1]
    assert decided.actor_id == stand_in.id and decided.on_behalf_of_id == manager.id
    assert decided.role == "manager"
    # The next step (price desk) is not the manager's: the stand-in's authority ends here,
    # though they still read what they decided.
    with pytest.raises(Forbidden):
        move(session, stand_in, request.id, Move.APPROVE)
    seen = views.detail(session, principal(session, stand_in), request.id)
    assert seen.waiting_for == "price_desk" and seen.moves == []
    with pytest.raises(NotFound):  # nothing else of team A
        views.detail(session, principal(session, stand_in), other.id)


@pytest.mark.parametrize(("start", "end"), [(1, 3), (-5, -1)])
def test_a_delegation_counts_only_between_its_dates(session: Session, start: int, end: int) -> None:
    org = make_org(session)
    seller, stand_in = org.users["seller"], org.users["seller_b"]
    deal = build_deal(session, seller, line_product_of=org.users["admin"])
    request = submit(session, seller, deal.opp_id, ask("230000"))
    _delegate(session, org.users["manager"], stand_in, start, end)
    assert views.queue(session, principal(session, stand_in)) == []
    with pytest.raises(NotFound):
        move(session, stand_in, request.id, Move.APPROVE)


def test_the_last_day_of_a_delegation_counts(session: Session) -> None:
    org = make_org(session)
    seller, stand_in = org.users["seller"], org.users["seller_b"]
    deal = build_deal(session, seller, line_product_of=org.users["admin"])
    request = submit(session, seller, deal.opp_id, ask("230000"))
    _delegate(session, org.users["manager"], stand_in, 0, 0)
    move(session, stand_in, request.id, Move.REJECT)
    assert request.state == State.REJECTED


def test_a_revoked_delegation_is_ignored(session: Session) -> None:
    org = make_org(session)
    seller, manager, stand_in = org.users["seller"], org.users["manager"], org.users["seller_b"]
    deal = build_deal(session, seller, line_product_of=org.users["admin"])
    request = submit(session, seller, deal.opp_id, ask("230000"))
    delegation_id = _delegate(session, manager, stand_in, -1, 1)
    delegations.revoke(session, principal(session, manager), delegation_id)
    assert views.queue(session, principal(session, stand_in)) == []
    with pytest.raises(NotFound):
        move(session, stand_in, request.id, Move.APPROVE)
    assert delegations.mine(session, principal(session, manager)) == []
    assert audit_actions(session, "price_delegation", delegation_id) == ["create", "revoke"]


def test_standing_in_for_an_approver_does_not_let_the_requester_approve(session: Session) -> None:
    org = make_org(session)
    seller, manager = org.users["seller"], org.users["manager"]
    deal = build_deal(session, seller, line_product_of=org.users["admin"])
    request = submit(session, seller, deal.opp_id, ask("230000"))
    _delegate(session, manager, seller, -1, 1)
    with pytest.raises(Forbidden):
        move(session, seller, request.id, Move.APPROVE)
    assert views.queue(session, principal(session, seller)) == []


def test_who_may_delegate_and_to_whom(session: Session) -> None:
    from valuescout.core.errors import Invalid

    org = make_org(session)
    with pytest.raises(Forbidden):
        _delegate(session, org.users["seller"], org.users["seller_b"], 0, 1)
    with pytest.raises(Invalid):
        _delegate(session, org.users["manager"], org.users["manager"], 0, 1)
    with pytest.raises(Invalid):
        _delegate(session, org.users["manager"], org.users["contributor"], 0, 1)
    delegation_id = _delegate(session, org.users["price_desk"], org.users["executive"], 0, 1)
    with pytest.raises(NotFound):  # someone else's delegation
        delegations.revoke(session, principal(session, org.users["seller"]), delegation_id)
    [given] = delegations.mine(session, principal(session, org.users["executive"]))
    assert given.approver_id == org.users["price_desk"].id and given.active


def test_queues_hold_what_each_role_may_decide_now(session: Session) -> None:
    org = make_org(session)
    seller, seller_b = org.users["seller"], org.users["seller_b"]
    team_a = build_deal(session, seller, line_product_of=org.users["admin"])
    team_b = build_deal(session, seller_b, line_product_of=org.users["admin"])
    no_case = build_deal(session, seller, value_case=False, line_product_of=org.users["admin"])
    at_target = build_deal(session, seller, line_product_of=org.users["admin"])
    to_manager = submit(session, seller, team_a.opp_id, ask("230000"))
    to_executive = submit(session, seller_b, team_b.opp_id, ask("230000"))
    to_desk = submit(session, seller, no_case.opp_id, ask("240000"))
    approved = submit(session, seller, at_target.opp_id, ask("250000"))
    assert (to_manager.waiting_role, to_executive.waiting_role, to_desk.waiting_role) == (
        "manager",
        "executive",
        "price_desk",
    )
    assert approved.state == State.APPROVED

    def queue_of(role: str) -> list[int]:
        return [r.id for r in views.queue(session, principal(session, org.users[role]))]

    assert queue_of("manager") == [to_manager.id]
    assert queue_of("executive") == [to_executive.id]
    assert queue_of("price_desk") == [to_desk.id]
    for role in ("seller", "seller_b", "admin"):
        assert queue_of(role) == []
    with pytest.raises(Forbidden):
        views.queue(session, principal(session, org.users["contributor"]))
    move(session, org.users["manager"], to_manager.id, Move.APPROVE)
    assert queue_of("manager") == []
    assert queue_of("price_desk") == [to_manager.id, to_desk.id]  # oldest first
    inbox = views.inbox(session, principal(session, seller), _page()).items
    assert [r.id for r in inbox] == [approved.id, to_desk.id, to_manager.id]


def test_lists_are_scoped(session: Session) -> None:
    org = make_org(session)
    a = build_deal(session, org.users["seller"], line_product_of=org.users["admin"])
    b = build_deal(session, org.users["seller_b"], line_product_of=org.users["admin"])
    mine = submit(session, org.users["seller"], a.opp_id, ask("230000"))
    theirs = submit(session, org.users["seller_b"], b.opp_id, ask("230000"))

    def listed(role: str) -> set[int]:
        page = views.requests(
            session, principal(session, org.users[role]), views.RequestFilter(), _page()
        )
        return {r.id for r in page.items}

    assert listed("seller") == {mine.id}
    assert listed("seller_b") == {theirs.id}
    assert listed("manager") == {mine.id}
    for role in ("price_desk", "executive", "admin"):
        assert listed(role) == {mine.id, theirs.id}
    with pytest.raises(NotFound):  # another team's deal's requests
        views.requests(
            session,
            principal(session, org.users["seller"]),
            views.RequestFilter(opportunity_id=b.opp_id),
            _page(),
        )


def _page():  # type: ignore[no-untyped-def]
    from valuescout.core.pagination import PageRequest

    return PageRequest(50, 0)
