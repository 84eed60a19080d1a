"""The one row-scope helper every domain uses to limit what a caller sees.

seller and contributor: their own records; manager: records owned by anyone in their team
subtree; price desk, executive, admin: everything. Contributors also never see money fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVarTuple

from sqlalchemy import Select, false, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from valuescout.identity.hierarchy import subtree_ids
from valuescout.identity.models import Team, User
from valuescout.identity.principal import Principal
from valuescout.identity.roles import Permission, Role

Cols = TypeVarTuple("Cols")

_SEES_ALL = {Role.PRICE_DESK, Role.EXECUTIVE, Role.ADMIN}


@dataclass(frozen=True)
class Scope:
    principal: Principal
    owner_ids: frozenset[int] | None  # None means no limit

    @property
    def sees_everything(self) -> bool:
        return self.owner_ids is None

    @property
    def sees_money(self) -> bool:
        return self.principal.can(Permission.SEE_MONEY)

    def filter(
        self, stmt: Select[*Cols], owner_column: InstrumentedAttribute[Any]
    ) -> Select[*Cols]:
        """Limit a query to rows whose owner the caller may see."""
        if self.owner_ids is None:
            return stmt
        if not self.owner_ids:
            return stmt.where(false())
        return stmt.where(owner_column.in_(self.owner_ids))

    def allows_owner(self, owner_id: int | None) -> bool:
        return self.owner_ids is None or owner_id in self.owner_ids


def scope_for(session: Session, principal: Principal) -> Scope:
    if principal.role in _SEES_ALL:
        return Scope(principal, None)
    if principal.role == Role.MANAGER and principal.team_id is not None:
        return Scope(principal, frozenset(team_member_ids(session, principal.team_id)))
    return Scope(principal, frozenset({principal.user_id}))


def team_member_ids(session: Session, team_id: int) -> set[int]:
    """Users in a team and every team below it."""
    edges = [(row[0], row[1]) for row in session.execute(select(Team.id, Team.parent_id))]
    teams = subtree_ids(edges, team_id)
    return set(session.scalars(select(User.id).where(User.team_id.in_(teams))))
