"""Vega-Lite chart specs of the discount analytics, as plain dicts with their data inline.

Here: discount per group, price waterfalls (one, or several side by side), Lorenz curves;
``charts_spread.py``: pocket price bands and histograms, seller outliers.
Pure: each function takes the engine's short results (grouped rows, a ``Waterfall``,
``Concentration``, ``PocketBand`` / histogram bins, an ``OutlierReport``) and returns a spec
that ``json.dumps`` writes as it is (money as float, no NaN or infinity, ``None`` -> null).
The same spec is drawn in a page (``static/js/charts.js`` with the vendored vega-embed), in
the standalone HTML report (``report.py``), or to SVG/PNG by vl-convert.

The specs use only what Vega-Lite 5 and 6 both understand; ``$schema`` names v6, the version
vendored in ``web/static/vendor/vega``. Data always comes as ``values`` (never a ``url``): a
chart fetches nothing. Rates are fractions shown as percentages, money is shown without a
currency symbol (a line file may hold any currency).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, Protocol

from valuescout.analytics.waterfall import Waterfall
from valuescout.core.vegalite import MONEY, RATE, Spec, base_spec, number


class LorenzSide(Protocol):
    """What a Lorenz curve needs of ``engine.Concentration`` (this module imports no engine)."""

    @property
    def dimension(self) -> str: ...
    @property
    def gini(self) -> float: ...
    @property
    def lorenz(self) -> list[tuple[float, float]]: ...


NONE_LABEL = "(none)"
# Waterfall bar colours: levels (list, invoice, pocket, margin), steps down, steps up.
KINDS = ["level", "decrease", "increase"]
KIND_COLOURS = ["#4c78a8", "#e45756", "#54a24b"]
STATUSES = ["flag", "watch", "ok"]
STATUS_COLOURS = ["#d62728", "#ff7f0e", "#9e9e9e"]


def label(value: Any) -> str:
    """A group key as text; a missing key is "(none)"."""
    return NONE_LABEL if value is None else str(value)


def tooltip(*fields: tuple[str, str, str | None]) -> list[dict[str, Any]]:
    """Tooltip channel entries from (field, title, format or None) — all quantitative
    except a field given format "" (text)."""
    out: list[dict[str, Any]] = []
    for field, title, fmt in fields:
        entry: dict[str, Any] = {"field": field, "title": title}
        if fmt == "":
            entry["type"] = "nominal"
        else:
            entry["type"] = "quantitative"
            if fmt:
                entry["format"] = fmt
        out.append(entry)
    return out


# --- discount by a dimension ---------------------------------------------------------------


def discount_by(
    rows: Sequence[Mapping[str, Any]],
    key: str,
    *,
    title: str | None = None,
    dimension_title: str | None = None,
    top: int = 15,
) -> Spec:
    """Discount $ and discount rate per group (bars side by side, largest discount first).

    ``rows`` are ``engine.Grouped.rows`` (or any mappings with ``key``, ``discount``,
    ``discount_rate``, ``list_revenue`` and ``lines``); the ``top`` largest are drawn."""
    ordered = sorted(rows, key=lambda r: (-(number(r.get("discount")) or 0.0), label(r[key])))
    values = [
        {
            "item": label(r[key]),
            "discount": number(r.get("discount")),
            "discount_rate": number(r.get("discount_rate")),
            "list_revenue": number(r.get("list_revenue")),
            "lines": number(r.get("lines")),
        }
        for r in ordered[:top]
    ]
    order = [v["item"] for v in values]
    name = dimension_title or key
    y = {"field": "item", "type": "nominal", "sort": order, "title": name}
    tips = tooltip(
        ("item", name, ""),
        ("discount", "discount $", MONEY),
        ("discount_rate", "discount rate", RATE),
        ("list_revenue", "list revenue", MONEY),
        ("lines", "lines", ",d"),
    )
    bar = {"type": "bar", "tooltip": True}
    height = max(60, 22 * len(values))
    return base_spec(
        title,
        data={"values": values},
        hconcat=[
            {
                "width": 300,
                "height": height,
                "mark": bar,
                "encoding": {
                    "y": y,
                    "x": {
                        "field": "discount",
                        "type": "quantitative",
                        "title": "discount $",
                        "axis": {"format": MONEY},
                    },
                    "tooltip": tips,
                },
            },
            {
                "width": 220,
                "height": height,
                "mark": {**bar, "color": "#f58518"},
                "encoding": {
                    "y": {**y, "axis": None},
                    "x": {
                        "field": "discount_rate",
                        "type": "quantitative",
                        "title": "discount rate",
                        "axis": {"format": ".0%"},
                    },
                    "tooltip": tips,
                },
            },
        ],
    )


# --- waterfalls ----------------------------------------------------------------------------


def waterfall_values(w: Waterfall, slice_name: str | None = None) -> list[dict[str, Any]]:
    """One row per bar: levels stand on 0, steps run from the level before to the next."""
    out: list[dict[str, Any]] = []
    running = Decimal(0)
    list_revenue = w.list_revenue
    for order, step in enumerate(w.steps()):
        if step.is_total:
            start, end, kind = Decimal(0), step.amount, "level"
        else:
            start, end = running, running + step.amount
            kind = "decrease" if step.amount < 0 else "increase"
        running = end
        row: dict[str, Any] = {
            "step": step.label,
            "order": order,
            "amount": number(step.amount),
            "start": number(start),
            "end": number(end),
            "top": number(max(start, end)),
            "kind": kind,
            "share_of_list": None if list_revenue == 0 else number(step.amount / list_revenue),
        }
        if slice_name is not None:
            row["slice"] = slice_name
        out.append(row)
    return out


def _waterfall_layers(steps: list[str], text_format: str = MONEY) -> list[Spec]:
    x = {"field": "step", "type": "nominal", "sort": steps, "title": None,
         "axis": {"labelAngle": -30}}  # fmt: skip
    tips = tooltip(
        ("step", "step", ""), ("amount", "amount", MONEY), ("share_of_list", "of list", RATE)
    )
    return [
        {
            "mark": {"type": "bar", "tooltip": True},
            "encoding": {
                "x": x,
                "y": {"field": "start", "type": "quantitative", "title": "$",
                      "axis": {"format": MONEY}},
                "y2": {"field": "end"},
                "color": {
                    "field": "kind", "type": "nominal", "title": None,
                    "scale": {"domain": KINDS, "range": KIND_COLOURS}, "legend": None,
                },
                "tooltip": tips,
            },
        },
        {
            "mark": {"type": "text", "dy": -6, "fontSize": 10},
            "encoding": {
                "x": x,
                "y": {"field": "top", "type": "quantitative"},
                "text": {"field": "amount", "type": "quantitative", "format": text_format},
            },
        },
    ]  # fmt: skip


def waterfall_chart(w: Waterfall, *, title: str | None = "Price waterfall") -> Spec:
    """The price waterfall: list revenue, on-invoice discount, invoice revenue, off-invoice,
    pocket revenue, cost, pocket margin (``Waterfall.steps``) as floating bars."""
    values = waterfall_values(w)
    return base_spec(
        title,
        data={"values": values},
        width=420,
        height=260,
        layer=_waterfall_layers([v["step"] for v in values]),
    )


def compare_waterfalls_chart(
    slices: Sequence[tuple[str, Waterfall]], *, title: str | None = "Price waterfalls"
) -> Spec:
    """Two (or more) waterfalls side by side on one $ scale, e.g. region=North vs South
    (``engine.compare_waterfalls``: pass ``[(name, s.waterfall) for ...]``)."""
    if not slices:
        raise ValueError("no slices to compare")
    values = [row for name, w in slices for row in waterfall_values(w, name)]
    steps = [s.label for s in slices[0][1].steps()]
    return base_spec(
        title,
        data={"values": values},
        facet={
            "column": {
                "field": "slice",
                "type": "nominal",
                "sort": [name for name, _ in slices],
                "title": None,
            }
        },
        spec={"width": 300, "height": 240, "layer": _waterfall_layers(steps, ".3~s")},
        resolve={"scale": {"y": "shared"}},
    )


# --- concentration -------------------------------------------------------------------------


def lorenz_chart(
    sides: Sequence[LorenzSide], *, title: str | None = "Concentration of discount $"
) -> Spec:
    """Lorenz curves of discount $ (share of items, smallest first, against share of the
    discount $) with the line of equality; one curve per dimension, its Gini in the legend."""
    values = [
        {
            "series": f"{side.dimension} (Gini {side.gini:.2f})",
            "items_share": number(x),
            "discount_share": number(y),
        }
        for side in sides
        for x, y in side.lorenz
    ]
    axes = {
        "x": {"field": "items_share", "type": "quantitative", "title": "share of items",
              "axis": {"format": ".0%"}, "scale": {"domain": [0, 1]}},
        "y": {"field": "discount_share", "type": "quantitative", "title": "share of discount $",
              "axis": {"format": ".0%"}, "scale": {"domain": [0, 1]}},
    }  # fmt: skip
    return base_spec(
        title,
        width=320,
        height=320,
        layer=[
            {
                "data": {
                    "values": [
                        {"items_share": 0, "discount_share": 0},
                        {"items_share": 1, "discount_share": 1},
                    ]
                },
                "mark": {"type": "line", "color": "#888888", "strokeDash": [4, 4]},
                "encoding": axes,
            },
            {
                "data": {"values": values},
                "mark": {"type": "line", "point": True, "tooltip": True},
                "encoding": {
                    **axes,
                    "color": {"field": "series", "type": "nominal", "title": None},
                    "tooltip": tooltip(
                        ("series", "across", ""),
                        ("items_share", "share of items", RATE),
                        ("discount_share", "share of discount $", RATE),
                    ),
                },
            },
        ],
    )
