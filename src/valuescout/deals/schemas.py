"""Pydantic shapes for opportunities (with their line items and the pipeline list) and value
cases. Field types and input bases are in schema_types.py; accounts and contacts in
account_schemas.py; stages, deal settings and products in setup_schemas.py.

Money fields in output are None for callers who may not see money (contributors).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, Field
from pydantic.json_schema import SkipJsonSchema

from valuescout.deals.account_schemas import ContactOut
from valuescout.deals.schema_types import (
    Currency,
    DbId,
    InputModel,
    IsoDate,
    MoneyIn,
    Name,
    PatchModel,
    Quantity,
    Share,
    Short,
    Text,
)
from valuescout.deals.terms import AlternativeKind, DealType, RfpClass, StageOutcome
from valuescout.deals.valuecase import Direction, OutcomeState, PricePosition, Recurrence

# --- opportunities -------------------------------------------------------------------------


class LineIn(InputModel):
    product_id: DbId
    quantity: Quantity
    net_price: MoneyIn | None = None  # per unit; defaults to the product's list price


class LineOut(BaseModel):
    id: int
    product_id: int
    product_name: str
    quantity: Decimal
    list_price: Decimal | None
    net_price: Decimal | None
    discount: Decimal | None  # share of list given away, 0..1


class OpportunityIn(InputModel):
    name: Name
    account_id: DbId | None = None
    owner_id: DbId | None = None  # defaults to the caller
    stage_id: DbId | None = None  # defaults to the first open stage
    close_date: IsoDate | None = None
    deal_type: DealType = DealType.NEW
    currency: Currency = "USD"
    amount: MoneyIn | None = None  # used when the deal has no line items
    value_network_id: DbId | None = None
    alternative_kind: AlternativeKind = AlternativeKind.UNKNOWN
    alternative_name: Short = ""
    competitor_id: DbId | None = None
    alternative_price: MoneyIn | None = None
    rfp_class: RfpClass = RfpClass.NONE
    description: Text = ""
    last_meeting_on: IsoDate | None = None
    mutual_plan: bool = False
    lines: Annotated[list[LineIn], Field(max_length=200)] = Field(default_factory=list)


class OpportunityUpdate(PatchModel):
    NULLABLE = frozenset(
        {
            "account_id",
            "close_date",
            "value_network_id",
            "competitor_id",
            "alternative_price",
            "probability",
            "last_meeting_on",
        }
    )
    name: Name | SkipJsonSchema[None] = None
    account_id: DbId | None = None
    owner_id: DbId | SkipJsonSchema[None] = None
    stage_id: DbId | SkipJsonSchema[None] = None
    probability: Share | None = None
    close_date: IsoDate | None = None
    deal_type: DealType | SkipJsonSchema[None] = None
    currency: Currency | SkipJsonSchema[None] = None
    amount: MoneyIn | SkipJsonSchema[None] = None
    value_network_id: DbId | None = None
    alternative_kind: AlternativeKind | SkipJsonSchema[None] = None
    alternative_name: Short | SkipJsonSchema[None] = None
    competitor_id: DbId | None = None
    alternative_price: MoneyIn | None = None
    rfp_class: RfpClass | SkipJsonSchema[None] = None
    description: Text | SkipJsonSchema[None] = None
    last_meeting_on: IsoDate | None = None
    mutual_plan: bool | SkipJsonSchema[None] = None


class LinesSet(InputModel):
    lines: Annotated[list[LineIn], Field(max_length=200)]


class OpportunityRow(BaseModel):
    """One line of the pipeline list."""

    id: int
    external_id: str | None
    name: str
    account_id: int | None
    account_name: str | None
    owner_id: int
    owner_name: str
    team_id: int | None
    stage_id: int
    stage_name: str
    stage_outcome: StageOutcome
    probability: Decimal
    close_date: date | None
    deal_type: DealType
    currency: str
    amount: Decimal | None
    updated_at: datetime


class StageTotal(BaseModel):
    stage_id: int
    stage_name: str
    count: int
    amount: Decimal | None
    weighted: Decimal | None


class PipelineOut(BaseModel):
    items: list[OpportunityRow]
    total: int
    limit: int
    offset: int
    totals: list[StageTotal]
    total_amount: Decimal | None


class ChangeOut(BaseModel):
    field: str
    old_value: str | None
    new_value: str | None
    changed_at: datetime
    actor_id: int | None


class OpportunityDetail(OpportunityRow):
    engaged_on: date | None
    value_network_id: int | None
    alternative_kind: AlternativeKind
    alternative_name: str
    competitor_id: int | None
    alternative_price: Decimal | None
    rfp_class: RfpClass
    description: str
    last_meeting_on: date | None
    mutual_plan: bool
    lines: list[LineOut]
    history: list[ChangeOut]
    contacts: list[ContactOut]
    has_value_case: bool


PipelineSort = Literal[
    "close_date", "-close_date", "amount", "-amount", "name", "-name", "stage", "-stage",
    "updated_at", "-updated_at",
]  # fmt: skip


# --- value cases ---------------------------------------------------------------------------


class OutcomeIn(InputModel):
    name: Name
    network_outcome_id: DbId | None = None
    direction: Direction = Direction.FOR
    yearly_value: MoneyIn
    recurrence: Recurrence = Recurrence.RECURRING
    years: Annotated[int, Field(strict=True, ge=1, le=30)] = 1
    confidence: Share = Decimal("0.5000")
    state: OutcomeState = OutcomeState.HYPOTHESISED
    evidence_source: Short = ""
    evidence_note: Text = ""
    persona_id: DbId | None = None
    contact_id: DbId | None = None


class OutcomeUpdate(PatchModel):
    NULLABLE = frozenset({"network_outcome_id", "persona_id", "contact_id"})
    name: Name | SkipJsonSchema[None] = None
    network_outcome_id: DbId | None = None
    direction: Direction | SkipJsonSchema[None] = None
    yearly_value: MoneyIn | SkipJsonSchema[None] = None
    recurrence: Recurrence | SkipJsonSchema[None] = None
    years: Annotated[int, Field(strict=True, ge=1, le=30)] | SkipJsonSchema[None] = None
    confidence: Share | SkipJsonSchema[None] = None
    state: OutcomeState | SkipJsonSchema[None] = None
    evidence_source: Short | SkipJsonSchema[None] = None
    evidence_note: Text | SkipJsonSchema[None] = None
    persona_id: DbId | None = None
    contact_id: DbId | None = None


class OutcomeOut(BaseModel):
    id: int
    name: str
    network_outcome_id: int | None
    direction: Direction
    yearly_value: Decimal | None
    recurrence: Recurrence
    years: int
    confidence: Decimal
    state: OutcomeState
    evidence_source: str
    evidence_note: str
    persona_id: int | None
    contact_id: int | None
    horizon_value: Decimal | None  # signed, unadjusted
    risk_adjusted_value: Decimal | None  # signed


class ValueCaseUpdate(PatchModel):
    discount_rate: Share | SkipJsonSchema[None] = None
    target_share: Share | SkipJsonSchema[None] = None
    assumptions: Text | SkipJsonSchema[None] = None
    internal_notes: Text | SkipJsonSchema[None] = None


class CorridorOut(BaseModel):
    floor: Decimal | None
    target: Decimal
    ceiling: Decimal


class FiguresOut(BaseModel):
    our_price: Decimal
    alternative_price: Decimal | None
    cost: Decimal | None
    value_unadjusted: Decimal
    value_risk_adjusted: Decimal
    price_difference: Decimal
    preference: Decimal
    preference_unadjusted: Decimal
    value_to_price: Decimal | None
    roi: Decimal | None
    payback_months: Decimal | None
    npv: Decimal
    confirmed_share: Decimal | None
    corridor: CorridorOut
    position: PricePosition
    curve: list[tuple[Decimal, Decimal]]  # (our price, customer preference at that price)


class ValueCaseOut(BaseModel):
    opportunity_id: int
    discount_rate: Decimal
    target_share: Decimal
    assumptions: str
    internal_notes: str
    outcomes: list[OutcomeOut]
    figures: FiguresOut | None  # None for callers who may not see money
    updated_at: datetime
