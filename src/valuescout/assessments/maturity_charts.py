"""The maturity radar: one axis per domain, rings at Good, Great and Elite, the profile as a
closed polygon (and the previous round's, dashed, when given).

Pure. `radar_spec` is a Vega-Lite spec for the pages (drawn by static/js/charts.js); `radar_svg`
draws the same figure as inline SVG for the printed report and its PDF (WeasyPrint runs no
script). Vega-Lite has no polar line, so both place the points in x/y themselves.
`journey_spec` draws each domain's position round after round.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from valuescout.core.vegalite import Spec, base_spec

RINGS = (("Good", 1.0), ("Great", 2.0), ("Elite", 3.0))
TOP = 3.0  # Elite, the outer ring
NOW_COLOUR = "#08519c"
BEFORE_COLOUR = "#9e9e9e"
Axis = tuple[str, float]  # the domain's title and its position (0 Average ... 3 Elite)


def _point(index: int, count: int, radius: float) -> tuple[float, float]:
    """Axis `index` of `count`, starting at the top and going clockwise; radius 1 = Elite."""
    angle = math.pi / 2 - 2 * math.pi * index / count
    return round(radius * math.cos(angle), 4), round(radius * math.sin(angle), 4)


def _polygon(values: Sequence[float], series: str) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    count = len(values)
    for order, index in enumerate([*range(count), 0]):  # closed: back to the first
        x, y = _point(index, count, min(max(values[index], 0.0), TOP) / TOP)
        rows.append({"series": series, "order": order, "x": x, "y": y})
    return rows


def radar_spec(axes: Sequence[Axis], previous: Sequence[Axis] | None = None) -> Spec:
    count = len(axes)
    grid = [
        {**row, "series": name} for name, level in RINGS for row in _polygon([level] * count, name)
    ]
    spokes = [
        {"spoke": title, "x": x, "y": y}
        for index, (title, _) in enumerate(axes)
        for x, y in ((0.0, 0.0), _point(index, count, 1.0))
    ]
    labels = [
        {"label": title, "x": _point(i, count, 1.18)[0], "y": _point(i, count, 1.18)[1]}
        for i, (title, _) in enumerate(axes)
    ]
    ring_labels = [{"label": n, "x": 0.03, "y": level / TOP} for n, level in RINGS]
    profile = _polygon([p for _, p in axes], "This round")
    points = []
    for i, (title, pos) in enumerate(axes):
        px, py = _point(i, count, min(pos, TOP) / TOP)
        points.append({"domain": title, "position": round(pos, 2), "x": px, "y": py})
    if previous:
        profile = _polygon([p for _, p in previous], "Previous round") + profile
    scale = {"domain": [-1.45, 1.45], "nice": False}
    x = {"field": "x", "type": "quantitative", "scale": scale, "axis": None}
    y = {"field": "y", "type": "quantitative", "scale": scale, "axis": None}
    return base_spec(
        None,
        width=340,
        height=340,
        layer=[
            {"data": {"values": grid}, "mark": {"type": "line", "color": "#d0d0d0"},
             "encoding": {"x": x, "y": y, "detail": {"field": "series"},
                          "order": {"field": "order", "type": "quantitative"}}},
            {"data": {"values": spokes}, "mark": {"type": "line", "color": "#e0e0e0"},
             "encoding": {"x": x, "y": y, "detail": {"field": "spoke"}}},
            {"data": {"values": ring_labels},
             "mark": {"type": "text", "align": "left", "fontSize": 10, "color": "#888"},
             "encoding": {"x": x, "y": y, "text": {"field": "label"}}},
            {"data": {"values": profile}, "mark": {"type": "line", "strokeWidth": 2},
             "encoding": {
                 "x": x, "y": y, "order": {"field": "order", "type": "quantitative"},
                 "color": {"field": "series", "type": "nominal", "title": None,
                           "scale": {"domain": ["Previous round", "This round"],
                                     "range": [BEFORE_COLOUR, NOW_COLOUR]},
                           "legend": {"orient": "bottom"} if previous else None},
                 "strokeDash": {"field": "series", "type": "nominal", "legend": None,
                                "scale": {"domain": ["Previous round", "This round"],
                                          "range": [[4, 3], [1, 0]]}},
             }},
            {"data": {"values": points}, "mark": {"type": "point", "filled": True,
                                                  "color": NOW_COLOUR, "size": 60},
             "encoding": {"x": x, "y": y, "tooltip": [
                 {"field": "domain", "title": "Domain"},
                 {"field": "position", "title": "Position (1 Good, 2 Great, 3 Elite)",
                  "type": "quantitative", "format": ".1f"}]}},
            {"data": {"values": labels}, "mark": {"type": "text", "fontSize": 12},
             "encoding": {"x": x, "y": y, "text": {"field": "label"}}},
        ],
    )  # fmt: skip


def journey_spec(rows: Sequence[tuple[str, str, float]]) -> Spec:
    """Each domain's position round by round: rows of (round label, domain title, position),
    the rounds in the order given (oldest first)."""
    rounds = list(dict.fromkeys(label for label, _, _ in rows))
    values = [
        {"round": label, "domain": title, "position": round(min(max(pos, 0.0), TOP), 2)}
        for label, title, pos in rows
    ]
    level_axis = {
        "title": None,
        "values": [0, 1, 2, 3],
        "labelExpr": "['Average', 'Good', 'Great', 'Elite'][datum.value]",
    }
    return base_spec(
        None,
        width="container",
        height=220,
        data={"values": values},
        mark={"type": "line", "point": True},
        encoding={
            "x": {"field": "round", "type": "ordinal", "sort": rounds, "title": None,
                  "axis": {"labelAngle": 0, "labelLimit": 220}},
            "y": {"field": "position", "type": "quantitative", "scale": {"domain": [0, TOP]},
                  "axis": level_axis},
            "color": {"field": "domain", "type": "nominal", "title": None,
                      "legend": {"orient": "bottom", "labelLimit": 320}},
            "tooltip": [
                {"field": "round", "title": "Round"},
                {"field": "domain", "title": "Domain"},
                {"field": "position", "title": "Position (1 Good, 2 Great, 3 Elite)",
                 "type": "quantitative", "format": ".1f"},
            ],
        },
    )  # fmt: skip


def radar_svg(axes: Sequence[Axis], previous: Sequence[Axis] | None = None, size: int = 300) -> str:
    """The radar as a self-contained SVG element (no script, no external reference)."""
    count = len(axes)
    half = size / 2
    reach = size * 0.33  # Elite's radius; room around for the labels

    def xy(index: int, radius: float) -> str:
        x, y = _point(index, count, radius)
        return f"{half + x * reach:.1f},{half - y * reach:.1f}"

    def outline(values: Sequence[float]) -> str:
        return " ".join(xy(i, min(max(v, 0.0), TOP) / TOP) for i, v in enumerate(values))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        f'width="{size}" height="{size}" role="img" aria-label="Maturity radar">'
    ]
    for name, level in RINGS:
        parts.append(f'<polygon points="{outline([level] * count)}" fill="none" stroke="#ccc"/>')
        label_x, label_y = xy(0, level / TOP).split(",")
        parts.append(
            f'<text x="{float(label_x) + 3:.1f}" y="{float(label_y) + 10:.1f}" font-size="9" '
            f'fill="#888">{name}</text>'
        )
    for i, (title, _) in enumerate(axes):
        parts.append(f'<polyline points="{half},{half} {xy(i, 1.0)}" stroke="#e0e0e0"/>')
        lx, ly = (float(v) for v in xy(i, 1.22).split(","))
        parts.append(
            f'<text x="{lx:.1f}" y="{ly:.1f}" font-size="10" text-anchor="middle">'
            f"{escape(_short(title))}</text>"
        )
    if previous:
        parts.append(
            f'<polygon points="{outline([p for _, p in previous])}" fill="none" '
            f'stroke="{BEFORE_COLOUR}" stroke-dasharray="4 3" stroke-width="1.5"/>'
        )
    parts.append(
        f'<polygon points="{outline([p for _, p in axes])}" fill="{NOW_COLOUR}" '
        f'fill-opacity="0.15" stroke="{NOW_COLOUR}" stroke-width="2"/>'
    )
    parts.append("</svg>")
    return "".join(parts)


def _short(title: str) -> str:
    """The domain's title up to its first comma or 'to' clause, for the small figure."""
    return title.split(" to ")[0].split(",")[0][:40]
