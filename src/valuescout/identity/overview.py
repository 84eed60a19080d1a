"""What the home page shows a signed-in user about themselves and the people in their scope."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from valuescout.core import audit
from valuescout.core.audit import AuditEntry, AuditFilter
from valuescout.core.models import utcnow
from valuescout.core.pagination import PageRequest
from valuescout.identity import auth_service, service
from valuescout.identity.models import Team, User
from valuescout.identity.principal import Principal
from valuescout.identity.roles import Permission, Role
from valuescout.identity.scope import scope_for


@dataclass(frozen=True)
class HomeOverview:
    user: User
    team: Team | None
    team_path: list[Team]
    people_in_scope: list[User]
    people_total: int
    role_counts: dict[str, int]
    active_tokens: int
    my_activity: list[AuditEntry]
    org_activity: list[AuditEntry]


def home_overview(session: Session, principal: Principal) -> HomeOverview:
    user = service.get_user(session, principal, principal.user_id)
    team = service.get_team_or_none(session, user.team_id)
    people: list[User] = []
    people_total = 0
    role_counts: dict[str, int] = {}
    if principal.can(Permission.VIEW_PEOPLE):
        page = service.list_users(session, principal, PageRequest(limit=8))
        people, people_total = page.items, page.total
        stmt = scope_for(session, principal).filter(
            select(User.role, func.count()).where(User.is_active.is_(True)), User.id
        )
        role_counts = {
            Role(row[0]).value: row[1] for row in session.execute(stmt.group_by(User.role))
        }
    now = utcnow()
    tokens = auth_service.list_tokens(session, principal)
    active = [
        t for t in tokens if t.revoked_at is None and (t.expires_at is None or t.expires_at > now)
    ]
    mine = audit.search(session, AuditFilter(actor_email=principal.email), PageRequest(limit=8))
    org: list[AuditEntry] = []
    if principal.can(Permission.VIEW_AUDIT):
        org = audit.search(session, AuditFilter(), PageRequest(limit=8)).items
    return HomeOverview(
        user=user,
        team=team,
        team_path=_team_path(session, team),
        people_in_scope=people,
        people_total=people_total,
        role_counts=role_counts,
        active_tokens=len(active),
        my_activity=mine.items,
        org_activity=org,
    )


def _team_path(session: Session, team: Team | None) -> list[Team]:
    """Company -> region -> team, for the breadcrumb under the user's name."""
    path: list[Team] = []
    current = team
    while current is not None and len(path) < 10:
        path.insert(0, current)
        current = service.get_team_or_none(session, current.parent_id)
    return path
