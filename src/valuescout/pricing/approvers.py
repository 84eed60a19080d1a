"""Who may decide a request's current step, directly or standing in for an absent approver.

A step names an approver role: `manager` is any manager whose team subtree holds the deal's
owner; `price_desk` and `executive` are anyone with that role. Nobody decides a request they
asked for or a deal they own. A delegate stands in for an approver between the delegation's
dates and decides what the approver could, recorded as "on behalf of".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from valuescout.identity.models import User
from valuescout.identity.principal import Principal
from valuescout.identity.roles import Role
from valuescout.identity.scope import team_member_ids
from valuescout.pricing.models import PriceDelegation, PriceRequest
from valuescout.pricing.policy import ApproverRole

_ROLE_FOR_STEP = {
    Role.MANAGER: ApproverRole.MANAGER,
    Role.PRICE_DESK: ApproverRole.PRICE_DESK,
    Role.EXECUTIVE: ApproverRole.EXECUTIVE,
}


@dataclass(frozen=True)
class Authority:
    """Whose authority a user acts with: their own (user_id) or an absent approver's."""

    user_id: int
    role: Role
    team_id: int | None
    on_behalf_of: int | None  # None: their own authority


def step_role(role: Role) -> ApproverRole | None:
    return _ROLE_FOR_STEP.get(role)


def authorities(session: Session, principal: Principal, today: date) -> list[Authority]:
    """The caller's own authority, then each approver who delegated to them for today."""
    own = [Authority(principal.user_id, principal.role, principal.team_id, None)]
    rows = session.execute(
        select(User.id, User.role, User.team_id)
        .join(PriceDelegation, PriceDelegation.approver_id == User.id)
        .where(
            PriceDelegation.delegate_id == principal.user_id,
            PriceDelegation.revoked_at.is_(None),
            PriceDelegation.starts_on <= today,
            PriceDelegation.ends_on >= today,
            User.is_active.is_(True),
        )
        .order_by(User.id)
    ).all()
    return own + [Authority(uid, Role(role), team, uid) for uid, role, team in rows]


def _covers(session: Session, authority: Authority, request: PriceRequest) -> bool:
    wanted = request.waiting_role
    if wanted is None or step_role(authority.role) != ApproverRole(wanted):
        return False
    if authority.role == Role.MANAGER:
        if authority.team_id is None:
            return False
        return request.owner_id in team_member_ids(session, authority.team_id)
    return True


def acting_authority(
    session: Session, principal: Principal, request: PriceRequest, today: date
) -> Authority | None:
    """The authority the caller may decide this request's current step with, if any."""
    if principal.user_id in (request.requester_id, request.owner_id):
        return None
    for authority in authorities(session, principal, today):
        if authority.user_id in (request.requester_id, request.owner_id):
            continue  # standing in for the requester does not let anyone approve them
        if _covers(session, authority, request):
            return authority
    return None
