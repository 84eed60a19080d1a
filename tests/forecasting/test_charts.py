"""The forecast's chart specs: the range per method, the error per quarter and the
calibration curves — their data, JSON-safety, and that each draws under Vega-Lite 5 and 6."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

import pytest

from valuescout.forecasting import charts


@dataclass
class M:
    label: str
    available: bool = True
    expected: float | None = 120.0
    p10: float | None = 80.0
    p50: float | None = 118.0
    p90: float | None = 160.0


@dataclass
class B:
    mean_predicted: float
    fraction_won: float
    count: int


METHODS = [M("Stage-weighted"), M("Fit + engagement", p90=math.inf), M("Trained", False, None)]


def test_range_chart_draws_available_methods_with_the_quota() -> None:
    spec = charts.range_chart(METHODS, quota=150.0)
    values = spec["data"]["values"]
    assert [v["method"] for v in values] == ["Stage-weighted", "Fit + engagement"]
    assert values[1]["p90"] is None  # infinity is not JSON
    assert values[0] == {"method": "Stage-weighted", "p10": 80.0, "p50": 118.0, "p90": 160.0,
                         "expected": 120.0}  # fmt: skip
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["bar", "tick", "point", "rule"]
    assert spec["layer"][3]["data"]["values"] == [{"quota": 150.0}]
    json.dumps(spec, allow_nan=False)
    assert len(charts.range_chart(METHODS)["layer"]) == 3  # no quota, no rule


def test_error_and_calibration_charts() -> None:
    errors = charts.error_chart(
        [("2026-Q2", "Stage", 0.1), ("2026-Q1", "Stage", -0.2), ("2026-Q1", "Trained", None)]
    )
    line = errors["layer"][1]
    assert line["data"]["values"] == [
        {"period": "2026-Q2", "method": "Stage", "error": 0.1},
        {"period": "2026-Q1", "method": "Stage", "error": -0.2},
    ]
    assert line["encoding"]["x"]["sort"] == ["2026-Q1", "2026-Q2"]
    curve = charts.calibration_chart([("Stage", [B(0.25, 0.2, 10), B(0.75, 0.8, 5)])])
    assert curve["layer"][1]["data"]["values"][1] == {
        "method": "Stage", "predicted": 0.75, "won": 0.8, "deals": 5,
    }  # fmt: skip
    json.dumps(errors, allow_nan=False)
    json.dumps(curve, allow_nan=False)


@pytest.mark.parametrize("version", ["5.21", "6.4"])
def test_every_spec_draws_as_svg(version: str) -> None:
    vlc = pytest.importorskip("vl_convert")
    specs = {
        "range": charts.range_chart(METHODS, quota=150.0),
        "errors": charts.error_chart([("2026-Q1", "Stage", -0.2), ("2026-Q2", "Stage", 0.1)]),
        "calibration": charts.calibration_chart([("Stage", [B(0.25, 0.2, 10), B(0.75, 0.8, 5)])]),
    }
    for name, spec in specs.items():
        svg = vlc.vegalite_to_svg(spec, vl_version=version)
        assert svg.startswith("<svg") and "</svg>" in svg, name
        assert svg.count("<path") + svg.count("<rect") + svg.count("<line") > 3, name
