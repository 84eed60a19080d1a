"""The engine over transaction-line files, against plain Python over the same lines."""

from __future__ import annotations

import csv
import math
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import CONFIGURED_PG_URL
from valuescout.analytics import concentration as conc
from valuescout.analytics import definitions as defs
from valuescout.analytics import engine
from valuescout.analytics.lines import LineFile, open_lines
from valuescout.analytics.outliers import OutlierLine, cell_sums_from_lines
from valuescout.analytics.schema import COLUMNS, NAMES
from valuescout.analytics.waterfall import pocket_band
from valuescout.core.db import make_engine

BENCH = Path(__file__).resolve().parents[2] / "bench"


def line(i: int, **values: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "line_id": f"L{i}",
        "invoice_date": date(2024, 3, 5),
        "customer_id": "C1",
        "product_id": "P1",
        "rep_id": "R1",
        "manager_id": "M1",
        "region": "North",
        "segment": "smb",
        "deal_type": "new",
        "quantity": 1.0,
        "list_price": 100.0,
        "invoice_price": 100.0,
        "unit_cost": 50.0,
        "off_invoice": 0.0,
        "approver_id": None,
        "opportunity_id": None,
        "territory": None,
        "currency": "USD",
    }
    row.update(values)
    return row


def write(path: Path, rows: list[dict[str, Any]]) -> Path:
    """Parquet, or CSV when the name ends in .csv (None -> empty cell)."""
    if path.suffix == ".csv":
        with path.open("w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=list(NAMES))
            writer.writeheader()
            for row in rows:
                writer.writerow({k: "" if v is None else str(v) for k, v in row.items()})
        return path
    schema = pa.schema(
        [
            (name, pa.date32() if name == "invoice_date" else pa.float64())
            if name in ("invoice_date", "quantity", "list_price", "invoice_price")
            or name in ("unit_cost", "off_invoice")
            else (name, pa.string())
            for name in NAMES
        ]
    )
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), path)
    return path


def opened(path: Path, rows: list[dict[str, Any]]) -> LineFile:
    return open_lines(write(path, rows))


# --- the independent reference --------------------------------------------------------------

KEY: dict[str, Callable[[dict[str, Any]], Any]] = {
    "rep": lambda r: r["rep_id"],
    "manager": lambda r: r["manager_id"],
    "approver": lambda r: r["approver_id"],
    "customer": lambda r: r["customer_id"],
    "region": lambda r: r["region"],
    "territory": lambda r: r["territory"],
    "segment": lambda r: r["segment"],
    "product": lambda r: r["product_id"],
    "deal_type": lambda r: r["deal_type"],
    "opportunity": lambda r: r["opportunity_id"],
    "currency": lambda r: r["currency"],
    "month": lambda r: f"{r['invoice_date'].year}-{r['invoice_date'].month:02d}",
    "quarter": lambda r: f"{r['invoice_date'].year}-Q{(r['invoice_date'].month - 1) // 3 + 1}",
}


def reference(
    rows: list[dict[str, Any]], dims: list[str], filters: dict[str, Any] | None = None
) -> dict[tuple[Any, ...], dict[str, Any]]:
    """Every measure per group, summed line by line in plain Python."""
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        if all(KEY[k](r) == v for k, v in (filters or {}).items()):
            groups[tuple(KEY[d](r) for d in dims)].append(r)
    if not dims and not groups:
        groups[()] = []
    out = {}
    for key, members in groups.items():
        lst = math.fsum(r["quantity"] * r["list_price"] for r in members)
        inv = math.fsum(r["quantity"] * r["invoice_price"] for r in members)
        off = math.fsum(r["off_invoice"] for r in members)
        cost = math.fsum(r["quantity"] * r["unit_cost"] for r in members)
        pocket = inv - off
        out[key] = {
            "lines": len(members),
            "quantity": math.fsum(r["quantity"] for r in members),
            "list_revenue": lst,
            "invoice_revenue": inv,
            "discount": lst - inv,
            "discount_rate": (lst - inv) / lst if lst else None,
            "price_realisation": inv / lst if lst else None,
            "off_invoice": off,
            "pocket_revenue": pocket,
            "cost": cost,
            "pocket_margin": pocket - cost,
            "pocket_margin_pct": (pocket - cost) / pocket if pocket else None,
        }
    return out


