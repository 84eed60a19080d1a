"""Shapes shared by every JSON endpoint: list envelopes and the error body."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, BeforeValidator

T = TypeVar("T")


class ListOut(BaseModel, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


class ErrorDetail(BaseModel):
    code: str
    message: str
    field: str | None = None


class ErrorOut(BaseModel):
    error: ErrorDetail


ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    status: {"model": ErrorOut} for status in (400, 401, 403, 404, 409, 413, 422, 429)
}


MAX_DB_ID = 2_147_483_647  # the largest id every backend stores in an INTEGER


def _blank_to_none(value: object) -> object:
    """An empty form or query field (a select left at "any", a blank date) means no filter."""
    return None if value == "" else value


BlankIsNone = BeforeValidator(_blank_to_none)
