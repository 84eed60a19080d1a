"""Pydantic shapes for the company-level deal setup: the stage list, the deal settings
(value-case defaults) and the products."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import SkipJsonSchema

from valuescout.core.text import TRIMMED
from valuescout.deals.schema_types import (
    Currency,
    DbId,
    InputModel,
    MarginFloor,
    MoneyIn,
    Name,
    PatchModel,
    Share,
    Short,
)
from valuescout.deals.terms import StageOutcome

# --- stages and settings -------------------------------------------------------------------


class StageOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    name: str
    position: int
    probability: Decimal
    outcome: StageOutcome


class StageIn(InputModel):
    name: Annotated[str, Field(min_length=1, max_length=80), TRIMMED]
    probability: Share
    outcome: StageOutcome = StageOutcome.OPEN


class StagesSet(InputModel):
    """The whole stage list in order; stages in use may be renamed but not dropped."""

    stages: Annotated[list[StageWithId], Field(min_length=2, max_length=30)]


class StageWithId(StageIn):
    id: DbId | None = None


class DealSettingsOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    margin_floor: Decimal
    discount_rate: Decimal
    target_share: Decimal
    currency: str


class DealSettingsUpdate(PatchModel):
    margin_floor: MarginFloor | SkipJsonSchema[None] = None
    discount_rate: Share | SkipJsonSchema[None] = None
    target_share: Share | SkipJsonSchema[None] = None
    currency: Currency | SkipJsonSchema[None] = None


# --- products ------------------------------------------------------------------------------


class ProductIn(InputModel):
    name: Name
    family: Short = ""
    list_price: MoneyIn
    unit_cost: MoneyIn | None = None
    currency: Currency = "USD"
    value_network_id: DbId | None = None


class ProductOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    name: str
    family: str
    list_price: Decimal | None
    unit_cost: Decimal | None
    currency: str
    value_network_id: int | None


StagesSet.model_rebuild()