def assert_matches(got: engine.Grouped, want: dict[tuple[Any, ...], dict[str, Any]]) -> None:
    by_key = {tuple(row[k] for k in got.keys): row for row in got.rows}
    assert set(by_key) == set(want)
    for key, expected in want.items():
        row = by_key[key]
        for m in defs.MEASURES:
            value, ref = row[m.name], expected[m.name]
            if ref is None or (m.kind == "rate" and abs(ref) > 1e6):
                # A pocket revenue of ~0 in floats: the ratio is undefined or meaningless.
                continue
            if m.kind == "money":
                assert value == pytest.approx(ref, rel=1e-9, abs=0.0051), (key, m.name)
            else:
                assert value == pytest.approx(ref, rel=1e-9, abs=1e-9), (key, m.name)
    discounts = [row["discount"] for row in got.rows]
    assert discounts == sorted(discounts, reverse=True)


# --- a hand-worked example -------------------------------------------------------------------

HAND = [
    # rep A: list 200, invoice 180, off 5, cost 80  -> pocket 175, margin 95
    line(1, rep_id="A", quantity=2.0, list_price=100.0, invoice_price=90.0, unit_cost=40.0,
         off_invoice=5.0, invoice_date=date(2024, 3, 31)),
    # rep A: list 50, invoice 50, off 0, cost 30 -> pocket 50, margin 20
    line(2, rep_id="A", quantity=1.0, list_price=50.0, invoice_price=50.0, unit_cost=30.0,
         invoice_date=date(2024, 4, 1), approver_id="X"),
    # rep B: list 100, invoice 70, off 3, cost 50 -> pocket 67, margin 17
    line(3, rep_id="B", quantity=10.0, list_price=10.0, invoice_price=7.0, unit_cost=5.0,
         off_invoice=3.0, invoice_date=date(2024, 4, 2), region="South"),
]  # fmt: skip


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_hand_worked_example_by_rep(tmp_path: Path, suffix: str) -> None:
    f = opened(tmp_path / f"hand{suffix}", HAND)
    got = engine.group_by(f.con, ["rep"])
    assert got.keys == ["rep_id"]
    b, a = got.rows  # B gave the larger discount (30 against 20)
    assert b == {
        "rep_id": "B", "lines": 1, "quantity": 10.0, "list_revenue": 100.0,
        "invoice_revenue": 70.0, "discount": 30.0, "discount_rate": pytest.approx(0.3),
        "price_realisation": pytest.approx(0.7), "off_invoice": 3.0, "pocket_revenue": 67.0,
        "cost": 50.0, "pocket_margin": 17.0, "pocket_margin_pct": pytest.approx(17 / 67),
    }  # fmt: skip
    assert a["rep_id"] == "A" and a["lines"] == 2 and a["list_revenue"] == 250.0
    assert a["discount"] == 20.0 and a["discount_rate"] == pytest.approx(0.08)
    assert a["pocket_revenue"] == 225.0 and a["pocket_margin"] == 115.0
    assert a["pocket_margin_pct"] == pytest.approx(115 / 225)
    (total,) = engine.group_by(f.con, []).rows
    assert total["discount"] == 50.0 and total["discount_rate"] == pytest.approx(50 / 350)


def test_month_quarter_and_null_keys(tmp_path: Path) -> None:
    f = opened(tmp_path / "hand.parquet", HAND)
    months = {r["month"]: r["lines"] for r in engine.group_by(f.con, ["month"]).rows}
    assert months == {"2024-03": 1, "2024-04": 2}
    quarters = {r["quarter"]: r["discount"] for r in engine.group_by(f.con, ["quarter"]).rows}
    assert quarters == {"2024-Q1": 20.0, "2024-Q2": 30.0}
    approvers = {r["approver_id"]: r["lines"] for r in engine.group_by(f.con, ["approver"]).rows}
    assert approvers == {"X": 1, None: 2}
    nobody = engine.group_by(f.con, ["rep"], {"approver": None}).rows
    assert {r["rep_id"]: r["lines"] for r in nobody} == {"A": 1, "B": 1}


