"""The radar: the Vega-Lite spec (rings, spokes, the profile closed, the previous round) and
the inline SVG for print (no script, no reference outside it)."""

from __future__ import annotations

import json

from valuescout.assessments.maturity_charts import journey_spec, radar_spec, radar_svg

AXES = [("Alignment", 1.0), ("Capability", 2.5), ("Enablement", 3.0)]


def test_radar_spec_layers_and_profile() -> None:
    spec = radar_spec(AXES)
    json.dumps(spec)  # JSON-safe as it is
    assert spec["$schema"].endswith("v6.json")
    grid, spokes, _rings, profile, points, labels = (
        layer["data"]["values"] for layer in spec["layer"]
    )
    assert {row["series"] for row in grid} == {"Good", "Great", "Elite"}
    assert len(spokes) == 6
    assert [row["order"] for row in profile] == [0, 1, 2, 3]
    assert profile[0]["x"] == profile[-1]["x"] and profile[0]["y"] == profile[-1]["y"]
    assert (profile[0]["x"], profile[0]["y"]) == (0.0, round(1 / 3, 4))  # Good, at the top
    assert (
        points[2]["position"] == 3.0 and abs(points[2]["x"] ** 2 + points[2]["y"] ** 2 - 1) < 1e-3
    )
    assert [row["label"] for row in labels] == ["Alignment", "Capability", "Enablement"]
    assert spec["layer"][3]["encoding"]["color"]["legend"] is None


def test_radar_spec_with_the_previous_round() -> None:
    spec = radar_spec(AXES, [("Alignment", 0.5), ("Capability", 1.0), ("Enablement", 1.0)])
    series = {row["series"] for row in spec["layer"][3]["data"]["values"]}
    assert series == {"Previous round", "This round"}
    assert spec["layer"][3]["encoding"]["color"]["legend"] == {"orient": "bottom"}


def test_positions_beyond_the_scale_are_clipped() -> None:
    spec = radar_spec([("A", -1.0), ("B", 9.0), ("C", 0.0)])
    profile = spec["layer"][3]["data"]["values"]
    assert profile[0]["x"] == 0.0 and profile[0]["y"] == 0.0
    assert abs(profile[1]["x"] ** 2 + profile[1]["y"] ** 2 - 1) < 1e-3


def test_radar_svg_is_self_contained() -> None:
    svg = radar_svg(AXES, [("Alignment", 0.5), ("Capability", 1.0), ("Enablement", 1.0)])
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "<script" not in svg and "href" not in svg
    assert svg.count("<polygon") == 5  # three rings, previous, this round
    assert 'stroke-dasharray="4 3"' in svg
    assert "&amp;" in radar_svg([("A & B", 1.0), ("C", 1.0), ("D", 1.0)])


def test_journey_spec_orders_rounds_and_clips_positions() -> None:
    rows = [("Q3", "Alignment", 1.2), ("Q3", "Enablement", -0.5), ("Q4", "Alignment", 3.4)]
    spec = journey_spec(rows)
    json.dumps(spec)
    assert spec["encoding"]["x"]["sort"] == ["Q3", "Q4"]
    assert [v["position"] for v in spec["data"]["values"]] == [1.2, 0.0, 3.0]
    assert spec["encoding"]["y"]["scale"]["domain"] == [0, 3.0]
