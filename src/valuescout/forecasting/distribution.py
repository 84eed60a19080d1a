"""Range forecasts of open deals: expected bookings, P10/P50/P90, categories, coverage (§4.2).

Deals are independent; deal i books amount a_i >= 0 with win probability p_i in [0, 1].

* expected  E = Σ a·p;  standard deviation  SD = sqrt(Σ a²·p·(1 - p)).
* The distribution of bookings: exact enumeration when at most ``max_exact`` (20) deals have
  0 < p < 1 (p = 0 and p = 1 deals are fixed and do not count), else the deterministic grid
  convolution — the method and its error bounds are described in :mod:`outcomes`. Measured
  at 20,000 deals: 0.45 s (0.3 s CPU), quantiles within 0.001% of a 16x finer grid.
* Quantiles: the smallest x with P(bookings <= x) >= q (within 1e-9).
* Number of wins: the Poisson-binomial distribution by the DP recursion (deal by deal
  multiplying by (1 - p) + p·z, organised as a balanced tree of products).
* Categories: a deal is **commit** when p >= commit threshold (0.7), **best case** when
  p >= best-case threshold (0.3) and below commit, else **pipeline** (p = 0 deals included).
  Roll-ups as a sales forecast reports them: commit, commit + best case, all.
* Coverage against a quota Q > 0: ``pipeline`` = all open amount / Q (the "3x pipeline
  coverage"), ``commit`` and ``best_case`` = those roll-ups / Q, ``expected`` = E / Q, and
  ``chance_of_quota`` = P(bookings >= Q). Ratios, not percentages; nothing is rounded.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from valuescout.forecasting.convolution import FloatArray, convolve_all
from valuescout.forecasting.outcomes import (
    DEFAULT_GRID_CELLS,
    DEFAULT_MAX_EXACT,
    OutcomeDistribution,
    exact_outcomes,
    grid_outcomes,
    monte_carlo_outcomes,
    validate_deals,
)

Numbers = Sequence[float] | FloatArray
METHODS = ("auto", "exact", "grid", "monte carlo")


@dataclass(frozen=True)
class Categories:
    """Deals and amounts per forecast category, with the thresholds used."""

    commit_threshold: float
    best_case_threshold: float
    commit_count: int
    best_case_count: int
    pipeline_count: int
    commit_amount: float  # Σ amount of commit deals
    best_case_amount: float  # Σ amount of best-case deals (commit not included)
    pipeline_amount: float  # Σ amount of pipeline deals (the others not included)
    commit_expected: float  # Σ a·p per category
    best_case_expected: float
    pipeline_expected: float

    @property
    def commit_total(self) -> float:
        return self.commit_amount

    @property
    def commit_and_best_case_total(self) -> float:
        return self.commit_amount + self.best_case_amount

    @property
    def all_total(self) -> float:
        return self.commit_amount + self.best_case_amount + self.pipeline_amount


@dataclass(frozen=True)
class Coverage:
    """Roll-ups and the expected bookings as multiples of a quota; the chance to reach it."""

    quota: float
    pipeline: float
    commit: float
    best_case: float
    expected: float
    chance_of_quota: float


@dataclass(frozen=True)
class Forecast:
    """The range forecast of a set of open deals."""

    deal_count: int
    uncertain_count: int  # deals with 0 < p < 1
    expected: float
    sd: float
    p10: float
    p50: float
    p90: float
    method: str  # "exact", "grid" or "monte carlo"
    categories: Categories
    distribution: OutcomeDistribution = field(repr=False, compare=False)
    win_counts: tuple[float, ...] | None = field(default=None, repr=False)
    coverage: Coverage | None = None

    def quantile(self, q: float) -> float:
        """The smallest bookings x with P(bookings <= x) >= q."""
        return self.distribution.quantile(q)

    def prob_at_least(self, x: float) -> float:
        """P(bookings >= x)."""
        return self.distribution.prob_at_least(x)


def expected_value(amounts: Numbers, probabilities: Numbers) -> float:
    """Σ a·p (0 for no deals)."""
    amount_array, probability_array = validate_deals(amounts, probabilities)
    return float(amount_array @ probability_array)


def standard_deviation(amounts: Numbers, probabilities: Numbers) -> float:
    """sqrt(Σ a²·p·(1 - p)) for independent deals."""
    amount_array, probability_array = validate_deals(amounts, probabilities)
    return _sd(amount_array, probability_array)


def _sd(amounts: FloatArray, probabilities: FloatArray) -> float:
    return math.sqrt(float((amounts**2) @ (probabilities * (1.0 - probabilities))))


def win_count_distribution(probabilities: Numbers) -> tuple[float, ...]:
    """P(exactly k wins) for k = 0..n (Poisson-binomial), p = 0 / p = 1 deals fixed."""
    array = np.asarray(probabilities, dtype=np.float64).ravel()
    _, array = validate_deals(np.zeros(array.size), array)
    certain = int(np.count_nonzero(array == 1.0))
    uncertain = array[(array > 0.0) & (array < 1.0)]
    leaves = [(0, np.array([1.0 - p, p])) for p in uncertain.tolist()]
    _, masses, _ = convolve_all(leaves)
    counts = np.zeros(array.size + 1)
    counts[certain : certain + masses.size] = masses
    return tuple(counts.tolist())


def bookings_distribution(
    amounts: Numbers,
    probabilities: Numbers,
    *,
    ids: Sequence[object] | None = None,
    method: str = "auto",
    max_exact: int = DEFAULT_MAX_EXACT,
    grid_cells: int = DEFAULT_GRID_CELLS,
    draws: int = 100_000,
    seed: int = 20_240_607,
) -> OutcomeDistribution:
    """The distribution of total bookings; ``auto`` = exact up to ``max_exact`` uncertain deals."""
    amount_array, probability_array = validate_deals(amounts, probabilities, ids)
    return _distribution(
        amount_array, probability_array, method, max_exact, grid_cells, draws, seed
    )


def _distribution(
    amounts: FloatArray,
    probabilities: FloatArray,
    method: str,
    max_exact: int,
    grid_cells: int,
    draws: int,
    seed: int,
) -> OutcomeDistribution:
    if method not in METHODS:
        raise ValueError(f"method {method!r} must be one of {', '.join(METHODS)}")
    uncertain = int(np.count_nonzero((probabilities > 0.0) & (probabilities < 1.0)))
    if method == "exact" and uncertain > 30:
        raise ValueError(f"exact enumeration of {uncertain} uncertain deals is too large (> 30)")
    if method == "exact" or (method == "auto" and uncertain <= max_exact):
        return exact_outcomes(amounts, probabilities)
    if method == "monte carlo":
        return monte_carlo_outcomes(amounts, probabilities, draws=draws, seed=seed)
    return grid_outcomes(amounts, probabilities, grid_cells)


def categorize(
    amounts: Numbers,
    probabilities: Numbers,
    *,
    commit_threshold: float = 0.7,
    best_case_threshold: float = 0.3,
    ids: Sequence[object] | None = None,
) -> Categories:
    """Commit (p >= commit threshold), best case (p >= best-case threshold), pipeline."""
    amount_array, probability_array = validate_deals(amounts, probabilities, ids)
    return _categories(amount_array, probability_array, commit_threshold, best_case_threshold)


def _categories(
    amounts: FloatArray, probabilities: FloatArray, commit_at: float, best_case_at: float
) -> Categories:
    if not 0.0 <= best_case_at <= commit_at <= 1.0:
        raise ValueError(
            f"thresholds must satisfy 0 <= best case ({best_case_at!r}) <= commit "
            f"({commit_at!r}) <= 1"
        )
    commit = probabilities >= commit_at
    best_case = ~commit & (probabilities >= best_case_at)
    pipeline = ~commit & ~best_case
    weighted = amounts * probabilities
    return Categories(
        commit_threshold=commit_at,
        best_case_threshold=best_case_at,
        commit_count=int(commit.sum()),
        best_case_count=int(best_case.sum()),
        pipeline_count=int(pipeline.sum()),
        commit_amount=float(amounts[commit].sum()),
        best_case_amount=float(amounts[best_case].sum()),
        pipeline_amount=float(amounts[pipeline].sum()),
        commit_expected=float(weighted[commit].sum()),
        best_case_expected=float(weighted[best_case].sum()),
        pipeline_expected=float(weighted[pipeline].sum()),
    )


def quota_coverage(forecast: Forecast, quota: float) -> Coverage:
    """Coverage of a quota (> 0) by the forecast's roll-ups and expected bookings."""
    if not math.isfinite(quota) or quota <= 0:
        raise ValueError(f"quota {quota!r} must be a finite number > 0")
    categories = forecast.categories
    return Coverage(
        quota=quota,
        pipeline=categories.all_total / quota,
        commit=categories.commit_total / quota,
        best_case=categories.commit_and_best_case_total / quota,
        expected=forecast.expected / quota,
        chance_of_quota=forecast.prob_at_least(quota),
    )


