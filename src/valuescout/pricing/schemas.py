"""Pydantic shapes for price requests, decisions, delegations and policy versions."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from valuescout.core.text import TRIMMED
from valuescout.deals.schema_types import DbId, IsoDate, MoneyIn, Share
from valuescout.pricing.fields import Reason
from valuescout.pricing.workflow import Move, State

Justification = Annotated[str, Field(min_length=1, max_length=4000), TRIMMED]
Comment = Annotated[str, Field(max_length=4000)]
PolicySource = Annotated[str, Field(min_length=1, max_length=100_000)]


class LinePriceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    line_id: DbId
    net_price: MoneyIn  # per unit


class PriceRequestIn(BaseModel):
    """Exactly one of: the deal's new net price, a discount off list, or per-line prices."""

    model_config = ConfigDict(extra="forbid")
    net_price: MoneyIn | None = None
    discount: Share | None = None
    lines: Annotated[list[LinePriceIn], Field(min_length=1, max_length=500)] | None = None
    reason: Reason
    justification: Justification
    replaces_id: DbId | None = None  # a withdrawn, rejected or countered request redone

    @model_validator(mode="after")
    def _one_price(self) -> PriceRequestIn:
        given = [x for x in (self.net_price, self.discount, self.lines) if x is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of net_price, discount or lines")
        return self


class MoveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    move: Move
    comment: Comment = ""
    price: MoneyIn | None = None  # the counter-offer's deal price
    version: Annotated[int, Field(ge=1, le=1_000_000)] | None = None  # as the actor saw it

    @model_validator(mode="after")
    def _counter_needs_price(self) -> MoveIn:
        if (self.move == Move.COUNTER) != (self.price is not None):
            raise ValueError("a counter-offer needs a price, and only a counter-offer takes one")
        return self


class EventOut(BaseModel):
    at: datetime
    action: str
    actor_id: int | None
    actor_email: str
    on_behalf_of_id: int | None
    role: str
    step: int | None
    price: Decimal | None
    comment: str
    state_after: State


class RequestLineOut(BaseModel):
    line_id: int | None
    product_id: int
    product_name: str
    quantity: Decimal
    list_price: Decimal
    net_price_before: Decimal
    requested_net_price: Decimal


class PriceRequestOut(BaseModel):
    id: int
    opportunity_id: int
    opportunity_name: str
    account_name: str | None
    requester_id: int
    requester_name: str
    owner_id: int
    state: State
    step: int
    route: list[str]
    waiting_for: str | None  # the approver role the request waits for
    reason: Reason
    currency: str
    list_price: Decimal
    price_before: Decimal
    requested_price: Decimal
    requested_discount: Decimal | None
    counter_price: Decimal | None
    approved_price: Decimal | None
    created_at: datetime
    decided_at: datetime | None
    age_days: int
    version: int


class PriceRequestDetail(PriceRequestOut):
    justification: str
    replaces_id: int | None
    policy_version: int | None
    evidence: dict[str, Any]
    decision: dict[str, Any]
    lines: list[RequestLineOut]
    events: list[EventOut]
    moves: list[Move]  # what the caller may do now
    final_price: Decimal | None  # the deal's price once won


class DelegationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    delegate_id: DbId
    starts_on: IsoDate
    ends_on: IsoDate

    @model_validator(mode="after")
    def _ordered(self) -> DelegationIn:
        if self.ends_on < self.starts_on:
            raise ValueError("ends_on is before starts_on")
        return self


class DelegationOut(BaseModel):
    id: int
    approver_id: int
    approver_name: str
    delegate_id: int
    delegate_name: str
    starts_on: IsoDate
    ends_on: IsoDate
    active: bool


class PolicyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    source: PolicySource
    note: Annotated[str, Field(max_length=500)] = ""


class PolicyProblem(BaseModel):
    line: int
    message: str


class PolicyCheckOut(BaseModel):
    valid: bool
    name: str | None
    rules: int
    problems: list[PolicyProblem]


class PolicyVersionOut(BaseModel):
    id: int
    version: int
    name: str
    note: str
    created_by_email: str
    created_at: datetime
    active: bool


class PolicyDetail(PolicyVersionOut):
    source: str


class ReplayChange(BaseModel):
    request_id: int
    opportunity_name: str
    created_at: datetime
    before: str  # "approve", "reject" or "route: manager > price_desk"
    after: str
    rule_before: str | None
    rule_after: str | None
    discount_amount: Decimal  # list price - requested price


class ReplayOut(BaseModel):
    policy_name: str
    requests: int
    changed: int
    # Discount (list - requested) of the requests whose decision would change.
    discount_at_stake: Decimal
    by_action_before: dict[str, int]
    by_action_after: dict[str, int]
    # Discount the policy lets through without a person: under the current and the new one.
    auto_approved_discount_before: Decimal
    auto_approved_discount_after: Decimal
    changes: list[ReplayChange]  # the first 200, newest first
