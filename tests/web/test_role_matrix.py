"""Every route x every role: who gets in, who is refused, and that refusals leak nothing.

The matrix is checked against the app's own routes: a route it does not classify fails
`test_every_route_is_in_the_matrix`, so a new endpoint cannot ship without someone deciding who
may use it. Each matrix row runs against a fresh seeded organisation, once per role:

- anonymous: 401 JSON under /api/v1, a 303 to /sign-in for pages (the sign-in page excepted);
- a role without the right: 403 (or 404 where hiding existence is the rule), no data;
- a role with the right: 2xx, or 303 for a successful form post.

API calls use bearer tokens; pages sign in through the form, one browser (TestClient) per role,
and every form post carries that browser's CSRF token.

On top of the status, every response is checked for leaks: the email or full name of a user
outside the caller's row scope must never appear in it, whatever the status.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker
from starlette.routing import Mount

from tests.factories import PASSWORD, Org, bearer, csrf_token, seeded_org, sign_in, token_for
from tests.web import (
    matrix_analytics,
    matrix_deals,
    matrix_deals_pages,
    matrix_forecast,
    matrix_pricing,
    matrix_pricing_pages,
    matrix_valuenet,
)
from valuescout.core.security import sign
from valuescout.core.web.csrf import CSRF_COOKIE
from valuescout.identity import auth_service, service
from valuescout.identity.models import User
from valuescout.identity.schemas import TokenCreate

ANONYMOUS = "anonymous"
SIGNED_IN = ("seller", "manager", "price_desk", "executive", "admin", "contributor")
ROLES = (ANONYMOUS, *SIGNED_IN)
EVERYONE = frozenset(SIGNED_IN)
VIEW_PEOPLE = frozenset({"manager", "price_desk", "executive", "admin"})
SEES_ALL = frozenset({"price_desk", "executive", "admin"})
ADMIN = frozenset({"admin"})
EDITORS = frozenset({"manager", "admin"})  # Permission.EDIT_VALUE_NETWORKS

# Whose records each role may see (keys of the seeded org's users). Anything else must not leak.
ORG_USERS = ("admin", "executive", "price_desk", "manager", "seller", "seller_b", "contributor")
VISIBLE: dict[str, frozenset[str]] = {
    ANONYMOUS: frozenset(),
    "seller": frozenset({"seller"}),
    "contributor": frozenset({"contributor"}),
    "manager": frozenset({"manager", "seller"}),  # team West A
    "price_desk": frozenset(ORG_USERS),
    "executive": frozenset(ORG_USERS),
    "admin": frozenset(ORG_USERS),
}

# Static files are public by design and not part of the matrix (nor are the OpenAPI docs).
STATIC_PREFIX = "/static"


# --- the matrix --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Expect:
    status: int
    location: str | None = None  # for redirects: the Location header starts with this

    def __str__(self) -> str:
        return f"{self.status}" + (f" -> {self.location}" if self.location else "")


SIGN_IN_REDIRECT = Expect(303, "/sign-in")
UNAUTHENTICATED = Expect(401)


@dataclass
class World:
    """One seeded organisation and the browsers/tokens of every role against it."""

    app: FastAPI
    session_factory: sessionmaker[Session]
    org: Org
    stack: ExitStack
    _callers: dict[tuple[str, bool], Caller] = field(default_factory=dict)
    networks: dict[str, dict[str, int]] = field(default_factory=dict)  # per role: matrix_valuenet

    def user(self, role: str) -> User:
        """The role's own user; anonymous callers get the seller as 'someone' for path params."""
        return self.org.user("seller" if role == ANONYMOUS else role)

    def token_id(self, owner: User) -> int:
        with self.session_factory() as s:
            principal = service.principal_of(s.get(User, owner.id))  # type: ignore[arg-type]
            token, _secret = auth_service.create_token(s, principal, TokenCreate(name="target"))
            s.commit()
            return token.id

    def caller(self, role: str, *, api: bool) -> Caller:
        key = (role, api)
        if key not in self._callers:
            self._callers[key] = self._new_caller(role, api=api)
        return self._callers[key]

    def _new_caller(self, role: str, *, api: bool) -> Caller:
        client = self.stack.enter_context(TestClient(self.app, base_url="http://testserver"))
        if api:
            headers = (
                {}
                if role == ANONYMOUS
                else bearer(token_for(self.session_factory, self.user(role)))
            )
            return Caller(client, headers=headers)
        if role == ANONYMOUS:
            return Caller(client, csrf=csrf_token(client, "/sign-in"))
        sign_in(client, self.user(role).email)
        # The form token a page would carry: the CSRF cookie signed (core/web/csrf.py), without
        # rendering a page per role per row just to read it.
        cookie = client.cookies[CSRF_COOKIE]
        return Caller(client, csrf=sign(self.app.state.settings.secret_key, cookie))

    def leaks(self, role: str, text: str) -> list[str]:
        """Emails and names of users the role may not see that appear in `text`."""
        hidden = [self.org.user(k) for k in ORG_USERS if k not in VISIBLE[role]]
        markers = [marker for user in hidden for marker in (user.email, user.full_name)]
        # "Seller Person 1" must not match "Seller Person 12": the marker ends the word.
        return [m for m in markers if re.search(re.escape(m) + r"(?![\w.])", text)]


