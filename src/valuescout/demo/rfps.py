"""The demo company's RFPs: one record on every demo deal whose RFP class is set, in all four
engagement classes, drawn from the deal as it stands.

The deal decides the class (its `rfp_class`, which already shaped its odds in the deal flow:
shaped RFPs win more often) and the outcome: a won deal's RFP was won, a lost deal's was lost
(now and then to no decision, or withdrawn by us), an open deal's is pending. Dates sit inside
the deal's life: received between its start and its close (never after today), due three to
six weeks later, submitted a few days before the due date, decided on the deal's close date.
Nothing here invents a figure the deal contradicts; win rates and price realisation per class
are read from the deals by the analysis. Deterministic: random.Random(demo.seed + 11), on a
stream of its own so no other step's draws move.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from valuescout.deals.models import Opportunity, Stage
from valuescout.rfp.models import RfpRecord
from valuescout.rfp.terms import RfpOutcome

if TYPE_CHECKING:
    from valuescout.demo.generator import DemoCompany

# Competitors answering the same RFP, and the chance the customer wrote it without us, by class:
# the less we shaped it, the more open the field and the more it is the customer's own text.
COMPETITORS = {"shaped": (1, 3), "contents": (2, 4), "known": (2, 5), "unknown": (3, 7)}
CUSTOMER_WRITTEN = {"shaped": 0.0, "contents": 0.35, "known": 0.6, "unknown": 0.9}
NOTES = {
    "shaped": ("Requirements built on our workshop with their engineers.",
               "Their specification names outcomes we helped them quantify."),
    "contents": ("Saw the draft through the consultant; could not change it.",
                 "Knew the scope from the pre-bid meeting."),
    "known": ("The champion warned us a tender was coming.",
              "Expected after the budget round; contents a surprise."),
    "unknown": ("Arrived through the procurement portal without warning.",
                "First contact with this buyer was the RFP itself."),
}  # fmt: skip
LOST_AS = ((RfpOutcome.LOST, 0.8), (RfpOutcome.NO_DECISION, 0.14), (RfpOutcome.WITHDRAWN, 0.06))


def _outcome(rng: random.Random, stage_outcome: str) -> RfpOutcome:
    if stage_outcome == "won":
        return RfpOutcome.WON
    if stage_outcome == "lost":
        return rng.choices([o for o, _ in LOST_AS], [w for _, w in LOST_AS])[0]
    return RfpOutcome.PENDING


def _record(
    rng: random.Random, opp: Opportunity, stage_outcome: str, today: date
) -> RfpRecord | None:
    start = opp.created_at.date()
    end = opp.close_date if opp.close_date and stage_outcome != "open" else today
    end = min(end, today)
    if end < start:
        return None
    span = (end - start).days
    received = start + timedelta(days=int(span * rng.uniform(0.2, 0.6)))
    due = received + timedelta(days=rng.randint(21, 42))
    outcome = _outcome(rng, stage_outcome)
    closed = stage_outcome != "open"
    submitted: date | None = due - timedelta(days=rng.randint(0, 4))
    if outcome == RfpOutcome.WITHDRAWN and rng.random() < 0.6:
        submitted = None  # withdrew before answering
    if submitted is not None and (submitted > (end if closed else today) or submitted < received):
        submitted = None if not closed else max(received, min(submitted, end))
    decided = max(end, received) if closed else None
    low, high = COMPETITORS[opp.rfp_class]
    return RfpRecord(
        opportunity_id=opp.id,
        engagement_class=opp.rfp_class,
        received_on=received,
        due_on=due,
        submitted_on=submitted,
        decided_on=decided,
        outcome=outcome.value,
        competitors_responding=rng.randint(low, high),
        customer_written=rng.random() < CUSTOMER_WRITTEN[opp.rfp_class],
        notes=rng.choice(NOTES[opp.rfp_class]),
        created_by_id=opp.owner_id,
    )


def seed_rfps(session: Session, demo: DemoCompany) -> None:
    rng = random.Random(demo.seed + 11)
    deals = session.execute(
        select(Opportunity, Stage.outcome)
        .join(Stage, Stage.id == Opportunity.stage_id)
        .where(Opportunity.rfp_class.in_(tuple(COMPETITORS)))
        .order_by(Opportunity.id)
    ).all()
    rows = [_record(rng, opp, stage_outcome, demo.today) for opp, stage_outcome in deals]
    session.add_all([r for r in rows if r is not None])
    session.flush()
