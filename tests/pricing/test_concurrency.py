"""Two approvers deciding the same request at the same moment, on PostgreSQL: exactly one
decision stands, the other gets a conflict, and the event log holds one decision.

Each approver runs in its own thread with its own session and transaction. Both read the
request (version 1) first; a hook on the engine then holds each thread's UPDATE of the request
at a barrier until both have arrived, so the two compare-and-set UPDATEs really overlap: the
second waits for the first's row lock and, once it commits, matches no row. SQLite serialises
writers on the whole file, so the race cannot happen there; the test is skipped on it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, select
from sqlalchemy.orm import Session, sessionmaker

from tests.deals.test_service_builders import build_deal, principal
from tests.factories import bearer, make_org, make_user, token_for
from tests.pricing.builders import ask, routing_policy, submit, use_policy
from valuescout.core.audit import AuditEntry
from valuescout.core.errors import Conflict
from valuescout.identity.roles import Role
from valuescout.pricing import service
from valuescout.pricing.models import PriceRequest, PriceRequestEvent
from valuescout.pricing.schemas import MoveIn
from valuescout.pricing.workflow import Move

ROUNDS = 20
DECISIONS = ("approve", "reject")


@pytest.fixture()
def postgres(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("concurrent decisions need PostgreSQL's row locks (SQLite locks the file)")


@contextmanager
def overlapping_updates(engine: Engine, parties: int) -> Iterator[threading.Barrier]:
    """Hold every `UPDATE price_requests` at a barrier until `parties` of them are waiting."""
    barrier = threading.Barrier(parties, timeout=20)

    def hold(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith("UPDATE PRICE_REQUESTS"):
            barrier.wait()

    event.listen(engine, "before_cursor_execute", hold)
    try:
        yield barrier
    finally:
        event.remove(engine, "before_cursor_execute", hold)


def race(*calls: Callable[[], object]) -> list[object]:
    """Run the calls in threads at once; each result is its return value or its exception."""
    results: list[object] = [None] * len(calls)

    def run(i: int) -> None:
        try:
            results[i] = calls[i]()
        except Exception as exc:
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a decision hung"
    return results


def _setup(session_factory: sessionmaker[Session]) -> tuple[list[int], int, int, int]:
    """ROUNDS pending requests waiting for the price desk, and two price desk users."""
    with session_factory() as s:
        org = make_org(s)
        use_policy(s, routing_policy("price_desk"))
        second_desk = make_user(s, Role.PRICE_DESK, org.company)
        seller = org.users["seller"]
        ids = [
            submit(s, seller, build_deal(s, seller).opp_id, ask("230000")).id for _ in range(ROUNDS)
        ]
        s.commit()
        return ids, org.users["price_desk"].id, second_desk.id, seller.id


def _decide(
    session_factory: sessionmaker[Session], user_id: int, request_id: int, move: Move
) -> str:
    with session_factory() as s:
        service.act(s, principal(s, user_id), request_id, MoveIn(move=move, version=1))
        s.commit()
    return move.value


def _decisions(session_factory: sessionmaker[Session], request_id: int) -> list[Any]:
    with session_factory() as s:
        return list(
            s.execute(
                select(PriceRequestEvent.action, PriceRequestEvent.actor_id).where(
                    PriceRequestEvent.request_id == request_id,
                    PriceRequestEvent.action.in_(DECISIONS),
                )
            ).all()
        )


def _check_one_decision(
    session_factory: sessionmaker[Session], request_id: int, outcomes: list[object]
) -> str:
    won = [o for o in outcomes if isinstance(o, str)]
    lost = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(won) == 1 and len(lost) == 1, outcomes
    with session_factory() as s:
        request = s.get(PriceRequest, request_id)
        assert request is not None
        assert request.state == {"approve": "approved", "reject": "rejected"}[won[0]]
        assert request.version == 2
        audited = s.scalars(
            select(AuditEntry.action).where(
                AuditEntry.entity_type == "price_request",
                AuditEntry.entity_id == str(request_id),
                AuditEntry.action.in_(DECISIONS),
            )
        ).all()
    assert [a for a, _ in _decisions(session_factory, request_id)] == won
    assert list(audited) == won
    return won[0]


def test_two_approvers_at_once_make_exactly_one_decision(
    postgres: None, engine: Engine, session_factory: sessionmaker[Session]
) -> None:
    ids, desk, other_desk, _ = _setup(session_factory)
    for request_id in ids:
        with overlapping_updates(engine, 2):
            outcomes = race(
                lambda rid=request_id: _decide(session_factory, desk, rid, Move.APPROVE),
                lambda rid=request_id: _decide(session_factory, other_desk, rid, Move.REJECT),
            )
        _check_one_decision(session_factory, request_id, outcomes)


def test_the_same_approver_twice_at_once_decides_once(
    postgres: None, engine: Engine, session_factory: sessionmaker[Session]
) -> None:
    """A double click: the same user's two identical approvals, racing."""
    ids, desk, _, _ = _setup(session_factory)
    for request_id in ids[:5]:
        with overlapping_updates(engine, 2):
            outcomes = race(
                lambda rid=request_id: _decide(session_factory, desk, rid, Move.APPROVE),
                lambda rid=request_id: _decide(session_factory, desk, rid, Move.APPROVE),
            )
        assert _check_one_decision(session_factory, request_id, outcomes) == "approve"


