"""Vega-Lite specs of the analytics: structure, the numbers they carry, and (with vl-convert
installed, as the dev extra does) that Vega-Lite 5 and 6 compile and draw each one."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.analytics.test_engine import HAND, opened, planted
from valuescout.analytics import charts, engine
from valuescout.analytics import charts_spread as spread
from valuescout.analytics.outliers import OutlierReport
from valuescout.analytics.report_data import pocket_histograms
from valuescout.analytics.waterfall import WaterfallSums, histogram, pocket_band, waterfall
from valuescout.core import vegalite

MARKS = {"bar", "line", "point", "rule", "text", "tick"}


def views(spec: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every unit view (a spec with a mark) inside a layered / concatenated / faceted spec."""
    if "mark" in spec:
        yield spec
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for child in spec.get(key, []):
            yield from views(child)
    if "spec" in spec:
        yield from views(spec["spec"])


def data_of(spec: dict[str, Any]) -> Iterator[dict[str, Any]]:
    if "data" in spec:
        yield spec["data"]
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for child in spec.get(key, []):
            yield from data_of(child)
    if "spec" in spec:
        yield from data_of(spec["spec"])


def check_structure(spec: dict[str, Any]) -> None:
    """A Vega-Lite spec as the charts module promises it: the schema, a mark and an encoding
    in every view, all data inline, plain JSON (no NaN or infinity, no Decimal)."""
    assert spec["$schema"] == vegalite.SCHEMA
    json.dumps(spec, allow_nan=False)
    units = list(views(spec))
    assert units, "no view with a mark"
    for unit in units:
        mark = unit["mark"]["type"] if isinstance(unit["mark"], dict) else unit["mark"]
        assert mark in MARKS
        encoding = {**spec.get("encoding", {}), **unit.get("encoding", {})}
        assert "x" in encoding or "y" in encoding
        for channel in encoding.values():
            if isinstance(channel, dict) and "field" in channel and channel.get("type"):
                assert channel["type"] in ("quantitative", "nominal", "ordinal", "temporal")
    datasets = list(data_of(spec))
    assert datasets, "no data"
    for data in datasets:
        assert set(data) == {"values"}, "data must be inline values, never a url"
        assert isinstance(data["values"], list)


# --- the hand-worked example ---------------------------------------------------------------


