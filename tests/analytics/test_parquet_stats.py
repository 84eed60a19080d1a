"""What Parquet statistics prove (checks skipped, deal ranges), and that nothing changes by it."""

from __future__ import annotations

import itertools
import math
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.analytics.test_discount_report import assert_same_report
from tests.analytics.test_engine import line
from valuescout.analytics import engine, parquet_stats
from valuescout.analytics.lines import LinesRefused, open_lines
from valuescout.analytics.parquet_stats import Chunk, FileStats
from valuescout.analytics.schema import NAMES, REQUIRED


def write(path: Path, rows: list[dict[str, Any]], group: int | None = None) -> Path:
    """Typed Parquet (dates as DATE, numbers as DOUBLE), ``group`` rows per row group."""
    numbers = ("quantity", "list_price", "invoice_price", "unit_cost", "off_invoice")
    schema = pa.schema(
        [
            (
                n,
                pa.date32()
                if n == "invoice_date"
                else pa.float64()
                if n in numbers
                else pa.string(),
            )
            for n in NAMES
        ]
    )
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), path, row_group_size=group)
    return path


def test_a_clean_typed_file_is_proven_by_its_statistics(tmp_path: Path) -> None:
    rows = [line(i, customer_id=f"C{i % 4}", opportunity_id=f"O{i // 2}") for i in range(20)]
    f = open_lines(write(tmp_path / "l.parquet", rows))
    assert set(REQUIRED) <= set(f.proven) and "currency" in f.proven
    assert f.rows == 20 and f.bad_rows == 0
    (total,) = engine.group_by(f.con, []).rows
    assert total["lines"] == 20 and total["list_revenue"] == 2000.0


@pytest.mark.parametrize(
    ("change", "column", "message"),
    [
        ({"list_price": math.nan}, "list_price", "not a finite number"),  # stats leave NaN out
        ({"invoice_price": 1001.0}, "invoice_price", "more than 10 times the list price"),
        ({"rep_id": "   "}, "rep_id", "missing"),
        ({"currency": "US"}, "currency", "three-letter"),
    ],
)
def test_what_statistics_cannot_prove_is_still_checked_by_row(
    tmp_path: Path, change: dict[str, Any], column: str, message: str
) -> None:
    rows = [line(i) for i in range(6)]
    rows[4].update(change)
    with pytest.raises(LinesRefused) as caught:
        open_lines(write(tmp_path / "l.parquet", rows))
    (problem,) = caught.value.problems
    assert (problem.line, problem.column, problem.unit) == (5, column, "row")
    assert message in problem.message
    f = open_lines(tmp_path / "l.parquet", on_bad="exclude")
    assert f.bad_rows == 1 and engine.group_by(f.con, []).rows[0]["lines"] == 5


def test_spaces_at_the_ends_of_text_are_trimmed(tmp_path: Path) -> None:
    rows = [line(1, rep_id="R1"), line(2, rep_id="R1 "), line(3, rep_id=" R1"), line(4, region="")]
    rows[3]["approver_id"] = "  "
    f = open_lines(write(tmp_path / "l.parquet", rows), on_bad="exclude")
    assert "rep_id" not in f.proven and f.bad_rows == 1  # the blank region
    reps = engine.group_by(f.con, ["rep"]).rows
    assert [(r["rep_id"], r["lines"]) for r in reps] == [("R1", 3)]
    assert f.con.execute("SELECT count(approver_id) FROM lines").fetchone() == (0,)


def chunk(low: str | None, high: str | None, rows: int = 10, nulls: int = 0) -> Chunk:
    return Chunk(rows, nulls, None, low, high)


@pytest.mark.parametrize(
    ("chunks", "found"),
    [
        ([chunk("O1", "O3"), chunk("O4", "O6"), chunk("O7", "O9")], True),
        ([chunk("O1", "O3"), chunk(None, None, nulls=10), chunk("O4", "O6")], True),
        ([chunk("O1", "O4"), chunk("O4", "O6")], False),  # O4 in both
        ([chunk("O4", "O6"), chunk("O1", "O3")], False),  # not in rising order
        ([chunk("O1", "O5"), chunk("O5 ", "O6")], False),  # "O5 " is "O5" once trimmed
        ([chunk(" O6", "O3"), chunk("O4", "O6")], False),  # " O6" is "O6"
        ([chunk("O1", "O3"), chunk(None, None)], False),  # values without statistics
    ],
)
def test_deal_ranges_need_rising_disjoint_plain_bounds(chunks: list[Chunk], found: bool) -> None:
    stats = FileStats([10] * len(chunks), {"opportunity_id": chunks})
    ranges = parquet_stats.deal_ranges(stats, "VARCHAR", chunks, rows=10)
    assert (ranges is not None) == found
    if ranges:
        assert ranges[0][0] == 0 and ranges[-1][1] == 10 * len(chunks)
        assert all(a[1] == b[0] for a, b in itertools.pairwise(ranges))


