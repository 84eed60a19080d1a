"""Use cases for people and teams. Services flush; the caller's unit of work commits."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from valuescout.core import audit
from valuescout.core.audit import Actor, AuditEntry, AuditFilter
from valuescout.core.errors import Conflict, Invalid, NotFound
from valuescout.core.pagination import Page, PageRequest
from valuescout.core.security import hash_password
from valuescout.identity.models import Team, TeamKind, User
from valuescout.identity.principal import Principal
from valuescout.identity.roles import Permission, Role
from valuescout.identity.schemas import TeamCreate, UserCreate, UserUpdate
from valuescout.identity.scope import scope_for


def principal_of(user: User) -> Principal:
    return Principal(
        user_id=user.id,
        email=user.email,
        full_name=user.full_name,
        role=user.role,
        team_id=user.team_id,
    )


def normalise_email(email: str) -> str:
    return email.strip().lower()


# --- users -----------------------------------------------------------------------------


def create_user(
    session: Session, actor: Actor, data: UserCreate, *, password_hash: str | None = None
) -> User:
    """Create a user. Authorisation is the caller's: adapters pass an admin or the CLI.

    `password_hash` lets a caller that gives many users the same password (the demo) hash it
    once; it must be the hash of `data.password`."""
    email = normalise_email(str(data.email))
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise Conflict(f"A user with email {email} already exists.", field="email")
    if data.team_id is not None:
        _get_team(session, data.team_id)
    user = User(
        email=email,
        full_name=data.full_name,
        role=data.role,
        team_id=data.team_id,
        password_hash=password_hash or hash_password(data.password),
        is_active=True,
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor,
        "user.created",
        "user",
        user.id,
        {"email": email, "role": data.role.value, "team_id": data.team_id},
    )
    return user


def admin_create_user(session: Session, principal: Principal, data: UserCreate) -> User:
    principal.require(Permission.MANAGE_USERS)
    return create_user(session, principal.actor, data)


def list_users(
    session: Session,
    principal: Principal,
    page: PageRequest,
    *,
    search: str | None = None,
    role: Role | None = None,
) -> Page[User]:
    principal.require(Permission.VIEW_PEOPLE)
    stmt = scope_for(session, principal).filter(select(User), User.id)
    if search:
        pattern = f"%{search.strip().lower()}%"
        stmt = stmt.where(func.lower(User.full_name).like(pattern) | User.email.like(pattern))
    if role:
        stmt = stmt.where(User.role == role)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(
        stmt.order_by(User.full_name, User.id).limit(page.limit).offset(page.offset)
    ).all()
    return Page(items=list(rows), total=total, limit=page.limit, offset=page.offset)


def get_user(session: Session, principal: Principal, user_id: int) -> User:
    """A user the caller may see; anyone else is 'not found' so nothing leaks."""
    user = session.get(User, user_id)
    visible = user is not None and (
        user.id == principal.user_id
        or (
            principal.can(Permission.VIEW_PEOPLE)
            and scope_for(session, principal).allows_owner(user.id)
        )
    )
    if not visible or user is None:
        raise NotFound(f"User {user_id} not found.")
    return user


def update_user(session: Session, actor: Actor, user_id: int, data: UserUpdate) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"User {user_id} not found.")
    before = {
        "full_name": user.full_name,
        "role": user.role.value,
        "team_id": user.team_id,
        "is_active": user.is_active,
    }
    changes = data.model_dump(exclude_unset=True)
    if "team_id" in changes and changes["team_id"] is not None:
        _get_team(session, changes["team_id"])
    demoting = "role" in changes and changes["role"] != Role.ADMIN
    deactivating = changes.get("is_active") is False
    if deactivating and actor.id == user.id:
        raise Invalid("You cannot deactivate your own account.", field="is_active")
    if user.role == Role.ADMIN and user.is_active and (demoting or deactivating):
        _refuse_removing_last_admin(session, user.id)
    for field, value in changes.items():
        setattr(user, field, value)
    session.flush()
    after = {
        "full_name": user.full_name,
        "role": user.role.value,
        "team_id": user.team_id,
        "is_active": user.is_active,
    }
    delta = audit.diff(before, after)
    if delta:
        audit.record(session, actor, "user.updated", "user", user.id, delta)
    return user


def admin_update_user(
    session: Session, principal: Principal, user_id: int, data: UserUpdate
) -> User:
    principal.require(Permission.MANAGE_USERS)
    return update_user(session, principal.actor, user_id, data)


def find_user_by_email(session: Session, email: str) -> User:
    user = session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        raise NotFound(f"No user with email {normalise_email(email)}.", field="email")
    return user


def all_users(session: Session) -> list[User]:
    """Every user, for operators at the CLI (who have the database in hand)."""
    return list(session.scalars(select(User).order_by(User.email)))


def _refuse_removing_last_admin(session: Session, user_id: int) -> None:
    others = session.scalar(
        select(func.count())
        .select_from(User)
        .where(User.role == Role.ADMIN, User.is_active.is_(True), User.id != user_id)
    )
    if not others:
        raise Conflict("This is the last active administrator; appoint another one first.")


# --- teams -----------------------------------------------------------------------------


def list_teams(session: Session, principal: Principal) -> list[Team]:
    """The organisation chart is visible to every signed-in user."""
    return all_teams(session)


def create_team(session: Session, actor: Actor, data: TeamCreate) -> Team:
    if session.scalar(select(Team.id).where(Team.name == data.name)) is not None:
        raise Conflict(f"A team named {data.name!r} already exists.", field="name")
    expected_parent = TeamKind.PARENT_OF.get(data.kind)
    if expected_parent is None:
        if data.parent_id is not None:
            raise Invalid("A company has no parent.", field="parent_id")
        if session.scalar(select(Team.id).where(Team.kind == TeamKind.COMPANY)) is not None:
            raise Conflict("There is already a company; add regions and teams under it.")
    else:
        if data.parent_id is None:
            raise Invalid(f"A {data.kind} needs a parent {expected_parent}.", field="parent_id")
        parent = _get_team(session, data.parent_id)
        if parent.kind != expected_parent:
            raise Invalid(
                f"A {data.kind} must sit under a {expected_parent}, not a {parent.kind}.",
                field="parent_id",
            )
    team = Team(name=data.name, kind=data.kind, parent_id=data.parent_id)
    session.add(team)
    session.flush()
    audit.record(session, actor, "team.created", "team", team.id, data.model_dump())
    return team


def admin_create_team(session: Session, principal: Principal, data: TeamCreate) -> Team:
    principal.require(Permission.MANAGE_TEAMS)
    return create_team(session, principal.actor, data)


def all_teams(session: Session) -> list[Team]:
    return list(session.scalars(select(Team).order_by(Team.name)))


def find_team_by_name(session: Session, name: str) -> Team:
    team = session.scalar(select(Team).where(Team.name == name.strip()))
    if team is None:
        raise NotFound(f"No team named {name.strip()!r}.", field="team")
    return team


def get_team_or_none(session: Session, team_id: int | None) -> Team | None:
    return session.get(Team, team_id) if team_id is not None else None


def _get_team(session: Session, team_id: int) -> Team:
    team = session.get(Team, team_id)
    if team is None:
        raise Invalid(f"Team {team_id} does not exist.", field="team_id")
    return team


# --- audit trail -----------------------------------------------------------------------------


def browse_audit(
    session: Session, principal: Principal, flt: AuditFilter, page: PageRequest
) -> Page[AuditEntry]:
    principal.require(Permission.VIEW_AUDIT)
    return audit.search(session, flt, page)
