"""Logging and reviewing value-gap discoveries.

Anyone signed in logs a discovery and sees their own; editors of the value network
(Permission.EDIT_VALUE_NETWORKS) see every discovery and review the queue. Someone else's
discovery answers 404 to a non-editor, so its existence does not leak. A review changes the
network only through valuenet's editing service, so the network's audit trail records it.
The product-ideas list and customer voices are in `service_ideas`.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from valuescout.core import audit
from valuescout.core.errors import Conflict, Invalid, NotFound
from valuescout.core.models import utcnow
from valuescout.deals import setup
from valuescout.deals.access import visible_account
from valuescout.discoveries.hints import DiscoveryHint, accepted_for_outcomes
from valuescout.discoveries.models import Discovery
from valuescout.discoveries.schemas import DiscoveryIn, DiscoveryOut, ReviewIn
from valuescout.discoveries.transitions import Action, Status, TransitionRefused, apply

__all__ = ["DiscoveryHint", "Status", "accepted_for_outcomes"]
from valuescout.identity.models import User
from valuescout.identity.principal import Principal
from valuescout.identity.roles import Permission, Role
from valuescout.identity.scope import scope_for
from valuescout.valuenet import editing
from valuescout.valuenet.models import NetworkNode
from valuescout.valuenet.repository import OUTCOME
from valuescout.valuenet.schemas import LinkCreate, NodeCreate
from valuescout.valuenet.service import get_network

ENTITY = "discovery"
QUEUE_LIMIT = 500


def is_editor(principal: Principal) -> bool:
    return principal.can(Permission.EDIT_VALUE_NETWORKS)


def log_discovery(session: Session, principal: Principal, data: DiscoveryIn) -> Discovery:
    """Anyone signed in may log one; an account must be one they can see."""
    name = data.customer_name
    if data.account_id is not None:
        account = visible_account(session, principal, data.account_id)
        name = name or account.name
    if data.network_id is not None:
        get_network(session, data.network_id)
    row = Discovery(
        account_id=data.account_id,
        customer_name=name,
        situation=data.situation,
        desired_outcome=data.desired_outcome,
        value_hint=data.value_hint,
        value_amount=data.value_amount,
        currency=setup.settings(session).currency,
        theme=data.theme,
        network_id=data.network_id,
        status=Status.NEW.value,
        reported_by_id=principal.user_id,
    )
    session.add(row)
    session.flush()
    audit.record(
        session, principal.actor, "discovery.logged", ENTITY, row.id,
        {"customer": name, "desired_outcome": row.desired_outcome},
    )  # fmt: skip
    return row


def visible_discovery(session: Session, principal: Principal, discovery_id: int) -> Discovery:
    row = session.get(Discovery, discovery_id)
    if row is None or not (is_editor(principal) or row.reported_by_id == principal.user_id):
        raise NotFound(f"Discovery {discovery_id} not found.")
    return row


def _names(session: Session, user_ids: set[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    rows = session.execute(select(User.id, User.full_name).where(User.id.in_(user_ids)))
    return {user_id: name for user_id, name in rows}


def _outcome_names(session: Session, node_ids: set[int]) -> dict[int, str]:
    if not node_ids:
        return {}
    rows = session.execute(
        select(NetworkNode.id, NetworkNode.name).where(NetworkNode.id.in_(node_ids))
    )
    return {node_id: name for node_id, name in rows}


def describe(session: Session, principal: Principal, rows: list[Discovery]) -> list[DiscoveryOut]:
    """Rows with the names of their people and outcomes, read in two queries. A person's name
    shows only to callers whose row scope includes them (an editor reviewing a colleague's
    discovery from another team sees what was found, not who found it)."""
    scope = scope_for(session, principal)
    people = {r.reported_by_id for r in rows} | {r.reviewed_by_id for r in rows}
    names = _names(session, {i for i in people if i is not None and scope.allows_owner(i)})
    outcomes = _outcome_names(session, {r.outcome_id for r in rows if r.outcome_id})
    out = []
    for row in rows:
        item = DiscoveryOut.model_validate(row)
        item.reported_by = names.get(row.reported_by_id or 0)
        item.reviewed_by = names.get(row.reviewed_by_id or 0)
        item.outcome_name = outcomes.get(row.outcome_id or 0)
        out.append(item)
    return out


def discovery_out(session: Session, principal: Principal, discovery_id: int) -> DiscoveryOut:
    return describe(session, principal, [visible_discovery(session, principal, discovery_id)])[0]


def my_discoveries(session: Session, principal: Principal) -> list[DiscoveryOut]:
    rows = session.scalars(
        select(Discovery)
        .where(Discovery.reported_by_id == principal.user_id)
        .order_by(Discovery.created_at.desc(), Discovery.id.desc())
    )
    return describe(session, principal, list(rows))


# The CLI operator has no account: they read every discovery, with every name, and change
# nothing (the review commands are the pages' and the API's).
OPERATOR = Principal(
    user_id=0, email="cli", full_name="Operator", role=Role.EXECUTIVE, team_id=None
)


def review_queue(
    session: Session, principal: Principal, status: Status = Status.NEW
) -> list[DiscoveryOut]:
    """Discoveries in one state for editors: the oldest new ones first (they waited longest),
    reviewed ones the most recently reviewed first."""
    principal.require(Permission.EDIT_VALUE_NETWORKS)
    return _queue(session, principal, status)


def operator_queue(session: Session, status: Status = Status.NEW) -> list[DiscoveryOut]:
    return _queue(session, OPERATOR, status)


def _queue(session: Session, principal: Principal, status: Status) -> list[DiscoveryOut]:
    stmt = select(Discovery).where(Discovery.status == status.value)
    if status == Status.NEW:
        stmt = stmt.order_by(Discovery.created_at, Discovery.id)
    else:
        stmt = stmt.order_by(Discovery.reviewed_at.desc(), Discovery.id.desc())
    return describe(session, principal, list(session.scalars(stmt.limit(QUEUE_LIMIT))))


def _outcome(session: Session, node_id: int) -> NetworkNode:
    node = session.get(NetworkNode, node_id)
    if node is None or node.node_type != OUTCOME:
        raise NotFound(f"Outcome {node_id} not found.")
    return node


def _create_outcome(
    session: Session, principal: Principal, row: Discovery, data: ReviewIn
) -> NetworkNode:
    network_id = data.network_id or row.network_id
    if network_id is None:
        raise Invalid("network_id: choose the value network to add the outcome to.")
    if data.link_from_id is not None:
        source = session.get(NetworkNode, data.link_from_id)
        if source is None or source.network_id != network_id:
            raise Invalid(
                "link_from_id: the node to link from must be in the network the outcome "
                "is added to.",
                field="link_from_id",
            )
    node = editing.add_node(
        session,
        principal,
        network_id,
        NodeCreate(
            node_type="outcome",
            name=data.outcome_name,
            description=data.outcome_description or row.situation[:4000],
            outcome_kind=data.outcome_kind,
            executive=data.executive,
        ),
    )
    if data.link_from_id is not None:
        editing.add_link(
            session,
            principal,
            network_id,
            LinkCreate(source_id=data.link_from_id, target_id=node.id, rationale=""),
        )
    return node


def review(session: Session, principal: Principal, discovery_id: int, data: ReviewIn) -> Discovery:
    """Attach, create or decline; a discovery already reviewed answers 409."""
    principal.require(Permission.EDIT_VALUE_NETWORKS)
    # Lock the row so two editors reviewing at once cannot both move it out of "new".
    session.execute(select(Discovery.id).where(Discovery.id == discovery_id).with_for_update())
    row = visible_discovery(session, principal, discovery_id)
    session.refresh(row)
    try:
        status, resolution = apply(Status(row.status), data.action)
    except TransitionRefused as exc:
        raise Conflict(str(exc), field="action") from None
    if data.action == Action.ATTACH:
        assert data.outcome_id is not None  # the schema requires it
        node = _outcome(session, data.outcome_id)
        row.outcome_id, row.network_id = node.id, node.network_id
    elif data.action == Action.CREATE:
        node = _create_outcome(session, principal, row, data)
        row.outcome_id, row.network_id = node.id, node.network_id
    else:
        row.decline_reason = data.decline_reason.value if data.decline_reason else None
    row.status = status.value
    row.resolution = resolution.value if resolution else None
    row.review_note = data.note.strip()
    row.reviewed_by_id = principal.user_id
    row.reviewed_at = utcnow()
    session.flush()
    audit.record(
        session, principal.actor, f"discovery.{status.value}", ENTITY, row.id,
        {"action": data.action.value, "outcome_id": row.outcome_id,
         "decline_reason": row.decline_reason, "note": row.review_note},
    )  # fmt: skip
    return row
