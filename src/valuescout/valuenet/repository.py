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
# Dictionary lookups: calling the enum classes costs more than the row fetch on big networks.
DIFF_KINDS = {k.value: k for k in s.DifferentiatorKind}
OUTCOME_KINDS = {k.value: k for k in s.OutcomeKind}


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
    """Read a whole network. Plain column rows, not ORM objects: a 2,000-node network with
    6,000 links loads in tens of milliseconds this way."""
    offer = session.get(Offer, network.offer_id)
    assert offer is not None
    n = NetworkNode
    nodes = session.execute(
        select(
            n.id,
            n.node_type,
            n.name,
            n.description,
            n.differentiator_kind,
            n.outcome_kind,
            n.executive,
            n.measure,
            n.unit,
        )
        .where(n.network_id == network.id)
        .order_by(n.id)
    ).all()
    names = {row.id: row.name for row in nodes}
    links = session.execute(
        select(
            NetworkLink.source_id, NetworkLink.target_id, NetworkLink.two_way, NetworkLink.rationale
        )
        .where(NetworkLink.network_id == network.id)
        .order_by(NetworkLink.id)
    ).all()
    personas = session.execute(
        select(Persona.id, Persona.name, Persona.description)
        .where(Persona.network_id == network.id)
        .order_by(Persona.id)
    ).all()
    wants = session.execute(
        select(PersonaOutcome.persona_id, PersonaOutcome.outcome_id, PersonaOutcome.strength)
        .join(Persona, Persona.id == PersonaOutcome.persona_id)
        .where(Persona.network_id == network.id)
        .order_by(PersonaOutcome.persona_id, PersonaOutcome.position, PersonaOutcome.outcome_id)
    ).all()
    competitors = session.execute(
        select(Competitor.id, Competitor.name, Competitor.description)
        .where(Competitor.network_id == network.id)
        .order_by(Competitor.id)
    ).all()
    matches = session.execute(
        select(
            CompetitorMatch.competitor_id, CompetitorMatch.differentiator_id, CompetitorMatch.match
        )
        .join(Competitor, Competitor.id == CompetitorMatch.competitor_id)
        .where(Competitor.network_id == network.id)
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
                name=row.name,
                kind=DIFF_KINDS[row.differentiator_kind or "other"],
                description=row.description,
            )
            for row in nodes
            if row.node_type == DIFFERENTIATOR
        ],
        outcomes=[
            s.Outcome(
                name=row.name,
                kind=OUTCOME_KINDS[row.outcome_kind or "business"],
                executive=row.executive,
                measure=row.measure,
                unit=row.unit,
                description=row.description,
            )
            for row in nodes
            if row.node_type == OUTCOME
        ],
        links=[  # tuple unpacking: much cheaper than attribute access on 6,000 rows
            s.Link(names[source], names[target], two_way, rationale)
            for source, target, two_way, rationale in links
        ],
        personas=[
            s.Persona(
                name=p.name,
                description=p.description,
                outcomes=[
                    s.PersonaOutcome(names[w.outcome_id], s.Strength(w.strength))
                    for w in wants
                    if w.persona_id == p.id
                ],
            )
            for p in personas
        ],
        competitors=[
            s.Competitor(
                name=c.name,
                description=c.description,
                matches=[
                    s.CompetitorMatch(names[m.differentiator_id], s.Match(m.match))
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
