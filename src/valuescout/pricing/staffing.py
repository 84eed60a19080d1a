"""A routed chain as it can actually be decided: a `manager` step needs a manager over the
deal's owner other than the requester. Where there is none (a team without a manager, a
manager's own deal or request), the step goes to an executive, or is dropped when an executive
already decides later in the chain."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from valuescout.identity.models import Team, User
from valuescout.identity.roles import Role
from valuescout.pricing.policy import ApproverRole


def has_manager_over(session: Session, owner_id: int, requester_id: int | None = None) -> bool:
    """An active manager (not the owner, nor the requester) in the owner's team or above."""
    team_id = session.scalar(select(User.team_id).where(User.id == owner_id))
    parents = {row[0]: row[1] for row in session.execute(select(Team.id, Team.parent_id))}
    chain: list[int] = []
    while team_id is not None and team_id not in chain:
        chain.append(team_id)
        team_id = parents.get(team_id)
    if not chain:
        return False
    found = session.scalar(
        select(User.id)
        .where(
            User.role == Role.MANAGER,
            User.is_active.is_(True),
            User.team_id.in_(chain),
            User.id.not_in({owner_id, requester_id or owner_id}),
        )
        .limit(1)
    )
    return found is not None


def staffed_route(
    session: Session, owner_id: int, route: list[ApproverRole], requester_id: int | None = None
) -> tuple[list[ApproverRole], list[str]]:
    """The route with unstaffed manager steps moved to an executive, and notes saying so.
    Nobody decides their own request, so a manager who asked does not staff the step."""
    if ApproverRole.MANAGER not in route or has_manager_over(session, owner_id, requester_id):
        return route, []
    notes = ["No manager over the deal's owner"]
    if ApproverRole.EXECUTIVE in route:
        notes[0] += ": the manager step is dropped; an executive decides later in the chain."
        return [r for r in route if r != ApproverRole.MANAGER], notes
    notes[0] += ": an executive decides the manager step."
    return [ApproverRole.EXECUTIVE if r == ApproverRole.MANAGER else r for r in route], notes