def test_two_approvers_at_once_through_the_api(
    postgres: None, app: FastAPI, session_factory: sessionmaker[Session]
) -> None:
    ids, desk, other_desk, _ = _setup(session_factory)
    from valuescout.identity.models import User

    with session_factory() as s:
        users = [s.get(User, desk), s.get(User, other_desk)]
    tokens = [bearer(token_for(session_factory, u)) for u in users if u is not None]
    with (
        TestClient(app, base_url="http://testserver") as first,
        TestClient(app, base_url="http://testserver") as second,
    ):

        def post(client: TestClient, headers: dict[str, str], rid: int, move: str) -> object:
            response = client.post(
                f"/api/v1/price-requests/{rid}/moves",
                json={"move": move, "version": 1},
                headers=headers,
            )
            if response.status_code == 409:
                return Conflict(response.json()["error"]["message"])
            assert response.status_code == 200, response.text
            return move

        for request_id in ids[:10]:
            with overlapping_updates(app.state.engine, 2):
                outcomes = race(
                    lambda rid=request_id: post(first, tokens[0], rid, "approve"),
                    lambda rid=request_id: post(second, tokens[1], rid, "reject"),
                )
            _check_one_decision(session_factory, request_id, outcomes)


def test_without_the_version_the_state_check_still_decides_once(
    postgres: None, engine: Engine, session_factory: sessionmaker[Session]
) -> None:
    """Callers that send no version (the CLI, old clients) still cannot both decide."""
    ids, desk, other_desk, _ = _setup(session_factory)

    def decide(user_id: int, rid: int, move: Move) -> str:
        with session_factory() as s:
            price = Decimal("240000") if move == Move.COUNTER else None
            service.act(s, principal(s, user_id), rid, MoveIn(move=move, price=price))
            s.commit()
        return move.value

    for request_id in ids[:5]:
        with overlapping_updates(engine, 2):
            outcomes = race(
                lambda rid=request_id: decide(desk, rid, Move.APPROVE),
                lambda rid=request_id: decide(other_desk, rid, Move.COUNTER),
            )
        won = [o for o in outcomes if isinstance(o, str)]
        assert len(won) == 1 and any(isinstance(o, Conflict) for o in outcomes), outcomes


@contextmanager
def overlapping_reads(engine: Engine, parties: int, table: str) -> Iterator[None]:
    """Hold each thread's first statement reading `table` until `parties` threads are there."""
    barrier = threading.Barrier(parties, timeout=20)
    seen = threading.local()

    def hold(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if f"FROM {table}" in statement and not getattr(seen, "done", False):
            seen.done = True
            barrier.wait()

    event.listen(engine, "before_cursor_execute", hold)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", hold)


def test_two_asks_on_one_deal_at_once_open_one_request(
    postgres: None, engine: Engine, session_factory: sessionmaker[Session]
) -> None:
    """The seller and their manager ask at the same moment: one open request per deal."""
    with session_factory() as s:
        org = make_org(s)
        seller, manager = org.users["seller"], org.users["manager"]
        deals = [build_deal(s, seller).opp_id for _ in range(10)]
        s.commit()

    def asking(user_id: int, opp_id: int, price: str) -> str:
        with session_factory() as s:
            service.submit(s, principal(s, user_id), opp_id, ask(price))
            s.commit()
        return "asked"

    for opp_id in deals:
        with overlapping_reads(engine, 2, "opportunities"):
            outcomes = race(
                lambda o=opp_id: asking(seller.id, o, "230000"),
                lambda o=opp_id: asking(manager.id, o, "235000"),
            )
        assert outcomes.count("asked") == 1, outcomes
        assert any(isinstance(o, Conflict) for o in outcomes), outcomes
        with session_factory() as s:
            opened = s.scalars(select(PriceRequest.id).where(PriceRequest.opportunity_id == opp_id))
            assert len(list(opened)) == 1


def test_a_retry_racing_its_first_try_returns_the_same_request(
    postgres: None, engine: Engine, session_factory: sessionmaker[Session]
) -> None:
    """The same Idempotency-Key sent twice at once: one request, both answers name it."""
    with session_factory() as s:
        org = make_org(s)
        seller = org.users["seller"]
        deals = [build_deal(s, seller).opp_id for _ in range(5)]
        s.commit()

    def asking(opp_id: int) -> int:
        with session_factory() as s:
            made = service.submit(s, principal(s, seller.id), opp_id, ask("230000"), f"k{opp_id}")
            s.commit()
            return made.id

    for opp_id in deals:
        with overlapping_reads(engine, 2, "opportunities"):
            outcomes = race(lambda o=opp_id: asking(o), lambda o=opp_id: asking(o))
        assert all(isinstance(o, int) for o in outcomes) and len(set(outcomes)) == 1, outcomes
