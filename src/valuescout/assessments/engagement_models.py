"""Customer willingness-to-engage assessments and sales-reputation snapshots.

A willingness assessment belongs to an account or to an opportunity (exactly one); each is
kept with its time, so a record has a history and the latest one counts. The answers are
stored as given, with the scores they gave, so a later change of the scoring rules does not
rewrite the past.

A reputation snapshot is one quarter's scorecard as computed at a moment, for the company
(`team_id` NULL) or for a manager's team; the trend reads the latest snapshot per quarter.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from valuescout.core.models import Base, UtcDateTime, utcnow
from valuescout.deals.models import Money, Ratio


class WillingnessAssessment(Base):
    __tablename__ = "willingness_assessments"
    __table_args__ = (
        CheckConstraint("(account_id IS NULL) <> (opportunity_id IS NULL)", name="one_subject"),
        Index("ix_willingness_account_at", "account_id", "assessed_at"),
        Index("ix_willingness_opportunity_at", "opportunity_id", "assessed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), default=None
    )
    opportunity_id: Mapped[int | None] = mapped_column(
        ForeignKey("opportunities.id", ondelete="CASCADE"), default=None
    )
    assessed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    assessed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    newness: Mapped[int] = mapped_column(Integer)  # 0..100
    risk: Mapped[int] = mapped_column(Integer)
    willingness: Mapped[int] = mapped_column(Integer)
    quadrant: Mapped[str] = mapped_column(String(24))
    model: Mapped[str] = mapped_column(String(24))
    note: Mapped[str] = mapped_column(String(500), default="")


class ReputationSnapshot(Base):
    __tablename__ = "reputation_snapshots"
    __table_args__ = (Index("ix_reputation_snapshots_period", "period", "team_id", "taken_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(10))  # "2026-Q4"
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), default=None
    )  # None: the whole company
    taken_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    taken_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    threshold: Mapped[Decimal] = mapped_column(Ratio)
    rfps: Mapped[int] = mapped_column(Integer)
    shaped: Mapped[int] = mapped_column(Integer)
    crowded: Mapped[int] = mapped_column(Integer)
    won: Mapped[int] = mapped_column(Integer)
    lost: Mapped[int] = mapped_column(Integer)
    won_priced: Mapped[int] = mapped_column(Integer)
    above_threshold: Mapped[int] = mapped_column(Integer)
    list_total: Mapped[Decimal] = mapped_column(Money)
    net_total: Mapped[Decimal] = mapped_column(Money)
    confirmed_won: Mapped[int] = mapped_column(Integer)
