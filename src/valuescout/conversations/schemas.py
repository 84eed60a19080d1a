"""Shapes of call plans, interactions and value-quality metrics at the API edge.

Money-free by design: the only amounts here are the figures a customer put on an outcome,
which everyone who may read the interaction may read. Deal money (win rates are fine, price
realisation is not) is left out for callers who may not see money.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator
from pydantic.json_schema import SkipJsonSchema

from valuescout.core.web.schemas import MAX_DB_ID

Id = Annotated[int, Field(ge=1, le=MAX_DB_ID)]
Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
InteractionKind = Literal["meeting", "call", "email", "visit", "event"]
QuestionKind = Literal["expansion", "qualification"]
OutcomeKind = Literal["business", "personal"]
PlanText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]
EARLIEST = date(2000, 1, 1)

# Characters of notes or a transcript one interaction holds and the analyzer reads (the CLI
# too): the analysis grows with the text, and a whole megabyte took 66 s.
MAX_NOTES = 50_000


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- call plans --------------------------------------------------------------------------------


class CallPlanIn(_In):
    opportunity_id: Id
    meeting_on: date
    attendee_ids: list[Id] = Field(default_factory=list, max_length=30)
    goal: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] = ""
    good_result: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] = ""

    @model_validator(mode="after")
    def _distinct(self) -> CallPlanIn:
        if len(set(self.attendee_ids)) != len(self.attendee_ids):
            raise ValueError("attendee_ids: each contact only once")
        if self.meeting_on < EARLIEST:
            raise ValueError("meeting_on: a date from 2000 on")
        return self


class CallPlanUpdate(_In):
    """Send only what changes. New attendees draw the plan's hypotheses, questions and
    outcomes to quantify afresh from the deal's value network, as creating it does; a blank
    goal or good result takes the usual one."""

    meeting_on: date | SkipJsonSchema[None] = None
    attendee_ids: Annotated[list[Id], Field(max_length=30)] | SkipJsonSchema[None] = None
    goal: PlanText | SkipJsonSchema[None] = None
    good_result: PlanText | SkipJsonSchema[None] = None

    @model_validator(mode="after")
    def _checked(self) -> CallPlanUpdate:
        for name, value in self.model_dump(exclude_unset=True).items():
            if value is None:
                raise ValueError(f"{name}: must not be null; leave it out to keep it")
        if self.attendee_ids is not None and len(set(self.attendee_ids)) != len(self.attendee_ids):
            raise ValueError("attendee_ids: each contact only once")
        if self.meeting_on is not None and self.meeting_on < EARLIEST:
            raise ValueError("meeting_on: a date from 2000 on")
        return self


class AttendeeOut(BaseModel):
    contact_id: int
    name: str
    title: str
    persona_id: int | None
    persona: str | None


class PlanItemOut(BaseModel):
    kind: str  # hypothesis | question | quantify
    text: str
    outcome_id: int | None
    persona_id: int | None


class DiscoveryHintOut(BaseModel):
    discovery_id: int
    outcome_id: int
    desired_outcome: str
    situation: str
    value_hint: str
    account_name: str


class CallPlanSummary(BaseModel):
    id: int
    opportunity_id: int
    opportunity_name: str
    account_name: str | None
    author_id: int
    author_name: str
    meeting_on: date
    goal: str
    shared_with_manager: bool
    shared_at: datetime | None
    created_at: datetime


class CallPlanOut(CallPlanSummary):
    good_result: str
    alternative: str  # the deal's alternative in words: the competitor, do nothing, ...
    network_id: int | None
    attendees: list[AttendeeOut]
    hypotheses: list[PlanItemOut]
    questions: list[PlanItemOut]
    quantify: list[PlanItemOut]
    discoveries: list[DiscoveryHintOut]
    may_share: bool
    may_change: bool  # the caller may edit or delete it


# --- interactions ------------------------------------------------------------------------------


class InsightIn(_In):
    text: Line


class QuestionIn(_In):
    text: Line
    kind: QuestionKind
    category: Annotated[str, StringConstraints(strip_whitespace=True, max_length=32)] = ""


class StakeholderIn(_In):
    contact_id: Id | None = None
    name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""
    title: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""
    is_ally: bool = False

    @model_validator(mode="after")
    def _someone(self) -> StakeholderIn:
        if self.contact_id is None and not self.name:
            raise ValueError("a stakeholder needs a contact or a name")
        return self


class OutcomeIn(_In):
    outcome_id: Id | None = None
    text: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] = ""
    kind: OutcomeKind = "business"
    amount: Annotated[Decimal, Field(max_digits=16, decimal_places=2)] | None = None
    unit: Annotated[str, StringConstraints(strip_whitespace=True, max_length=20)] = ""

    @model_validator(mode="after")
    def _something(self) -> OutcomeIn:
        if self.outcome_id is None and not self.text:
            raise ValueError("an outcome needs a network outcome or its text")
        return self


class InteractionIn(_In):
    account_id: Id | None = None
    opportunity_id: Id | None = None
    call_plan_id: Id | None = None
    occurred_on: date
    kind: InteractionKind = "meeting"
    notes: Annotated[str, StringConstraints(max_length=MAX_NOTES)] = ""
    insights: list[InsightIn] = Field(default_factory=list, max_length=50)
    questions: list[QuestionIn] = Field(default_factory=list, max_length=200)
    stakeholders: list[StakeholderIn] = Field(default_factory=list, max_length=50)
    outcomes: list[OutcomeIn] = Field(default_factory=list, max_length=50)

    @model_validator(mode="after")
    def _where(self) -> InteractionIn:
        if self.account_id is None and self.opportunity_id is None:
            raise ValueError("give the account or the opportunity the interaction was about")
        if self.occurred_on < EARLIEST:
            raise ValueError("occurred_on: a date from 2000 on")
        return self


class InteractionUpdate(_In):
    """Send only what changes; a list sent replaces the one stored. Sending the opportunity
    without the account takes the opportunity's account."""

    account_id: Id | None = None
    opportunity_id: Id | None = None
    call_plan_id: Id | None = None
    occurred_on: date | SkipJsonSchema[None] = None
    kind: InteractionKind | SkipJsonSchema[None] = None
    notes: Annotated[str, StringConstraints(max_length=MAX_NOTES)] | SkipJsonSchema[None] = None
    insights: Annotated[list[InsightIn], Field(max_length=50)] | SkipJsonSchema[None] = None
    questions: Annotated[list[QuestionIn], Field(max_length=200)] | SkipJsonSchema[None] = None
    stakeholders: Annotated[list[StakeholderIn], Field(max_length=50)] | SkipJsonSchema[None] = None
    outcomes: Annotated[list[OutcomeIn], Field(max_length=50)] | SkipJsonSchema[None] = None

    NULLABLE: ClassVar[frozenset[str]] = frozenset({"account_id", "opportunity_id", "call_plan_id"})

    @model_validator(mode="after")
    def _not_null(self) -> InteractionUpdate:
        for name, value in self.model_dump(exclude_unset=True).items():
            if value is None and name not in self.NULLABLE:
                raise ValueError(f"{name}: must not be null; leave it out to keep it")
        return self


