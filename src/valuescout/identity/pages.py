"""HTML pages for signing in and out, the account and its API tokens, people and teams."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from pydantic import ValidationError
from starlette.responses import Response

from valuescout.core.errors import DomainError
from valuescout.core.pagination import PageRequest
from valuescout.core.web.csrf import verify_csrf
from valuescout.core.web.deps import AppSettings, DbSession, client_ip
from valuescout.core.web.schemas import MAX_DB_ID, BlankIsNone
from valuescout.core.web.status import status_for
from valuescout.core.web.templating import redirect, render
from valuescout.identity import auth_service, service
from valuescout.identity.deps import SESSION_COOKIE, MaybePagePrincipal, PagePrincipal
from valuescout.identity.models import TeamKind
from valuescout.identity.roles import Permission, Role
from valuescout.identity.schemas import TeamCreate, TokenCreate, UserCreate, UserUpdate

router = APIRouter(dependencies=[Depends(verify_csrf)], include_in_schema=False)

FormText = Annotated[str, Form(max_length=1000)]
Id = Annotated[int, Path(ge=1, le=MAX_DB_ID)]


def _safe_next(target: str | None) -> str:
    """Only same-site paths, so the sign-in form cannot bounce users to another site."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"])
    return f"{where}: {err['msg']}" if where else err["msg"]


# --- sign in / out ---------------------------------------------------------------------------


@router.get("/sign-in")
def sign_in_page(
    request: Request, principal: MaybePagePrincipal, next: str | None = None
) -> Response:
    if principal is not None:
        return redirect(_safe_next(next))
    return render(request, "identity/sign_in.html", {"next": _safe_next(next), "email": ""})


@router.post("/sign-in")
def sign_in(
    request: Request,
    session: DbSession,
    settings: AppSettings,
    email: FormText = "",
    password: FormText = "",
    next: FormText = "/",
) -> Response:
    policy = auth_service.SignInPolicy(
        lockout_threshold=settings.lockout_threshold,
        lockout_minutes=settings.lockout_minutes,
        ip_throttle_threshold=settings.ip_throttle_threshold,
        session_hours=settings.session_hours,
    )
    outcome = auth_service.sign_in(session, email, password, client_ip(request), policy)
    if not outcome.ok or outcome.session_token is None:
        status = 429 if outcome.retry_after_seconds else 401
        response = render(
            request,
            "identity/sign_in.html",
            {"error": outcome.error, "email": email, "next": _safe_next(next)},
            status_code=status,
        )
        if outcome.retry_after_seconds:
            response.headers["Retry-After"] = str(outcome.retry_after_seconds)
        return response
    response = redirect(_safe_next(next))
    response.set_cookie(
        SESSION_COOKIE,
        outcome.session_token,
        max_age=settings.session_hours * 3600,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
    )
    return response


@router.post("/sign-out")
def sign_out(request: Request, session: DbSession) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        auth_service.sign_out(session, token)
    response = redirect("/sign-in", flash="You are signed out.")
    response.delete_cookie(SESSION_COOKIE)
    return response


# --- account and API tokens ----------------------------------------------------------------


# A new token's secret travels to the next page in a short-lived cookie only /account reads,
# so the form can redirect (a reload never mints a second token) and the secret shows once.
NEW_TOKEN_COOKIE = "vs_new_token"  # noqa: S105 - a cookie name, not a secret


@router.get("/account")
def account(request: Request, principal: PagePrincipal, session: DbSession) -> Response:
    secret = request.cookies.get(NEW_TOKEN_COOKIE)
    response = _account_page(request, principal, session, new_secret=secret)
    if secret:
        response.delete_cookie(NEW_TOKEN_COOKIE, path="/account")
    return response


def _account_page(
    request: Request,
    principal: PagePrincipal,
    session: DbSession,
    *,
    new_secret: str | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    user = service.get_user(session, principal, principal.user_id)
    tokens = auth_service.list_tokens(session, principal)
    return render(
        request,
        "identity/account.html",
        {
            "user": user,
            "tokens": tokens,
            "new_secret": new_secret,
            "error": error,
        },
        status_code=status_code,
    )


@router.post("/account/tokens")
def create_token(
    request: Request,
    principal: PagePrincipal,
    session: DbSession,
    settings: AppSettings,
    name: FormText = "",
    expires_in_days: FormText = "90",
) -> Response:
    try:
        days = int(expires_in_days) if expires_in_days.strip() else None
        data = TokenCreate(name=name, expires_in_days=days)
    except ValueError as exc:
        message = _first_error(exc) if isinstance(exc, ValidationError) else "days: a number"
        return _account_page(request, principal, session, error=message, status_code=400)
    token, secret = auth_service.create_token(session, principal, data)
    response = redirect("/account", flash=f"Token '{token.name}' is created.")
    response.set_cookie(
        NEW_TOKEN_COOKIE,
        secret,
        max_age=120,
        path="/account",
        httponly=True,
        samesite="strict",
        secure=settings.secure_cookies,
    )
    return response


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(principal: PagePrincipal, session: DbSession, token_id: Id) -> Response:
    token = auth_service.revoke_token(session, principal, token_id)
    return redirect("/account", flash=f"Token '{token.name}' is revoked.")


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
    try:
        data = UserCreate(
            email=email,
            full_name=full_name,
            role=role,
            password=password,
            team_id=int(team_id) if team_id.strip().isdigit() else None,
        )
        user = service.admin_create_user(session, principal, data)
    except ValidationError as exc:
        return _person_form(
            request, principal, session, values=values, error=_first_error(exc), status_code=400
        )
    except DomainError as exc:
        session.rollback()
        return _person_form(
            request,
            principal,
            session,
            values=values,
            error=exc.message,
            status_code=status_for(exc),
        )
    return redirect(f"/people/{user.id}", flash=f"{user.full_name} can now sign in.")


@router.get("/people/{user_id}")
def person(request: Request, principal: PagePrincipal, session: DbSession, user_id: Id) -> Response:
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
    user_id: Id,
    full_name: FormText = "",
    role: FormText = "",
    team_id: FormText = "",
    is_active: FormText = "",
) -> Response:
    principal.require(Permission.MANAGE_USERS)
    try:
        data = UserUpdate(
            full_name=full_name,
            role=role,
            team_id=int(team_id) if team_id.strip().isdigit() else None,
            is_active=is_active == "on",
        )
        service.admin_update_user(session, principal, user_id, data)
    except ValidationError as exc:
        return _person_page(
            request, principal, session, user_id, error=_first_error(exc), status_code=400
        )
    except DomainError as exc:
        session.rollback()
        return _person_page(
            request, principal, session, user_id, error=exc.message, status_code=status_for(exc)
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
    try:
        data = TeamCreate(
            name=name, kind=kind, parent_id=int(parent_id) if parent_id.strip().isdigit() else None
        )
        team = service.admin_create_team(session, principal, data)
    except ValidationError as exc:
        return _teams_page(request, principal, session, error=_first_error(exc), status_code=400)
    except DomainError as exc:
        session.rollback()
        return _teams_page(
            request, principal, session, error=exc.message, status_code=status_for(exc)
        )
    return redirect("/teams", flash=f"{team.name} is added.")
