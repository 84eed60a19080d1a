"""Pydantic shapes for accounts, contacts, opportunities and value cases.

Money fields in output are None for callers who may not see money (contributors).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    ValidationInfo,
    field_validator,
)
from pydantic.json_schema import SkipJsonSchema

from valuescout.core.text import TRIMMED
from valuescout.deals.terms import AlternativeKind, BuyingRole, DealType, RfpClass, StageOutcome
from valuescout.deals.valuecase import Direction, OutcomeState, PricePosition, Recurrence

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


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Patch(_In):
    """Send only what changes; fields that are sent must not be null unless they say so."""

    NULLABLE: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*")
    @classmethod
    def _not_null(cls, value: object, info: ValidationInfo) -> object:
        if value is None and info.field_name not in cls.NULLABLE:
            raise ValueError("must not be null; leave the field out to keep it")
        return value


# --- stages and settings -------------------------------------------------------------------


class StageOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    name: str
    position: int
    probability: Decimal
    outcome: StageOutcome


class StageIn(_In):
    name: Annotated[str, Field(min_length=1, max_length=80), TRIMMED]
    probability: Share
    outcome: StageOutcome = StageOutcome.OPEN


class StagesSet(_In):
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


class DealSettingsUpdate(_Patch):
    margin_floor: MarginFloor | SkipJsonSchema[None] = None
    discount_rate: Share | SkipJsonSchema[None] = None
    target_share: Share | SkipJsonSchema[None] = None
    currency: Currency | SkipJsonSchema[None] = None


# --- accounts and contacts -----------------------------------------------------------------


class AccountIn(_In):
    name: Name
    industry: Short = ""
    annual_revenue: MoneyIn | None = None
    employees: Annotated[int, Field(strict=True, ge=0, le=10_000_000)] | None = None
    region: Short = ""
    territory: Short = ""
    country: Short = ""
    owner_id: DbId | None = None
    attributes: Attributes = Field(default_factory=dict)


class AccountUpdate(_Patch):
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


class ContactIn(_In):
    name: Name
    title: Short = ""
    email: Annotated[str, Field(max_length=320)] = ""
    buying_role: BuyingRole = BuyingRole.UNKNOWN
    is_ally: StrictBool = False
    persona_id: DbId | None = None


class ContactUpdate(_Patch):
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


# --- products ------------------------------------------------------------------------------


class ProductIn(_In):
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


# --- opportunities -------------------------------------------------------------------------


class LineIn(_In):
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


class OpportunityIn(_In):
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


class OpportunityUpdate(_Patch):
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


class LinesSet(_In):
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


class OutcomeIn(_In):
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


class OutcomeUpdate(_Patch):
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


class ValueCaseUpdate(_Patch):
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


StagesSet.model_rebuild()
