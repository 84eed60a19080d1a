"""Session fixation: no cookie value known before sign-in grants anything after it, and
sign-out ends the session on the server, not only in the browser."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tests.factories import PASSWORD, csrf_from, seeded_org, sign_in
from valuescout.core.security import hash_token
from valuescout.core.web.csrf import CSRF_COOKIE
from valuescout.identity.deps import SESSION_COOKIE
from valuescout.identity.models import WebSession


def _sign_in(client: TestClient, email: str) -> str:
    form = client.get("/sign-in")
    response = client.post(
        "/sign-in",
        data={"email": email, "password": PASSWORD, "csrf_token": csrf_from(form.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return response.cookies[SESSION_COOKIE]


def _with_cookie(client: TestClient, value: str) -> TestClient:
    """A separate browser that presents only this session cookie."""
    other = TestClient(client.app, base_url="http://testserver")
    other.cookies.set(SESSION_COOKIE, value)
    return other


def _grants_access(client: TestClient, value: str) -> bool:
    browser = _with_cookie(client, value)
    page = browser.get("/account", follow_redirects=False)
    api = browser.get("/api/v1/me")
    assert (page.status_code == 200) == (api.status_code == 200), (page, api)
    if page.status_code != 200:
        assert page.status_code == 303 and page.headers["location"].startswith("/sign-in")
        assert api.status_code == 401
    return page.status_code == 200


def test_a_planted_session_cookie_is_replaced_and_worthless(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    seeded_org(session_factory)
    planted = "vss_chosen-by-the-attacker"
    client.cookies.set(SESSION_COOKIE, planted, domain="testserver.local")
    csrf_before = client.get("/sign-in") and client.cookies[CSRF_COOKIE]
    issued = _sign_in(client, "seller@example.com")
    assert issued != planted
    assert client.cookies[SESSION_COOKIE] == issued
    assert client.cookies[CSRF_COOKIE] != csrf_before  # the CSRF cookie is replaced too
    assert _grants_access(client, issued)
    assert not _grants_access(client, planted)
    with session_factory() as s:  # the server never stored the planted value
        stored = s.scalars(select(WebSession.token_hash)).all()
    assert hash_token(planted) not in stored and hash_token(issued) in stored


def test_a_session_the_browser_had_before_signing_in_ends(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    seeded_org(session_factory)
    # Someone else's valid session (say, the attacker's own) is fixed into the browser.
    attackers = _sign_in(client, "seller.b@example.com")
    assert _grants_access(client, attackers)
    victims = _sign_in(client, "manager@example.com")
    assert victims != attackers
    assert not _grants_access(client, attackers)  # ended on the server
    assert client.get("/api/v1/me", headers={"X-CSRF-Token": "-"}).json()["email"] == (
        "manager@example.com"
    )


def test_sign_out_ends_the_session_on_the_server(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    seeded_org(session_factory)
    sign_in(client, "admin@example.com")
    cookie = client.cookies[SESSION_COOKIE]
    assert _grants_access(client, cookie)
    form = client.get("/account")
    out = client.post(
        "/sign-out", data={"csrf_token": csrf_from(form.text)}, follow_redirects=False
    )
    assert out.status_code == 303
    assert SESSION_COOKIE not in client.cookies  # the browser forgets it ...
    assert not _grants_access(client, cookie)  # ... and replaying it gets nothing
    with session_factory() as s:
        ended = s.scalar(
            select(WebSession.ended_at).where(WebSession.token_hash == hash_token(cookie))
        )
    assert ended is not None
