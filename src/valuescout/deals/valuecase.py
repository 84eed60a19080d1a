"""Value case arithmetic for one deal: what the customer gains over the next-best alternative.

Pure Decimal functions (floats refused) so every screen and export agrees to the cent.
Preference = differential value - price difference (Anderson-Narus incentive to purchase);
the ceiling is Nagle's TEV, alternative price + differential value (domain-method 1.3-3.5).

Conventions:
* Horizon value: yearly_value * years if recurring, yearly_value if one-time; AGAINST outcomes
  (switching cost, where the alternative is better) count negative; risk-adjusted = * confidence.
  No alternative price means the alternative costs 0 (status quo).
* Value totals are rounded to cents once; preference, corridor, ratios and ROI derive from the
  rounded totals, so the figures add up exactly as shown (preference = value - price difference).
* One-time values arrive at the start: t=0 in NPV (undiscounted), month 0 for payback.
* Recurring values arrive evenly through each year for payback (yearly/12 a month for their
  years) and at each year end for NPV: NPV = PV(inflows) - price, PV(inflows) = sum of one-time
  + sum of recurring yearly * annuity factor(rate, years), signed and risk-adjusted, rounded
  to cents before the price is taken off.
* Payback is exact on the piecewise-linear cumulative inflow (AGAINST lowers it), rounded UP to
  a tenth of a month so the price has been reached at the month shown; 0 when the price is 0;
  None when never reached (the inflow is flat after the longest horizon).
* Target and ceiling follow the formula below the alternative price when differential value is
  negative, but never go below 0.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_EVEN, Context, Decimal, localcontext
from enum import StrEnum

from valuescout.core.money import to_money

_CTX = Context(prec=34, rounding=ROUND_HALF_EVEN)
_UP = Context(prec=34, rounding=ROUND_CEILING)
_ZERO = Decimal(0)
_ONE = Decimal(1)
MAX_YEARS = 30


class Direction(StrEnum):
    """FOR counts in our favour; AGAINST is negative differentiation and counts against us."""

    FOR = "for"
    AGAINST = "against"


class Recurrence(StrEnum):
    ONE_TIME = "one_time"
    RECURRING = "recurring"


class OutcomeState(StrEnum):
    """How far the customer has come with an outcome; members are in progression order."""

    HYPOTHESISED = "hypothesised"
    DISCUSSED = "discussed"
    ENVISIONED = "envisioned"
    QUANTIFIED = "quantified"
    CONFIRMED = "confirmed"


STATE_LABELS: dict[OutcomeState, str] = {
    OutcomeState.HYPOTHESISED: "Hypothesised",
    OutcomeState.DISCUSSED: "Discussed",
    OutcomeState.ENVISIONED: "Envisioned by the customer",
    OutcomeState.QUANTIFIED: "Quantified",
    OutcomeState.CONFIRMED: "Confirmed by the customer",
}


class PricePosition(StrEnum):
    BELOW_FLOOR = "below_floor"
    FLOOR_TO_TARGET = "floor_to_target"
    TARGET_TO_CEILING = "target_to_ceiling"
    ABOVE_CEILING = "above_ceiling"


@dataclass(frozen=True, slots=True)
class OutcomeInput:
    """One differentiator's outcome in money; validated on creation so bad ones cannot exist."""

    yearly_value: Decimal
    direction: Direction = Direction.FOR
    recurrence: Recurrence = Recurrence.RECURRING
    years: int = 1
    confidence: Decimal = Decimal(1)
    state: OutcomeState = OutcomeState.HYPOTHESISED

    def __post_init__(self) -> None:
        validate(self)


@dataclass(frozen=True, slots=True)
class PriceInputs:
    """Our price, the alternative's, and the pricing policy; validated on creation."""

    our_price: Decimal
    alternative_price: Decimal | None
    cost: Decimal | None = None
    margin_floor: Decimal = Decimal("0.25")
    target_share: Decimal = Decimal("0.5")
    discount_rate: Decimal = Decimal("0.10")

    def __post_init__(self) -> None:
        validate(self)


@dataclass(frozen=True, slots=True)
class Corridor:
    floor: Decimal | None  # cost / (1 - margin_floor); None when cost is unknown
    target: Decimal  # alternative price + target_share * risk-adjusted value
    ceiling: Decimal  # indifference price (TEV): alternative price + risk-adjusted value


@dataclass(frozen=True, slots=True)
class ValueFigures:
    value_unadjusted: Decimal
    value_risk_adjusted: Decimal
    price_difference: Decimal
    preference: Decimal
    preference_unadjusted: Decimal
    value_to_price: Decimal | None  # ceiling / our price, 0.01; None when our price is 0
    roi: Decimal | None  # (risk-adjusted value - our price) / our price, 0.0001
    payback_months: Decimal | None
    npv: Decimal
    confirmed_share: Decimal | None  # of FOR unadjusted value; None without any
    corridor: Corridor
    position: PricePosition


