"""The evidence of a price request, computed from the deal, its value case and history.

Pure: the service gathers the inputs and freezes the result with the request. Ratios are
rounded to 4 places and money to cents, so the frozen evidence reads the same as the page.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from valuescout.core.money import to_money
from valuescout.deals import valuecase as vc
from valuescout.pricing.fields import FIELDS, FieldKind, Zone

_RATIO = Decimal("0.0001")
_BANDS = (
    (Decimal(10_000), "under_10k"),
    (Decimal(50_000), "10k_50k"),
    (Decimal(250_000), "50k_250k"),
    (Decimal(1_000_000), "250k_1m"),
)


@dataclass(frozen=True)
class DealFacts:
    reason: str
    list_price: Decimal
    price_before: Decimal
    requested_price: Decimal
    cost: Decimal | None
    deal_type: str
    segment: str
    alternative_kind: str


@dataclass(frozen=True)
class ValueFacts:
    """The value case's outcomes and the settings it is priced with (None: no value case)."""

    outcomes: Sequence[vc.OutcomeInput]
    prices: vc.PriceInputs  # our_price is replaced by the price being judged


@dataclass(frozen=True)
class History:
    comparable: Sequence[Decimal]  # discounts of comparable won deals
    seller: Sequence[Decimal]  # the seller's won deals' discounts
    customer: Sequence[Decimal]  # the account's won deals' discounts


def size_band(list_price: Decimal) -> str:
    for limit, band in _BANDS:
        if list_price < limit:
            return band
    return "1m_plus"


def discount_of(list_price: Decimal, price: Decimal) -> Decimal | None:
    if list_price <= 0:
        return None
    return ((list_price - price) / list_price).quantize(_RATIO, rounding=ROUND_HALF_EVEN)


def percentile_rank(value: Decimal, sample: Sequence[Decimal]) -> Decimal | None:
    """Share of the sample below `value`, ties counted half, in percent (0-100)."""
    if not sample:
        return None
    below = sum(1 for s in sample if s < value)
    equal = sum(1 for s in sample if s == value)
    rank = Decimal(100) * (Decimal(below) + Decimal(equal) / 2) / Decimal(len(sample))
    return rank.quantize(Decimal("0.1"), rounding=ROUND_HALF_EVEN)


def _median(sample: Sequence[Decimal]) -> Decimal | None:
    if not sample:
        return None
    return Decimal(statistics.median(sample)).quantize(_RATIO, rounding=ROUND_HALF_EVEN)


def _confidence(outcomes: Sequence[vc.OutcomeInput]) -> Decimal | None:
    weighted = [
        (vc.outcome_value(o, risk_adjusted=False), o.confidence)
        for o in outcomes
        if o.direction == vc.Direction.FOR
    ]
    total = sum((w for w, _ in weighted), Decimal(0))
    if total <= 0:
        return None
    mean = sum((w * c for w, c in weighted), Decimal(0)) / total
    return mean.quantize(_RATIO, rounding=ROUND_HALF_EVEN)


def _zone(price: Decimal, floor: Decimal | None, target: Decimal | None) -> Zone:
    if floor is not None and price < floor:
        return Zone.BELOW_FLOOR
    if target is None:
        return Zone.FLOOR_TO_TARGET if floor is not None else Zone.UNKNOWN
    return Zone.FLOOR_TO_TARGET if price < target else Zone.AT_OR_ABOVE_TARGET


def _margin(price: Decimal, cost: Decimal | None) -> Decimal | None:
    if cost is None or price <= 0:
        return None
    return ((price - cost) / price).quantize(_RATIO, rounding=ROUND_HALF_EVEN)


def build(
    deal: DealFacts, value: ValueFacts | None, history: History, margin_floor: Decimal
) -> dict[str, Any]:
    """Every evidence field (see fields.FIELDS) for this request; unknown ones are None."""
    requested = to_money(deal.requested_price)
    discount = discount_of(deal.list_price, requested)
    floor = None if deal.cost is None else to_money(deal.cost / (Decimal(1) - margin_floor))
    evidence: dict[str, Any] = dict.fromkeys(FIELDS)
    evidence.update(
        reason=deal.reason,
        list_price=to_money(deal.list_price),
        price_before=to_money(deal.price_before),
        requested_price=requested,
        discount=discount,
        discount_amount=to_money(deal.list_price - requested),
        extra_discount_amount=to_money(deal.price_before - requested),
        deal_type=deal.deal_type,
        segment=deal.segment,
        size_band=size_band(deal.list_price),
        alternative_kind=deal.alternative_kind,
        has_value_case=value is not None and len(value.outcomes) > 0,
        corridor_floor=floor,
        margin_after=_margin(requested, deal.cost),
        comparable_deals=Decimal(len(history.comparable)),
        discount_percentile=(
            None if discount is None else percentile_rank(discount, history.comparable)
        ),
        seller_usual_discount=_median(history.seller),
        customer_usual_discount=_median(history.customer),
    )
    target = None
    if value is not None and value.outcomes:
        prices = replace(value.prices, cost=deal.cost)
        before = vc.evaluate(value.outcomes, replace(prices, our_price=deal.price_before))
        after = vc.evaluate(value.outcomes, replace(prices, our_price=requested))
        target = after.corridor.target
        evidence.update(
            value_risk_adjusted=after.value_risk_adjusted,
            preference_before=before.preference,
            preference_after=after.preference,
            confirmed_share=after.confirmed_share,
            confidence=_confidence(value.outcomes),
            value_to_price_after=after.value_to_price,
            corridor_target=after.corridor.target,
            corridor_ceiling=after.corridor.ceiling,
        )
    evidence["corridor_zone"] = _zone(requested, floor, target).value
    return evidence


def to_json(evidence: dict[str, Any]) -> dict[str, Any]:
    """Decimals as strings, so the frozen evidence keeps every digit."""
    return {k: str(v) if isinstance(v, Decimal) else v for k, v in evidence.items()}


def from_json(data: dict[str, Any]) -> dict[str, Any]:
    """Frozen evidence back into the kinds the policy compares (numbers as Decimal)."""
    out: dict[str, Any] = dict.fromkeys(FIELDS)
    for name, value in data.items():
        spec = FIELDS.get(name)
        if spec is None:
            continue  # a field an older version stored and this one no longer tests
        if value is not None and spec.kind in (FieldKind.NUMBER, FieldKind.MONEY):
            value = Decimal(str(value))
        out[name] = value
    return out
