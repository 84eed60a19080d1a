"""Pydantic shapes for identity input and output."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    StrictBool,
    StrictInt,
    field_validator,
)
from pydantic.json_schema import SkipJsonSchema

from valuescout.core.security import MIN_PASSWORD_LENGTH
from valuescout.core.text import TRIMMED
from valuescout.identity.roles import Role

Name = Annotated[str, Field(min_length=1, max_length=200), TRIMMED]
# Input numbers and flags are strict: JSON `true` is not the number 1, "1" is not a flag.
DbId = Annotated[int, Field(strict=True, ge=1, le=2_147_483_647)]
Password = Annotated[str, Field(min_length=MIN_PASSWORD_LENGTH, max_length=512)]


class TeamOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    kind: str
    parent_id: int | None


class TeamCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, Field(min_length=1, max_length=120), TRIMMED]
    kind: Annotated[str, Field(pattern="^(company|region|team)$")]
    parent_id: DbId | None = None


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    full_name: str
    role: Role
    team_id: int | None
    is_active: bool
    last_sign_in_at: datetime | None


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: EmailStr
    full_name: Name
    role: Role
    team_id: DbId | None = None
    password: Password


class UserUpdate(BaseModel):
    """Send only what changes. `team_id: null` removes the team; the others cannot be null."""

    model_config = ConfigDict(extra="forbid")

    full_name: Name | SkipJsonSchema[None] = None
    role: Role | SkipJsonSchema[None] = None
    team_id: DbId | None = None
    is_active: StrictBool | SkipJsonSchema[None] = None

    @field_validator("full_name", "role", "is_active")
    @classmethod
    def _not_null(cls, value: object) -> object:
        # Runs only for fields the caller sent: omitted means "unchanged", null is an error.
        if value is None:
            raise ValueError("must not be null; leave the field out to keep it")
        return value


class TokenCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, Field(min_length=1, max_length=100), TRIMMED]
    expires_in_days: Annotated[StrictInt, Field(ge=1, le=3650)] | None = 90


class TokenOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    user_id: int
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None


class TokenCreated(TokenOut):
    token: str = Field(description="The secret. Shown once; store it now.")
