"""Value case arithmetic: the worked example of domain-method §1.4, hand-computed NPV, payback
and ROI, corridor positions, and properties on generated cases (amounts in whole cents)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from valuescout.deals.valuecase import (
    STATE_LABELS,
    Direction,
    OutcomeInput,
    OutcomeState,
    PriceInputs,
    PricePosition,
    Recurrence,
    evaluate,
    outcome_value,
    preference_at,
    preference_curve,
    stored_risk_adjusted_value,
    validate,
)

D = Decimal
AGAINST, ONE_TIME = Direction.AGAINST, Recurrence.ONE_TIME

# §1.4: predictive maintenance +100k/yr, onboarding +24k/yr, no local service -10k/yr.
PLANT = [
    OutcomeInput(D(100_000)),
    OutcomeInput(D(24_000)),
    OutcomeInput(D(10_000), direction=AGAINST),
]
PLANT_PRICES = PriceInputs(our_price=D(250_000), alternative_price=D(200_000))


def test_worked_example_of_domain_method_1_4() -> None:
    f = evaluate(PLANT, PLANT_PRICES)
    assert f.value_unadjusted == f.value_risk_adjusted == D(114_000)  # ΔV
    assert f.price_difference == D(50_000)  # ΔP
    assert f.preference == f.preference_unadjusted == D(64_000)
    assert f.corridor.ceiling == D(314_000)  # TEV = 200k reference + 114k differentiation
    assert f.corridor.target == D(257_000)  # 200k + 0.5 x 114k
    assert f.corridor.floor is None
    assert f.position is PricePosition.FLOOR_TO_TARGET
    assert f.value_to_price == D("1.26")  # 314k / 250k = 1.256
    assert f.roi == D("-0.5440")  # (114k - 250k) / 250k
    assert f.payback_months is None  # one year brings 114k, never 250k
    assert f.npv == D("-146363.64")  # 114k / 1.1 = 103,636.36; minus 250k
    assert outcome_value(PLANT[2], risk_adjusted=False) == D(-10_000)
    assert preference_at(D(225_000), f, PLANT_PRICES) == D(89_000)  # 10% off: still ours


def test_at_minus_15k_preference_the_smallest_discount_that_flips_it_is_15k() -> None:
    prices = PriceInputs(our_price=D(329_000), alternative_price=D(200_000))
    f = evaluate(PLANT, prices)
    assert f.preference == preference_at(D(329_000), f, prices) == D(-15_000)
    assert preference_at(D(329_000) - D(15_000), f, prices) == 0
    assert preference_at(D(329_000) - D("14999.99"), f, prices) < 0
    assert f.position is PricePosition.ABOVE_CEILING


# Status quo (no alternative price), our price 90,000, cost 45,000:
#   one-time +30,000 at start, confirmed
#   +60,000/yr for 3 years at confidence 0.5  -> 30,000/yr risk-adjusted, 180,000 unadjusted
#   -12,000/yr for 1 year (against)
# ΔV adjusted 30k + 90k - 12k = 108,000; unadjusted 30k + 180k - 12k = 198,000.
# Payback: 30,000 at month 0; year 1 adds (30,000 - 12,000)/12 = 1,500/month -> 48,000 at
#   month 12; then 2,500/month: 42,000 more takes 16.8 months -> 28.8 months.
# NPV @10%: 30,000 + 30,000 x 2.48685199 (annuity, 3 yrs) - 12,000 / 1.1
#   = 30,000 + 74,605.5597 - 10,909.0909 = 93,696.47; minus 90,000 -> 3,696.47.
# ROI (108,000 - 90,000) / 90,000 = 0.2; value to price 108,000 / 90,000 = 1.20.
# Confirmed share of positive unadjusted value: 30,000 / 210,000 = 0.142857 -> 0.1429.
MIXED = [
    OutcomeInput(D(30_000), recurrence=ONE_TIME, state=OutcomeState.CONFIRMED),
    OutcomeInput(D(60_000), years=3, confidence=D("0.5"), state=OutcomeState.QUANTIFIED),
    OutcomeInput(D(12_000), direction=AGAINST, state=OutcomeState.CONFIRMED),
]
MIXED_PRICES = PriceInputs(our_price=D(90_000), alternative_price=None, cost=D(45_000))


def test_worked_npv_payback_roi_and_confirmed_share() -> None:
    f = evaluate(MIXED, MIXED_PRICES)
    assert (f.value_risk_adjusted, f.value_unadjusted) == (D(108_000), D(198_000))
    assert f.price_difference == D(90_000)
    assert (f.preference, f.preference_unadjusted) == (D(18_000), D(108_000))
    assert f.payback_months == D("28.8")
    assert f.npv == D("3696.47")
    assert f.roi == D("0.2000")
    assert f.value_to_price == D("1.20")
    assert f.confirmed_share == D("0.1429")
    c = f.corridor  # floor 45,000 / (1 - 0.25); target 0.5 x 108,000
    assert (c.floor, c.target, c.ceiling) == (D(60_000), D(54_000), D(108_000))
    assert f.position is PricePosition.TARGET_TO_CEILING


def test_payback_is_zero_when_one_time_value_covers_the_price_or_the_price_is_zero() -> None:
    upfront = [OutcomeInput(D(500), recurrence=ONE_TIME)]
    assert evaluate(upfront, PriceInputs(D(500), None)).payback_months == 0
    f = evaluate([], PriceInputs(D(0), None))
    assert f.payback_months == 0
    assert f.roi is f.value_to_price is f.confirmed_share is None


def test_payback_over_uneven_horizons_rounds_up_to_a_tenth() -> None:
    # 1,200/yr for 1 year (100/month) plus 120/yr for 5 years (10/month):
    # 1,320 at month 12; 1,400 needs 80 more at 10/month -> month 20. 1,401 -> 20.1.
    outcomes = [OutcomeInput(D(1200)), OutcomeInput(D(120), years=5)]
    assert evaluate(outcomes, PriceInputs(D(1400), None)).payback_months == D(20)
    assert evaluate(outcomes, PriceInputs(D(1401), None)).payback_months == D("20.1")
    assert evaluate(outcomes, PriceInputs(D(1801), None)).payback_months is None


def test_corridor_floor_from_cost_and_margin_floor() -> None:
    prices = PriceInputs(D(100), None, cost=D(100), margin_floor=D("0.4"))
    assert evaluate([], prices).corridor.floor == D("166.67")  # 100 / 0.6
    assert evaluate([], PriceInputs(D(100), None, cost=D(0))).corridor.floor == 0


def test_negative_differentiation_lowers_target_and_ceiling_but_never_below_zero() -> None:
    worse = [OutcomeInput(D(50_000), direction=AGAINST)]
    c = evaluate(worse, PriceInputs(D(1), D(200_000))).corridor
    assert (c.target, c.ceiling) == (D(175_000), D(150_000))
    c = evaluate(worse, PriceInputs(D(1), D(10_000))).corridor
    assert (c.target, c.ceiling) == (D(0), D(0))


@pytest.mark.parametrize(
    ("price", "position"),
    [
        ("199999.99", PricePosition.BELOW_FLOOR),
        ("200000", PricePosition.FLOOR_TO_TARGET),
        ("256999.99", PricePosition.FLOOR_TO_TARGET),
        ("257000", PricePosition.TARGET_TO_CEILING),
        ("314000", PricePosition.TARGET_TO_CEILING),
        ("314000.01", PricePosition.ABOVE_CEILING),
    ],
)
def test_every_price_position(price: str, position: PricePosition) -> None:
    prices = PriceInputs(D(price), D(200_000), cost=D(150_000))  # floor 200,000
    assert evaluate(PLANT, prices).position is position


def test_confirmed_share_counts_only_positive_value() -> None:
    against_only = [OutcomeInput(D(10), direction=AGAINST, state=OutcomeState.CONFIRMED)]
    assert evaluate(against_only, PLANT_PRICES).confirmed_share is None
    confirmed = [OutcomeInput(D(10), state=OutcomeState.CONFIRMED), *against_only]
    assert evaluate(confirmed, PLANT_PRICES).confirmed_share == D(1)


def test_states_are_ordered_and_labelled() -> None:
    assert [s.value for s in OutcomeState] == [
        "hypothesised", "discussed", "envisioned", "quantified", "confirmed"
    ]  # fmt: skip
    assert STATE_LABELS[OutcomeState.ENVISIONED] == "Envisioned by the customer"
    assert set(STATE_LABELS) == set(OutcomeState)


def test_preference_curve_spans_the_corridor_and_includes_its_points() -> None:
    f = evaluate(PLANT, PLANT_PRICES)
    curve = preference_curve(f, PLANT_PRICES)
    prices = [p for p, _ in curve]
    # 200,000 (0.8 x our price) to 376,800 (1.2 x ceiling) in steps of 22,100, plus corridor.
    assert prices[0] == D(200_000) and prices[-1] == D(376_800)
    assert {D(222_100), D(257_000), D(250_000), D(314_000)} <= set(prices)
    assert len(prices) == 12 and prices == sorted(set(prices))
    assert all(pref == D(314_000) - p for p, pref in curve)


# --- validation -------------------------------------------------------------------------------


OUTCOME = {"yearly_value": D(1)}
PRICES = {"our_price": D(1), "alternative_price": None}


@pytest.mark.parametrize(
    ("defaults", "field", "bad"),
    [
        (OUTCOME, "yearly_value", D(-1)),
        (OUTCOME, "yearly_value", D("NaN")),
        (OUTCOME, "confidence", D("1.01")),
        (OUTCOME, "confidence", D("-0.01")),
        (OUTCOME, "years", 0),
        (OUTCOME, "years", 31),
        (OUTCOME, "direction", "sideways"),
        (OUTCOME, "recurrence", "weekly"),
        (OUTCOME, "state", "signed"),
        (PRICES, "our_price", D(-1)),
        (PRICES, "alternative_price", D("-0.01")),
        (PRICES, "cost", D(-5)),
        (PRICES, "margin_floor", D(1)),
        (PRICES, "margin_floor", D("-0.1")),
        (PRICES, "target_share", D("1.5")),
        (PRICES, "target_share", D(-1)),
        (PRICES, "discount_rate", D("1.01")),
        (PRICES, "discount_rate", D("-0.01")),
    ],
)
def test_bad_inputs_are_refused_naming_the_field(
    defaults: dict[str, Any], field: str, bad: object
) -> None:
    make = OutcomeInput if defaults is OUTCOME else PriceInputs
    with pytest.raises(ValueError, match=field):
        make(**{**defaults, field: bad})


@pytest.mark.parametrize(
    "make",
    [
        lambda: OutcomeInput(1.5),  # type: ignore[arg-type]
        lambda: OutcomeInput(D(1), confidence=0.5),  # type: ignore[arg-type]
        lambda: OutcomeInput(D(1), years=2.0),  # type: ignore[arg-type]
        lambda: PriceInputs(100.0, None),  # type: ignore[arg-type]
        lambda: PriceInputs(D(1), 2.0),  # type: ignore[arg-type]
        lambda: PriceInputs(D(1), None, cost=3.0),  # type: ignore[arg-type]
        lambda: PriceInputs(D(1), None, discount_rate=0.1),  # type: ignore[arg-type]
        lambda: preference_at(1.0, evaluate(PLANT, PLANT_PRICES), PLANT_PRICES),  # type: ignore[arg-type]
    ],
)
def test_floats_are_refused_anywhere(make: Any) -> None:
    with pytest.raises(TypeError, match="float"):
        make()


def test_validate_rechecks_and_other_calls_refuse_nonsense() -> None:
    validate(PLANT[0])
    validate(PLANT_PRICES)
    f = evaluate(PLANT, PLANT_PRICES)
    with pytest.raises(ValueError, match="price"):
        preference_at(D(-1), f, PLANT_PRICES)
    with pytest.raises(ValueError, match="points"):
        preference_curve(f, PLANT_PRICES, points=1)


# --- properties (amounts in whole cents, as stored) -------------------------------------------

money = st.decimals(min_value=0, max_value=10**9, places=2)
share = st.decimals(min_value=0, max_value=1, places=2)
outcome = st.builds(
    OutcomeInput,
    yearly_value=money,
    direction=st.sampled_from(Direction),
    recurrence=st.sampled_from(Recurrence),
    years=st.integers(1, 30),
    confidence=share,
    state=st.sampled_from(OutcomeState),
)
outcomes = st.lists(outcome, max_size=6)
Outcomes = list[OutcomeInput]
price_inputs = st.builds(
    PriceInputs,
    our_price=money,
    alternative_price=st.none() | money,
    cost=st.none() | money,
    margin_floor=st.decimals(min_value=0, max_value=D("0.99"), places=2),
    target_share=share,
    discount_rate=share,
)


@given(outcomes, price_inputs, money, money)
def test_preference_falls_one_for_one_with_price(
    os: Outcomes, prices: PriceInputs, p: Decimal, d: Decimal
) -> None:
    f = evaluate(os, prices)
    assert preference_at(p + d, f, prices) == preference_at(p, f, prices) - d
    assert preference_at(prices.our_price, f, prices) == f.preference
    assert f.preference == f.value_risk_adjusted - f.price_difference


@given(outcomes, price_inputs)
def test_stored_outcomes_give_the_risk_adjusted_value_evaluate_gives(
    os: Outcomes, prices: PriceInputs
) -> None:
    stored = [
        (o.yearly_value, str(o.direction.value), str(o.recurrence.value), o.years, o.confidence)
        for o in os
    ]
    assert stored_risk_adjusted_value(stored) == evaluate(os, prices).value_risk_adjusted


@given(outcomes, price_inputs)
def test_ceiling_gives_zero_preference_unless_clamped(os: Outcomes, prices: PriceInputs) -> None:
    f = evaluate(os, prices)
    if (prices.alternative_price or 0) + f.value_risk_adjusted >= 0:
        assert preference_at(f.corridor.ceiling, f, prices) == 0
    else:  # the indifference price would be negative: no price makes us preferred
        assert f.corridor.ceiling == 0 and preference_at(D(0), f, prices) < 0


@given(outcomes, price_inputs)
def test_value_to_price_above_one_iff_preference_above_0(os: Outcomes, prices: PriceInputs) -> None:
    """value_to_price is rounded to 0.01, so within |preference| <= 0.5% of our price it may
    show 1.00 either way; outside that band the equivalence is exact."""
    f = evaluate(os, prices)
    if f.value_to_price is None:
        assert prices.our_price == 0
        return
    if f.value_to_price > 1:
        assert f.preference > 0
    if f.preference > 0:
        assert f.value_to_price >= 1
    if abs(f.preference) * 200 > prices.our_price:
        assert (f.value_to_price > 1) == (f.preference > 0)


@given(outcomes, price_inputs)
def test_risk_adjusting_never_raises_value_for_us(os: Outcomes, prices: PriceInputs) -> None:
    f = evaluate([o for o in os if o.direction is Direction.FOR], prices)
    assert 0 <= f.value_risk_adjusted <= f.value_unadjusted


@given(outcomes, price_inputs)
def test_npv_at_rate_zero_is_value_minus_price(os: Outcomes, prices: PriceInputs) -> None:
    undiscounted = PriceInputs(prices.our_price, prices.alternative_price, discount_rate=D(0))
    f = evaluate(os, undiscounted)
    assert f.npv == f.value_risk_adjusted - prices.our_price
    assert abs(sum(outcome_value(o, risk_adjusted=True) for o in os) - f.value_risk_adjusted) <= (
        D("0.005") * len(os)
    )


def cumulative(os: Outcomes, month: Fraction) -> Fraction:
    """Oracle: exact cumulative risk-adjusted inflow after `month` months."""
    total = Fraction(0)
    for o in os:
        amount = Fraction(o.yearly_value) * Fraction(o.confidence)
        amount = -amount if o.direction is Direction.AGAINST else amount
        if o.recurrence is ONE_TIME:
            total += amount
        else:
            total += amount * min(month, Fraction(12 * o.years)) / 12
    return total


@given(outcomes, price_inputs)
def test_payback_is_first_tenth_the_price_is_reached(os: Outcomes, prices: PriceInputs) -> None:
    price = Fraction(prices.our_price)
    payback = evaluate(os, prices).payback_months
    if price == 0:
        assert payback == 0
    elif payback is None:  # the inflow is piecewise linear: check every corner
        corners = {0} | {12 * o.years for o in os if o.recurrence is Recurrence.RECURRING}
        assert all(cumulative(os, Fraction(m)) < price for m in corners)
    else:
        assert cumulative(os, Fraction(payback)) >= price
        assert payback == 0 or cumulative(os, Fraction(payback - D("0.1"))) < price


@given(outcomes, price_inputs, st.integers(2, 12))
def test_curve_is_sorted_unique_and_holds_corridor(
    os: Outcomes, prices: PriceInputs, points: int
) -> None:
    f = evaluate(os, prices)
    curve = preference_curve(f, prices, points)
    xs = [p for p, _ in curve]
    assert xs == sorted(set(xs))
    c = f.corridor
    assert {c.target, c.ceiling, prices.our_price} | ({c.floor} - {None}) <= set(xs)
    assert all(pref == preference_at(p, f, prices) for p, pref in curve)
