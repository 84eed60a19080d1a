"""The evidence a price request freezes, computed without a database."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from valuescout.deals import valuecase as vc
from valuescout.pricing import evidence
from valuescout.pricing.evidence import DealFacts, History, ValueFacts
from valuescout.pricing.fields import FIELDS

D = Decimal


def facts(requested: str = "225000", cost: str | None = None, **kw: Any) -> DealFacts:
    values: dict[str, Any] = {
        "reason": "competitive_match",
        "list_price": D("250000"),
        "price_before": D("250000"),
        "requested_price": D(requested),
        "cost": None if cost is None else D(cost),
        "deal_type": "new",
        "segment": "Manufacturing",
        "alternative_kind": "competitor",
    }
    values.update(kw)
    return DealFacts(**values)


def worked_example() -> ValueFacts:
    """Domain-method §1.4: +100k downtime, +24k ramp, -10k slower service; rival at 200k."""
    outcomes = [
        vc.OutcomeInput(D("100000")),
        vc.OutcomeInput(D("24000"), state=vc.OutcomeState.CONFIRMED),
        vc.OutcomeInput(D("10000"), direction=vc.Direction.AGAINST),
    ]
    return ValueFacts(outcomes, vc.PriceInputs(our_price=D("250000"), alternative_price=D(200000)))


NO_HISTORY = History((), (), ())


def build(deal: DealFacts, value: ValueFacts | None = None, **kw: Any) -> dict[str, Any]:
    return evidence.build(deal, value, kw.get("history", NO_HISTORY), D("0.25"))


@pytest.mark.parametrize(
    ("list_price", "band"),
    [
        ("0", "under_10k"),
        ("9999.99", "under_10k"),
        ("10000", "10k_50k"),
        ("49999.99", "10k_50k"),
        ("50000", "50k_250k"),
        ("249999.99", "50k_250k"),
        ("250000", "250k_1m"),
        ("999999.99", "250k_1m"),
        ("1000000", "1m_plus"),
        ("50000000", "1m_plus"),
    ],
)
def test_size_bands_have_inclusive_lower_limits(list_price: str, band: str) -> None:
    assert evidence.size_band(D(list_price)) == band
    assert band in FIELDS["size_band"].choices


def test_percentile_rank_counts_ties_half() -> None:
    sample = [D("0.10"), D("0.20"), D("0.20"), D("0.30")]
    assert evidence.percentile_rank(D("0.20"), sample) == D("50.0")  # 1 below + 2 ties / 2
    assert evidence.percentile_rank(D("0.05"), sample) == D("0.0")
    assert evidence.percentile_rank(D("0.35"), sample) == D("100.0")
    assert evidence.percentile_rank(D("0.10"), sample) == D("12.5")
    assert evidence.percentile_rank(D("0.25"), sample) == D("75.0")
    assert evidence.percentile_rank(D("0.20"), [D("0.2")]) == D("50.0")
    assert evidence.percentile_rank(D("0.1"), [D("0.1"), D("0.2"), D("0.3")]) == D("16.7")
    assert evidence.percentile_rank(D("0.1"), []) is None


def test_discount_of_list() -> None:
    assert evidence.discount_of(D("250000"), D("225000")) == D("0.1000")
    assert evidence.discount_of(D("3"), D("2")) == D("0.3333")
    assert evidence.discount_of(D("100"), D("120")) == D("-0.2000")  # a price above list
    assert evidence.discount_of(D("0"), D("10")) is None


def test_the_worked_example_preference_before_and_after() -> None:
    """§1.4: preference +64k at 250k; a 10% discount (25k) moves it to +89k; TEV 314k."""
    ev = build(facts("225000"), worked_example())
    assert ev["preference_before"] == D("64000.00")
    assert ev["preference_after"] == D("89000.00")
    assert ev["value_risk_adjusted"] == D("114000.00")
    assert ev["corridor_ceiling"] == D("314000.00")  # TEV: 200k + 114k
    assert ev["corridor_target"] == D("257000.00")  # 200k + half of 114k
    assert ev["discount"] == D("0.1000")
    assert ev["discount_amount"] == D("25000.00")
    assert ev["extra_discount_amount"] == D("25000.00")
    assert ev["has_value_case"] is True
    assert ev["confirmed_share"] == D("0.1935")  # 24k of 124k FOR value
    assert ev["confidence"] == D("1.0000")
    assert ev["value_to_price_after"] == D("1.40")  # 314k / 225k
    assert ev["corridor_zone"] == "floor_to_target"  # no cost: under the 257k target


def test_preference_flips_at_the_smallest_discount_that_closes_the_gap() -> None:
    """§1.4: at preference -15k, a 15k discount is the smallest that flips it."""
    value = ValueFacts(
        [vc.OutcomeInput(D("35000"))],
        vc.PriceInputs(our_price=D("250000"), alternative_price=D("200000")),
    )
    ev = build(facts("235000"), value)
    assert ev["preference_before"] == D("-15000.00")
    assert ev["preference_after"] == D("0.00")
    ev = build(facts("234999.99"), value)
    assert ev["preference_after"] == D("0.01")


def test_confidence_is_weighted_by_value_of_the_outcomes_for_us() -> None:
    value = ValueFacts(
        [
            vc.OutcomeInput(D("30000"), confidence=D("0.5")),
            vc.OutcomeInput(D("10000"), confidence=D("1")),
            vc.OutcomeInput(D("50000"), direction=vc.Direction.AGAINST, confidence=D("0")),
        ],
        vc.PriceInputs(our_price=D("250000"), alternative_price=None),
    )
    assert build(facts(), value)["confidence"] == D("0.6250")  # (15k + 10k) / 40k


def test_margin_after_uses_the_requested_price() -> None:
    ev = build(facts("200000", cost="100000"))
    assert ev["margin_after"] == D("0.5000")
    ev = build(facts("120000", cost="100000"))
    assert ev["margin_after"] == D("0.1667")
    assert build(facts("200000"))["margin_after"] is None  # cost unknown
    assert build(facts("0", cost="10"))["margin_after"] is None  # no price to measure by


@pytest.mark.parametrize(
    ("requested", "cost", "with_value", "zone"),
    [
        ("130000", "100000", True, "below_floor"),  # floor 100k / 0.75 = 133,333.33
        ("133333.32", "100000", False, "below_floor"),
        ("133333.33", "100000", False, "floor_to_target"),  # a floor and no target
        ("200000", "100000", True, "floor_to_target"),  # target 257k
        ("256999.99", "100000", True, "floor_to_target"),
        ("257000", "100000", True, "at_or_above_target"),
        ("300000", None, True, "at_or_above_target"),  # no cost: the target alone
        ("220000", None, True, "floor_to_target"),
        ("220000", None, False, "unknown"),  # no cost, no value case
    ],
)
def test_corridor_zone(requested: str, cost: str | None, with_value: bool, zone: str) -> None:
    ev = build(facts(requested, cost=cost), worked_example() if with_value else None)
    assert ev["corridor_zone"] == zone
    assert zone in FIELDS["corridor_zone"].choices


def test_floor_is_cost_over_one_minus_the_margin_floor() -> None:
    assert build(facts(cost="100000"))["corridor_floor"] == D("133333.33")
    assert build(facts())["corridor_floor"] is None


def test_history_gives_percentile_and_usual_discounts() -> None:
    history = History(
        comparable=[D("0.05"), D("0.10"), D("0.10"), D("0.20")],
        seller=[D("0.10"), D("0.30")],
        customer=[D("0.02"), D("0.04"), D("0.09")],
    )
    ev = build(facts("225000"), history=history)
    assert ev["comparable_deals"] == D(4)
    assert ev["discount_percentile"] == D("50.0")  # 1 below, 2 ties of 4
    assert ev["seller_usual_discount"] == D("0.2000")  # median of two: their mean
    assert ev["customer_usual_discount"] == D("0.0400")
    empty = build(facts("225000"))
    assert empty["comparable_deals"] == D(0)
    assert empty["discount_percentile"] is None
    assert empty["seller_usual_discount"] is None and empty["customer_usual_discount"] is None


def test_without_a_value_case_the_value_fields_are_unknown() -> None:
    ev = build(facts())
    assert ev["has_value_case"] is False
    for name in ("preference_before", "preference_after", "confirmed_share", "confidence"):
        assert ev[name] is None
    empty = ValueFacts([], vc.PriceInputs(our_price=D(1), alternative_price=None))
    assert build(facts(), empty)["has_value_case"] is False


def test_every_field_is_present_and_numbers_are_decimal() -> None:
    history = History([D("0.1")], [D("0.1")], [D("0.1")])
    ev = build(facts(cost="100000"), worked_example(), history=history)
    assert set(ev) == set(FIELDS)
    for name, value in ev.items():
        assert not isinstance(value, float), name
        if FIELDS[name].kind in ("number", "money"):
            assert isinstance(value, Decimal), name
    assert all(v is not None for v in ev.values())


def test_frozen_evidence_round_trips_through_json_text() -> None:
    ev = build(facts(cost="100000"), worked_example())
    frozen = evidence.to_json(ev)
    assert frozen["preference_after"] == "89000.00"
    assert all(not isinstance(v, Decimal) for v in frozen.values())
    assert evidence.from_json(frozen) == ev
    old = {**frozen, "a_field_no_longer_known": "1"}
    del old["segment"]
    thawed = evidence.from_json(old)
    assert "a_field_no_longer_known" not in thawed and thawed["segment"] is None


def test_money_is_rounded_to_cents_and_ratios_to_four_places() -> None:
    ev = build(facts("1000.005", list_price=D("3000.004"), price_before=D("3000.004"), cost="100"))
    assert ev["requested_price"] == D("1000.00")
    assert ev["list_price"] == D("3000.00")
    assert ev["discount"] == D("0.6667")
    assert ev["discount"].as_tuple().exponent == -4
