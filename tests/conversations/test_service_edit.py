"""Editing and deleting interactions: the score recomputed, details replaced or removed with
the row, the deal's last meeting put back when the meeting that set it goes, allies joining
the buying team, who may (author, whoever may edit the deal) and bad input changing nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.conversations.builders import World, build_world
from tests.deals.test_service_builders import principal
from valuescout.conversations import service, service_edit
from valuescout.conversations.models import (
    Interaction,
    InteractionInsight,
    InteractionOutcome,
    InteractionQuestion,
    InteractionStakeholder,
)
from valuescout.conversations.schemas import InteractionIn, InteractionUpdate
from valuescout.core.audit import AuditEntry
from valuescout.core.errors import Forbidden, Invalid, NotFound
from valuescout.deals.models import OpportunityChange

TODAY = date(2026, 11, 20)
DETAILS = (InteractionInsight, InteractionQuestion, InteractionStakeholder, InteractionOutcome)


@pytest.fixture()
def world(session: Session) -> World:
    return build_world(session)


def _log(session: Session, world: World, who: str = "seller", **kw: object) -> Interaction:
    fields: dict[str, object] = {
        "opportunity_id": world.open_deal.id,
        "occurred_on": date(2026, 11, 18),
        "notes": "Met Dana.",
        "questions": [{"text": "Who signs off?", "kind": "qualification"}],
        "stakeholders": [{"contact_id": world.plant_manager.id}],
    }
    fields.update(kw)
    data = InteractionIn.model_validate(fields)
    return service.create_interaction(session, principal(session, world.org.user(who)), data, TODAY)


def _edit(session: Session, world: World, row_id: int, who: str = "seller", **kw: Any) -> None:
    service_edit.update_interaction(
        session,
        principal(session, world.org.user(who)),
        row_id,
        InteractionUpdate.model_validate(kw),
        TODAY,
    )


def _delete(session: Session, world: World, row_id: int, who: str = "seller") -> None:
    service_edit.delete_interaction(session, principal(session, world.org.user(who)), row_id)


def _count(session: Session, model: Any) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def _snapshot(session: Session) -> tuple[Any, ...]:
    rows = session.execute(
        select(Interaction.id, Interaction.notes, Interaction.quality_score, Interaction.kind)
    ).all()
    return (sorted(rows), *(_count(session, m) for m in DETAILS))


def _meetings(session: Session, world: World) -> list[str | None]:
    return list(
        session.scalars(
            select(OpportunityChange.new_value)
            .where(
                OpportunityChange.opportunity_id == world.open_deal.id,
                OpportunityChange.field == "last_meeting",
            )
            .order_by(OpportunityChange.id)
        )
    )


def test_an_edit_recomputes_the_score_replaces_details_and_is_audited(
    session: Session, world: World
) -> None:
    row = _log(session, world)
    assert row.quality_score == 0  # one qualification question only
    _edit(
        session,
        world,
        row.id,
        questions=[{"text": "What does an hour of downtime cost you?", "kind": "expansion"}],
        insights=[{"text": "Peers cut downtime by a third."}],
        outcomes=[{"text": "120 hours a year", "amount": "120", "unit": "hours"}],
    )
    # 10 insight + 5 expansion + 10 balance + 5 business + 7.5 quantified
    assert row.quality_score == 37.5
    assert (row.expansion_questions, row.qualification_questions) == (1, 0)
    assert row.notes == "Met Dana."  # not sent: kept
    out = service.interaction_detail(session, principal(session, world.org.user("seller")), row.id)
    assert [q.text for q in out.questions] == ["What does an hour of downtime cost you?"]
    assert out.stakeholders[0].contact_id == world.plant_manager.id  # not sent: kept
    assert sum(p.points for p in out.quality_parts) == pytest.approx(37.5)
    assert _count(session, InteractionQuestion) == 1
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "interaction.updated"))
    assert entry is not None and entry.changes["quality_score"] == [0.0, 37.5]
    assert entry.changes["fields_sent"] == ["insights", "outcomes", "questions"]


def test_delete_removes_the_details_in_one_go_and_is_audited(
    session: Session, world: World
) -> None:
    kept = _log(session, world)
    row = _log(session, world, insights=[{"text": "An insight."}], outcomes=[{"text": "Less"}])
    _delete(session, world, row.id)
    assert session.get(Interaction, row.id) is None
    for model in DETAILS:
        left = session.scalars(select(model.interaction_id)).all()
        assert set(left) <= {kept.id}, model.__name__
    assert _count(session, InteractionQuestion) == 1
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "interaction.deleted"))
    assert entry is not None and entry.entity_id == str(row.id)


def test_the_author_and_whoever_may_edit_the_deal_may_change_it(
    session: Session, world: World
) -> None:
    row = _log(session, world)
    _edit(session, world, row.id, who="manager", notes="Corrected by the manager.")
    _edit(session, world, row.id, who="admin", notes="And by the admin.")
    before = _snapshot(session)
    for who, error in (
        ("executive", Forbidden),  # reads it, may not edit deals
        ("price_desk", Forbidden),
        ("seller_b", NotFound),  # out of scope: its existence does not leak
        ("contributor", NotFound),
    ):
        with pytest.raises(error):
            _edit(session, world, row.id, who=who, notes="No.")
        with pytest.raises(error):
            _delete(session, world, row.id, who=who)
    with pytest.raises(NotFound):
        _edit(session, world, 999_999, notes="No.")
    assert _snapshot(session) == before


def test_a_contributor_edits_their_own(session: Session, world: World) -> None:
    row = _log(
        session, world, who="contributor", opportunity_id=world.other_deal.id, stakeholders=[]
    )
    _edit(session, world, row.id, who="contributor", kind="visit", notes="A site visit.")
    assert (row.kind, row.notes) == ("visit", "A site visit.")
    with pytest.raises(NotFound):  # changing needs reading: neither author nor deal in scope
        _edit(session, world, row.id, who="seller", notes="No.")
    _edit(session, world, row.id, who="seller_b", notes="The deal's owner corrects it.")
    _edit(session, world, row.id, who="admin", notes="An admin may edit every deal.")
    _delete(session, world, row.id, who="contributor")
    assert session.get(Interaction, row.id) is None


def test_bad_input_is_refused_and_changes_nothing(session: Session, world: World) -> None:
    row = _log(session, world)
    before = _snapshot(session)
    with pytest.raises(Invalid, match="future"):
        _edit(session, world, row.id, occurred_on=date(2026, 11, 21))
    with pytest.raises(Invalid, match=f"Contact {world.outsider.id}") as err:
        _edit(session, world, row.id, stakeholders=[{"contact_id": world.outsider.id}])
    assert err.value.field == "stakeholders.0.contact_id"
    with pytest.raises(Invalid, match="account or the opportunity"):
        _edit(session, world, row.id, opportunity_id=None, account_id=None)
    with pytest.raises(NotFound):  # a deal out of the seller's scope
        _edit(session, world, row.id, opportunity_id=world.other_deal.id)
    with pytest.raises(Invalid, match="Call plan 4242"):
        _edit(session, world, row.id, call_plan_id=4242)
    with pytest.raises(ValueError, match="must not be null"):
        InteractionUpdate.model_validate({"kind": None})
    assert _snapshot(session) == before
    assert world.open_deal.last_meeting_on == date(2026, 11, 18)


def test_deleting_the_last_meeting_puts_the_deal_back(session: Session, world: World) -> None:
    opp = world.open_deal
    first = _log(session, world, occurred_on=date(2026, 11, 1))
    second = _log(session, world, occurred_on=date(2026, 11, 10))
    _log(session, world, occurred_on=date(2026, 11, 12), kind="email")  # not a meeting
    assert opp.last_meeting_on == date(2026, 11, 10)
    _delete(session, world, second.id)
    assert opp.last_meeting_on == date(2026, 11, 1)
    _delete(session, world, first.id)
    assert opp.last_meeting_on is None
    # a new history entry each time: a forecast for a day in between still sees the meeting
    assert _meetings(session, world) == ["2026-11-01", "2026-11-10", "2026-11-01", None]


def test_the_chain_of_moves_survives_deleting_from_the_middle(
    session: Session, world: World
) -> None:
    opp = world.open_deal
    first = _log(session, world, occurred_on=date(2026, 11, 1))
    second = _log(session, world, occurred_on=date(2026, 11, 10))
    _delete(session, world, first.id)  # a later meeting is on record: nothing moves
    assert opp.last_meeting_on == date(2026, 11, 10)
    _delete(session, world, second.id)  # back to before the first, not to the deleted day
    assert opp.last_meeting_on is None


def test_a_meeting_the_deal_knew_of_stays(session: Session, world: World) -> None:
    opp = world.open_deal
    opp.last_meeting_on = date(2026, 11, 5)  # from the deal's own history or an import
    session.flush()
    same_day = _log(session, world, occurred_on=date(2026, 11, 5))
    assert not same_day.moved_last_meeting
    _delete(session, world, same_day.id)
    assert opp.last_meeting_on == date(2026, 11, 5)
    later = _log(session, world, occurred_on=date(2026, 11, 9))
    _delete(session, world, later.id)
    assert opp.last_meeting_on == date(2026, 11, 5)


def test_another_meeting_that_day_or_later_keeps_the_deal(session: Session, world: World) -> None:
    opp = world.open_deal
    a = _log(session, world, occurred_on=date(2026, 11, 10))
    b = _log(session, world, occurred_on=date(2026, 11, 10))
    _delete(session, world, a.id)
    assert opp.last_meeting_on == date(2026, 11, 10)
    assert b.moved_last_meeting  # b now holds the meeting
    _delete(session, world, b.id)
    assert opp.last_meeting_on is None


def test_moving_the_day_moves_the_last_meeting(session: Session, world: World) -> None:
    opp = world.open_deal
    earlier = _log(session, world, occurred_on=date(2026, 11, 1))
    row = _log(session, world, occurred_on=date(2026, 11, 10))
    _edit(session, world, row.id, occurred_on=date(2026, 10, 20))  # logged with the wrong day
    assert opp.last_meeting_on == date(2026, 11, 1)  # the earlier meeting is now the last
    assert earlier.moved_last_meeting
    _edit(session, world, row.id, occurred_on=date(2026, 11, 15))
    assert opp.last_meeting_on == date(2026, 11, 15)
    _edit(session, world, row.id, kind="email")  # it was an email after all
    assert opp.last_meeting_on == date(2026, 11, 1)
    _edit(session, world, row.id, notes="Only the notes: the meeting is not touched.")
    assert opp.last_meeting_on == date(2026, 11, 1)


def test_allies_join_the_buying_team_and_are_never_unmarked(session: Session, world: World) -> None:
    pm, ml = world.plant_manager, world.maintenance
    assert not pm.is_ally and not ml.is_ally
    row = _log(session, world, stakeholders=[{"contact_id": pm.id, "is_ally": True}])
    assert pm.is_ally and not ml.is_ally
    entry = session.scalar(
        select(AuditEntry).where(
            AuditEntry.action == "contact.updated", AuditEntry.entity_id == str(pm.id)
        )
    )
    assert entry is not None and entry.changes["is_ally"] == [False, True]
    _edit(
        session,
        world,
        row.id,
        stakeholders=[{"contact_id": ml.id, "is_ally": True}, {"name": "A new face"}],
    )
    assert ml.is_ally and pm.is_ally  # un-ticked in the interaction: still an ally
    _delete(session, world, row.id)
    assert ml.is_ally and pm.is_ally
