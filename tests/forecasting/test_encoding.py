"""Encoding a table's columns for the win model: top levels + other, skewed numbers on a log
scale, clipping, missing indicators, dates as age and season."""

from __future__ import annotations

import numpy as np
import pytest

from valuescout.forecasting.encoding import (
    CategoricalEncoder,
    DateEncoder,
    NumericEncoder,
    TableEncoder,
)
from valuescout.forecasting.tabular import Column, Kind


def test_high_cardinality_keeps_the_most_frequent_levels() -> None:
    values = ["A"] * 50 + ["B"] * 40 + ["None"] * 30 + [f"rare{i}" for i in range(100)] + [""] * 5
    encoder = CategoricalEncoder.fit("account", values, max_levels=3, min_count=3)
    assert encoder.levels == ("A", "B", "None")  # "(empty)" seen 5 times: past the top 3
    x = encoder.transform(["A", "rare7", "", "brand new", " B "])
    assert x.tolist() == [
        [1, 0, 0, 0],
        [0, 0, 0, 1],
        [0, 0, 0, 1],
        [0, 0, 0, 1],
        [0, 1, 0, 0],
    ]
    assert encoder.names[-1] == "account = (other)"
    assert encoder.describe_all(["A", "rare7", "", "A"]) == [
        "A", "rare7 (other)", "(empty) (other)", "A",
    ]  # fmt: skip


def test_numbers_skewed_log_clipped_and_missing() -> None:
    rng = np.random.default_rng(3)
    amounts = [f"${v:,.2f}" for v in rng.lognormal(10, 1.2, 2000)] + ["", ""]
    encoder = NumericEncoder.fit("amount", amounts)
    assert encoder.log and encoder.indicator
    assert encoder.names == ("log(1 + amount)", "amount is empty")
    x = encoder.transform(["$1e12", "", "lots", "22026"])
    assert x[0, 0] == 5.0  # clipped at 5 standard deviations
    assert x[1].tolist() == [0.0, 1.0] and x[2].tolist() == [0.0, 1.0]  # not a number: missing
    assert abs(x[3, 0]) < 0.2 and x[3, 1] == 0.0
    symmetric = NumericEncoder.fit("noise", [str(v) for v in rng.normal(0, 1, 500)])
    assert not symmetric.log and not symmetric.indicator and symmetric.names == ("noise",)


def test_dates_age_and_season() -> None:
    encoder = DateEncoder.fit("created", ["2017-01-01", "2017-07-02", "2017-12-31", ""])
    assert encoder.names == (
        "created age", "created season sin", "created season cos", "created is empty",
    )  # fmt: skip
    x = encoder.transform(["2017-12-31", "2016-12-31", "", "never"])
    assert x[0, 0] > x[1, 0]  # the later date is younger relative to the reference
    assert x[0, 1:3] == pytest.approx(x[1, 1:3], abs=0.02)  # one year apart: same season
    assert x[2].tolist() == x[3].tolist() == [0.0, 0.0, 0.0, 1.0]
    assert encoder.describe_all(["2017-01-05T10:00", ""]) == ["2017-01-05", "(empty)"]


def test_table_groups_map_columns_to_encoded_slices() -> None:
    rows = [{"p": "A", "n": "1"}, {"p": "B", "n": "2"}, {"p": "A", "n": ""}] * 3
    table = TableEncoder.fit(rows, [Column("p", Kind.CATEGORICAL), Column("n", Kind.NUMERIC)])
    assert table.names == ("p = A", "p = B", "p = (other)", "n", "n is empty")
    assert table.groups() == [slice(0, 3), slice(3, 5)]
    assert table.transform(rows).shape == (9, 5)
    assert TableEncoder(()).transform(rows).shape == (9, 0)
