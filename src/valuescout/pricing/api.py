"""JSON API for the price desk: requests and their moves, queue and inbox, the policy and its
versions (check, preview, apply), and delegations."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Path, Query, Response
from pydantic import BaseModel, ConfigDict

from valuescout.core.pagination import PageRequest
from valuescout.core.web.deps import DbSession
from valuescout.core.web.schemas import ERROR_RESPONSES, MAX_DB_ID, ListOut
from valuescout.identity.deps import ApiPrincipal
from valuescout.pricing import delegations, policies, replay, service, views
from valuescout.pricing.schemas import (
    DelegationIn,
    DelegationOut,
    MoveIn,
    PolicyCheckOut,
    PolicyDetail,
    PolicyIn,
    PolicySource,
    PolicyVersionOut,
    PriceRequestDetail,
    PriceRequestIn,
    PriceRequestOut,
    ReplayOut,
)
from valuescout.pricing.workflow import State

router = APIRouter(prefix="/api/v1", tags=["price desk"], responses=ERROR_RESPONSES)

Id = Annotated[int, Path(ge=1, le=MAX_DB_ID)]
Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=100,
        description="Send the same key when retrying: the first request is returned, not "
        "a second one made.",
    ),
]


def _list(page: object) -> ListOut[PriceRequestOut]:
    return ListOut[PriceRequestOut].model_validate(page, from_attributes=True)


@router.post(
    "/opportunities/{opp_id}/price-requests",
    response_model=PriceRequestDetail,
    status_code=201,
    summary="Ask for a price exception; the policy decides or routes it",
)
def ask(
    principal: ApiPrincipal,
    session: DbSession,
    opp_id: Id,
    body: PriceRequestIn,
    idempotency_key: IdempotencyKey = None,
) -> PriceRequestDetail:
    request = service.submit(session, principal, opp_id, body, idempotency_key)
    return views.detail(session, principal, request.id)


@router.get("/opportunities/{opp_id}/price-requests", response_model=ListOut[PriceRequestOut])
def deal_requests(
    principal: ApiPrincipal, session: DbSession, opp_id: Id, limit: Limit = 50, offset: Offset = 0
) -> ListOut[PriceRequestOut]:
    flt = views.RequestFilter(opportunity_id=opp_id)
    return _list(views.requests(session, principal, flt, PageRequest(limit, offset)))


@router.get("/price-requests", response_model=ListOut[PriceRequestOut])
def list_requests(
    principal: ApiPrincipal,
    session: DbSession,
    state: State | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> ListOut[PriceRequestOut]:
    flt = views.RequestFilter(state=state)
    return _list(views.requests(session, principal, flt, PageRequest(limit, offset)))


@router.get(
    "/price-requests/queue",
    response_model=ListOut[PriceRequestOut],
    summary="Pending requests the caller may decide now, oldest first",
)
def queue(
    principal: ApiPrincipal, session: DbSession, limit: Limit = 50, offset: Offset = 0
) -> ListOut[PriceRequestOut]:
    return _list(views.queue_page(session, principal, PageRequest(limit, offset)))


@router.get(
    "/price-requests/inbox",
    response_model=ListOut[PriceRequestOut],
    summary="The caller's own requests and their outcomes",
)
def inbox(
    principal: ApiPrincipal, session: DbSession, limit: Limit = 50, offset: Offset = 0
) -> ListOut[PriceRequestOut]:
    return _list(views.inbox(session, principal, PageRequest(limit, offset)))


@router.get("/price-requests/{request_id}", response_model=PriceRequestDetail)
def get_request(principal: ApiPrincipal, session: DbSession, request_id: Id) -> PriceRequestDetail:
    return views.detail(session, principal, request_id)


@router.post(
    "/price-requests/{request_id}/moves",
    response_model=PriceRequestDetail,
    summary="Approve, reject or counter (approvers); accept a counter or withdraw (the seller)",
)
def move(
    principal: ApiPrincipal, session: DbSession, request_id: Id, body: MoveIn
) -> PriceRequestDetail:
    service.act(session, principal, request_id, body)
    return views.detail(session, principal, request_id)


# --- the policy ----------------------------------------------------------------------------


class PolicyText(BaseModel):
    model_config = ConfigDict(extra="forbid")
    source: PolicySource


@router.get("/price-policy", response_model=PolicyDetail, summary="The policy in force")
def active_policy(principal: ApiPrincipal, session: DbSession) -> PolicyDetail:
    row, _ = policies.active(session)
    return policies.version_detail(session, principal, row.version)


@router.put("/price-policy", response_model=PolicyDetail, summary="Apply a new policy version")
def apply_policy(principal: ApiPrincipal, session: DbSession, body: PolicyIn) -> PolicyDetail:
    row = policies.apply(session, principal, body.source, body.note)
    return policies.version_detail(session, principal, row.version)


@router.get("/price-policy/versions", response_model=list[PolicyVersionOut])
def policy_versions(principal: ApiPrincipal, session: DbSession) -> list[PolicyVersionOut]:
    return policies.versions(session, principal)


@router.get("/price-policy/versions/{version}", response_model=PolicyDetail)
def policy_version(principal: ApiPrincipal, session: DbSession, version: Id) -> PolicyDetail:
    return policies.version_detail(session, principal, version)


@router.post("/price-policy/check", response_model=PolicyCheckOut, summary="Validate a policy text")
def check_policy(principal: ApiPrincipal, body: PolicyText) -> PolicyCheckOut:
    return policies.check_for(principal, body.source)


@router.post(
    "/price-policy/preview",
    response_model=ReplayOut,
    summary="Replay every past request under a policy text: what would change",
)
def preview_policy(principal: ApiPrincipal, session: DbSession, body: PolicyText) -> ReplayOut:
    return replay.replay(session, principal, body.source)


# --- delegations ---------------------------------------------------------------------------


@router.get("/price-delegations", response_model=list[DelegationOut])
def list_delegations(principal: ApiPrincipal, session: DbSession) -> list[DelegationOut]:
    return delegations.mine(session, principal)


@router.post("/price-delegations", response_model=list[DelegationOut], status_code=201)
def delegate(
    principal: ApiPrincipal, session: DbSession, body: DelegationIn
) -> list[DelegationOut]:
    delegations.create(session, principal, body)
    return delegations.mine(session, principal)


@router.delete("/price-delegations/{delegation_id}", status_code=204)
def revoke_delegation(principal: ApiPrincipal, session: DbSession, delegation_id: Id) -> Response:
    delegations.revoke(session, principal, delegation_id)
    return Response(status_code=204)
