"""The demo's coaching step on a small company: every manager coaches, sessions fall inside
the seller's logged interactions, the draws are repeatable and touch no interaction."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.conversations.coaching_builders import interaction
from tests.factories import make_org, make_user
from valuescout.conversations.coaching_models import CoachingAction, CoachingSession
from valuescout.conversations.models import Interaction
from valuescout.demo.coaching import seed_coaching
from valuescout.demo.generator import DemoCompany
from valuescout.identity.roles import Role

TODAY = date(2026, 11, 28)


def _company(session: Session) -> DemoCompany:
    org = make_org(session)
    extra = [make_user(session, Role.SELLER, org.team_a) for _ in range(2)]
    vp = make_user(session, Role.MANAGER, org.region)
    users = [*org.users.values(), *extra, vp]
    for n, user in enumerate(u for u in users if u.role == Role.SELLER):
        for k in range(0, 200, 10):  # an interaction every ten days for 200 days
            interaction(session, user.id, TODAY - timedelta(days=k + n), expansion_questions=k % 3)
    session.flush()
    return DemoCompany(
        rng=random.Random(7), seed=7, today=TODAY, users=users,
        regions={"West": org.region}, teams={"West A": org.team_a, "West B": org.team_b},
    )  # fmt: skip


def _sessions(session: Session) -> list[tuple[int, int | None, date, str]]:
    rows = session.scalars(select(CoachingSession).order_by(CoachingSession.id))
    return [(r.seller_id, r.coach_id, r.held_on, r.focus) for r in rows]


def test_managers_coach_inside_the_sellers_history(session: Session) -> None:
    demo = _company(session)
    before = session.execute(select(Interaction.id, Interaction.expansion_questions)).all()
    seed_coaching(session, demo)
    made = _sessions(session)
    coaches = {u.id: u for u in demo.users}
    team_manager = next(
        u for u in demo.users if u.role == Role.MANAGER and u.team_id == demo.teams["West A"].id
    )
    vp = next(
        u for u in demo.users if u.role == Role.MANAGER and u.team_id == demo.regions["West"].id
    )
    # West A's manager coaches two of its three sellers; West B has no manager; the VP one.
    assert sorted(c for _, c, _, _ in made) == sorted([team_manager.id, team_manager.id, vp.id])
    for seller, coach, held, _ in made:
        assert coach is not None and coaches[seller].role == Role.SELLER
        days = sorted(
            session.scalars(select(Interaction.occurred_on).where(Interaction.author_id == seller))
        )
        assert days[len(days) // 4] <= held <= days[3 * len(days) // 4] and held <= TODAY
    actions = list(session.scalars(select(CoachingAction)))
    assert actions and all(a.due_on > TODAY - timedelta(days=400) for a in actions)
    assert all(a.done_on is None or a.done_on <= TODAY for a in actions)
    assert session.execute(select(Interaction.id, Interaction.expansion_questions)).all() == before


def test_the_same_seed_draws_the_same_sessions(session: Session) -> None:
    demo = _company(session)
    seed_coaching(session, demo)
    first = _sessions(session)
    session.query(CoachingSession).delete()
    seed_coaching(session, demo)
    assert _sessions(session) == first
