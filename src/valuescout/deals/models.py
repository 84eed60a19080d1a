"""Accounts, contacts, products, opportunities with line items and history, and value cases.

Money is stored as NUMERIC(18, 2) and read as Decimal. An opportunity's owner decides who
may see it (identity/scope.py); its team is the owner's team when the deal was created, so
roll-ups do not move when a seller changes teams.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Computed,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from valuescout.core.models import Base, TimestampMixin, UtcDateTime, utcnow

Money = Numeric(18, 2, asdecimal=True)
Ratio = Numeric(6, 4, asdecimal=True)


class Stage(Base):
    """One step of the configurable sales process, with its default win probability."""

    __tablename__ = "deal_stages"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    name_key: Mapped[str] = mapped_column(String(80), unique=True)
    position: Mapped[int] = mapped_column(Integer)
    probability: Mapped[Decimal] = mapped_column(Ratio)
    outcome: Mapped[str] = mapped_column(String(8), default="open")  # open | won | lost


class DealSettings(Base):
    """Company-wide figures the value case uses (one row, id 1)."""

    __tablename__ = "deal_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    margin_floor: Mapped[Decimal] = mapped_column(Ratio)  # lowest gross margin share allowed
    discount_rate: Mapped[Decimal] = mapped_column(Ratio)  # default NPV rate for value cases
    target_share: Mapped[Decimal] = mapped_column(Ratio)  # share of differential value we ask
    currency: Mapped[str] = mapped_column(String(3))


class Account(TimestampMixin, Base):
    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str | None] = mapped_column(String(100), unique=True, default=None)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), unique=True)
    industry: Mapped[str] = mapped_column(String(100), default="")
    annual_revenue: Mapped[Decimal | None] = mapped_column(Money, default=None)
    employees: Mapped[int | None] = mapped_column(Integer, default=None)
    region: Mapped[str] = mapped_column(String(100), default="")
    territory: Mapped[str] = mapped_column(String(100), default="")
    country: Mapped[str] = mapped_column(String(100), default="")
    year_established: Mapped[int | None] = mapped_column(Integer, default=None)
    parent_name: Mapped[str] = mapped_column(String(200), default="")
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), index=True, default=None
    )
    # Ideal-customer-profile attributes the company scores fit on (tech stack, growth, ...).
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Contact(TimestampMixin, Base):
    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(320), default="")
    buying_role: Mapped[str] = mapped_column(String(20), default="unknown")
    is_ally: Mapped[bool] = mapped_column(Boolean, default=False)
    persona_id: Mapped[int | None] = mapped_column(
        ForeignKey("value_network_personas.id", ondelete="SET NULL"), index=True, default=None
    )


class Product(TimestampMixin, Base):
    __tablename__ = "products"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), unique=True)
    family: Mapped[str] = mapped_column(String(100), default="")
    list_price: Mapped[Decimal] = mapped_column(Money)
    unit_cost: Mapped[Decimal | None] = mapped_column(Money, default=None)
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    value_network_id: Mapped[int | None] = mapped_column(
        ForeignKey("value_networks.id", ondelete="SET NULL"), default=None
    )


class Opportunity(TimestampMixin, Base):
    __tablename__ = "opportunities"
    # The pipeline reads these instead of the table (bench/deals_pipeline.py, 100,000 deals):
    # its default order with stage and owner filters checked in the index; per stage the
    # counts and amounts of its totals; per owner (a seller's, a team's deals) both.
    __table_args__ = (
        Index("ix_opportunities_close", "close_date", "id", "stage_id", "owner_id"),
        Index("ix_opportunities_stage_totals", "stage_id", "probability", "amount", "close_date"),
        Index(
            "ix_opportunities_owner_close",
            "owner_id",
            "close_date",
            "stage_id",
            "probability",
            "amount",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str | None] = mapped_column(String(100), unique=True, default=None)
    name: Mapped[str] = mapped_column(String(200))
    # For case-insensitive search, computed by the database so every writer (COPY included)
    # keeps it. Stored on PostgreSQL, where lower() on every row was most of a search's cost;
    # virtual on SQLite (migration 0004), whose LIKE already ignores ASCII case, so the search
    # reads `name` there.
    name_key: Mapped[str] = mapped_column(String(200), Computed("lower(name)", persisted=True))
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="RESTRICT"), index=True, default=None
    )
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("teams.id", ondelete="RESTRICT"), index=True, default=None
    )
    stage_id: Mapped[int] = mapped_column(ForeignKey("deal_stages.id", ondelete="RESTRICT"))
    probability: Mapped[Decimal | None] = mapped_column(Ratio, default=None)  # None: stage's
    close_date: Mapped[date | None] = mapped_column(Date, default=None)
    engaged_on: Mapped[date | None] = mapped_column(Date, default=None)
    deal_type: Mapped[str] = mapped_column(String(12), default="new")
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    # The deal's value: the sum of its line items' net amounts when it has any.
    amount: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"), index=True)
    value_network_id: Mapped[int | None] = mapped_column(
        ForeignKey("value_networks.id", ondelete="SET NULL"), index=True, default=None
    )
    alternative_kind: Mapped[str] = mapped_column(String(12), default="unknown")
    alternative_name: Mapped[str] = mapped_column(String(200), default="")
    competitor_id: Mapped[int | None] = mapped_column(
        ForeignKey("value_network_competitors.id", ondelete="SET NULL"), default=None
    )
    alternative_price: Mapped[Decimal | None] = mapped_column(Money, default=None)
    rfp_class: Mapped[str] = mapped_column(String(16), default="none")
    description: Mapped[str] = mapped_column(Text, default="")
    # Buyer engagement the forecast reads: the last meeting with the customer, and whether
    # the customer agreed a mutual plan (their own steps to a decision, with dates).
    last_meeting_on: Mapped[date | None] = mapped_column(Date, default=None)
    mutual_plan: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class LineItem(Base):
    __tablename__ = "opportunity_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    opportunity_id: Mapped[int] = mapped_column(
        ForeignKey("opportunities.id", ondelete="CASCADE"), index=True
    )
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="RESTRICT"))
    quantity: Mapped[Decimal] = mapped_column(Numeric(14, 3, asdecimal=True))
    list_price: Mapped[Decimal] = mapped_column(Money)  # per unit, copied when added
    net_price: Mapped[Decimal] = mapped_column(Money)  # per unit, after discount
    unit_cost: Mapped[Decimal | None] = mapped_column(Money, default=None)


class OpportunityChange(Base):
    """One change of stage, amount or close date, kept with its time (and who made it)."""

    __tablename__ = "opportunity_changes"
    __table_args__ = (Index("ix_opportunity_changes_opp_at", "opportunity_id", "changed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("opportunities.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(String(16))  # stage | amount | close_date
    old_value: Mapped[str | None] = mapped_column(String(100), default=None)
    new_value: Mapped[str | None] = mapped_column(String(100), default=None)
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )


class ValueCase(TimestampMixin, Base):
    """The deal-level quantification of value against the next-best alternative."""

    __tablename__ = "value_cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    opportunity_id: Mapped[int] = mapped_column(
        ForeignKey("opportunities.id", ondelete="CASCADE"), unique=True
    )
    discount_rate: Mapped[Decimal] = mapped_column(Ratio)
    target_share: Mapped[Decimal] = mapped_column(Ratio)
    # Assumptions are shown to the customer; internal notes never are.
    assumptions: Mapped[str] = mapped_column(Text, default="")
    internal_notes: Mapped[str] = mapped_column(Text, default="")


class ValueOutcome(Base):
    """An outcome in play: a yearly money value the customer gets (or loses) with us."""

    __tablename__ = "value_case_outcomes"

    id: Mapped[int] = mapped_column(primary_key=True)
    value_case_id: Mapped[int] = mapped_column(
        ForeignKey("value_cases.id", ondelete="CASCADE"), index=True
    )
    network_outcome_id: Mapped[int | None] = mapped_column(
        ForeignKey("value_network_nodes.id", ondelete="SET NULL"), default=None
    )
    name: Mapped[str] = mapped_column(String(200))
    # "against": negative differentiation (switching cost, where the alternative is better).
    direction: Mapped[str] = mapped_column(String(8), default="for")
    yearly_value: Mapped[Decimal] = mapped_column(Money)
    recurrence: Mapped[str] = mapped_column(String(10), default="recurring")
    years: Mapped[int] = mapped_column(Integer, default=1)
    confidence: Mapped[Decimal] = mapped_column(Ratio)
    state: Mapped[str] = mapped_column(String(12), default="hypothesised")
    evidence_source: Mapped[str] = mapped_column(String(200), default="")
    evidence_note: Mapped[str] = mapped_column(Text, default="")
    persona_id: Mapped[int | None] = mapped_column(
        ForeignKey("value_network_personas.id", ondelete="SET NULL"), default=None
    )
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL"), default=None
    )
    position: Mapped[int] = mapped_column(Integer, default=0)


__all__ = [
    "Account",
    "Contact",
    "DealSettings",
    "LineItem",
    "Opportunity",
    "OpportunityChange",
    "Product",
    "Stage",
    "ValueCase",
    "ValueOutcome",
]
