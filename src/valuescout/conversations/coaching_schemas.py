"""Coaching sessions in and out, and the effectiveness view's shapes."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool

from valuescout.conversations.coaching_effect import FOCUSES
from valuescout.core.text import TRIMMED
from valuescout.deals.schema_types import DbId, IsoDate

MAX_ACTIONS = 10


def _known_focus(value: str) -> str:
    if value not in FOCUSES:
        raise ValueError(f"unknown focus '{value[:40]}'; choose one of: {', '.join(FOCUSES)}")
    return value


FocusKey = Annotated[
    str, Field(max_length=40, description=f"one of: {', '.join(FOCUSES)}"),
    AfterValidator(_known_focus),
]  # fmt: skip


class ActionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: Annotated[str, Field(min_length=1, max_length=300), TRIMMED]
    due_on: IsoDate


class SessionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    seller_id: DbId
    held_on: IsoDate
    focus: FocusKey
    notes: Annotated[str, Field(max_length=8000)] = ""
    actions: Annotated[list[ActionIn], Field(max_length=MAX_ACTIONS)] = []


class ActionDoneIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    done: StrictBool


class ActionOut(BaseModel):
    id: int
    text: str
    due_on: date
    done: bool
    done_on: date | None
    overdue: bool


class SessionOut(BaseModel):
    id: int
    seller_id: int
    seller_name: str
    coach_id: int | None
    coach_name: str | None
    held_on: date
    focus: str
    focus_label: str
    metric: str
    notes: str
    actions: list[ActionOut]


class DueActionOut(ActionOut):
    session_id: int
    seller_name: str
    focus_label: str


class SummaryOut(BaseModel):
    """A focus's sessions, overall (coach_id null) or one coach's: means of the readable
    sessions' cells; `effect` = (coached after - before) - (comparison after - before)."""

    focus: str
    focus_label: str
    metric: str
    metric_label: str
    unit: str
    coach_id: int | None
    coach_name: str | None
    sessions: int
    readable_sessions: int
    coached_before: float | None
    coached_after: float | None
    comparison_before: float | None
    comparison_after: float | None
    effect: float | None
    interactions_coached_before: int
    interactions_coached_after: int
    interactions_comparison_before: int
    interactions_comparison_after: int
    note: str | None


class SessionEffectOut(BaseModel):
    session_id: int
    focus: str
    readable: bool
    coached_before: float | None
    coached_after: float | None
    comparison_before: float | None
    comparison_after: float | None
    effect: float | None
    interactions_coached_before: int
    interactions_coached_after: int
    interactions_comparison_before: int
    interactions_comparison_after: int
    comparison_sellers: int


class EffectivenessOut(BaseModel):
    window_days: int
    as_of: date
    min_coached: int
    min_comparison: int
    overall: list[SummaryOut]
    by_coach: list[SummaryOut]
