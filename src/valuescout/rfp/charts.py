"""Vega-Lite specs of the RFP analysis (pure; drawn by static/js/charts.js).

- ``share_chart``: per quarter of receipt, each class's share of the RFPs (stacked to 100%);
- ``win_rate_chart``: per quarter, each class's win rate, with the number of judged RFPs in
  the tooltip (a rate over two RFPs says little).
"""

from __future__ import annotations

from typing import Any

from valuescout.core.vegalite import RATE, Spec, base_spec, number
from valuescout.rfp.analysis import RfpAnalysis
from valuescout.rfp.terms import CLASS_LABELS

ORDER = list(CLASS_LABELS.values())
COLOURS = ["#bdbdbd", "#9ecae1", "#4292c6", "#08519c"]  # the more shaped, the darker


def _colour() -> dict[str, Any]:
    return {
        "field": "class", "type": "nominal", "title": "engagement",
        "sort": ORDER, "scale": {"domain": ORDER, "range": COLOURS},
    }  # fmt: skip


def share_chart(result: RfpAnalysis, *, title: str | None = None) -> Spec:
    values = [
        {"quarter": q.quarter, "class": CLASS_LABELS[c.engagement_class], "rfps": c.count}
        for q in result.quarters
        for c in q.classes
        if c.count
    ]
    return base_spec(
        title,
        data={"values": values},
        width=480,
        height=220,
        mark={"type": "bar", "tooltip": True},
        encoding={
            "x": {"field": "quarter", "type": "ordinal", "title": "quarter received"},
            "y": {"field": "rfps", "type": "quantitative", "stack": "normalize",
                  "title": "share of RFPs", "axis": {"format": ".0%"}},
            "color": _colour(),
            "order": {"field": "class", "sort": "ascending"},
            "tooltip": [{"field": "quarter", "type": "nominal"},
                        {"field": "class", "type": "nominal"},
                        {"field": "rfps", "type": "quantitative", "title": "RFPs"}],
        },
    )  # fmt: skip


def win_rate_chart(result: RfpAnalysis, *, title: str | None = None) -> Spec:
    values = [
        {
            "quarter": q.quarter,
            "class": CLASS_LABELS[c.engagement_class],
            "win_rate": number(c.win_rate),
            "judged": c.judged,
        }
        for q in result.quarters
        for c in q.classes
        if c.win_rate is not None
    ]
    return base_spec(
        title,
        data={"values": values},
        width=480,
        height=220,
        mark={"type": "line", "point": True, "tooltip": True},
        encoding={
            "x": {"field": "quarter", "type": "ordinal", "title": "quarter received"},
            "y": {"field": "win_rate", "type": "quantitative", "title": "win rate",
                  "axis": {"format": ".0%"}, "scale": {"domain": [0, 1]}},
            "color": _colour(),
            "tooltip": [{"field": "quarter", "type": "nominal"},
                        {"field": "class", "type": "nominal"},
                        {"field": "win_rate", "type": "quantitative", "title": "win rate",
                         "format": RATE},
                        {"field": "judged", "type": "quantitative", "title": "decided RFPs"}],
        },
    )  # fmt: skip
