"""Vega-Lite specs of how prices and sellers spread: pocket price bands and histograms per
product, seller outliers (z against the money beyond peers, and ranked by money at stake).

Pure, like ``charts.py`` (whose conventions and helpers these specs share).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from valuescout.analytics.charts import STATUS_COLOURS, STATUSES, tooltip
from valuescout.analytics.outliers import OutlierReport
from valuescout.analytics.waterfall import Bin, PocketBand
from valuescout.core.vegalite import MONEY, RATE, Spec, base_spec, number

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

    tips = tooltip(
        ("product", "product", ""), ("units", "units", ",.0f"), ("p10", "P10", RATE),
        ("p50", "median", RATE), ("p90", "P90", RATE), ("width", "P90-P10", RATE),
    )  # fmt: skip
    return base_spec(
        title,
        data={"values": values},
        width=420,
        height=max(60, 22 * len(values)),
        encoding={"y": y, "tooltip": tips},
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
    return base_spec(
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
                        "tooltip": tooltip(("lower", "from", RATE), ("upper", "to", RATE),
                                            ("share", "share of units", RATE),
                                            ("units", "units", ",.0f")),
                    },
                },
                {
                    "transform": [{"filter": {"field": "kind", "equal": "percentile"}}],
                    "mark": {"type": "rule", "color": "#e45756", "strokeDash": [3, 3]},
                    "encoding": {
                        "x": {"field": "lower", "type": "quantitative"},
                        "tooltip": tooltip(("name", "percentile", ""), ("lower", "value", RATE)),
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


_OUTLIER_TOOLTIP = tooltip(
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
    return base_spec(
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
    return base_spec(
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
