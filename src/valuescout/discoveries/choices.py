"""What the discovery forms offer: accounts in sight, networks, and each network's nodes (for
attaching to an outcome, or linking a new outcome from a differentiator or an outcome)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from valuescout.deals.pages_data import Choice, account_choices
from valuescout.identity.principal import Principal
from valuescout.valuenet.models import NetworkNode, ValueNetwork
from valuescout.valuenet.repository import OUTCOME


@dataclass(frozen=True)
class NetworkNodes:
    id: int
    name: str
    outcomes: list[Choice] = field(default_factory=list)
    differentiators: list[Choice] = field(default_factory=list)


def networks(session: Session) -> list[Choice]:
    rows = session.execute(select(ValueNetwork.id, ValueNetwork.name).order_by(ValueNetwork.name))
    return [Choice(i, name) for i, name in rows]


def network_nodes(session: Session, network_ids: list[int] | None = None) -> list[NetworkNodes]:
    """Nodes by network, in the order they were added (networks by name)."""
    chosen = [n for n in networks(session) if network_ids is None or n.id in network_ids]
    by_network = {n.id: NetworkNodes(n.id, n.name) for n in chosen}
    if not by_network:
        return []
    rows = session.execute(
        select(NetworkNode.id, NetworkNode.name, NetworkNode.node_type, NetworkNode.network_id)
        .where(NetworkNode.network_id.in_(by_network))
        .order_by(NetworkNode.id)
    )
    for node_id, name, node_type, network_id in rows:
        group = by_network[network_id]
        kind = group.outcomes if node_type == OUTCOME else group.differentiators
        kind.append(Choice(node_id, name))
    return list(by_network.values())


def accounts(session: Session, principal: Principal) -> list[Choice]:
    return account_choices(session, principal)
