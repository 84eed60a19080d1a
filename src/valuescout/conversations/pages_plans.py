"""HTML pages of call plans: `/opportunities/{id}/call-plans/new` (attendees from the deal's
account, the meeting day, goal and good result), `/call-plans/{id}` (the printable one-pager,
with "Share with my manager" and "Log this meeting"), `POST /call-plans/{id}/share`;
`/call-plans/{id}/edit` (the same form, filled in) and `POST /call-plans/{id}/delete` (after a
confirmation on the plan's page): its author, or whoever may edit the deal."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from valuescout.conversations import (
    service_pick,
    service_plans,
    service_plans_edit,
    service_plans_read,
)
from valuescout.conversations.schemas import CallPlanIn, CallPlanUpdate
from valuescout.core.web.csrf import verify_csrf
from valuescout.core.web.deps import DbSession
from valuescout.core.web.forms import FormFailure, PathId
from valuescout.core.web.templating import redirect, render
from valuescout.deals.access import editable_opportunity, visible_opportunity
from valuescout.deals.pages import Form
from valuescout.deals.pages_forms import attempt_form, day, record_id, text, validated
from valuescout.identity.deps import PagePrincipal
from valuescout.identity.principal import Principal

router = APIRouter(dependencies=[Depends(verify_csrf)], include_in_schema=False)


def _render_new(
    request: Request,
    session: Session,
    principal: Principal,
    opp_id: int,
    values: dict[str, Any],
    error: str | None = None,
    status: int = 200,
    plan_id: int | None = None,
) -> Response:
    if plan_id is None:
        opp = editable_opportunity(session, principal, opp_id)
    else:  # the plan's author may edit it without EDIT_DEALS (checked by the service)
        opp = visible_opportunity(session, principal, opp_id)
    return render(
        request,
        "conversations/plan_new.html",
        {
            "opp": opp,
            "contacts": service_pick.contacts_of(session, opp.account_id),
            "values": values,
            "error": error,
            "plan_id": plan_id,
        },
        status_code=status,
    )


@router.get("/opportunities/{opp_id}/call-plans/new")
def new_plan(
    request: Request, principal: PagePrincipal, session: DbSession, opp_id: PathId
) -> Response:
    values = {
        "meeting_on": (date.today() + timedelta(days=7)).isoformat(),
        "goal": "",
        "good_result": "",
        "attendee_ids": [],
    }
    return _render_new(request, session, principal, opp_id, values)


def _plan_in(opp_id: int, form: Any) -> CallPlanIn:
    ids = [record_id("Attendee", v) for v in form.getlist("attendee_ids")]
    return validated(
        CallPlanIn,
        {
            "opportunity_id": opp_id,
            "meeting_on": day("Meeting day", text(form, "meeting_on")),
            "attendee_ids": [i for i in ids if i is not None],
            "goal": text(form, "goal"),
            "good_result": text(form, "good_result"),
        },
    )


@router.post("/opportunities/{opp_id}/call-plans")
def create_plan(
    request: Request, principal: PagePrincipal, session: DbSession, opp_id: PathId, form: Form
) -> Response:
    created = attempt_form(
        session, lambda: service_plans.create_plan(session, principal, _plan_in(opp_id, form))
    )
    if isinstance(created, FormFailure):
        return _render_new(request, session, principal, opp_id, _posted(form), created.message, 400)
    return redirect(f"/call-plans/{created.id}", "Call plan ready.")


def _posted(form: Any) -> dict[str, Any]:
    return {
        "meeting_on": text(form, "meeting_on"),
        "goal": text(form, "goal"),
        "good_result": text(form, "good_result"),
        "attendee_ids": [v for v in form.getlist("attendee_ids") if isinstance(v, str)],
    }


@router.get("/call-plans/{plan_id}/edit")
def edit_plan(
    request: Request, principal: PagePrincipal, session: DbSession, plan_id: PathId
) -> Response:
    service_plans_edit.changeable_plan(session, principal, plan_id)
    plan = service_plans_read.plan_detail(session, principal, plan_id)
    values = {
        "meeting_on": plan.meeting_on.isoformat(),
        "goal": plan.goal,
        "good_result": plan.good_result,
        "attendee_ids": [str(a.contact_id) for a in plan.attendees],
    }
    return _render_new(request, session, principal, plan.opportunity_id, values, plan_id=plan_id)


@router.post("/call-plans/{plan_id}/edit")
def post_edit_plan(
    request: Request, principal: PagePrincipal, session: DbSession, plan_id: PathId, form: Form
) -> Response:
    plan = service_plans_edit.changeable_plan(session, principal, plan_id)

    def save() -> Any:
        changes = _plan_in(plan.opportunity_id, form).model_dump(exclude={"opportunity_id"})
        data = validated(CallPlanUpdate, changes)
        return service_plans_edit.update_plan(session, principal, plan_id, data)

    saved = attempt_form(session, save)
    if isinstance(saved, FormFailure):
        return _render_new(
            request,
            session,
            principal,
            plan.opportunity_id,
            _posted(form),
            saved.message,
            400,
            plan_id=plan_id,
        )
    return redirect(f"/call-plans/{plan_id}", "Call plan saved.")


@router.post("/call-plans/{plan_id}/delete")
def delete_plan(principal: PagePrincipal, session: DbSession, plan_id: PathId) -> Response:
    opp_id = service_plans_edit.delete_plan(session, principal, plan_id)
    return redirect(f"/opportunities/{opp_id}", "The call plan is deleted.")


@router.get("/call-plans/{plan_id}")
def plan_page(
    request: Request, principal: PagePrincipal, session: DbSession, plan_id: PathId
) -> Response:
    plan = service_plans_read.plan_detail(session, principal, plan_id)
    return render(request, "conversations/plan.html", {"plan": plan})


@router.post("/call-plans/{plan_id}/share")
def share_plan(principal: PagePrincipal, session: DbSession, plan_id: PathId) -> Response:
    service_plans.share_plan(session, principal, plan_id)
    return redirect(f"/call-plans/{plan_id}", "Shared with your manager for a preview.")
