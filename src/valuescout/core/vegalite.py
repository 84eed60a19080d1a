"""What every Vega-Lite spec the project builds shares: the schema (v6, the vendored
runtime), JSON-safe numbers, the base spec and common formats. Pure; knows no domain."""

from __future__ import annotations

import math
from typing import Any

Spec = dict[str, Any]

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
MONEY = ",.0f"
RATE = ".1%"


def number(value: Any) -> float | int | None:
    """A JSON-safe number: Decimal -> float; None, NaN and infinity -> None."""
    if value is None:
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    result = float(value)
    return result if math.isfinite(result) else None


def base_spec(title: str | None, **body: Any) -> Spec:
    """A spec with the schema, the title when given, `body`, and the house view config."""
    spec: Spec = {"$schema": SCHEMA}
    if title:
        spec["title"] = title
    spec.update(body)
    spec.setdefault("config", {"view": {"stroke": None}, "axis": {"labelLimit": 180}})
    return spec
