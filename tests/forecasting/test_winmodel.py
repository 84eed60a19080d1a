"""The win model on deals with KNOWN probabilities: calibrated and ranking like the truth,
noise ignored, CRM strings as categories, ids / one-value columns / duplicates handled, and
explanations that add up."""

from __future__ import annotations

import gc
import itertools
from datetime import date

import numpy as np
import pytest
from sklearn.metrics import brier_score_loss, roc_auc_score

from tests.forecasting.synthetic import features, known_deals
from valuescout.core.errors import Invalid
from valuescout.forecasting.encoding import CategoricalEncoder
from valuescout.forecasting.tabular import Kind
from valuescout.forecasting.winmodel import Explanation, Factor, WinModel, train_win_model


@pytest.fixture(scope="module")
def trained() -> WinModel:
    rows, _, won = known_deals(8000, seed=11)
    return train_win_model(features(rows), list(won), seed=3)


@pytest.fixture(scope="module")
def fresh() -> tuple[list[dict[str, str]], np.ndarray, np.ndarray]:
    rows, truth, won = known_deals(8000, seed=12, start=100_000)
    return features(rows), truth, won


def test_probabilities_are_calibrated_and_rank_like_the_truth(
    trained: WinModel, fresh: tuple[list[dict[str, str]], np.ndarray, np.ndarray]
) -> None:
    rows, truth, won = fresh
    p = trained.predict(rows)
    assert np.abs(p - truth).mean() < 0.04
    assert abs(roc_auc_score(won, p) - roc_auc_score(won, truth)) < 0.015
    assert brier_score_loss(won, p) - brier_score_loss(won, truth) < 0.005
    bins = np.minimum((p * 10).astype(int), 9)
    for b in range(10):
        members = bins == b
        if members.sum() >= 300:
            assert abs(p[members].mean() - won[members].mean()) < 0.06, b


def test_report_kinds_and_dropped_columns(trained: WinModel) -> None:
    report = trained.report
    kinds = {c.name: c.kind for c in report.features}
    assert kinds == {
        "product": Kind.CATEGORICAL,
        "region": Kind.CATEGORICAL,
        "stage": Kind.CATEGORICAL,
        "amount": Kind.NUMERIC,
        "noise": Kind.NUMERIC,
        "created": Kind.DATE,
    }
    dropped = {d.column: d.reason for d in report.dropped}
    assert dropped == {
        "opportunity_id": "id-like name",
        "ticket": "id-like: every value differs",
        "source": "one value",
    }
    assert (report.calibration, report.folds, report.duplicates_removed) == ("isotonic", 5, 0)
    assert report.wins + report.losses == report.rows == 8000


def test_none_and_na_are_categories_not_missing(trained: WinModel) -> None:
    product = next(e for e in trained.encoder.encoders if e.column == "product")
    assert isinstance(product, CategoricalEncoder)
    assert set(product.levels) == {"GTXPro", "MG Special", "None", "N/A"}
    region = next(e for e in trained.encoder.encoders if e.column == "region")
    assert isinstance(region, CategoricalEncoder)
    assert set(region.levels) == {"East", "West", "(empty)"}
    # "N/A" (-1.0) and "None" (0.0) are told apart, the way the truth has them.
    base = {"region": "East", "stage": "Proposal", "amount": "22,026", "noise": "0"}
    none, na = trained.explain([{**base, "product": "None"}, {**base, "product": "N/A"}])
    assert none.probability > na.probability
    assert _push(none, "product") - _push(na, "product") == pytest.approx(1.0, abs=0.25)
    assert _factor(na, "product").value == "N/A"


def _factor(explanation: Explanation, column: str) -> Factor:
    return next(f for f in explanation.factors if f.column == column)


def _push(explanation: Explanation, column: str) -> float:
    return _factor(explanation, column).contribution


def test_noise_gets_a_small_contribution(
    trained: WinModel, fresh: tuple[list[dict[str, str]], np.ndarray, np.ndarray]
) -> None:
    pushes = np.abs(trained.contributions(fresh[0][:2000])).mean(axis=0)
    by_column = dict(zip(trained.columns, pushes, strict=True))
    assert by_column["noise"] < 0.05
    assert by_column["created"] < 0.1
    for real in ("product", "stage", "amount"):
        assert by_column[real] > 5 * by_column["noise"]


