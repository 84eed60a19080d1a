"""Field types and input bases shared by the deals schemas (and other domains' schemas).

Input models forbid unknown fields; patches take only what changes and refuse a null the
field does not allow. Numbers are stored with fixed places, and dates are written YYYY-MM-DD.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, ClassVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)

from valuescout.core.text import TRIMMED

Name = Annotated[str, Field(min_length=1, max_length=200), TRIMMED]
Short = Annotated[str, Field(max_length=200)]
Text = Annotated[str, Field(max_length=8000)]
DbId = Annotated[int, Field(strict=True, ge=1, le=2_147_483_647)]


def _places(step: str) -> AfterValidator:
    """Write a number with the places it is stored with ("0.5" -> "0.5000"), so what a change
    answers and audits is what reading it back answers."""
    return AfterValidator(lambda value: value.quantize(Decimal(step)))


MoneyIn = Annotated[
    Decimal, Field(ge=0, le=Decimal("9999999999999999.99"), decimal_places=2), _places("0.01")
]
Quantity = Annotated[
    Decimal, Field(gt=0, le=Decimal("99999999999.999"), decimal_places=3), _places("0.001")
]
Share = Annotated[Decimal, Field(ge=0, le=1, decimal_places=4), _places("0.0001")]
MarginFloor = Annotated[Decimal, Field(ge=0, lt=1, decimal_places=4), _places("0.0001")]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
Attributes = Annotated[
    dict[Annotated[str, Field(max_length=60)], str | int | bool | None], Field(max_length=40)
]
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: object) -> object:
    """Dates are sent as YYYY-MM-DD; pydantic alone would also take 0 or "0" (1970-01-01)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        return value
    raise ValueError("must be a date written as YYYY-MM-DD")


IsoDate = Annotated[date, BeforeValidator(_iso_date)]


class InputModel(BaseModel):
    """Input that refuses fields it does not know."""

    model_config = ConfigDict(extra="forbid")


class PatchModel(InputModel):
    """Send only what changes; fields that are sent must not be null unless they say so."""

    NULLABLE: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*")
    @classmethod
    def _not_null(cls, value: object, info: ValidationInfo) -> object:
        if value is None and info.field_name not in cls.NULLABLE:
            raise ValueError("must not be null; leave the field out to keep it")
        return value