def _check(name: str, value: object, rule: str, ok: Callable[[Decimal], bool]) -> None:
    """Refuse floats (inexact money) with TypeError and out-of-range values with ValueError."""
    if isinstance(value, float):
        raise TypeError(f"{name} must be a Decimal, not a float (floats are not exact)")
    if not isinstance(value, Decimal):
        raise TypeError(f"{name} must be a Decimal, got {type(value).__name__}")
    if not value.is_finite() or not ok(value):
        raise ValueError(f"{name} must be {rule}, got {value}")


def _member(name: str, value: str, enum: type[StrEnum]) -> None:
    try:
        enum(value)
    except ValueError:
        raise ValueError(f"{name} must be one of {', '.join(enum)}, got {value!r}") from None


def validate(item: OutcomeInput | PriceInputs) -> None:
    """Raise TypeError/ValueError naming the field, so forms can show what to fix."""
    nonneg, unit = "0 or more", "between 0 and 1"
    if isinstance(item, OutcomeInput):
        _check("yearly_value", item.yearly_value, nonneg, lambda d: d >= 0)
        _check("confidence", item.confidence, unit, lambda d: 0 <= d <= 1)
        if isinstance(item.years, bool) or not isinstance(item.years, int):
            raise TypeError(f"years must be a whole number, got {type(item.years).__name__}")
        if not 1 <= item.years <= MAX_YEARS:
            raise ValueError(f"years must be between 1 and {MAX_YEARS}, got {item.years}")
        _member("direction", item.direction, Direction)
        _member("recurrence", item.recurrence, Recurrence)
        _member("state", item.state, OutcomeState)
        return
    _check("our_price", item.our_price, nonneg, lambda d: d >= 0)
    for name, amount in (("alternative_price", item.alternative_price), ("cost", item.cost)):
        if amount is not None:
            _check(name, amount, nonneg, lambda d: d >= 0)
    _check("margin_floor", item.margin_floor, "at least 0 and below 1", lambda d: 0 <= d < 1)
    _check("target_share", item.target_share, unit, lambda d: 0 <= d <= 1)
    _check("discount_rate", item.discount_rate, unit, lambda d: 0 <= d <= 1)


def _signed(o: OutcomeInput, amount: Decimal) -> Decimal:
    return -amount if o.direction == Direction.AGAINST else amount


def _yearly(o: OutcomeInput) -> Decimal:
    """Signed, risk-adjusted amount per year (the one amount for one-time outcomes)."""
    return _signed(o, o.yearly_value * o.confidence)


def _raw(o: OutcomeInput, risk_adjusted: bool) -> Decimal:
    return _horizon(o.yearly_value, o.direction, o.recurrence, o.years, o.confidence, risk_adjusted)


def _horizon(
    yearly_value: Decimal,
    direction: str,
    recurrence: str,
    years: int,
    confidence: Decimal,
    risk_adjusted: bool,
) -> Decimal:
    """Signed horizon value of one outcome, unrounded (in `_CTX`): the one formula behind the
    outcome's and the case's values."""
    amount = yearly_value if recurrence == Recurrence.ONE_TIME else yearly_value * years
    if risk_adjusted:
        amount = amount * confidence
    return -amount if direction == Direction.AGAINST else amount


# An outcome's columns as stored: yearly value, direction, recurrence, years, confidence.
StoredOutcome = tuple[Decimal, str, str, int, Decimal]


def stored_risk_adjusted_value(outcomes: Iterable[StoredOutcome]) -> Decimal:
    """`evaluate(...).value_risk_adjusted` of outcomes as the database holds them (already
    validated when written), without building and validating an `OutcomeInput` each: the
    analytics snapshot sums every value case of the company."""
    with localcontext(_CTX):
        return to_money(sum((_horizon(*o, True) for o in outcomes), _ZERO))


def outcome_value(o: OutcomeInput, *, risk_adjusted: bool) -> Decimal:
    """Signed horizon value of one outcome in cents, for listing outcomes beside the totals."""
    with localcontext(_CTX):
        return to_money(_raw(o, risk_adjusted))


def _discount_factor(o: OutcomeInput, rate: Decimal) -> Decimal:
    """1 at t=0 for one-time; else the annuity factor: 1 paid at each year end for `years`."""
    if o.recurrence == Recurrence.ONE_TIME:
        return _ONE
    if rate == 0:
        return Decimal(o.years)
    return (_ONE - (_ONE + rate) ** -o.years) / rate