@dataclass
class Caller:
    client: TestClient
    headers: dict[str, str] = field(default_factory=dict)
    csrf: str | None = None


Params = Callable[[World, str], dict[str, int]]
Body = Callable[[World, str], dict[str, Any]]


def no_params(world: World, role: str) -> dict[str, int]:
    return {}


def user_param(key: str | None) -> Params:
    """`user_id` of a fixed org user, or of the caller itself when key is None."""

    def params(world: World, role: str) -> dict[str, int]:
        user = world.user(role) if key is None else world.org.user(key)
        return {"user_id": user.id}

    return params


def own_token(world: World, role: str) -> dict[str, int]:
    return {"token_id": world.token_id(world.user(role))}


def someone_elses_token(world: World, role: str) -> dict[str, int]:
    return {"token_id": world.token_id(world.org.user("seller_b"))}


@dataclass(frozen=True)
class Case:
    method: str
    path: str
    expect: Mapping[str, Expect]
    params: Params = no_params
    body: Body | None = None
    label: str = ""
    query: Mapping[str, str] | None = None  # the query string, for routes that need one

    @property
    def is_api(self) -> bool:
        return self.path.startswith("/api/")

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}" + (f" ({self.label})" if self.label else "")


def rule(
    path: str,
    allowed: frozenset[str],
    ok: Expect | int,
    *,
    denied: int = 403,
    anonymous: Expect | None = None,
) -> dict[str, Expect]:
    """Expected outcome per role: `ok` for the allowed roles, `denied` for the other ones."""
    ok = Expect(ok) if isinstance(ok, int) else ok
    if anonymous is None:
        anonymous = UNAUTHENTICATED if path.startswith("/api/") else SIGN_IN_REDIRECT
    return {
        ANONYMOUS: anonymous,
        **{role: ok if role in allowed else Expect(denied) for role in SIGNED_IN},
    }


def case(
    method: str,
    path: str,
    allowed: frozenset[str],
    ok: Expect | int,
    *,
    denied: int = 403,
    anonymous: Expect | None = None,
    params: Params = no_params,
    body: Body | None = None,
    label: str = "",
    query: Mapping[str, str] | None = None,
) -> Case:
    expect = rule(path, allowed, ok, denied=denied, anonymous=anonymous)
    return Case(method, path, expect, params, body, label, query)


def new_user_json(world: World, role: str) -> dict[str, Any]:
    return {
        "email": f"new.{role}@example.com",
        "full_name": "Brand New",
        "role": "seller",
        "team_id": world.org.team_b.id,
        "password": PASSWORD,
    }


def new_team_json(world: World, role: str) -> dict[str, Any]:
    return {"name": f"East {role}", "kind": "region", "parent_id": world.org.company.id}


def new_person_form(world: World, role: str) -> dict[str, Any]:
    return {**new_user_json(world, role), "team_id": str(world.org.team_b.id)}


def person_update_form(world: World, role: str) -> dict[str, Any]:
    return {
        "full_name": "Renamed Person",
        "role": "seller",
        "team_id": str(world.org.team_b.id),
        "is_active": "on",
    }


def new_team_form(world: World, role: str) -> dict[str, Any]:
    return {"name": f"East {role}", "kind": "region", "parent_id": str(world.org.company.id)}


def own_credentials(world: World, role: str) -> dict[str, Any]:
    return {"email": world.user(role).email, "password": PASSWORD, "next": "/"}


API = "/api/v1"
USER = f"{API}/users/{{user_id}}"
PERSON = "/people/{user_id}"
TO_HOME = Expect(303, "/")
TO_ACCOUNT = Expect(303, "/account")

