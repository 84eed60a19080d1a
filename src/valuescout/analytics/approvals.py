"""Price-desk decisions as `leniency.ApprovalDecision`s, read from the price requests' events.

One decision per approver move on a request:

- `approve` — approved at the requested discount (or, on the last step of a request that
  ended approved, at the price it was approved at);
- `counter` — approved at the counter-offer's price (the approver granted that much);
- `reject` — not approved;
- `auto_approve` / `auto_reject` — the written policy's own decision, as approver
  `deal_source.POLICY_APPROVER`, so people can be compared with the policy too.

The cell is the deal's segment (as in `deal_source`), deal type and the size band of the
deal at list (the decade of the list price, as the outlier model's bands). The customer's
preference before the discount and the quantified value come from the evidence frozen when
the request was asked. Rates are clamped to 0..1 (a price above list is no discount).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from valuescout.analytics.deal_source import POLICY_APPROVER, segment_of
from valuescout.analytics.definitions import size_band_label
from valuescout.analytics.leniency import ApprovalDecision
from valuescout.deals.models import Account, Opportunity
from valuescout.identity.models import User
from valuescout.pricing.models import PriceRequest, PriceRequestEvent

_MOVES = {
    "approve": True,
    "counter": True,
    "reject": False,
    "auto_approve": True,
    "auto_reject": False,
}
ZERO, ONE = Decimal(0), Decimal(1)


@dataclass(frozen=True)
class DecisionQuery:
    start: date | None = None
    end: date | None = None
    currency: str | None = None  # None: every currency (the service passes one)


def _rate(list_price: Decimal, price: Decimal | None) -> Decimal | None:
    if price is None or list_price <= 0:
        return None
    return min(ONE, max(ZERO, (list_price - price) / list_price))


def _evidence(evidence: dict[str, Any], name: str) -> Decimal | None:
    value = (evidence or {}).get(name)
    return None if value is None else Decimal(str(value))


def size_band(list_price: Decimal) -> str:
    return size_band_label(math.floor(math.log10(list_price)) if list_price >= 1 else 0)


def decisions(session: Session, query: DecisionQuery) -> list[ApprovalDecision]:
    """Every decision in the period (by the time it was made), in the query's currency."""
    stmt = (
        select(
            PriceRequestEvent.action,
            PriceRequestEvent.price,
            PriceRequestEvent.state_after,
            PriceRequestEvent.actor_email,
            PriceRequest.id,
            PriceRequest.list_price,
            PriceRequest.requested_price,
            PriceRequest.approved_price,
            PriceRequest.evidence,
            User.full_name,
            Opportunity.deal_type,
            Account.industry,
            Account.attributes,
        )
        .join(PriceRequest, PriceRequest.id == PriceRequestEvent.request_id)
        .join(Opportunity, Opportunity.id == PriceRequest.opportunity_id)
        .outerjoin(Account, Account.id == Opportunity.account_id)
        .outerjoin(User, User.id == PriceRequestEvent.actor_id)
        .where(
            PriceRequestEvent.action.in_(list(_MOVES)),
        )
        .order_by(PriceRequestEvent.id)
    )  # columns, not entities: the review reads every decision of the company
    if query.currency:
        stmt = stmt.where(PriceRequest.currency == query.currency)
    if query.start:
        stmt = stmt.where(PriceRequestEvent.at >= datetime.combine(query.start, time(), UTC))
    if query.end:
        after = datetime.combine(query.end + timedelta(days=1), time(), UTC)
        stmt = stmt.where(PriceRequestEvent.at < after)
    out: list[ApprovalDecision] = []
    for row in session.execute(stmt):
        (action, price, state_after, actor_email, request_id, list_price) = row[:6]
        (requested_price, approved_price, evidence, name, deal_type, industry, attributes) = row[6:]
        if list_price <= 0:
            continue
        approved = _MOVES[action]
        by_policy = action.startswith("auto_")
        requested = _rate(list_price, requested_price) or ZERO
        granted: Decimal | None = None
        if approved:
            if action == "counter":
                granted = _rate(list_price, price)
            elif state_after == "approved" and approved_price is not None:
                granted = _rate(list_price, approved_price)
            granted = requested if granted is None else granted
        out.append(
            ApprovalDecision(
                approver=POLICY_APPROVER if by_policy else (name or actor_email),
                request_id=str(request_id),
                cell=(segment_of(industry, attributes), deal_type, size_band(list_price)),
                list_revenue=list_price,
                requested_discount=requested,
                approved=approved,
                approved_discount=granted,
                preference_before=_evidence(evidence, "preference_before"),
                quantified_value=_evidence(evidence, "value_risk_adjusted"),
            )
        )
    return out
