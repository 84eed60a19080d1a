"""Turning a table's feature columns into numbers a linear model can weigh, fitted on the
training rows and applied unchanged to any later rows. Pure: numpy only.

* **Numeric** columns are standardised (training mean and standard deviation). A column that
  is never negative and skewed to the right (sample skewness above 1 and the log's skewness
  smaller in size, as deal amounts often are) is taken as log(1 + x) first. Values beyond 5
  standard deviations are clipped to 5, so one odd deal cannot swing its score without bound.
  Missing values take the training mean and, when the training rows had missing values, a 0/1
  "missing" indicator.
  At scoring time a value that is not a number counts as missing.
* **Date** columns give three numbers: the age in days relative to the latest training date
  (negative: earlier; standardised; a trend) and the sine and cosine of the day of the year
  (the season); plus a missing indicator as above. A value that is not a date counts as
  missing.
* **Categorical** columns are one-hot encoded over their most frequent levels (at most
  `max_levels`, each seen at least `min_count` times); every other level, and any level first
  seen at scoring time, shares one "(other)" column. An empty cell is the level "(empty)".
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

import numpy as np
import numpy.typing as npt

from valuescout.forecasting.tabular import (
    Column,
    Kind,
    Row,
    category,
    is_missing,
    parse_date,
    parse_number,
)

Matrix = npt.NDArray[np.float64]
_T = TypeVar("_T")
EMPTY = "(empty)"
OTHER = "(other)"
CLIP = 5.0
MAX_LEVELS = 30
MIN_COUNT = 3
SKEWED = 1.0


class ColumnEncoder(Protocol):
    column: str

    @property
    def names(self) -> tuple[str, ...]: ...

    def transform(self, values: Sequence[Any]) -> Matrix: ...

    def describe(self, value: Any) -> str: ...

    def describe_all(self, values: Sequence[Any]) -> list[str]: ...


def _memoised(values: Sequence[Any], function: Callable[[Any], _T]) -> list[_T]:
    """`function` of each value, computed once per distinct value (cells repeat a lot)."""
    memo: dict[Any, _T] = {}
    out: list[_T] = []
    for value in values:
        try:
            out.append(memo[value])
        except KeyError:
            out.append(memo.setdefault(value, function(value)))
    return out


def _standardise(x: Matrix, mean: float, scale: float) -> Matrix:
    z: Matrix = np.clip((x - mean) / scale, -CLIP, CLIP)
    return z


def _mean_scale(x: Matrix) -> tuple[float, float]:
    if x.size == 0:
        return 0.0, 1.0
    scale = float(x.std())
    return float(x.mean()), scale if scale > 0 else 1.0


@dataclass
class NumericEncoder:
    column: str
    log: bool
    mean: float
    scale: float
    indicator: bool

    @classmethod
    def fit(cls, column: str, values: Sequence[Any]) -> NumericEncoder:
        raw = _numbers(values)
        present = raw[~np.isnan(raw)]
        log = bool(present.size and present.min() >= 0 and _long_tailed(present))
        mean, scale = _mean_scale(np.log1p(present) if log else present)
        return cls(column, log, mean, scale, bool(np.isnan(raw).any()))

    @property
    def names(self) -> tuple[str, ...]:
        base = f"log(1 + {self.column})" if self.log else self.column
        return (base, f"{self.column} is empty") if self.indicator else (base,)

    def transform(self, values: Sequence[Any]) -> Matrix:
        raw = _numbers(values)
        missing = np.isnan(raw)
        if self.log:
            raw = np.log1p(np.maximum(raw, 0.0))
        z = _standardise(np.where(missing, self.mean, raw), self.mean, self.scale)
        columns = [z, missing.astype(np.float64)] if self.indicator else [z]
        return np.column_stack(columns)

    def describe(self, value: Any) -> str:
        return EMPTY if is_missing(value) else category(value)

    def describe_all(self, values: Sequence[Any]) -> list[str]:
        return [_level(v) for v in values]


def _numbers(values: Sequence[Any]) -> Matrix:
    parsed = (parse_number(v) for v in values)
    return np.fromiter((math.nan if p is None else p for p in parsed), np.float64, len(values))


def _skewness(x: Matrix) -> float:
    scale = float(x.std())
    return float(np.mean(((x - x.mean()) / scale) ** 3)) if scale > 0 else 0.0


def _long_tailed(present: Matrix) -> bool:
    skew = _skewness(present)
    return skew > SKEWED and abs(_skewness(np.log1p(present))) < abs(skew)


@dataclass
class DateEncoder:
    column: str
    reference: int  # the latest training date, as a proleptic ordinal
    mean: float
    scale: float
    indicator: bool

    @classmethod
    def fit(cls, column: str, values: Sequence[Any]) -> DateEncoder:
        ordinals = _ordinals(values)
        present = ordinals[~np.isnan(ordinals)]
        reference = int(present.max()) if present.size else 0
        mean, scale = _mean_scale(present - reference)
        return cls(column, reference, mean, scale, bool(np.isnan(ordinals).any()))

    @property
    def names(self) -> tuple[str, ...]:
        names = (f"{self.column} age", f"{self.column} season sin", f"{self.column} season cos")
        return (*names, f"{self.column} is empty") if self.indicator else names

    def transform(self, values: Sequence[Any]) -> Matrix:
        ordinals = _ordinals(values)
        missing = np.isnan(ordinals)
        days = np.where(missing, self.mean, ordinals - self.reference)
        # Ordinal 1 is 0001-01-01; the year's phase from the ordinal is exact enough for a season.
        phase = 2 * math.pi * np.where(missing, 0.0, ordinals) / 365.2425
        sin = np.where(missing, 0.0, np.sin(phase))
        cos = np.where(missing, 0.0, np.cos(phase))
        columns = [_standardise(days, self.mean, self.scale), sin, cos]
        if self.indicator:
            columns.append(missing.astype(np.float64))
        return np.column_stack(columns)

    def describe(self, value: Any) -> str:
        parsed = parse_date(value)
        return EMPTY if parsed is None else parsed.isoformat()

    def describe_all(self, values: Sequence[Any]) -> list[str]:
        return _memoised(values, self.describe)


def _ordinals(values: Sequence[Any]) -> Matrix:
    parsed = (parse_date(v) for v in values)
    return np.fromiter(
        (math.nan if d is None else float(d.toordinal()) for d in parsed), np.float64, len(values)
    )


@dataclass
class CategoricalEncoder:
    column: str
    levels: tuple[str, ...]  # kept levels; the last column is OTHER

    @classmethod
    def fit(
        cls,
        column: str,
        values: Sequence[Any],
        max_levels: int = MAX_LEVELS,
        min_count: int = MIN_COUNT,
    ) -> CategoricalEncoder:
        counts = Counter(_level(v) for v in values)
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        kept = [level for level, n in ranked if n >= min_count][:max_levels]
        return cls(column, tuple(kept))

    @property
    def names(self) -> tuple[str, ...]:
        return (*(f"{self.column} = {level}" for level in self.levels), f"{self.column} = {OTHER}")

    def transform(self, values: Sequence[Any]) -> Matrix:
        index = {level: i for i, level in enumerate(self.levels)}
        other = len(self.levels)
        found = _memoised(values, lambda v: index.get(_level(v), other))
        codes = np.fromiter(found, np.intp, len(values))
        out = np.zeros((len(values), other + 1))
        out[np.arange(len(values)), codes] = 1.0
        return out

    def describe(self, value: Any) -> str:
        level = _level(value)
        return level if level in self.levels else f"{level} {OTHER}"

    def describe_all(self, values: Sequence[Any]) -> list[str]:
        return _memoised(values, self.describe)


def _level(value: Any) -> str:
    if type(value) is str:  # the common case, fast: a CSV cell
        return value.strip() or EMPTY
    return EMPTY if is_missing(value) else category(value)


@dataclass
class TableEncoder:
    """The fitted encoders of a table's feature columns, side by side."""

    encoders: tuple[ColumnEncoder, ...]

    @classmethod
    def fit(
        cls, rows: Sequence[Row], features: Sequence[Column], max_levels: int = MAX_LEVELS
    ) -> TableEncoder:
        encoders: list[ColumnEncoder] = []
        for feature in features:
            values = [row.get(feature.name) for row in rows]
            if feature.kind == Kind.NUMERIC:
                encoders.append(NumericEncoder.fit(feature.name, values))
            elif feature.kind == Kind.DATE:
                encoders.append(DateEncoder.fit(feature.name, values))
            else:
                encoders.append(CategoricalEncoder.fit(feature.name, values, max_levels))
        return cls(tuple(encoders))

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(e.column for e in self.encoders)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name for e in self.encoders for name in e.names)

    def groups(self) -> list[slice]:
        """For each original column, the slice of encoded columns it became."""
        out: list[slice] = []
        start = 0
        for encoder in self.encoders:
            out.append(slice(start, start + len(encoder.names)))
            start += len(encoder.names)
        return out

    def cells(self, rows: Sequence[Row]) -> list[list[Any]]:
        """Each feature column's cells, in the order of the encoders."""
        return [[row.get(e.column) for row in rows] for e in self.encoders]

    def transform(self, rows: Sequence[Row]) -> Matrix:
        return self.transform_cells(self.cells(rows), len(rows))

    def transform_cells(self, cells: Sequence[Sequence[Any]], count: int) -> Matrix:
        if not self.encoders:
            return np.zeros((count, 0))
        return np.hstack([e.transform(c) for e, c in zip(self.encoders, cells, strict=True)])
