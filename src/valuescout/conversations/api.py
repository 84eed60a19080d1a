"""JSON API of call plans, interactions and value-quality metrics.

- `POST /api/v1/call-plans` (a deal in scope, EDIT_DEALS), `GET /api/v1/call-plans`
  (`?opportunity_id=`, `?shared=true`: plans others shared with you), `GET .../{id}`,
  `POST .../{id}/share` (the author); `PATCH` and `DELETE .../{id}` (the author, or EDIT_DEALS
  on the deal);
- `POST /api/v1/interactions` (everyone customer-facing), `GET /api/v1/interactions`
  (`?opportunity_id=`, paged), `GET .../{id}`; `PATCH` and `DELETE .../{id}` (the author, or
  EDIT_DEALS on the deal); `POST /api/v1/interaction-proposals` (the
  fields the analyzer proposes from notes or a transcript; nothing is saved - not under
  /interactions/, where a GET of the word would read as an interaction's id);
- `GET /api/v1/conversations/metrics?group_by=seller|team|role&since=YYYY-MM-DD`.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response

from valuescout.conversations import (
    service,
    service_edit,
    service_metrics,
    service_plans,
    service_plans_edit,
    service_plans_read,
)
from valuescout.conversations.schemas import (
    AnalyzeIn,
    CallPlanIn,
    CallPlanOut,
    CallPlanSummary,
    CallPlanUpdate,
    GroupBy,
    InteractionIn,
    InteractionOut,
    InteractionSummary,
    InteractionUpdate,
    MetricsOut,
    ProposalOut,
)
from valuescout.conversations.service_proposal import propose_from_text
from valuescout.core.errors import Invalid
from valuescout.core.pagination import MAX_PAGE_SIZE, PageRequest
from valuescout.core.web.deps import DbSession
from valuescout.core.web.forms import PathId
from valuescout.core.web.schemas import ERROR_RESPONSES, MAX_DB_ID, ListOut
from valuescout.identity.deps import ApiPrincipal

router = APIRouter(prefix="/api/v1", tags=["conversations"], responses=ERROR_RESPONSES)

OppQuery = Annotated[int | None, Query(ge=1, le=MAX_DB_ID)]
# A day as written, not pydantic's lax date (which reads "0" as 1970-01-01).
DAY_PATTERN = r"^(19|20|21)[0-9]{2}-[0-9]{2}-[0-9]{2}$"


def day_or_none(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise Invalid(f"since: {text} is not a day of the calendar.", field="since") from None


@router.post("/call-plans", response_model=CallPlanOut, status_code=201, summary="Plan a meeting")
def create_call_plan(principal: ApiPrincipal, session: DbSession, body: CallPlanIn) -> CallPlanOut:
    plan = service_plans.create_plan(session, principal, body)
    return service_plans_read.plan_detail(session, principal, plan.id)


@router.get("/call-plans", response_model=list[CallPlanSummary], summary="Call plans you see")
def list_call_plans(
    principal: ApiPrincipal,
    session: DbSession,
    opportunity_id: OppQuery = None,
    shared: Annotated[bool, Query(description="only plans others shared with you")] = False,
) -> list[CallPlanSummary]:
    return service_plans_read.list_plans(
        session, principal, opportunity_id=opportunity_id, shared_by_others=shared
    )


@router.get("/call-plans/{plan_id}", response_model=CallPlanOut, summary="One call plan")
def get_call_plan(principal: ApiPrincipal, session: DbSession, plan_id: PathId) -> CallPlanOut:
    return service_plans_read.plan_detail(session, principal, plan_id)


@router.post(
    "/call-plans/{plan_id}/share", response_model=CallPlanOut, summary="Share with your manager"
)
def share_call_plan(principal: ApiPrincipal, session: DbSession, plan_id: PathId) -> CallPlanOut:
    service_plans.share_plan(session, principal, plan_id)
    return service_plans_read.plan_detail(session, principal, plan_id)


@router.patch("/call-plans/{plan_id}", response_model=CallPlanOut, summary="Edit a call plan")
def update_call_plan(
    principal: ApiPrincipal, session: DbSession, plan_id: PathId, body: CallPlanUpdate
) -> CallPlanOut:
    service_plans_edit.update_plan(session, principal, plan_id, body)
    return service_plans_read.plan_detail(session, principal, plan_id)


@router.delete("/call-plans/{plan_id}", status_code=204, summary="Delete a call plan")
def delete_call_plan(principal: ApiPrincipal, session: DbSession, plan_id: PathId) -> Response:
    service_plans_edit.delete_plan(session, principal, plan_id)
    return Response(status_code=204)


@router.post(
    "/interactions", response_model=InteractionOut, status_code=201, summary="Log an interaction"
)
def create_interaction(
    principal: ApiPrincipal, session: DbSession, body: InteractionIn
) -> InteractionOut:
    row = service.create_interaction(session, principal, body, date.today())
    return service.interaction_detail(session, principal, row.id)


@router.post(
    "/interaction-proposals", response_model=ProposalOut, summary="Propose fields from text"
)
def analyze_interaction(
    principal: ApiPrincipal, session: DbSession, body: AnalyzeIn
) -> ProposalOut:
    return propose_from_text(session, principal, body.text, body.opportunity_id)


@router.get(
    "/interactions", response_model=ListOut[InteractionSummary], summary="Interactions you see"
)
def list_interactions(
    principal: ApiPrincipal,
    session: DbSession,
    opportunity_id: OppQuery = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> ListOut[InteractionSummary]:
    items, total = service.list_interactions(
        session, principal, PageRequest(limit, offset), opportunity_id
    )
    return ListOut(items=items, total=total, limit=limit, offset=offset)


@router.get(
    "/interactions/{interaction_id}", response_model=InteractionOut, summary="One interaction"
)
def get_interaction(
    principal: ApiPrincipal, session: DbSession, interaction_id: PathId
) -> InteractionOut:
    return service.interaction_detail(session, principal, interaction_id)


@router.patch(
    "/interactions/{interaction_id}", response_model=InteractionOut, summary="Edit an interaction"
)
def update_interaction(
    principal: ApiPrincipal, session: DbSession, interaction_id: PathId, body: InteractionUpdate
) -> InteractionOut:
    service_edit.update_interaction(session, principal, interaction_id, body, date.today())
    return service.interaction_detail(session, principal, interaction_id)


@router.delete("/interactions/{interaction_id}", status_code=204, summary="Delete an interaction")
def delete_interaction(
    principal: ApiPrincipal, session: DbSession, interaction_id: PathId
) -> Response:
    service_edit.delete_interaction(session, principal, interaction_id)
    return Response(status_code=204)


@router.get("/conversations/metrics", response_model=MetricsOut, summary="Value-quality metrics")
def conversation_metrics(
    principal: ApiPrincipal,
    session: DbSession,
    group_by: GroupBy = "seller",
    since: Annotated[
        str | None, Query(pattern=DAY_PATTERN, description="YYYY-MM-DD; default: 12 months back")
    ] = None,
) -> MetricsOut:
    start = day_or_none(since) or service_metrics.default_since(date.today())
    return service_metrics.value_quality_metrics(session, principal, group_by, start)
