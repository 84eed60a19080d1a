"""Pydantic shapes for accounts and their contacts (the buying team).

Money fields in output are None for callers who may not see money (contributors).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool
from pydantic.json_schema import SkipJsonSchema

from valuescout.deals.schema_types import (
    Attributes,
    DbId,
    InputModel,
    MoneyIn,
    Name,
    PatchModel,
    Short,
)
from valuescout.deals.terms import BuyingRole


class AccountIn(InputModel):
    name: Name
    industry: Short = ""
    annual_revenue: MoneyIn | None = None
    employees: Annotated[int, Field(strict=True, ge=0, le=10_000_000)] | None = None
    region: Short = ""
    territory: Short = ""
    country: Short = ""
    owner_id: DbId | None = None
    attributes: Attributes = Field(default_factory=dict)


class AccountUpdate(PatchModel):
    NULLABLE = frozenset({"annual_revenue", "employees"})
    name: Name | SkipJsonSchema[None] = None
    industry: Short | SkipJsonSchema[None] = None
    annual_revenue: MoneyIn | None = None
    employees: Annotated[int, Field(strict=True, ge=0, le=10_000_000)] | None = None
    region: Short | SkipJsonSchema[None] = None
    territory: Short | SkipJsonSchema[None] = None
    country: Short | SkipJsonSchema[None] = None
    owner_id: DbId | SkipJsonSchema[None] = None
    attributes: Attributes | SkipJsonSchema[None] = None


class AccountOut(BaseModel):
    id: int
    external_id: str | None
    name: str
    industry: str
    annual_revenue: Decimal | None
    employees: int | None
    region: str
    territory: str
    country: str
    owner_id: int | None
    owner_name: str | None
    attributes: dict[str, Any]
    open_opportunities: int
    updated_at: datetime


class ContactIn(InputModel):
    name: Name
    title: Short = ""
    email: Annotated[str, Field(max_length=320)] = ""
    buying_role: BuyingRole = BuyingRole.UNKNOWN
    is_ally: StrictBool = False
    persona_id: DbId | None = None


class ContactUpdate(PatchModel):
    NULLABLE = frozenset({"persona_id"})
    name: Name | SkipJsonSchema[None] = None
    title: Short | SkipJsonSchema[None] = None
    email: Annotated[str, Field(max_length=320)] | SkipJsonSchema[None] = None
    buying_role: BuyingRole | SkipJsonSchema[None] = None
    is_ally: StrictBool | SkipJsonSchema[None] = None
    persona_id: DbId | None = None


class ContactOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    account_id: int
    name: str
    title: str
    email: str
    buying_role: BuyingRole
    is_ally: bool
    persona_id: int | None


class AccountDetail(AccountOut):
    contacts: list[ContactOut]
