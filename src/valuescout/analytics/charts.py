"""Vega-Lite chart specs of the discount analytics, as plain dicts with their data inline.

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

import math
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, Protocol

from valuescout.analytics.outliers import OutlierReport
from valuescout.analytics.waterfall import Bin, PocketBand, Waterfall

Spec = dict[str, Any]


class LorenzSide(Protocol):
    """What a Lorenz curve needs of ``engine.Concentration`` (this module imports no engine)."""

    @property
    def dimension(self) -> str: ...
    @property
    def gini(self) -> float: ...
    @property
    def lorenz(self) -> list[tuple[float, float]]: ...


SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
MONEY = ",.0f"
RATE = ".1%"
NONE_LABEL = "(none)"
# Waterfall bar colours: levels (list, invoice, pocket, margin), steps down, steps up.
KINDS = ["level", "decrease", "increase"]
KIND_COLOURS = ["#4c78a8", "#e45756", "#54a24b"]
STATUSES = ["flag", "watch", "ok"]
STATUS_COLOURS = ["#d62728", "#ff7f0e", "#9e9e9e"]


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


def label(value: Any) -> str:
    """A group key as text; a missing key is "(none)"."""
    return NONE_LABEL if value is None else str(value)


def _spec(title: str | None, **body: Any) -> Spec:
    spec: Spec = {"$schema": SCHEMA}
    if title:
        spec["title"] = title
    spec.update(body)
    spec.setdefault("config", {"view": {"stroke": None}, "axis": {"labelLimit": 180}})
    return spec


def _tooltip(*fields: tuple[str, str, str | None]) -> list[dict[str, Any]]:
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
    tooltip = _tooltip(
        ("item", name, ""),
        ("discount", "discount $", MONEY),
        ("discount_rate", "discount rate", RATE),
        ("list_revenue", "list revenue", MONEY),
        ("lines", "lines", ",d"),
    )
    bar = {"type": "bar", "tooltip": True}
    height = max(60, 22 * len(values))
    return _spec(
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
                    "tooltip": tooltip,
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
                    "tooltip": tooltip,
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
    tooltip = _tooltip(
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
                "tooltip": tooltip,
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
    return _spec(
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
    return _spec(
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
    return _spec(
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
                    "tooltip": _tooltip(
                        ("series", "across", ""),
                        ("items_share", "share of items", RATE),
                        ("discount_share", "share of discount $", RATE),
                    ),
                },
            },
        ],
    )


# --- pocket price bands --------------------------------------------------------------------


def _by_volume(bands: Mapping[str, PocketBand], top: int) -> list[tuple[str, PocketBand]]:
    return sorted(bands.items(), key=lambda kv: (-kv[1].volume, kv[0]))[:top]


def pocket_bands_chart(
    bands: Mapping[str, PocketBand],
    *,
    top: int = 20,
    title: str | None = "Pocket price band per product",
) -> Spec:
    """Per product (most units first): pocket price as a share of list, min-max (line),
    P10-P90 (light bar), P25-P75 (dark bar) and the median (tick)."""
    chosen = _by_volume(bands, top)
    values = [
        {
            "product": product,
            "units": number(b.volume),
            **{f: number(getattr(b, f)) for f in ("minimum", "p10", "p25", "p50", "p75")},
            "p90": number(b.p90),
            "maximum": number(b.maximum),
            "width": number(b.width),
        }
        for product, b in chosen
    ]
    y = {"field": "product", "type": "nominal", "sort": [p for p, _ in chosen], "title": None}

    def x(field: str, title: str | None = None) -> Spec:
        return {
            "field": field, "type": "quantitative", "title": title,
            "axis": {"format": ".0%"}, "scale": {"zero": False},
        }  # fmt: skip

    tooltip = _tooltip(
        ("product", "product", ""), ("units", "units", ",.0f"), ("p10", "P10", RATE),
        ("p50", "median", RATE), ("p90", "P90", RATE), ("width", "P90-P10", RATE),
    )  # fmt: skip
    return _spec(
        title,
        data={"values": values},
        width=420,
        height=max(60, 22 * len(values)),
        encoding={"y": y, "tooltip": tooltip},
        layer=[
            {"mark": {"type": "rule", "color": "#9e9e9e"},
             "encoding": {"x": x("minimum", "pocket price, share of list"),
                          "x2": {"field": "maximum"}}},
            {"mark": {"type": "bar", "color": "#c6dbef", "height": 14},
             "encoding": {"x": x("p10"), "x2": {"field": "p90"}}},
            {"mark": {"type": "bar", "color": "#6baed6", "height": 14},
             "encoding": {"x": x("p25"), "x2": {"field": "p75"}}},
            {"mark": {"type": "tick", "color": "#08306b", "thickness": 2, "size": 16},
             "encoding": {"x": x("p50")}},
        ],
    )  # fmt: skip


def pocket_histogram_chart(
    histograms: Mapping[str, Sequence[Bin]],
    bands: Mapping[str, PocketBand] | None = None,
    *,
    title: str | None = "Pocket price distribution per product",
    columns: int = 2,
) -> Spec:
    """Per product, the share of units per pocket-price bin (``waterfall.histogram``), with
    the band's P10, median and P90 as rules when ``bands`` has the product."""
    values: list[dict[str, Any]] = []
    for product, bins in histograms.items():
        for b in bins:
            values.append(
                {
                    "product": product, "kind": "bin", "lower": number(b.lower),
                    "upper": number(b.upper), "share": number(b.share),
                    "units": number(b.volume),
                }
            )  # fmt: skip
        band = (bands or {}).get(product)
        if band is not None:
            for name, value in (("P10", band.p10), ("median", band.p50), ("P90", band.p90)):
                values.append(
                    {"product": product, "kind": "percentile", "name": name, "lower": number(value)}
                )
    return _spec(
        title,
        data={"values": values},
        facet={"field": "product", "type": "nominal", "sort": list(histograms), "title": None},
        columns=columns,
        spec={
            "width": 260,
            "height": 120,
            "layer": [
                {
                    "transform": [{"filter": {"field": "kind", "equal": "bin"}}],
                    "mark": {"type": "bar", "tooltip": True, "color": "#4c78a8"},
                    "encoding": {
                        "x": {"field": "lower", "type": "quantitative", "bin": {"binned": True},
                              "title": "pocket price, share of list", "axis": {"format": ".0%"},
                              "scale": {"zero": False}},
                        "x2": {"field": "upper"},
                        "y": {"field": "share", "type": "quantitative", "title": "share of units",
                              "axis": {"format": ".0%"}},
                        "tooltip": _tooltip(("lower", "from", RATE), ("upper", "to", RATE),
                                            ("share", "share of units", RATE),
                                            ("units", "units", ",.0f")),
                    },
                },
                {
                    "transform": [{"filter": {"field": "kind", "equal": "percentile"}}],
                    "mark": {"type": "rule", "color": "#e45756", "strokeDash": [3, 3]},
                    "encoding": {
                        "x": {"field": "lower", "type": "quantitative"},
                        "tooltip": _tooltip(("name", "percentile", ""), ("lower", "value", RATE)),
                    },
                },
            ],
        },
    )  # fmt: skip


