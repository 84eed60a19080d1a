"""Use cases for whole value networks: list, read, create, rename, delete, import, export.

Everyone signed in may read; admins and managers may change (Permission.EDIT_VALUE_NETWORKS).
Every change is written to the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from valuescout.core import audit
from valuescout.core.errors import Conflict, Invalid, NotFound
from valuescout.core.models import utcnow
from valuescout.identity.principal import Principal
from valuescout.identity.roles import Permission
from valuescout.valuenet import exports, fileformat
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
from valuescout.valuenet.repository import (
    DIFFERENTIATOR,
    OUTCOME,
    find_or_create_offer,
    insert_contents,
    key,
    load_spec,
    nodes_of,
)
from valuescout.valuenet.schemas import (
    CompetitorOut,
    LinkOut,
    MatchOut,
    NetworkCreate,
    NetworkDetail,
    NetworkSummary,
    NetworkUpdate,
    NodeOut,
    PersonaOut,
    PersonaOutcomeOut,
)

ENTITY = "value_network"


def get_network(session: Session, network_id: int) -> ValueNetwork:
    network = session.get(ValueNetwork, network_id)
    if network is None:
        raise NotFound(f"Value network {network_id} not found.")
    return network


def find_network(session: Session, name: str) -> ValueNetwork:
    network = session.scalar(select(ValueNetwork).where(ValueNetwork.name_key == key(name)))
    if network is None:
        raise NotFound(f"No value network named {name.strip()!r}.", field="name")
    return network


def list_networks(session: Session, principal: Principal) -> list[NetworkSummary]:
    networks = session.scalars(select(ValueNetwork).order_by(ValueNetwork.name)).all()
    return [_summary(session, n) for n in networks]


def network_names(session: Session, principal: Principal) -> list[tuple[int, str]]:
    """(id, name) of every network, by name: for pickers, without list_networks' counts."""
    rows = session.execute(select(ValueNetwork.id, ValueNetwork.name).order_by(ValueNetwork.name))
    return [(network_id, name) for network_id, name in rows]


def outcome_names(session: Session, network_id: int) -> dict[int, str]:
    """Outcome id -> name in one network (one query)."""
    rows = session.execute(
        select(NetworkNode.id, NetworkNode.name).where(
            NetworkNode.network_id == network_id, NetworkNode.node_type == OUTCOME
        )
    )
    return {node_id: name for node_id, name in rows}


@dataclass(frozen=True)
class PickerNames:
    """(id, name) of one network's outcomes, personas and competitors, in id order."""

    outcomes: list[tuple[int, str]]
    personas: list[tuple[int, str]]
    competitors: list[tuple[int, str]]


def picker_names(session: Session, network_id: int) -> PickerNames:
    """For a deal's forms: three column reads, not the network's whole detail (which read
    and validated every node, link and match on each deal page)."""
    get_network(session, network_id)

    def pairs(model: Any, *where: Any) -> list[tuple[int, str]]:
        rows = session.execute(
            select(model.id, model.name)
            .where(model.network_id == network_id, *where)
            .order_by(model.id)
        )
        return [(row_id, name) for row_id, name in rows]

    return PickerNames(
        outcomes=pairs(NetworkNode, NetworkNode.node_type == OUTCOME),
        personas=pairs(Persona),
        competitors=pairs(Competitor),
    )


def _count(session: Session, model: type, network_id: int, **where: object) -> int:
    stmt = select(func.count()).select_from(model).where(model.network_id == network_id)  # type: ignore[attr-defined]
    for column, value in where.items():
        stmt = stmt.where(getattr(model, column) == value)
    return session.scalar(stmt) or 0


def _summary(session: Session, network: ValueNetwork) -> NetworkSummary:
    offer = session.get(Offer, network.offer_id)
    assert offer is not None
    return NetworkSummary(
        id=network.id,
        name=network.name,
        description=network.description,
        offer_name=offer.name,
        offer_kind=s.OfferKind(offer.kind),
        differentiators=_count(session, NetworkNode, network.id, node_type=DIFFERENTIATOR),
        outcomes=_count(session, NetworkNode, network.id, node_type=OUTCOME),
        links=_count(session, NetworkLink, network.id),
        personas=_count(session, Persona, network.id),
        competitors=_count(session, Competitor, network.id),
        updated_at=network.updated_at,
    )


