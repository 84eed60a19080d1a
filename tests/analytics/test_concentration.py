"""Dispersion and concentration (domain-method §3.6): known answers, the worked example, and
properties against plain-loop computations."""

from __future__ import annotations

import itertools
import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from valuescout.analytics import concentration as c

# §3.6 worked dispersion: 10 deals, list $k and discount %.
LIST_K = [100, 80, 120, 60, 150, 90, 50, 200, 70, 110]
DISCOUNT_PCT = [8, 10, 12, 5, 30, 9, 6, 15, 25, 10]
DISCOUNT_K = [Decimal(lv * p) / 100 for lv, p in zip(LIST_K, DISCOUNT_PCT, strict=True)]


def test_worked_example_of_section_3_6() -> None:
    assert sum(DISCOUNT_K) == Decimal(148)
    d = c.dispersion(DISCOUNT_K, LIST_K)
    assert d.items == 10
    assert d.mean_rate == pytest.approx(0.130)
    assert round(d.weighted_rate or 0, 3) == 0.144
    assert round(d.cv_population or 0, 2) == 0.60
    assert round(d.cv_sample or 0, 2) == 0.63
    assert round(d.gini_discount, 2) == 0.43
    assert round(d.gini_rate, 2) == 0.31
    assert round(d.top_decile_share, 3) == 0.304
    # "the top two hold 50.7%"
    assert round(c.top_share(DISCOUNT_K, 0.2), 3) == 0.507
    # population sd of the discount % is 7.8 points
    assert round((d.cv_population or 0) * 13.0, 1) == 7.8


def test_weighted_rate_differs_from_simple_mean() -> None:
    # A small deal at 50% and a big deal at 0%: the simple mean says 25%, the money says ~5%.
    assert c.simple_mean_rate([50, 0], [100, 900]) == pytest.approx(0.25)
    assert c.dollar_weighted_rate([50, 0], [100, 900]) == pytest.approx(0.05)


@pytest.mark.parametrize("n", [2, 3, 5, 10, 37])
def test_gini_known_answers(n: int) -> None:
    assert c.gini([7.5] * n) == 0.0
    assert c.gini([0] * (n - 1) + [42]) == pytest.approx((n - 1) / n)


def test_gini_conventions_for_degenerate_inputs() -> None:
    assert c.gini([]) == 0.0
    assert c.gini([5]) == 0.0
    assert c.gini([0, 0, 0]) == 0.0
    assert c.gini([1, 3]) == pytest.approx(0.25)  # (-1*1 + 1*3)/(2*4)


@pytest.mark.parametrize("bad", [[-1, 2], [math.nan, 1], [math.inf, 1]])
def test_gini_refuses_negative_and_non_finite(bad: list[float]) -> None:
    with pytest.raises(ValueError):
        c.gini(bad)


def test_lorenz_degenerate_cases() -> None:
    assert c.lorenz_curve([]) == [(0.0, 0.0), (1.0, 1.0)]
    assert c.lorenz_curve([0, 0]) == [(0.0, 0.0), (0.5, 0.5), (1.0, 1.0)]
    assert c.lorenz_curve([3, 1]) == [(0.0, 0.0), (0.5, 0.25), (1.0, 1.0)]


@pytest.mark.parametrize(
    ("n", "expected"), [(0, 0), (1, 1), (9, 1), (10, 1), (11, 2), (20, 2), (21, 3), (100, 10)]
)
def test_top_decile_rounds_a_fractional_decile_up(n: int, expected: int) -> None:
    assert c.top_count(n, 0.1) == expected


def test_top_share_edge_cases() -> None:
    assert c.top_share([]) == 0.0
    assert c.top_share([0, 0]) == 0.0
    assert c.top_share([5]) == 1.0
    # 11 items: the top decile is the 2 largest.
    assert c.top_share([1] * 9 + [5, 5]) == pytest.approx(10 / 19)
    with pytest.raises(ValueError):
        c.top_share([1], 0)
    with pytest.raises(ValueError):
        c.top_count(-1)


def test_cv_undefined_cases() -> None:
    assert c.coefficient_of_variation([]) is None
    assert c.coefficient_of_variation([1], sample=True) is None
    assert c.coefficient_of_variation([1]) == 0.0
    assert c.coefficient_of_variation([-1, 1]) is None  # zero mean
    assert c.coefficient_of_variation([2, 4]) == pytest.approx(1 / 3)
    assert c.coefficient_of_variation([2, 4], sample=True) == pytest.approx(math.sqrt(2) / 3)


