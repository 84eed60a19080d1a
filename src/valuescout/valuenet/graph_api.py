"""JSON API for value-network files and graph questions (everything read-only but import)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel, Field

from valuescout.core.web.deps import DbSession
from valuescout.core.web.schemas import ERROR_RESPONSES, MAX_DB_ID, ErrorOut
from valuescout.identity.deps import ApiPrincipal
from valuescout.valuenet import analysis, lint, loops, messages, positioning, service, views
from valuescout.valuenet.graph import ChainSet
from valuescout.valuenet.schemas import NetworkDetail, NetworkImport

router = APIRouter(
    prefix="/api/v1/value-networks", tags=["value network analysis"], responses=ERROR_RESPONSES
)

Id = Annotated[int, Path(ge=1, le=MAX_DB_ID)]
NodeName = Annotated[str, Query(min_length=1, max_length=200)]
MEDIA_TYPES = {
    "yaml": "application/yaml",
    "json": "application/json",
    "mermaid": "text/plain",
    "dot": "text/vnd.graphviz",
}


class OverlapRequest(BaseModel):
    outcomes: Annotated[list[Annotated[str, Field(max_length=200)]], Field(max_length=2_000)]


# Its own path (not /value-networks/import), so it can never be mistaken for a network id.
imports_router = APIRouter(prefix="/api/v1", tags=["value networks"], responses=ERROR_RESPONSES)


@imports_router.post(
    "/value-network-imports",
    response_model=NetworkDetail,
    status_code=201,
    summary="Import a network file (YAML or JSON); all or nothing",
)
def import_network(
    principal: ApiPrincipal, session: DbSession, body: NetworkImport
) -> NetworkDetail:
    network = service.import_file(
        session, principal, body.content, body.format, replace=body.replace
    )
    return service.network_detail(session, principal, network.id)


@router.get(
    "/{network_id}/export",
    response_class=PlainTextResponse,
    summary="The network as a file: yaml, json, mermaid or dot",
    responses={
        200: {"content": {t: {} for t in MEDIA_TYPES.values()}},
        # Errors stay JSON, whatever the file format asked for.
        **{
            code: {"model": ErrorOut, "content": {"application/json": {}}}
            for code in (401, 403, 404, 422)
        },
    },
)
def export_network(
    principal: ApiPrincipal,
    session: DbSession,
    network_id: Id,
    format: Literal["yaml", "json", "mermaid", "dot"] = "yaml",
) -> PlainTextResponse:
    text = service.export_network(session, principal, network_id, format)
    return PlainTextResponse(text, media_type=MEDIA_TYPES[format])


@router.get(
    "/{network_id}/chains",
    response_model=ChainSet,
    summary="Value chains from differentiators to the outcomes they drive",
)
def chains(
    principal: ApiPrincipal,
    session: DbSession,
    network_id: Id,
    differentiator: NodeName | None = None,
    outcome: NodeName | None = None,
    limit: Annotated[int, Query(ge=1, le=analysis.CHAIN_LIMIT)] = 1_000,
) -> ChainSet:
    return analysis.chains(
        session, network_id, differentiator=differentiator, outcome=outcome, limit=limit
    )


@router.get(
    "/{network_id}/loops",
    response_model=loops.LoopReport,
    summary="Mutual reinforcement loops, and cycles not declared two-way",
)
def loop_report(principal: ApiPrincipal, session: DbSession, network_id: Id) -> loops.LoopReport:
    return analysis.loop_report(session, network_id)


@router.get(
    "/{network_id}/lint",
    response_model=list[lint.LintIssue],
    summary="Problems worth fixing, in plain words",
)
def lint_network(
    principal: ApiPrincipal, session: DbSession, network_id: Id
) -> list[lint.LintIssue]:
    return list(analysis.lint_issues(session, network_id))


@router.get(
    "/{network_id}/coverage",
    response_model=list[positioning.NodeCoverage],
    summary="How far each node reaches",
)
def coverage(
    principal: ApiPrincipal, session: DbSession, network_id: Id
) -> list[positioning.NodeCoverage]:
    return list(analysis.coverage(session, network_id))


@router.get(
    "/{network_id}/persona-view",
    response_model=views.PersonaView,
    summary="A persona's outcomes and the chains that reach them",
)
def persona_view(
    principal: ApiPrincipal, session: DbSession, network_id: Id, persona: NodeName
) -> views.PersonaView:
    return analysis.persona_view(session, network_id, persona)


@router.get(
    "/{network_id}/executive-conversations",
    response_model=list[views.ExecutiveConversation],
    summary="Chains ending in executive-worthy outcomes, with their personas",
)
def executive_conversations(
    principal: ApiPrincipal, session: DbSession, network_id: Id, persona: NodeName | None = None
) -> list[views.ExecutiveConversation]:
    return list(analysis.executive_conversations(session, network_id, persona))


@router.get(
    "/{network_id}/positioning",
    response_model=positioning.CompetitorPositioning,
    summary="Outcomes only we drive, partly, at parity, or at risk against a competitor",
)
def competitor_positioning(
    principal: ApiPrincipal, session: DbSession, network_id: Id, competitor: NodeName
) -> positioning.CompetitorPositioning:
    return analysis.competitor_positioning(session, network_id, competitor)


@router.post(
    "/{network_id}/overlap",
    response_model=positioning.Overlap,
    summary="Which outcomes a customer desires the offer can deliver",
)
def overlap(
    principal: ApiPrincipal, session: DbSession, network_id: Id, body: OverlapRequest
) -> positioning.Overlap:
    return analysis.overlap(session, network_id, body.outcomes)


@router.get(
    "/{network_id}/messages",
    response_model=messages.MessageThemes,
    summary="Ranked value message themes for a persona, with discovery questions",
)
def message_themes(
    principal: ApiPrincipal,
    session: DbSession,
    network_id: Id,
    persona: NodeName,
    competitor: NodeName | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> messages.MessageThemes:
    return analysis.message_themes(session, network_id, persona, competitor, limit)
