"""Delegations: an approver names who decides for them while they are away."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased

from valuescout.core import audit
from valuescout.core.errors import Forbidden, Invalid, NotFound
from valuescout.core.models import utcnow
from valuescout.identity.models import User
from valuescout.identity.principal import Principal
from valuescout.identity.roles import Role
from valuescout.identity.scope import scope_for
from valuescout.pricing.approvers import step_role
from valuescout.pricing.models import PriceDelegation
from valuescout.pricing.schemas import DelegationIn, DelegationOut

ENTITY = "price_delegation"
# A delegate must be able to read a request's prices and evidence.
DELEGATE_ROLES = {Role.MANAGER, Role.PRICE_DESK, Role.EXECUTIVE, Role.SELLER}


def candidates(session: Session, principal: Principal) -> list[tuple[int, str]]:
    """Who an approver may name as delegate: the active sellers, managers, price desk members
    and executives they may see (a manager: their team's). Listing people outside the caller's
    view would show names the rest of the product keeps from them."""
    if step_role(principal.role) is None:
        raise Forbidden("Only approvers (managers, price desk, executives) delegate.")
    stmt = (
        select(User.id, User.full_name)
        .where(
            User.is_active.is_(True),
            User.id != principal.user_id,
            User.role.in_([r.value for r in DELEGATE_ROLES]),
        )
        .order_by(User.full_name, User.id)
    )
    return list(session.execute(scope_for(session, principal).filter(stmt, User.id)).tuples())


def create(session: Session, principal: Principal, body: DelegationIn) -> PriceDelegation:
    if step_role(principal.role) is None:
        raise Forbidden("Only approvers (managers, price desk, executives) delegate.")
    if body.delegate_id == principal.user_id:
        raise Invalid("Delegate to someone else.", field="delegate_id")
    delegate = session.get(User, body.delegate_id)
    if delegate is None or not delegate.is_active or Role(delegate.role) not in DELEGATE_ROLES:
        raise Invalid(
            "The delegate must be an active seller, manager, price desk member or executive.",
            field="delegate_id",
        )
    row = PriceDelegation(
        approver_id=principal.user_id,
        delegate_id=body.delegate_id,
        starts_on=body.starts_on,
        ends_on=body.ends_on,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        principal.actor,
        "create",
        ENTITY,
        row.id,
        {"delegate_id": row.delegate_id, "from": str(row.starts_on), "to": str(row.ends_on)},
    )
    return row


def revoke(session: Session, principal: Principal, delegation_id: int) -> None:
    row = session.get(PriceDelegation, delegation_id)
    if row is None or principal.user_id not in (row.approver_id, row.delegate_id):
        raise NotFound(f"Delegation {delegation_id} not found.")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        session.flush()
        audit.record(session, principal.actor, "revoke", ENTITY, row.id)


def mine(session: Session, principal: Principal) -> list[DelegationOut]:
    """Delegations the caller gave or received that are not revoked or over."""
    approver, delegate = aliased(User), aliased(User)
    today = utcnow().date()
    rows = session.execute(
        select(PriceDelegation, approver.full_name, delegate.full_name)
        .join(approver, approver.id == PriceDelegation.approver_id)
        .join(delegate, delegate.id == PriceDelegation.delegate_id)
        .where(
            or_(
                PriceDelegation.approver_id == principal.user_id,
                PriceDelegation.delegate_id == principal.user_id,
            ),
            PriceDelegation.revoked_at.is_(None),
            PriceDelegation.ends_on >= today,
        )
        .order_by(PriceDelegation.starts_on, PriceDelegation.id)
    ).all()
    return [
        DelegationOut(
            id=row.id,
            approver_id=row.approver_id,
            approver_name=a,
            delegate_id=row.delegate_id,
            delegate_name=d,
            starts_on=row.starts_on,
            ends_on=row.ends_on,
            active=row.starts_on <= today <= row.ends_on,
        )
        for row, a, d in rows
    ]