CASES: list[Case] = [
    # --- JSON API ---------------------------------------------------------------------------
    # Liveness for load balancers: public, and it says nothing about anyone.
    case("GET", f"{API}/health", EVERYONE, 200, anonymous=Expect(200)),
    case("GET", f"{API}/me", EVERYONE, 200),
    case("GET", f"{API}/users", VIEW_PEOPLE, 200),
    case("POST", f"{API}/users", ADMIN, 201, body=new_user_json),
    case("GET", USER, EVERYONE, 200, params=user_param(None), label="self"),
    # Someone the manager oversees; the seller reads their own record. Hidden users are 404.
    case(
        "GET",
        USER,
        VIEW_PEOPLE | {"seller"},
        200,
        denied=404,
        params=user_param("seller"),
        label="team A seller",
    ),
    case(
        "GET", USER, SEES_ALL, 200, denied=404, params=user_param("seller_b"), label="team B seller"
    ),
    case(
        "PATCH",
        USER,
        ADMIN,
        200,
        params=user_param("seller_b"),
        body=lambda w, r: {"full_name": "Renamed Person"},
    ),
    case("GET", f"{API}/teams", EVERYONE, 200),
    case("POST", f"{API}/teams", ADMIN, 201, body=new_team_json),
    case("GET", f"{API}/tokens", EVERYONE, 200),
    case("POST", f"{API}/tokens", EVERYONE, 201, body=lambda w, r: {"name": "matrix"}),
    case("DELETE", f"{API}/tokens/{{token_id}}", EVERYONE, 204, params=own_token, label="own"),
    case(
        "DELETE",
        f"{API}/tokens/{{token_id}}",
        ADMIN,
        204,
        denied=404,
        params=someone_elses_token,
        label="someone else's",
    ),
    case("GET", f"{API}/audit", ADMIN, 200),
    # --- pages ------------------------------------------------------------------------------
    case("GET", "/", EVERYONE, 200),
    # The sign-in page sends signed-in users on to where they were going.
    Case("GET", "/sign-in", {ANONYMOUS: Expect(200), **dict.fromkeys(SIGNED_IN, TO_HOME)}),
    case("POST", "/sign-in", EVERYONE, TO_HOME, anonymous=TO_HOME, body=own_credentials),
    case("POST", "/sign-out", EVERYONE, SIGN_IN_REDIRECT),
    case("GET", "/account", EVERYONE, 200),
    case(
        "POST",
        "/account/tokens",
        EVERYONE,
        TO_ACCOUNT,
        body=lambda w, r: {"name": "matrix", "expires_in_days": "30"},
    ),
    case(
        "POST",
        "/account/tokens/{token_id}/revoke",
        EVERYONE,
        TO_ACCOUNT,
        params=own_token,
        label="own",
    ),
    case(
        "POST",
        "/account/tokens/{token_id}/revoke",
        ADMIN,
        TO_ACCOUNT,
        denied=404,
        params=someone_elses_token,
        label="someone else's",
    ),
    case("GET", "/people", VIEW_PEOPLE, 200),
    case("GET", "/people/new", ADMIN, 200),
    case("POST", "/people", ADMIN, Expect(303, "/people/"), body=new_person_form),
    case("GET", PERSON, EVERYONE, 200, params=user_param(None), label="self"),
    case(
        "GET",
        PERSON,
        VIEW_PEOPLE | {"seller"},
        200,
        denied=404,
        params=user_param("seller"),
        label="team A seller",
    ),
    case(
        "GET",
        PERSON,
        SEES_ALL,
        200,
        denied=404,
        params=user_param("seller_b"),
        label="team B seller",
    ),
    case(
        "POST",
        PERSON,
        ADMIN,
        Expect(303, "/people/"),
        params=user_param("seller_b"),
        body=person_update_form,
    ),
    case("GET", "/teams", EVERYONE, 200),
    case("POST", "/teams", ADMIN, Expect(303, "/teams"), body=new_team_form),
    case("GET", "/admin/audit", ADMIN, 200),
]
CASES += matrix_valuenet.cases(
    case, everyone=EVERYONE, editors=EDITORS, to_network=Expect(303, "/value-networks/")
)
CASES += matrix_deals_pages.cases(case, everyone=EVERYONE, sees_all=SEES_ALL, expect=Expect)
CASES += matrix_deals.cases(case, everyone=EVERYONE, expect=Expect)
CASES += matrix_pricing.cases(case, everyone=EVERYONE, expect=Expect)
CASES += matrix_pricing_pages.cases(case, everyone=EVERYONE, expect=Expect)
CASES += matrix_analytics.cases(case, expect=Expect)
CASES += matrix_forecast.cases(case, expect=Expect)

# Later domains' rows: every other tests/web/matrix_*.py module offers `cases(case, expect=...)`.
_LISTED = {"matrix_analytics", "matrix_deals", "matrix_deals_pages", "matrix_forecast"}
_LISTED |= {"matrix_pricing", "matrix_pricing_pages", "matrix_valuenet"}
for _info in sorted(pkgutil.iter_modules([str(Path(__file__).parent)]), key=lambda m: m.name):
    if _info.name.startswith("matrix_") and _info.name not in _LISTED:
        CASES += importlib.import_module(f"tests.web.{_info.name}").cases(case, expect=Expect)


