"""Accepted discoveries as hints for call plans: the customer voices behind an outcome."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from valuescout.discoveries.models import Discovery
from valuescout.discoveries.transitions import Status


@dataclass(frozen=True)
class DiscoveryHint:
    discovery_id: int
    outcome_id: int
    desired_outcome: str
    situation: str
    value_hint: str
    account_name: str


def accepted_for_outcomes(session: Session, outcome_ids: Collection[int]) -> list[DiscoveryHint]:
    """Accepted discoveries on these outcomes, newest first within each outcome.

    No money of any deal is in a hint (the value hint is what the customer said), so this
    needs no caller: whoever may see the call plan may see its hints.
    """
    ids = sorted(set(outcome_ids))
    if not ids:
        return []
    rows = session.scalars(
        select(Discovery)
        .where(Discovery.status == Status.ACCEPTED.value, Discovery.outcome_id.in_(ids))
        .order_by(Discovery.outcome_id, Discovery.created_at.desc(), Discovery.id.desc())
    )
    return [
        DiscoveryHint(
            discovery_id=row.id,
            outcome_id=row.outcome_id,
            desired_outcome=row.desired_outcome,
            situation=row.situation,
            value_hint=row.value_hint,
            account_name=row.customer_name,
        )
        for row in rows
        if row.outcome_id is not None
    ]