def test_dimension_names_and_aliases(tmp_path: Path) -> None:
    f = opened(tmp_path / "hand.parquet", HAND)
    assert engine.group_by(f.con, ["rep_id", "REP"]).keys == ["rep_id"]
    with pytest.raises(defs.UnknownDimension, match="unknown dimension 'seller'"):
        engine.group_by(f.con, ["seller"])
    with pytest.raises(defs.UnknownDimension):
        engine.group_by(f.con, ["rep"], {"nope": "x"})


def test_filters_take_values_as_parameters(tmp_path: Path) -> None:
    f = opened(tmp_path / "hand.parquet", [*HAND, line(4, rep_id="O'Brien; DROP TABLE x")])
    rows = engine.group_by(f.con, ["rep"], {"rep": "O'Brien; DROP TABLE x"}).rows
    assert [r["rep_id"] for r in rows] == ["O'Brien; DROP TABLE x"]
    (empty,) = engine.group_by(f.con, [], {"region": "Nowhere"}).rows
    assert empty["lines"] == 0 and empty["list_revenue"] == 0 and empty["discount_rate"] is None


def test_waterfall_slices_side_by_side(tmp_path: Path) -> None:
    f = opened(tmp_path / "hand.parquet", HAND)
    north, south = engine.compare_waterfalls(f.con, {"region": "North"}, {"region": "South"})
    assert north.filters == {"region": "North"} and south.filters == {"region": "South"}
    assert north.waterfall.list_revenue == Decimal("250.00")
    assert north.waterfall.pocket_margin == Decimal("115.00")
    assert south.waterfall.discount == Decimal("30.00")
    assert south.waterfall.pocket_revenue == Decimal("67.00")
    assert south.waterfall.markup == pytest.approx(17 / 50)
    everything, a_only = engine.compare_waterfalls(f.con, None, {"rep_id": "A"})
    assert a_only.filters == {"rep": "A"}
    assert everything.waterfall.lines == 3 and everything.waterfall.discount == Decimal("50.00")
    assert a_only.waterfall == north.waterfall


# --- every measure and grouping against the reference (hypothesis) --------------------------

text = st.sampled_from(["a", "b", "c"])
optional = st.one_of(st.none(), text)
price = st.integers(min_value=1, max_value=100_000).map(lambda c: c / 100)


@st.composite
def lines_strategy(draw: st.DrawFn) -> list[dict[str, Any]]:
    n = draw(st.integers(min_value=1, max_value=25))
    rows = []
    for i in range(n):
        lp = draw(price)
        rows.append(
            line(
                i,
                invoice_date=date(2023, 11, 1) + timedelta(days=draw(st.integers(0, 200))),
                customer_id=draw(text),
                product_id=draw(text),
                rep_id=draw(text),
                manager_id=draw(text),
                region=draw(text),
                segment=draw(text),
                deal_type=draw(text),
                quantity=float(draw(st.integers(1, 500))),
                list_price=lp,
                invoice_price=round(lp * draw(st.integers(0, 1_500)) / 1000, 2),
                unit_cost=draw(price),
                off_invoice=draw(st.integers(0, 100_000)) / 100,
                approver_id=draw(optional),
                opportunity_id=draw(optional),
                territory=draw(optional),
            )
        )
    return rows


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=lines_strategy(),
    dims=st.lists(st.sampled_from(defs.DIMENSION_NAMES), max_size=3, unique=True),
    filter_on=st.one_of(st.none(), st.sampled_from(["rep", "segment", "approver", "quarter"])),
    csv_file=st.booleans(),
)
def test_group_by_matches_plain_python(
    rows: list[dict[str, Any]], dims: list[str], filter_on: str | None, csv_file: bool
) -> None:
    filters = {filter_on: KEY[filter_on](rows[0])} if filter_on else None
    with tempfile.TemporaryDirectory() as tmp:
        f = opened(Path(tmp) / ("l.csv" if csv_file else "l.parquet"), rows)
        got = engine.group_by(f.con, dims, filters)
        f.con.close()
    assert got.keys == [defs.dimension(d).key for d in dims]
    assert_matches(got, reference(rows, dims, filters))


