"""engine.discount_report: the whole report in one call equals the separate engine functions."""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.analytics.test_engine import line, lines_strategy, opened, planted
from valuescout.analytics import engine
from valuescout.analytics.outliers import peer_outliers

MONEY = 0.011  # two cent roundings of sums added in another order


def assert_same_grouped(got: engine.Grouped, want: engine.Grouped) -> None:
    assert got.keys == want.keys and got.measures == want.measures
    key = lambda row: tuple(str(row[k]) for k in want.keys)  # noqa: E731
    got_rows = {key(r): r for r in got.rows}
    want_rows = {key(r): r for r in want.rows}
    assert got_rows.keys() == want_rows.keys()
    for k, w in want_rows.items():
        g = got_rows[k]
        for name, value in w.items():
            if value is None or isinstance(value, str) or name in want.keys:
                assert g[name] == value, (k, name)
            else:
                assert g[name] == pytest.approx(value, rel=1e-9, abs=MONEY), (k, name)


def assert_same_report(got: engine.DiscountReport, con: Any, **kwargs: Any) -> None:
    filters = kwargs.get("filters")
    by = kwargs.get("by", ("rep", "manager", "region", "customer"))
    actor = kwargs.get("actor", "rep")
    across = kwargs.get("concentration_of", ("customer", "rep"))
    assert_same_grouped(got.total, engine.group_by(con, [], filters))
    want_waterfall = engine.slice_waterfall(con, filters).waterfall
    assert got.waterfall.lines == want_waterfall.lines
    for name in ("list_revenue", "invoice_revenue", "off_invoice", "cost", "pocket_margin"):
        assert float(getattr(got.waterfall, name)) == pytest.approx(
            float(getattr(want_waterfall, name)), abs=MONEY
        )
    assert list(got.groups) == [engine.defs.dimension(d).name for d in by]
    for name, grouped in got.groups.items():
        assert_same_grouped(grouped, engine.group_by(con, [name], filters))
    cells = engine.cell_sums(con, actor, filters)
    assert [(c.actor, c.cell, c.lines) for c in got.cells] == [
        (c.actor, c.cell, c.lines) for c in cells
    ]
    for g, w in zip(got.cells, cells, strict=True):
        assert float(g.list_revenue) == pytest.approx(float(w.list_revenue), rel=1e-12)
        assert float(g.invoice_revenue) == pytest.approx(float(w.invoice_revenue), rel=1e-12)
        assert g.rate_sum == pytest.approx(w.rate_sum, rel=1e-9, abs=1e-12)
        assert g.rate_sq_sum == pytest.approx(w.rate_sq_sum, rel=1e-9, abs=1e-12)
        assert g.list_sq_sum == pytest.approx(w.list_sq_sum, rel=1e-12)
    model = peer_outliers(cells)
    assert [a.actor for a in got.outliers.actors] == [a.actor for a in model.actors]
    assert [a.status for a in got.outliers.actors] == [a.status for a in model.actors]
    assert got.outliers.excluded_from_peers == model.excluded_from_peers
    assert got.outliers.unbenchmarked == model.unbenchmarked
    spread = engine.concentration(con, across, filters)
    assert [c.dimension for c in got.concentration] == [c.dimension for c in spread]
    for g, w in zip(got.concentration, spread, strict=True):
        assert g.items == w.items
        assert float(g.discount) == pytest.approx(float(w.discount), abs=MONEY)
        assert g.gini == pytest.approx(w.gini, abs=1e-9)
        assert g.top_decile_share == pytest.approx(w.top_decile_share, abs=1e-9)
        assert [k for k, _ in g.top] == [k for k, _ in w.top]
        assert len(g.lorenz) == len(w.lorenz)
        for (gx, gy), (wx, wy) in zip(g.lorenz, w.lorenz, strict=True):
            assert gx == pytest.approx(wx, abs=1e-12) and gy == pytest.approx(wy, abs=1e-9)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=lines_strategy(),
    filter_on=st.one_of(st.none(), st.sampled_from(["rep", "segment", "region"])),
    actor=st.sampled_from(["rep", "approver", "manager"]),
)
def test_discount_report_equals_the_separate_functions(
    rows: list[dict[str, Any]], filter_on: str | None, actor: str
) -> None:
    key = {"rep": "rep_id", "segment": "segment", "region": "region"}
    filters = {filter_on: rows[0][key[filter_on]]} if filter_on else None
    with tempfile.TemporaryDirectory() as tmp:
        f = opened(Path(tmp) / "l.parquet", rows)
        got = engine.discount_report(f.con, actor=actor, filters=filters)
        assert got.actor == actor and got.filters == (filters or {})
        assert_same_report(got, f.con, actor=actor, filters=filters)
        f.con.close()


def test_other_dimensions_and_a_named_view(tmp_path: Path) -> None:
    rows = [
        line(1, rep_id="A", segment="smb", opportunity_id="O1", invoice_price=90.0),
        line(2, rep_id="A", segment="ent", opportunity_id="O1", invoice_price=80.0),
        line(3, rep_id="B", segment="ent", region="South", invoice_price=70.0),
    ]
    f = opened(tmp_path / "l.parquet", rows)
    kwargs: dict[str, Any] = {
        "by": ("segment", "month", "quarter", "rep_id"),  # month and quarter share the year
        "concentration_of": ("region",),
        "actor": "rep",
    }
    got = engine.discount_report(f.con, **kwargs)
    assert list(got.groups) == ["segment", "month", "quarter", "rep"]
    assert got.total.rows[0]["discount"] == 60.0
    assert got.waterfall.discount == Decimal("60.00")
    assert_same_report(got, f.con, **kwargs)


def test_the_planted_discounter_is_flagged_in_the_report(tmp_path: Path) -> None:
    f = planted(tmp_path)
    report = engine.discount_report(f.con)
    assert [a.actor for a in report.outliers.actors if a.status == "flag"] == ["R99"]
    reps = {row["rep_id"]: row for row in report.groups["rep"].rows}
    assert reps["R99"]["discount_rate"] > 0.2
    assert_same_report(report, f.con)


def test_no_dimension_at_all_still_gives_the_total(tmp_path: Path) -> None:
    f = opened(tmp_path / "l.parquet", [line(1, invoice_price=90.0), line(2)])
    got = engine.discount_report(f.con, by=(), concentration_of=())
    assert got.groups == {} and got.concentration == []
    assert got.total.rows[0]["lines"] == 2 and got.waterfall.discount == Decimal("10.00")
    assert_same_grouped(got.total, engine.group_by(f.con, []))
