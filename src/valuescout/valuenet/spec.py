"""A value network as plain data: the one shape the graph logic, file format and exports use.

Nodes (differentiators and outcomes) are identified by their name, unique within a network.
Lists keep their order, so what is imported is exported in the same order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class OfferKind(StrEnum):
    PRODUCT = "product"
    SERVICE = "service"
    SOLUTION = "solution"


class DifferentiatorKind(StrEnum):
    FITNESS_FOR_USE = "fitness_for_use"
    IMAGE = "image"
    BETWEEN_SALES_SERVICE = "between_sales_service"
    AVAILABILITY = "availability"  # availability / convenience
    SAVES_COSTS = "saves_costs"  # saves one or more customer costs
    COMPETITIVENESS = "competitiveness"  # makes the customer more competitive
    LOWEST_PRICE = "lowest_price"
    OTHER = "other"


DIFFERENTIATOR_KIND_LABELS = {
    DifferentiatorKind.FITNESS_FOR_USE: "Fitness for use",
    DifferentiatorKind.IMAGE: "Image",
    DifferentiatorKind.BETWEEN_SALES_SERVICE: "Between-sales service",
    DifferentiatorKind.AVAILABILITY: "Availability / convenience",
    DifferentiatorKind.SAVES_COSTS: "Saves customer costs",
    DifferentiatorKind.COMPETITIVENESS: "Makes the customer more competitive",
    DifferentiatorKind.LOWEST_PRICE: "Lowest price",
    DifferentiatorKind.OTHER: "Other",
}


class OutcomeKind(StrEnum):
    BUSINESS = "business"
    PERSONAL = "personal"


class Strength(StrEnum):
    PRIMARY = "primary"
    SECONDARY = "secondary"


class Match(StrEnum):
    YES = "yes"
    PARTLY = "partly"
    NO = "no"


@dataclass(slots=True)
class Offer:
    name: str
    kind: OfferKind = OfferKind.PRODUCT
    description: str = ""


@dataclass(slots=True)
class Differentiator:
    name: str
    kind: DifferentiatorKind = DifferentiatorKind.OTHER
    description: str = ""


@dataclass(slots=True)
class Outcome:
    name: str
    kind: OutcomeKind = OutcomeKind.BUSINESS
    executive: bool = False
    measure: str = ""  # e.g. "hours of downtime avoided per year"
    unit: str = ""  # e.g. "hours/year"
    description: str = ""


@dataclass(slots=True)
class Link:
    """Cause -> effect: differentiator -> outcome or outcome -> outcome."""

    source: str
    target: str
    two_way: bool = False  # mutual reinforcement
    rationale: str = ""


@dataclass(slots=True)
class PersonaOutcome:
    outcome: str
    strength: Strength = Strength.PRIMARY


@dataclass(slots=True)
class Persona:
    name: str
    description: str = ""
    outcomes: list[PersonaOutcome] = field(default_factory=list)


@dataclass(slots=True)
class CompetitorMatch:
    differentiator: str
    match: Match


@dataclass(slots=True)
class Competitor:
    name: str
    description: str = ""
    matches: list[CompetitorMatch] = field(default_factory=list)


@dataclass(slots=True)
class NetworkSpec:
    name: str
    offer: Offer
    description: str = ""
    differentiators: list[Differentiator] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    personas: list[Persona] = field(default_factory=list)
    competitors: list[Competitor] = field(default_factory=list)
