"""Reading a CRM export's cells and columns: missing, numbers, dates, ids, one-value columns."""

from __future__ import annotations

import math
from datetime import date, datetime

import pytest

from valuescout.forecasting.tabular import (
    Column,
    Dropped,
    Kind,
    duplicate_flags,
    infer_kind,
    is_id_name,
    is_missing,
    parse_date,
    parse_number,
    profile_columns,
)


@pytest.mark.parametrize("value", [None, "", "   ", math.nan])
def test_only_empty_cells_are_missing(value: object) -> None:
    assert is_missing(value)


@pytest.mark.parametrize("value", ["None", "N/A", "null", "NULL", "-", "0", 0, False])
def test_crm_placeholders_are_values(value: object) -> None:
    assert not is_missing(value)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("1", 1.0),
        (" 7 ", 7.0),
        ("-1,200", -1200.0),
        ("$1,234,567.89", 1234567.89),
        ("-$5", -5.0),
        ("€-5", -5.0),
        ("£0.5", 0.5),
        (".5", 0.5),
        ("1e3", 1000.0),
        (3, 3.0),
        (2.5, 2.5),
    ],
)
def test_numbers(text: object, number: float) -> None:
    assert parse_number(text) == number


@pytest.mark.parametrize(
    "text", ["1,5", "1,23", "12%", "1.2.3", "+-5", "$", "-", "NaN", "inf", "1e999", "abc", True]
)
def test_not_numbers(text: object) -> None:
    assert parse_number(text) is None


def test_dates() -> None:
    assert parse_date("2017-03-01") == date(2017, 3, 1)
    assert parse_date(" 2017-03-01T10:00:00Z ") == date(2017, 3, 1)
    assert parse_date("2017-03-01 10:00:00") == date(2017, 3, 1)
    assert parse_date(datetime(2017, 3, 1, 9)) == date(2017, 3, 1)
    for text in ("2017-13-01", "1/3/2017", "2017-3-1", "20170301", "soon"):
        assert parse_date(text) is None


@pytest.mark.parametrize(
    ("name", "is_id"),
    [
        ("id", True),
        ("ID", True),
        ("opportunity_id", True),
        ("Account ID", True),
        ("account.id", True),
        ("AccountId", True),
        ("userID", True),
        ("paid", False),
        ("valid", False),
        ("Idea", False),
        ("identity", False),
    ],
)
def test_id_names(name: str, is_id: bool) -> None:
    assert is_id_name(name) is is_id


def test_kinds() -> None:
    assert infer_kind(["1", "", "$2,000", None]) == Kind.NUMERIC
    assert infer_kind(["1", "None"]) == Kind.CATEGORICAL
    assert infer_kind(["2017-01-01", "", "2017-02-01T00:00"]) == Kind.DATE
    assert infer_kind(["2017-01-01", "N/A"]) == Kind.CATEGORICAL
    assert infer_kind(["", None]) == Kind.CATEGORICAL
    assert infer_kind([True, False]) == Kind.CATEGORICAL


def test_profile_drops_ids_one_value_and_the_never_columns() -> None:
    rows = [
        {"deal_id": "7", "code": f"X{i}", "amount": str(i), "one": "a", "blank": "", "kind": k}
        for i, k in enumerate(["A", "B", "None", "A"])
    ]
    profile = profile_columns(rows, list(rows[0]), never={"kind": "outcome"})
    assert profile.features == (Column("amount", Kind.NUMERIC),)
    assert profile.dropped == (
        Dropped("deal_id", "id-like name"),
        Dropped("code", "id-like: every value differs"),
        Dropped("one", "one value"),
        Dropped("blank", "one value"),
        Dropped("kind", "outcome"),
    )
    # A value and an empty cell are two values; a distinct date column is not an id.
    rows = [{"flag": "yes", "day": "2017-01-01"}, {"flag": "", "day": "2017-01-02"}]
    assert profile_columns(rows, ["flag", "day"]).features == (
        Column("flag", Kind.CATEGORICAL),
        Column("day", Kind.DATE),
    )


def test_duplicate_flags_keep_the_first_copy() -> None:
    rows = [{"a": "1", "b": "x"}, {"a": "1", "b": "x "}, {"a": "1", "b": "y"}, {"a": "1"}]
    assert duplicate_flags(rows, ["a", "b"]) == [False, True, False, False]
    assert duplicate_flags([{"a": ""}, {"a": None}], ["a"]) == [False, True]
