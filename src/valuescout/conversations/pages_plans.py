"""HTML pages of call plans: `/opportunities/{id}/call-plans/new` (attendees from the deal's
account, the meeting day, goal and good result), `/call-plans/{id}` (the printable one-pager,
with "Share with my manager" and "Log this meeting"), `POST /call-plans/{id}/share`."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from valuescout.conversations import service_pick, service_plans, service_plans_read
from valuescout.conversations.schemas import CallPlanIn
from valuescout.core.web.csrf import verify_csrf
from valuescout.core.web.deps import DbSession
from valuescout.core.web.forms import FormFailure, PathId
from valuescout.core.web.templating import redirect, render
from valuescout.deals.access import editable_opportunity
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
) -> Response:
    opp = editable_opportunity(session, principal, opp_id)
    return render(
        request,
        "conversations/plan_new.html",
        {
            "opp": opp,
            "contacts": service_pick.contacts_of(session, opp.account_id),
            "values": values,
            "error": error,
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
        values = {
            "meeting_on": text(form, "meeting_on"),
            "goal": text(form, "goal"),
            "good_result": text(form, "good_result"),
            "attendee_ids": [v for v in form.getlist("attendee_ids") if isinstance(v, str)],
        }
        return _render_new(request, session, principal, opp_id, values, created.message, 400)
    return redirect(f"/call-plans/{created.id}", "Call plan ready.")


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
