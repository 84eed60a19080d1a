"""Value-gap discoveries and their review.

Anyone customer-facing logs what a customer wants to achieve and what it is worth to them;
an editor of the value network then attaches it to an existing outcome, creates a new
outcome for it, or declines it with a reason. `customer_name` keeps the name as logged so
the product-ideas list reads the same after an account is renamed or removed.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from valuescout.core.models import Base, TimestampMixin, UtcDateTime
from valuescout.deals.models import Money


class Discovery(TimestampMixin, Base):
    __tablename__ = "discoveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL"), index=True, default=None
    )
    customer_name: Mapped[str] = mapped_column(String(200))
    situation: Mapped[str] = mapped_column(Text)
    desired_outcome: Mapped[str] = mapped_column(String(300))
    value_hint: Mapped[str] = mapped_column(Text, default="")
    value_amount: Mapped[Decimal | None] = mapped_column(Money, default=None)
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    # The theme groups unmet gaps into product ideas; blank groups by the desired outcome.
    theme: Mapped[str] = mapped_column(String(120), default="")
    network_id: Mapped[int | None] = mapped_column(
        ForeignKey("value_networks.id", ondelete="SET NULL"), index=True, default=None
    )
    status: Mapped[str] = mapped_column(String(12), default="new", index=True)
    # How an accepted discovery entered the network: attached | created
    resolution: Mapped[str | None] = mapped_column(String(12), default=None)
    outcome_id: Mapped[int | None] = mapped_column(
        ForeignKey("value_network_nodes.id", ondelete="SET NULL"), index=True, default=None
    )
    decline_reason: Mapped[str | None] = mapped_column(String(24), default=None)
    review_note: Mapped[str] = mapped_column(Text, default="")
    reported_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True, default=None
    )
    reviewed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    reviewed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
