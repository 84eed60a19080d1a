"""Discount history a request is judged against: comparable won deals (same segment, deal
type and size band), the seller's won deals and the customer's.

A won deal's discount is 1 - net/list over its line items; deals without lines have no list
price to measure from and are left out. The most recent SAMPLE won deals of each kind count.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from valuescout.deals.models import Account, LineItem, Opportunity, Stage
from valuescout.pricing.evidence import History, discount_of

SAMPLE = 1_000
_BAND_LIMITS = {
    "under_10k": (None, Decimal(10_000)),
    "10k_50k": (Decimal(10_000), Decimal(50_000)),
    "50k_250k": (Decimal(50_000), Decimal(250_000)),
    "250k_1m": (Decimal(250_000), Decimal(1_000_000)),
    "1m_plus": (Decimal(1_000_000), None),
}


def _won_discounts(session: Session, *where: Any, band: str | None = None) -> list[Decimal]:
    list_total = func.sum(LineItem.quantity * LineItem.list_price)
    net_total = func.sum(LineItem.quantity * LineItem.net_price)
    stmt = (
        select(list_total, net_total)
        .select_from(Opportunity)
        .join(Stage, Stage.id == Opportunity.stage_id)
        .join(LineItem, LineItem.opportunity_id == Opportunity.id)
        .where(Stage.outcome == "won", *where)
        .group_by(Opportunity.id, Opportunity.close_date)
        .order_by(Opportunity.close_date.desc().nulls_last(), Opportunity.id.desc())
        .limit(SAMPLE)
    )
    if band is not None:
        low, high = _BAND_LIMITS[band]
        if low is not None:
            stmt = stmt.having(list_total >= low)
        if high is not None:
            stmt = stmt.having(list_total < high)
    out = []
    for listed, net in session.execute(stmt):
        discount = discount_of(Decimal(listed), Decimal(net))
        if discount is not None:
            out.append(discount)
    return out


def history_for(
    session: Session, opp: Opportunity, segment: str, deal_type: str, band: str
) -> History:
    others = Opportunity.id != opp.id
    comparable = _won_discounts(
        session,
        others,
        Opportunity.deal_type == deal_type,
        Opportunity.account_id.in_(select(Account.id).where(Account.industry == segment)),
        band=band,
    )
    seller = _won_discounts(session, others, Opportunity.owner_id == opp.owner_id)
    customer: list[Decimal] = []
    if opp.account_id is not None:
        customer = _won_discounts(session, others, Opportunity.account_id == opp.account_id)
    return History(comparable=comparable, seller=seller, customer=customer)
