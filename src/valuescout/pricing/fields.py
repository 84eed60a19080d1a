"""The evidence a price request carries: the fields a policy's rules may test, with their
kinds and meanings. One table, shown in the policy editor's guide and checked by the parser."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class FieldKind(StrEnum):
    NUMBER = "number"  # ratios: discount 0.12, margin 0.31, share confirmed 0.5
    MONEY = "money"  # in the deal's currency
    BOOL = "bool"
    CHOICE = "choice"
    TEXT = "text"


class Zone(StrEnum):
    """Where the requested price sits in the value-based corridor."""

    BELOW_FLOOR = "below_floor"
    FLOOR_TO_TARGET = "floor_to_target"
    AT_OR_ABOVE_TARGET = "at_or_above_target"
    UNKNOWN = "unknown"  # no value case and no known cost


class Reason(StrEnum):
    COMPETITIVE_MATCH = "competitive_match"
    BUDGET = "budget"
    STRATEGIC_LOGO = "strategic_logo"
    VOLUME = "volume"
    OTHER = "other"


REASON_LABELS = {
    Reason.COMPETITIVE_MATCH: "Competitive match",
    Reason.BUDGET: "Customer budget",
    Reason.STRATEGIC_LOGO: "Strategic logo",
    Reason.VOLUME: "Volume",
    Reason.OTHER: "Other",
}


@dataclass(frozen=True)
class FieldSpec:
    kind: FieldKind
    label: str
    choices: tuple[str, ...] = ()


SIZE_BANDS = ("under_10k", "10k_50k", "50k_250k", "250k_1m", "1m_plus")
DEAL_TYPES = ("new", "expansion", "renewal")

FIELDS: dict[str, FieldSpec] = {
    # the request
    "reason": FieldSpec(FieldKind.CHOICE, "Reason category", tuple(r.value for r in Reason)),
    "list_price": FieldSpec(FieldKind.MONEY, "Deal at list price"),
    "price_before": FieldSpec(FieldKind.MONEY, "Deal price before the request"),
    "requested_price": FieldSpec(FieldKind.MONEY, "Requested deal price"),
    "discount": FieldSpec(FieldKind.NUMBER, "Requested discount off list (0.12 = 12%)"),
    "discount_amount": FieldSpec(FieldKind.MONEY, "Requested discount off list, in money"),
    "extra_discount_amount": FieldSpec(
        FieldKind.MONEY, "Price given up versus the price before the request"
    ),
    # the deal
    "deal_type": FieldSpec(FieldKind.CHOICE, "Deal type", DEAL_TYPES),
    "segment": FieldSpec(FieldKind.TEXT, "Customer segment (the account's industry)"),
    "size_band": FieldSpec(FieldKind.CHOICE, "Deal size band at list price", SIZE_BANDS),
    "alternative_kind": FieldSpec(
        FieldKind.CHOICE,
        "Next-best alternative",
        ("unknown", "competitor", "diy", "status_quo"),
    ),
    # value case
    "has_value_case": FieldSpec(FieldKind.BOOL, "The deal has a value case with outcomes"),
    "value_risk_adjusted": FieldSpec(FieldKind.MONEY, "Differential value, risk-adjusted"),
    "preference_before": FieldSpec(FieldKind.MONEY, "Customer preference at the price before"),
    "preference_after": FieldSpec(FieldKind.MONEY, "Customer preference at the requested price"),
    "confirmed_share": FieldSpec(FieldKind.NUMBER, "Share of value confirmed by the customer"),
    "confidence": FieldSpec(FieldKind.NUMBER, "Value-weighted confidence of the outcomes"),
    "value_to_price_after": FieldSpec(FieldKind.NUMBER, "Value-to-price at the requested price"),
    # corridor and margin
    "corridor_zone": FieldSpec(
        FieldKind.CHOICE, "Requested price in the corridor", tuple(z.value for z in Zone)
    ),
    "corridor_floor": FieldSpec(FieldKind.MONEY, "Corridor floor (cost and margin floor)"),
    "corridor_target": FieldSpec(FieldKind.MONEY, "Corridor target"),
    "corridor_ceiling": FieldSpec(FieldKind.MONEY, "Corridor ceiling (indifference price)"),
    "margin_after": FieldSpec(FieldKind.NUMBER, "Margin at the requested price (0.3 = 30%)"),
    # history
    "comparable_deals": FieldSpec(FieldKind.NUMBER, "Comparable won deals found"),
    "discount_percentile": FieldSpec(
        FieldKind.NUMBER, "Percentile of this discount among comparable won deals (0-100)"
    ),
    "seller_usual_discount": FieldSpec(FieldKind.NUMBER, "The seller's median won discount"),
    "customer_usual_discount": FieldSpec(FieldKind.NUMBER, "The customer's median won discount"),
}
