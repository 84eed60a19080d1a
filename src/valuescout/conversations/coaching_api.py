"""JSON API of coaching sessions and their effect.

- `GET /api/v1/coaching/sessions` (?seller_id, ?focus): sessions in the caller's scope, newest
  first; `POST` records one (coaches: Permission.COACH_SELLERS, a seller in their scope);
- `GET /api/v1/coaching/sessions/{id}`: one session (404 outside the caller's scope);
- `PUT /api/v1/coaching/actions/{id}/done` `{"done": true}`: tick an agreed action;
- `GET /api/v1/coaching/effectiveness` (?window_days, default 90): per focus, overall and per
  coach, the coached sellers' change against sellers not coached on that focus.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query

from valuescout.conversations import coaching_service as svc
from valuescout.conversations.coaching_effect import DEFAULT_WINDOW_DAYS, FOCUSES
from valuescout.conversations.coaching_schemas import (
    ActionDoneIn,
    ActionOut,
    EffectivenessOut,
    SessionEffectOut,
    SessionIn,
    SessionOut,
)
from valuescout.core.web.deps import DbSession
from valuescout.core.web.schemas import ERROR_RESPONSES, MAX_DB_ID
from valuescout.identity.deps import ApiPrincipal

router = APIRouter(prefix="/api/v1/coaching", tags=["coaching"], responses=ERROR_RESPONSES)

FOCUS_PATTERN = "^(" + "|".join(FOCUSES) + ")$"
Id = Annotated[int, Path(ge=1, le=MAX_DB_ID)]
WindowDays = Annotated[
    int, Query(ge=1, le=svc.MAX_WINDOW_DAYS, description="days before and after each session")
]


@router.get("/sessions", response_model=list[SessionOut], summary="Coaching sessions in scope")
def list_sessions(
    principal: ApiPrincipal,
    session: DbSession,
    seller_id: Annotated[int | None, Query(ge=1, le=MAX_DB_ID)] = None,
    focus: Annotated[str | None, Query(pattern=FOCUS_PATTERN)] = None,
) -> list[SessionOut]:
    today = date.today()
    return svc.list_sessions(session, principal, today, seller_id=seller_id, focus=focus)


@router.post(
    "/sessions", response_model=SessionOut, status_code=201, summary="Record a coaching session"
)
def create_session(principal: ApiPrincipal, session: DbSession, body: SessionIn) -> SessionOut:
    return svc.create_session(session, principal, body, date.today())


@router.get("/sessions/{session_id}", response_model=SessionOut, summary="One coaching session")
def get_session(principal: ApiPrincipal, session: DbSession, session_id: Id) -> SessionOut:
    return svc.get_session(session, principal, session_id, date.today())


@router.get(
    "/sessions/{session_id}/effect",
    response_model=SessionEffectOut,
    summary="One session's before/after against the comparison group",
)
def session_effect(
    principal: ApiPrincipal,
    session: DbSession,
    session_id: Id,
    window_days: WindowDays = DEFAULT_WINDOW_DAYS,
) -> SessionEffectOut:
    svc.get_session(session, principal, session_id, date.today())  # 404 before any figure
    return svc.session_effect(session, principal, session_id, window_days)


@router.put("/actions/{action_id}/done", response_model=ActionOut, summary="Tick an action")
def set_action_done(
    principal: ApiPrincipal, session: DbSession, action_id: Id, body: ActionDoneIn
) -> ActionOut:
    return svc.set_action_done(session, principal, action_id, body.done, date.today())


@router.get("/effectiveness", response_model=EffectivenessOut, summary="Coaching effect per focus")
def effectiveness(
    principal: ApiPrincipal, session: DbSession, window_days: WindowDays = DEFAULT_WINDOW_DAYS
) -> EffectivenessOut:
    return svc.effectiveness(session, principal, date.today(), window_days)
