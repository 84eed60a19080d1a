"""Form handling shared by HTML pages: bounded fields, ids, and readable validation errors."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Path
from pydantic import ValidationError

from valuescout.core.web.schemas import MAX_DB_ID

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
