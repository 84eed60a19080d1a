"""Vega-Lite spec of the value-quality trend: each group's mean score per month, one line per
group (a seller, a team or a role). Pure; data inline as `values`; drawn by static/js/charts.js.
"""

from __future__ import annotations

from collections.abc import Sequence

from valuescout.core.vegalite import Spec, base_spec, number

MAX_LINES = 12  # more groups than this would be unreadable as lines


def trend_chart(rows: Sequence[tuple[str, str, float, int]]) -> Spec:
    """rows: (group label, month YYYY-MM, mean score, interactions)."""
    values = [
        {"group": g, "month": f"{m}-01", "score": number(s), "interactions": n}
        for g, m, s, n in rows
    ]
    return base_spec(
        "Mean value-quality score per month",
        width="container",
        height=260,
        data={"values": values},
        mark={"type": "line", "point": True},
        encoding={
            "x": {"field": "month", "type": "temporal", "timeUnit": "yearmonth", "title": None},
            "y": {
                "field": "score",
                "type": "quantitative",
                "title": "Score (0-100)",
                "scale": {"domain": [0, 100]},
            },
            "color": {"field": "group", "type": "nominal", "title": None},
            "tooltip": [
                {"field": "group", "type": "nominal", "title": "Who"},
                {"field": "month", "type": "temporal", "timeUnit": "yearmonth", "title": "Month"},
                {"field": "score", "type": "quantitative", "title": "Mean score", "format": ".1f"},
                {"field": "interactions", "type": "quantitative", "title": "Interactions"},
            ],
        },
    )
