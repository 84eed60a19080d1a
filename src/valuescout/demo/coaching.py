"""The demo company's coaching: each team manager coaches two of their sellers, and each
regional VP one seller in their region, on one focus each, with notes and agreed actions.
Coaches pick among their most active sellers (the top twice as many as they coach, by logged
interactions), as a manager would, and so there is something to read before and after.

Deterministic on a stream of its own (`random.Random(demo.seed + 9)`), so nothing else the demo
makes moves. A session is placed inside the seller's logged interactions (between the 35th and
65th percentile of their interaction days), so there is a before and an after to compare;
whether the metric moved is whatever the interaction log says. Nothing here alters an
interaction: the effectiveness view reports what the demo's interactions hold.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from valuescout.conversations import coaching_service
from valuescout.conversations.coaching_effect import FOCUSES
from valuescout.conversations.coaching_schemas import ActionIn, SessionIn
from valuescout.conversations.models import Interaction
from valuescout.identity import service as people
from valuescout.identity.models import Team, User
from valuescout.identity.roles import Role

if TYPE_CHECKING:
    from valuescout.demo.generator import DemoCompany

SELLERS_PER_MANAGER = 2
DONE_SHARE = 0.7  # of the actions already due

# What a coach might write and agree on each focus (the demo's own words).
NOTES = {
    "expansion_questions": "Calls stay on budget and timing. Practised asking what the problem "
    "costs them if nothing changes, and who else feels it.",
    "quantifying_outcomes": "Outcomes are named but never sized. Rehearsed turning 'less "
    "downtime' into hours per year and money per hour.",
    "building_allies": "One contact per account. Mapped who else gains from the change and how "
    "to meet them through the current champion.",
    "offering_insights": "Meetings are questionnaires. Prepared two benchmarks from similar "
    "plants to open with.",
    "business_outcomes": "Talks about features before outcomes. Went through the value network "
    "for the buyer's persona to find the outcomes that matter to them.",
    "personal_outcomes": "Misses what the buyer wants for themselves. Discussed asking about "
    "their goals and what a win would mean for them.",
    "call_planning": "Walks into calls without a plan. Agreed to write a call plan before "
    "every first meeting.",
    "value_quality": "General review of recent call notes against the value-quality parts.",
}
ACTIONS = {
    "expansion_questions": ["Open the next three calls with a cost-of-inaction question"],
    "quantifying_outcomes": ["Put a number on one outcome in every meeting note"],
    "building_allies": ["Meet one new stakeholder at each top account"],
    "offering_insights": ["Bring one benchmark to every first meeting"],
    "business_outcomes": ["Note the business outcome behind each request"],
    "personal_outcomes": ["Ask each champion what success means for them"],
    "call_planning": ["Share a call plan before the next two first meetings"],
    "value_quality": ["Review two call notes together next month"],
}


def _interaction_days(session: Session) -> dict[int, list[date]]:
    days: dict[int, list[date]] = {}
    for author, day in session.execute(
        select(Interaction.author_id, Interaction.occurred_on).order_by(Interaction.occurred_on)
    ):
        days.setdefault(author, []).append(day)
    return days


def _session_day(rng: random.Random, days: list[date], today: date) -> date:
    """Inside the seller's history when they have one, else one to four months ago."""
    if len(days) < 4:
        return today - timedelta(days=rng.randint(30, 120))
    low, high = int(len(days) * 0.35), int(len(days) * 0.65)
    return min(days[rng.randint(low, max(low, high))], today)


def _record(
    session: Session,
    rng: random.Random,
    demo: DemoCompany,
    coach: User,
    seller: User,
    days: list[date],
) -> None:
    focus = rng.choice(list(FOCUSES))
    held = _session_day(rng, days, demo.today)
    actions = [
        ActionIn(text=text, due_on=held + timedelta(days=rng.choice((14, 21, 30))))
        for text in ACTIONS[focus]
    ]
    made = coaching_service.create_session(
        session,
        people.principal_of(coach),
        SessionIn(
            seller_id=seller.id, held_on=held, focus=focus, notes=NOTES[focus], actions=actions
        ),
        demo.today,
    )
    for action in made.actions:
        if action.due_on < demo.today and rng.random() < DONE_SHARE:
            coaching_service.set_action_done(
                session, people.principal_of(coach), action.id, True, action.due_on
            )


def seed_coaching(session: Session, demo: DemoCompany) -> None:
    rng = random.Random(demo.seed + 9)
    days = _interaction_days(session)
    users = [u for u in demo.users if u.is_active]
    teams = list(demo.teams.values()) + list(demo.regions.values())
    below: dict[int, list[Team]] = {r.id: [] for r in demo.regions.values()}
    for team in demo.teams.values():
        if team.parent_id in below:
            below[team.parent_id].append(team)
    for team in teams:
        coach = next((u for u in users if u.role == Role.MANAGER and u.team_id == team.id), None)
        if coach is None:
            continue
        covered = {t.id for t in below.get(team.id, [])} | {team.id}
        sellers = [u for u in users if u.role == Role.SELLER and u.team_id in covered]
        wanted = 1 if team.id in below else SELLERS_PER_MANAGER
        # Managers coach their most active sellers: with few logged interactions there is no
        # before and after to read (this picks who, never what the interactions say).
        sellers.sort(key=lambda u: (-len(days.get(u.id, [])), u.id))
        pool = sellers[: 2 * wanted]
        for seller in rng.sample(pool, min(wanted, len(pool))):
            _record(session, rng, demo, coach, seller, days.get(seller.id, []))
    session.flush()