def test_explanations_add_up_and_move_with_the_probability(
    trained: WinModel, fresh: tuple[list[dict[str, str]], np.ndarray, np.ndarray]
) -> None:
    explanations = trained.explain(fresh[0][:500])
    assert gc.isenabled()  # paused while the factors are built, then restored
    for e in explanations:
        total = e.base_log_odds + sum(f.contribution for f in e.factors)
        assert e.log_odds == pytest.approx(total)
        assert [f.contribution for f in e.factors] == sorted(
            (f.contribution for f in e.factors), reverse=True
        )
        assert all(f.contribution > 0 for f in e.up) and all(f.contribution < 0 for f in e.down)
        assert len(e.factors) == 6
    # Calibration is monotone: a higher score never gets a lower probability.
    ordered = sorted(explanations, key=lambda e: e.log_odds)
    probabilities = [e.probability for e in ordered]
    assert all(a <= b + 1e-12 for a, b in itertools.pairwise(probabilities))
    assert np.allclose([e.probability for e in explanations], trained.predict(fresh[0][:500]))


def test_explanation_text_and_top(trained: WinModel) -> None:
    row = {"product": "GTXPro", "region": "East", "stage": "Negotiation", "amount": "$22,026"}
    (e,) = trained.explain([row], top=2)
    assert [f.column for f in e.factors] == ["product", "stage"]
    assert e.factors[0].text().startswith("product = GTXPro: +")
    assert e.factors[0].text().endswith(" log-odds")
    assert e.probability > 0.8


def test_unseen_values_at_scoring_time(trained: WinModel) -> None:
    (e,) = trained.explain([{"product": "Quantum", "amount": "lots", "created": "soon"}])
    assert _factor(e, "product").value == "Quantum (other)"
    assert _factor(e, "amount").value == "lots"
    assert _factor(e, "created").value == "(empty)"
    assert _push(e, "amount") == pytest.approx(0.0, abs=1e-9)  # not a number: counted missing
    assert 0.001 <= e.probability <= 0.999
    assert trained.predict([]).shape == (0,) and trained.explain([]) == []


def test_duplicates_are_kept_once() -> None:
    rows, _, won = known_deals(600, seed=5)
    data = features(rows)
    doubled = data + data[:50]
    model = train_win_model(doubled, [*won, *won[:50]], seed=1)
    once = train_win_model(data, list(won), seed=1)
    assert model.report.duplicates_removed == 50
    assert model.report.rows == 650
    assert np.allclose(model.predict(data[:100]), once.predict(data[:100]))
    # The same cells with another outcome are not duplicates.
    flipped = train_win_model([*data, data[0]], [*won, not won[0]], seed=1)
    assert flipped.report.duplicates_removed == 0


def test_same_seed_same_model_and_platt_for_few_rows() -> None:
    rows, _, won = known_deals(400, seed=8)
    first = train_win_model(features(rows), list(won), seed=4)
    again = train_win_model(features(rows), list(won), seed=4)
    assert first.report.calibration == "sigmoid"
    assert np.array_equal(first.predict(features(rows)), again.predict(features(rows)))


def test_typed_values() -> None:
    rng = np.random.default_rng(2)
    rows: list[dict[str, object]] = [
        {
            "amount": float(rng.lognormal(8, 1)) if i % 10 else None,
            "seats": int(rng.integers(1, 50)),
            "signed": date(2017, 1 + i % 12, 1),
            "partner": bool(i % 3),
            "segment": ["SMB", "Mid", None][i % 3],
        }
        for i in range(300)
    ]
    won = [bool(rng.random() < 0.4) for _ in rows]
    model = train_win_model(rows, won)
    kinds = {c.name: c.kind for c in model.report.features}
    assert kinds == {
        "amount": Kind.NUMERIC,
        "seats": Kind.NUMERIC,
        "signed": Kind.DATE,
        "partner": Kind.CATEGORICAL,
        "segment": Kind.CATEGORICAL,
    }
    assert "amount is empty" in model.encoder.names
    (e,) = model.explain([rows[0]])
    assert _factor(e, "amount").value == "(empty)"
    assert _factor(e, "partner").value == "False"


def test_refuses_too_few_wins_or_nothing_to_learn() -> None:
    rows = [{"product": "AB"[i % 2], "n": str(i)} for i in range(40)]
    with pytest.raises(Invalid, match="0 wins and 40 losses"):
        train_win_model(rows, [False] * 40)
    with pytest.raises(Invalid, match="at least 5 of each"):
        train_win_model(rows, [True] * 4 + [False] * 36)
    with pytest.raises(Invalid, match=r"No column is left.*product: excluded"):
        train_win_model(rows, [True, False] * 20, never={"product": "excluded", "n": "id"})


def test_scoring_holds_every_thread_pool_to_one_thread_and_lets_go_after() -> None:
    from threadpoolctl import threadpool_info

    from valuescout.forecasting import winmodel

    before = {i["filepath"]: i["num_threads"] for i in threadpool_info()}
    with winmodel._one_thread():
        inside = {i["filepath"]: i["num_threads"] for i in threadpool_info()}
    assert inside and set(inside.values()) == {1}  # numpy's BLAS at least is loaded
    assert {i["filepath"]: i["num_threads"] for i in threadpool_info()} == before
