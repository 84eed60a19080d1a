"""The authenticated caller, as services see it."""

from __future__ import annotations

from dataclasses import dataclass

from valuescout.core.audit import Actor
from valuescout.core.errors import Forbidden
from valuescout.identity.roles import Permission, Role, has_permission


@dataclass(frozen=True)
class Principal:
    user_id: int
    email: str
    full_name: str
    role: Role
    team_id: int | None

    @property
    def actor(self) -> Actor:
        return Actor(id=self.user_id, email=self.email)

    def can(self, permission: Permission) -> bool:
        return has_permission(self.role, permission)

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            raise Forbidden("Your role does not allow this.")
