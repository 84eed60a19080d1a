"""CSRF: a form post without this browser's valid token is refused with 403 and changes nothing.

Every state-changing form is posted exactly as the page would post it, except for the token:
missing, empty, wrong, taken from another browser, the raw cookie value, or signed with another
key. The database is compared before and after (users, teams, tokens, sessions, sign-in attempts,
audit entries). A control posts the same form with the right token, so "nothing changed" cannot
pass just because the form itself was broken.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from tests.factories import PASSWORD, Org, csrf_token, seeded_org, sign_in
from valuescout.core.audit import AuditEntry
from valuescout.core.security import sign
from valuescout.core.web.csrf import CSRF_COOKIE, CSRF_HEADER
from valuescout.identity import auth_service, service
from valuescout.identity.deps import SESSION_COOKIE
from valuescout.identity.models import ApiToken, SignInAttempt, Team, User, WebSession
from valuescout.identity.schemas import TokenCreate

EXPIRED = "This form has expired or came from elsewhere"


def snapshot(session_factory: sessionmaker[Session]) -> dict[str, Any]:
    """Everything a form could change, in a comparable shape."""
    with session_factory() as s:

        def rows(*columns: Any) -> list[tuple[Any, ...]]:
            return [tuple(r) for r in s.execute(select(*columns).order_by(columns[0]))]

        return {
            "users": rows(
                User.id,
                User.email,
                User.full_name,
                User.role,
                User.team_id,
                User.is_active,
                User.last_sign_in_at,
            ),
            "teams": rows(Team.id, Team.name, Team.kind, Team.parent_id),
            "api_tokens": rows(ApiToken.id, ApiToken.name, ApiToken.revoked_at),
            "web_sessions": rows(WebSession.id, WebSession.ended_at),
            "sign_in_attempts": s.scalar(select(func.count()).select_from(SignInAttempt)),
            "audit_entries": s.scalar(select(func.count()).select_from(AuditEntry)),
        }


@dataclass
class Scene:
    """A seeded org, the admin's browser (the victim) and a second, unrelated browser."""

    app: FastAPI
    session_factory: sessionmaker[Session]
    org: Org
    victim: TestClient
    other: TestClient
    token_id: int  # one of the admin's API tokens, for the revoke form


@dataclass(frozen=True)
class Action:
    name: str
    path: Callable[[Scene], str]
    form: Callable[[Scene], dict[str, str]]
    signed_in: bool = True  # the victim is signed in as the admin before posting


ACTIONS = [
    Action(
        "create a person",
        lambda sc: "/people",
        lambda sc: {
            "email": "new.person@example.com",
            "full_name": "New Person",
            "role": "seller",
            "team_id": str(sc.org.team_a.id),
            "password": PASSWORD,
        },
    ),
    Action(
        "change a person",
        lambda sc: f"/people/{sc.org.user('seller_b').id}",
        lambda sc: {"full_name": "Renamed", "role": "admin", "team_id": "", "is_active": "on"},
    ),
    Action(
        "create a team",
        lambda sc: "/teams",
        lambda sc: {"name": "East", "kind": "region", "parent_id": str(sc.org.company.id)},
    ),
    Action(
        "create an API token",
        lambda sc: "/account/tokens",
        lambda sc: {"name": "stolen", "expires_in_days": "30"},
    ),
    Action(
        "revoke an API token",
        lambda sc: f"/account/tokens/{sc.token_id}/revoke",
        lambda sc: {},
    ),
    Action("sign out", lambda sc: "/sign-out", lambda sc: {}),
    Action(
        "sign in",
        lambda sc: "/sign-in",
        lambda sc: {"email": "admin@example.com", "password": PASSWORD, "next": "/"},
        signed_in=False,
    ),
]

# How a forged or stale post gets the token wrong. None means: leave the field out.
BAD_TOKENS: dict[str, Callable[[Scene], str | None]] = {
    "missing": lambda sc: None,
    "empty": lambda sc: "",
    "wrong": lambda sc: "0" * 64,
    "another browser's": lambda sc: csrf_token(sc.other, "/sign-in"),
    "the raw cookie value": lambda sc: sc.victim.cookies[CSRF_COOKIE],
    "signed with another key": lambda sc: sign(
        "another-secret-key-" * 3, sc.victim.cookies[CSRF_COOKIE]
    ),
}


@pytest.fixture()
def make_scene(
    app: FastAPI, session_factory: sessionmaker[Session]
) -> Iterator[Callable[[Action], Scene]]:
    clients: list[TestClient] = []

    def browser() -> TestClient:
        client = TestClient(app, base_url="http://testserver")
        clients.append(client)
        return client

    def make(action: Action) -> Scene:
        org = seeded_org(session_factory)
        victim = browser()
        if action.signed_in:
            sign_in(victim, org.user("admin").email)
        else:
            victim.get("/sign-in")  # the browser has its CSRF cookie, as after any page view
        assert victim.cookies.get(CSRF_COOKIE)
        other = browser()
        with session_factory() as s:
            admin = service.principal_of(s.get(User, org.user("admin").id))  # type: ignore[arg-type]
            token, _secret = auth_service.create_token(s, admin, TokenCreate(name="keep"))
            s.commit()
        return Scene(app, session_factory, org, victim, other, token.id)

    yield make
    for client in clients:
        client.close()


