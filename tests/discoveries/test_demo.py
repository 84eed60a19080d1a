"""The demo company's discoveries: every review state, outcomes added through the network's
editing service (audited, networks still lint-clean), product ideas, same seed same result."""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.demo_store import ReadDemo
from valuescout.core.audit import AuditEntry
from valuescout.demo.deals import DealScale
from valuescout.demo.generator import seed_demo
from valuescout.discoveries import service_ideas
from valuescout.discoveries.hints import accepted_for_outcomes
from valuescout.discoveries.models import Discovery
from valuescout.valuenet.graph import build_graph
from valuescout.valuenet.lint import lint
from valuescout.valuenet.models import ValueNetwork
from valuescout.valuenet.repository import load_spec

SMALL = DealScale(accounts=12, opportunities=40)
TODAY = date(2026, 6, 15)


def test_demo_discoveries(read_demo: ReadDemo) -> None:
    _, session = read_demo(seed=7, deals=SMALL, today=TODAY)
    rows = session.scalars(select(Discovery).order_by(Discovery.id)).all()
    assert 30 <= len(rows) <= 80
    states = Counter((r.status, r.resolution) for r in rows)
    assert {("new", None), ("declined", None), ("accepted", "attached"),
            ("accepted", "created")} <= set(states)  # fmt: skip
    assert {r.decline_reason for r in rows if r.status == "declined"} >= {
        "not_delivered",
        "duplicate",
    }
    assert all(r.outcome_id is not None for r in rows if r.status == "accepted")
    assert all(r.reviewed_at is not None and r.created_at <= r.reviewed_at for r in rows
               if r.status != "new")  # fmt: skip
    assert all(r.created_at.date() <= TODAY for r in rows)
    actions = set(session.scalars(select(AuditEntry.action)))
    assert {"outcome.added", "link.added", "discovery.accepted", "discovery.declined"} <= actions
    for network in session.scalars(select(ValueNetwork)):
        assert lint(build_graph(load_spec(session, network))) == ()
    ideas = service_ideas.operator_ideas(session)
    assert ideas and ideas[0].count >= 2 and all(i.customers for i in ideas)
    accepted = [r.outcome_id for r in rows if r.outcome_id is not None]
    assert len(accepted_for_outcomes(session, accepted)) == len(accepted)


def _made(s: Session) -> list[tuple[object, ...]]:
    return [(r.customer_name, r.desired_outcome, r.status, r.value_amount, r.created_at)
            for r in s.scalars(select(Discovery).order_by(Discovery.id))]  # fmt: skip


def test_same_seed_same_discoveries(session: Session, read_demo: ReadDemo) -> None:
    """The shared company, and the same seed again in the test's own database."""
    _, shared = read_demo(seed=7, deals=SMALL, today=TODAY)
    seed_demo(session, seed=7, deals=SMALL, today=TODAY)
    assert _made(session) == _made(shared)
