"""The interaction log: counts and score from the details, the deal's last meeting moved
through the deals service (history kept), who may log and read, and bad input."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.conversations.builders import World, build_world
from tests.deals.test_service_builders import principal
from valuescout.conversations import service
from valuescout.conversations.models import Interaction, InteractionQuestion
from valuescout.conversations.schemas import InteractionIn
from valuescout.core.errors import Forbidden, Invalid, NotFound
from valuescout.core.pagination import PageRequest
from valuescout.deals.models import OpportunityChange

TODAY = date(2026, 11, 20)


@pytest.fixture()
def world(session: Session) -> World:
    return build_world(session)


def _data(world: World, **kw: object) -> InteractionIn:
    fields: dict[str, object] = {
        "opportunity_id": world.open_deal.id,
        "occurred_on": date(2026, 11, 18),
        "kind": "meeting",
        "notes": "Met Dana about downtime.",
        "insights": [{"text": "Peers cut downtime by a third with condition monitoring."}],
        "questions": [
            {"text": "What does an hour of downtime cost you?", "kind": "expansion"},
            {"text": "Who signs off?", "kind": "qualification", "category": "authority"},
        ],
        "stakeholders": [{"contact_id": world.plant_manager.id, "is_ally": True}],
        "outcomes": [
            {
                "outcome_id": world.outcomes["Less downtime"],
                "text": "120 hours a year lost",
                "amount": "120",
                "unit": "hours",
            },
            {"text": "Sleep through the night", "kind": "personal"},
        ],
    }
    fields.update(kw)
    return InteractionIn.model_validate(fields)


def _log(session: Session, world: World, who: str = "seller", **kw: object) -> Interaction:
    return service.create_interaction(
        session, principal(session, world.org.user(who)), _data(world, **kw), TODAY
    )


def test_logging_a_meeting_counts_scores_and_moves_the_last_meeting(
    session: Session, world: World
) -> None:
    row = _log(session, world)
    assert (row.insights_offered, row.expansion_questions, row.qualification_questions) == (1, 1, 1)
    assert (row.allies_added, row.business_outcomes, row.personal_outcomes) == (1, 1, 1)
    assert row.quantified_outcomes == 1
    # 10 + 5 + 10 x 1/2 + 5 + 5 + 5 + 7.5
    assert row.quality_score == 42.5
    assert row.account_id == world.open_deal.account_id and row.team_id is not None
    assert world.open_deal.last_meeting_on == date(2026, 11, 18)
    history = session.scalars(
        select(OpportunityChange).where(
            OpportunityChange.opportunity_id == world.open_deal.id,
            OpportunityChange.field == "last_meeting",
        )
    ).all()
    assert [h.new_value for h in history] == ["2026-11-18"]
    # an earlier meeting, an email: the last meeting stays
    _log(session, world, occurred_on=date(2026, 11, 1))
    _log(session, world, occurred_on=date(2026, 11, 19), kind="email")
    assert world.open_deal.last_meeting_on == date(2026, 11, 18)


def test_the_detail_reads_back_with_its_parts(session: Session, world: World) -> None:
    row = _log(session, world)
    out = service.interaction_detail(session, principal(session, world.org.user("manager")), row.id)
    assert out.opportunity_name == "Harbour pumps" and out.account_name == "Harbour Water"
    assert [q.kind for q in out.questions] == ["expansion", "qualification"]
    assert out.outcomes[0].amount == Decimal("120.00")
    assert sum(p.points for p in out.quality_parts) == pytest.approx(42.5)
    assert out.stakeholders[0].contact_id == world.plant_manager.id


def test_a_contributor_logs_on_any_deal_by_name_and_sees_only_their_own(
    session: Session, world: World
) -> None:
    mine = _log(
        session,
        world,
        who="contributor",
        opportunity_id=world.other_deal.id,
        stakeholders=[],
        outcomes=[],
    )
    _log(session, world)
    contributor = principal(session, world.org.user("contributor"))
    items, total = service.list_interactions(session, contributor, PageRequest())
    assert total == 1 and items[0].id == mine.id and items[0].opportunity_name == "Inland"
    assert world.other_deal.last_meeting_on == date(2026, 11, 18)


def test_the_deals_owner_reads_what_a_contributor_logged_on_it(
    session: Session, world: World
) -> None:
    logged = _log(
        session, world, who="contributor", opportunity_id=world.other_deal.id, stakeholders=[]
    )
    for who, seen in (("seller_b", 1), ("admin", 1), ("seller", 0), ("contributor", 1)):
        caller = principal(session, world.org.user(who))
        items, _ = service.list_interactions(session, caller, PageRequest())
        assert [i.id for i in items if i.id == logged.id] == ([logged.id] if seen else []), who
        if seen:
            assert service.interaction_detail(session, caller, logged.id).id == logged.id
        else:
            with pytest.raises(NotFound):
                service.interaction_detail(session, caller, logged.id)
    owner = principal(session, world.org.user("seller_b"))
    _, on_deal = service.list_interactions(
        session, owner, PageRequest(), opportunity_id=world.other_deal.id
    )
    assert on_deal == 1


def test_row_scope_on_reading(session: Session, world: World) -> None:
    row = _log(session, world)
    for who, seen in (
        ("seller", 1),
        ("manager", 1),
        ("executive", 1),
        ("admin", 1),
        ("seller_b", 0),
        ("contributor", 0),
    ):
        _, total = service.list_interactions(
            session, principal(session, world.org.user(who)), PageRequest()
        )
        assert total == seen, who
    with pytest.raises(NotFound):
        service.interaction_detail(session, principal(session, world.org.user("seller_b")), row.id)


def test_refusals_write_nothing(session: Session, world: World) -> None:
    with pytest.raises(NotFound):  # seller_b's deal is out of the seller's scope
        _log(session, world, opportunity_id=world.other_deal.id, stakeholders=[], outcomes=[])
    with pytest.raises(Invalid, match=f"Contact {world.outsider.id}") as err:
        _log(session, world, stakeholders=[{"contact_id": world.outsider.id}])
    assert err.value.field == "stakeholders.0.contact_id"
    with pytest.raises(Invalid, match="Contact 999999"):
        _log(session, world, stakeholders=[{"contact_id": 999999}])
    with pytest.raises(Invalid, match="Outcome 999999"):
        _log(session, world, outcomes=[{"outcome_id": 999999}])
    with pytest.raises(Invalid, match="future"):
        _log(session, world, occurred_on=date(2026, 11, 21))
    with pytest.raises(Invalid, match="another account"):  # a contributor sees every account
        _log(
            session,
            world,
            who="contributor",
            account_id=world.other_deal.account_id,
            stakeholders=[],
        )
    with pytest.raises(Invalid, match="Call plan 12345"):
        _log(session, world, call_plan_id=12345)
    with pytest.raises(Forbidden):
        _log(session, world, who="price_desk")
    assert session.scalar(select(func.count()).select_from(Interaction)) == 0
    assert session.scalar(select(func.count()).select_from(InteractionQuestion)) == 0


def test_bad_shapes_are_refused_at_the_edge(world: World) -> None:
    with pytest.raises(ValidationError, match="account or the opportunity"):
        _data(world, opportunity_id=None)
    with pytest.raises(ValidationError, match="kind"):
        _data(world, kind="lunch")
    with pytest.raises(ValidationError, match="a contact or a name"):
        _data(world, stakeholders=[{"is_ally": True}])
    with pytest.raises(ValidationError, match="network outcome or its text"):
        _data(world, outcomes=[{"amount": "5"}])
