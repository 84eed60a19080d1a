"""Offers and their value networks: differentiators and outcomes (nodes), cause -> effect
links, personas attached to outcomes, and competitors matched against differentiators.

Names are unique per network ignoring case (`name_key`), because people refer to nodes by
name in files, messages and conversations. Children keep insertion order through their ids.
"""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from valuescout.core.models import Base, TimestampMixin


class Offer(TimestampMixin, Base):
    __tablename__ = "offers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # product | service | solution
    description: Mapped[str] = mapped_column(Text, default="")


class ValueNetwork(TimestampMixin, Base):
    __tablename__ = "value_networks"

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")


class NetworkNode(Base):
    """A differentiator (drawn as a rectangle) or a customer outcome (drawn as an oval)."""

    __tablename__ = "value_network_nodes"
    __table_args__ = (UniqueConstraint("network_id", "name_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(
        ForeignKey("value_networks.id", ondelete="CASCADE"), index=True
    )
    node_type: Mapped[str] = mapped_column(String(16))  # differentiator | outcome
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    differentiator_kind: Mapped[str | None] = mapped_column(String(32), default=None)
    outcome_kind: Mapped[str | None] = mapped_column(String(16), default=None)
    executive: Mapped[bool] = mapped_column(Boolean, default=False)
    measure: Mapped[str] = mapped_column(String(200), default="")
    unit: Mapped[str] = mapped_column(String(50), default="")


class NetworkLink(Base):
    """Cause -> effect; two_way marks mutual reinforcement."""

    __tablename__ = "value_network_links"
    __table_args__ = (UniqueConstraint("network_id", "source_id", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(
        ForeignKey("value_networks.id", ondelete="CASCADE"), index=True
    )
    source_id: Mapped[int] = mapped_column(
        ForeignKey("value_network_nodes.id", ondelete="CASCADE"), index=True
    )
    target_id: Mapped[int] = mapped_column(
        ForeignKey("value_network_nodes.id", ondelete="CASCADE"), index=True
    )
    two_way: Mapped[bool] = mapped_column(Boolean, default=False)
    rationale: Mapped[str] = mapped_column(Text, default="")


class Persona(Base):
    __tablename__ = "value_network_personas"
    __table_args__ = (UniqueConstraint("network_id", "name_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(
        ForeignKey("value_networks.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")


class PersonaOutcome(Base):
    __tablename__ = "value_network_persona_outcomes"

    persona_id: Mapped[int] = mapped_column(
        ForeignKey("value_network_personas.id", ondelete="CASCADE"), primary_key=True
    )
    outcome_id: Mapped[int] = mapped_column(
        ForeignKey("value_network_nodes.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    strength: Mapped[str] = mapped_column(String(16))  # primary | secondary
    # Keeps the order personas list their outcomes in, for exact file round trips.
    position: Mapped[int] = mapped_column(default=0)


class Competitor(Base):
    __tablename__ = "value_network_competitors"
    __table_args__ = (UniqueConstraint("network_id", "name_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(
        ForeignKey("value_networks.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")


class CompetitorMatch(Base):
    __tablename__ = "value_network_competitor_matches"

    competitor_id: Mapped[int] = mapped_column(
        ForeignKey("value_network_competitors.id", ondelete="CASCADE"), primary_key=True
    )
    differentiator_id: Mapped[int] = mapped_column(
        ForeignKey("value_network_nodes.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    match: Mapped[str] = mapped_column(String(8))  # yes | partly | no
    position: Mapped[int] = mapped_column(default=0)
