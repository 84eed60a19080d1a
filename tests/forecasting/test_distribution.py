"""Range forecasts: the §4.2 worked example, exact enumeration, grid and Monte Carlo checks."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from valuescout.forecasting.distribution import (
    bookings_distribution,
    categorize,
    expected_value,
    forecast_range,
    quota_coverage,
    standard_deviation,
    win_count_distribution,
)

AMOUNTS = [200.0, 120.0, 80.0, 300.0, 50.0]  # $k, domain-method §4.2
PROBABILITIES = [0.10, 0.25, 0.50, 0.75, 0.90]
LEVELS = (0.0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1.0)


def brute_force(amounts: list[float], probabilities: list[float]) -> dict[float, float]:
    """Every win/loss combination, summed in plain Python (the reference)."""
    outcomes: dict[float, float] = {}
    for wins in itertools.product((0, 1), repeat=len(amounts)):
        total = round(sum(a for a, w in zip(amounts, wins, strict=True) if w), 6)
        chance = math.prod(p if w else 1 - p for p, w in zip(probabilities, wins, strict=True))
        if chance > 0:  # impossible combinations are no outcome
            outcomes[total] = outcomes.get(total, 0.0) + chance
    return outcomes


def brute_quantile(outcomes: dict[float, float], q: float) -> float:
    cumulative = 0.0
    for value in sorted(outcomes):
        cumulative += outcomes[value]
        if cumulative >= q - 1e-9:
            return value
    return max(outcomes)


def test_worked_example_matches_domain_method() -> None:
    forecast = forecast_range(AMOUNTS, PROBABILITIES, quota=400)
    assert forecast.method == "exact"
    assert forecast.expected == pytest.approx(360.0)
    assert round(forecast.sd) == 158
    assert (forecast.p10, forecast.p50, forecast.p90) == (130.0, 370.0, 550.0)
    assert round(forecast.prob_at_least(400), 3) == 0.475
    assert forecast.win_counts is not None
    assert [round(c, 3) for c in forecast.win_counts] == [0.008, 0.113, 0.378, 0.378, 0.113, 0.008]
    assert sum(k * c for k, c in enumerate(forecast.win_counts)) == pytest.approx(2.5)
    assert forecast.coverage is not None
    assert forecast.coverage.chance_of_quota == forecast.prob_at_least(400)
    assert forecast.coverage.expected == pytest.approx(0.9)
    assert forecast.coverage.pipeline == pytest.approx(750 / 400)


def test_worked_example_by_monte_carlo_gives_the_same_percentiles() -> None:
    forecast = forecast_range(AMOUNTS, PROBABILITIES, method="monte carlo", draws=100_000)
    assert forecast.method == "monte carlo"
    assert (forecast.p10, forecast.p90) == (130.0, 550.0)
    # P(X <= 370) is exactly 0.5, so a simulation lands on 370 or on the next outcome, 380
    assert forecast.p50 in (370.0, 380.0)
    mean = float(forecast.distribution.values @ forecast.distribution.masses)
    assert mean == pytest.approx(360.0, rel=0.01)


def test_categories_and_coverage_of_the_worked_example() -> None:
    categories = categorize(AMOUNTS, PROBABILITIES)
    assert (categories.commit_count, categories.best_case_count, categories.pipeline_count) == (
        2,
        1,
        2,
    )
    assert categories.commit_total == 350.0  # 300 @ 0.75 + 50 @ 0.90
    assert categories.commit_and_best_case_total == 430.0  # + 80 @ 0.50
    assert categories.all_total == 750.0
    assert categories.commit_expected + categories.best_case_expected == pytest.approx(310.0)
    assert categories.pipeline_expected == pytest.approx(50.0)
    coverage = quota_coverage(forecast_range(AMOUNTS, PROBABILITIES), 500)
    assert (coverage.commit, coverage.best_case) == (0.7, 0.86)


def test_thresholds_are_inclusive_and_checked() -> None:
    categories = categorize([1, 2, 3], [0.7, 0.3, 0.2999])
    assert (categories.commit_amount, categories.best_case_amount) == (1.0, 2.0)
    assert categories.pipeline_amount == 3.0
    with pytest.raises(ValueError, match="thresholds"):
        categorize([1], [0.5], commit_threshold=0.2, best_case_threshold=0.4)
    with pytest.raises(ValueError, match="quota"):
        quota_coverage(forecast_range([1], [0.5]), 0)


small_portfolios = st.integers(min_value=0, max_value=12).flatmap(
    lambda n: st.tuples(
        st.lists(
            st.floats(0, 1000, allow_nan=False).map(lambda a: round(a, 2)), min_size=n, max_size=n
        ),
        st.lists(
            st.one_of(st.sampled_from([0.0, 1.0, 0.5]), st.floats(0, 1)), min_size=n, max_size=n
        ),
    )
)


@settings(max_examples=150, deadline=None)
@given(small_portfolios)
@example(  # a tail of mass 1e-9: P100 at the tolerance's edge (found by a random run)
    (
        [124.16, 38.79, 1.1, 0.0, 199.18, 0.15],
        [0.6076777706990902, 0.7199289980249369, 0.08, 0.19976125483972634, 1e-09, 0.5],
    )
)
def test_exact_method_equals_brute_force_enumeration(portfolio: tuple[list, list]) -> None:
    amounts, probabilities = portfolio
    outcomes = brute_force(amounts, probabilities)
    forecast = forecast_range(amounts, probabilities)
    assert forecast.method == "exact"
    mean = sum(v * c for v, c in outcomes.items())
    assert forecast.expected == pytest.approx(mean, rel=1e-9, abs=1e-6)
    assert expected_value(amounts, probabilities) == forecast.expected
    variance = sum((v - mean) ** 2 * c for v, c in outcomes.items())
    assert forecast.sd == pytest.approx(math.sqrt(variance), rel=1e-6, abs=1e-4)
    for q in LEVELS:
        got, want = forecast.quantile(q), brute_quantile(outcomes, q)
        if got != pytest.approx(want, abs=1e-6):
            # Only at the edge of the 1e-9 tolerance, where the two sums of masses round apart
            # (a deal at p = 1e-9): then the smaller answer must still be a quantile within 2e-9.
            below = sum(c for v, c in outcomes.items() if v <= min(got, want) + 1e-6)
            assert below >= q - 2e-9
    for value in sorted(outcomes)[:5]:
        at_least = sum(c for v, c in outcomes.items() if v >= value)
        assert forecast.prob_at_least(value) == pytest.approx(at_least, abs=1e-9)


@settings(max_examples=100, deadline=None)
@given(small_portfolios)
def test_grid_method_brackets_the_exact_quantiles(portfolio: tuple[list, list]) -> None:
    """A grid outcome is within (uncertain deals) x step of a true sum, so its CDF is too."""
    amounts, probabilities = portfolio
    exact = bookings_distribution(amounts, probabilities, method="exact")
    grid = bookings_distribution(amounts, probabilities, method="grid", grid_cells=4096)
    assert grid.method == "grid"
    step = grid.step or 0.0
    slack = (len(amounts) + 1) * step + 1e-4  # 1e-4 clears the 1e-9 relative value tolerance
    for q in LEVELS[1:-1]:
        x = grid.quantile(q)
        assert exact.cdf(x + slack) >= q - 1e-7
        assert exact.cdf(x - slack - step) <= q + 1e-7


def plain_count_recursion(probabilities: list[float]) -> list[float]:
    """P(k wins) deal by deal: f_new[k] = f[k]·(1 - p) + f[k - 1]·p."""
    counts = [1.0]
    for p in probabilities:
        counts = [
            (counts[k] if k < len(counts) else 0.0) * (1 - p) + (counts[k - 1] * p if k else 0.0)
            for k in range(len(counts) + 1)
        ]
    return counts


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.sampled_from([0.0, 1.0]), st.floats(0, 1)), max_size=60))
def test_win_counts_equal_the_plain_recursion(probabilities: list[float]) -> None:
    counts = win_count_distribution(probabilities)
    assert counts == pytest.approx(plain_count_recursion(probabilities), abs=1e-12)
    assert sum(k * c for k, c in enumerate(counts)) == pytest.approx(sum(probabilities))


def generated_portfolio(seed: int, size: int, spread: float) -> tuple[np.ndarray, np.ndarray]:
    generator = np.random.default_rng(seed)
    amounts = np.round(generator.lognormal(10.5, spread, size), 2)
    return amounts, generator.beta(1.5, 2.5, size)


@settings(max_examples=6, deadline=None)
@given(st.integers(0, 10_000), st.integers(150, 250), st.sampled_from([0.5, 1.0, 1.5]))
def test_grid_matches_a_high_draw_monte_carlo_within_half_a_percent(
    seed: int, size: int, spread: float
) -> None:
    amounts, probabilities = generated_portfolio(seed, size, spread)
    forecast = forecast_range(amounts, probabilities)
    assert forecast.method == "grid"
    draws = 400_000
    reference = bookings_distribution(
        amounts, probabilities, method="monte carlo", draws=draws, seed=seed
    )
    for q in (0.1, 0.5, 0.9):
        ours, theirs = forecast.quantile(q), reference.quantile(q)
        assert abs(ours - theirs) <= 0.005 * theirs
        # and in probability: our quantile sits where the simulation's CDF crosses q
        noise = 5 * math.sqrt(q * (1 - q) / draws)
        assert reference.cdf(ours) >= q - noise - 1e-3
    grid_mean = float(forecast.distribution.values @ forecast.distribution.masses)
    assert grid_mean == pytest.approx(forecast.expected, rel=1e-6)


def test_certain_and_hopeless_deals_are_fixed() -> None:
    amounts = [100.0] * 40 + [10.0, 20.0]
    probabilities = [1.0] * 20 + [0.0] * 20 + [0.5, 0.5]
    forecast = forecast_range(amounts, probabilities)
    assert forecast.method == "exact"  # 40 fixed deals do not count toward the 20
    assert forecast.uncertain_count == 2
    assert (forecast.p10, forecast.p50, forecast.p90) == (2000.0, 2010.0, 2030.0)
    assert forecast.win_counts is not None
    assert forecast.win_counts[20:23] == pytest.approx((0.25, 0.5, 0.25))
    assert sum(forecast.win_counts) == pytest.approx(1.0)
    certain = forecast_range([5.0, 7.0], [1.0, 1.0])
    assert (certain.p10, certain.p90, certain.sd, certain.expected) == (12.0, 12.0, 0.0, 12.0)


def test_method_is_chosen_by_the_number_of_uncertain_deals() -> None:
    assert forecast_range([1.0] * 20, [0.5] * 20).method == "exact"
    grid = forecast_range([1.0] * 21, [0.5] * 21)
    assert grid.method == "grid"
    # Binomial(21, 0.5) has median 10; a grid value is within (deals x step) of a true sum
    step = grid.distribution.step
    assert step is not None
    assert grid.p50 == pytest.approx(10.0, abs=21 * step)
    zero_amounts = forecast_range([0.0] * 30, [0.5] * 30)
    assert (zero_amounts.method, zero_amounts.p90) == ("grid", 0.0)


def test_empty_portfolio() -> None:
    forecast = forecast_range([], [])
    assert (forecast.expected, forecast.sd, forecast.p10, forecast.p50, forecast.p90) == (
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
    )
    assert forecast.win_counts == (1.0,)
    assert forecast.prob_at_least(0) == 1.0
    assert forecast.prob_at_least(1) == 0.0
    assert forecast.categories.all_total == 0.0


def test_quantile_levels_are_checked() -> None:
    forecast = forecast_range(AMOUNTS, PROBABILITIES)
    assert (forecast.quantile(0.0), forecast.quantile(1.0)) == (0.0, 750.0)
    for level in (-0.1, 1.1, float("nan")):
        with pytest.raises(ValueError, match="quantile level"):
            forecast.quantile(level)


@pytest.mark.parametrize(
    ("amounts", "probabilities", "message"),
    [
        ([1, -5, 3], [0.5, 0.5, 0.5], r"deal 1: amount -5\.0 must be a finite number >= 0"),
        ([1, 2, 3], [0.5, 0.5, 1.5], r"deal 2: win probability 1\.5 must be a number in \[0, 1\]"),
        ([1, 2], [-0.1, 0.5], r"deal 0: win probability -0\.1"),
        ([1, float("nan")], [0.5, 0.5], r"deal 1: amount nan"),
        ([1, 2], [0.5, float("nan")], r"deal 1: win probability nan"),
        ([float("inf")], [0.5], r"deal 0: amount inf"),
        ([1, 2], [0.5], r"2 amounts but 1 win probabilities"),
    ],
)
def test_bad_deals_are_refused_by_position(
    amounts: list[float], probabilities: list[float], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        forecast_range(amounts, probabilities)
    with pytest.raises(ValueError, match=message):
        standard_deviation(amounts, probabilities)


def test_bad_deal_is_named_by_its_id() -> None:
    with pytest.raises(ValueError, match=r"deal 1 \('OPP-7'\): amount -1\.0"):
        forecast_range([1, -1], [0.5, 0.5], ids=["OPP-3", "OPP-7"])
    with pytest.raises(ValueError, match="1 ids for 2 deals"):
        forecast_range([1, 1], [0.5, 0.5], ids=["OPP-3"])
    with pytest.raises(ValueError, match="method"):
        forecast_range([1], [0.5], method="normal")
