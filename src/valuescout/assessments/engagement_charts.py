"""Vega-Lite specs for the willingness portfolio and the reputation scorecard. Pure: plain
rows in, specs out; the pages embed them and static/js/charts.js draws them."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from valuescout.core.vegalite import RATE, Spec, base_spec, number

HIGH = 50  # willingness.HIGH: where the quadrants split


def portfolio_scatter(rows: Sequence[dict[str, Any]]) -> Spec:
    """Each assessed account or deal by newness (x) and risk (y), coloured by the model it
    needs, with the quadrant lines at 50. Rows: name, subject, newness, risk, willingness,
    model (label)."""
    values = [
        {k: r[k] for k in ("name", "subject", "newness", "risk", "willingness", "model")}
        for r in rows
    ]
    scale = {"domain": [0, 100], "nice": False}
    points = {
        "mark": {"type": "circle", "size": 70, "opacity": 0.75},
        "encoding": {
            "x": {"field": "newness", "type": "quantitative", "scale": scale,
                  "title": "How new the purchase is (0-100)"},
            "y": {"field": "risk", "type": "quantitative", "scale": scale,
                  "title": "How risky it is (0-100)"},
            "color": {"field": "model", "type": "nominal", "title": "Sales model"},
            "tooltip": [
                {"field": "name", "title": "Name"}, {"field": "subject", "title": "Kind"},
                {"field": "willingness", "title": "Willingness"},
                {"field": "newness", "title": "Newness"}, {"field": "risk", "title": "Risk"},
            ],
        },
    }  # fmt: skip
    rules = [
        {"data": {"values": [{"v": HIGH}]}, "mark": {"type": "rule", "strokeDash": [4, 4]},
         "encoding": {axis: {"field": "v", "type": "quantitative"}}}
        for axis in ("x", "y")
    ]  # fmt: skip
    return base_spec(
        None,
        width="container",
        height=320,
        layer=[{"data": {"values": values}, **points}, *rules],
    )


def quadrant_bars(counts: Sequence[tuple[str, int]]) -> Spec:
    """How many accounts and deals fall in each quadrant."""
    values = [{"quadrant": label, "count": n} for label, n in counts]
    return base_spec(
        None,
        data={"values": values},
        mark={"type": "bar"},
        width="container",
        height=160,
        encoding={
            "y": {"field": "quadrant", "type": "nominal", "sort": None, "title": None},
            "x": {"field": "count", "type": "quantitative", "title": "Assessed"},
            "tooltip": [{"field": "quadrant"}, {"field": "count"}],
        },
    )


def reputation_trend(points: Sequence[tuple[str, str, Decimal | None]]) -> Spec:
    """Each measure (a share, 0-1) per quarter: (quarter, measure label, value)."""
    values = [
        {"quarter": q, "measure": m, "value": number(v)} for q, m, v in points if v is not None
    ]
    return base_spec(
        None,
        data={"values": values},
        mark={"type": "line", "point": True},
        width="container",
        height=280,
        encoding={
            "x": {"field": "quarter", "type": "ordinal", "title": None},
            "y": {"field": "value", "type": "quantitative", "axis": {"format": ".0%"},
                  "scale": {"domain": [0, 1]}, "title": None},
            "color": {"field": "measure", "type": "nominal", "title": None,
                      "legend": {"orient": "bottom", "columns": 2, "labelLimit": 320}},
            "tooltip": [{"field": "quarter"}, {"field": "measure"},
                        {"field": "value", "format": RATE}],
        },
    )  # fmt: skip
