"""Editing and deleting call plans: new attendees draw the items afresh, the same ones keep
them; a shared plan stays readable by the manager until deleted; who may (author, whoever may
edit the deal); bad input and refusals change nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.conversations.builders import World, build_world
from tests.deals.test_service_builders import principal
from valuescout.conversations import service, service_plans, service_plans_edit, service_plans_read
from valuescout.conversations.models import CallPlan, CallPlanAttendee, CallPlanItem, Interaction
from valuescout.conversations.schemas import CallPlanIn, CallPlanUpdate, InteractionIn
from valuescout.core.audit import AuditEntry
from valuescout.core.errors import Forbidden, Invalid, NotFound

MEETING = date(2026, 12, 3)


@pytest.fixture()
def world(session: Session) -> World:
    return build_world(session)


def _plan(session: Session, world: World, attendees: list[int]) -> int:
    data = CallPlanIn(opportunity_id=world.open_deal.id, meeting_on=MEETING, attendee_ids=attendees)
    who = principal(session, world.org.user("seller"))
    return service_plans.create_plan(session, who, data).id


def _edit(session: Session, world: World, plan_id: int, who: str = "seller", **kw: Any) -> None:
    service_plans_edit.update_plan(
        session,
        principal(session, world.org.user(who)),
        plan_id,
        CallPlanUpdate.model_validate(kw),
    )


def _read(session: Session, world: World, plan_id: int, who: str = "seller") -> Any:
    return service_plans_read.plan_detail(session, principal(session, world.org.user(who)), plan_id)


def _snapshot(session: Session) -> tuple[Any, ...]:
    plans = session.execute(select(CallPlan.id, CallPlan.goal, CallPlan.meeting_on)).all()
    items = session.execute(select(CallPlanItem.call_plan_id, CallPlanItem.text)).all()
    people = session.execute(select(CallPlanAttendee.call_plan_id, CallPlanAttendee.contact_id))
    return sorted(plans), sorted(items), sorted(people.all())


def test_new_attendees_draw_the_plan_afresh(session: Session, world: World) -> None:
    plan_id = _plan(session, world, [world.plant_manager.id])
    before = _read(session, world, plan_id)
    assert all(h.text.startswith("Plant manager:") for h in before.hypotheses)
    _edit(session, world, plan_id, goal="Only the goal", meeting_on=date(2026, 12, 9))
    same = _read(session, world, plan_id)
    assert (same.goal, same.meeting_on) == ("Only the goal", date(2026, 12, 9))
    assert same.hypotheses == before.hypotheses and same.questions == before.questions
    _edit(session, world, plan_id, attendee_ids=[world.maintenance.id])
    after = _read(session, world, plan_id)
    assert [a.name for a in after.attendees] == ["Ravi Patel"]
    assert after.hypotheses and all(
        h.text.startswith("Maintenance lead:") for h in after.hypotheses
    )
    _edit(session, world, plan_id, goal="", good_result="")  # blank: the usual ones
    usual = _read(session, world, plan_id)
    assert usual.goal == service_plans.DEFAULT_GOAL and usual.good_result
    entry = session.scalar(
        select(AuditEntry)
        .where(AuditEntry.action == "call_plan.updated")
        .order_by(AuditEntry.id.desc())
    )
    assert entry is not None and "goal" in entry.changes


def test_a_shared_plan_stays_readable_until_deleted(session: Session, world: World) -> None:
    plan_id = _plan(session, world, [world.plant_manager.id])
    service_plans.share_plan(session, principal(session, world.org.user("seller")), plan_id)
    _edit(session, world, plan_id, goal="Revised")
    manager = principal(session, world.org.user("manager"))
    shared = service_plans_read.list_plans(session, manager, shared_by_others=True)
    assert [p.goal for p in shared] == ["Revised"]
    row = service.create_interaction(
        session,
        principal(session, world.org.user("seller")),
        InteractionIn(
            opportunity_id=world.open_deal.id, call_plan_id=plan_id, occurred_on=date(2026, 11, 18)
        ),
        date(2026, 11, 20),
    )
    service_plans_edit.delete_plan(session, principal(session, world.org.user("seller")), plan_id)
    session.expire_all()
    assert service_plans_read.list_plans(session, manager, shared_by_others=True) == []
    with pytest.raises(NotFound):
        _read(session, world, plan_id, who="manager")
    assert session.scalar(select(func.count()).select_from(CallPlanItem)) == 0
    assert session.scalar(select(func.count()).select_from(CallPlanAttendee)) == 0
    kept = session.get(Interaction, row.id)
    assert kept is not None and kept.call_plan_id is None  # the log keeps its record
    assert session.scalar(select(AuditEntry).where(AuditEntry.action == "call_plan.deleted"))


def test_who_may_edit_and_delete(session: Session, world: World) -> None:
    plan_id = _plan(session, world, [world.plant_manager.id])
    _edit(session, world, plan_id, who="manager", goal="The manager's")
    _edit(session, world, plan_id, who="admin", goal="The admin's")
    assert _read(session, world, plan_id).may_change
    assert not _read(session, world, plan_id, who="executive").may_change
    before = _snapshot(session)
    for who, error in (
        ("executive", Forbidden),
        ("price_desk", Forbidden),
        ("seller_b", NotFound),
        ("contributor", NotFound),
    ):
        with pytest.raises(error):
            _edit(session, world, plan_id, who=who, goal="No")
        with pytest.raises(error):
            service_plans_edit.delete_plan(
                session, principal(session, world.org.user(who)), plan_id
            )
    assert _snapshot(session) == before
    service_plans_edit.delete_plan(session, principal(session, world.org.user("manager")), plan_id)
    assert session.get(CallPlan, plan_id) is None


def test_bad_input_changes_nothing(session: Session, world: World) -> None:
    plan_id = _plan(session, world, [world.plant_manager.id])
    before = _snapshot(session)
    with pytest.raises(Invalid, match=f"Contact {world.outsider.id}"):
        _edit(session, world, plan_id, attendee_ids=[world.outsider.id])
    with pytest.raises(ValidationError, match="each contact only once"):
        CallPlanUpdate(attendee_ids=[world.maintenance.id, world.maintenance.id])
    with pytest.raises(ValidationError, match="must not be null"):
        CallPlanUpdate.model_validate({"goal": None})
    with pytest.raises(ValidationError, match="from 2000 on"):
        CallPlanUpdate(meeting_on=date(1999, 1, 1))
    with pytest.raises(NotFound):
        _edit(session, world, 999_999, goal="No")
    assert _snapshot(session) == before
