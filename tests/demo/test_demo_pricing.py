"""The demo's price desk: months of requests, decided by approvers who differ, made through the
services (frozen evidence, events), some countered, withdrawn and asked again, some waiting."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.demo_store import ReadDemo
from valuescout.deals.models import Opportunity, Stage
from valuescout.demo.generator import seed_demo
from valuescout.identity.models import User
from valuescout.identity.service import principal_of
from valuescout.pricing import views
from valuescout.pricing.fields import FIELDS
from valuescout.pricing.models import PricePolicy, PriceRequest, PriceRequestEvent

TODAY = date(2026, 6, 15)
DECIDING = ("approve", "reject", "counter")


@pytest.mark.xdist_group("demo-full")
def test_demo_price_desk_history(read_demo: ReadDemo) -> None:
    demo, session = read_demo(seed=7, today=TODAY)
    requests = session.scalars(select(PriceRequest).order_by(PriceRequest.id)).all()
    assert 100 <= len(requests) <= 400
    states = Counter(r.state for r in requests)
    assert states["approved"] > states["rejected"] > 5
    assert states["withdrawn"] >= 5 and states["pending"] >= 3
    assert demo.price_requests.requests == len(requests)
    assert demo.price_requests.by_state == dict(sorted(states.items()))

    # Spread over the last ~9 months, in the past, the default policy (version 1) in force.
    cutoff = datetime(2026, 6, 15, tzinfo=UTC)
    created = sorted(r.created_at for r in requests)
    assert cutoff - timedelta(days=275) <= created[0] < cutoff - timedelta(days=180)
    assert created[-1] < cutoff
    months = {(c.year, c.month) for c in created}
    assert len(months) >= 8
    policy = session.scalars(select(PricePolicy)).one()
    assert policy.version == 1 and {r.policy_id for r in requests} == {policy.id}
    assert policy.created_at <= created[0]

    # Evidence frozen with every field; decisions carry the policy's trace.
    for r in requests:
        assert set(r.evidence) == set(FIELDS)
        assert r.decision["trace"] and r.decision["action"] in ("approve", "reject", "route")
        assert r.updated_at >= r.created_at
        assert (r.decided_at is None) == (r.state == "pending")
    assert {r.decision["fired_rule"] for r in requests} >= {"at-or-above-target", "no-value-case"}

    events = session.scalars(select(PriceRequestEvent).order_by(PriceRequestEvent.id)).all()
    by_request = defaultdict(list)
    for e in events:
        by_request[e.request_id].append(e)
    for r in requests:
        mine = by_request[r.id]
        assert [e.action for e in mine[:1]] == ["submit"]
        assert [e.at for e in mine] == sorted(e.at for e in mine)
        assert mine[0].at == r.created_at and mine[-1].at == r.updated_at
        steps = Counter((e.step, e.action) for e in mine if e.action in DECIDING)
        assert all(n == 1 for n in steps.values()), "one decision per step"

    # Counter-offers, accepted and not; requests asked again after a withdrawal or rejection.
    counters = [e for e in events if e.action == "counter"]
    assert len(counters) >= 10
    assert any(e.action == "accept" for e in events)
    countered = {e.request_id for e in counters}
    assert any(by_request[i][-1].action == "withdraw" for i in countered)
    redone = [r for r in requests if r.replaces_id is not None]
    assert len(redone) >= 5
    by_id = {r.id: r for r in requests}
    assert all(by_id[r.replaces_id].state in ("withdrawn", "rejected") for r in redone)  # type: ignore[index]

    # Several approvers of every kind, and they differ: approval rates spread widely.
    users = {u.id: u for u in session.scalars(select(User))}
    decided: dict[int, Counter[str]] = defaultdict(Counter)
    for e in events:
        if e.action in DECIDING and e.actor_id is not None:
            decided[e.actor_id][e.action] += 1
    roles = Counter(users[i].role for i in decided)
    assert roles["manager"] >= 4 and roles["price_desk"] == 2 and roles["executive"] == 2
    rates = [c["approve"] / sum(c.values()) for c in decided.values() if sum(c.values()) >= 8]
    assert len(rates) >= 4 and max(rates) - min(rates) >= 0.3

    # Won deals closed at the price approved; pending requests are on open deals and queued.
    outcome = dict(session.execute(select(Stage.id, Stage.outcome)).tuples().all())
    opps = {o.id: o for o in session.scalars(select(Opportunity))}
    pending = [r for r in requests if r.state == "pending"]
    assert all(outcome[opps[r.opportunity_id].stage_id] == "open" for r in pending)
    waiting = Counter(r.waiting_role for r in pending)
    desk = next(u for u in users.values() if u.email == "pricing@kestrelflow.example")
    if waiting["price_desk"]:
        assert len(views.queue(session, principal_of(desk))) == waiting["price_desk"]


def _requests(session: Session) -> list[tuple[object, ...]]:
    return [
        (r.state, str(r.requested_price), r.created_at, r.waiting_role)
        for r in session.scalars(select(PriceRequest).order_by(PriceRequest.id))
    ]


@pytest.mark.xdist_group("demo-full")
def test_demo_price_desk_is_deterministic(session: Session, read_demo: ReadDemo) -> None:
    """Seeded again in the test's own database, the same seed asks and decides the same
    requests as the shared demo company (seeded once, in a database of its own)."""
    _, shared = read_demo(seed=7, today=TODAY)
    seed_demo(session, seed=7, today=TODAY)
    first, again = _requests(shared), _requests(session)
    assert first == again and len(first) > 50
