"""The demo company's maturity: two completed assessment rounds a quarter apart, each answered
by several people of different roles, closed (result and evidence stored) on its day.

The company is a plausible mid-journey one: alignment at Good, capability at Good going to
Great, enablement below Good going to Good. Respondents see it differently (executives a little
rosier, sellers a little darker, one sceptic), so some indicators show disagreement. Draws come
from a stream of their own (Random("<seed>-maturity")), so nothing else the demo makes moves.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from valuescout.assessments import maturity_content, service
from valuescout.assessments.models import MaturityAnswer, MaturityRound
from valuescout.identity.models import User
from valuescout.identity.roles import Role
from valuescout.identity.service import principal_of

if TYPE_CHECKING:
    from valuescout.demo.generator import DemoCompany

FIRST_DAYS_AGO = 100  # the first round closed about a quarter before the second
SECOND_DAYS_AGO = 8
# The company's "true" practice per domain and level on the 0-4 scale, then a quarter later.
BEFORE = {
    "alignment": {"good": 3.4, "great": 2.2, "elite": 1.0},
    "capability": {"good": 3.3, "great": 2.6, "elite": 1.3},
    "enablement": {"good": 2.2, "great": 1.8, "elite": 0.8},
}
GAIN = {  # what the quarter's work moved
    "alignment": {"good": 0.2, "great": 0.4, "elite": 0.2},
    "capability": {"good": 0.3, "great": 0.9, "elite": 0.5},
    "enablement": {"good": 1.1, "great": 0.6, "elite": 0.2},
}
ROLE_BIAS = {
    Role.EXECUTIVE: 0.4,
    Role.ADMIN: 0.1,
    Role.MANAGER: 0.1,
    Role.PRICE_DESK: 0.0,
    Role.SELLER: -0.2,
    Role.CONTRIBUTOR: -0.1,
}
RESPONDENT_ROLES = (Role.EXECUTIVE, Role.MANAGER, Role.MANAGER, Role.PRICE_DESK, Role.SELLER,
                    Role.SELLER, Role.SELLER)  # fmt: skip


def _respondents(session: Session) -> list[User]:
    chosen: list[User] = []
    for role in RESPONDENT_ROLES:
        query = select(User).where(User.role == role, User.is_active.is_(True)).order_by(User.id)
        found = [u for u in session.scalars(query) if u not in chosen]
        if found:
            chosen.append(found[0])
    return chosen


def _answer(rng: random.Random, truth: float, bias: float, sceptic: bool) -> int | None:
    if rng.random() < 0.06:
        return None  # "don't know"
    noise = rng.gauss(0, 0.35) + bias - (1.5 if sceptic and rng.random() < 0.3 else 0.0)
    return max(0, min(4, round(truth + noise)))


def _round(
    session: Session,
    demo: DemoCompany,
    rng: random.Random,
    title: str,
    days_ago: int,
    truth: dict[str, dict[str, float]],
) -> None:
    people = _respondents(session)
    runner = next(u for u in people if u.role == Role.EXECUTIVE)
    closes = demo.today - timedelta(days=days_ago)
    row = service.start_round(session, principal_of(runner), title)
    content = maturity_content.load(row.content_version)
    sceptic = people[-1].id
    for person in people:
        principal = principal_of(person)
        for domain in content.domains:
            answers = {
                i.id: _answer(
                    rng, truth[domain.id][i.level], ROLE_BIAS[person.role], person.id == sceptic
                )
                for i in domain.indicators
            }
            service.save_domain(session, principal, row.id, domain.id, answers)
    service.close_round(session, principal_of(runner), row.id, today=closes)
    closed_at = datetime.combine(closes, time(16, 0), tzinfo=UTC)
    opened_at = closed_at - timedelta(days=14)
    row.opened_at, row.closed_at = opened_at, closed_at
    session.execute(
        update(MaturityAnswer)
        .where(MaturityAnswer.round_id == row.id)
        .values(answered_at=opened_at + timedelta(days=3))
    )
    session.flush()


def seed_maturity(session: Session, demo: DemoCompany) -> None:
    """Two closed rounds, about a quarter apart, with several respondents each."""
    if session.scalar(select(MaturityRound.id).limit(1)) is not None:
        return
    rng = random.Random(f"{demo.seed}-maturity")
    after = {d: {lv: BEFORE[d][lv] + GAIN[d][lv] for lv in BEFORE[d]} for d in BEFORE}
    quarter = (demo.today - timedelta(days=FIRST_DAYS_AGO)).strftime("%B %Y")
    _round(session, demo, rng, f"Value-focus baseline, {quarter}", FIRST_DAYS_AGO, BEFORE)
    later = (demo.today - timedelta(days=SECOND_DAYS_AGO)).strftime("%B %Y")
    _round(session, demo, rng, f"Value-focus check-in, {later}", SECOND_DAYS_AGO, after)