def test_rates_refuse_bad_input() -> None:
    assert c.dollar_weighted_rate([1], [0]) is None
    assert c.simple_mean_rate([], []) is None
    with pytest.raises(ValueError):
        c.simple_mean_rate([1], [0])
    with pytest.raises(ValueError):
        c.dispersion([1, 2], [3])


# --- properties against plain loops ---------------------------------------------------------

values = st.lists(st.integers(min_value=0, max_value=10_000), max_size=40)
positive = st.lists(st.integers(min_value=1, max_value=10_000), min_size=1, max_size=40)


def loop_gini(xs: list[int]) -> float:
    """Mean absolute difference over all ordered pairs / (2 · mean): the textbook definition."""
    n = len(xs)
    total = 0
    for x in xs:
        total += x
    if n < 2 or total == 0:
        return 0.0
    diff = 0
    for a in xs:
        for b in xs:
            diff += abs(a - b)
    return diff / (2 * n * total)


@given(values)
def test_gini_matches_the_pairwise_definition(xs: list[int]) -> None:
    assert c.gini(xs) == pytest.approx(loop_gini(xs), abs=1e-12)


@given(values, st.randoms(), st.integers(min_value=1, max_value=1000))
def test_gini_is_invariant_to_order_and_scale(xs: list[int], rnd: object, k: int) -> None:
    shuffled = list(xs)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    g = c.gini(xs)
    assert c.gini(shuffled) == pytest.approx(g, abs=1e-12)
    assert c.gini([x * k for x in xs]) == pytest.approx(g, abs=1e-12)
    assert c.gini([x / 7 for x in xs]) == pytest.approx(g, abs=1e-12)
    assert 0.0 <= g <= max(0, len(xs) - 1) / max(1, len(xs)) + 1e-12


@given(values)
def test_lorenz_is_a_monotone_curve_below_the_diagonal(xs: list[int]) -> None:
    points = c.lorenz_curve(xs)
    assert points[0] == (0.0, 0.0)
    assert points[-1] == (1.0, 1.0)
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        assert x1 > x0
        assert y1 >= y0 - 1e-12
    for x, y in points:
        assert y <= x + 1e-12
    # The area between the diagonal and the curve is half the Gini (trapezoids, plain loop).
    if xs and sum(xs) > 0:
        area = 0.0
        for (x0, y0), (x1, y1) in itertools.pairwise(points):
            area += (x1 - x0) * (y0 + y1) / 2
        assert 1 - 2 * area == pytest.approx(c.gini(xs), abs=1e-9)


@given(values, st.sampled_from([0.05, 0.1, 0.2, 0.25, 0.5, 1.0]))
def test_top_share_matches_a_loop(xs: list[int], fraction: float) -> None:
    n = len(xs)
    k = 0
    while k < n and k < n * fraction - 1e-9:  # smallest k with k >= n·fraction
        k += 1
    if n:
        k = max(k, 1)
    ordered = sorted(xs, reverse=True)
    top = 0
    for i in range(k):
        top += ordered[i]
    total = sum(xs)
    expected = top / total if total else 0.0
    assert c.top_share(xs, fraction) == pytest.approx(expected, abs=1e-12)


@given(positive)
def test_cv_matches_a_loop(xs: list[int]) -> None:
    n = len(xs)
    mu = sum(xs) / n
    ss = 0.0
    for x in xs:
        ss += (x - mu) ** 2
    assert c.coefficient_of_variation(xs) == pytest.approx(math.sqrt(ss / n) / mu, abs=1e-9)
    if n > 1:
        assert c.coefficient_of_variation(xs, sample=True) == pytest.approx(
            math.sqrt(ss / (n - 1)) / mu, abs=1e-9
        )


@given(
    st.lists(
        st.tuples(st.integers(min_value=1, max_value=10_000), st.integers(0, 100)),
        min_size=1,
        max_size=30,
    )
)
def test_rates_match_loops(deals: list[tuple[int, int]]) -> None:
    lists = [lv for lv, _ in deals]
    discounts = [lv * pct / 100 for lv, pct in deals]
    disc_total = 0.0
    list_total = 0
    rate_total = 0.0
    for lv, pct in deals:
        disc_total += lv * pct / 100
        list_total += lv
        rate_total += pct / 100
    assert c.dollar_weighted_rate(discounts, lists) == pytest.approx(disc_total / list_total)
    assert c.simple_mean_rate(discounts, lists) == pytest.approx(rate_total / len(deals))
    d = c.dispersion(discounts, lists)
    assert d.weighted_rate == pytest.approx(disc_total / list_total)
    assert d.gini_discount == pytest.approx(c.gini(discounts))
