"""JSON API for people, teams and API tokens. Thin: parse, call one service, shape output."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from valuescout.core.pagination import PageRequest
from valuescout.core.web.deps import DbSession
from valuescout.core.web.schemas import ERROR_RESPONSES, MAX_DB_ID, ListOut
from valuescout.identity import auth_service, service
from valuescout.identity.deps import ApiPrincipal
from valuescout.identity.roles import Role
from valuescout.identity.schemas import (
    TeamCreate,
    TeamOut,
    TokenCreate,
    TokenCreated,
    TokenOut,
    UserCreate,
    UserOut,
    UserUpdate,
)

router = APIRouter(prefix="/api/v1", tags=["identity"], responses=ERROR_RESPONSES)

Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]
Id = Annotated[int, Path(ge=1, le=MAX_DB_ID)]


@router.get("/me", response_model=UserOut, summary="The user the token acts as")
def me(principal: ApiPrincipal, session: DbSession) -> UserOut:
    return UserOut.model_validate(service.get_user(session, principal, principal.user_id))


@router.get("/users", response_model=ListOut[UserOut], summary="Users the caller may see")
def list_users(
    principal: ApiPrincipal,
    session: DbSession,
    limit: Limit = 50,
    offset: Offset = 0,
    q: Annotated[str | None, Query(max_length=100)] = None,
    role: Role | None = None,
) -> ListOut[UserOut]:
    page = service.list_users(session, principal, PageRequest(limit, offset), search=q, role=role)
    return ListOut[UserOut](
        items=[UserOut.model_validate(u) for u in page.items],
        total=page.total,
        limit=page.limit,
        offset=page.offset,
    )


@router.post("/users", response_model=UserOut, status_code=201, summary="Create a user (admin)")
def create_user(principal: ApiPrincipal, session: DbSession, body: UserCreate) -> UserOut:
    return UserOut.model_validate(service.admin_create_user(session, principal, body))


@router.get("/users/{user_id}", response_model=UserOut)
def get_user(principal: ApiPrincipal, session: DbSession, user_id: Id) -> UserOut:
    return UserOut.model_validate(service.get_user(session, principal, user_id))


@router.patch("/users/{user_id}", response_model=UserOut, summary="Change role, team, status")
def update_user(
    principal: ApiPrincipal, session: DbSession, user_id: Id, body: UserUpdate
) -> UserOut:
    return UserOut.model_validate(service.admin_update_user(session, principal, user_id, body))


@router.get("/teams", response_model=list[TeamOut], summary="The organisation's teams")
def list_teams(principal: ApiPrincipal, session: DbSession) -> list[TeamOut]:
    return [TeamOut.model_validate(t) for t in service.list_teams(session, principal)]


@router.post("/teams", response_model=TeamOut, status_code=201, summary="Create a team (admin)")
def create_team(principal: ApiPrincipal, session: DbSession, body: TeamCreate) -> TeamOut:
    return TeamOut.model_validate(service.admin_create_team(session, principal, body))


@router.get("/tokens", response_model=list[TokenOut], summary="The caller's API tokens")
def list_tokens(principal: ApiPrincipal, session: DbSession) -> list[TokenOut]:
    return [TokenOut.model_validate(t) for t in auth_service.list_tokens(session, principal)]


@router.post("/tokens", response_model=TokenCreated, status_code=201)
def create_token(principal: ApiPrincipal, session: DbSession, body: TokenCreate) -> TokenCreated:
    token, secret = auth_service.create_token(session, principal, body)
    return TokenCreated(**TokenOut.model_validate(token).model_dump(), token=secret)


@router.delete("/tokens/{token_id}", status_code=204, summary="Revoke an API token")
def revoke_token(principal: ApiPrincipal, session: DbSession, token_id: Id) -> Response:
    auth_service.revoke_token(session, principal, token_id)
    return Response(status_code=204)
