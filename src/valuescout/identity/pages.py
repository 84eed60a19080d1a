"""HTML pages for signing in and out, and the account with its API tokens."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Request
from pydantic import ValidationError
from starlette.responses import Response

from valuescout.core.web.csrf import verify_csrf
from valuescout.core.web.deps import AppSettings, DbSession, client_ip
from valuescout.core.web.forms import FormText, PathId, first_error
from valuescout.core.web.templating import redirect, render
from valuescout.identity import auth_service, service
from valuescout.identity.deps import SESSION_COOKIE, MaybePagePrincipal, PagePrincipal
from valuescout.identity.schemas import TokenCreate

router = APIRouter(dependencies=[Depends(verify_csrf)], include_in_schema=False)


def _safe_next(target: str | None) -> str:
    """Only same-site paths, so the sign-in form cannot bounce users to another site."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


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
    # No session fixation: whatever session cookie the browser brought is ended, and the CSRF
    # cookie is replaced, so no value known before sign-in is worth anything after it.
    previous = request.cookies.get(SESSION_COOKIE)
    if previous:
        auth_service.sign_out(session, previous)
    request.state.new_csrf_cookie = secrets.token_urlsafe(32)
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
        message = first_error(exc) if isinstance(exc, ValidationError) else "days: a number"
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
def revoke_token(principal: PagePrincipal, session: DbSession, token_id: PathId) -> Response:
    token = auth_service.revoke_token(session, principal, token_id)
    return redirect("/account", flash=f"Token '{token.name}' is revoked.")
