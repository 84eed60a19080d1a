"""How good were the forecasts? Deal-level and period-level accuracy (domain-method §4.3).

Deal level (a probability p_i per deal, the outcome o_i = 1 won / 0 lost):

* Brier score (1/N)·Σ(p - o)²: 0 is perfect, a constant p = base rate scores rate·(1 - rate).
* log loss -(1/N)·Σ[o·ln p + (1 - o)·ln(1 - p)], p clipped to [1e-15, 1 - 1e-15] so a
  confident miss costs about 34.5 rather than infinity.
* ROC AUC: the chance a random won deal got a higher p than a random lost one, ties counting
  a half (Mann-Whitney, average ranks). None when all outcomes are one class.
* calibration bins: per bin of predicted p the mean prediction, the fraction won and the
  count. ``uniform``: bins [0, 1/n), [1/n, 2/n) ... [1 - 1/n, 1]; ``quantile``: edges at the
  quantiles of the predictions (equal edges collapse). Empty bins are left out.

Period level (forecast F_t, actual A_t, e.g. quarterly bookings):

* MAPE = (1/n)·Σ|A - F|/|A| — None when any actual is 0 (undefined; use WAPE).
* WAPE = Σ|A - F| / Σ|A| — None when every actual is 0.
* bias = (ΣF - ΣA)/ΣA — positive means over-forecasting; None when ΣA = 0.
* mean signed error = (1/n)·Σ(F - A), in the forecast's unit.
* hit rate = share of periods with |F - A| <= tolerance·|A| (1e-12 of slack for float
  rounding; a period with A = 0 hits only when F = 0).
* error of one period = (F - A)/|A| — None when A = 0.

All return fractions (0.096, not 9.6) as floats, unrounded; empty input gives None. Lengths
that differ, NaN or infinite numbers, p outside [0, 1] and outcomes other than 0/1 raise a
ValueError naming the first bad position.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
Numbers = Sequence[float] | FloatArray
LOG_LOSS_CLIP = 1e-15
_SLACK = 1e-12


@dataclass(frozen=True)
class CalibrationBin:
    """One bin of a reliability curve."""

    lower: float
    upper: float
    count: int
    mean_predicted: float
    fraction_positive: float


def _finite(values: Numbers, what: str) -> FloatArray:
    array = np.asarray(values, dtype=np.float64).ravel()
    bad = ~np.isfinite(array)
    if bad.any():
        index = int(np.argmax(bad))
        raise ValueError(f"{what} {index}: {float(array[index])!r} is not a finite number")
    return array


def _same_length(first: FloatArray, second: FloatArray, names: str) -> None:
    if first.size != second.size:
        raise ValueError(f"{names}: {first.size} and {second.size} values (must be equal)")


def _deal_inputs(probabilities: Numbers, outcomes: Numbers) -> tuple[FloatArray, FloatArray]:
    p = _finite(probabilities, "probability")
    o = _finite(outcomes, "outcome")
    _same_length(p, o, "probabilities and outcomes")
    outside = (p < 0) | (p > 1)
    if outside.any():
        index = int(np.argmax(outside))
        raise ValueError(f"probability {index}: {float(p[index])!r} is outside [0, 1]")
    not_binary = (o != 0) & (o != 1)
    if not_binary.any():
        index = int(np.argmax(not_binary))
        raise ValueError(f"outcome {index}: {float(o[index])!r} must be 0 (lost) or 1 (won)")
    return p, o


def brier_score(probabilities: Numbers, outcomes: Numbers) -> float | None:
    """Mean squared difference between probability and outcome; None for no deals."""
    p, o = _deal_inputs(probabilities, outcomes)
    return float(np.mean((p - o) ** 2)) if p.size else None


def log_loss(
    probabilities: Numbers, outcomes: Numbers, clip: float = LOG_LOSS_CLIP
) -> float | None:
    """Mean negative log likelihood with p clipped to [clip, 1 - clip]; None for no deals."""
    p, o = _deal_inputs(probabilities, outcomes)
    if not p.size:
        return None
    p = np.clip(p, clip, 1.0 - clip)
    return float(-np.mean(o * np.log(p) + (1.0 - o) * np.log1p(-p)))


def average_ranks(values: FloatArray) -> FloatArray:
    """Ranks 1..n, tied values sharing the mean of their ranks."""
    order = np.argsort(values, kind="stable")
    _, inverse, counts = np.unique(values[order], return_inverse=True, return_counts=True)
    group_start = np.concatenate(([0], np.cumsum(counts)[:-1]))
    ranks = np.empty(values.size)
    ranks[order] = (group_start + (counts + 1) / 2.0)[inverse]
    return ranks


def roc_auc(probabilities: Numbers, outcomes: Numbers) -> float | None:
    """Area under the ROC curve by ranks (ties = 1/2); None without both wins and losses."""
    p, o = _deal_inputs(probabilities, outcomes)
    positives = int(np.count_nonzero(o == 1))
    negatives = p.size - positives
    if positives == 0 or negatives == 0:
        return None
    rank_sum = float(average_ranks(p)[o == 1].sum())
    return (rank_sum - positives * (positives + 1) / 2.0) / (positives * negatives)


def calibration_bins(
    probabilities: Numbers, outcomes: Numbers, n_bins: int = 10, strategy: str = "uniform"
) -> tuple[CalibrationBin, ...]:
    """The reliability curve: per non-empty bin, mean prediction vs fraction won."""
    p, o = _deal_inputs(probabilities, outcomes)
    if n_bins < 1:
        raise ValueError(f"n_bins {n_bins} must be at least 1")
    if strategy == "uniform":
        edges = np.linspace(0.0, 1.0, n_bins + 1)
    elif strategy == "quantile":
        if not p.size:
            return ()
        edges = np.unique(np.quantile(p, np.linspace(0.0, 1.0, n_bins + 1)))
    else:
        raise ValueError(f"strategy {strategy!r} must be 'uniform' or 'quantile'")
    if edges.size < 2:  # every prediction the same value: one bin holding it
        edges = np.array([edges[0], edges[0]])
    bin_of = np.searchsorted(edges[1:-1], p, side="right")  # [lower, upper), last closed
    bins = []
    for index in range(edges.size - 1):
        members = bin_of == index
        count = int(members.sum())
        if count:
            bins.append(
                CalibrationBin(
                    lower=float(edges[index]),
                    upper=float(edges[index + 1]),
                    count=count,
                    mean_predicted=float(p[members].mean()),
                    fraction_positive=float(o[members].mean()),
                )
            )
    return tuple(bins)


def _period_inputs(forecasts: Numbers, actuals: Numbers) -> tuple[FloatArray, FloatArray]:
    f = _finite(forecasts, "forecast")
    a = _finite(actuals, "actual")
    _same_length(f, a, "forecasts and actuals")
    return f, a


def mape(forecasts: Numbers, actuals: Numbers) -> float | None:
    """Mean absolute percentage error; None when empty or any actual is 0."""
    f, a = _period_inputs(forecasts, actuals)
    if not a.size or (a == 0).any():
        return None
    return float(np.mean(np.abs(a - f) / np.abs(a)))


def wape(forecasts: Numbers, actuals: Numbers) -> float | None:
    """Σ|A - F| / Σ|A|; None when empty or every actual is 0."""
    f, a = _period_inputs(forecasts, actuals)
    scale = float(np.abs(a).sum())
    return float(np.abs(a - f).sum()) / scale if scale else None


def bias(forecasts: Numbers, actuals: Numbers) -> float | None:
    """(ΣF - ΣA)/ΣA — positive is over-forecasting; None when empty or ΣA = 0."""
    f, a = _period_inputs(forecasts, actuals)
    total = float(a.sum())
    return (float(f.sum()) - total) / total if total else None


def mean_signed_error(forecasts: Numbers, actuals: Numbers) -> float | None:
    """(1/n)·Σ(F - A) in the forecast's unit; None when empty."""
    f, a = _period_inputs(forecasts, actuals)
    return float(np.mean(f - a)) if a.size else None


def hit_rate(forecasts: Numbers, actuals: Numbers, tolerance: float = 0.1) -> float | None:
    """Share of periods with |F - A| <= tolerance·|A|; None when empty."""
    if not tolerance >= 0:
        raise ValueError(f"tolerance {tolerance!r} must be a number >= 0")
    f, a = _period_inputs(forecasts, actuals)
    if not a.size:
        return None
    hits = np.abs(f - a) <= tolerance * np.abs(a) * (1.0 + _SLACK) + _SLACK * np.abs(f)
    return float(np.mean(hits))


def error_percent(forecast: float, actual: float) -> float | None:
    """(F - A)/|A| for one period — positive means over-forecast; None when A = 0."""
    f, a = _period_inputs([forecast], [actual])
    return float((f[0] - a[0]) / abs(a[0])) if a[0] else None
