"""Rate limits on API token use (ADR 0013): failed tokens per address, requests per token."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, update
from sqlalchemy.orm import Session, sessionmaker

from tests.conftest import make_app
from tests.factories import bearer, seeded_org, token_for
from valuescout.core.models import utcnow
from valuescout.core.security import hash_token
from valuescout.core.settings import Settings
from valuescout.identity.models import ApiToken
from valuescout.identity.token_limits import TokenGuard, TokenLimits

LIMITS = TokenLimits(failure_threshold=3, failure_window_seconds=300, requests_per_minute=5)


class FakeClock:
    def __init__(self) -> None:
        self.now = 5000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture()
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture()
def limited_app(settings: Settings, clock: FakeClock) -> Iterator[FastAPI]:
    application = make_app(settings)
    application.state.token_guard = TokenGuard(LIMITS, clock=clock)
    yield application
    application.state.engine.dispose()


def _client(app: FastAPI, ip: str) -> TestClient:
    return TestClient(app, base_url="http://testserver", client=(ip, 50000))


def test_settings_set_the_limits(settings: Settings) -> None:
    tuned = settings.model_copy(update={"token_requests_per_minute": 7})
    app = make_app(tuned)
    try:
        guard: TokenGuard = app.state.token_guard
        assert guard.limits.requests_per_minute == 7
        assert guard.limits.failure_threshold == settings.token_failure_threshold == 20
    finally:
        app.state.engine.dispose()


def test_failed_tokens_from_one_address_are_throttled_at_n_plus_one(
    limited_app: FastAPI, session_factory: sessionmaker[Session], clock: FakeClock
) -> None:
    org = seeded_org(session_factory)
    good = token_for(session_factory, org.user("seller"))
    revoked = token_for(session_factory, org.user("seller"))
    expired = token_for(session_factory, org.user("seller"))
    with session_factory.begin() as s:
        by_secret = ApiToken.token_hash == hash_token(revoked)
        s.execute(update(ApiToken).where(by_secret).values(revoked_at=utcnow()))
        by_secret = ApiToken.token_hash == hash_token(expired)
        s.execute(update(ApiToken).where(by_secret).values(expires_at=utcnow() - timedelta(1)))
    attacker = _client(limited_app, "203.0.113.9")
    for secret in ("vs_unknown", revoked, expired):  # unknown, revoked, expired all count
        assert attacker.get("/api/v1/me", headers=bearer(secret)).status_code == 401
    refused = attacker.get("/api/v1/me", headers=bearer("vs_another_guess"))
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "300"
    assert refused.json()["error"]["code"] == "rate_limited"
    assert "failed API token attempts" in refused.json()["error"]["message"]
    # Even a good token from that address waits: the address is refused before any lookup.
    assert attacker.get("/api/v1/me", headers=bearer(good)).status_code == 429

    # Another address is unaffected.
    assert _client(limited_app, "198.51.100.4").get("/api/v1/me", headers=bearer(good)).is_success

    clock.now += 299
    assert attacker.get("/api/v1/me", headers=bearer(good)).headers["Retry-After"] == "1"
    clock.now += 1  # the first failure leaves the window
    assert attacker.get("/api/v1/me", headers=bearer(good)).status_code == 200


def test_a_blocked_address_does_not_touch_the_database(
    limited_app: FastAPI, session_factory: sessionmaker[Session]
) -> None:
    seeded_org(session_factory)
    client = _client(limited_app, "203.0.113.10")
    for _ in range(LIMITS.failure_threshold):
        client.get("/api/v1/me", headers=bearer("vs_wrong"))
    # Sessions whose first query fails loudly: the refusal must come before any.
    offline = create_engine("sqlite://", creator=_no_database)
    limited_app.state.session_factory = sessionmaker(offline)
    assert client.get("/api/v1/me", headers=bearer("vs_wrong")).status_code == 429
    offline.dispose()


def _no_database() -> sqlite3.Connection:
    raise AssertionError("a throttled address must be refused before any database work")


def test_each_token_has_a_request_budget_per_minute(
    limited_app: FastAPI, session_factory: sessionmaker[Session], clock: FakeClock
) -> None:
    org = seeded_org(session_factory)
    busy = token_for(session_factory, org.user("seller"))
    other = token_for(session_factory, org.user("manager"))
    client = _client(limited_app, "192.0.2.1")
    for _ in range(LIMITS.requests_per_minute):
        assert client.get("/api/v1/me", headers=bearer(busy)).status_code == 200
        clock.now += 2  # requests at +0, +2, ..., +8
    over = client.get("/api/v1/me", headers=bearer(busy))
    assert over.status_code == 429
    assert over.headers["Retry-After"] == "50"  # the first request leaves the minute at +60
    assert over.json() == {
        "error": {
            "code": "rate_limited",
            "message": "This API token is over its budget of 5 requests a minute. "
            "Try again in 50 seconds.",
            "field": None,
        }
    }
    # Another token from the same address has its own budget.
    assert client.get("/api/v1/me", headers=bearer(other)).status_code == 200
    # A refused request is not counted; a budget-spent token is not a failed token.
    for _ in range(LIMITS.failure_threshold + 1):
        assert client.get("/api/v1/me", headers=bearer(busy)).status_code == 429
    clock.now += 50  # the first request leaves the window: exactly one place frees up
    assert client.get("/api/v1/me", headers=bearer(busy)).status_code == 200
    assert client.get("/api/v1/me", headers=bearer(busy)).status_code == 429
    clock.now += 60
    assert client.get("/api/v1/me", headers=bearer(busy)).status_code == 200
    assert client.get("/api/v1/me", headers=bearer(other)).status_code == 200


def test_the_default_budget_leaves_room_for_the_load_test(settings: Settings) -> None:
    # bench/load_test.py: each virtual user clicks about once a second on its own token.
    assert settings.token_requests_per_minute >= 10 * 60
