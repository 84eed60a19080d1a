"""Shapes of the maturity assessment: answers in, scores, results, rounds and journeys out.

The scored result (`MaturityResultOut`) is also what a closed round stores, so a later round can
be compared with it whatever the content or the answers do afterwards."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from valuescout.assessments.maturity_content import Content

LevelName = Literal["average", "good", "great", "elite"]
LevelStatus = Literal["reached", "not_reached", "not_enough_answers"]
IndicatorId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,79}$")]


class EvidenceOut(BaseModel):
    """One data-backed indicator, read from ValueScout's own data."""

    id: str
    title: str
    value: str = Field(description="the figure, in words and numbers")
    meaning: str = Field(description="what the figure says about the practice")
    period: str = Field(description="the data the figure is computed from")
    supports: bool | None = Field(description="True: the data shows the practice; None: no data")
    basis: int = Field(0, description="how many records the figure rests on")


class IndicatorScoreOut(BaseModel):
    id: str
    domain: str
    level: str
    text: str
    world_class: bool
    evidence_id: str | None
    answers: list[int] = Field(description="every respondent's answer, lowest first")
    dont_know: int = Field(0, description="respondents who said they do not know")
    median: float | None
    mean: float | None
    spread: int | None = Field(description="highest minus lowest answer")
    disagreement: bool
    met: bool | None = Field(description="None: no answers and no evidence")
    met_by: Literal["answers", "evidence"] | None
    shortfall: float | None = Field(description="how far the median is below the threshold")


class LevelScoreOut(BaseModel):
    level: str
    total: int
    decided: int = Field(description="indicators with answers or deciding evidence")
    met: int
    share_met: float | None
    status: LevelStatus
    counts: bool = Field(description="reached, and every level below counts too")


class DomainScoreOut(BaseModel):
    id: str
    title: str
    level: LevelName
    next_level: str | None
    position: float = Field(description="level reached plus the share met of the next (radar)")
    levels: list[LevelScoreOut]
    indicators: list[IndicatorScoreOut]
    next_steps: list[IndicatorScoreOut] = Field(description="the next level's unmet indicators")


class MaturityResultOut(BaseModel):
    content_version: int
    respondents: int
    overall: LevelName = Field(description="the lowest level among the domains")
    domains: list[DomainScoreOut]
    gaps: list[IndicatorScoreOut] = Field(description="the biggest gaps, largest first")
    disagreements: list[IndicatorScoreOut]
    evidence: list[EvidenceOut] = []
    rules: dict[str, float | bool]


class DomainChangeOut(BaseModel):
    domain: str
    title: str
    before: LevelName
    after: LevelName
    change: int = Field(description="levels gained (negative: lost)")


class JourneyStepOut(BaseModel):
    round_id: int
    title: str
    closed_at: datetime | None
    previous_round_id: int | None
    overall: LevelName
    levels: dict[str, LevelName]
    positions: dict[str, float] = Field(description="each domain's radar position")
    changes: list[DomainChangeOut]
    newly_met: list[str]
    lost: list[str]


class JourneyOut(BaseModel):
    steps: list[JourneyStepOut]


# --- rounds and answers -----------------------------------------------------------------------


class RoundIn(BaseModel):
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class RoundOut(BaseModel):
    id: int
    title: str
    status: Literal["open", "closed"]
    content_version: int
    opened_at: datetime
    closed_at: datetime | None
    respondents: int | None = Field(None, description="only for who sees results")
    overall: LevelName | None = Field(None, description="stored when the round closed")


class DomainAnswersIn(BaseModel):
    """One domain's answers; null means "don't know" (counted as missing, never as zero)."""

    answers: dict[IndicatorId, int | None] = Field(max_length=200)


class ProgressOut(BaseModel):
    round_id: int
    domains_done: list[str]
    next_domain: str | None = Field(description="where to resume; None when all are done")
    answers: dict[str, int | None]


class AnswerFileOut(BaseModel):
    """What the CLI prints for an answers file."""

    source: str
    respondents: list[str]
    result: MaturityResultOut
    scored_on: date


class IndicatorOut(BaseModel):
    id: str
    level: str
    text: str
    world_class: bool
    evidence: str | None


class DomainOut(BaseModel):
    id: str
    title: str
    question: str
    indicators: list[IndicatorOut]


class ContentOut(BaseModel):
    version: int
    scale_min: int
    scale_max: int
    scale_labels: dict[int, str]
    domains: list[DomainOut]

    @classmethod
    def of(cls, content: Content) -> ContentOut:
        return cls(
            version=content.version,
            scale_min=content.scale.low,
            scale_max=content.scale.high,
            scale_labels=content.scale.labels,
            domains=[
                DomainOut(
                    id=d.id,
                    title=d.title,
                    question=d.question,
                    indicators=[
                        IndicatorOut(id=i.id, level=i.level, text=i.text,
                                     world_class=i.world_class, evidence=i.evidence)
                        for i in d.indicators
                    ],
                )
                for d in content.domains
            ],
        )  # fmt: skip
