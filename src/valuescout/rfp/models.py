"""RFP records on opportunities.

One opportunity may see several RFPs over its life (a re-issued tender, a second round); the
latest by receipt date decides the opportunity's own `rfp_class`, which the deals service
keeps in step (rfp/service.py).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from valuescout.core.models import Base, TimestampMixin


class RfpRecord(TimestampMixin, Base):
    __tablename__ = "rfps"

    id: Mapped[int] = mapped_column(primary_key=True)
    opportunity_id: Mapped[int] = mapped_column(
        ForeignKey("opportunities.id", ondelete="CASCADE"), index=True
    )
    # deals.terms.RfpClass without NONE: unknown | known | contents | shaped
    engagement_class: Mapped[str] = mapped_column(String(16))
    received_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date, default=None)
    submitted_on: Mapped[date | None] = mapped_column(Date, default=None)
    decided_on: Mapped[date | None] = mapped_column(Date, default=None)
    outcome: Mapped[str] = mapped_column(String(12), default="pending")
    competitors_responding: Mapped[int | None] = mapped_column(Integer, default=None)
    # Requirements written by the customer or its consultant, not shaped with us.
    customer_written: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    notes: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
