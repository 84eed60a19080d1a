"""Editing a network piece by piece: nodes, links, personas and competitors.

Each change checks the same rules the file format enforces (unique names, links only out of
differentiators, no self-links, one link per pair) and is written to the audit trail.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from valuescout.core import audit
from valuescout.core.errors import Conflict, Invalid, NotFound
from valuescout.core.models import utcnow
from valuescout.identity.principal import Principal
from valuescout.identity.roles import Permission
from valuescout.valuenet.models import (
    Competitor,
    NetworkLink,
    NetworkNode,
    Persona,
    ValueNetwork,
)
from valuescout.valuenet.repository import DIFFERENTIATOR, key
from valuescout.valuenet.schemas import (
    LinkCreate,
    LinkUpdate,
    NodeCreate,
    NodeUpdate,
)
from valuescout.valuenet.service import get_network

Row = TypeVar("Row", NetworkNode, NetworkLink, Persona, Competitor)


def editable(session: Session, principal: Principal, network_id: int) -> ValueNetwork:
    principal.require(Permission.EDIT_VALUE_NETWORKS)
    return get_network(session, network_id)


def child(session: Session, model: type[Row], network_id: int, row_id: int, what: str) -> Row:
    row = session.get(model, row_id)
    if row is None or row.network_id != network_id:
        raise NotFound(f"{what} {row_id} not found in this network.")
    return row


def record_change(
    session: Session,
    principal: Principal,
    network: ValueNetwork,
    action: str,
    changes: dict[str, Any],
) -> None:
    network.updated_at = utcnow()  # an edit to any part is an edit to the network
    session.flush()
    audit.record(session, principal.actor, action, "value_network", network.id, changes)


def refuse_taken(
    session: Session, model: Any, network_id: int, name: str, except_id: int | None = None
) -> None:
    """Names are unique within a network (ignoring case) among nodes, personas, competitors."""
    taken = session.scalar(
        select(model.id).where(model.network_id == network_id, model.name_key == key(name))
    )
    if taken is not None and taken != except_id:
        raise Conflict(
            f"{name!r} is already used in this network; names must differ.", field="name"
        )


def rename_and_describe(
    session: Session,
    principal: Principal,
    network: ValueNetwork,
    row: Persona | Competitor,
    changes: dict[str, Any],
    action: str,
) -> None:
    if "name" in changes:
        refuse_taken(session, type(row), network.id, changes["name"], except_id=row.id)
        row.name_key = key(changes["name"])
    before = {f: getattr(row, f) for f in changes}
    for field, value in changes.items():
        setattr(row, field, value)
    delta = audit.diff(before, {f: getattr(row, f) for f in changes})
    if delta:
        record_change(session, principal, network, action, {"id": row.id, **delta})


# --- nodes -------------------------------------------------------------------------------------


def add_node(
    session: Session, principal: Principal, network_id: int, data: NodeCreate
) -> NetworkNode:
    network = editable(session, principal, network_id)
    refuse_taken(session, NetworkNode, network.id, data.name)
    is_diff = data.node_type == DIFFERENTIATOR
    node = NetworkNode(
        network_id=network.id,
        node_type=data.node_type,
        name=data.name,
        name_key=key(data.name),
        description=data.description,
        differentiator_kind=data.differentiator_kind.value if is_diff else None,
        outcome_kind=None if is_diff else data.outcome_kind.value,
        executive=False if is_diff else data.executive,
        measure="" if is_diff else data.measure,
        unit="" if is_diff else data.unit,
    )
    session.add(node)
    session.flush()
    record_change(
        session, principal, network, f"{data.node_type}.added", {"id": node.id, "name": node.name}
    )
    return node


def update_node(
    session: Session, principal: Principal, network_id: int, node_id: int, data: NodeUpdate
) -> NetworkNode:
    network = editable(session, principal, network_id)
    node = child(session, NetworkNode, network.id, node_id, "Node")
    changes = data.model_dump(exclude_unset=True)
    if node.node_type == DIFFERENTIATOR:
        wrong = {"outcome_kind", "executive", "measure", "unit"} & changes.keys()
    else:
        wrong = {"differentiator_kind"} & changes.keys()
    if wrong:
        raise Invalid(f"A {node.node_type} has no {', '.join(sorted(wrong))}.", field=min(wrong))
    if "name" in changes:
        refuse_taken(session, NetworkNode, network.id, changes["name"], except_id=node.id)
        node.name_key = key(changes["name"])
    before = {f: getattr(node, f) for f in changes}
    for field, value in changes.items():
        setattr(node, field, getattr(value, "value", value))
    after = {f: getattr(node, f) for f in changes}
    delta = audit.diff(before, after)
    if delta:
        record_change(
            session, principal, network, f"{node.node_type}.updated", {"id": node.id, **delta}
        )
    return node


def delete_node(session: Session, principal: Principal, network_id: int, node_id: int) -> None:
    """Removing a node removes its links, persona ties and competitor matches with it."""
    network = editable(session, principal, network_id)
    node = child(session, NetworkNode, network.id, node_id, "Node")
    gone = {"id": node.id, "name": node.name}
    session.delete(node)
    session.flush()
    record_change(session, principal, network, f"{node.node_type}.deleted", gone)


# --- links -------------------------------------------------------------------------------------


def add_link(
    session: Session, principal: Principal, network_id: int, data: LinkCreate
) -> NetworkLink:
    network = editable(session, principal, network_id)
    source = child(session, NetworkNode, network.id, data.source_id, "Node")
    target = child(session, NetworkNode, network.id, data.target_id, "Node")
    if source.id == target.id:
        raise Invalid("A node cannot lead to itself.", field="target_id")
    if target.node_type == DIFFERENTIATOR:
        raise Invalid(
            f"Links lead from a cause to an effect; {target.name!r} is a differentiator, so "
            "nothing can lead into it. Link it to the outcomes it drives instead.",
            field="target_id",
        )
    if data.two_way and source.node_type == DIFFERENTIATOR:
        raise Invalid(
            "Only outcomes can reinforce each other; a differentiator link is one-way.",
            field="two_way",
        )
    existing = session.scalar(
        select(NetworkLink).where(
            NetworkLink.network_id == network.id,
            ((NetworkLink.source_id == source.id) & (NetworkLink.target_id == target.id))
            | ((NetworkLink.source_id == target.id) & (NetworkLink.target_id == source.id)),
        )
    )
    if existing is not None:
        raise Conflict(
            f"{source.name!r} and {target.name!r} are already linked; make that link two-way "
            "if they reinforce each other.",
            field="target_id",
        )
    link = NetworkLink(
        network_id=network.id,
        source_id=source.id,
        target_id=target.id,
        two_way=data.two_way,
        rationale=data.rationale,
    )
    session.add(link)
    session.flush()
    record_change(
        session,
        principal,
        network,
        "link.added",
        {"id": link.id, "from": source.name, "to": target.name, "two_way": link.two_way},
    )
    return link


def update_link(
    session: Session, principal: Principal, network_id: int, link_id: int, data: LinkUpdate
) -> NetworkLink:
    network = editable(session, principal, network_id)
    link = child(session, NetworkLink, network.id, link_id, "Link")
    changes = data.model_dump(exclude_unset=True)
    if changes.get("two_way"):
        source = session.get(NetworkNode, link.source_id)
        if source is not None and source.node_type == DIFFERENTIATOR:
            raise Invalid(
                "Only outcomes can reinforce each other; a differentiator link is one-way.",
                field="two_way",
            )
    before = {f: getattr(link, f) for f in changes}
    for field, value in changes.items():
        setattr(link, field, value)
    delta = audit.diff(before, {f: getattr(link, f) for f in changes})
    if delta:
        record_change(session, principal, network, "link.updated", {"id": link.id, **delta})
    return link


def delete_link(session: Session, principal: Principal, network_id: int, link_id: int) -> None:
    network = editable(session, principal, network_id)
    link = child(session, NetworkLink, network.id, link_id, "Link")
    session.delete(link)
    session.flush()
    record_change(session, principal, network, "link.deleted", {"id": link_id})
