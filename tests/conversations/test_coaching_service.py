"""Coaching service: who records and reads sessions, bad input, actions, the effect read."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.conversations.coaching_builders import coached_world, interaction, record
from tests.deals.test_service_builders import principal
from tests.factories import Org, make_org
from valuescout.conversations import coaching_service as svc
from valuescout.conversations.coaching_models import CoachingAction, CoachingSession
from valuescout.conversations.coaching_schemas import SessionIn
from valuescout.core.audit import AuditEntry
from valuescout.core.errors import Forbidden, Invalid, NotFound

TODAY = date.today()


@pytest.fixture()
def org(session: Session) -> Org:
    return make_org(session)


def as_(session: Session, org: Org, role: str):  # type: ignore[no-untyped-def]
    return principal(session, org.user(role))


def test_manager_records_a_session_with_actions_audited(session: Session, org: Org) -> None:
    made = record(session, org)
    assert made.seller_name == org.user("seller").full_name
    assert made.coach_name == org.user("manager").full_name
    assert made.focus_label == "Asking expansion questions"
    assert made.metric == "expansion_questions"
    assert [a.text for a in made.actions] == ["Plan three expansion questions"]
    assert not made.actions[0].done and not made.actions[0].overdue
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "coaching_session.create"))
    assert entry is not None and entry.entity_id == str(made.id)


def test_who_reads_which_sessions(session: Session, org: Org) -> None:
    mine = record(session, org)  # manager coaches seller (West A)
    theirs = record(session, org, coach="admin", seller="seller_b")
    seen = {
        role: {s.id for s in svc.list_sessions(session, as_(session, org, role), TODAY)}
        for role in ("seller", "seller_b", "manager", "price_desk", "executive", "admin")
    }
    assert seen["seller"] == {mine.id} and seen["seller_b"] == {theirs.id}
    assert seen["manager"] == {mine.id}
    assert seen["price_desk"] == seen["executive"] == seen["admin"] == {mine.id, theirs.id}
    with pytest.raises(Forbidden):
        svc.list_sessions(session, as_(session, org, "contributor"), TODAY)
    with pytest.raises(NotFound):
        svc.get_session(session, as_(session, org, "seller"), theirs.id, TODAY)
    with pytest.raises(NotFound):
        svc.get_session(session, as_(session, org, "manager"), theirs.id, TODAY)
    assert svc.get_session(session, as_(session, org, "seller_b"), theirs.id, TODAY).id == theirs.id
    # Coaches are named only to callers who have them in scope.
    as_seller = svc.get_session(session, as_(session, org, "seller"), mine.id, TODAY)
    assert as_seller.coach_id == org.user("manager").id and as_seller.coach_name is None
    as_exec = svc.get_session(session, as_(session, org, "executive"), mine.id, TODAY)
    assert as_exec.coach_name == org.user("manager").full_name


def test_only_coaches_record_and_only_in_scope(session: Session, org: Org) -> None:
    for role in ("seller", "executive", "price_desk", "contributor"):
        with pytest.raises(Forbidden):
            record(session, org, coach=role)
    with pytest.raises(NotFound, match="Seller"):
        record(session, org, seller="seller_b")  # West B: outside the manager's team
    with pytest.raises(NotFound):
        record(session, org, seller="executive")  # not a seller
    with pytest.raises(Invalid, match="yourself"):
        record(session, org, seller="manager")
    assert session.scalar(select(func.count()).select_from(CoachingSession)) == 0
    coachable = svc.coachable(session, as_(session, org, "manager"))
    assert [u.id for u in coachable] == [org.user("seller").id]


def test_bad_input_is_named_and_nothing_is_written(session: Session, org: Org) -> None:
    with pytest.raises(ValidationError, match="unknown focus"):
        SessionIn.model_validate(
            {"seller_id": org.user("seller").id, "held_on": "2026-01-05", "focus": "golf"}
        )
    with pytest.raises(ValidationError, match="seller_id"):
        SessionIn.model_validate(
            {"seller_id": "3", "held_on": "2026-01-05", "focus": "call_planning"}
        )
    with pytest.raises(Invalid, match="held_on"):
        record(session, org, held_on=TODAY + timedelta(days=1))
    data = SessionIn.model_validate(
        {
            "seller_id": org.user("seller").id,
            "held_on": str(TODAY),
            "focus": "call_planning",
            "actions": [{"text": "late", "due_on": str(TODAY - timedelta(days=1))}],
        }
    )
    with pytest.raises(Invalid, match="actions 1"):
        svc.create_session(session, as_(session, org, "manager"), data, TODAY)
    assert session.scalar(select(func.count()).select_from(CoachingAction)) == 0


def test_actions_ticked_by_the_seller_or_the_coach(session: Session, org: Org) -> None:
    made = record(session, org)
    action_id = made.actions[0].id
    done = svc.set_action_done(session, as_(session, org, "seller"), action_id, True, TODAY)
    assert done.done and done.done_on == TODAY
    again = svc.set_action_done(session, as_(session, org, "manager"), action_id, False, TODAY)
    assert not again.done and again.done_on is None
    with pytest.raises(NotFound):
        svc.set_action_done(session, as_(session, org, "seller_b"), action_id, True, TODAY)
    with pytest.raises(Forbidden):  # sees everything but coaches nobody
        svc.set_action_done(session, as_(session, org, "executive"), action_id, True, TODAY)
    due = svc.due_actions(session, as_(session, org, "manager"), TODAY)
    assert [(d.session_id, d.text) for d in due] == [(made.id, "Plan three expansion questions")]
    assert svc.due_actions(session, as_(session, org, "seller_b"), TODAY) == []
    later = TODAY + timedelta(days=30)
    assert svc.due_actions(session, as_(session, org, "seller"), later)[0].overdue


def test_effectiveness_reads_the_interaction_log(session: Session, org: Org) -> None:
    made = coached_world(session, org)
    out = svc.effectiveness(session, as_(session, org, "executive"), TODAY)
    (row,) = out.overall
    assert row.focus == "expansion_questions" and row.readable_sessions == 1
    assert row.coached_before == 1 and row.coached_after == 3
    assert row.comparison_before == 1 and row.comparison_after == 1.5
    assert row.effect == pytest.approx(1.5)
    assert (row.interactions_coached_before, row.interactions_comparison_after) == (4, 12)
    assert [(c.coach_name, c.effect) for c in out.by_coach] == [
        (org.user("manager").full_name, pytest.approx(1.5))
    ]
    one = svc.session_effect(session, as_(session, org, "seller"), made.id)
    assert one.readable and one.effect == pytest.approx(1.5) and one.comparison_sellers == 1


def test_effectiveness_scope_and_refusals(session: Session, org: Org) -> None:
    coached_world(session, org)
    # A contributor's interactions never join the comparison group.
    for k in range(1, 30):
        interaction(session, org.user("contributor").id, TODAY - timedelta(days=k),
                    expansion_questions=50)  # fmt: skip
    session.flush()
    manager = svc.effectiveness(session, as_(session, org, "manager"), TODAY)
    assert manager.overall[0].effect == pytest.approx(1.5)
    for role in ("seller", "contributor"):
        with pytest.raises(Forbidden):
            svc.effectiveness(session, as_(session, org, role), TODAY)
    with pytest.raises(Invalid, match="window_days"):
        svc.effectiveness(session, as_(session, org, "admin"), TODAY, window_days=0)
    narrow = svc.effectiveness(session, as_(session, org, "admin"), TODAY, window_days=10)
    assert narrow.overall[0].effect is None and "Too few" in (narrow.overall[0].note or "")
