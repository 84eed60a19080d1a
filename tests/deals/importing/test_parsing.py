"""Pure pieces: amounts, quantities, dates, stage names, file headers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from valuescout.deals.importing import maven
from valuescout.deals.importing.parsing import DateReader, parse_money, parse_quantity
from valuescout.deals.importing.presets import value_key
from valuescout.deals.importing.readers import ReadError, SourceFile, open_csv


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12500", (Decimal("12500.00"), None)),
        (" 99.995 ", (Decimal("100.00"), None)),
        ("USD 12,500.00", (Decimal("12500.00"), "USD")),
        ("1,234,567.5 eur", (Decimal("1234567.50"), "EUR")),
        ("$12,500", (Decimal("12500.00"), None)),
        ("0", (Decimal("0.00"), None)),
    ],
)
def test_amounts(text: str, expected: tuple[Decimal, str | None]) -> None:
    assert parse_money(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("-1", "amount must not be negative ('-1')"),
        ("(1,000.00)", "amount must not be negative"),
        ("12,50", "a decimal comma is not read"),
        ("1.000,50", "a decimal comma is not read"),
        ("abc", "'abc' is not a number like 12500.00"),
        ("NaN", "is not a number"),
        ("Infinity", "is not a number"),
        ("1e20", "is too large"),
    ],
)
def test_bad_amounts(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_money(text)


@given(st.decimals(min_value=0, max_value=Decimal("9999999999999999.99"), places=2))
def test_any_amount_in_range_reads_back_exactly(value: Decimal) -> None:
    assert parse_money(str(value)) == (value, None)
    assert parse_money(f"{value:,}") == (value, None)


def test_quantities() -> None:
    assert parse_quantity("2.5") == Decimal("2.500")
    for text, message in (("-1", "negative"), ("0", "more than 0"), ("x", "not a number")):
        with pytest.raises(ValueError, match=message):
            parse_quantity(text)


def test_dates_in_each_preset_form() -> None:
    assert DateReader(("%Y-%m-%d",))("2024-03-05") == date(2024, 3, 5)
    us = DateReader(("%m/%d/%Y", "%Y-%m-%d"))
    assert us("3/5/2024") == us("2024-03-05") == date(2024, 3, 5)
    hubspot = DateReader(("%Y-%m-%d %H:%M", "%Y-%m-%d"))
    assert hubspot("2024-03-05 10:00") == date(2024, 3, 5)
    assert DateReader(("%d.%m.%Y",))("05.03.2024") == date(2024, 3, 5)
    for bad in ("2024-02-30", "13/1/2024", "3/5/24", "2024-3-5 10", ""):
        with pytest.raises(ValueError):
            us(bad)


def test_stage_names_match_ignoring_case_spaces_and_punctuation() -> None:
    assert value_key("Closed Won") == value_key("closedwon") == "closedwon"
    assert value_key("Proposal/Price Quote") == "proposalpricequote"


def test_maven_files_are_recognised_by_their_header() -> None:
    assert (
        maven.kind_of(
            [
                "account",
                "sector",
                "year_established",
                "revenue",
                "employees",
                "office_location",
                "subsidiary_of",
            ]
        )
        == maven.ACCOUNTS
    )
    assert maven.kind_of(["manager", "sales_agent", "regional_office"]) == maven.TEAMS
    assert maven.kind_of(["product", "series"]) is None


def test_reader_line_numbers_count_quoted_line_breaks(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(b'\xef\xbb\xbfa,b\r\n1,"two\r\nlines"\r\n\r\n3,4\r\n')
    f = open_csv(SourceFile(path))
    try:
        assert f.header == ["a", "b"]  # the byte-order mark is not part of the name
        assert list(f.rows()) == [(2, ["1", "two\r\nlines"]), (5, ["3", "4"])]
    finally:
        f.close()
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(ReadError, match="The file is empty"):
        open_csv(SourceFile(empty))
