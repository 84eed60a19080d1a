"""What reviewed discoveries feed: the product-ideas list (unmet gaps) and the customer voices
on a network's outcomes.

Unmet, the rule (documented in docs and ideas.py): declined as "not something we deliver", or
accepted onto an outcome that no differentiator of its network leads to yet - a new outcome
created for it, or one already there that nothing we do drives. Reachability is read from
the network as it stands, so linking a differentiator to the outcome takes every gap on it
off the list; a gap on an outcome our differentiators reach is met.
"""

from __future__ import annotations

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from valuescout.core.errors import Forbidden
from valuescout.discoveries.ideas import ProductIdea, UnmetGap, product_ideas
from valuescout.discoveries.models import Discovery
from valuescout.discoveries.schemas import DiscoveryOut, VoiceOut
from valuescout.discoveries.service import describe
from valuescout.discoveries.transitions import DeclineReason, Status
from valuescout.identity.principal import Principal
from valuescout.identity.roles import Permission
from valuescout.valuenet import analysis, graph
from valuescout.valuenet.models import NetworkNode
from valuescout.valuenet.service import get_network

DECLINED_SOURCE = "declined: not something we deliver"
UNREACHED_SOURCE = "outcome no differentiator reaches yet"


def may_see_ideas(principal: Principal) -> bool:
    return principal.can(Permission.EDIT_VALUE_NETWORKS) or principal.can(Permission.VIEW_ANALYTICS)


def _reached_outcomes(session: Session, network_id: int) -> set[str]:
    value_graph = analysis.value_graph(session, network_id)
    return {value_graph.names[i] for i in graph.driven_by_any(value_graph)}


def unmet_gaps(session: Session) -> list[UnmetGap]:
    rows = session.execute(
        select(Discovery, NetworkNode.name, NetworkNode.network_id)
        .outerjoin(NetworkNode, NetworkNode.id == Discovery.outcome_id)
        .where(
            or_(
                and_(
                    Discovery.status == Status.DECLINED.value,
                    Discovery.decline_reason == DeclineReason.NOT_DELIVERED.value,
                ),
                and_(
                    Discovery.status == Status.ACCEPTED.value,
                    Discovery.outcome_id.is_not(None),
                ),
            )
        )
        .order_by(Discovery.id)
    ).all()
    reached: dict[int, set[str]] = {}
    gaps = []
    for row, outcome_name, network_id in rows:
        if row.status == Status.ACCEPTED.value:
            if network_id is None:
                continue  # the outcome was deleted since
            if network_id not in reached:
                reached[network_id] = _reached_outcomes(session, network_id)
            if outcome_name in reached[network_id]:
                continue
        gaps.append(
            UnmetGap(
                discovery_id=row.id,
                theme=row.theme,
                desired_outcome=row.desired_outcome,
                customer_name=row.customer_name,
                value_hint=row.value_hint,
                value_amount=row.value_amount,
                currency=row.currency,
                source=DECLINED_SOURCE if row.status == Status.DECLINED.value else UNREACHED_SOURCE,
            )
        )
    return gaps


def ideas(session: Session, principal: Principal) -> list[ProductIdea]:
    """Editors of the network and those who read analytics see the list."""
    if not may_see_ideas(principal):
        raise Forbidden("Your role does not allow this.")
    return product_ideas(unmet_gaps(session))


def operator_ideas(session: Session) -> list[ProductIdea]:
    """For the CLI operator, who reads the whole company."""
    return product_ideas(unmet_gaps(session))


def voices(session: Session, principal: Principal, network_id: int) -> list[VoiceOut]:
    """Accepted discoveries on each of the network's outcomes, in the network's outcome order.
    Anyone signed in may read a network, and these are what customers said (no deal money)."""
    get_network(session, network_id)
    rows = list(
        session.scalars(
            select(Discovery)
            .join(NetworkNode, NetworkNode.id == Discovery.outcome_id)
            .where(
                Discovery.status == Status.ACCEPTED.value,
                NetworkNode.network_id == network_id,
            )
            .order_by(NetworkNode.id, Discovery.created_at.desc(), Discovery.id.desc())
        )
    )
    grouped: dict[int, list[DiscoveryOut]] = {}
    for item in describe(session, principal, rows):
        assert item.outcome_id is not None
        grouped.setdefault(item.outcome_id, []).append(item)
    return [
        VoiceOut(
            outcome_id=outcome_id,
            outcome_name=items[0].outcome_name or "",
            discoveries=items,
        )
        for outcome_id, items in grouped.items()
    ]
