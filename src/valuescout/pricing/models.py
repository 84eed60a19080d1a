"""Price desk records: policy versions, price requests with their frozen evidence and
decision, per-line requested prices, the append-only event log, and approver delegations."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from valuescout.core.models import Base, UtcDateTime, utcnow

Money = Numeric(18, 2, asdecimal=True)
Ratio = Numeric(6, 4, asdecimal=True)


class PricePolicy(Base):
    """One version of the written policy. Rows are never changed: applying a policy adds a
    version, and the highest version is the one in force."""

    __tablename__ = "price_policies"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, unique=True)
    name: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(Text)  # the YAML as the admin wrote it
    note: Mapped[str] = mapped_column(String(500), default="")
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    created_by_email: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class PriceRequest(Base):
    __tablename__ = "price_requests"
    __table_args__ = (
        UniqueConstraint("requester_id", "idempotency_key"),
        # An approver's queue: pending requests waiting for their role, oldest first.
        Index("ix_price_requests_queue", "state", "waiting_role", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # RESTRICT: a deal with price decisions is evidence; close it as lost instead of deleting.
    opportunity_id: Mapped[int] = mapped_column(
        ForeignKey("opportunities.id", ondelete="RESTRICT"), index=True
    )
    requester_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), index=True
    )
    # The deal's owner when asked: whose scope the request falls in.
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    replaces_id: Mapped[int | None] = mapped_column(
        ForeignKey("price_requests.id", ondelete="SET NULL"), default=None
    )
    policy_id: Mapped[int | None] = mapped_column(
        ForeignKey("price_policies.id", ondelete="RESTRICT"), default=None
    )
    state: Mapped[str] = mapped_column(String(12))
    step: Mapped[int] = mapped_column(Integer, default=0)
    waiting_role: Mapped[str | None] = mapped_column(String(16), default=None)  # route[step]
    route: Mapped[list[str]] = mapped_column(JSON, default=list)  # approver roles, in order
    reason: Mapped[str] = mapped_column(String(24))
    justification: Mapped[str] = mapped_column(Text)
    currency: Mapped[str] = mapped_column(String(3))
    list_price: Mapped[Decimal] = mapped_column(Money)  # the deal at list
    price_before: Mapped[Decimal] = mapped_column(Money)  # the deal's price when asked
    requested_price: Mapped[Decimal] = mapped_column(Money)
    requested_discount: Mapped[Decimal | None] = mapped_column(Ratio, default=None)
    counter_price: Mapped[Decimal | None] = mapped_column(Money, default=None)
    approved_price: Mapped[Decimal | None] = mapped_column(Money, default=None)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON)  # frozen when asked
    decision: Mapped[dict[str, Any]] = mapped_column(JSON)  # the policy's trace
    idempotency_key: Mapped[str | None] = mapped_column(String(100), default=None)
    request_hash: Mapped[str] = mapped_column(String(64))  # what the key was used for
    version: Mapped[int] = mapped_column(Integer, default=1)  # compare-and-set on decisions
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)


class PriceRequestLine(Base):
    """A line's requested unit price, for requests made per line (copied, so later edits of
    the deal's lines do not change what was asked)."""

    __tablename__ = "price_request_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("price_requests.id", ondelete="CASCADE"), index=True
    )
    line_id: Mapped[int | None] = mapped_column(Integer, default=None)  # the deal's line then
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="RESTRICT"))
    quantity: Mapped[Decimal] = mapped_column(Numeric(14, 3, asdecimal=True))
    list_price: Mapped[Decimal] = mapped_column(Money)
    net_price_before: Mapped[Decimal] = mapped_column(Money)
    requested_net_price: Mapped[Decimal] = mapped_column(Money)


class PriceRequestEvent(Base):
    """Append-only: what happened to a request, by whom (and for whom, when delegated)."""

    __tablename__ = "price_request_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("price_requests.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    action: Mapped[str] = mapped_column(String(16))  # submit, route, approve, reject, ...
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    actor_email: Mapped[str] = mapped_column(String(320))
    on_behalf_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    role: Mapped[str] = mapped_column(String(16), default="")  # the step's approver role
    step: Mapped[int | None] = mapped_column(Integer, default=None)
    price: Mapped[Decimal | None] = mapped_column(Money, default=None)
    comment: Mapped[str] = mapped_column(Text, default="")
    state_after: Mapped[str] = mapped_column(String(12))


class PriceDelegation(Base):
    """While `approver` is away (from `starts_on` to `ends_on`, inclusive), `delegate` may
    decide what the approver could."""

    __tablename__ = "price_delegations"

    id: Mapped[int] = mapped_column(primary_key=True)
    approver_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    delegate_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
