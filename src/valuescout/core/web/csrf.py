"""CSRF protection for HTML forms: a signed double-submit token.

A random value lives in a SameSite cookie; forms carry HMAC(secret, value). A forged request
from another site can neither read the cookie nor compute the signature.
"""

from __future__ import annotations

import secrets

from fastapi import Request

from valuescout.core.security import constant_time_equal, sign

CSRF_COOKIE = "vs_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class CsrfError(Exception):
    """The form's token is missing or wrong; nothing was changed."""


def cookie_value(request: Request) -> str:
    """The browser's CSRF cookie value, minting one for this response if it has none."""
    value = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "new_csrf_cookie", None)
    if not value:
        value = secrets.token_urlsafe(32)
        request.state.new_csrf_cookie = value
    return value


def form_token(request: Request) -> str:
    return sign(request.app.state.settings.secret_key, cookie_value(request))


def _token_matches(request: Request, sent: str | None) -> bool:
    cookie = request.cookies.get(CSRF_COOKIE)
    if not cookie or not sent:
        return False
    return constant_time_equal(sign(request.app.state.settings.secret_key, cookie), sent)


def verify_csrf_header(request: Request) -> None:
    """For scripts in our pages calling the JSON API with the browser's session."""
    if request.method in UNSAFE_METHODS and not _token_matches(
        request, request.headers.get(CSRF_HEADER)
    ):
        raise CsrfError


async def verify_csrf(request: Request) -> None:
    """Dependency for HTML routes: refuse unsafe requests without a valid token."""
    if request.method not in UNSAFE_METHODS:
        return
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        form = await request.form()
        field = form.get(CSRF_FIELD)
        sent = field if isinstance(field, str) else None
    if not _token_matches(request, sent):
        raise CsrfError
