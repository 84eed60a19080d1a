"""The demo's conversations: call plans on open deals (some shared), interactions on days the
deals' history already records a meeting (so no deal's last meeting moves), of varied
quality, contributors on accounts only, and the same company for the same seed."""

from __future__ import annotations

import hashlib
import statistics
from collections import defaultdict
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.demo_store import ReadDemo
from valuescout.conversations.models import (
    CallPlan,
    CallPlanItem,
    Interaction,
    InteractionStakeholder,
)
from valuescout.core.audit import AuditEntry
from valuescout.deals.models import Contact, Opportunity, OpportunityChange
from valuescout.demo.deals import DealScale
from valuescout.demo.generator import seed_demo
from valuescout.identity.models import User
from valuescout.identity.roles import Role

SMALL = DealScale(accounts=30, opportunities=160)
TODAY = date(2026, 11, 28)


def _digest(session: Session) -> str:
    """By names, not ids: PostgreSQL's sequences do not go back on a rollback."""
    rows = session.execute(
        select(
            User.email,
            Opportunity.name,
            Interaction.occurred_on,
            Interaction.kind,
            Interaction.notes,
            Interaction.quality_score,
        )
        .join(User, User.id == Interaction.author_id)
        .outerjoin(Opportunity, Opportunity.id == Interaction.opportunity_id)
        .order_by(Interaction.id)
    ).all()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def test_the_demo_conversations(read_demo: ReadDemo) -> None:
    _, session = read_demo(seed=7, today=TODAY, deals=SMALL)
    interactions = session.scalars(select(Interaction)).all()
    assert len(interactions) >= 50
    assert all(i.quality_score is not None and 0 <= i.quality_score <= 100 for i in interactions)
    held: dict[int, set[str]] = defaultdict(set)
    for opp_id, day in session.execute(
        select(OpportunityChange.opportunity_id, OpportunityChange.new_value).where(
            OpportunityChange.field == "last_meeting"
        )
    ):
        held[opp_id].add(day)
    last = dict(session.execute(select(Opportunity.id, Opportunity.last_meeting_on)).all())
    roles = dict(session.execute(select(User.id, User.role)).all())
    for i in interactions:
        if roles[i.author_id] == Role.CONTRIBUTOR:
            assert i.opportunity_id is None and i.kind in ("visit", "event")
            continue
        assert i.opportunity_id is not None
        assert i.occurred_on.isoformat() in held[i.opportunity_id]  # a meeting of its history
        assert i.occurred_on <= last[i.opportunity_id]
    scores = [i.quality_score or 0 for i in interactions]
    assert statistics.pstdev(scores) > 10  # varied quality
    plans = session.scalars(select(CallPlan)).all()
    assert plans and any(p.shared_with_manager for p in plans)
    assert any(not p.shared_with_manager for p in plans)
    assert session.scalar(select(CallPlanItem.id).where(CallPlanItem.kind == "question"))
    linked = [i for i in interactions if i.call_plan_id is not None]
    plan_days = {p.id: (p.opportunity_id, p.meeting_on) for p in plans}
    assert all(plan_days[i.call_plan_id] == (i.opportunity_id, i.occurred_on) for i in linked)


def test_the_allies_named_in_demo_interactions_are_marked_in_their_accounts(
    read_demo: ReadDemo,
) -> None:
    _, session = read_demo(seed=7, today=TODAY, deals=SMALL)
    named = set(
        session.scalars(
            select(InteractionStakeholder.contact_id).where(
                InteractionStakeholder.is_ally, InteractionStakeholder.contact_id.is_not(None)
            )
        )
    )
    assert len(named) >= 10
    marked = set(session.scalars(select(Contact.id).where(Contact.is_ally)))
    assert named <= marked  # as logging them through the service marks them
    audited = {  # the ones that were not allies yet, each with the interaction that named it
        int(entry.entity_id)
        for entry in session.scalars(
            select(AuditEntry).where(AuditEntry.action == "contact.updated")
        )
        if str(entry.changes.get("source", "")).startswith("interaction ")
    }
    assert audited and audited <= named


def test_same_seed_same_conversations(session: Session, read_demo: ReadDemo) -> None:
    """The shared company, and the same seed again in the test's own database."""
    _, shared = read_demo(seed=7, today=TODAY, deals=SMALL)
    seed_demo(session, seed=7, today=TODAY, deals=SMALL)
    assert _digest(session) == _digest(shared)
