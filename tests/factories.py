"""Small factories for tests: an organisation, users in every role, tokens, signed-in clients."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import count

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from valuescout.core.audit import Actor
from valuescout.identity import auth_service, service
from valuescout.identity.models import Team, User
from valuescout.identity.roles import Role
from valuescout.identity.schemas import TeamCreate, TokenCreate, UserCreate

PASSWORD = "correct-horse-battery"
TEST_ACTOR = Actor(id=None, email="test-setup")
_seq = count(1)


@dataclass
class Org:
    """company -> region -> two teams, with one user per role and a second seller."""

    company: Team
    region: Team
    team_a: Team
    team_b: Team
    users: dict[str, User] = field(default_factory=dict)

    def user(self, key: str) -> User:
        return self.users[key]


def make_team(session: Session, name: str, kind: str, parent: Team | None = None) -> Team:
    return service.create_team(
        session,
        TEST_ACTOR,
        TeamCreate(name=name, kind=kind, parent_id=parent.id if parent else None),
    )


def make_user(
    session: Session,
    role: Role,
    team: Team | None = None,
    *,
    email: str | None = None,
    name: str | None = None,
    password: str = PASSWORD,
) -> User:
    n = next(_seq)
    return service.create_user(
        session,
        TEST_ACTOR,
        UserCreate(
            email=email or f"{role.value}{n}@example.com",
            full_name=name or f"{role.value.title()} Person {n}",
            role=role,
            team_id=team.id if team else None,
            password=password,
        ),
    )


def make_org(session: Session) -> Org:
    company = make_team(session, "Acme", "company")
    region = make_team(session, "West", "region", company)
    team_a = make_team(session, "West A", "team", region)
    team_b = make_team(session, "West B", "team", region)
    org = Org(company, region, team_a, team_b)
    org.users = {
        "admin": make_user(session, Role.ADMIN, company, email="admin@example.com"),
        "executive": make_user(session, Role.EXECUTIVE, company, email="exec@example.com"),
        "price_desk": make_user(session, Role.PRICE_DESK, company, email="desk@example.com"),
        "manager": make_user(session, Role.MANAGER, team_a, email="manager@example.com"),
        "seller": make_user(session, Role.SELLER, team_a, email="seller@example.com"),
        "seller_b": make_user(session, Role.SELLER, team_b, email="seller.b@example.com"),
        "contributor": make_user(session, Role.CONTRIBUTOR, region, email="contrib@example.com"),
    }
    session.flush()
    return org


def seeded_org(session_factory: sessionmaker[Session]) -> Org:
    """An organisation committed to the database, for API and page tests."""
    with session_factory() as s:
        org = make_org(s)
        s.commit()
        return org


def token_for(session_factory: sessionmaker[Session], user: User, **kwargs: object) -> str:
    with session_factory() as s:
        principal = service.principal_of(s.get(User, user.id))  # type: ignore[arg-type]
        _token, secret = auth_service.create_token(
            s,
            principal,
            TokenCreate(name="test", **kwargs),  # type: ignore[arg-type]
        )
        s.commit()
        return secret


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "page has no CSRF token"
    return match.group(1)


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> None:
    page = client.get("/sign-in")
    response = client.post(
        "/sign-in",
        data={"email": email, "password": password, "csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


def csrf_token(client: TestClient, path: str = "/") -> str:
    return csrf_from(client.get(path).text)
