"""The coaching-effect chart spec: one row per readable focus, coached vs comparison change."""

from __future__ import annotations

import json
from dataclasses import dataclass

from valuescout.conversations.coaching_charts import COACHED, COMPARISON, change_chart
from valuescout.core.vegalite import SCHEMA


@dataclass
class Row:
    focus_label: str
    metric_label: str
    coached_before: float | None
    coached_after: float | None
    comparison_before: float | None
    comparison_after: float | None
    effect: float | None


def test_changes_per_readable_focus() -> None:
    rows = [
        Row("Asking expansion questions", "Expansion questions", 1.0, 3.0, 1.0, 1.5, 1.5),
        Row("Planning calls", "Interactions with a call plan", None, None, None, None, None),
        Row("Overall value quality", "Value-quality score", 40.0, 38.0, 45.0, 41.0, 2.0),
    ]
    spec = change_chart(rows)
    assert spec is not None and spec["$schema"] == SCHEMA
    values = spec["data"]["values"]
    assert [(v["focus"], v["group"], v["change"]) for v in values] == [
        ("Asking expansion questions (expansion questions)", COACHED, 2.0),
        ("Asking expansion questions (expansion questions)", COMPARISON, 0.5),
        ("Overall value quality (value-quality score)", COACHED, -2.0),
        ("Overall value quality (value-quality score)", COMPARISON, -4.0),
    ]
    assert spec["resolve"] == {"scale": {"x": "independent"}}  # metrics differ in unit
    json.dumps(spec, allow_nan=False)


def test_nothing_readable_draws_nothing() -> None:
    assert change_chart([Row("Planning calls", "Share", 0.1, None, 0.2, 0.3, None)]) is None