def _npv(outcomes: Sequence[OutcomeInput], prices: PriceInputs) -> Decimal:
    rate = prices.discount_rate
    inflows = sum((_yearly(o) * _discount_factor(o, rate) for o in outcomes), _ZERO)
    return to_money(to_money(inflows) - prices.our_price)


def _payback(outcomes: Sequence[OutcomeInput], price: Decimal) -> Decimal | None:
    """First month the cumulative inflow reaches `price`, walking the linear pieces exactly."""
    if price == 0:
        return _ZERO
    reached = sum((_yearly(o) for o in outcomes if o.recurrence == Recurrence.ONE_TIME), _ZERO)
    if reached >= price:
        return _ZERO
    recurring = [(o.years, _yearly(o)) for o in outcomes if o.recurrence == Recurrence.RECURRING]
    year = 0
    for end in sorted({years for years, _ in recurring}):
        slope = sum((y for years, y in recurring if years >= end), _ZERO)  # per year
        at_end = reached + slope * (end - year)
        if at_end >= price:  # slope > 0 here, since reached < price
            months = 12 * year + _UP.divide(12 * (price - reached), slope)
            return months.quantize(Decimal("0.1"), rounding=ROUND_CEILING)
        reached, year = at_end, end
    return None


def _ratio(numerator: Decimal, denominator: Decimal, places: str) -> Decimal | None:
    if denominator == 0:
        return None
    return (numerator / denominator).quantize(Decimal(places), rounding=ROUND_HALF_EVEN)


def _position(price: Decimal, c: Corridor) -> PricePosition:
    if c.floor is not None and price < c.floor:
        return PricePosition.BELOW_FLOOR
    if price < c.target:
        return PricePosition.FLOOR_TO_TARGET
    if price <= c.ceiling:
        return PricePosition.TARGET_TO_CEILING
    return PricePosition.ABOVE_CEILING


def evaluate(outcomes: Sequence[OutcomeInput], prices: PriceInputs) -> ValueFigures:
    """All figures of a value case, from its outcomes and the two prices."""
    with localcontext(_CTX):
        unadjusted = to_money(sum((_raw(o, False) for o in outcomes), _ZERO))
        adjusted = to_money(sum((_raw(o, True) for o in outcomes), _ZERO))
        alternative = prices.alternative_price or _ZERO
        price = prices.our_price
        difference = to_money(price - alternative)
        cost = prices.cost
        corridor = Corridor(
            floor=None if cost is None else to_money(cost / (_ONE - prices.margin_floor)),
            target=to_money(max(_ZERO, alternative + prices.target_share * adjusted)),
            ceiling=to_money(max(_ZERO, alternative + adjusted)),
        )
        positive = [(o.state, _raw(o, False)) for o in outcomes if o.direction == Direction.FOR]
        confirmed = sum((v for s, v in positive if s == OutcomeState.CONFIRMED), _ZERO)
        return ValueFigures(
            value_unadjusted=unadjusted,
            value_risk_adjusted=adjusted,
            price_difference=difference,
            preference=to_money(adjusted - difference),
            preference_unadjusted=to_money(unadjusted - difference),
            value_to_price=_ratio(corridor.ceiling, price, "0.01"),
            roi=_ratio(adjusted - price, price, "0.0001"),
            payback_months=_payback(outcomes, price),
            npv=_npv(outcomes, prices),
            confirmed_share=_ratio(confirmed, sum((v for _, v in positive), _ZERO), "0.0001"),
            corridor=corridor,
            position=_position(price, corridor),
        )


def preference_at(price: Decimal, figures: ValueFigures, prices: PriceInputs) -> Decimal:
    """Preference if our price were `price`: each currency unit off the price adds one to it."""
    _check("price", price, "0 or more", lambda d: d >= 0)
    with localcontext(_CTX):
        alternative = prices.alternative_price or _ZERO
        return to_money(figures.value_risk_adjusted - (price - alternative))


def preference_curve(
    figures: ValueFigures, prices: PriceInputs, points: int = 9
) -> list[tuple[Decimal, Decimal]]:
    """Evenly spaced prices around the corridor plus its exact points, for the preference chart."""
    if points < 2:
        raise ValueError(f"points must be at least 2, got {points}")
    c = figures.corridor
    with localcontext(_CTX):
        price = to_money(prices.our_price)
        low = min(c.target if c.floor is None else c.floor, price) * Decimal("0.8")
        high = max(c.ceiling, price) * Decimal("1.2")
        step = (high - low) / (points - 1)
        grid = {to_money(low + step * i) for i in range(points)}
        grid |= {c.target, c.ceiling, price} | (set() if c.floor is None else {c.floor})
    return [(p, preference_at(p, figures, prices)) for p in sorted(grid)]
