"""Interactions and coaching sessions for the coaching tests, dated from today.

`coached_world`: the seller (West A) is coached by the manager on expansion questions 30 days
ago; before it they asked 1 expansion question per interaction, after it 3. seller_b (West B),
never coached, asks 1 before and 1.5 after, 12 interactions in each window. So the session's
effect is (3 - 1) - (1.5 - 1) = 1.5 expansion questions per interaction.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from tests.deals.test_service_builders import principal
from tests.factories import Org
from valuescout.conversations import coaching_service
from valuescout.conversations.coaching_schemas import ActionIn, SessionIn, SessionOut
from valuescout.conversations.models import Interaction

SESSION_AGO = 30


def interaction(session: Session, author_id: int, day: date, **counts: int) -> Interaction:
    row = Interaction(author_id=author_id, occurred_on=day, kind="meeting", notes="", **counts)
    session.add(row)
    return row


def log(session: Session, author_id: int, day: date, offsets: range, *cycle: int) -> None:
    """One interaction per offset day, the expansion questions taken in turn from `cycle`."""
    for n, k in enumerate(offsets):
        expansion = cycle[n % len(cycle)]
        interaction(session, author_id, day + timedelta(days=k), expansion_questions=expansion)


def record(
    session: Session, org: Org, coach: str = "manager", seller: str = "seller",
    focus: str = "expansion_questions", held_on: date | None = None,
) -> SessionOut:  # fmt: skip
    today = date.today()
    data = SessionIn(
        seller_id=org.user(seller).id,
        held_on=held_on or today - timedelta(days=SESSION_AGO),
        focus=focus,
        notes=f"Worked on {focus} with {org.user(seller).full_name}",
        actions=[ActionIn(text="Plan three expansion questions", due_on=today + timedelta(days=7))],
    )
    return coaching_service.create_session(
        session, principal(session, org.user(coach)), data, today
    )


def coached_world(session: Session, org: Org) -> SessionOut:
    day = date.today() - timedelta(days=SESSION_AGO)
    seller, other = org.user("seller").id, org.user("seller_b").id
    log(session, seller, day, range(-20, -16), 1)  # 4 before at 1
    log(session, seller, day, range(2, 6), 3)  # 4 after at 3
    log(session, other, day, range(-12, 0), 1)
    log(session, other, day, range(1, 13), 1, 2)  # mean 1.5
    made = record(session, org)
    session.flush()
    return made
