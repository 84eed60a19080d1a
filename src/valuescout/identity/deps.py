"""Who is calling: bearer tokens (or the page session) for the JSON API, session cookies for
pages."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from valuescout.core.errors import Unauthenticated
from valuescout.core.security import hash_token
from valuescout.core.web.csrf import verify_csrf_header
from valuescout.core.web.deps import DbSession, client_ip
from valuescout.identity import auth_service
from valuescout.identity.principal import Principal
from valuescout.identity.token_limits import TokenGuard

SESSION_COOKIE = "vs_session"


class SignInRequired(Exception):
    """A page needs a signed-in user; the handler redirects to the sign-in page."""


def _api_principal(request: Request, session: DbSession) -> Principal:
    """A bearer token; or, for our own pages' scripts, the session cookie plus CSRF header."""
    header = request.headers.get("authorization", "")
    if header:
        scheme, _, secret = header.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise Unauthenticated("Send an API token: 'Authorization: Bearer <token>'.")
        principal = _token_principal(request, session, secret.strip())
    else:
        cookie = request.cookies.get(SESSION_COOKIE)
        found = auth_service.principal_for_session(session, cookie) if cookie else None
        if found is None:
            raise Unauthenticated("Send an API token: 'Authorization: Bearer <token>'.")
        verify_csrf_header(request)
        principal = found
    request.state.principal = principal
    return principal


def _token_principal(request: Request, session: DbSession, secret: str) -> Principal:
    """The token's user, within the rate limits (ADR 0013): an address with too many failed
    tokens is refused before any lookup; a valid token spends one request of its budget."""
    guard: TokenGuard = request.app.state.token_guard
    address = client_ip(request)
    guard.check_address(address)
    try:
        principal = auth_service.principal_for_token(session, secret)
    except Unauthenticated:
        guard.failed(address)
        raise
    guard.spend(hash_token(secret))
    return principal


def optional_page_principal(request: Request, session: DbSession) -> Principal | None:
    token = request.cookies.get(SESSION_COOKIE)
    principal = auth_service.principal_for_session(session, token) if token else None
    request.state.principal = principal
    return principal


def _page_principal(
    principal: Annotated[Principal | None, Depends(optional_page_principal)],
) -> Principal:
    if principal is None:
        raise SignInRequired
    return principal


ApiPrincipal = Annotated[Principal, Depends(_api_principal)]
PagePrincipal = Annotated[Principal, Depends(_page_principal)]
MaybePagePrincipal = Annotated[Principal | None, Depends(optional_page_principal)]
