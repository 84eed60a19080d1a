"""What the willingness and reputation APIs take and give (pydantic, no framework)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

QuestionId = Annotated[str, StringConstraints(min_length=1, max_length=60)]
Answer = Annotated[str, StringConstraints(max_length=60)] | int


class ChoiceOut(BaseModel):
    value: str
    label: str


class QuestionOut(BaseModel):
    id: str
    group: Literal["newness", "risk"]
    kind: Literal["choice", "rating"]
    text: str
    low: str = ""
    high: str = ""
    choices: list[ChoiceOut] = []


class AnswersIn(BaseModel):
    """Every question's answer, by question id: a choice's value, or a rating 1-5."""

    model_config = ConfigDict(extra="forbid")

    answers: Annotated[dict[QuestionId, Answer], Field(max_length=40)]
    note: Annotated[str, StringConstraints(max_length=500)] = ""


class ScoreOut(BaseModel):
    newness: int
    risk: int
    willingness: int
    quadrant: str
    quadrant_label: str
    model: str
    model_label: str
    close_call: bool
    reasons: list[str]
    expert_opening: str | None
    answers: dict[str, str | int]


class WillingnessOut(ScoreOut):
    id: int
    assessed_at: datetime
    assessed_by: str  # a name the caller may see, or "a colleague"
    note: str


class SubjectWillingnessOut(BaseModel):
    subject: Literal["account", "opportunity"]
    subject_id: int
    name: str
    latest: WillingnessOut | None
    history: list[WillingnessOut]  # newest first, the latest included
    motion: str  # how the deal is being sold, read from its data (willingness.Motion)
    motion_label: str
    mismatch: str | None


class PortfolioRowOut(BaseModel):
    subject: Literal["account", "opportunity"]
    subject_id: int
    name: str
    assessed_at: datetime
    newness: int
    risk: int
    willingness: int
    quadrant: str
    model: str
    motion: str
    mismatch: str | None
    expert_opening: str | None


class QuadrantCountOut(BaseModel):
    quadrant: str
    label: str
    count: int


class PortfolioOut(BaseModel):
    assessed: int
    trusted_expert: int
    divide_and_optimise: int
    quadrants: list[QuadrantCountOut]
    rows: list[PortfolioRowOut]  # latest per account and per opportunity, lowest first
    mismatches: list[PortfolioRowOut]
    candidates: list[PortfolioRowOut]  # low willingness a credible expert could raise


class QuarterOut(BaseModel):
    period: str
    start: date
    end: date
    source: Literal["stored", "live"]
    stored_at: datetime | None
    rfps: int
    shaped: int
    crowded: int
    won: int
    lost: int
    won_priced: int
    above_threshold: int
    list_total: Decimal
    net_total: Decimal
    confirmed_won: int
    shaped_share: Decimal | None
    discount_dependence: Decimal | None
    price_realisation: Decimal | None
    confirmed_value_share: Decimal | None
    crowded_share: Decimal | None


class TrendOut(BaseModel):
    key: str
    label: str
    higher_is_better: bool
    latest: Decimal | None
    latest_quarter: str | None
    previous: Decimal | None
    change: Decimal | None
    direction: Literal["better", "worse", "steady", "unknown"]


class ReputationOut(BaseModel):
    scope: str  # "the company" or a team's name
    threshold: Decimal
    quarters: list[QuarterOut]  # oldest first, the current quarter last
    trends: list[TrendOut]
    reading: list[str]


class ReputationSnapshotIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    threshold: Annotated[Decimal, Field(ge=0, le=Decimal("0.9"), decimal_places=4)] | None = None


class ReputationSnapshotOut(BaseModel):
    id: int
    period: str
    taken_at: datetime
    scope: str
