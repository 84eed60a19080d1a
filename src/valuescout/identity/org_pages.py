"""HTML pages for people (list, profile, add, change) and the organisation's teams."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from valuescout.core.pagination import PageRequest
from valuescout.core.web.csrf import verify_csrf
from valuescout.core.web.deps import DbSession
from valuescout.core.web.forms import FormFailure, FormText, PathId, attempt, optional_id
from valuescout.core.web.schemas import BlankIsNone
from valuescout.core.web.templating import redirect, render
from valuescout.identity import service
from valuescout.identity.deps import PagePrincipal
from valuescout.identity.models import TeamKind
from valuescout.identity.roles import Permission, Role
from valuescout.identity.schemas import TeamCreate, UserCreate, UserUpdate

router = APIRouter(dependencies=[Depends(verify_csrf)], include_in_schema=False)


# --- people ------------------------------------------------------------------------------------


@router.get("/people")
def people(
    request: Request,
    principal: PagePrincipal,
    session: DbSession,
    q: Annotated[str | None, Query(max_length=100)] = None,
    role: Annotated[Role | None, BlankIsNone, Query()] = None,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Response:
    page = service.list_users(session, principal, PageRequest(50, offset), search=q, role=role)
    teams = {t.id: t for t in service.list_teams(session, principal)}
    return render(
        request,
        "identity/people.html",
        {
            "page": page,
            "teams": teams,
            "q": q or "",
            "role": role,
            "roles": list(Role),
            "can_manage": principal.can(Permission.MANAGE_USERS),
        },
    )


@router.get("/people/new")
def new_person(request: Request, principal: PagePrincipal, session: DbSession) -> Response:
    principal.require(Permission.MANAGE_USERS)
    return _person_form(request, principal, session, values={})


def _person_form(
    request: Request,
    principal: PagePrincipal,
    session: DbSession,
    *,
    values: dict[str, str],
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "identity/person_new.html",
        {
            "values": values,
            "error": error,
            "roles": list(Role),
            "teams": service.list_teams(session, principal),
        },
        status_code=status_code,
    )


@router.post("/people")
def create_person(
    request: Request,
    principal: PagePrincipal,
    session: DbSession,
    email: FormText = "",
    full_name: FormText = "",
    role: FormText = "",
    team_id: FormText = "",
    password: FormText = "",
) -> Response:
    principal.require(Permission.MANAGE_USERS)
    values = {"email": email, "full_name": full_name, "role": role, "team_id": team_id}
    user = attempt(
        session,
        lambda: service.admin_create_user(
            session,
            principal,
            UserCreate(
                email=email,
                full_name=full_name,
                role=role,
                password=password,
                team_id=optional_id(team_id),
            ),
        ),
    )
    if isinstance(user, FormFailure):
        return _person_form(
            request,
            principal,
            session,
            values=values,
            error=user.message,
            status_code=user.status,
        )
    return redirect(f"/people/{user.id}", flash=f"{user.full_name} can now sign in.")


@router.get("/people/{user_id}")
def person(
    request: Request, principal: PagePrincipal, session: DbSession, user_id: PathId
) -> Response:
    return _person_page(request, principal, session, user_id)


def _person_page(
    request: Request,
    principal: PagePrincipal,
    session: DbSession,
    user_id: int,
    *,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    user = service.get_user(session, principal, user_id)
    return render(
        request,
        "identity/person.html",
        {
            "user": user,
            "team": service.get_team_or_none(session, user.team_id),
            "teams": service.list_teams(session, principal),
            "roles": list(Role),
            "can_manage": principal.can(Permission.MANAGE_USERS),
            "error": error,
        },
        status_code=status_code,
    )


@router.post("/people/{user_id}")
def update_person(
    request: Request,
    principal: PagePrincipal,
    session: DbSession,
    user_id: PathId,
    full_name: FormText = "",
    role: FormText = "",
    team_id: FormText = "",
    is_active: FormText = "",
) -> Response:
    principal.require(Permission.MANAGE_USERS)
    updated = attempt(
        session,
        lambda: service.admin_update_user(
            session,
            principal,
            user_id,
            UserUpdate(
                full_name=full_name,
                role=role,
                team_id=optional_id(team_id),
                is_active=is_active == "on",
            ),
        ),
    )
    if isinstance(updated, FormFailure):
        return _person_page(
            request,
            principal,
            session,
            user_id,
            error=updated.message,
            status_code=updated.status,
        )
    return redirect(f"/people/{user_id}", flash="Saved.")


# --- organisation ------------------------------------------------------------------------------


@router.get("/teams")
def teams(request: Request, principal: PagePrincipal, session: DbSession) -> Response:
    return _teams_page(request, principal, session)


def _teams_page(
    request: Request,
    principal: PagePrincipal,
    session: DbSession,
    *,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    all_teams = service.list_teams(session, principal)
    children: dict[int | None, list[object]] = {}
    for team in sorted(all_teams, key=lambda t: t.name):
        children.setdefault(team.parent_id, []).append(team)
    return render(
        request,
        "identity/teams.html",
        {
            "children": children,
            "teams": all_teams,
            "kinds": TeamKind.ALL,
            "error": error,
            "can_manage": principal.can(Permission.MANAGE_TEAMS),
        },
        status_code=status_code,
    )


@router.post("/teams")
def create_team(
    request: Request,
    principal: PagePrincipal,
    session: DbSession,
    name: FormText = "",
    kind: FormText = "",
    parent_id: FormText = "",
) -> Response:
    principal.require(Permission.MANAGE_TEAMS)
    team = attempt(
        session,
        lambda: service.admin_create_team(
            session, principal, TeamCreate(name=name, kind=kind, parent_id=optional_id(parent_id))
        ),
    )
    if isinstance(team, FormFailure):
        return _teams_page(request, principal, session, error=team.message, status_code=team.status)
    return redirect("/teams", flash=f"{team.name} is added.")
