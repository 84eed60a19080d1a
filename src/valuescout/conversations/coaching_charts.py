"""The coaching-effectiveness chart as a Vega-Lite spec (pure; pages draw it with
`static/js/charts.js`).

One row per focus: how much the coached sellers' metric changed from the window before their
sessions to the window after, next to the change among sellers not coached on that focus. The
gap between the two bars is the effect. Each row has its own axis, because the metrics differ
(questions per interaction, a share, a 0-100 score).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from valuescout.core.vegalite import Spec, base_spec, number

COACHED = "Coached sellers"
COMPARISON = "Not coached on it"
COLOURS = {COACHED: "#08519c", COMPARISON: "#9ecae1"}
HEADER = {"labelAngle": 0, "labelAlign": "left", "labelLimit": 360, "labelFontSize": 12}


class FocusSummary(Protocol):
    @property
    def focus_label(self) -> str: ...
    @property
    def metric_label(self) -> str: ...
    @property
    def coached_before(self) -> float | None: ...
    @property
    def coached_after(self) -> float | None: ...
    @property
    def comparison_before(self) -> float | None: ...
    @property
    def comparison_after(self) -> float | None: ...
    @property
    def effect(self) -> float | None: ...


def _change(before: float | None, after: float | None) -> float | None:
    return None if before is None or after is None else after - before


def change_chart(rows: Sequence[FocusSummary], title: str | None = None) -> Spec | None:
    """Coached vs comparison change per readable focus; None when no focus can be read."""
    values = []
    for r in rows:
        if r.effect is None:
            continue
        focus = f"{r.focus_label} ({r.metric_label.lower()})"
        for group, before, after in (
            (COACHED, r.coached_before, r.coached_after),
            (COMPARISON, r.comparison_before, r.comparison_after),
        ):
            values.append(
                {
                    "focus": focus, "group": group, "change": number(_change(before, after)),
                    "before": number(before), "after": number(after), "effect": number(r.effect),
                }
            )  # fmt: skip
    if not values:
        return None
    groups = list(COLOURS)
    return base_spec(
        title,
        data={"values": values},
        facet={"row": {"field": "focus", "type": "nominal", "title": None, "header": HEADER}},
        spec={
            "width": 480,
            "height": {"step": 18},
            "layer": [
                {
                    "mark": {"type": "bar"},
                    "encoding": {
                        "y": {"field": "group", "type": "nominal", "sort": groups, "title": None},
                        "x": {"field": "change", "type": "quantitative",
                              "title": "change from before to after"},
                        "color": {"field": "group", "type": "nominal", "title": None,
                                  "scale": {"domain": groups, "range": list(COLOURS.values())}},
                        "tooltip": [
                            {"field": "group", "type": "nominal", "title": "Who"},
                            {"field": "before", "type": "quantitative", "format": ".2f"},
                            {"field": "after", "type": "quantitative", "format": ".2f"},
                            {"field": "change", "type": "quantitative", "format": "+.2f"},
                            {"field": "effect", "type": "quantitative", "format": "+.2f",
                             "title": "effect (difference)"},
                        ],
                    },
                },
                {"mark": {"type": "rule", "color": "#666"}, "encoding": {"x": {"datum": 0}}},
            ],
        },
        resolve={"scale": {"x": "independent"}},
    )  # fmt: skip
