"""A win model trained on a company's closed opportunities over whatever fields its table has,
the way CRM "predictive scoring" works: a calibrated probability of winning for each open deal
and the factors pushing it up and down. Pure: numpy and scikit-learn, no database, no web.

How it is built (`train_win_model`):

1. Duplicated rows (every cell and the outcome equal) are kept once; the columns are read by
   `tabular.profile_columns` (numbers, dates, categories; ids and one-value columns dropped)
   and encoded by `encoding.TableEncoder` (standardised numbers with missing indicators,
   one-hot categories, dates as age and season).
2. The score is an L2-regularised logistic regression (C = 1) on those columns: transparent,
   each column's weight can be read off.
3. The probability is that score calibrated on held-out predictions
   (`CalibratedClassifierCV`, `ensemble=False`: stratified k-fold, k = min(5, rows of the
   smaller class), shuffled with `seed`; the regression is then refitted on every row).
   Isotonic regression when the smaller class has at least `ISOTONIC_MIN_PER_CLASS` rows,
   else Platt scaling (a sigmoid), which needs far fewer rows to be stable. The calibrated
   probability is kept within [0.001, 0.999]: a model never knows a deal is certain.
   The same rows and seed give the same model.

Training and scoring hold the BLAS / OpenMP pools to one thread (threadpoolctl): on matrices
this size threads gain nothing, and on a busy 2-CPU machine their spin-waiting made training
on 20,000 deals take 7 s instead of 1 s (bench/forecast_scoring.py).

Explanations (`WinModel.explain`): for each original column, its contribution to the
*uncalibrated* log-odds relative to the training average, i.e. the sum over its encoded
columns of weight x (value - training mean). The base log-odds (the score of the average
training deal) plus every contribution is exactly the deal's uncalibrated log-odds; the
probability shown next to them is the calibrated one, which moves the same way (calibration
is monotone) but not by the same amount.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from threadpoolctl import ThreadpoolController

from valuescout.core.errors import Invalid
from valuescout.forecasting.encoding import Matrix, TableEncoder
from valuescout.forecasting.tabular import (
    Column,
    Dropped,
    Row,
    duplicate_flags,
    first_copies,
    profile_columns,
)

MIN_PER_CLASS = 5
ISOTONIC_MIN_PER_CLASS = 500
MAX_FOLDS = 5
PROBABILITY_FLOOR = 0.001
BLOCK = 10_000  # rows encoded at a time when explaining


@functools.cache
def _pools() -> ThreadpoolController:
    """The process's BLAS / OpenMP pools, found once: `threadpool_limits` looks for them in
    /proc/self/maps on every call, ~3 ms, three times per deal scored."""
    return ThreadpoolController()


def _one_thread() -> Any:
    return _pools().limit(limits=1)


class Factor(NamedTuple):
    """One column's push on a deal's log-odds, relative to the average training deal (a named
    tuple: scoring 100,000 deals builds a million of them)."""

    column: str
    value: str
    contribution: float

    def text(self) -> str:
        return f"{self.column} = {self.value}: {self.contribution:+.2f} log-odds"


@dataclass(frozen=True, slots=True)
class Explanation:
    """A deal's calibrated probability and the factors behind its (uncalibrated) score."""

    probability: float
    log_odds: float  # uncalibrated: base_log_odds + sum of the contributions
    base_log_odds: float
    factors: tuple[Factor, ...]  # largest contribution first

    @property
    def up(self) -> tuple[Factor, ...]:
        return tuple(f for f in self.factors if f.contribution > 0)

    @property
    def down(self) -> tuple[Factor, ...]:
        return tuple(f for f in reversed(self.factors) if f.contribution < 0)


@dataclass(frozen=True, slots=True)
class TrainingReport:
    rows: int  # training rows given
    duplicates_removed: int
    wins: int
    losses: int
    features: tuple[Column, ...]
    dropped: tuple[Dropped, ...]
    calibration: str  # "isotonic" or "sigmoid"
    folds: int


