"""Pydantic shapes for identity input and output."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints

from valuescout.core.security import MIN_PASSWORD_LENGTH
from valuescout.identity.roles import Role

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
DbId = Annotated[int, Field(ge=1, le=2_147_483_647)]
Password = Annotated[str, Field(min_length=MIN_PASSWORD_LENGTH, max_length=512)]


class TeamOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    kind: str
    parent_id: int | None


class TeamCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
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
    model_config = ConfigDict(extra="forbid")

    full_name: Name | None = None
    role: Role | None = None
    team_id: DbId | None = None
    is_active: bool | None = None


class TokenCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    expires_in_days: Annotated[int | None, Field(ge=1, le=3650)] = 90


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