# --- the app's routes --------------------------------------------------------------------------


def _flat_routes(app: FastAPI) -> Iterator[Any]:
    """The app's routes, looking through included routers (FastAPI >= 0.16x nests them)."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # older FastAPI: app.routes is already flat
        yield from app.routes
        return
    yield from iter_route_contexts(app.routes)


def app_routes(app: FastAPI) -> set[tuple[str, str]]:
    """Every (method, path) the app serves, minus static files and the OpenAPI docs."""
    skipped = {app.openapi_url, app.docs_url, app.redoc_url, app.swagger_ui_oauth2_redirect_url}
    found: set[tuple[str, str]] = set()
    for route in _flat_routes(app):
        path = getattr(route, "path", None)
        original = getattr(route, "original_route", route)
        if path is None or isinstance(original, Mount) or path.startswith(STATIC_PREFIX):
            continue
        if path in skipped:
            continue
        for method in getattr(route, "methods", None) or ():
            if method != "HEAD":  # HEAD rides along with GET
                found.add((method, path))
    return found


def test_every_route_is_in_the_matrix(app: FastAPI) -> None:
    served = app_routes(app)
    classified = {(c.method, c.path) for c in CASES}
    unclassified = sorted(served - classified)
    stale = sorted(classified - served)
    assert not unclassified, (
        f"Routes without a role matrix entry — add them to CASES in {__name__}: {unclassified}"
    )
    assert not stale, f"Matrix entries for routes that no longer exist: {stale}"


def test_the_matrix_decides_every_role() -> None:
    for c in CASES:
        assert set(c.expect) == set(ROLES), c.id
    assert len({c.id for c in CASES}) == len(CASES), "duplicate matrix rows"


# --- running a row -----------------------------------------------------------------------------


def _request(world: World, c: Case, role: str) -> httpx.Response:
    caller = world.caller(role, api=c.is_api)
    url = c.path.format(**c.params(world, role))
    if c.query:
        url += "?" + urlencode(c.query)
    body = c.body(world, role) if c.body else None
    response: httpx.Response
    if c.is_api:
        response = caller.client.request(
            c.method, url, headers=caller.headers, json=body, follow_redirects=False
        )
    else:
        form = None if c.method == "GET" else {**(body or {}), "csrf_token": caller.csrf}
        response = caller.client.request(c.method, url, data=form, follow_redirects=False)
    return response


def _gist(response: httpx.Response) -> str:
    """What a failing response said: the JSON body, or the page's title and message."""
    if "html" not in response.headers.get("content-type", ""):
        return response.text[:200]
    found = re.findall(r"<title>(.*?)</title>|data-testid=\"error-message\">(.*?)<", response.text)
    return " / ".join(part for groups in found for part in groups if part)


def _problems(world: World, c: Case, role: str, response: httpx.Response) -> list[str]:
    expected = c.expect[role]
    found: list[str] = []
    if response.status_code != expected.status:
        found.append(f"status {response.status_code}, expected {expected}: {_gist(response)}")
    if expected.location is not None and response.status_code == expected.status:
        location = response.headers.get("location", "")
        if not location.startswith(expected.location):
            found.append(f"redirects to {location!r}, expected {expected}")
    if c.is_api and response.status_code in (401, 403, 404):
        codes = {401: "unauthenticated", 403: "forbidden", 404: "not_found"}
        body = response.json()
        if set(body) != {"error"} or body["error"].get("code") != codes[response.status_code]:
            found.append(f"refusal is not a bare error body: {body}")
        if response.status_code == 401 and response.headers.get("www-authenticate") != "Bearer":
            found.append("401 without 'WWW-Authenticate: Bearer'")
    refused_page = not c.is_api and response.status_code in (403, 404)
    if refused_page and 'data-testid="error-message"' not in response.text:
        found.append("refusal is not the error page")
    leaked = world.leaks(role, response.text + response.headers.get("location", ""))
    if leaked:
        found.append(f"leaks data outside the caller's scope: {leaked}")
    return found


@pytest.mark.parametrize("c", CASES, ids=lambda c: c.id)
def test_role_matrix(c: Case, app: FastAPI, session_factory: sessionmaker[Session]) -> None:
    org = seeded_org(session_factory)
    failures: list[str] = []
    with ExitStack() as stack:
        world = World(app, session_factory, org, stack)
        for role in ROLES:
            response = _request(world, c, role)
            failures += [f"{role:<12} {p}" for p in _problems(world, c, role, response)]
    assert not failures, f"{c.id}:\n" + "\n".join(failures)
