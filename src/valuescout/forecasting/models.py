"""Forecast snapshots (every method's probability per open deal, frozen at a moment, for a
period) and quotas per team and period.

A snapshot keeps one row per deal with each method's probability and the deal as it was
(amount, close date, owner and team), so accuracy can be measured once the period closes,
whatever happens to the deal later; a deleted deal keeps its row (`opportunity_id` NULL).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from valuescout.core.models import Base, UtcDateTime, utcnow
from valuescout.deals.models import Money, Ratio


class ForecastSnapshot(Base):
    __tablename__ = "forecast_snapshots"

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(10), index=True)  # "2026-Q4"
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    as_of: Mapped[date] = mapped_column(Date)  # the day the forecast describes
    taken_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(String(12), default="manual")  # manual|scheduled|backfill
    taken_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    currency: Mapped[str] = mapped_column(String(3))
    # Bookings already won in the period when the snapshot was taken (every method adds them).
    won_before: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))


class ForecastSnapshotDeal(Base):
    __tablename__ = "forecast_snapshot_deals"

    id: Mapped[int] = mapped_column(primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(
        ForeignKey("forecast_snapshots.id", ondelete="CASCADE"), index=True
    )
    opportunity_id: Mapped[int | None] = mapped_column(
        ForeignKey("opportunities.id", ondelete="SET NULL"), index=True, default=None
    )
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("teams.id", ondelete="SET NULL"), default=None
    )
    amount: Mapped[Decimal] = mapped_column(Money)
    close_date: Mapped[date | None] = mapped_column(Date, default=None)
    stage_id: Mapped[int | None] = mapped_column(Integer, default=None)
    p_stage: Mapped[Decimal] = mapped_column(Ratio)
    p_fit: Mapped[Decimal | None] = mapped_column(Ratio, default=None)
    p_value: Mapped[Decimal | None] = mapped_column(Ratio, default=None)
    p_trained: Mapped[Decimal | None] = mapped_column(Ratio, default=None)
    fit_score: Mapped[float | None] = mapped_column(Float, default=None)
    engagement_score: Mapped[float | None] = mapped_column(Float, default=None)


class ForecastQuota(Base):
    __tablename__ = "forecast_quotas"
    __table_args__ = (UniqueConstraint("team_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(10))  # "2026-Q4"
    amount: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3))