@pytest.fixture(scope="module")
def hand(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return opened(tmp_path_factory.mktemp("hand") / "hand.parquet", HAND)


def test_discount_by_carries_the_groups_largest_discount_first(hand: Any) -> None:
    grouped = engine.group_by(hand.con, ["rep"])
    spec = charts.discount_by(grouped.rows, "rep_id", title="By rep")
    check_structure(spec)
    values = spec["data"]["values"]
    assert [v["item"] for v in values] == ["B", "A"]
    assert values[0]["discount"] == 30.0 and values[0]["discount_rate"] == pytest.approx(0.3)
    assert values[1]["discount"] == 20.0 and values[1]["discount_rate"] == pytest.approx(0.08)
    dollars, rate = spec["hconcat"]
    assert dollars["encoding"]["x"]["field"] == "discount"
    assert rate["encoding"]["x"]["field"] == "discount_rate"
    assert dollars["encoding"]["y"]["sort"] == ["B", "A"] == rate["encoding"]["y"]["sort"]


def test_discount_by_keeps_the_top_and_names_a_missing_key() -> None:
    rows = [{"k": f"c{i}", "discount": float(i), "discount_rate": 0.1} for i in range(30)]
    rows.append({"k": None, "discount": 100.0, "discount_rate": None})
    values = charts.discount_by(rows, "k", top=5)["data"]["values"]
    assert [v["item"] for v in values] == ["(none)", "c29", "c28", "c27", "c26"]
    assert values[0]["discount_rate"] is None


def test_waterfall_bars_float_from_level_to_level(hand: Any) -> None:
    w = engine.slice_waterfall(hand.con).waterfall
    spec = charts.waterfall_chart(w)
    check_structure(spec)
    bars = {v["step"]: v for v in spec["data"]["values"]}
    # all lines: list 350, invoice 300, off-invoice 8, pocket 292, cost 160, margin 132
    assert (bars["List revenue"]["start"], bars["List revenue"]["end"]) == (0.0, 350.0)
    assert (bars["On-invoice discount"]["start"], bars["On-invoice discount"]["end"]) == (
        350.0,
        300.0,
    )
    assert bars["On-invoice discount"]["kind"] == "decrease"
    assert bars["On-invoice discount"]["share_of_list"] == pytest.approx(-50 / 350)
    assert (bars["Invoice revenue"]["end"], bars["Off-invoice"]["end"]) == (300.0, 292.0)
    assert bars["Pocket revenue"] == {**bars["Pocket revenue"], "start": 0.0, "end": 292.0}
    assert (bars["Cost"]["start"], bars["Cost"]["end"], bars["Cost"]["top"]) == (
        292.0,
        132.0,
        292.0,
    )
    assert bars["Pocket margin"]["end"] == 132.0 and bars["Pocket margin"]["kind"] == "level"
    assert [v["order"] for v in spec["data"]["values"]] == list(range(7))


def test_a_negative_margin_steps_below_zero() -> None:
    w = waterfall(WaterfallSums(1, Decimal(1), Decimal(100), Decimal(90), Decimal(0), Decimal(95)))
    bars = {v["step"]: v for v in charts.waterfall_values(w)}
    assert (bars["Cost"]["start"], bars["Cost"]["end"]) == (90.0, -5.0)
    assert bars["Pocket margin"]["end"] == -5.0


def test_compared_waterfalls_share_one_scale(hand: Any) -> None:
    north, south = engine.compare_waterfalls(hand.con, None, {"region": "North"})
    spec = charts.compare_waterfalls_chart([("all", north.waterfall), ("North", south.waterfall)])
    check_structure(spec)
    assert spec["facet"]["column"]["field"] == "slice"
    assert spec["resolve"]["scale"]["y"] == "shared"
    ends = {
        (v["slice"], v["step"]): v["end"]
        for v in spec["data"]["values"]
        if v["step"] == "Pocket margin"
    }
    assert ends == {("all", "Pocket margin"): 132.0, ("North", "Pocket margin"): 115.0}
    with pytest.raises(ValueError):
        charts.compare_waterfalls_chart([])


def test_lorenz_curves_with_the_line_of_equality(hand: Any) -> None:
    sides = engine.concentration(hand.con, ["rep", "customer"])
    spec = charts.lorenz_chart(sides)
    check_structure(spec)
    equality, curves = spec["layer"]
    assert equality["data"]["values"] == [
        {"items_share": 0, "discount_share": 0},
        {"items_share": 1, "discount_share": 1},
    ]
    points = [v for v in curves["data"]["values"] if v["series"].startswith("rep")]
    # two reps: 20 and 30 discount $ -> (0,0), (0.5, 0.4), (1,1)
    assert [(p["items_share"], p["discount_share"]) for p in points] == [
        (0.0, 0.0),
        (0.5, pytest.approx(0.4)),
        (1.0, 1.0),
    ]
    assert points[0]["series"] == f"rep (Gini {sides[0].gini:.2f})"


def test_pocket_bands_and_histograms(hand: Any) -> None:
    bands = engine.product_bands(hand.con)
    spec = spread.pocket_bands_chart(bands)
    check_structure(spec)
    (p1,) = spec["data"]["values"]
    band = bands["P1"]
    assert p1["product"] == "P1" and p1["units"] == band.volume == 13.0
    assert (p1["p10"], p1["p50"], p1["p90"]) == (band.p10, band.p50, band.p90)
    assert p1["width"] == pytest.approx(band.width)
    layers = [layer["encoding"]["x"]["field"] for layer in spec["layer"]]
    assert layers == ["minimum", "p10", "p25", "p50"]

    hist = pocket_histograms(hand.con, ["P1"])
    spec = spread.pocket_histogram_chart(hist, bands)
    check_structure(spec)
    bins = [v for v in spec["data"]["values"] if v["kind"] == "bin"]
    assert sum(b["units"] for b in bins) == pytest.approx(13.0)
    assert sum(b["share"] for b in bins) == pytest.approx(1.0)
    rules = {v["name"]: v["lower"] for v in spec["data"]["values"] if v["kind"] == "percentile"}
    assert rules == {"P10": band.p10, "median": band.p50, "P90": band.p90}


def test_histogram_chart_from_pure_bins() -> None:
    points = [(0.80, 2.0), (0.81, 1.0), (0.95, 1.0)]
    band = pocket_band(points)
    assert band is not None
    spec = spread.pocket_histogram_chart({"X": histogram(points, 0.05)}, {"X": band})
    check_structure(spec)
    bins = [(v["lower"], v["share"]) for v in spec["data"]["values"] if v["kind"] == "bin"]
    assert bins == [
        (pytest.approx(0.80), 0.75),
        (pytest.approx(0.85), 0.0),
        (pytest.approx(0.90), 0.0),
        (pytest.approx(0.95), 0.25),
    ]


@pytest.fixture(scope="module")
def planted_report(tmp_path_factory: pytest.TempPathFactory) -> OutlierReport:
    return engine.outliers(planted(tmp_path_factory.mktemp("planted")).con)


def test_outliers_scatter_and_ranking(planted_report: OutlierReport) -> None:
    spec = spread.outliers_chart(planted_report)
    check_structure(spec)
    rules, points = spec["layer"]
    assert sorted(r["z"] for r in rules["data"]["values"]) == [-3.0, -2.0, 2.0, 3.0]
    by = {v["actor"]: v for v in points["data"]["values"]}
    r99 = next(a for a in planted_report.actors if a.actor == "R99")
    assert by["R99"]["status"] == "flag" and by["R99"]["z"] == r99.z
    assert by["R99"]["money_at_stake"] == float(r99.money_at_stake) > 0

    ranked = spread.outliers_ranked_chart(planted_report, top=3)
    check_structure(ranked)
    values = ranked["data"]["values"]
    assert values[0]["actor"] == "R99" and len(values) <= 3
    assert all(v["money_at_stake"] > 0 for v in values)
    assert ranked["encoding"]["y"]["sort"] == [v["actor"] for v in values]


def test_an_infinite_or_missing_z_is_left_out_of_the_scatter(
    planted_report: OutlierReport,
) -> None:
    first = planted_report.actors[0]
    odd = OutlierReport(
        sigma=None,
        tau=None,
        actors=[dataclasses.replace(first, z=float("inf"))],
        unbenchmarked=[],
        excluded_from_peers=[],
    )
    spec = spread.outliers_chart(odd)
    json.dumps(spec, allow_nan=False)
    assert spec["layer"][1]["data"]["values"] == []


def test_number_makes_json_safe_values() -> None:
    assert vegalite.number(Decimal("12.34")) == 12.34
    assert vegalite.number(float("nan")) is None and vegalite.number(float("-inf")) is None
    assert vegalite.number(None) is None and vegalite.number(3) == 3 and vegalite.number(True) == 1


# --- drawn by Vega-Lite (vl-convert) -------------------------------------------------------


def all_specs(hand: Any, report: OutlierReport) -> dict[str, dict[str, Any]]:
    w = engine.slice_waterfall(hand.con).waterfall
    bands = engine.product_bands(hand.con)
    return {
        "discount_by": charts.discount_by(engine.group_by(hand.con, ["rep"]).rows, "rep_id"),
        "waterfall": charts.waterfall_chart(w),
        "compare": charts.compare_waterfalls_chart([("a", w), ("b", w)]),
        "lorenz": charts.lorenz_chart(engine.concentration(hand.con)),
        "bands": spread.pocket_bands_chart(bands),
        "histogram": spread.pocket_histogram_chart(pocket_histograms(hand.con, ["P1"]), bands),
        "outliers": spread.outliers_chart(report),
        "ranked": spread.outliers_ranked_chart(report),
    }


@pytest.mark.parametrize("version", ["5.21", "6.4"])
def test_every_spec_draws_as_svg(
    hand: Any, planted_report: OutlierReport, version: str, tmp_path: Path
) -> None:
    vlc = pytest.importorskip("vl_convert")
    for name, spec in all_specs(hand, planted_report).items():
        svg = vlc.vegalite_to_svg(spec, vl_version=version)
        assert svg.startswith("<svg") and "</svg>" in svg, name
        # Something was drawn: marks beyond the background rectangle.
        assert svg.count("<path") + svg.count("<rect") + svg.count("<line") > 3, name
