"""JSON shapes of the forecast: per method the expected bookings and the range, the deals with
every method's probability and the factors behind them, and the teams below."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from valuescout.deals.schema_types import MoneyIn


class MethodOut(BaseModel):
    method: str = Field(description="stage, fit_engagement, value or trained")
    label: str
    available: bool
    reason: str | None = Field(description="why the method is unavailable")
    expected: float | None = Field(description="won so far + the open deals' expected value")
    p10: float | None
    p50: float | None
    p90: float | None
    sd: float | None
    commit: float | None = Field(description="won so far + open deals with p >= 0.7")
    best_case: float | None = Field(description="commit + open deals with 0.3 <= p < 0.7")
    chance_of_quota: float | None
    coverage: float | None = Field(description="expected / quota")
    distribution: str | None = Field(description="exact, grid or monte carlo")


class FactorOut(BaseModel):
    column: str
    value: str
    contribution: float = Field(description="push on the log-odds against the average deal")


class DealOut(BaseModel):
    opportunity_id: int
    name: str
    account_name: str | None
    owner_name: str
    stage_name: str
    amount: float
    close_date: date | None
    overdue: bool
    fit: float = Field(description="fit to the ideal customer profile, 0..100")
    engagement: float = Field(description="buyer engagement, 0..100")
    probabilities: dict[str, float | None]
    factors: list[FactorOut] = Field(description="the history-trained model's largest pushes")


class TeamTotalOut(BaseModel):
    team_id: int
    name: str
    won: float
    expected: dict[str, float | None]


class ForecastOut(BaseModel):
    period: str
    start: date
    end: date
    as_of: date
    figures_at: datetime = Field(description="when these figures were computed (shared briefly)")
    team_id: int | None
    team_name: str
    currency: str
    won: float = Field(description="bookings already won in the period")
    open_amount: float
    quota: float | None
    deal_count: int
    methods: list[MethodOut]
    deals: list[DealOut] = Field(description="the largest open deals, at most 200")
    teams: list[TeamTotalOut] = Field(description="the teams one level down")
    closed_deals_learned_from: int


class PeriodMethodOut(BaseModel):
    forecast: float | None
    error_pct: float | None = Field(description="(forecast - actual) / actual")
    brier: float | None
    auc: float | None


class PeriodAccuracyOut(BaseModel):
    period: str
    as_of: date = Field(description="the day of the snapshot compared")
    kind: str
    actual: float = Field(description="bookings won in the period")
    deals: int = Field(description="open deals in the snapshot")
    methods: dict[str, PeriodMethodOut]


class BinOut(BaseModel):
    lower: float
    upper: float
    count: int
    mean_predicted: float
    fraction_won: float


class MethodAccuracyOut(BaseModel):
    method: str
    label: str
    wape: float | None = Field(description="sum |forecast - actual| / sum actual")
    bias: float | None = Field(description="(sum forecast - sum actual) / sum actual")
    hit_rate: float | None = Field(description="share of periods within 10% of actual")
    brier: float | None = Field(description="over every deal of every snapshot")
    auc: float | None
    calibration: list[BinOut]


class AccuracyOut(BaseModel):
    team_id: int | None
    team_name: str
    currency: str
    periods: list[PeriodAccuracyOut]
    methods: list[MethodAccuracyOut]
    most_accurate: str | None = Field(description="the method with the lowest WAPE")


# --- snapshots, quotas, teams to choose from -------------------------------------------------

PeriodLabel = Annotated[
    str, Field(pattern=r"^(19|20|21)[0-9]{2}-Q[1-4]$", examples=["2026-Q4"], description="YYYY-Qn")
]


class SnapshotIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    period: PeriodLabel


class SnapshotOut(BaseModel):
    id: int
    period: str
    as_of: date
    kind: str = Field(description="manual, scheduled or backfill")
    deals: int = Field(description="rows frozen: open deals expected in the period + won ones")


class SnapshotRowOut(BaseModel):
    id: int
    period: str
    as_of: date
    kind: str
    taken_at: datetime
    deals: int = Field(description="the snapshot's deals owned by people the caller may see")


class QuotaIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    amount: MoneyIn = Field(description="the quota in the company's currency")


class QuotaOut(BaseModel):
    team_id: int
    period: str
    amount: Decimal
    currency: str


class TeamChoice(BaseModel):
    team_id: int
    name: str
    depth: int = Field(description="0 for the top team the caller sees, 1 below it, ...")
