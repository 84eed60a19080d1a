"""Discount history a request is judged against: comparable won deals (same segment, deal
type and size band), the seller's won deals and the customer's.

A won deal's discount is 1 - net/list over its line items; deals without lines have no list
price to measure from and are left out. The most recent SAMPLE won deals of each kind count.

The comparable deals' and the seller's samples aggregate thousands of won deals' lines at
100,000 deals (100-300 ms each on PostgreSQL), so they are shared by the process for
`SHARED_SECONDS` (`SAMPLES`): a deal won in the last two minutes may be missing from a new
request's evidence. The customer's own deals are few and always read as they are.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from valuescout.core.shared_cache import SharedCache
from valuescout.deals.models import Account, LineItem, Opportunity, Stage
from valuescout.pricing.evidence import History, discount_of

SAMPLE = 1_000
SHARED_SECONDS = 120.0
Sample = tuple[tuple[int, Decimal], ...]  # (won deal id, discount), most recent first
SAMPLES: SharedCache[Sample] = SharedCache(2_000, max_age=SHARED_SECONDS, name="discount-history")
_BAND_LIMITS = {
    "under_10k": (None, Decimal(10_000)),
    "10k_50k": (Decimal(10_000), Decimal(50_000)),
    "50k_250k": (Decimal(50_000), Decimal(250_000)),
    "250k_1m": (Decimal(250_000), Decimal(1_000_000)),
    "1m_plus": (Decimal(1_000_000), None),
}


def _won_discounts(session: Session, *where: Any, band: str | None = None) -> Sample:
    """The most recent SAMPLE + 1 won deals' discounts (one more, so that leaving out the deal
    being asked about still leaves SAMPLE)."""
    list_total = func.sum(LineItem.quantity * LineItem.list_price)
    net_total = func.sum(LineItem.quantity * LineItem.net_price)
    stmt = (
        select(Opportunity.id, list_total, net_total)
        .select_from(Opportunity)
        .join(Stage, Stage.id == Opportunity.stage_id)
        .join(LineItem, LineItem.opportunity_id == Opportunity.id)
        .where(Stage.outcome == "won", *where)
        .group_by(Opportunity.id, Opportunity.close_date)
        .order_by(Opportunity.close_date.desc().nulls_last(), Opportunity.id.desc())
        .limit(SAMPLE + 1)
    )
    if band is not None:
        low, high = _BAND_LIMITS[band]
        if low is not None:
            stmt = stmt.having(list_total >= low)
        if high is not None:
            stmt = stmt.having(list_total < high)
    out = []
    for opp_id, listed, net in session.execute(stmt):
        discount = discount_of(Decimal(listed), Decimal(net))
        if discount is not None:
            out.append((opp_id, discount))
    return tuple(out)


def _without(sample: Sample, opp_id: int) -> list[Decimal]:
    return [discount for deal, discount in sample if deal != opp_id][:SAMPLE]


def history_for(
    session: Session, opp: Opportunity, segment: str, deal_type: str, band: str
) -> History:
    url = str(session.get_bind().engine.url)
    comparable = SAMPLES.get(
        (url, "comparable", segment, deal_type, band),
        lambda: _won_discounts(
            session,
            Opportunity.deal_type == deal_type,
            Opportunity.account_id.in_(select(Account.id).where(Account.industry == segment)),
            band=band,
        ),
    )
    seller = SAMPLES.get(
        (url, "seller", opp.owner_id),
        lambda: _won_discounts(session, Opportunity.owner_id == opp.owner_id),
    )
    customer: Sample = ()
    if opp.account_id is not None:
        customer = _won_discounts(session, Opportunity.account_id == opp.account_id)
    return History(
        comparable=_without(comparable, opp.id),
        seller=_without(seller, opp.id),
        customer=_without(customer, opp.id),
    )
