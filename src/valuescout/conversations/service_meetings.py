"""An interaction's meeting on its deal: recorded when it is logged, withdrawn when it is
deleted or moved to another day, kind or deal.

Logging a live conversation (meeting, visit, call) on an opportunity moves the deal's last
meeting forward through the deals service (`record_meeting`: history and audit). The
interaction remembers whether it did and from which day, so the moves form a chain: each
mover knows the day before it. Withdrawing a mover:

- if the deal's last meeting is still its day and no other live interaction on the deal has
  that day, the deal goes back to the latest of the day before it and the remaining live
  interactions' days (`correct_meeting`: a new history entry, so a forecast rebuilt for a day
  in between still sees what was known then); an interaction that now holds the last meeting
  takes over the chain;
- if another live interaction has the same day, it takes over the chain (the meeting stands);
- if a later meeting is on record, the mover after it in the chain now starts from the day
  before it.

Interactions that did not move the deal (the day was already on record, from its history, an
import or a later meeting) never move it back: a meeting the deal knew of without them stays.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from valuescout.conversations.models import Interaction
from valuescout.core import audit
from valuescout.deals import service as deals_service
from valuescout.deals.models import Opportunity

LIVE_KINDS = frozenset({"meeting", "visit", "call"})  # count as meeting the customer


def record(session: Session, actor: audit.Actor, row: Interaction, opp: Opportunity | None) -> None:
    """Move the deal's last meeting forward to the interaction's day, when it is later."""
    row.moved_last_meeting, row.last_meeting_before = False, None
    if opp is None or row.kind not in LIVE_KINDS:
        return
    before = opp.last_meeting_on
    if deals_service.record_meeting(session, actor, opp, row.occurred_on):
        row.moved_last_meeting, row.last_meeting_before = True, before


def _take_over(heir: Interaction, before: date | None) -> None:
    heir.moved_last_meeting, heir.last_meeting_before = True, before


def withdraw(session: Session, actor: audit.Actor, row: Interaction) -> None:
    """Take back the move the interaction made on its deal's last meeting (if any)."""
    moved, before = row.moved_last_meeting, row.last_meeting_before
    row.moved_last_meeting, row.last_meeting_before = False, None
    if not moved or row.opportunity_id is None:
        return
    opp = session.get(Opportunity, row.opportunity_id)
    if opp is None:
        return
    others = list(
        session.scalars(
            select(Interaction)
            .where(
                Interaction.opportunity_id == opp.id,
                Interaction.id != row.id,
                Interaction.kind.in_(LIVE_KINDS),
            )
            .order_by(Interaction.occurred_on.desc(), Interaction.id)
        )
    )
    same_day = [o for o in others if o.occurred_on == row.occurred_on]
    if same_day:
        _take_over(same_day[0], before)
        return
    if opp.last_meeting_on != row.occurred_on:
        for later in others:
            if later.moved_last_meeting and later.last_meeting_before == row.occurred_on:
                later.last_meeting_before = before
        return
    latest = others[0] if others else None  # the newest remaining meeting (all are earlier)
    back_to = before
    if latest is not None and (before is None or latest.occurred_on > before):
        back_to = latest.occurred_on
        _take_over(latest, before)
    deals_service.correct_meeting(session, actor, opp, back_to)