def network_detail(session: Session, principal: Principal, network_id: int) -> NetworkDetail:
    network = get_network(session, network_id)
    offer = session.get(Offer, network.offer_id)
    assert offer is not None
    links = session.scalars(
        select(NetworkLink).where(NetworkLink.network_id == network.id).order_by(NetworkLink.id)
    ).all()
    personas = session.scalars(
        select(Persona).where(Persona.network_id == network.id).order_by(Persona.id)
    ).all()
    wants = session.scalars(
        select(PersonaOutcome)
        .join(Persona, Persona.id == PersonaOutcome.persona_id)
        .where(Persona.network_id == network.id)
        .order_by(PersonaOutcome.position, PersonaOutcome.outcome_id)
    ).all()
    competitors = session.scalars(
        select(Competitor).where(Competitor.network_id == network.id).order_by(Competitor.id)
    ).all()
    matches = session.scalars(
        select(CompetitorMatch)
        .join(Competitor, Competitor.id == CompetitorMatch.competitor_id)
        .where(Competitor.network_id == network.id)
        .order_by(CompetitorMatch.position, CompetitorMatch.differentiator_id)
    ).all()
    nodes = nodes_of(session, network.id)
    return NetworkDetail(
        # The summary's counts from the rows read here, not five more queries.
        id=network.id,
        name=network.name,
        description=network.description,
        offer_name=offer.name,
        offer_kind=s.OfferKind(offer.kind),
        differentiators=sum(n.node_type == DIFFERENTIATOR for n in nodes),
        outcomes=sum(n.node_type == OUTCOME for n in nodes),
        links=len(links),
        personas=len(personas),
        competitors=len(competitors),
        updated_at=network.updated_at,
        offer_description=offer.description,
        nodes=[NodeOut.model_validate(n) for n in nodes],
        link_list=[LinkOut.model_validate(link) for link in links],
        persona_list=[
            PersonaOut(
                id=p.id,
                name=p.name,
                description=p.description,
                outcomes=[
                    PersonaOutcomeOut(outcome_id=w.outcome_id, strength=s.Strength(w.strength))
                    for w in wants
                    if w.persona_id == p.id
                ],
            )
            for p in personas
        ],
        competitor_list=[
            CompetitorOut(
                id=c.id,
                name=c.name,
                description=c.description,
                matches=[
                    MatchOut(differentiator_id=m.differentiator_id, match=s.Match(m.match))
                    for m in matches
                    if m.competitor_id == c.id
                ],
            )
            for c in competitors
        ],
    )


def network_spec(session: Session, principal: Principal, network_id: int) -> s.NetworkSpec:
    """The whole network as plain data, for graph queries and exports."""
    return load_spec(session, get_network(session, network_id))


def create_network(session: Session, principal: Principal, data: NetworkCreate) -> ValueNetwork:
    principal.require(Permission.EDIT_VALUE_NETWORKS)
    spec = s.NetworkSpec(
        name=data.name,
        description=data.description,
        offer=s.Offer(data.offer_name, data.offer_kind, data.offer_description),
    )
    return _create_from_spec(session, principal.actor, spec, action="value_network.created")


def _refuse_taken_name(session: Session, name: str, except_id: int | None = None) -> None:
    taken = session.scalar(select(ValueNetwork.id).where(ValueNetwork.name_key == key(name)))
    if taken is not None and taken != except_id:
        raise Conflict(f"A value network named {name!r} already exists.", field="name")


def _create_from_spec(
    session: Session, actor: audit.Actor, spec: s.NetworkSpec, *, action: str
) -> ValueNetwork:
    _refuse_taken_name(session, spec.name)
    offer = find_or_create_offer(session, spec.offer)
    network = ValueNetwork(
        offer_id=offer.id, name=spec.name, name_key=key(spec.name), description=spec.description
    )
    session.add(network)
    session.flush()
    insert_contents(session, network, spec)
    audit.record(session, actor, action, ENTITY, network.id, _counts(spec))
    return network


def _counts(spec: s.NetworkSpec) -> dict[str, object]:
    return {
        "name": spec.name,
        "offer": spec.offer.name,
        "differentiators": len(spec.differentiators),
        "outcomes": len(spec.outcomes),
        "links": len(spec.links),
        "personas": len(spec.personas),
        "competitors": len(spec.competitors),
    }


