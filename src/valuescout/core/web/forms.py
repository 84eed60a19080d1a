"""Form handling shared by HTML pages: bounded fields, ids, and readable validation errors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, TypeVar

from fastapi import Form, Path
from pydantic import ValidationError
from sqlalchemy.orm import Session

from valuescout.core.errors import DomainError
from valuescout.core.web.schemas import MAX_DB_ID
from valuescout.core.web.status import status_for

T = TypeVar("T")

FormText = Annotated[str, Form(max_length=1000)]
PathId = Annotated[int, Path(ge=1, le=MAX_DB_ID)]


def first_error(exc: ValidationError) -> str:
    """The first problem, as 'field: message', for the form's error box."""
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"])
    return f"{where}: {err['msg']}" if where else err["msg"]


def optional_id(value: str) -> int | None:
    """A select's value: blank means none; digits are left for the schema to bound."""
    return int(value) if value.strip().isdigit() else None


@dataclass(frozen=True)
class FormFailure:
    """Why a form's action was refused: a message for the form and the status to answer."""

    message: str
    status: int
    details: list[str] | None = None


def attempt(session: Session, action: Callable[[], T]) -> T | FormFailure:
    """Run a form's action. Bad input or a refused use case becomes a FormFailure, and the
    request's transaction is rolled back, so the page can be shown again with nothing written.
    """
    try:
        return action()
    except ValidationError as exc:
        session.rollback()
        return FormFailure(first_error(exc), 400)
    except DomainError as exc:
        session.rollback()
        return FormFailure(exc.message, status_for(exc), exc.details)
