"""Forecast accuracy: §4.3 worked examples, plain-Python references, calibration, AUC."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from valuescout.forecasting.accuracy import (
    bias,
    brier_score,
    calibration_bins,
    error_percent,
    hit_rate,
    log_loss,
    mape,
    mean_signed_error,
    roc_auc,
    wape,
)

FORECASTS = [1.00, 1.20, 0.90, 1.10]  # $M per quarter, domain-method §4.3
ACTUALS = [0.92, 1.05, 0.95, 1.00]
DEAL_P = [0.9, 0.8, 0.7, 0.3, 0.2, 0.6]
DEAL_O = [1, 0, 1, 0, 0, 1]


def test_period_worked_example() -> None:
    assert [
        round(error_percent(f, a) or 0, 3) for f, a in zip(FORECASTS, ACTUALS, strict=True)
    ] == [
        0.087,
        0.143,
        -0.053,
        0.1,
    ]
    assert round(mape(FORECASTS, ACTUALS) or 0, 3) == 0.096
    assert round(wape(FORECASTS, ACTUALS) or 0, 3) == 0.097
    assert round(bias(FORECASTS, ACTUALS) or 0, 3) == 0.071
    assert mean_signed_error(FORECASTS, ACTUALS) == pytest.approx(0.07)
    assert hit_rate(FORECASTS, ACTUALS, tolerance=0.10) == 0.75  # 14.3% misses the band


def test_deal_worked_example() -> None:
    assert round(brier_score(DEAL_P, DEAL_O) or 0, 3) == 0.172
    assert brier_score([0.5] * 6, DEAL_O) == 0.25


def test_empty_input_and_zero_actuals_give_none() -> None:
    for metric in (mape, wape, bias, mean_signed_error, hit_rate):
        assert metric([], []) is None
    for deal_metric in (brier_score, log_loss, roc_auc):
        assert deal_metric([], []) is None
    assert calibration_bins([], []) == ()
    assert calibration_bins([], [], strategy="quantile") == ()
    assert mape([1.0, 2.0], [0.0, 2.0]) is None  # undefined with a zero actual
    assert wape([1.0, 2.0], [0.0, 2.0]) == 0.5
    assert wape([1.0], [0.0]) is None
    assert bias([1.0, 1.0], [1.0, -1.0]) is None
    assert error_percent(1.0, 0.0) is None
    assert hit_rate([0.0, 0.1], [0.0, 0.0]) == 0.5  # zero actual: only an exact zero hits


def test_bad_input_is_refused_by_position() -> None:
    with pytest.raises(ValueError, match=r"probability 1: 1\.2 is outside \[0, 1\]"):
        brier_score([0.5, 1.2], [1, 0])
    with pytest.raises(ValueError, match=r"outcome 0: 2\.0 must be 0 \(lost\) or 1 \(won\)"):
        roc_auc([0.5], [2])
    with pytest.raises(ValueError, match=r"actual 1: nan is not a finite number"):
        mape([1, 2], [1, float("nan")])
    with pytest.raises(ValueError, match="forecasts and actuals: 2 and 1 values"):
        wape([1, 2], [1])
    with pytest.raises(ValueError, match="strategy"):
        calibration_bins([0.5], [1], strategy="kmeans")
    with pytest.raises(ValueError, match="tolerance"):
        hit_rate([1], [1], tolerance=-0.1)


deal_lists = st.integers(1, 40).flatmap(
    lambda n: st.tuples(
        st.lists(
            st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.9, 1.0]) | st.floats(0, 1),
            min_size=n,
            max_size=n,
        ),
        st.lists(st.integers(0, 1), min_size=n, max_size=n),
    )
)


@settings(max_examples=200, deadline=None)
@given(deal_lists)
def test_deal_metrics_equal_straightforward_computations(deals: tuple[list, list]) -> None:
    p, o = deals
    n = len(p)
    assert brier_score(p, o) == pytest.approx(
        sum((x - y) ** 2 for x, y in zip(p, o, strict=True)) / n
    )
    clipped = [min(max(x, 1e-15), 1 - 1e-15) for x in p]
    expected_loss = (
        -sum(y * math.log(x) + (1 - y) * math.log(1 - x) for x, y in zip(clipped, o, strict=True))
        / n
    )
    assert log_loss(p, o) == pytest.approx(expected_loss, rel=1e-9)
    wins = [x for x, y in zip(p, o, strict=True) if y]
    losses = [x for x, y in zip(p, o, strict=True) if not y]
    if wins and losses:
        pairs = sum(1.0 if w > v else 0.5 if w == v else 0.0 for w in wins for v in losses)
        assert roc_auc(p, o) == pytest.approx(pairs / (len(wins) * len(losses)))
    else:
        assert roc_auc(p, o) is None
    for strategy in ("uniform", "quantile"):
        bins = calibration_bins(p, o, n_bins=5, strategy=strategy)
        assert sum(b.count for b in bins) == n
        assert sum(b.mean_predicted * b.count for b in bins) == pytest.approx(sum(p))
        assert sum(b.fraction_positive * b.count for b in bins) == pytest.approx(sum(o))


period_lists = st.integers(1, 12).flatmap(
    lambda n: st.tuples(
        st.lists(st.floats(0, 1e6), min_size=n, max_size=n),
        st.lists(st.floats(1, 1e6), min_size=n, max_size=n),
    )
)


@settings(max_examples=200, deadline=None)
@given(period_lists)
def test_period_metrics_equal_straightforward_computations(periods: tuple[list, list]) -> None:
    f, a = periods
    n = len(f)
    assert mape(f, a) == pytest.approx(sum(abs(y - x) / y for x, y in zip(f, a, strict=True)) / n)
    assert wape(f, a) == pytest.approx(sum(abs(y - x) for x, y in zip(f, a, strict=True)) / sum(a))
    assert bias(f, a) == pytest.approx((sum(f) - sum(a)) / sum(a))
    assert mean_signed_error(f, a) == pytest.approx(
        sum(x - y for x, y in zip(f, a, strict=True)) / n, abs=1e-6
    )
    hits = sum(abs(x - y) <= 0.1 * y * (1 + 1e-9) for x, y in zip(f, a, strict=True))
    lower = sum(abs(x - y) <= 0.1 * y * (1 - 1e-9) for x, y in zip(f, a, strict=True))
    assert lower / n <= (hit_rate(f, a) or 0.0) <= hits / n


def test_hit_rate_band_edge_counts_despite_float_rounding() -> None:
    assert hit_rate([1.1, 0.9], [1.0, 1.0], tolerance=0.1) == 1.0


def test_auc_known_answers() -> None:
    assert roc_auc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1]) == 1.0
    assert roc_auc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1]) == 0.0
    assert roc_auc([0.4] * 6, [0, 1, 0, 1, 1, 0]) == 0.5
    assert roc_auc([0.5, 0.5, 0.5], [1, 1, 1]) is None
    # won 0.9, 0.7, 0.6 vs lost 0.8, 0.3, 0.2: two of nine pairs (0.7 and 0.6 below 0.8) wrong
    assert roc_auc(DEAL_P, DEAL_O) == pytest.approx(7 / 9)


def test_log_loss_clips_confident_misses() -> None:
    at_one = -math.log1p(-(1 - 1e-15))  # 1 - 1e-15 is not exact in binary
    assert log_loss([0.0, 1.0], [1, 0]) == pytest.approx((-math.log(1e-15) + at_one) / 2)
    assert log_loss([0.5], [1]) == pytest.approx(math.log(2))


@pytest.mark.parametrize("strategy", ["uniform", "quantile"])
def test_calibration_of_known_probabilities(strategy: str) -> None:
    """Outcomes drawn from their own p: each bin's win share is near its mean p."""
    generator = np.random.default_rng(11)
    p = generator.beta(2, 2, 50_000)
    o = (generator.random(p.size) < p).astype(float)
    bins = calibration_bins(p, o, n_bins=10, strategy=strategy)
    assert len(bins) == 10
    for item in bins:
        spread = math.sqrt(item.mean_predicted * (1 - item.mean_predicted) / item.count)
        # 4 standard errors of a binomial share: fails by chance about 1 in 15,000 bins
        assert abs(item.fraction_positive - item.mean_predicted) <= 4 * spread
        assert item.lower <= item.mean_predicted <= item.upper
    if strategy == "quantile":
        assert {item.count for item in bins} <= {4_999, 5_000, 5_001}
    miscalibrated = calibration_bins(np.clip(p * 1.5, 0, 1), o, n_bins=10, strategy=strategy)
    assert any(b.mean_predicted - b.fraction_positive > 0.1 for b in miscalibrated)


def test_uniform_bins_are_half_open_with_the_last_closed() -> None:
    bins = calibration_bins([0.0, 0.5, 1.0], [0, 1, 1], n_bins=2)
    assert [(b.lower, b.upper, b.count) for b in bins] == [(0.0, 0.5, 1), (0.5, 1.0, 2)]
    same = calibration_bins([0.3, 0.3], [0, 1], strategy="quantile")
    assert [(b.lower, b.upper, b.count, b.fraction_positive) for b in same] == [(0.3, 0.3, 2, 0.5)]