class QualityPartOut(BaseModel):
    name: str
    label: str
    points: float
    cap: float
    count: float


class InteractionSummary(BaseModel):
    id: int
    author_id: int
    author_name: str
    account_id: int | None
    account_name: str | None
    opportunity_id: int | None
    opportunity_name: str | None
    call_plan_id: int | None
    occurred_on: date
    kind: str
    quality_score: float | None
    insights_offered: int
    expansion_questions: int
    qualification_questions: int
    allies_added: int
    business_outcomes: int
    personal_outcomes: int
    quantified_outcomes: int


class InteractionOut(InteractionSummary):
    notes: str
    quality_parts: list[QualityPartOut]
    insights: list[InsightIn]
    questions: list[QuestionIn]
    stakeholders: list[StakeholderIn]
    outcomes: list[OutcomeIn]
    created_at: datetime
    may_change: bool  # the caller may edit or delete it


class AnalyzeIn(_In):
    text: Annotated[str, StringConstraints(max_length=MAX_NOTES)]
    opportunity_id: Id | None = None  # match against this deal's value network


class ProposalOut(BaseModel):
    """Fields proposed from the text, for the user to confirm or correct."""

    insights: list[InsightIn]
    questions: list[QuestionIn]
    stakeholders: list[StakeholderIn]
    outcomes: list[OutcomeIn]
    figures: list[str]  # every figure found, as written
    quality_score: float


# --- metrics -----------------------------------------------------------------------------------

GroupBy = Literal["seller", "team", "role"]


class TrendPoint(BaseModel):
    month: str  # YYYY-MM
    interactions: int
    mean_score: float


class GroupMetrics(BaseModel):
    key: str
    label: str
    interactions: int
    mean_score: float
    expansion_share: float | None  # expansion questions over all questions asked
    quantified_per_interaction: float
    trend: list[TrendPoint]
    deals_worked: int
    deals_closed: int
    win_rate: float | None
    price_realisation: Decimal | None  # net / list over won deals' lines (None: no money)


class MetricsOut(BaseModel):
    group_by: GroupBy
    since: date
    groups: list[GroupMetrics]
    sees_money: bool
