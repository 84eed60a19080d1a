"""Which reviewed discoveries are unmet gaps (declined as not delivered, or a new outcome no
differentiator reaches), who may read the list, and the customer voices per outcome."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from tests.deals.test_service_builders import principal
from tests.discoveries.test_service import logged, node
from tests.factories import TEST_ACTOR, Org, make_org
from tests.valuenet.factories import small_spec
from valuescout.core.errors import Forbidden, NotFound
from valuescout.discoveries import service, service_ideas
from valuescout.discoveries.schemas import ReviewIn
from valuescout.valuenet import editing
from valuescout.valuenet import service as networks
from valuescout.valuenet.schemas import LinkCreate


@pytest.fixture()
def org(session: Session) -> Org:
    return make_org(session)


@pytest.fixture()
def network_id(session: Session) -> int:
    return networks.import_as(session, TEST_ACTOR, small_spec()).id


def test_unmet_gaps_follow_the_rule(session: Session, org: Org, network_id: int) -> None:
    admin = principal(session, org.user("admin"))

    def reviewed(outcome: str, review: ReviewIn, customer: str = "Harbour Foods") -> int:
        did = logged(session, org, desired_outcome=outcome, customer_name=customer,
                     network_id=network_id)  # fmt: skip
        service.review(session, admin, did, review)
        return did

    not_ours = reviewed(
        "Cheaper freight", ReviewIn(action="decline", decline_reason="not_delivered")
    )
    reviewed("Cheaper freight", ReviewIn(action="decline", decline_reason="duplicate"))
    reviewed("Less downtime", ReviewIn(
        action="attach", outcome_id=node(session, network_id, "Less downtime").id))  # fmt: skip
    orphan = reviewed("Greener plant", ReviewIn(action="create", outcome_name="Greener plant"),
                      customer="Norrland")  # fmt: skip
    reached = reviewed("Quieter pumps", ReviewIn(
        action="create", outcome_name="Quieter pumps",
        link_from_id=node(session, network_id, "Predictive sensors").id))  # fmt: skip
    greener = node(session, network_id, "Greener plant").id
    joined = reviewed("Greener plant", ReviewIn(action="attach", outcome_id=greener))
    logged(session, org, desired_outcome="Cheaper freight")  # still new: not on the list
    ideas = service_ideas.ideas(session, principal(session, org.user("manager")))
    assert sorted((i.theme, i.discovery_ids) for i in ideas) == [
        ("Cheaper freight", (not_ours,)),
        ("Greener plant", (orphan, joined)),
    ]
    assert reached not in {d for i in ideas for d in i.discovery_ids}
    # A differentiator linked to the new outcome takes it off the list.
    editing.add_link(session, admin, network_id, LinkCreate(
        source_id=node(session, network_id, "4-hour service").id,
        target_id=node(session, network_id, "Greener plant").id))  # fmt: skip
    assert [i.theme for i in service_ideas.operator_ideas(session)] == ["Cheaper freight"]
    assert [
        i.theme for i in service_ideas.ideas(session, principal(session, org.user("executive")))
    ]
    for role in ("seller", "contributor"):
        with pytest.raises(Forbidden):
            service_ideas.ideas(session, principal(session, org.user(role)))


def test_customer_voices_per_outcome(session: Session, org: Org, network_id: int) -> None:
    manager = principal(session, org.user("manager"))
    downtime = node(session, network_id, "Less downtime")
    first = logged(session, org, customer_name="Harbour Foods")
    second = logged(session, org, customer_name="Norrland", situation="Night shifts stop.")
    logged(session, org)  # new: not a voice yet
    for did in (first, second):
        service.review(session, manager, did, ReviewIn(action="attach", outcome_id=downtime.id))
    voices = service_ideas.voices(session, manager, network_id)
    assert [(v.outcome_name, [d.id for d in v.discoveries]) for v in voices] == [
        ("Less downtime", [second, first])
    ]
    with pytest.raises(NotFound):
        service_ideas.voices(session, manager, 99999)