def forecast_range(
    amounts: Numbers,
    probabilities: Numbers,
    *,
    ids: Sequence[object] | None = None,
    quota: float | None = None,
    commit_threshold: float = 0.7,
    best_case_threshold: float = 0.3,
    method: str = "auto",
    max_exact: int = DEFAULT_MAX_EXACT,
    grid_cells: int = DEFAULT_GRID_CELLS,
    with_win_counts: bool = True,
    draws: int = 100_000,
    seed: int = 20_240_607,
) -> Forecast:
    """Expected bookings, SD, P10/P50/P90, categories, win counts and quota coverage."""
    amount_array, probability_array = validate_deals(amounts, probabilities, ids)
    categories = _categories(amount_array, probability_array, commit_threshold, best_case_threshold)
    distribution = _distribution(
        amount_array, probability_array, method, max_exact, grid_cells, draws, seed
    )
    forecast = Forecast(
        deal_count=int(amount_array.size),
        uncertain_count=int(
            np.count_nonzero((probability_array > 0.0) & (probability_array < 1.0))
        ),
        expected=float(amount_array @ probability_array),
        sd=_sd(amount_array, probability_array),
        p10=distribution.quantile(0.1),
        p50=distribution.quantile(0.5),
        p90=distribution.quantile(0.9),
        method=distribution.method,
        categories=categories,
        distribution=distribution,
        win_counts=win_count_distribution(probability_array) if with_win_counts else None,
    )
    if quota is None:
        return forecast
    return replace(forecast, coverage=quota_coverage(forecast, quota))
