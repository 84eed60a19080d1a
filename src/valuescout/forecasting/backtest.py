"""Backtesting a win model on any CRM export: train on one part of the closed deals, predict
the other, and score the trained model against the baselines. Pure: no database, no web.

Rows (after duplicated rows are kept once, over every column):

* the outcome (text without surrounding spaces, compared exactly) equal to `won` is a win;
* with `lost` values given, an outcome in `lost` is a loss and any other outcome an *open*
  deal, left out; without them every other non-empty outcome is a loss;
* an empty outcome is left out.

Splits: `random:F` puts the fraction F of the closed rows in the test part, drawn with the
seed and stratified by outcome (when each outcome has at least two rows). `time:COLUMN:DATE`
trains on rows whose COLUMN date is before DATE and tests on the others; rows with an empty
COLUMN are left out; a value that is not a date is an error naming its line. The split
column is never a feature: inside the test part every date lies after every training date,
so its age would be pure extrapolation of a trend.

Features: every column but the outcome, the id column, the excluded columns and the time-
split column, as `winmodel.train_win_model` reads them (ids and one-value columns dropped).

Baselines: `base_rate` gives every test deal the training win rate; `stage_weighted` (only
with a stage column; else None) gives each deal its stage's training win rate (historical
stage-to-win conversion), the base rate for a stage not seen in training.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

import numpy as np
from sklearn.model_selection import train_test_split

from valuescout.core.errors import Invalid
from valuescout.forecasting import accuracy
from valuescout.forecasting.history import History
from valuescout.forecasting.tabular import Row, category, duplicate_flags, is_missing, parse_date
from valuescout.forecasting.winmodel import train_win_model

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
EMPTY_STAGE = "(empty)"
CALIBRATION_BINS = 10  # uniform bins of width 0.1; empty bins left out


@dataclass(frozen=True, slots=True)
class RandomSplit:
    test_fraction: float

    def describe(self) -> str:
        return f"random:{self.test_fraction:g}"


@dataclass(frozen=True, slots=True)
class TimeSplit:
    column: str
    cutoff: date

    def describe(self) -> str:
        return f"time:{self.column}:{self.cutoff.isoformat()}"


Split = RandomSplit | TimeSplit


def parse_split(text: str) -> Split:
    """`random:0.3` or `time:COLUMN:YYYY-MM-DD`."""
    kind, _, rest = text.strip().partition(":")
    if kind == "random":
        try:
            fraction = float(rest)
        except ValueError:
            fraction = -1.0
        if not 0 < fraction < 1:
            raise Invalid(f"--split {text!r}: write random:F with F between 0 and 1 (random:0.3).")
        return RandomSplit(fraction)
    if kind == "time":
        column, _, day = rest.rpartition(":")
        cutoff = parse_date(day) if _DAY.match(day) else None
        if not column.strip() or cutoff is None:
            raise Invalid(
                f"--split {text!r}: write time:COLUMN:YYYY-MM-DD (time:engage_date:2017-06-01)."
            )
        return TimeSplit(column.strip(), cutoff)
    raise Invalid(f"--split {text!r}: write random:F or time:COLUMN:YYYY-MM-DD.")


@dataclass(frozen=True, slots=True)
class BacktestSpec:
    outcome: str
    won: str
    lost: tuple[str, ...] = ()
    id_column: str | None = None
    exclude: tuple[str, ...] = ()
    stage: str | None = None
    split: Split = RandomSplit(0.3)
    seed: int = 0


@dataclass(frozen=True, slots=True)
class MethodScore:
    auc: float | None
    brier: float | None
    log_loss: float | None
    calibration: list[dict[str, Any]]
    n_train: int
    n_test: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "auc": self.auc,
            "brier": self.brier,
            "log_loss": self.log_loss,
            "calibration": self.calibration,
            "n_train": self.n_train,
            "n_test": self.n_test,
        }


@dataclass(frozen=True, slots=True)
class DataReport:
    rows: int
    duplicates_removed: int
    empty_outcome_left_out: int
    open_left_out: int
    empty_split_date_left_out: int
    train_wins: int
    train_losses: int
    test_wins: int
    test_losses: int
    split: str
    calibration: str
    features: list[dict[str, str]] = field(default_factory=list)
    dropped_columns: list[dict[str, str]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class BacktestResult:
    model: MethodScore
    base_rate: MethodScore
    stage_weighted: MethodScore | None
    data: DataReport

    def as_dict(self) -> dict[str, Any]:
        stage = self.stage_weighted.as_dict() if self.stage_weighted else None
        return {
            "model": self.model.as_dict(),
            "baselines": {"base_rate": self.base_rate.as_dict(), "stage_weighted": stage},
            "data": asdict(self.data),
        }


def _check_columns(history: History, spec: BacktestSpec) -> None:
    known = set(history.columns)
    listed = ", ".join(history.columns)
    if spec.outcome not in known:
        raise Invalid(f"{history.path}: no outcome column {spec.outcome!r}; columns: {listed}.")
    named = [("--id", spec.id_column), ("--stage", spec.stage)]
    named += [("--exclude", c) for c in spec.exclude]
    if isinstance(spec.split, TimeSplit):
        named.append(("--split", spec.split.column))
    for option, column in named:
        if column is not None and column not in known:
            raise Invalid(f"{option}: {history.path} has no column {column!r}; columns: {listed}.")
    if spec.stage == spec.outcome:
        raise Invalid("--stage: the outcome column cannot be the stage (it is the answer).")


def _outcomes(rows: Sequence[Row], spec: BacktestSpec) -> tuple[list[int | None], int, int]:
    """1 win, 0 loss, None left out; with the counts of empty and open outcomes."""
    won, lost = spec.won.strip(), {v.strip() for v in spec.lost}
    labels: list[int | None] = []
    empty = open_ = 0
    for row in rows:
        value = row.get(spec.outcome)
        if is_missing(value):
            labels.append(None)
            empty += 1
        elif category(value) == won:
            labels.append(1)
        elif not lost or category(value) in lost:
            labels.append(0)
        else:
            labels.append(None)
            open_ += 1
    return labels, empty, open_


def _split(
    rows: Sequence[Row], lines: Sequence[int], y: list[int], spec: BacktestSpec
) -> tuple[list[int], list[int], int]:
    """Indexes of the training and test rows, and the rows left out for an empty date."""
    split = spec.split
    if isinstance(split, RandomSplit):
        n_test = math.ceil(split.test_fraction * len(rows))
        if n_test < 2 or len(rows) - n_test < 2:
            raise Invalid(
                f"--split {split.describe()}: {len(rows):,} closed deals leave "
                f"{n_test:,} to test and {len(rows) - n_test:,} to train; each needs at least 2."
            )
        stratify = y if min(y.count(0), y.count(1)) >= 2 else None
        train, test = train_test_split(
            list(range(len(rows))), test_size=n_test, random_state=spec.seed, stratify=stratify
        )
        return sorted(train), sorted(test), 0
    train, test, empty = [], [], 0
    for i, (row, line) in enumerate(zip(rows, lines, strict=True)):
        value = row.get(split.column)
        if is_missing(value):
            empty += 1
            continue
        day = parse_date(value)
        if day is None:
            raise Invalid(
                f"--split: line {line}: {split.column} = {category(value)!r} is not a date "
                "(YYYY-MM-DD)."
            )
        (train if day < split.cutoff else test).append(i)
    for part, side in ((train, "before"), (test, "on or after")):
        if not part:
            raise Invalid(
                f"--split {split.describe()}: no closed deal has {split.column} {side} "
                f"{split.cutoff.isoformat()}; both sides need rows."
            )
    return train, test, empty


def _score(p: Sequence[float], y: Sequence[int], n_train: int) -> MethodScore:
    probabilities, outcomes = [float(v) for v in p], [float(v) for v in y]
    bins = accuracy.calibration_bins(probabilities, outcomes, n_bins=CALIBRATION_BINS)
    return MethodScore(
        auc=accuracy.roc_auc(probabilities, outcomes),
        brier=accuracy.brier_score(probabilities, outcomes),
        log_loss=accuracy.log_loss(probabilities, outcomes),
        calibration=[_bin_dict(b) for b in bins],
        n_train=n_train,
        n_test=len(outcomes),
    )


def _bin_dict(item: accuracy.CalibrationBin) -> dict[str, Any]:
    return asdict(item)


def _stage_of(row: Row, stage: str) -> str:
    value = row.get(stage)
    return EMPTY_STAGE if is_missing(value) else category(value)


def _stage_rates(rows: Sequence[Row], y: Sequence[int], stage: str) -> dict[str, float]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row, outcome in zip(rows, y, strict=True):
        key = _stage_of(row, stage)
        counts[key][0] += outcome
        counts[key][1] += 1
    return {key: wins / total for key, (wins, total) in counts.items()}


def run_backtest(history: History, spec: BacktestSpec) -> BacktestResult:
    _check_columns(history, spec)
    duplicates = duplicate_flags(history.rows, history.columns)
    rows = [r for r, dup in zip(history.rows, duplicates, strict=True) if not dup]
    lines = [n for n, dup in zip(history.lines, duplicates, strict=True) if not dup]
    labels, empty_outcome, open_deals = _outcomes(rows, spec)
    closed = [i for i, label in enumerate(labels) if label is not None]
    rows, lines = [rows[i] for i in closed], [lines[i] for i in closed]
    y = [int(labels[i] or 0) for i in closed]
    train, test, empty_date = _split(rows, lines, y, spec)
    train_rows, test_rows = [rows[i] for i in train], [rows[i] for i in test]
    y_train, y_test = [y[i] for i in train], [y[i] for i in test]
    wins = sum(y_train)
    if wins == 0:
        raise Invalid(f"No wins ({spec.outcome} = {spec.won!r}) in the training part.")
    if wins == len(y_train):
        raise Invalid(f"No losses ({spec.outcome} other than {spec.won!r}) in the training part.")
    never = {spec.outcome: "outcome"}
    never |= {c: "excluded" for c in spec.exclude}
    if spec.id_column:
        never[spec.id_column] = "id column"
    if isinstance(spec.split, TimeSplit):
        never.setdefault(spec.split.column, "time-split column")
    model = train_win_model(
        train_rows, [bool(v) for v in y_train], never=never, columns=history.columns,
        seed=spec.seed,
    )  # fmt: skip
    n_train = len(train_rows)
    base = wins / n_train
    stage_score = None
    if spec.stage is not None:
        rates = _stage_rates(train_rows, y_train, spec.stage)
        stage_p = [rates.get(_stage_of(r, spec.stage), base) for r in test_rows]
        stage_score = _score(stage_p, y_test, n_train)
    report = model.report
    data = DataReport(
        rows=len(history.rows),
        duplicates_removed=sum(duplicates),
        empty_outcome_left_out=empty_outcome,
        open_left_out=open_deals,
        empty_split_date_left_out=empty_date,
        train_wins=wins,
        train_losses=n_train - wins,
        test_wins=sum(y_test),
        test_losses=len(y_test) - sum(y_test),
        split=spec.split.describe(),
        calibration=report.calibration,
        features=[{"column": c.name, "kind": str(c.kind)} for c in report.features],
        dropped_columns=[{"column": d.column, "reason": d.reason} for d in report.dropped],
    )
    return BacktestResult(
        model=_score(model.predict(test_rows).tolist(), y_test, n_train),
        base_rate=_score(np.full(len(test_rows), base).tolist(), y_test, n_train),
        stage_weighted=stage_score,
        data=data,
    )
