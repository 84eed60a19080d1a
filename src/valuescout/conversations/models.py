"""Call plans and interactions (with their value-quality parts).

A call plan prepares one meeting on an opportunity: who attends (contacts, hence personas),
the goal, value hypotheses and expansion questions drawn from the deal's value network, the
outcomes to quantify and what a good result looks like. Its items are copied text, so the
plan reads the same after the network changes.

An interaction records a meeting (or call, email, visit, event) after it happened. The
counts on the row are what the value-quality score and the coaching views read; the child
rows keep the details behind them (which questions, which contacts, which outcomes).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, Float, ForeignKey, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from valuescout.core.models import Base, UtcDateTime, utcnow
from valuescout.deals.models import Money

INTERACTION_KINDS = ("meeting", "call", "email", "visit", "event")
QUESTION_KINDS = ("expansion", "qualification")
OUTCOME_KINDS = ("business", "personal")
PLAN_ITEM_KINDS = ("hypothesis", "question", "quantify")


class CallPlan(Base):
    __tablename__ = "call_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    opportunity_id: Mapped[int] = mapped_column(
        ForeignKey("opportunities.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    meeting_on: Mapped[date] = mapped_column(Date)
    goal: Mapped[str] = mapped_column(Text, default="")
    good_result: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    shared_with_manager: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    shared_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)


class CallPlanAttendee(Base):
    __tablename__ = "call_plan_attendees"

    call_plan_id: Mapped[int] = mapped_column(
        ForeignKey("call_plans.id", ondelete="CASCADE"), primary_key=True
    )
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)


class CallPlanItem(Base):
    """A value hypothesis, a suggested question or an outcome to quantify, in plan order."""

    __tablename__ = "call_plan_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_plan_id: Mapped[int] = mapped_column(
        ForeignKey("call_plans.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(12))  # hypothesis | question | quantify
    text: Mapped[str] = mapped_column(Text)
    outcome_id: Mapped[int | None] = mapped_column(
        ForeignKey("value_network_nodes.id", ondelete="SET NULL"), default=None
    )
    persona_id: Mapped[int | None] = mapped_column(
        ForeignKey("value_network_personas.id", ondelete="SET NULL"), default=None
    )
    position: Mapped[int] = mapped_column(Integer, default=0)


class Interaction(Base):
    __tablename__ = "interactions"

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    # The author's team when recorded, so team trends do not move when a seller changes teams.
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("teams.id", ondelete="SET NULL"), index=True, default=None
    )
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL"), index=True, default=None
    )
    opportunity_id: Mapped[int | None] = mapped_column(
        ForeignKey("opportunities.id", ondelete="SET NULL"), index=True, default=None
    )
    call_plan_id: Mapped[int | None] = mapped_column(
        ForeignKey("call_plans.id", ondelete="SET NULL"), index=True, default=None
    )
    occurred_on: Mapped[date] = mapped_column(Date, index=True)
    kind: Mapped[str] = mapped_column(String(12))  # meeting | call | email | visit | event
    notes: Mapped[str] = mapped_column(Text, default="")
    quality_score: Mapped[float | None] = mapped_column(Float, default=None)  # 0-100
    insights_offered: Mapped[int] = mapped_column(Integer, default=0)
    expansion_questions: Mapped[int] = mapped_column(Integer, default=0)
    qualification_questions: Mapped[int] = mapped_column(Integer, default=0)
    allies_added: Mapped[int] = mapped_column(Integer, default=0)
    business_outcomes: Mapped[int] = mapped_column(Integer, default=0)
    personal_outcomes: Mapped[int] = mapped_column(Integer, default=0)
    quantified_outcomes: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # Whether logging it moved the deal's last meeting forward, and from which day (None: the
    # deal had none): deleting it or moving its day puts the deal's last meeting back.
    moved_last_meeting: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    last_meeting_before: Mapped[date | None] = mapped_column(Date, default=None)


class InteractionInsight(Base):
    __tablename__ = "interaction_insights"

    id: Mapped[int] = mapped_column(primary_key=True)
    interaction_id: Mapped[int] = mapped_column(
        ForeignKey("interactions.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)


class InteractionQuestion(Base):
    __tablename__ = "interaction_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    interaction_id: Mapped[int] = mapped_column(
        ForeignKey("interactions.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))  # expansion | qualification
    category: Mapped[str] = mapped_column(String(32), default="")


class InteractionStakeholder(Base):
    """A person met or added to the buying team; an ally is someone who now argues our case."""

    __tablename__ = "interaction_stakeholders"

    id: Mapped[int] = mapped_column(primary_key=True)
    interaction_id: Mapped[int] = mapped_column(
        ForeignKey("interactions.id", ondelete="CASCADE"), index=True
    )
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL"), index=True, default=None
    )
    name: Mapped[str] = mapped_column(String(200), default="")
    title: Mapped[str] = mapped_column(String(200), default="")
    is_ally: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class InteractionOutcome(Base):
    """An outcome the customer named: a network outcome node, or new text; with its amount
    when the customer put a figure on it."""

    __tablename__ = "interaction_outcomes"

    id: Mapped[int] = mapped_column(primary_key=True)
    interaction_id: Mapped[int] = mapped_column(
        ForeignKey("interactions.id", ondelete="CASCADE"), index=True
    )
    outcome_id: Mapped[int | None] = mapped_column(
        ForeignKey("value_network_nodes.id", ondelete="SET NULL"), index=True, default=None
    )
    text: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(12))  # business | personal
    amount: Mapped[Decimal | None] = mapped_column(Money, default=None)
    unit: Mapped[str] = mapped_column(String(20), default="")  # currency code, %, hours, ...
