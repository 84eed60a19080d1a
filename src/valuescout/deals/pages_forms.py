"""Reading the deals pages' forms: text fields into the numbers, ids and dates the schemas take.

A field that cannot be read raises `Invalid` naming it in words, which `attempt` turns into the
form's error message (nothing is written). Ranges and lengths are left to the schemas.
Percentages are typed as 0-100 and stored as shares 0-1.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from valuescout.core.errors import Forbidden, Invalid, NotFound
from valuescout.core.web.forms import FormFailure, attempt
from valuescout.core.web.schemas import MAX_DB_ID

HUNDRED = Decimal(100)
M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")


def text(form: Mapping[str, Any], name: str) -> str:
    value = form.get(name, "")
    return value if isinstance(value, str) else ""


def number(label: str, raw: str) -> Decimal | None:
    """A decimal number; blank is None; thousands separators and spaces are ignored."""
    cleaned = raw.replace(",", "").replace(" ", "").replace("_", "").strip()
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise Invalid(f"{label}: enter a number, such as 12500 or 12500.50.") from None
    if not value.is_finite():
        raise Invalid(f"{label}: enter a number, such as 12500 or 12500.50.")
    return value


def percent(label: str, raw: str) -> Decimal | None:
    """A percentage typed as 0-100, returned as a share 0-1."""
    value = number(label, raw.replace("%", ""))
    if value is None:
        return None
    if not 0 <= value <= HUNDRED:
        raise Invalid(f"{label}: enter a percentage between 0 and 100.")
    return (value / HUNDRED).normalize()


def whole(label: str, raw: str) -> int | None:
    cleaned = raw.strip()
    if not cleaned:
        return None
    if not cleaned.isdigit() or len(cleaned) > 9:
        raise Invalid(f"{label}: enter a whole number.")
    return int(cleaned)


def record_id(label: str, raw: str) -> int | None:
    """A select's id: blank means none; anything else must be an id."""
    value = whole(label, raw)
    if value is not None and not 1 <= value <= MAX_DB_ID:
        raise Invalid(f"{label}: choose one of the options.")
    return value


def day(label: str, raw: str) -> date | None:
    cleaned = raw.strip()
    if not cleaned:
        return None
    try:
        return date.fromisoformat(cleaned)
    except ValueError:
        raise Invalid(f"{label}: enter a date as YYYY-MM-DD.") from None


def validated(model: type[M], data: dict[str, Any], prefix: str = "") -> M:
    """The schema built from the form's values; its first problem as an `Invalid`."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise Invalid(f"{prefix}{readable(exc)}") from None


def readable(exc: ValidationError) -> str:
    """The first problem as 'field name: message', without pydantic's internals."""
    err = exc.errors()[0]
    field = str(err["loc"][0]).replace("_", " ") if err["loc"] else ""
    message = str(err["msg"]).removeprefix("Value error, ")
    return f"{field}: {message}" if field else message


def attempt_form(session: Session, action: Callable[[], T]) -> T | FormFailure:
    """`attempt`, except that a record out of sight (404) or a refused role (403) is raised, so
    the caller gets the error page rather than a form, exactly as the JSON API answers."""
    result = attempt(session, action)
    if isinstance(result, FormFailure) and result.status == 404:
        raise NotFound(result.message)
    if isinstance(result, FormFailure) and result.status == 403:
        raise Forbidden(result.message)
    return result


def shown_percent(share: Decimal | None) -> str:
    """A share as the percentage the form shows: 0.35 -> '35', 0.125 -> '12.5'."""
    if share is None:
        return ""
    value = (share * HUNDRED).normalize()
    return f"{value:f}"


def shown_number(value: Decimal | None) -> str:
    return "" if value is None else f"{value:f}"
