"""Call plans: built from the deal's value network for the attendees' personas against the
deal's competitor; sharing with the manager; who sees which plan; bad input."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.conversations.builders import World, build_world
from tests.deals.test_service_builders import principal
from valuescout.conversations import service_plans, service_plans_read
from valuescout.conversations.models import CallPlan
from valuescout.conversations.schemas import CallPlanIn
from valuescout.core.errors import Forbidden, Invalid, NotFound

MEETING = date(2026, 12, 3)


@pytest.fixture()
def world(session: Session) -> World:
    return build_world(session)


def _plan(session: Session, world: World, who: str = "seller", **kw: object) -> int:
    data = CallPlanIn(
        opportunity_id=kw.pop("opportunity_id", world.open_deal.id),
        meeting_on=MEETING,
        attendee_ids=kw.pop("attendee_ids", [world.plant_manager.id, world.maintenance.id]),
        **kw,
    )
    return service_plans.create_plan(session, principal(session, world.org.user(who)), data).id


def test_a_plan_from_the_network_for_the_attendees_personas(session: Session, world: World) -> None:
    plan_id = _plan(session, world, goal="Agree the downtime figure")
    out = service_plans_read.plan_detail(
        session, principal(session, world.org.user("seller")), plan_id
    )
    assert [a.persona for a in out.attendees] == ["Plant manager", "Maintenance lead"]
    assert out.goal == "Agree the downtime figure"
    assert out.alternative == "Competitor: Hydrix"
    texts = [h.text for h in out.hypotheses]
    assert any(t.startswith("Plant manager: Because of") for t in texts)
    assert any(t.startswith("Maintenance lead: Because of") for t in texts)
    # Hydrix matches the sensors, not the 4-hour service: the service leads the plant manager's
    first_pm = next(t for t in texts if t.startswith("Plant manager"))
    assert "4-hour service" in first_pm
    chosen = {q.outcome_id for q in out.quantify}
    assert chosen <= set(world.outcomes.values()) and chosen
    assert len(out.questions) == 3 * len(out.quantify)
    assert "Less downtime" in out.good_result or "Higher output" in out.good_result
    assert out.may_share and not out.shared_with_manager and out.discoveries == []


def test_a_plan_without_attendees_uses_the_networks_executive_outcomes(
    session: Session, world: World
) -> None:
    plan_id = _plan(session, world, attendee_ids=[])
    out = service_plans_read.plan_detail(
        session, principal(session, world.org.user("seller")), plan_id
    )
    assert out.hypotheses == [] and out.attendees == []
    assert out.quantify[0].outcome_id == world.outcomes["Less downtime"]  # executive first
    assert out.goal.startswith("Test our value hypotheses")


def test_sharing_with_the_manager(session: Session, world: World) -> None:
    plan_id = _plan(session, world)
    seller = principal(session, world.org.user("seller"))
    manager = principal(session, world.org.user("manager"))
    assert service_plans_read.list_plans(session, manager, shared_by_others=True) == []
    with pytest.raises(Forbidden):
        service_plans.share_plan(session, manager, plan_id)
    first = service_plans.share_plan(session, seller, plan_id).shared_at
    assert service_plans.share_plan(session, seller, plan_id).shared_at == first  # once
    shared = service_plans_read.list_plans(session, manager, shared_by_others=True)
    assert [p.id for p in shared] == [plan_id] and shared[0].author_name
    assert service_plans_read.plan_detail(session, manager, plan_id).may_share is False


def test_who_sees_a_plan(session: Session, world: World) -> None:
    plan_id = _plan(session, world)
    for who in ("seller", "manager", "executive", "price_desk", "admin"):
        service_plans_read.plan_detail(session, principal(session, world.org.user(who)), plan_id)
    for who in ("seller_b", "contributor"):
        with pytest.raises(NotFound):
            service_plans_read.plan_detail(
                session, principal(session, world.org.user(who)), plan_id
            )
        assert service_plans_read.list_plans(session, principal(session, world.org.user(who))) == []


def test_refusals_write_nothing(session: Session, world: World) -> None:
    with pytest.raises(NotFound):  # seller_b's deal is out of the seller's scope
        _plan(session, world, opportunity_id=world.other_deal.id, attendee_ids=[])
    with pytest.raises(Invalid, match=f"Contact {world.outsider.id}"):
        _plan(session, world, attendee_ids=[world.outsider.id])
    with pytest.raises(Invalid, match="Contact 999999"):
        _plan(session, world, attendee_ids=[999999])
    with pytest.raises(Forbidden):  # executives do not edit deals
        _plan(session, world, who="executive", attendee_ids=[])
    with pytest.raises(NotFound):  # a contributor sees no deal of their own
        _plan(session, world, who="contributor", attendee_ids=[])
    assert session.scalar(select(func.count()).select_from(CallPlan)) == 0
    with pytest.raises(ValidationError, match="each contact only once"):
        CallPlanIn(opportunity_id=1, meeting_on=MEETING, attendee_ids=[3, 3])


def test_a_persona_from_another_network_stands_for_its_namesake(
    session: Session, world: World
) -> None:
    from tests.factories import TEST_ACTOR
    from tests.valuenet.factories import small_spec
    from valuescout.valuenet import service as valuenet_service
    from valuescout.valuenet.models import Persona

    other = valuenet_service.import_as(session, TEST_ACTOR, small_spec("Other pumps"))
    elsewhere = session.scalar(
        select(Persona).where(Persona.network_id == other.id, Persona.name == "Plant manager")
    )
    assert elsewhere is not None
    world.plant_manager.persona_id = elsewhere.id
    session.flush()
    plan_id = _plan(session, world, attendee_ids=[world.plant_manager.id])
    out = service_plans_read.plan_detail(
        session, principal(session, world.org.user("seller")), plan_id
    )
    assert out.hypotheses and all(h.text.startswith("Plant manager:") for h in out.hypotheses)
    assert {h.persona_id for h in out.hypotheses} != {elsewhere.id}  # this network's persona


def test_accepted_discoveries_on_the_plans_outcomes_are_shown(
    session: Session, world: World
) -> None:
    from valuescout.discoveries.models import Discovery

    downtime = world.outcomes["Less downtime"]
    common = {
        "customer_name": "Quarry Co",
        "situation": "Pumps fail at night",
        "network_id": world.network_id,
    }
    session.add_all(
        [
            Discovery(
                **common,
                desired_outcome="Fewer night call-outs",
                value_hint="2 shifts a week",
                status="accepted",
                resolution="attached",
                outcome_id=downtime,
            ),
            Discovery(
                **common, desired_outcome="Still under review", status="new", outcome_id=downtime
            ),
        ]
    )
    session.flush()
    plan_id = _plan(session, world, attendee_ids=[])
    out = service_plans_read.plan_detail(
        session, principal(session, world.org.user("seller")), plan_id
    )
    assert downtime in {q.outcome_id for q in out.quantify}
    assert [(d.desired_outcome, d.value_hint) for d in out.discoveries] == [
        ("Fewer night call-outs", "2 shifts a week")
    ]
