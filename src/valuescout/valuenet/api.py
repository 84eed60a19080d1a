"""JSON API for value networks: the networks, their parts, files, and graph questions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from valuescout.core.web.deps import DbSession
from valuescout.core.web.schemas import ERROR_RESPONSES, MAX_DB_ID
from valuescout.identity.deps import ApiPrincipal
from valuescout.valuenet import audience, editing, service
from valuescout.valuenet.schemas import (
    CompetitorCreate,
    CompetitorOut,
    CompetitorUpdate,
    LinkCreate,
    LinkOut,
    LinkUpdate,
    MatchOut,
    MatchSet,
    NetworkCreate,
    NetworkDetail,
    NetworkSummary,
    NetworkUpdate,
    NodeCreate,
    NodeOut,
    NodeUpdate,
    PersonaCreate,
    PersonaOut,
    PersonaOutcomeOut,
    PersonaOutcomeSet,
    PersonaUpdate,
)

router = APIRouter(
    prefix="/api/v1/value-networks", tags=["value networks"], responses=ERROR_RESPONSES
)

Id = Annotated[int, Path(ge=1, le=MAX_DB_ID)]


def _detail(session: DbSession, principal: ApiPrincipal, network_id: int) -> NetworkDetail:
    return service.network_detail(session, principal, network_id)


@router.get("", response_model=list[NetworkSummary], summary="All value networks")
def list_networks(principal: ApiPrincipal, session: DbSession) -> list[NetworkSummary]:
    return service.list_networks(session, principal)


@router.post("", response_model=NetworkDetail, status_code=201, summary="Start an empty network")
def create_network(
    principal: ApiPrincipal, session: DbSession, body: NetworkCreate
) -> NetworkDetail:
    network = service.create_network(session, principal, body)
    return _detail(session, principal, network.id)


@router.get("/{network_id}", response_model=NetworkDetail, summary="A network with all its parts")
def get_network(principal: ApiPrincipal, session: DbSession, network_id: Id) -> NetworkDetail:
    return _detail(session, principal, network_id)


@router.patch("/{network_id}", response_model=NetworkDetail)
def update_network(
    principal: ApiPrincipal, session: DbSession, network_id: Id, body: NetworkUpdate
) -> NetworkDetail:
    service.update_network(session, principal, network_id, body)
    return _detail(session, principal, network_id)


@router.delete("/{network_id}", status_code=204)
def delete_network(principal: ApiPrincipal, session: DbSession, network_id: Id) -> Response:
    service.delete_network(session, principal, network_id)
    return Response(status_code=204)


# --- nodes and links -----------------------------------------------------------------------


@router.post("/{network_id}/nodes", response_model=NodeOut, status_code=201)
def add_node(
    principal: ApiPrincipal, session: DbSession, network_id: Id, body: NodeCreate
) -> NodeOut:
    return NodeOut.model_validate(editing.add_node(session, principal, network_id, body))


@router.patch("/{network_id}/nodes/{node_id}", response_model=NodeOut)
def update_node(
    principal: ApiPrincipal, session: DbSession, network_id: Id, node_id: Id, body: NodeUpdate
) -> NodeOut:
    return NodeOut.model_validate(
        editing.update_node(session, principal, network_id, node_id, body)
    )


@router.delete("/{network_id}/nodes/{node_id}", status_code=204)
def delete_node(
    principal: ApiPrincipal, session: DbSession, network_id: Id, node_id: Id
) -> Response:
    editing.delete_node(session, principal, network_id, node_id)
    return Response(status_code=204)


@router.post("/{network_id}/links", response_model=LinkOut, status_code=201)
def add_link(
    principal: ApiPrincipal, session: DbSession, network_id: Id, body: LinkCreate
) -> LinkOut:
    return LinkOut.model_validate(editing.add_link(session, principal, network_id, body))


@router.patch("/{network_id}/links/{link_id}", response_model=LinkOut)
def update_link(
    principal: ApiPrincipal, session: DbSession, network_id: Id, link_id: Id, body: LinkUpdate
) -> LinkOut:
    return LinkOut.model_validate(
        editing.update_link(session, principal, network_id, link_id, body)
    )


@router.delete("/{network_id}/links/{link_id}", status_code=204)
def delete_link(
    principal: ApiPrincipal, session: DbSession, network_id: Id, link_id: Id
) -> Response:
    editing.delete_link(session, principal, network_id, link_id)
    return Response(status_code=204)


# --- personas and competitors --------------------------------------------------------------


def _persona_out(detail: NetworkDetail, persona_id: int) -> PersonaOut:
    return next(p for p in detail.persona_list if p.id == persona_id)


def _competitor_out(detail: NetworkDetail, competitor_id: int) -> CompetitorOut:
    return next(c for c in detail.competitor_list if c.id == competitor_id)


@router.post("/{network_id}/personas", response_model=PersonaOut, status_code=201)
def add_persona(
    principal: ApiPrincipal, session: DbSession, network_id: Id, body: PersonaCreate
) -> PersonaOut:
    persona = audience.add_persona(session, principal, network_id, body)
    return PersonaOut(
        id=persona.id, name=persona.name, description=persona.description, outcomes=[]
    )


@router.patch("/{network_id}/personas/{persona_id}", response_model=PersonaOut)
def update_persona(
    principal: ApiPrincipal, session: DbSession, network_id: Id, persona_id: Id, body: PersonaUpdate
) -> PersonaOut:
    audience.update_persona(session, principal, network_id, persona_id, body)
    return _persona_out(_detail(session, principal, network_id), persona_id)


@router.delete("/{network_id}/personas/{persona_id}", status_code=204)
def delete_persona(
    principal: ApiPrincipal, session: DbSession, network_id: Id, persona_id: Id
) -> Response:
    audience.delete_persona(session, principal, network_id, persona_id)
    return Response(status_code=204)


@router.put(
    "/{network_id}/personas/{persona_id}/outcomes/{outcome_id}",
    response_model=PersonaOutcomeOut,
    summary="Attach a persona to an outcome it desires",
)
def set_persona_outcome(
    principal: ApiPrincipal,
    session: DbSession,
    network_id: Id,
    persona_id: Id,
    outcome_id: Id,
    body: PersonaOutcomeSet,
) -> PersonaOutcomeOut:
    tie = audience.set_persona_outcome(session, principal, network_id, persona_id, outcome_id, body)
    return PersonaOutcomeOut(outcome_id=tie.outcome_id, strength=body.strength)


@router.delete("/{network_id}/personas/{persona_id}/outcomes/{outcome_id}", status_code=204)
def remove_persona_outcome(
    principal: ApiPrincipal, session: DbSession, network_id: Id, persona_id: Id, outcome_id: Id
) -> Response:
    audience.remove_persona_outcome(session, principal, network_id, persona_id, outcome_id)
    return Response(status_code=204)


@router.post("/{network_id}/competitors", response_model=CompetitorOut, status_code=201)
def add_competitor(
    principal: ApiPrincipal, session: DbSession, network_id: Id, body: CompetitorCreate
) -> CompetitorOut:
    c = audience.add_competitor(session, principal, network_id, body)
    return CompetitorOut(id=c.id, name=c.name, description=c.description, matches=[])


@router.patch("/{network_id}/competitors/{competitor_id}", response_model=CompetitorOut)
def update_competitor(
    principal: ApiPrincipal,
    session: DbSession,
    network_id: Id,
    competitor_id: Id,
    body: CompetitorUpdate,
) -> CompetitorOut:
    audience.update_competitor(session, principal, network_id, competitor_id, body)
    return _competitor_out(_detail(session, principal, network_id), competitor_id)


@router.delete("/{network_id}/competitors/{competitor_id}", status_code=204)
def delete_competitor(
    principal: ApiPrincipal, session: DbSession, network_id: Id, competitor_id: Id
) -> Response:
    audience.delete_competitor(session, principal, network_id, competitor_id)
    return Response(status_code=204)


@router.put(
    "/{network_id}/competitors/{competitor_id}/matches/{differentiator_id}",
    response_model=MatchOut,
    summary="Whether a competitor matches one of our differentiators",
)
def set_match(
    principal: ApiPrincipal,
    session: DbSession,
    network_id: Id,
    competitor_id: Id,
    differentiator_id: Id,
    body: MatchSet,
) -> MatchOut:
    audience.set_match(session, principal, network_id, competitor_id, differentiator_id, body)
    return MatchOut(differentiator_id=differentiator_id, match=body.match)