def update_network(
    session: Session, principal: Principal, network_id: int, data: NetworkUpdate
) -> ValueNetwork:
    principal.require(Permission.EDIT_VALUE_NETWORKS)
    network = get_network(session, network_id)
    before = {"name": network.name, "description": network.description}
    if data.name is not None:
        _refuse_taken_name(session, data.name, except_id=network.id)
        network.name, network.name_key = data.name, key(data.name)
    if data.description is not None:
        network.description = data.description
    session.flush()
    changes = audit.diff(before, {"name": network.name, "description": network.description})
    if changes:
        audit.record(session, principal.actor, "value_network.updated", ENTITY, network.id, changes)
    return network


def delete_network(session: Session, principal: Principal, network_id: int) -> None:
    principal.require(Permission.EDIT_VALUE_NETWORKS)
    network = get_network(session, network_id)
    record = {"name": network.name}
    _clear_contents(session, network.id)
    session.delete(network)
    session.flush()
    audit.record(session, principal.actor, "value_network.deleted", ENTITY, network_id, record)


def _clear_contents(session: Session, network_id: int) -> None:
    # Links, persona outcomes and competitor matches go with their nodes (ON DELETE CASCADE).
    for model in (Persona, Competitor, NetworkNode):
        session.execute(delete(model).where(model.network_id == network_id))
    session.flush()


def import_network(
    session: Session, principal: Principal, spec: s.NetworkSpec, *, replace: bool = False
) -> ValueNetwork:
    """Create a network from a validated file, or replace the one with the same name."""
    principal.require(Permission.EDIT_VALUE_NETWORKS)
    return import_as(session, principal.actor, spec, replace=replace)


def import_as(
    session: Session, actor: audit.Actor, spec: s.NetworkSpec, *, replace: bool = False
) -> ValueNetwork:
    """Import for an already authorised actor (the CLI operator, the demo generator)."""
    existing = session.scalar(select(ValueNetwork).where(ValueNetwork.name_key == key(spec.name)))
    if existing is None:
        return _create_from_spec(session, actor, spec, action="value_network.imported")
    if not replace:
        raise Conflict(
            f"A value network named {spec.name!r} already exists; import with replace to "
            "overwrite it.",
            field="name",
        )
    _clear_contents(session, existing.id)
    existing.offer_id = find_or_create_offer(session, spec.offer).id
    existing.name, existing.description = spec.name, spec.description
    existing.updated_at = utcnow()  # replaced contents are a change even if the name is not
    session.flush()
    insert_contents(session, existing, spec)
    audit.record(session, actor, "value_network.replaced", ENTITY, existing.id, _counts(spec))
    return existing


def read_file(content: str, fmt: str) -> s.NetworkSpec:
    """Parse a network file, turning every problem (with its line) into one domain error."""
    try:
        return fileformat.load(content, fmt)
    except fileformat.FormatError as exc:
        count = len(exc.problems)
        raise Invalid(
            f"The file has {count} problem{'s' if count != 1 else ''}; nothing was imported.",
            details=[str(p) for p in exc.problems],
        ) from None


def import_file(
    session: Session, principal: Principal, content: str, fmt: str, *, replace: bool = False
) -> ValueNetwork:
    return import_network(session, principal, read_file(content, fmt), replace=replace)


EXPORT_FORMATS = ("yaml", "json", "mermaid", "dot")


def export_network(session: Session, principal: Principal, network_id: int, fmt: str) -> str:
    return render(network_spec(session, principal, network_id), fmt)


def export_by_name(session: Session, name: str, fmt: str) -> str:
    """For the operator at the command line, who names networks rather than numbering them."""
    return render(load_spec(session, find_network(session, name)), fmt)


def render(spec: s.NetworkSpec, fmt: str) -> str:
    """A network as a file (yaml, json) or a diagram (mermaid, dot)."""
    if fmt in ("yaml", "json"):
        return fileformat.dump(spec, fmt)
    if fmt == "mermaid":
        return exports.to_mermaid(spec)
    if fmt == "dot":
        return exports.to_dot(spec)
    raise Invalid(
        f"Unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}.", field="format"
    )
