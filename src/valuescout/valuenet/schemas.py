"""Pydantic shapes for value-network input and output."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator
from pydantic.json_schema import SkipJsonSchema

from valuescout.core.text import TRIMMED
from valuescout.valuenet.spec import DifferentiatorKind, Match, OfferKind, OutcomeKind, Strength

Name = Annotated[str, Field(min_length=1, max_length=200), TRIMMED]
Description = Annotated[str, Field(max_length=4000)]
Short = Annotated[str, Field(max_length=200)]
DbId = Annotated[int, Field(strict=True, ge=1, le=2_147_483_647)]
NodeType = Literal["differentiator", "outcome"]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Patch(_In):
    """Send only what changes; fields that are sent must not be null."""

    @field_validator("*")
    @classmethod
    def _not_null(cls, value: object) -> object:
        if value is None:
            raise ValueError("must not be null; leave the field out to keep it")
        return value


class NetworkCreate(_In):
    name: Name
    description: Description = ""
    offer_name: Name
    offer_kind: OfferKind = OfferKind.PRODUCT
    offer_description: Description = ""


class NetworkUpdate(_Patch):
    name: Name | SkipJsonSchema[None] = None
    description: Description | SkipJsonSchema[None] = None


class NetworkImport(_In):
    format: Literal["yaml", "json"] = "yaml"
    content: Annotated[str, Field(min_length=1, max_length=800_000)]
    replace: StrictBool = False


class NetworkSummary(BaseModel):
    id: int
    name: str
    description: str
    offer_name: str
    offer_kind: OfferKind
    differentiators: int
    outcomes: int
    links: int
    personas: int
    competitors: int
    updated_at: datetime


class NodeCreate(_In):
    node_type: NodeType
    name: Name
    description: Description = ""
    differentiator_kind: DifferentiatorKind = DifferentiatorKind.OTHER
    outcome_kind: OutcomeKind = OutcomeKind.BUSINESS
    executive: StrictBool = False
    measure: Short = ""
    unit: Annotated[str, Field(max_length=50)] = ""


class NodeUpdate(_Patch):
    name: Name | SkipJsonSchema[None] = None
    description: Description | SkipJsonSchema[None] = None
    differentiator_kind: DifferentiatorKind | SkipJsonSchema[None] = None
    outcome_kind: OutcomeKind | SkipJsonSchema[None] = None
    executive: StrictBool | SkipJsonSchema[None] = None
    measure: Short | SkipJsonSchema[None] = None
    unit: Annotated[str, Field(max_length=50)] | SkipJsonSchema[None] = None


class NodeOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    node_type: NodeType
    name: str
    description: str
    differentiator_kind: DifferentiatorKind | None
    outcome_kind: OutcomeKind | None
    executive: bool
    measure: str
    unit: str


class LinkCreate(_In):
    source_id: DbId
    target_id: DbId
    two_way: StrictBool = False
    rationale: Short = ""


class LinkUpdate(_Patch):
    two_way: StrictBool | SkipJsonSchema[None] = None
    rationale: Short | SkipJsonSchema[None] = None


class LinkOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    source_id: int
    target_id: int
    two_way: bool
    rationale: str


class PersonaCreate(_In):
    name: Name
    description: Description = ""


class PersonaUpdate(_Patch):
    name: Name | SkipJsonSchema[None] = None
    description: Description | SkipJsonSchema[None] = None


class PersonaOutcomeSet(_In):
    strength: Strength = Strength.PRIMARY


class PersonaOutcomeOut(BaseModel):
    outcome_id: int
    strength: Strength


class PersonaOut(BaseModel):
    id: int
    name: str
    description: str
    outcomes: list[PersonaOutcomeOut]


class CompetitorCreate(_In):
    name: Name
    description: Description = ""


class CompetitorUpdate(_Patch):
    name: Name | SkipJsonSchema[None] = None
    description: Description | SkipJsonSchema[None] = None


class MatchSet(_In):
    match: Match


class MatchOut(BaseModel):
    differentiator_id: int
    match: Match


class CompetitorOut(BaseModel):
    id: int
    name: str
    description: str
    matches: list[MatchOut]


class NetworkDetail(NetworkSummary):
    offer_description: str
    nodes: list[NodeOut]
    link_list: list[LinkOut]
    persona_list: list[PersonaOut]
    competitor_list: list[CompetitorOut]
