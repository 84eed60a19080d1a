"""What the demo's deals are built from, read once as plain data: the stage list, the value
networks (business outcomes, personas and what they want, competitors), sellers, products,
accounts and their buying teams. Generating 100,000 deals touches these millions of times,
so they are slotted dataclasses, not ORM objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from valuescout.deals.models import Stage
from valuescout.deals.terms import StageOutcome
from valuescout.demo.catalogue import ProductSpec
from valuescout.valuenet.models import (
    Competitor,
    NetworkNode,
    Offer,
    Persona,
    PersonaOutcome,
    ValueNetwork,
)


@dataclass(frozen=True, slots=True)
class StageFacts:
    id: int
    name: str
    probability: Decimal


@dataclass(frozen=True, slots=True)
class Stages:
    open: list[StageFacts]  # in process order
    won: StageFacts
    lost: StageFacts

    @property
    def quote_at(self) -> int:
        """The open stage where a priced quote goes out (Proposal in the default list)."""
        return max(0, len(self.open) - 2)

    @property
    def engaged_at(self) -> int:
        """The open stage from which the customer is engaged (Engaging by default)."""
        return min(2, len(self.open) - 1)


@dataclass(frozen=True, slots=True)
class OutcomeFacts:
    id: int
    name: str
    measure: str
    unit: str
    executive: bool


@dataclass(frozen=True, slots=True)
class ProductFacts:
    id: int
    spec: ProductSpec
    list_price: Decimal
    unit_cost: Decimal


@dataclass(slots=True)
class NetworkFacts:
    id: int
    name: str
    kind: str  # the offer's kind: product | service | solution
    outcomes: list[OutcomeFacts]  # business outcomes (personal ones carry no money value)
    personas: dict[str, int]  # name -> id
    wants: dict[int, list[int]]  # persona id -> business outcome ids, primary first
    competitors: list[tuple[int, str]]
    products: list[ProductFacts] = field(default_factory=list)

    def product(self, role: str) -> list[ProductFacts]:
        return [p for p in self.products if p.spec.role == role]


@dataclass(frozen=True, slots=True)
class SellerFacts:
    id: int
    name: str
    team_id: int | None
    team: str
    region: str
    discount: float  # the seller's habitual average discount off list
    heavy: bool  # a heavy discounter
    value_selling: float  # how readily the seller builds value cases (1 = typical)
    weight: float  # share of the territory's accounts, relative to the team's other sellers


@dataclass(frozen=True, slots=True)
class ContactFacts:
    id: int
    name: str
    persona: str  # persona name, shared by both networks where it exists in both
    role: str


@dataclass(slots=True)
class AccountFacts:
    id: int
    name: str
    short: str  # the name without its legal form, for deal names
    industry: str
    segment: str  # enterprise | mid-market | small
    size: float  # multiplies quantities
    owner: SellerFacts
    network: int  # index of the value network it mostly buys
    fleet: int  # pumps installed
    customer_since: date | None  # a customer before the demo's history begins
    contacts: list[ContactFacts] = field(default_factory=list)
    first_win: date | None = None  # first deal won in the demo's history


def load_stages(session: Session) -> Stages:
    rows = list(session.scalars(select(Stage).order_by(Stage.position)))
    facts = {row.id: StageFacts(row.id, row.name, row.probability) for row in rows}
    by_outcome = {
        outcome: [facts[r.id] for r in rows if r.outcome == outcome.value]
        for outcome in StageOutcome
    }
    if not by_outcome[StageOutcome.OPEN] or not by_outcome[StageOutcome.WON]:
        raise ValueError("the stage list needs open, won and lost stages")
    return Stages(
        open=by_outcome[StageOutcome.OPEN],
        won=by_outcome[StageOutcome.WON][0],
        lost=by_outcome[StageOutcome.LOST][0],
    )


def load_networks(session: Session, networks: list[ValueNetwork]) -> list[NetworkFacts]:
    result = []
    for network in networks:
        kind = session.scalar(select(Offer.kind).where(Offer.id == network.offer_id)) or "product"
        node = NetworkNode
        outcomes = [
            OutcomeFacts(r.id, r.name, r.measure, r.unit, r.executive)
            for r in session.execute(
                select(node.id, node.name, node.measure, node.unit, node.executive)
                .where(
                    node.network_id == network.id,
                    node.node_type == "outcome",
                    node.outcome_kind == "business",
                )
                .order_by(node.id)
            )
        ]
        business = {o.id for o in outcomes}
        personas = {
            name: pid
            for pid, name in session.execute(
                select(Persona.id, Persona.name)
                .where(Persona.network_id == network.id)
                .order_by(Persona.id)
            ).tuples()
        }
        wants: dict[int, list[int]] = {pid: [] for pid in personas.values()}
        for pid, oid in session.execute(
            select(PersonaOutcome.persona_id, PersonaOutcome.outcome_id)
            .where(PersonaOutcome.persona_id.in_(wants))
            .order_by(
                PersonaOutcome.persona_id,
                PersonaOutcome.strength,  # "primary" sorts before "secondary"
                PersonaOutcome.position,
            )
        ).tuples():
            if oid in business:
                wants[pid].append(oid)
        competitors = [
            (cid, name)
            for cid, name in session.execute(
                select(Competitor.id, Competitor.name)
                .where(Competitor.network_id == network.id)
                .order_by(Competitor.id)
            ).tuples()
        ]
        result.append(
            NetworkFacts(network.id, network.name, kind, outcomes, personas, wants, competitors)
        )
    return result
