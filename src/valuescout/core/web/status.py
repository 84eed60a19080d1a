"""The HTTP status that each kind of domain error means, for the API and for pages."""

from __future__ import annotations

from valuescout.core.errors import (
    Conflict,
    DomainError,
    Forbidden,
    Invalid,
    NotFound,
    TooManyAttempts,
    Unauthenticated,
)

_STATUS: dict[type[DomainError], int] = {
    NotFound: 404,
    Conflict: 409,
    Forbidden: 403,
    Invalid: 422,
    Unauthenticated: 401,
    TooManyAttempts: 429,
}


def status_for(exc: DomainError) -> int:
    return next((s for cls, s in _STATUS.items() if isinstance(exc, cls)), 400)
