"""Dispersion and concentration of discounts (domain-method §3.6).

Pure functions over plain numbers. They take one value per item (a customer's or a seller's
discount dollars, a deal's discount %), so an engine (DuckDB, a warehouse) aggregates to that
level and hands the short list over; nothing here knows where the numbers came from.

Formulas and conventions:

* **Gini** on ascending-sorted non-negative values x_1 <= ... <= x_n with 1-based rank i:
  ``G = Σ (2i - n - 1)·x_i / (n·Σx)``. All equal -> 0; one item holds everything -> (n-1)/n.
  Conventions: no items, one item, or a zero total -> 0.0 (nothing is concentrated).
  Negative or non-finite values are refused (ValueError).
* **Lorenz curve**: the points (k/n, share of the total held by the k smallest items) for
  k = 0..n, so it starts at (0, 0) and ends at (1, 1). With a zero total (or no items) it is the
  line of equality. The area between the diagonal and this curve is G/2.
* **Top share** (top-decile share for ``fraction=0.1``): the share of the total held by the
  ``ceil(n·fraction)`` largest items — a fractional decile is rounded *up*, so 11 items give a
  top decile of 2 items and 1 to 10 items give 1 item. No items or a zero total -> 0.0.
* **Coefficient of variation** ``CV = sd / μ``; the population form (divide by n, as
  ``scipy.stats.variation``) and the sample form (divide by n - 1). Undefined (None) for no
  items, a zero mean, or the sample form with fewer than two items.
* **Dollar-weighted rate** ``Σ discount $ / Σ list $`` against the **simple mean** of the
  per-deal rates, which treats a small deal like a large one. None when the denominator is 0.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import accumulate

Number = float | int | Decimal


def _floats(values: Iterable[Number], *, non_negative: bool) -> list[float]:
    out: list[float] = []
    for value in values:
        number = float(value)
        if not math.isfinite(number):
            raise ValueError(f"value must be finite, got {value!r}")
        if non_negative and number < 0:
            raise ValueError(f"value must not be negative, got {value!r}")
        out.append(number)
    return out


def gini(values: Iterable[Number]) -> float:
    """Gini coefficient of non-negative values (0 = equal, (n-1)/n = one holds everything)."""
    xs = sorted(_floats(values, non_negative=True))
    n = len(xs)
    total = math.fsum(xs)
    if n < 2 or total == 0:
        return 0.0
    weighted = math.fsum((2 * i - n - 1) * x for i, x in enumerate(xs, start=1))
    # Rounding can leave a hair below 0 for equal values; the coefficient is never negative.
    return max(0.0, weighted / (n * total))


def lorenz_curve(values: Iterable[Number]) -> list[tuple[float, float]]:
    """Lorenz curve points from (0, 0) to (1, 1): (share of items, share of the total)."""
    xs = sorted(_floats(values, non_negative=True))
    n = len(xs)
    total = math.fsum(xs)
    if n == 0:
        return [(0.0, 0.0), (1.0, 1.0)]
    points = [(0.0, 0.0)]
    for k, running in enumerate(accumulate(xs), start=1):
        share = running / total if total > 0 else k / n
        points.append((k / n, min(1.0, share)))
    points[-1] = (1.0, 1.0)
    return points


def top_count(n: int, fraction: float = 0.1) -> int:
    """How many items make the top ``fraction`` of n items: ceil(n·fraction), at least 1 if n."""
    if n < 0:
        raise ValueError("n must not be negative")
    if not 0 < fraction <= 1:
        raise ValueError("fraction must be in (0, 1]")
    if n == 0:
        return 0
    # Round the product first so 10 x 0.1 is 1 item, not ceil(1.0000000000000002) = 2.
    return max(1, math.ceil(round(n * fraction, 9)))


def top_share(values: Iterable[Number], fraction: float = 0.1) -> float:
    """Share of the total held by the ceil(n·fraction) largest items (top decile by default)."""
    xs = sorted(_floats(values, non_negative=True), reverse=True)
    total = math.fsum(xs)
    k = top_count(len(xs), fraction)
    if k == 0 or total == 0:
        return 0.0
    return math.fsum(xs[:k]) / total


def mean(values: Iterable[Number]) -> float | None:
    """Arithmetic mean; None for no values."""
    xs = _floats(values, non_negative=False)
    return math.fsum(xs) / len(xs) if xs else None


def coefficient_of_variation(values: Iterable[Number], *, sample: bool = False) -> float | None:
    """sd/μ with the population sd (default) or the sample sd; None where it is undefined."""
    xs = _floats(values, non_negative=False)
    n = len(xs)
    if n == 0 or (sample and n < 2):
        return None
    mu = math.fsum(xs) / n
    if mu == 0:
        return None
    squares = math.fsum((x - mu) ** 2 for x in xs)
    sigma = math.sqrt(squares / (n - 1 if sample else n))
    return sigma / abs(mu)


def dollar_weighted_rate(
    discounts: Iterable[Number], list_revenues: Iterable[Number]
) -> float | None:
    """Σ discount $ / Σ list $; None when the list total is 0."""
    list_total = math.fsum(_floats(list_revenues, non_negative=True))
    if list_total == 0:
        return None
    return math.fsum(_floats(discounts, non_negative=False)) / list_total


def _rates(discounts: Sequence[Number], list_revenues: Sequence[Number]) -> list[float]:
    if len(discounts) != len(list_revenues):
        raise ValueError("discounts and list revenues differ in length")
    rates: list[float] = []
    for discount, list_revenue in zip(discounts, list_revenues, strict=True):
        if not float(list_revenue) > 0:
            raise ValueError("a deal's list revenue must be positive to have a rate")
        rates.append(float(discount) / float(list_revenue))
    return rates


def simple_mean_rate(discounts: Sequence[Number], list_revenues: Sequence[Number]) -> float | None:
    """Mean of the per-deal rates discount/list (a deal with a zero list is refused)."""
    return mean(_rates(discounts, list_revenues))


@dataclass(frozen=True, slots=True)
class Dispersion:
    """The §3.6 summary of one set of deals (or customers, or sellers)."""

    items: int
    mean_rate: float | None
    weighted_rate: float | None
    cv_population: float | None
    cv_sample: float | None
    gini_discount: float
    gini_rate: float
    top_decile_share: float


def dispersion(discounts: Sequence[Number], list_revenues: Sequence[Number]) -> Dispersion:
    """All of §3.6 for items given as (discount $, list $) pairs; list $ must be positive."""
    rates = _rates(discounts, list_revenues)
    return Dispersion(
        items=len(rates),
        mean_rate=mean(rates),
        weighted_rate=dollar_weighted_rate(discounts, list_revenues),
        cv_population=coefficient_of_variation(rates),
        cv_sample=coefficient_of_variation(rates, sample=True),
        gini_discount=gini(discounts),
        gini_rate=gini(rates),
        top_decile_share=top_share(discounts, 0.1),
    )