class WinModel:
    """A trained win model: `predict` gives calibrated probabilities, `explain` adds factors."""

    def __init__(
        self,
        encoder: TableEncoder,
        calibrated: CalibratedClassifierCV,
        training_mean: Matrix,
        report: TrainingReport,
    ) -> None:
        self.encoder = encoder
        self.report = report
        self._calibrated = calibrated
        score: LogisticRegression = calibrated.calibrated_classifiers_[0].estimator
        self._weights: Matrix = np.asarray(score.coef_[0], dtype=np.float64)
        self._centre = training_mean
        self.base_log_odds = float(score.intercept_[0] + self._weights @ training_mean)
        # encoded columns x original columns: 1 where an encoded column comes from a column
        self._membership = np.zeros((len(training_mean), len(encoder.encoders)))
        for i, part in enumerate(encoder.groups()):
            self._membership[part, i] = 1.0

    @property
    def columns(self) -> tuple[str, ...]:
        return self.encoder.columns

    def predict(self, rows: Sequence[Row]) -> Matrix:
        """The calibrated win probability of each row."""
        if not rows:
            return np.zeros(0)
        x = self.encoder.transform(rows)
        with _one_thread():
            return self._probabilities(x)

    def _probabilities(self, x: Matrix) -> Matrix:
        p = self._calibrated.predict_proba(x)[:, 1]
        clipped: Matrix = np.clip(p, PROBABILITY_FLOOR, 1 - PROBABILITY_FLOOR)
        return clipped

    def contributions(self, rows: Sequence[Row]) -> Matrix:
        """rows x columns: each original column's push on the uncalibrated log-odds."""
        return self._contributions(self.encoder.transform(rows))

    def _contributions(self, x: Matrix) -> Matrix:
        weighted = (x - self._centre) * self._weights
        summed: Matrix = weighted @ self._membership
        return summed

    def explain(self, rows: Sequence[Row], top: int | None = None) -> list[Explanation]:
        """Probability and factors for each row; `top` keeps the largest pushes (by size).
        Rows are encoded BLOCK at a time, so the numeric work stays small in memory."""
        out: list[Explanation] = []
        with _collector_paused(), _one_thread():
            for start in range(0, len(rows), BLOCK):
                out.extend(self._explain_block(rows[start : start + BLOCK], top))
        return out

    def _explain_block(self, rows: Sequence[Row], top: int | None) -> list[Explanation]:
        cells = self.encoder.cells(rows)
        x = self.encoder.transform_cells(cells, len(rows))
        probabilities = self._probabilities(x).tolist()
        pushes = self._contributions(x)
        log_odds = (self.base_log_odds + pushes.sum(axis=1)).tolist()
        if top is None:
            order = np.argsort(-pushes, axis=1, kind="stable")
        else:
            largest = np.argsort(-np.abs(pushes), axis=1, kind="stable")[:, :top]
            chosen = np.take_along_axis(pushes, largest, axis=1)
            order = np.take_along_axis(largest, np.argsort(-chosen, axis=1, kind="stable"), 1)
        sorted_pushes = np.take_along_axis(pushes, order, axis=1).tolist()
        encoders = self.encoder.encoders
        names = [e.column for e in encoders]
        shown = [e.describe_all(c) for e, c in zip(encoders, cells, strict=True)]
        base = self.base_log_odds
        return [
            Explanation(
                probabilities[i],
                log_odds[i],
                base,
                tuple(
                    Factor(names[j], shown[j][i], c) for j, c in zip(columns, values, strict=True)
                ),
            )
            for i, (columns, values) in enumerate(zip(order.tolist(), sorted_pushes, strict=True))
        ]


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Building a million small tuples makes the cyclic garbage collector rescan them again and
    again (they hold no cycles); it is paused meanwhile and restored as it was."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def train_win_model(
    rows: Sequence[Row],
    won: Sequence[bool],
    *,
    never: Mapping[str, str] | None = None,
    columns: Sequence[str] | None = None,
    seed: int = 0,
    weights: Sequence[float] | None = None,
) -> WinModel:
    """Train on closed deals: `rows` (dicts of strings or typed values), `won` per row, and
    optionally a weight per row (several examples of one deal sharing its weight).

    `columns` are the candidate features (default: every key of the first row); `never` maps
    columns that must not be features (the outcome, an id, excluded ones) to the reason shown
    in the report. Raises `Invalid` when the rows hold fewer than MIN_PER_CLASS wins or losses.
    """
    if len(rows) != len(won):
        raise ValueError("rows and won differ in length")
    names = list(columns) if columns is not None else (list(rows[0]) if rows else [])
    keyed = [{**row, "\0won": bool(w)} for row, w in zip(rows, won, strict=True)]
    flags = duplicate_flags(keyed, [*names, "\0won"])
    kept = [row for row, dup in zip(rows, flags, strict=True) if not dup]
    y = np.array([w for w, dup in zip(won, flags, strict=True) if not dup], dtype=np.int64)
    sample_weight = None
    if weights is not None:  # a duplicate's weight goes to its first copy, which stays
        merged = [0.0] * len(rows)
        for i, first in enumerate(first_copies(keyed, [*names, "\0won"])):
            merged[first] += float(weights[i])
        sample_weight = np.array([w for w, dup in zip(merged, flags, strict=True) if not dup])
    wins, losses = int(y.sum()), int(len(y) - y.sum())
    if min(wins, losses) < MIN_PER_CLASS:
        raise Invalid(
            f"The training rows hold {wins:,} wins and {losses:,} losses (duplicates kept "
            f"once); a win model needs at least {MIN_PER_CLASS} of each."
        )
    profile = profile_columns(kept, names, never=never)
    if not profile.features:
        reasons = "; ".join(f"{d.column}: {d.reason}" for d in profile.dropped)
        raise Invalid(f"No column is left to learn from ({reasons or 'the table has none'}).")
    encoder = TableEncoder.fit(kept, profile.features)
    x = encoder.transform(kept)
    folds = min(MAX_FOLDS, wins, losses)
    method = "isotonic" if min(wins, losses) >= ISOTONIC_MIN_PER_CLASS else "sigmoid"
    calibrated = CalibratedClassifierCV(
        LogisticRegression(C=1.0, max_iter=2000),
        method=method,
        cv=StratifiedKFold(folds, shuffle=True, random_state=seed),
        ensemble=False,
    )
    with _one_thread():
        calibrated.fit(x, y, sample_weight=sample_weight)
    report = TrainingReport(
        rows=len(rows),
        duplicates_removed=sum(flags),
        wins=wins,
        losses=losses,
        features=profile.features,
        dropped=profile.dropped,
        calibration=method,
        folds=folds,
    )
    return WinModel(encoder, calibrated, x.mean(axis=0), report)