@settings(max_examples=30, deadline=None)
@given(rows=lines_strategy())
def test_waterfall_and_concentration_match_plain_python(rows: list[dict[str, Any]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        f = opened(Path(tmp) / "l.parquet", rows)
        w = engine.slice_waterfall(f.con, {"segment": "a"}).waterfall
        sides = engine.concentration(f.con)
        f.con.close()
    (ref,) = reference(rows, [], {"segment": "a"}).values()
    assert w.lines == ref["lines"]
    assert float(w.list_revenue) == pytest.approx(ref["list_revenue"], abs=0.0051)
    assert float(w.discount) == pytest.approx(ref["discount"], abs=0.011)
    assert float(w.pocket_margin) == pytest.approx(ref["pocket_margin"], abs=0.011)
    for side, key in zip(sides, ("customer", "rep"), strict=True):
        per_item = {k: max(0.0, v["discount"]) for (k,), v in reference(rows, [key]).items()}
        assert side.dimension == key and side.items == len(per_item)
        assert side.gini == pytest.approx(conc.gini(per_item.values()), abs=1e-9)
        assert side.top_decile_share == pytest.approx(conc.top_share(per_item.values()), abs=1e-9)
        assert float(side.discount) == pytest.approx(math.fsum(per_item.values()), abs=0.011)
        assert side.lorenz[0] == (0.0, 0.0) and side.lorenz[-1] == (1.0, 1.0)


# --- outliers ------------------------------------------------------------------------------


def python_cell_sums(rows: list[dict[str, Any]]) -> list[Any]:
    """The documented size band: decade of the opportunity's list revenue, else the line's."""
    deal: dict[str, float] = defaultdict(float)
    for r in rows:
        if r["opportunity_id"] is not None:
            deal[r["opportunity_id"]] += r["quantity"] * r["list_price"]
    out = []
    for r in rows:
        lr = r["quantity"] * r["list_price"]
        size = deal[r["opportunity_id"]] if r["opportunity_id"] is not None else lr
        band = math.floor(math.log10(max(size, 1.0)))
        out.append(
            OutlierLine(
                r["rep_id"],
                (r["segment"], r["deal_type"], defs.size_band_label(band)),
                Decimal(repr(lr)),
                Decimal(repr(r["quantity"] * r["invoice_price"])),
            )
        )
    return sorted(cell_sums_from_lines(out), key=lambda c: (c.actor, c.cell))


@settings(max_examples=30, deadline=None)
@given(rows=lines_strategy())
def test_cell_sums_match_plain_python(rows: list[dict[str, Any]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        f = opened(Path(tmp) / "l.parquet", rows)
        got = engine.cell_sums(f.con)
        f.con.close()
    want = python_cell_sums(rows)
    assert [(c.actor, c.cell, c.lines) for c in got] == [(c.actor, c.cell, c.lines) for c in want]
    for g, w in zip(got, want, strict=True):
        assert float(g.list_revenue) == pytest.approx(float(w.list_revenue), rel=1e-12)
        assert float(g.invoice_revenue) == pytest.approx(float(w.invoice_revenue), rel=1e-12)
        assert g.rate_sum == pytest.approx(w.rate_sum, rel=1e-9, abs=1e-12)
        assert g.rate_sq_sum == pytest.approx(w.rate_sq_sum, rel=1e-9, abs=1e-12)
        assert g.list_sq_sum == pytest.approx(w.list_sq_sum, rel=1e-12)


def test_size_band_labels_and_deal_size_from_the_opportunity(tmp_path: Path) -> None:
    assert defs.size_band_label(4) == "10,000-99,999" and defs.size_band_label(0) == "<10"
    rows = [
        line(1, opportunity_id="O1", quantity=60.0),  # 6,000 alone; the deal is 12,000
        line(2, opportunity_id="O1", quantity=60.0),
        line(3, quantity=60.0),  # no opportunity: its own 6,000
    ]
    f = opened(tmp_path / "l.parquet", rows)
    cells = {c.cell[2]: c.lines for c in engine.cell_sums(f.con)}
    assert cells == {"10,000-99,999": 2, "1,000-9,999": 1}


def planted(tmp_path: Path, seed: int = 3) -> LineFile:
    """12 honest reps and R99 who gives 15 points more, in the same 4 cells."""
    rng = np.random.default_rng(seed)
    base = {("smb", "new"): 0.05, ("smb", "renewal"): 0.03, ("ent", "new"): 0.15}
    base[("ent", "renewal")] = 0.10
    rows = []
    reps = [f"R{i:02d}" for i in range(12)] + ["R99"]
    for i in range(3_000):
        rep = reps[i % len(reps)]
        segment, deal_type = list(base)[rng.integers(0, 4)]
        rate = base[(segment, deal_type)] + (0.15 if rep == "R99" else 0) + rng.normal(0, 0.03)
        lp = 100.0
        rows.append(
            line(i, rep_id=rep, segment=segment, deal_type=deal_type, list_price=lp,
                 quantity=float(rng.integers(5, 50)),
                 invoice_price=round(lp * (1 - min(max(rate, 0.0), 0.9)), 2))
        )  # fmt: skip
    return opened(tmp_path / "planted.parquet", rows)


def test_outliers_find_the_planted_heavy_discounter(tmp_path: Path) -> None:
    f = planted(tmp_path)
    report = engine.outliers(f.con)
    by = {a.actor: a for a in report.actors}
    assert by["R99"].status == "flag" and by["R99"].z is not None and by["R99"].z > 10
    assert by["R99"].residual == pytest.approx(0.15, abs=0.01)
    assert by["R99"].money_at_stake > Decimal("0.12") * by["R99"].list_revenue
    assert [a.actor for a in report.actors if a.status == "flag"] == ["R99"]
    assert report.excluded_from_peers == ["R99"]


def test_outliers_on_the_bench_generator_find_its_heavy_discounters(tmp_path: Path) -> None:
    sys.path.insert(0, str(BENCH))
    try:
        import analytics_lines as gen
    finally:
        sys.path.remove(str(BENCH))
    path = gen.write_lines(tmp_path / "gen.parquet", 30_000, seed=11)
    f = open_lines(path)
    report = engine.outliers(f.con)
    habit = gen.company(11).rep_habit
    heavy = {f"R{i:04d}" for i in np.flatnonzero(habit > 0.06)}
    honest = {f"R{i:04d}" for i in np.flatnonzero(np.abs(habit) < 0.005)}
    by = {a.actor: a for a in report.actors}
    assert heavy and honest
    assert all(by[r].status == "flag" for r in heavy), {r: by[r].status for r in heavy}
    # With 200 reps whose habits spread by 2 points, an honest rep can cross |z| = 3 by mix
    # and chance; never by as much as a heavy discounter, and never by a material rate.
    assert min(by[r].z or 0 for r in heavy) > max(abs(by[r].z or 0) for r in honest) + 1
    assert min(by[r].residual for r in heavy) > 0.05
    assert max(abs(by[r].residual) for r in honest) < 0.03


# --- concentration -------------------------------------------------------------------------


def test_concentration_known_answers(tmp_path: Path) -> None:
    equal = [line(i, customer_id=f"C{i}", rep_id=f"R{i}", invoice_price=90.0) for i in range(5)]
    f = opened(tmp_path / "equal.parquet", equal)
    customers, reps = engine.concentration(f.con)
    assert customers.gini == 0.0 and reps.gini == 0.0
    assert customers.items == 5 and customers.discount == Decimal("50.00")
    assert customers.top_decile_share == pytest.approx(0.2)
    one = [line(i, customer_id=f"C{i}", invoice_price=100.0) for i in range(4)]
    one += [line(9, customer_id="C9", invoice_price=60.0)]
    one += [line(10, customer_id="C10", invoice_price=110.0)]  # above list: 0 given, not -10
    f = opened(tmp_path / "one.parquet", one)
    customers, reps = engine.concentration(f.con, top=2)
    assert customers.items == 6 and customers.gini == pytest.approx(5 / 6)
    assert customers.top == [("C9", Decimal("40.00")), ("C0", Decimal("0.00"))]
    assert customers.top_decile_share == 1.0 and customers.discount == Decimal("40.00")
    assert reps.items == 1 and reps.gini == 0.0
    assert len(customers.lorenz) == 7  # n + 1 points


def test_concentration_lorenz_is_thinned_with_its_ends(tmp_path: Path) -> None:
    rows = [line(i, customer_id=f"C{i}", invoice_price=100.0 - i % 50) for i in range(120)]
    f = opened(tmp_path / "many.parquet", rows)
    customers, _ = engine.concentration(f.con, lorenz_points=11)
    assert len(customers.lorenz) == 11
    assert customers.lorenz[0] == (0.0, 0.0) and customers.lorenz[-1] == (1.0, 1.0)
    full = conc.lorenz_curve([max(0.0, float(i % 50)) for i in range(120)])
    assert customers.lorenz[5] == pytest.approx(full[60])


# --- pocket price band ---------------------------------------------------------------------


def test_product_bands_match_the_pure_band(tmp_path: Path) -> None:
    rng = np.random.default_rng(5)
    rows = []
    for i in range(200):
        product = "P1" if i % 3 else "P2"
        q = float(rng.integers(1, 20))
        rows.append(
            line(i, product_id=product, quantity=q, list_price=100.0,
                 invoice_price=float(rng.integers(60, 100)),
                 off_invoice=q * float(rng.integers(0, 5)))
        )  # fmt: skip
    f = opened(tmp_path / "bands.parquet", rows)
    bands = engine.product_bands(f.con)
    assert list(bands) == ["P1", "P2"]
    for product, band in bands.items():
        points = [
            ((r["invoice_price"] - r["off_invoice"] / r["quantity"]) / 100, r["quantity"])
            for r in rows
            if r["product_id"] == product
        ]
        want = pocket_band(points)
        assert want is not None
        assert band.p10 == pytest.approx(want.p10) and band.p50 == pytest.approx(want.p50)
        assert band.p90 == pytest.approx(want.p90) and band.volume == want.volume
        assert band.mean == pytest.approx(want.mean)


# --- the same definitions on another engine ------------------------------------------------

PG_COLUMNS = {
    "text": "VARCHAR",
    "currency": "VARCHAR",
    "date": "DATE",
    "number": "DOUBLE PRECISION",
}


@pytest.mark.skipif(not CONFIGURED_PG_URL, reason="runs when the test database is PostgreSQL")
def test_the_definitions_run_unchanged_on_postgresql(tmp_path: Path) -> None:
    """Engine-neutral: the built SQL, placeholders swapped for psycopg's, gives DuckDB's rows."""
    f = opened(tmp_path / "hand.parquet", HAND)
    queries = {
        "grouped": defs.grouped_sql(["rep", "month", "quarter"], {"quarter": "2024-Q2"}),
        "total": defs.grouped_sql([], {"approver": None}),
        "sums": defs.sums_sql({"region": "North"}),
        "cells": defs.cell_sums_sql(),
        "discount_by": defs.discount_by_sql(),
        "pocket": defs.pocket_points_sql(),
        "sets": defs.grouping_sets_sql(["rep", "month", "quarter"], {"region": "North"})[:2],
    }
    columns = ", ".join(f"{c.name} {PG_COLUMNS[c.kind]}" for c in COLUMNS)
    marks = ", ".join(["%s"] * len(COLUMNS))
    # The configured database itself (it always exists; an xdist worker's own database is
    # made only once that worker runs a database test). Only a temporary table is written.
    pg = make_engine(CONFIGURED_PG_URL)
    try:
        with pg.connect() as conn:
            conn.exec_driver_sql(f"CREATE TEMP TABLE lines ({columns})")
            for row in HAND:
                conn.exec_driver_sql(
                    f"INSERT INTO lines VALUES ({marks})",  # noqa: S608
                    tuple(row[c.name] for c in COLUMNS),
                )
            for name, (sql, params) in queries.items():
                theirs = conn.exec_driver_sql(sql.replace("?", "%s"), tuple(params)).fetchall()
                ours = f.con.execute(sql, params).fetchall()
                assert sorted(map(_plain, theirs)) == sorted(map(_plain, ours)), name
            conn.rollback()
    finally:
        pg.dispose()


def _plain(row: Any) -> tuple[Any, ...]:
    """Numbers as rounded floats (PostgreSQL's EXTRACT is NUMERIC, DuckDB's BIGINT)."""
    return tuple(
        round(float(v), 9) if isinstance(v, int | float | Decimal) else str(v) for v in row
    )
