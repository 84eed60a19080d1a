"""Logging and reviewing discoveries through the service: who may do what, the review moves
(attach, create with a link, decline; re-review refused), and the network's audit trail."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.deals.test_service_builders import build_deal, principal
from tests.factories import TEST_ACTOR, Org, make_org
from tests.valuenet.factories import small_spec
from valuescout.core.audit import AuditEntry
from valuescout.core.errors import Conflict, Forbidden, Invalid, NotFound
from valuescout.discoveries import service
from valuescout.discoveries.schemas import DiscoveryIn, ReviewIn
from valuescout.valuenet import service as networks
from valuescout.valuenet.models import NetworkLink, NetworkNode


@pytest.fixture()
def org(session: Session) -> Org:
    return make_org(session)


@pytest.fixture()
def network_id(session: Session) -> int:
    return networks.import_as(session, TEST_ACTOR, small_spec()).id


def node(session: Session, network_id: int, name: str) -> NetworkNode:
    found = session.scalar(
        select(NetworkNode).where(NetworkNode.network_id == network_id, NetworkNode.name == name)
    )
    assert found is not None
    return found


def logged(session: Session, org: Org, who: str = "contributor", **kw: object) -> int:
    data = {
        "customer_name": "Harbour Foods",
        "situation": "Cold-store doors are left open during loading; energy bills spike.",
        "desired_outcome": "Lower cold-chain energy use",
        "value_hint": "They think about 8% of the energy bill",
        "value_amount": Decimal("40000"),
        **kw,
    }
    row = service.log_discovery(
        session, principal(session, org.user(who)), DiscoveryIn.model_validate(data)
    )
    return row.id


def test_a_contributor_logs_and_sees_only_their_own(session: Session, org: Org) -> None:
    mine = logged(session, org)
    other = logged(session, org, "seller")
    contributor = principal(session, org.user("contributor"))
    assert [d.id for d in service.my_discoveries(session, contributor)] == [mine]
    got = service.discovery_out(session, contributor, mine)
    assert got.status == "new" and got.currency == "USD" and got.value_amount == Decimal("40000")
    assert got.reported_by == org.user("contributor").full_name
    with pytest.raises(NotFound):
        service.discovery_out(session, contributor, other)
    with pytest.raises(Forbidden):
        service.review_queue(session, contributor)
    manager = principal(session, org.user("manager"))
    queue = service.review_queue(session, manager)
    assert [d.id for d in queue] == [mine, other]
    # The contributor is outside the manager's team: what was found shows, not who found it.
    assert [d.reported_by for d in queue] == [None, org.user("seller").full_name]
    admin = principal(session, org.user("admin"))
    assert service.review_queue(session, admin)[0].reported_by == org.user("contributor").full_name
    assert session.scalar(select(AuditEntry).where(AuditEntry.action == "discovery.logged"))


def test_the_customer_is_an_account_in_sight_or_a_name(session: Session, org: Org) -> None:
    deal = build_deal(session, org.user("seller"), account="Norrland Paper")
    got = logged(session, org, "seller", customer_name="", account_id=deal.account_id)
    assert (
        service.discovery_out(session, principal(session, org.user("seller")), got).customer_name
        == "Norrland Paper"
    )
    with pytest.raises(NotFound):  # seller_b cannot see the account
        logged(session, org, "seller_b", customer_name="", account_id=deal.account_id)
    with pytest.raises(ValueError, match="customer_name"):
        DiscoveryIn(situation="x", desired_outcome="y")
    with pytest.raises(ValueError, match="desired_outcome"):
        DiscoveryIn(customer_name="A", situation="x", desired_outcome="   ")


def test_attach_to_an_existing_outcome(session: Session, org: Org, network_id: int) -> None:
    did = logged(session, org)
    manager = principal(session, org.user("manager"))
    outcome = node(session, network_id, "Less downtime")
    row = service.review(session, manager, did, ReviewIn(action="attach", outcome_id=outcome.id))
    assert (row.status, row.resolution, row.outcome_id) == ("accepted", "attached", outcome.id)
    assert row.network_id == network_id and row.reviewed_by_id == org.user("manager").id
    hints = service.accepted_for_outcomes(session, [outcome.id, 999])
    assert [(h.discovery_id, h.account_name) for h in hints] == [(did, "Harbour Foods")]
    assert service.accepted_for_outcomes(session, []) == []
    differentiator = node(session, network_id, "Predictive sensors")
    other = logged(session, org)
    with pytest.raises(NotFound, match="Outcome"):
        service.review(
            session, manager, other, ReviewIn(action="attach", outcome_id=differentiator.id)
        )


def test_create_an_outcome_with_a_link_through_the_network_editor(
    session: Session, org: Org, network_id: int
) -> None:
    did = logged(session, org, network_id=network_id)
    admin = principal(session, org.user("admin"))
    sensors = node(session, network_id, "Predictive sensors")
    row = service.review(
        session, admin, did,
        ReviewIn(action="create", outcome_name="Lower cold-chain energy", link_from_id=sensors.id),
    )  # fmt: skip
    created = node(session, network_id, "Lower cold-chain energy")
    assert row.outcome_id == created.id and row.resolution == "created"
    assert created.description.startswith("Cold-store doors")
    link = session.scalar(select(NetworkLink).where(NetworkLink.target_id == created.id))
    assert link is not None and link.source_id == sensors.id
    actions = set(session.scalars(select(AuditEntry.action)))
    assert {"outcome.added", "link.added", "discovery.accepted"} <= actions


def test_create_refuses_a_taken_name_and_writes_nothing(
    session: Session, org: Org, network_id: int
) -> None:
    did = logged(session, org, network_id=network_id)
    admin = principal(session, org.user("admin"))
    with pytest.raises(Conflict, match="already used"):
        service.review(session, admin, did, ReviewIn(action="create", outcome_name="Less downtime"))
    no_network = logged(session, org)
    with pytest.raises(Invalid, match="network"):
        service.review(session, admin, no_network, ReviewIn(action="create", outcome_name="N"))


def test_decline_needs_a_reason_and_a_review_is_final(
    session: Session, org: Org, network_id: int
) -> None:
    did = logged(session, org)
    manager = principal(session, org.user("manager"))
    with pytest.raises(ValueError, match="decline_reason"):
        ReviewIn(action="decline")
    row = service.review(
        session, manager, did,
        ReviewIn(action="decline", decline_reason="not_delivered", note="No cold-chain kit."),
    )  # fmt: skip
    assert (row.status, row.decline_reason, row.review_note) == (
        "declined", "not_delivered", "No cold-chain kit.",
    )  # fmt: skip
    outcome = node(session, network_id, "Less downtime")
    for again in (
        ReviewIn(action="attach", outcome_id=outcome.id),
        ReviewIn(action="decline", decline_reason="duplicate"),
    ):
        with pytest.raises(Conflict, match="already declined"):
            service.review(session, manager, did, again)
    assert service.review_queue(session, manager) == []
    assert [d.id for d in service.review_queue(session, manager, service.Status.DECLINED)] == [did]


def test_a_seller_cannot_review(session: Session, org: Org, network_id: int) -> None:
    did = logged(session, org, "seller")
    seller = principal(session, org.user("seller"))
    with pytest.raises(Forbidden):
        service.review(session, seller, did, ReviewIn(action="decline", decline_reason="duplicate"))