# --- seller outliers -----------------------------------------------------------------------


def _outlier_values(report: OutlierReport) -> list[dict[str, Any]]:
    return [
        {
            "actor": a.actor,
            "status": a.status,
            "lines": a.lines,
            "rate": number(a.rate),
            "expected_rate": number(a.expected_rate),
            "residual": number(a.residual),
            "z": number(a.z),
            "excess_discount": number(a.excess_discount),
            "money_at_stake": number(a.money_at_stake),
            "shrunk_money_at_stake": number(a.shrunk_money_at_stake),
        }
        for a in report.actors
    ]


_OUTLIER_TOOLTIP = _tooltip(
    ("actor", "seller", ""), ("status", "status", ""), ("lines", "lines", ",d"),
    ("rate", "discount rate", RATE), ("expected_rate", "peer rate", RATE),
    ("z", "z", ".1f"), ("money_at_stake", "money at stake", MONEY),
)  # fmt: skip


def _status_colour() -> Spec:
    return {
        "field": "status", "type": "nominal", "title": "status",
        "scale": {"domain": STATUSES, "range": STATUS_COLOURS},
    }  # fmt: skip


def outliers_chart(
    report: OutlierReport,
    *,
    title: str | None = "Sellers against their peers",
    z_watch: float = 2.0,
    z_flag: float = 3.0,
) -> Spec:
    """Each seller's z-score (x) against the discount $ beyond what their mix predicts (y),
    coloured by status, with the watch and flag lines; sellers without a finite z are left
    out (no noise estimate)."""
    values = [v for v in _outlier_values(report) if v["z"] is not None]
    rules = [{"z": sign * z} for z in (z_watch, z_flag) for sign in (-1, 1)]
    return _spec(
        title,
        width=420,
        height=280,
        layer=[
            {
                "data": {"values": rules},
                "mark": {"type": "rule", "color": "#bbbbbb", "strokeDash": [4, 4]},
                "encoding": {"x": {"field": "z", "type": "quantitative"}},
            },
            {
                "data": {"values": values},
                "mark": {"type": "point", "filled": True, "size": 60, "tooltip": True},
                "encoding": {
                    "x": {"field": "z", "type": "quantitative", "title": "z (peer-adjusted)"},
                    "y": {"field": "excess_discount", "type": "quantitative",
                          "title": "discount $ beyond peers", "axis": {"format": MONEY}},
                    "color": _status_colour(),
                    "tooltip": _OUTLIER_TOOLTIP,
                },
            },
        ],
    )  # fmt: skip


def outliers_ranked_chart(
    report: OutlierReport, *, top: int = 15, title: str | None = "Money at stake by seller"
) -> Spec:
    """The sellers with the most money at stake (discount $ beyond their peers), ranked."""
    values = [v for v in _outlier_values(report) if (v["money_at_stake"] or 0) > 0]
    values.sort(key=lambda v: (-v["money_at_stake"], v["actor"]))
    values = values[:top]
    return _spec(
        title,
        data={"values": values},
        width=420,
        height=max(60, 22 * len(values)),
        mark={"type": "bar", "tooltip": True},
        encoding={
            "y": {"field": "actor", "type": "nominal", "title": None,
                  "sort": [v["actor"] for v in values]},
            "x": {"field": "money_at_stake", "type": "quantitative", "title": "money at stake",
                  "axis": {"format": MONEY, "tickCount": 5}},
            "color": _status_colour(),
            "tooltip": _OUTLIER_TOOLTIP,
        },
    )  # fmt: skip
