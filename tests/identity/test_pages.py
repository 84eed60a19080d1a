"""Identity pages through the real app: sign-in, account tokens, people, organisation."""

from __future__ import annotations

from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from tests.factories import PASSWORD, csrf_from, csrf_token, seeded_org, sign_in
from valuescout.identity.models import ApiToken, Team, User


def _post(client: TestClient, path: str, data: dict[str, str], page: str = "/") -> Response:
    return client.post(
        path, data={**data, "csrf_token": csrf_token(client, page)}, follow_redirects=False
    )


def test_sign_in_redirects_to_next_and_sign_out_ends_it(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    seeded_org(session_factory)
    assert client.get("/people", follow_redirects=False).headers["location"] == (
        "/sign-in?next=/people"
    )
    form = client.get("/sign-in?next=/people")
    assert 'value="/people"' in form.text
    response = client.post(
        "/sign-in",
        data={
            "email": "manager@example.com",
            "password": PASSWORD,
            "next": "/people",
            "csrf_token": csrf_from(form.text),
        },
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/people"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "samesite=lax" in cookie.lower()
    assert client.get("/people").status_code == 200
    out = _post(client, "/sign-out", {})
    assert out.status_code == 303
    assert client.get("/", follow_redirects=False).status_code == 303
    assert "You are signed out." in client.get("/sign-in").text


def test_next_cannot_send_users_to_another_site(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    seeded_org(session_factory)
    for target in ("https://evil.example/", "//evil.example", "javascript:alert(1)"):
        # A fresh form each time: signing in replaces the CSRF cookie (session fixation).
        form = client.get("/sign-in")
        response = client.post(
            "/sign-in",
            data={
                "email": "seller@example.com",
                "password": PASSWORD,
                "next": target,
                "csrf_token": csrf_from(form.text),
            },
            follow_redirects=False,
        )
        assert response.headers["location"] == "/"


def test_wrong_password_shows_a_message_and_lockout_answers_429(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    seeded_org(session_factory)
    token = csrf_token(client, "/sign-in")
    for _ in range(5):
        wrong = client.post(
            "/sign-in",
            data={"email": "seller@example.com", "password": "wrong-password", "csrf_token": token},
        )
        assert wrong.status_code == 401
        assert "Email or password is wrong." in wrong.text
    locked = client.post(
        "/sign-in", data={"email": "seller@example.com", "password": PASSWORD, "csrf_token": token}
    )
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.text
    assert int(locked.headers["retry-after"]) > 0
    assert client.get("/", follow_redirects=False).status_code == 303


def test_home_shows_the_users_real_items(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    seeded_org(session_factory)
    sign_in(client, "manager@example.com")
    home = client.get("/")
    assert home.status_code == 200
    assert "Acme" in home.text and "West A" in home.text
    assert 'data-testid="people-card"' in home.text
    assert "seller@example.com" not in home.text  # names shown, emails stay on People
    assert "user.signed_in" in home.text  # their own activity
    assert 'href="/people"' in home.text and 'href="/admin/audit"' not in home.text


def test_contributor_home_has_no_people_and_no_audit(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    seeded_org(session_factory)
    sign_in(client, "contrib@example.com")
    home = client.get("/")
    assert home.status_code == 200
    assert 'data-testid="people-card"' not in home.text
    assert 'href="/people"' not in home.text
    assert client.get("/people").status_code == 403


def test_token_secret_is_shown_once(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    seeded_org(session_factory)
    sign_in(client, "seller@example.com")
    created = _post(
        client, "/account/tokens", {"name": "laptop", "expires_in_days": "30"}, "/account"
    )
    assert created.status_code == 303 and created.headers["location"] == "/account"
    shown = client.get("/account")
    assert 'data-testid="token-secret"' in shown.text and "is created" in shown.text
    again = client.get("/account")
    assert 'data-testid="token-secret"' not in again.text and "laptop" in again.text
    bad = _post(client, "/account/tokens", {"name": "", "expires_in_days": "abc"}, "/account")
    assert bad.status_code == 400
    with session_factory() as s:
        token = s.scalars(select(ApiToken)).one()
    revoked = _post(client, f"/account/tokens/{token.id}/revoke", {}, "/account")
    assert revoked.status_code == 303
    assert "revoked" in client.get("/account").text


def test_admin_adds_and_edits_a_person_through_forms(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    org = seeded_org(session_factory)
    sign_in(client, "admin@example.com")
    created = _post(
        client,
        "/people",
        {
            "email": "new@example.com",
            "full_name": "New Hire",
            "role": "seller",
            "team_id": str(org.team_b.id),
            "password": "a-long-password",
        },
        "/people/new",
    )
    assert created.status_code == 303, created.text
    with session_factory() as s:
        user = s.scalars(select(User).where(User.email == "new@example.com")).one()
    page = client.get(f"/people/{user.id}")
    assert "New Hire" in page.text and "can now sign in" in page.text
    edited = _post(
        client,
        f"/people/{user.id}",
        {
            "full_name": "New Hire",
            "role": "manager",
            "team_id": str(org.team_b.id),
            "is_active": "on",
        },
        f"/people/{user.id}",
    )
    assert edited.status_code == 303
    with session_factory() as s:
        assert s.get(User, user.id).role.value == "manager"  # type: ignore[union-attr]


def test_person_form_errors_are_shown_and_nothing_is_written(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    seeded_org(session_factory)
    sign_in(client, "admin@example.com")
    bad = _post(
        client,
        "/people",
        {
            "email": "not-an-email",
            "full_name": "X",
            "role": "seller",
            "team_id": "",
            "password": "a-long-password",
        },
        "/people/new",
    )
    assert bad.status_code == 400
    assert "email" in bad.text
    dup = _post(
        client,
        "/people",
        {
            "email": "seller@example.com",
            "full_name": "X",
            "role": "seller",
            "team_id": "",
            "password": "a-long-password",
        },
        "/people/new",
    )
    assert dup.status_code == 409 and "already exists" in dup.text
    with session_factory() as s:
        assert s.scalar(select(func.count()).select_from(User)) == 7


def test_admin_cannot_deactivate_themselves_in_the_form(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    org = seeded_org(session_factory)
    admin = org.user("admin")
    sign_in(client, "admin@example.com")
    response = _post(
        client,
        f"/people/{admin.id}",
        {"full_name": "Admin", "role": "admin", "team_id": ""},
        f"/people/{admin.id}",
    )
    assert response.status_code == 422
    with session_factory() as s:
        assert s.get(User, admin.id).is_active  # type: ignore[union-attr]


def test_people_search_and_role_filter(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    seeded_org(session_factory)
    sign_in(client, "exec@example.com")
    listing = client.get("/people?role=seller")
    assert "seller@example.com" in listing.text and "admin@example.com" not in listing.text
    assert "2 people" in listing.text
    found = client.get("/people?q=SELLER.B")
    assert "seller.b@example.com" in found.text and "1 people" in found.text


def test_organisation_tree_and_adding_a_team(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    org = seeded_org(session_factory)
    sign_in(client, "admin@example.com")
    page = client.get("/teams")
    assert page.status_code == 200 and "West A" in page.text
    added = _post(
        client,
        "/teams",
        {"name": "West C", "kind": "team", "parent_id": str(org.region.id)},
        "/teams",
    )
    assert added.status_code == 303
    wrong = _post(client, "/teams", {"name": "Loose", "kind": "team", "parent_id": ""}, "/teams")
    assert wrong.status_code == 422
    assert "needs a parent region" in wrong.text
    with session_factory() as s:
        assert s.scalar(select(func.count()).select_from(Team)) == 5


def test_people_filters_left_blank_mean_everyone(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    seeded_org(session_factory)
    sign_in(client, "admin@example.com")
    response = client.get("/people?q=&role=")
    assert response.status_code == 200 and "7 people" in response.text
    assert 'id="people-results"' in response.text and 'hx-get="/people"' in response.text
