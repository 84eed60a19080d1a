"""Stateful fuzzing of the JSON API: sequences of calls where one answer feeds the next.

schemathesis 4 builds the state machine from links between operations. Our OpenAPI has no
hand-written links: schemathesis infers them from the response schemas and path parameters
(`as_state_machine()` runs that analysis), which connects every create with its reads,
updates and deletes — POST /opportunities -> GET/PATCH/DELETE /opportunities/{opp_id}, POST
/accounts -> /accounts/{account_id} and its contacts, value networks -> nodes, links,
personas, call plans, interactions, RFPs, maturity rounds and so on (some 500 transitions).
Hand-written `openapi_extra` links would only repeat these, so none are added.

Wiring as in test_openapi_fuzz.py (the schema loaded once from a throwaway app; calls sent to
the test's own `app`). Each scenario runs as an admin (reaches every write) and, on a second
machine, as a seller of team A, while a deal and account of team B exist with a marker name:
no answer to the seller may contain it or team B's seller. Checks: no 500 and responses that
match the schema (the same conformance checks, with the same exclusions, as the stateless
fuzz). The token budget is lifted for the run: the fuzz is not a team's normal use. Every
example starts from the same seeded company (`db_reset`): schemathesis enables rules from
earlier answers, and Hypothesis, replaying a choice prefix, must meet the same answers (without
the reset it raised FlakyStrategyDefinition).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis import checks
from sqlalchemy.orm import Session, sessionmaker

from tests.factories import make_org, token_for
from tests.web import db_reset
from tests.web.test_openapi_fuzz import EXCLUDED_CHECKS, FUZZ_EXAMPLES, Caller, schema
from valuescout.deals import accounts as deal_accounts
from valuescout.deals import service as deal_service
from valuescout.deals.account_schemas import AccountIn
from valuescout.deals.schemas import OpportunityIn
from valuescout.identity.service import principal_of
from valuescout.identity.token_limits import TokenGuard, TokenLimits

MARKER = "Team B Confidential Zephyr"
STEPS = 6
LINKED = "a path id from an earlier answer"


def _ids(response: Any) -> set[str]:
    """The ids a JSON answer gives: `id` and `*_id` values, at the top or in `items`."""
    try:
        body = response.json()
    except ValueError:
        return set()
    rows = body.get("items", [body]) if isinstance(body, dict) else body
    found: set[str] = set()
    for row in rows if isinstance(rows, list) else []:
        if isinstance(row, dict):
            found |= {str(v) for k, v in row.items() if (k == "id" or k.endswith("_id")) and v}
    return found


def _seed(session_factory: sessionmaker[Session]) -> tuple[dict[str, Caller], list[str]]:
    with session_factory() as s:
        org = make_org(s)
        other = principal_of(org.user("seller_b"))
        account = deal_accounts.create_account(s, other, AccountIn(name=f"{MARKER} Account"))
        deal_service.create_opportunity(
            s, other, OpportunityIn(name=f"{MARKER} Deal", account_id=account.id)
        )
        # Records of the seller's own for the lists to return, so the links have ids to follow.
        own = principal_of(org.user("seller"))
        mine = deal_accounts.create_account(s, own, AccountIn(name="Own Account"))
        deal_service.create_opportunity(s, own, OpportunityIn(name="Own Deal", account_id=mine.id))
        s.commit()
        hidden = [MARKER, org.user("seller_b").email, org.user("seller_b").full_name]
    callers = {
        role: Caller(role, session_factory, token_for(session_factory, org.user(role)))
        for role in ("admin", "seller")
    }
    return callers, hidden


def _machine(
    app: FastAPI, caller: Caller, hidden: list[str], seen: dict[str, int], reset: Callable[[], None]
) -> type[Any]:
    base = schema.as_state_machine()

    answered: set[str] = set()  # ids the example's earlier 2xx answers gave

    class Machine(base):  # type: ignore[misc, valid-type]
        def setup(self) -> None:
            reset()  # every example from the same seeded company: replays meet the same answers
            answered.clear()

        def before_call(self, case: schemathesis.Case[Any]) -> None:
            caller.keep_token()

        def get_call_kwargs(self, case: schemathesis.Case[Any]) -> dict[str, Any]:
            return {"app": app, "headers": caller.headers}

        def validate_response(
            self, response: Any, case: schemathesis.Case[Any], **kwargs: Any
        ) -> None:
            label = case.operation.label
            seen[label] = seen.get(label, 0) + 1
            used = {str(v) for v in (case.path_parameters or {}).values()}
            if used & answered:
                seen[LINKED] = seen.get(LINKED, 0) + 1
            if 200 <= response.status_code < 300:
                answered.update(_ids(response))
            assert response.status_code < 500, f"{label}: {response.text[:300]}"
            if caller.role == "seller":
                leaked = [h for h in hidden if h in response.text]
                assert not leaked, f"{case.operation.label} shows team B's {leaked}"
            too_large = [checks.negative_data_rejection] if response.status_code == 413 else []
            case.validate_response(
                response,
                excluded_checks=EXCLUDED_CHECKS + too_large,
            )

    return Machine


@pytest.mark.parametrize("role", ["admin", "seller"])
def test_api_call_sequences_never_fail(
    role: str, app: FastAPI, session_factory: sessionmaker[Session]
) -> None:
    app.state.token_guard = TokenGuard(TokenLimits(requests_per_minute=1_000_000))
    callers, hidden = _seed(session_factory)
    engine = session_factory.kw["bind"]
    seeded = db_reset.capture(engine)
    seen: dict[str, int] = {}
    machine = _machine(app, callers[role], hidden, seen, lambda: db_reset.restore(engine, seeded))
    machine.run(
        settings=settings(
            max_examples=FUZZ_EXAMPLES or 25,
            stateful_step_count=STEPS,
            derandomize=not FUZZ_EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
    )
    # The machine really walked: many operations, and ids from earlier answers reached later
    # calls' paths (a link followed with a real id). Counted whatever the later call answered:
    # which operations the walk reaches changes with every module the process has imported
    # (Hypothesis draws constants from the loaded code), so "a 2xx on a path with an id" was 2
    # for this test alone and 0 in the whole suite.
    assert len(seen) >= 10, seen
    assert seen.get(LINKED, 0) >= 1, seen
