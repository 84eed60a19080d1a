"""Moving a whole network between the database and its plain-data form (NetworkSpec)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from valuescout.valuenet import spec as s
from valuescout.valuenet.models import (
    Competitor,
    CompetitorMatch,
    NetworkLink,
    NetworkNode,
    Offer,
    Persona,
    PersonaOutcome,
    ValueNetwork,
)

DIFFERENTIATOR = "differentiator"
OUTCOME = "outcome"


def key(name: str) -> str:
    """Names compare without regard to case or surrounding spaces."""
    return name.strip().casefold()


def nodes_of(session: Session, network_id: int) -> list[NetworkNode]:
    return list(
        session.scalars(
            select(NetworkNode).where(NetworkNode.network_id == network_id).order_by(NetworkNode.id)
        )
    )


def load_spec(session: Session, network: ValueNetwork) -> s.NetworkSpec:
    offer = session.get(Offer, network.offer_id)
    assert offer is not None
    nodes = nodes_of(session, network.id)
    names = {n.id: n.name for n in nodes}
    links = session.scalars(
        select(NetworkLink).where(NetworkLink.network_id == network.id).order_by(NetworkLink.id)
    )
    personas = list(
        session.scalars(
            select(Persona).where(Persona.network_id == network.id).order_by(Persona.id)
        )
    )
    competitors = list(
        session.scalars(
            select(Competitor).where(Competitor.network_id == network.id).order_by(Competitor.id)
        )
    )
    persona_outcomes = session.scalars(
        select(PersonaOutcome)
        .where(PersonaOutcome.persona_id.in_([p.id for p in personas]))
        .order_by(PersonaOutcome.persona_id, PersonaOutcome.position, PersonaOutcome.outcome_id)
    ).all()
    matches = session.scalars(
        select(CompetitorMatch)
        .where(CompetitorMatch.competitor_id.in_([c.id for c in competitors]))
        .order_by(
            CompetitorMatch.competitor_id,
            CompetitorMatch.position,
            CompetitorMatch.differentiator_id,
        )
    ).all()
    return s.NetworkSpec(
        name=network.name,
        description=network.description,
        offer=s.Offer(name=offer.name, kind=s.OfferKind(offer.kind), description=offer.description),
        differentiators=[
            s.Differentiator(
                name=n.name,
                kind=s.DifferentiatorKind(n.differentiator_kind or "other"),
                description=n.description,
            )
            for n in nodes
            if n.node_type == DIFFERENTIATOR
        ],
        outcomes=[
            s.Outcome(
                name=n.name,
                kind=s.OutcomeKind(n.outcome_kind or "business"),
                executive=n.executive,
                measure=n.measure,
                unit=n.unit,
                description=n.description,
            )
            for n in nodes
            if n.node_type == OUTCOME
        ],
        links=[
            s.Link(
                source=names[link.source_id],
                target=names[link.target_id],
                two_way=link.two_way,
                rationale=link.rationale,
            )
            for link in links
        ],
        personas=[
            s.Persona(
                name=p.name,
                description=p.description,
                outcomes=[
                    s.PersonaOutcome(outcome=names[po.outcome_id], strength=s.Strength(po.strength))
                    for po in persona_outcomes
                    if po.persona_id == p.id
                ],
            )
            for p in personas
        ],
        competitors=[
            s.Competitor(
                name=c.name,
                description=c.description,
                matches=[
                    s.CompetitorMatch(
                        differentiator=names[m.differentiator_id], match=s.Match(m.match)
                    )
                    for m in matches
                    if m.competitor_id == c.id
                ],
            )
            for c in competitors
        ],
    )


def find_or_create_offer(session: Session, offer: s.Offer) -> Offer:
    """Offers are shared by name: a second network for the same offer reuses it."""
    row = session.scalar(select(Offer).where(Offer.name == offer.name))
    if row is None:
        row = Offer(name=offer.name, kind=offer.kind.value, description=offer.description)
        session.add(row)
        session.flush()
    return row


def insert_contents(session: Session, network: ValueNetwork, spec: s.NetworkSpec) -> None:
    """Write a validated spec's nodes, links, personas and competitors under a network."""
    nodes = [
        NetworkNode(
            network_id=network.id,
            node_type=DIFFERENTIATOR,
            name=d.name,
            name_key=key(d.name),
            description=d.description,
            differentiator_kind=d.kind.value,
        )
        for d in spec.differentiators
    ] + [
        NetworkNode(
            network_id=network.id,
            node_type=OUTCOME,
            name=o.name,
            name_key=key(o.name),
            description=o.description,
            outcome_kind=o.kind.value,
            executive=o.executive,
            measure=o.measure,
            unit=o.unit,
        )
        for o in spec.outcomes
    ]
    session.add_all(nodes)
    session.flush()  # one batched insert; ids come back in order
    ids = {node.name_key: node.id for node in nodes}
    for link in spec.links:
        session.add(
            NetworkLink(
                network_id=network.id,
                source_id=ids[key(link.source)],
                target_id=ids[key(link.target)],
                two_way=link.two_way,
                rationale=link.rationale,
            )
        )
    for p in spec.personas:
        persona = Persona(
            network_id=network.id, name=p.name, name_key=key(p.name), description=p.description
        )
        session.add(persona)
        session.flush()
        for position, po in enumerate(p.outcomes):
            session.add(
                PersonaOutcome(
                    persona_id=persona.id,
                    outcome_id=ids[key(po.outcome)],
                    strength=po.strength.value,
                    position=position,
                )
            )
    for c in spec.competitors:
        competitor = Competitor(
            network_id=network.id, name=c.name, name_key=key(c.name), description=c.description
        )
        session.add(competitor)
        session.flush()
        for position, m in enumerate(c.matches):
            session.add(
                CompetitorMatch(
                    competitor_id=competitor.id,
                    differentiator_id=ids[key(m.differentiator)],
                    match=m.match.value,
                    position=position,
                )
            )
    session.flush()
