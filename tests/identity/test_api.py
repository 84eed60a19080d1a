"""JSON API for users, teams and tokens: behaviour, scoping and bad input."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from tests.factories import bearer, seeded_org, token_for
from valuescout.core.audit import AuditEntry
from valuescout.core.models import utcnow
from valuescout.identity.models import ApiToken, User


def test_me_returns_the_token_user(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    org = seeded_org(session_factory)
    secret = token_for(session_factory, org.user("seller"))
    response = client.get("/api/v1/me", headers=bearer(secret))
    assert response.status_code == 200
    assert response.json()["email"] == "seller@example.com"
    assert "password_hash" not in response.json()


def test_users_are_scoped_by_role(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    org = seeded_org(session_factory)
    as_manager = client.get(
        "/api/v1/users", headers=bearer(token_for(session_factory, org.user("manager")))
    )
    assert as_manager.status_code == 200
    emails = {u["email"] for u in as_manager.json()["items"]}
    assert emails == {"manager@example.com", "seller@example.com"}  # team A only
    as_exec = client.get(
        "/api/v1/users", headers=bearer(token_for(session_factory, org.user("executive")))
    )
    assert as_exec.json()["total"] == 7
    as_seller = client.get(
        "/api/v1/users", headers=bearer(token_for(session_factory, org.user("seller")))
    )
    assert as_seller.status_code == 403
    assert as_seller.json()["error"]["code"] == "forbidden"
    assert "items" not in as_seller.json()


def test_manager_cannot_read_a_user_outside_their_subtree(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    org = seeded_org(session_factory)
    headers = bearer(token_for(session_factory, org.user("manager")))
    assert client.get(f"/api/v1/users/{org.user('seller').id}", headers=headers).status_code == 200
    outside = client.get(f"/api/v1/users/{org.user('seller_b').id}", headers=headers)
    assert outside.status_code == 404
    assert "seller.b" not in outside.text


def test_admin_creates_and_changes_a_user_with_audit(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    org = seeded_org(session_factory)
    headers = bearer(token_for(session_factory, org.user("admin")))
    created = client.post(
        "/api/v1/users",
        headers=headers,
        json={
            "email": "New.Person@Example.com",
            "full_name": "New Person",
            "role": "seller",
            "team_id": org.team_b.id,
            "password": "a-long-password",
        },
    )
    assert created.status_code == 201, created.text
    user_id = created.json()["id"]
    assert created.json()["email"] == "new.person@example.com"
    changed = client.patch(f"/api/v1/users/{user_id}", headers=headers, json={"role": "manager"})
    assert changed.status_code == 200
    assert changed.json()["role"] == "manager"
    with session_factory() as s:
        actions = s.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.entity_id == str(user_id))
            .order_by(AuditEntry.id)
        ).all()
        assert actions == ["user.created", "user.updated"]
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "user.updated")).one()
        assert entry.changes == {"role": ["seller", "manager"]}
        assert entry.actor_email == "admin@example.com"


def test_duplicate_email_is_a_conflict_and_writes_nothing(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    org = seeded_org(session_factory)
    headers = bearer(token_for(session_factory, org.user("admin")))
    with session_factory() as s:
        before = s.scalar(select(func.count()).select_from(AuditEntry))
    response = client.post(
        "/api/v1/users",
        headers=headers,
        json={
            "email": "seller@example.com",
            "full_name": "Dup",
            "role": "seller",
            "password": "a-long-password",
        },
    )
    assert response.status_code == 409
    assert response.json()["error"]["field"] == "email"
    with session_factory() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == before
        assert s.scalar(select(func.count()).select_from(User)) == 7


def test_last_admin_cannot_be_demoted(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    org = seeded_org(session_factory)
    admin = org.user("admin")
    response = client.patch(
        f"/api/v1/users/{admin.id}",
        headers=bearer(token_for(session_factory, admin)),
        json={"role": "seller"},
    )
    assert response.status_code == 409
    with session_factory() as s:
        assert s.get(User, admin.id).role.value == "admin"  # type: ignore[union-attr]


def test_token_lifecycle_create_use_revoke(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    org = seeded_org(session_factory)
    headers = bearer(token_for(session_factory, org.user("seller")))
    created = client.post("/api/v1/tokens", headers=headers, json={"name": "laptop"})
    assert created.status_code == 201
    secret = created.json()["token"]
    assert secret.startswith("vs_")
    listed = client.get("/api/v1/tokens", headers=headers).json()
    assert all("token" not in t and "token_hash" not in t for t in listed)
    with session_factory() as s:
        stored = s.scalars(select(ApiToken.token_hash)).all()
        assert secret not in stored
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 200
    assert (
        client.delete(f"/api/v1/tokens/{created.json()['id']}", headers=headers).status_code == 204
    )
    refused = client.get("/api/v1/me", headers=bearer(secret))
    assert refused.status_code == 401
    assert refused.json()["error"]["message"] == "This API token was revoked."


def test_expired_and_unknown_tokens_are_refused(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    org = seeded_org(session_factory)
    secret = token_for(session_factory, org.user("seller"))
    with session_factory() as s:
        token = s.scalars(select(ApiToken)).one()
        token.expires_at = utcnow() - timedelta(seconds=1)
        s.commit()
    expired = client.get("/api/v1/me", headers=bearer(secret))
    assert expired.status_code == 401
    assert "expired" in expired.json()["error"]["message"]
    assert client.get("/api/v1/me", headers=bearer("vs_nonsense")).status_code == 401
    assert client.get("/api/v1/me", headers={"Authorization": "Basic abc"}).status_code == 401
    assert client.get("/api/v1/me").headers["www-authenticate"] == "Bearer"


def test_someone_elses_token_cannot_be_revoked(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    org = seeded_org(session_factory)
    token_for(session_factory, org.user("seller_b"))
    with session_factory() as s:
        victim = s.scalars(select(ApiToken)).one()
    response = client.delete(
        f"/api/v1/tokens/{victim.id}",
        headers=bearer(token_for(session_factory, org.user("seller"))),
    )
    assert response.status_code == 404
    with session_factory() as s:
        assert s.get(ApiToken, victim.id).revoked_at is None  # type: ignore[union-attr]


def test_bad_input_gets_clear_4xx_and_changes_nothing(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    org = seeded_org(session_factory)
    headers = bearer(token_for(session_factory, org.user("admin")))
    malformed = client.post(
        "/api/v1/users",
        headers={**headers, "Content-Type": "application/json"},
        content=b"{not json",
    )
    assert malformed.status_code == 422
    assert malformed.json()["error"]["code"] == "invalid"
    short = client.post(
        "/api/v1/users",
        headers=headers,
        json={"email": "x@example.com", "full_name": "X", "role": "seller", "password": "short"},
    )
    assert short.status_code == 422
    assert "password" in short.json()["error"]["message"]
    bad_role = client.post(
        "/api/v1/users",
        headers=headers,
        json={
            "email": "x@example.com",
            "full_name": "X",
            "role": "king",
            "password": "long-enough-pw",
        },
    )
    assert bad_role.status_code == 422
    huge = client.post(
        "/api/v1/users",
        headers={**headers, "Content-Type": "application/json"},
        content=b"{" + b" " * 6_000_000 + b"}",
    )
    assert huge.status_code == 413
    unknown_team = client.post(
        "/api/v1/users",
        headers=headers,
        json={
            "email": "x@example.com",
            "full_name": "X",
            "role": "seller",
            "team_id": 999,
            "password": "long-enough-pw",
        },
    )
    assert unknown_team.status_code == 422
    assert unknown_team.json()["error"]["field"] == "team_id"
    with session_factory() as s:
        assert s.scalar(select(func.count()).select_from(User)) == 7


def test_teams_are_listed_for_everyone_but_created_by_admins(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    org = seeded_org(session_factory)
    seller = bearer(token_for(session_factory, org.user("seller")))
    assert len(client.get("/api/v1/teams", headers=seller).json()) == 4
    body = {"name": "West C", "kind": "team", "parent_id": org.region.id}
    assert client.post("/api/v1/teams", headers=seller, json=body).status_code == 403
    admin = bearer(token_for(session_factory, org.user("admin")))
    assert client.post("/api/v1/teams", headers=admin, json=body).status_code == 201
    wrong_parent = {"name": "Bad", "kind": "team", "parent_id": org.company.id}
    response = client.post("/api/v1/teams", headers=admin, json=wrong_parent)
    assert response.status_code == 422
    assert "region" in response.json()["error"]["message"]


def test_update_refuses_null_for_required_fields_but_null_team_clears_it(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    org = seeded_org(session_factory)
    headers = bearer(token_for(session_factory, org.user("admin")))
    seller = org.user("seller")
    refused = client.patch(f"/api/v1/users/{seller.id}", headers=headers, json={"role": None})
    assert refused.status_code == 422 and "must not be null" in refused.json()["error"]["message"]
    cleared = client.patch(f"/api/v1/users/{seller.id}", headers=headers, json={"team_id": None})
    assert cleared.status_code == 200 and cleared.json()["team_id"] is None
    assert cleared.json()["role"] == "seller"


def test_json_types_are_strict(client: TestClient, session_factory: sessionmaker[Session]) -> None:
    org = seeded_org(session_factory)
    headers = bearer(token_for(session_factory, org.user("admin")))
    as_bool = client.post(
        "/api/v1/tokens", headers=headers, json={"name": "x", "expires_in_days": True}
    )
    assert as_bool.status_code == 422
    as_text = client.patch(
        f"/api/v1/users/{org.user('seller').id}",
        headers=headers,
        json={"is_active": "yes", "team_id": "3"},
    )
    assert as_text.status_code == 422
    padded = client.post("/api/v1/tokens", headers=headers, json={"name": " " + "n" * 100})
    assert padded.status_code == 422  # limits apply to what was sent, before trimming
    trimmed = client.post("/api/v1/tokens", headers=headers, json={"name": "  laptop  "})
    assert trimmed.json()["name"] == "laptop"
