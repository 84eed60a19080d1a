"""Vega-Lite chart specs of the forecast, as plain dicts with their data inline.

Pure, in the conventions of ``analytics/charts.py`` (this package may not import analytics,
so its few helpers are repeated here): each function takes plain rows and returns a spec that
``json.dumps`` writes as it is (money as float, NaN and infinity as null), with ``$schema``
v6 and only what Vega-Lite 5 and 6 both understand; data always comes as ``values``. Pages
draw them with ``static/js/charts.js``.

- ``range_chart``: per method the P10-P90 range as a bar, the P50 as a tick, the expected
  bookings as a diamond, and the quota as a dashed rule;
- ``error_chart``: each method's forecast error (%) per closed quarter, with the zero line;
- ``calibration_chart``: each method's calibration curve (mean predicted probability against
  the share won per bin) with the diagonal of perfect calibration.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from valuescout.core.vegalite import MONEY, RATE, Spec, base_spec, number

RANGE_COLOUR = "#9ecae1"
P50_COLOUR = "#08519c"
EXPECTED_COLOUR = "#e6550d"
QUOTA_COLOUR = "#54a24b"


class MethodRange(Protocol):
    """What the range chart needs of a method's forecast (``schemas.MethodOut``)."""

    @property
    def label(self) -> str: ...
    @property
    def available(self) -> bool: ...
    @property
    def expected(self) -> float | None: ...
    @property
    def p10(self) -> float | None: ...
    @property
    def p50(self) -> float | None: ...
    @property
    def p90(self) -> float | None: ...


class CalibrationBin(Protocol):
    @property
    def mean_predicted(self) -> float: ...
    @property
    def fraction_won(self) -> float: ...
    @property
    def count(self) -> int: ...


def _tip(field: str, title: str, fmt: str | None = None) -> dict[str, Any]:
    if fmt is None:
        return {"field": field, "title": title, "type": "nominal"}
    return {"field": field, "title": title, "type": "quantitative", "format": fmt}


# --- the range of each method --------------------------------------------------------------


def range_chart(
    methods: Sequence[MethodRange], *, quota: float | None = None, title: str | None = None
) -> Spec:
    """P10-P90 bar, P50 tick and expected diamond per available method, on one money axis;
    the quota, when there is one, as a dashed vertical rule."""
    values = [
        {
            "method": m.label,
            "p10": number(m.p10),
            "p50": number(m.p50),
            "p90": number(m.p90),
            "expected": number(m.expected),
        }
        for m in methods
        if m.available and m.p10 is not None and m.p90 is not None
    ]
    order = [v["method"] for v in values]
    y = {"field": "method", "type": "nominal", "sort": order, "title": None}
    money = {
        "type": "quantitative",
        "title": "bookings",
        "axis": {"format": "~s"},
        "scale": {"zero": False},  # the ranges, not the distance from nothing
    }
    tips = [
        _tip("method", "method"),
        _tip("p10", "P10", MONEY),
        _tip("p50", "P50", MONEY),
        _tip("p90", "P90", MONEY),
        _tip("expected", "expected", MONEY),
    ]
    layers: list[Spec] = [
        {
            "mark": {"type": "bar", "color": RANGE_COLOUR, "height": 18, "tooltip": True},
            "encoding": {"y": y, "x": {"field": "p10", **money}, "x2": {"field": "p90"},
                         "tooltip": tips},
        },
        {
            "mark": {"type": "tick", "color": P50_COLOUR, "thickness": 3, "size": 24},
            "encoding": {"y": y, "x": {"field": "p50", "type": "quantitative"}, "tooltip": tips},
        },
        {
            "mark": {"type": "point", "shape": "diamond", "filled": True,
                     "color": EXPECTED_COLOUR, "size": 90},
            "encoding": {"y": y, "x": {"field": "expected", "type": "quantitative"},
                         "tooltip": tips},
        },
    ]  # fmt: skip
    if quota is not None and number(quota) is not None:
        layers.append(
            {
                "data": {"values": [{"quota": number(quota)}]},
                "mark": {"type": "rule", "color": QUOTA_COLOUR, "strokeDash": [6, 4],
                         "strokeWidth": 2},
                "encoding": {"x": {"field": "quota", "type": "quantitative"},
                             "tooltip": [_tip("quota", "quota", MONEY)]},
            }
        )  # fmt: skip
    return base_spec(
        title,
        data={"values": values},
        width=480,
        height=max(60, 36 * len(values)),
        layer=layers,
    )


# --- accuracy over closed quarters ----------------------------------------------------------


def error_chart(rows: Sequence[tuple[str, str, float | None]], *, title: str | None = None) -> Spec:
    """Forecast error per method per quarter: rows of (period, method label, error as a
    fraction of the actual bookings, or None when unknown — left out)."""
    values = [
        {"period": period, "method": method, "error": number(error)}
        for period, method, error in rows
        if number(error) is not None
    ]
    periods = sorted({str(v["period"]) for v in values})
    return base_spec(
        title,
        width=480,
        height=240,
        layer=[
            {
                "data": {"values": [{"zero": 0}]},
                "mark": {"type": "rule", "color": "#888888", "strokeDash": [4, 4]},
                "encoding": {"y": {"field": "zero", "type": "quantitative"}},
            },
            {
                "data": {"values": values},
                "mark": {"type": "line", "point": True, "tooltip": True},
                "encoding": {
                    "x": {"field": "period", "type": "ordinal", "sort": periods,
                          "title": "quarter"},
                    "y": {"field": "error", "type": "quantitative",
                          "title": "error (forecast - actual) / actual",
                          "axis": {"format": ".0%"}},
                    "color": {"field": "method", "type": "nominal", "title": None},
                    "tooltip": [_tip("period", "quarter"), _tip("method", "method"),
                                _tip("error", "error", RATE)],
                },
            },
        ],
    )  # fmt: skip


def calibration_chart(
    methods: Sequence[tuple[str, Sequence[CalibrationBin]]], *, title: str | None = None
) -> Spec:
    """Each method's calibration curve: per bin the mean predicted probability against the
    share of its deals won, with the diagonal where a probability means what it says."""
    values = [
        {
            "method": label,
            "predicted": number(b.mean_predicted),
            "won": number(b.fraction_won),
            "deals": number(b.count),
        }
        for label, bins in methods
        for b in bins
    ]
    axes = {
        "x": {"field": "predicted", "type": "quantitative", "title": "predicted probability",
              "axis": {"format": ".0%"}, "scale": {"domain": [0, 1]}},
        "y": {"field": "won", "type": "quantitative", "title": "share won",
              "axis": {"format": ".0%"}, "scale": {"domain": [0, 1]}},
    }  # fmt: skip
    return base_spec(
        title,
        width=320,
        height=320,
        layer=[
            {
                "data": {"values": [{"predicted": 0, "won": 0}, {"predicted": 1, "won": 1}]},
                "mark": {"type": "line", "color": "#888888", "strokeDash": [4, 4]},
                "encoding": axes,
            },
            {
                "data": {"values": values},
                "mark": {"type": "line", "point": True, "tooltip": True},
                "encoding": {
                    **axes,
                    "color": {"field": "method", "type": "nominal", "title": None},
                    "tooltip": [
                        _tip("method", "method"),
                        _tip("predicted", "predicted", RATE),
                        _tip("won", "won", RATE),
                        _tip("deals", "deals", ",d"),
                    ],
                },
            },
        ],
    )
