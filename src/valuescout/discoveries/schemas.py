"""Pydantic shapes for discoveries: logging one, reviewing one, and what the API answers."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictBool, model_validator

from valuescout.core.text import TRIMMED
from valuescout.deals.schema_types import DbId, MoneyIn
from valuescout.discoveries.transitions import Action, DeclineReason, Resolution, Status
from valuescout.valuenet.spec import OutcomeKind

Line = Annotated[str, Field(max_length=200)]
Said = Annotated[str, Field(min_length=1, max_length=4000), TRIMMED]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DiscoveryIn(_In):
    """A value gap as heard from a customer. Name the customer by account, or by name when it
    is not (yet) an account you can see."""

    account_id: DbId | None = None
    customer_name: Line = ""
    situation: Said
    desired_outcome: Annotated[str, Field(min_length=1, max_length=300), TRIMMED]
    value_hint: Annotated[str, Field(max_length=2000)] = ""
    value_amount: MoneyIn | None = None
    theme: Annotated[str, Field(max_length=120)] = ""
    network_id: DbId | None = None

    @model_validator(mode="after")
    def _customer_named(self) -> DiscoveryIn:
        self.customer_name = self.customer_name.strip()
        self.theme = self.theme.strip()
        self.value_hint = self.value_hint.strip()
        if self.account_id is None and not self.customer_name:
            raise ValueError("customer_name: name the customer, or choose its account")
        return self


class ReviewIn(_In):
    """attach: `outcome_id`. create: `outcome_name` in `network_id` (the discovery's network
    when left out), optionally `link_from_id`, a node of that network leading to it.
    decline: `decline_reason`. `note` is kept with any of them."""

    action: Action
    outcome_id: DbId | None = None
    network_id: DbId | None = None
    outcome_name: Annotated[str, Field(max_length=200)] = ""
    outcome_description: Annotated[str, Field(max_length=4000)] = ""
    outcome_kind: OutcomeKind = OutcomeKind.BUSINESS
    executive: StrictBool = False
    link_from_id: DbId | None = None
    decline_reason: DeclineReason | None = None
    note: Annotated[str, Field(max_length=2000)] = ""

    @model_validator(mode="after")
    def _complete(self) -> ReviewIn:
        self.outcome_name = self.outcome_name.strip()
        if self.action == Action.ATTACH and self.outcome_id is None:
            raise ValueError("outcome_id: choose the outcome to attach the discovery to")
        if self.action == Action.CREATE and not self.outcome_name:
            raise ValueError("outcome_name: name the new outcome")
        if self.action == Action.DECLINE and self.decline_reason is None:
            raise ValueError("decline_reason: say why the discovery is declined")
        return self


class DiscoveryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    account_id: int | None
    customer_name: str
    situation: str
    desired_outcome: str
    value_hint: str
    value_amount: Decimal | None
    currency: str
    theme: str
    network_id: int | None
    status: Status
    resolution: Resolution | None
    outcome_id: int | None
    outcome_name: str | None = None
    decline_reason: DeclineReason | None
    review_note: str
    reported_by: str | None = None
    reviewed_by: str | None = None
    reviewed_at: datetime | None
    created_at: datetime


class IdeaOut(BaseModel):
    theme: str
    count: int
    customers: list[str]
    value_hints: list[str]
    stated_values: dict[str, Decimal]  # currency -> total of the amounts customers named
    discovery_ids: list[int]
    sources: list[str]  # declined: not delivered | new outcome nothing reaches


class VoiceOut(BaseModel):
    outcome_id: int
    outcome_name: str
    discoveries: list[DiscoveryOut]