def test_integer_opportunities_compare_as_numbers() -> None:
    chunks = [chunk("9", "10"), chunk("11", "100")]  # as text "11" < "9"
    stats = FileStats([10, 10], {"opportunity_id": chunks})
    assert parquet_stats.deal_ranges(stats, "BIGINT", chunks, rows=10) == [(0, 10), (10, 20)]


def deal_rows(count: int, seed: int, sorted_deals: bool = True) -> list[dict[str, Any]]:
    rng = __import__("random").Random(seed)
    rows = []
    for i in range(count):
        deal = i // 3 if sorted_deals else rng.randrange(count // 3)
        lp = rng.choice([5.0, 40.0, 90.0, 300.0])
        rows.append(
            line(
                i,
                rep_id=f"R{rng.randrange(4)}",
                customer_id=f"C{rng.randrange(6)}",
                segment=rng.choice(["smb", "ent"]),
                deal_type=rng.choice(["new", "renewal"]),
                quantity=float(rng.randrange(1, 40)),
                list_price=lp,
                invoice_price=round(lp * rng.uniform(0.6, 1.0), 2),
                opportunity_id=None if rng.random() < 0.1 else f"O{deal:05d}",
                approver_id=rng.choice([None, "A1", "A2"]),
            )
        )
    return rows


def test_the_report_adds_up_range_by_range(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parquet_stats, "DEAL_RANGE_ROWS", 50)
    rows = deal_rows(300, seed=1)
    rows[7]["quantity"] = -1.0  # a bad row, left out of both views
    f = open_lines(write(tmp_path / "l.parquet", rows, group=30), on_bad="exclude")
    assert f.bad_rows == 1
    assert f.deal_ranges == [(0, 60), (60, 120), (120, 180), (180, 240), (240, 300)]
    report = engine.discount_report(f.con)
    assert report.total.rows[0]["lines"] == 299
    assert_same_report(report, f.con)
    # Deals spread over the whole file: no ranges, one query, the same report.
    g = open_lines(write(tmp_path / "m.parquet", deal_rows(300, 2, False), group=30))
    assert g.deal_ranges == []
    assert_same_report(engine.discount_report(g.con, actor="approver"), g.con, actor="approver")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    count=st.integers(10, 120),
    group=st.integers(1, 13).map(lambda k: 3 * k),  # a deal is 3 rows: never split
    seed=st.integers(0, 10_000),
    filter_on=st.one_of(st.none(), st.sampled_from(["rep", "segment"])),
)
def test_ranges_give_the_one_query_report(
    count: int, group: int, seed: int, filter_on: str | None
) -> None:
    rows = deal_rows(count, seed)
    filters = (
        {filter_on: rows[0]["rep_id" if filter_on == "rep" else "segment"]} if filter_on else None
    )
    with tempfile.TemporaryDirectory() as tmp:
        old = parquet_stats.DEAL_RANGE_ROWS
        parquet_stats.DEAL_RANGE_ROWS = group
        try:
            f = open_lines(write(Path(tmp) / "l.parquet", rows, group=group))
        finally:
            parquet_stats.DEAL_RANGE_ROWS = old
        assert bool(f.deal_ranges) == (count > group)
        report = engine.discount_report(f.con, filters=filters)
        assert_same_report(report, f.con, filters=filters)
        f.con.close()


def test_dates_outside_the_range_are_still_found(tmp_path: Path) -> None:
    rows = [line(i) for i in range(4)]
    rows[2]["invoice_date"] = date(1850, 1, 1)
    with pytest.raises(LinesRefused) as caught:
        open_lines(write(tmp_path / "l.parquet", rows))
    assert caught.value.problems[0].line == 3
    assert caught.value.problems[0].column == "invoice_date"
