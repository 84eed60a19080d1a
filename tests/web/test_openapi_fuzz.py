"""Property-based fuzzing of the JSON API from its own OpenAPI document (schemathesis).

One test per operation and per backend (the `app` fixture). Every generated example, valid or
invalid, is sent by two callers against a freshly seeded organisation: an admin, who may do
everything, then a seller, who is refused most writes. Neither may ever get a server error, and
the responses must match the documented schema. (The callers share the examples rather than
each having its own test: the examples were the same anyway — derandomized, seeded by the test —
and generating them and setting up the database once per operation halves the cost.)

How this composes with the fixtures: schemathesis's `from_fixture` (lazy schema) does not run
under the installed pytest (it reads `Function._nodeid`, which pytest 9.2 no longer has), so the
schema is loaded once at import from a throwaway app that never touches a database, and every
call is sent to the test's own `app` with `case.call_and_validate(app=...)`. schemathesis's
eager `parametrize` then makes one pytest item per operation, and pytest parametrizes each over
the backend as usual.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, note, settings
from schemathesis import checks
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tests.factories import bearer, seeded_org, token_for
from valuescout.core.security import hash_token
from valuescout.core.settings import Settings
from valuescout.identity.models import ApiToken
from valuescout.web.app import create_app

OPENAPI = "/api/v1/openapi.json"
SECRET = "fuzz-secret-key-that-is-long-enough-for-production-checks"


def _load_schema() -> schemathesis.BaseSchema:
    # The OpenAPI document does not depend on the database; the engine never connects.
    app = create_app(Settings(env="test", database_url="sqlite:///:memory:", secret_key=SECRET))
    try:
        return schemathesis.openapi.from_asgi(OPENAPI, app)
    finally:
        app.state.engine.dispose()


schema = _load_schema()


# Conformance checks left out, because they fail on behaviour that is intended, not broken:
EXCLUDED_CHECKS = [
    # "Schema-valid request rejected": the schema cannot express the business rules, so valid
    # JSON is refused with 409/422 by design — a reserved email domain like `x@y.test`
    # (email-validator), a company given a parent, `"role": null` in a PATCH.
    checks.positive_data_acceptance,
    # `OPTIONS /api/v1/users` answers 405 with `Allow: GET` although POST exists too: Starlette
    # reports the methods of the first route whose path matches, not of all of them. A framework
    # quirk with no effect on clients of this API (they never send OPTIONS), not a server error.
    checks.allow_header_conformance,
]
# Per operation: GET /api/v1/audit takes a blank `since`/`until` as "no limit" on purpose (the
# audit page's empty date inputs submit `since=`), which the schema calls an invalid date-time.
EXCLUDED_FOR = {"GET /api/v1/audit": [checks.negative_data_rejection]}


@dataclass
class Caller:
    role: str
    session_factory: sessionmaker[Session]
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return bearer(self.token)

    def keep_token(self) -> None:
        """Undo the fuzzer revoking the caller's own token, so later examples still get in."""
        with self.session_factory() as s:
            token = s.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(self.token)))
            assert token is not None
            if token.revoked_at is not None:
                token.revoked_at = None
                s.commit()


CALLER_ROLES = ("admin", "seller")


@pytest.fixture()
def callers(session_factory: sessionmaker[Session]) -> list[Caller]:
    org = seeded_org(session_factory)
    return [
        Caller(role, session_factory, token_for(session_factory, org.user(role)))
        for role in CALLER_ROLES
    ]


# CI replays a fixed set of examples, so a green run stays green; set VALUESCOUT_FUZZ_EXAMPLES
# (e.g. 500) to explore fresh random input locally and turn what it finds into fixes.
FUZZ_EXAMPLES = int(os.environ.get("VALUESCOUT_FUZZ_EXAMPLES", "0"))


@schema.parametrize()
@settings(
    max_examples=FUZZ_EXAMPLES or 30,
    derandomize=not FUZZ_EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_never_fails_on_generated_input(
    case: schemathesis.Case[Any], app: FastAPI, callers: list[Caller]
) -> None:
    excluded = EXCLUDED_CHECKS + EXCLUDED_FOR.get(case.operation.label, [])
    for caller in callers:
        note(f"calling as the {caller.role}")  # the last one printed is the failing call
        caller.keep_token()
        response = case.call(app=app, headers=caller.headers)
        # 413 is the body-size limit refusing an over-long body before any schema is read: a
        # rejection, though not one of the statuses the negative-data check lists.
        too_large = [checks.negative_data_rejection] if response.status_code == 413 else []
        case.validate_response(response, excluded_checks=excluded + too_large)
