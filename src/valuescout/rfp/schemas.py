"""Pydantic shapes for RFP records and the RFP-engagement analysis."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, model_validator

from valuescout.deals.schema_types import IsoDate
from valuescout.rfp.terms import RfpOutcome

EngagementClass = Literal["unknown", "known", "contents", "shaped"]
Competitors = Annotated[int, Field(strict=True, ge=0, le=1000)]
DATE_FIELDS = ("due_on", "submitted_on", "decided_on")


def check_dates(values: dict[str, Any]) -> None:
    """Due, submitted and decided come on or after receipt; a decision needs an outcome."""
    received = values.get("received_on")
    for name in DATE_FIELDS:
        day = values.get(name)
        if received is not None and day is not None and day < received:
            raise ValueError(f"{name}: comes before the RFP was received ({received})")
    if values.get("decided_on") is not None and values.get("outcome") == RfpOutcome.PENDING:
        raise ValueError("outcome: a decided RFP needs its outcome (won, lost, no decision)")


class RfpIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    engagement_class: EngagementClass
    received_on: IsoDate
    due_on: IsoDate | None = None
    submitted_on: IsoDate | None = None
    decided_on: IsoDate | None = None
    outcome: RfpOutcome = RfpOutcome.PENDING
    competitors_responding: Competitors | None = None
    customer_written: StrictBool = False
    notes: Annotated[str, Field(max_length=4000)] = ""

    @model_validator(mode="after")
    def _dates(self) -> RfpIn:
        check_dates(self.model_dump())
        return self


class RfpOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    opportunity_id: int
    opportunity_name: str = ""
    engagement_class: EngagementClass
    received_on: date
    due_on: date | None
    submitted_on: date | None
    decided_on: date | None
    outcome: RfpOutcome
    competitors_responding: int | None
    customer_written: bool
    notes: str
    created_at: datetime


class ClassOut(BaseModel):
    engagement_class: EngagementClass
    label: str
    count: int
    amount: Decimal
    count_share: Decimal | None
    amount_share: Decimal | None
    judged: int
    won: int
    win_rate: Decimal | None
    realised_deals: int
    realisation: Decimal | None


class QuarterOut(BaseModel):
    quarter: str
    count: int
    amount: Decimal
    classes: list[ClassOut]


class AnalysisOut(BaseModel):
    currency: str
    count: int
    amount: Decimal
    classes: list[ClassOut]
    quarters: list[QuarterOut]
