"""JSON API of value-scout discoveries and their review.

POST /api/v1/discoveries logs one (anyone signed in); GET lists the caller's own, or for
editors of the value network (?status=new|accepted|declined) the review queue; GET /{id} one
the caller may see; POST /{id}/review attaches, creates or declines (editors; a reviewed
discovery answers 409); GET /ideas the product-ideas list (editors and analytics readers),
as JSON or, with ?format=csv, as a spreadsheet-safe CSV; GET /networks/{network_id} the
customer voices (accepted discoveries) per outcome of a network, for anyone signed in.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from starlette.responses import Response

from valuescout.core.web.deps import DbSession
from valuescout.core.web.schemas import ERROR_RESPONSES, MAX_DB_ID
from valuescout.discoveries import ideas as idea_list
from valuescout.discoveries import service, service_ideas
from valuescout.discoveries.schemas import DiscoveryIn, DiscoveryOut, IdeaOut, ReviewIn, VoiceOut
from valuescout.discoveries.transitions import Status
from valuescout.identity.deps import ApiPrincipal

router = APIRouter(prefix="/api/v1/discoveries", tags=["discoveries"], responses=ERROR_RESPONSES)

DiscoveryId = Annotated[int, Path(ge=1, le=MAX_DB_ID)]


@router.post("", response_model=DiscoveryOut, status_code=201, summary="Log a value gap")
def log_discovery(principal: ApiPrincipal, session: DbSession, body: DiscoveryIn) -> DiscoveryOut:
    row = service.log_discovery(session, principal, body)
    return service.discovery_out(session, principal, row.id)


@router.get("", response_model=list[DiscoveryOut], summary="Yours, or the review queue")
def list_discoveries(
    principal: ApiPrincipal,
    session: DbSession,
    status: Annotated[Status | None, Query(description="editors: the queue in this state")] = None,
) -> list[DiscoveryOut]:
    if status is None:
        return service.my_discoveries(session, principal)
    return service.review_queue(session, principal, status)


@router.get(
    "/ideas",
    response_model=list[IdeaOut],
    summary="Unmet value gaps grouped into product ideas",
    responses={200: {"content": {"text/csv": {}}}},
)
def product_ideas(
    principal: ApiPrincipal,
    session: DbSession,
    format: Annotated[Literal["json", "csv"], Query()] = "json",
) -> list[IdeaOut] | Response:
    ideas = service_ideas.ideas(session, principal)
    if format == "csv":
        return Response(
            idea_list.ideas_csv(ideas),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="product-ideas.csv"'},
        )
    return [
        IdeaOut(
            theme=i.theme, count=i.count, customers=list(i.customers),
            value_hints=list(i.value_hints), stated_values=i.stated_values,
            discovery_ids=list(i.discovery_ids), sources=list(i.sources),
        )
        for i in ideas
    ]  # fmt: skip


@router.get("/{discovery_id}", response_model=DiscoveryOut, summary="One discovery")
def get_discovery(
    principal: ApiPrincipal, session: DbSession, discovery_id: DiscoveryId
) -> DiscoveryOut:
    return service.discovery_out(session, principal, discovery_id)


@router.post("/{discovery_id}/review", response_model=DiscoveryOut, summary="Review one")
def review(
    principal: ApiPrincipal, session: DbSession, discovery_id: DiscoveryId, body: ReviewIn
) -> DiscoveryOut:
    service.review(session, principal, discovery_id, body)
    return service.discovery_out(session, principal, discovery_id)


@router.get(
    "/networks/{network_id}",
    response_model=list[VoiceOut],
    summary="Customer voices: accepted discoveries per outcome of a network",
)
def voices(principal: ApiPrincipal, session: DbSession, network_id: DiscoveryId) -> list[VoiceOut]:
    return service_ideas.voices(session, principal, network_id)
