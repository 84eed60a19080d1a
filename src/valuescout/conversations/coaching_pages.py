"""HTML pages of coaching sessions and their effect.

- `/coaching`: the sessions in the caller's scope, the open agreed actions (soonest due
  first) and, for coaches, the new-session form (POST `/coaching`: 303 to the new session, or
  400 with the form shown again and what was wrong);
- `/coaching/{id}`: one session, its actions (ticked by the seller or the coach, POST
  `/coaching/{id}/actions/{action_id}`) and its own before/after against the comparison group;
- `/coaching/effectiveness` (?window_days): per focus, overall and per coach, with the chart.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import Field
from starlette.datastructures import FormData
from starlette.responses import Response

from valuescout.conversations import coaching_charts
from valuescout.conversations import coaching_service as svc
from valuescout.conversations.coaching_effect import (
    DEFAULT_WINDOW_DAYS,
    FOCUSES,
    METRICS,
    MIN_COACHED,
    MIN_COMPARISON,
)
from valuescout.conversations.coaching_schemas import MAX_ACTIONS, SessionIn
from valuescout.core.errors import Invalid, NotFound
from valuescout.core.web.csrf import verify_csrf
from valuescout.core.web.deps import DbSession
from valuescout.core.web.forms import FormFailure, PathId
from valuescout.core.web.schemas import BlankIsNone
from valuescout.core.web.templating import redirect, render
from valuescout.deals.pages import Form
from valuescout.deals.pages_forms import attempt_form, day, record_id, text, validated
from valuescout.identity.deps import PagePrincipal
from valuescout.identity.principal import Principal
from valuescout.identity.roles import Permission

router = APIRouter(dependencies=[Depends(verify_csrf)], include_in_schema=False)

ACTION_ROWS = 3  # blank action rows on the new-session form
PageWindow = Annotated[
    Annotated[int, Field(ge=1, le=svc.MAX_WINDOW_DAYS)] | None, BlankIsNone, Query()
]


def _list_page(
    request: Request,
    principal: Principal,
    session: DbSession,
    *,
    values: dict[str, Any] | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    today = date.today()
    may_coach = principal.can(Permission.COACH_SELLERS)
    return render(
        request,
        "conversations/coaching.html",
        {
            "sessions": svc.list_sessions(session, principal, today),
            "due": svc.due_actions(session, principal, today),
            "may_coach": may_coach,
            "may_read_effect": may_coach or principal.can(Permission.VIEW_ANALYTICS),
            "sellers": svc.coachable(session, principal) if may_coach else [],
            "focuses": FOCUSES,
            "values": values or {"held_on": str(today)},
            "action_rows": range(ACTION_ROWS),
            "error": error,
            "today": today,
        },
        status_code=status_code,
    )


@router.get("/coaching")
def coaching_page(request: Request, principal: PagePrincipal, session: DbSession) -> Response:
    return _list_page(request, principal, session)


def _session_in(form: FormData) -> SessionIn:
    """The posted form as a SessionIn; a blank action row is skipped, a half-filled one is not."""
    actions = []
    for n in range(ACTION_ROWS):
        what, due = text(form, f"action_{n}").strip(), text(form, f"action_{n}_due")
        if not what and not due.strip():
            continue
        if not what or not due.strip():
            raise Invalid(f"action {n + 1}: give both what to do and a due date.")
        actions.append({"text": what, "due_on": day(f"action {n + 1} due date", due)})
    data = {
        "seller_id": record_id("seller", text(form, "seller_id")),
        "held_on": day("date", text(form, "held_on")),
        "focus": text(form, "focus"),
        "notes": text(form, "notes"),
        "actions": actions[:MAX_ACTIONS],
    }
    if data["seller_id"] is None:
        raise Invalid("seller: choose the seller you coached.")
    if data["held_on"] is None:
        raise Invalid("date: enter the day of the session as YYYY-MM-DD.")
    return validated(SessionIn, data)


@router.post("/coaching")
def create_session(
    request: Request, principal: PagePrincipal, session: DbSession, form: Form
) -> Response:
    principal.require(Permission.COACH_SELLERS)
    today = date.today()
    made = attempt_form(
        session, lambda: svc.create_session(session, principal, _session_in(form), today)
    )
    if isinstance(made, FormFailure):
        values = {k: text(form, k) for k in form}
        return _list_page(
            request, principal, session, values=values, error=made.message, status_code=400
        )
    return redirect(f"/coaching/{made.id}", flash="The coaching session is recorded.")


@router.get("/coaching/effectiveness")
def effectiveness_page(
    request: Request, principal: PagePrincipal, session: DbSession, window_days: PageWindow = None
) -> Response:
    window = window_days or DEFAULT_WINDOW_DAYS
    result = svc.effectiveness(session, principal, date.today(), window)
    return render(
        request,
        "conversations/coaching_effectiveness.html",
        {
            "result": result,
            "chart": coaching_charts.change_chart(result.overall),
            "min_coached": MIN_COACHED,
            "min_comparison": MIN_COMPARISON,
            "may_read_effect": True,
        },
    )


@router.get("/coaching/{session_id}")
def session_page(
    request: Request, principal: PagePrincipal, session: DbSession, session_id: PathId
) -> Response:
    today = date.today()
    found = svc.get_session(session, principal, session_id, today)
    return render(
        request,
        "conversations/coaching_session.html",
        {
            "s": found,
            "metric": METRICS[found.metric],
            "min_coached": MIN_COACHED,
            "min_comparison": MIN_COMPARISON,
            "effect": svc.session_effect(session, principal, session_id),
            "window_days": DEFAULT_WINDOW_DAYS,
            "may_tick": principal.can(Permission.COACH_SELLERS)
            or found.seller_id == principal.user_id,
            "may_read_effect": principal.can(Permission.COACH_SELLERS)
            or principal.can(Permission.VIEW_ANALYTICS),
        },
    )


@router.post("/coaching/{session_id}/actions/{action_id}")
def tick_action(
    principal: PagePrincipal, session: DbSession, session_id: PathId, action_id: PathId, form: Form
) -> Response:
    found = svc.get_session(session, principal, session_id, date.today())
    if action_id not in {a.id for a in found.actions}:
        raise NotFound(f"Action {action_id} not found.")
    done = text(form, "done") == "true"
    svc.set_action_done(session, principal, action_id, done, date.today())
    message = "The action is done." if done else "The action is open again."
    return redirect(f"/coaching/{session_id}", flash=message)