def _post(scene: Scene, action: Action, token: str | None) -> Any:
    form = action.form(scene)
    if token is not None:
        form["csrf_token"] = token
    return scene.victim.post(action.path(scene), data=form, follow_redirects=False)


@pytest.mark.parametrize("bad", list(BAD_TOKENS))
@pytest.mark.parametrize("action", ACTIONS, ids=lambda a: a.name)
def test_form_post_without_a_valid_token_is_refused_and_changes_nothing(
    make_scene: Callable[[Action], Scene], action: Action, bad: str
) -> None:
    scene = make_scene(action)
    before = snapshot(scene.session_factory)

    response = _post(scene, action, BAD_TOKENS[bad](scene))

    assert response.status_code == 403, response.text
    assert EXPIRED in response.text
    assert SESSION_COOKIE not in response.headers.get("set-cookie", "")
    assert snapshot(scene.session_factory) == before
    # The browser is exactly as signed in (or not) as it was before.
    account = scene.victim.get("/account", follow_redirects=False)
    assert account.status_code == (200 if action.signed_in else 303)


@pytest.mark.parametrize("action", ACTIONS, ids=lambda a: a.name)
def test_the_same_post_with_the_right_token_goes_through(
    make_scene: Callable[[Action], Scene], action: Action
) -> None:
    """The control: the forms above are valid, only their tokens were not."""
    scene = make_scene(action)
    before = snapshot(scene.session_factory)

    response = _post(
        scene, action, csrf_token(scene.victim, "/account" if action.signed_in else "/sign-in")
    )

    assert response.status_code == 303, response.text  # every form here redirects on success
    assert snapshot(scene.session_factory) != before


def test_a_wrong_header_token_is_refused_even_with_a_right_form_token(
    make_scene: Callable[[Action], Scene],
) -> None:
    """htmx sends the token as a header; when present it is the one that counts."""
    action = next(a for a in ACTIONS if a.name == "create an API token")
    scene = make_scene(action)
    before = snapshot(scene.session_factory)
    good = csrf_token(scene.victim, "/account")
    form = {**action.form(scene), "csrf_token": good}

    refused = scene.victim.post(
        "/account/tokens", data=form, headers={CSRF_HEADER: "0" * 64}, follow_redirects=False
    )
    assert refused.status_code == 403
    assert snapshot(scene.session_factory) == before

    accepted = scene.victim.post(
        "/account/tokens",
        data=action.form(scene),
        headers={CSRF_HEADER: good},
        follow_redirects=False,
    )
    assert accepted.status_code == 303


def test_a_refused_sign_out_leaves_the_session_valid(
    make_scene: Callable[[Action], Scene],
) -> None:
    action = next(a for a in ACTIONS if a.name == "sign out")
    scene = make_scene(action)

    assert _post(scene, action, None).status_code == 403

    with scene.session_factory() as s:
        sessions = s.scalars(select(WebSession)).all()
    assert len(sessions) == 1
    assert sessions[0].ended_at is None
    home = scene.victim.get("/", follow_redirects=False)
    assert home.status_code == 200
    assert scene.org.user("admin").full_name in home.text


def test_a_refused_sign_in_is_not_even_an_attempt(
    make_scene: Callable[[Action], Scene],
) -> None:
    """Login CSRF: a forged sign-in neither signs the browser in nor counts toward lockout."""
    action = next(a for a in ACTIONS if a.name == "sign in")
    scene = make_scene(action)
    wrong_password = {"email": "admin@example.com", "password": "wrong-password", "next": "/"}

    for _ in range(10):
        response = scene.victim.post("/sign-in", data=wrong_password, follow_redirects=False)
        assert response.status_code == 403

    with scene.session_factory() as s:
        assert s.scalar(select(func.count()).select_from(SignInAttempt)) == 0
    assert SESSION_COOKIE not in scene.victim.cookies
    # The real owner can still sign in: nothing was locked out.
    sign_in(scene.victim, "admin@example.com")


def test_the_session_cookie_alone_does_not_drive_the_api(
    make_scene: Callable[[Action], Scene],
) -> None:
    """Our pages' scripts may call the JSON API with the session, but only with the CSRF
    header: a cookie that a forged cross-site request carries along changes nothing."""
    scene = make_scene(ACTIONS[0])
    before = snapshot(scene.session_factory)

    response = scene.victim.post("/api/v1/tokens", json={"name": "via-cookie"})
    assert response.status_code == 403
    forged = scene.victim.post(
        "/api/v1/tokens", json={"name": "via-cookie"}, headers={"X-CSRF-Token": "forged"}
    )
    assert forged.status_code == 403
    assert snapshot(scene.session_factory) == before

    reads = scene.victim.get("/api/v1/me")
    assert reads.status_code == 200  # reading needs no token: it changes nothing
    token = csrf_token(scene.victim, "/account")
    allowed = scene.victim.post(
        "/api/v1/tokens", json={"name": "from-our-page"}, headers={"X-CSRF-Token": token}
    )
    assert allowed.status_code == 201
