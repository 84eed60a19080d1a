"""Domain errors carry their meaning; one handler per adapter maps them to HTTP or CLI output."""

from __future__ import annotations


class DomainError(Exception):
    """Base for errors a user can act on. `message` is safe to show."""

    code = "error"

    def __init__(
        self, message: str, *, field: str | None = None, details: list[str] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.details = details  # every problem, when there are several (e.g. a file import)


class NotFound(DomainError):
    code = "not_found"


class Conflict(DomainError):
    code = "conflict"


class Forbidden(DomainError):
    code = "forbidden"


class Invalid(DomainError):
    code = "invalid"


class Unauthenticated(DomainError):
    code = "unauthenticated"


class TooManyAttempts(DomainError):
    code = "too_many_attempts"

    def __init__(self, message: str, *, retry_after_seconds: int) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds
