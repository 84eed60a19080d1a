"""Editing and deleting a call plan.

Who: the plan must be in the caller's sight (its author, or its deal in scope; 404
otherwise); then its author, or whoever may edit its deal (Permission.EDIT_DEALS; 403
otherwise). A plan shared with a manager stays shared (and readable by them) until deleted.

What an edit may change is what creating a plan takes: the meeting day, the attendees, the
goal and the good result. New attendees draw the hypotheses, questions and outcomes to
quantify afresh from the deal's value network (through their personas), as creating the plan
does; the same attendees keep the items as they were written. Deleting removes the attendees
and items with it; interactions logged from the plan keep their record without the link.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from valuescout.conversations.models import CallPlan, CallPlanAttendee, CallPlanItem
from valuescout.conversations.schemas import CallPlanUpdate
from valuescout.conversations.service_plans import (
    DEFAULT_GOAL,
    ENTITY,
    attendees_of,
    default_good_result,
    plan_items,
    visible_plan,
)
from valuescout.core import audit
from valuescout.core.errors import Forbidden
from valuescout.deals.models import Opportunity
from valuescout.identity.principal import Principal
from valuescout.identity.roles import Permission


def may_change(principal: Principal, plan: CallPlan) -> bool:
    """For a plan the caller sees: its author, or whoever may edit deals (its deal is in
    their scope, or they would not see a plan they did not write)."""
    return plan.author_id == principal.user_id or principal.can(Permission.EDIT_DEALS)


def changeable_plan(session: Session, principal: Principal, plan_id: int) -> CallPlan:
    plan = visible_plan(session, principal, plan_id)
    if not may_change(principal, plan):
        raise Forbidden("Only the plan's author or someone who may edit the deal changes it.")
    return plan


def _attendee_ids(session: Session, plan_id: int) -> list[int]:
    return list(
        session.scalars(
            select(CallPlanAttendee.contact_id)
            .where(CallPlanAttendee.call_plan_id == plan_id)
            .order_by(CallPlanAttendee.position)
        )
    )


def _items(session: Session, plan_id: int) -> list[CallPlanItem]:
    return list(
        session.scalars(
            select(CallPlanItem)
            .where(CallPlanItem.call_plan_id == plan_id)
            .order_by(CallPlanItem.position, CallPlanItem.id)
        )
    )


def _audited(session: Session, plan: CallPlan) -> dict[str, Any]:
    return {
        "meeting_on": plan.meeting_on,
        "goal": plan.goal,
        "good_result": plan.good_result,
        "attendee_ids": _attendee_ids(session, plan.id),
    }


def update_plan(
    session: Session, principal: Principal, plan_id: int, changes: CallPlanUpdate
) -> CallPlan:
    plan = changeable_plan(session, principal, plan_id)
    opp = session.get(Opportunity, plan.opportunity_id)
    assert opp is not None  # a plan goes with its deal (ON DELETE CASCADE)
    sent = changes.model_dump(exclude_unset=True)
    before = _audited(session, plan)
    attendees = len(before["attendee_ids"])
    if "attendee_ids" in sent and sent["attendee_ids"] != before["attendee_ids"]:
        contacts = attendees_of(session, opp, sent["attendee_ids"])
        attendees = len(contacts)
        session.execute(delete(CallPlanAttendee).where(CallPlanAttendee.call_plan_id == plan.id))
        session.execute(delete(CallPlanItem).where(CallPlanItem.call_plan_id == plan.id))
        session.flush()
        session.add_all(
            CallPlanAttendee(call_plan_id=plan.id, contact_id=c.id, position=i)
            for i, c in enumerate(contacts)
        )
        items = plan_items(session, opp, contacts)
        for item in items:
            item.call_plan_id = plan.id
        session.add_all(items)
    if "meeting_on" in sent:
        plan.meeting_on = sent["meeting_on"]
    if "goal" in sent:
        plan.goal = sent["goal"] or DEFAULT_GOAL
    session.flush()
    if "good_result" in sent:
        plan.good_result = sent["good_result"] or default_good_result(
            session, _items(session, plan.id), attendees
        )
        session.flush()
    diff = audit.diff(before, _audited(session, plan))
    if diff:
        audit.record(session, principal.actor, "call_plan.updated", ENTITY, plan.id, diff)
    return plan


def delete_plan(session: Session, principal: Principal, plan_id: int) -> int:
    """Delete the plan; the id of its deal, for the page to go back to."""
    plan = changeable_plan(session, principal, plan_id)
    record = {"opportunity_id": plan.opportunity_id, **_audited(session, plan)}
    session.execute(delete(CallPlanAttendee).where(CallPlanAttendee.call_plan_id == plan.id))
    session.execute(delete(CallPlanItem).where(CallPlanItem.call_plan_id == plan.id))
    session.delete(plan)
    session.flush()
    audit.record(session, principal.actor, "call_plan.deleted", ENTITY, plan_id, record)
    return int(record["opportunity_id"])
