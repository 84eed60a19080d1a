"""Maturity assessments: rounds, respondents' answers, results.

A round is opened and closed by those who run assessments; while open, any signed-in user
answers it one domain at a time. An answer row per respondent and indicator (`answer` NULL:
"don't know"); the domains a respondent has saved are the domains their rows cover, so a
respondent resumes at the first domain without rows. Closing a round stores its scored result
and the evidence of that day, so the journey compares rounds as they were.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, SmallInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from valuescout.core.models import Base, UtcDateTime, utcnow


class MaturityRound(Base):
    __tablename__ = "maturity_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    content_version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(8), default="open", index=True)  # open | closed
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    opened_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    closed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    # schemas.MaturityResultOut as JSON, stored when the round closes (None while open).
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)


class MaturityAnswer(Base):
    __tablename__ = "maturity_answers"
    __table_args__ = (UniqueConstraint("round_id", "respondent_id", "indicator_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("maturity_rounds.id", ondelete="CASCADE"), index=True
    )
    respondent_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    domain: Mapped[str] = mapped_column(String(40))
    indicator_id: Mapped[str] = mapped_column(String(80))
    answer: Mapped[int | None] = mapped_column(SmallInteger, default=None)  # None: don't know
    answered_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
