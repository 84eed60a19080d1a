"""`valuescout assess willingness --answers FILE` (no database): table and JSON, refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from tests.assessments.willingness_builders import EXPERT
from valuescout.cli import context
from valuescout.cli.main import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(context.console, "width", 250)


def _invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["assess", *args])
    return result.exit_code, result.output


def test_scores_a_file(tmp_path: Path) -> None:
    flat = tmp_path / "flat.yaml"
    flat.write_text(yaml.safe_dump(EXPERT))
    code, out = _invoke("willingness", "--answers", str(flat))
    assert code == 0, out
    assert "Willingness to engage: 100 of 100" in out and "Trusted expert" in out
    nested = tmp_path / "nested.yaml"
    nested.write_text(yaml.safe_dump({"answers": {**EXPERT, "risk_vendor": 1}}))
    code, out = _invoke("willingness", "--answers", str(nested), "--format", "json")
    body = json.loads(out)
    assert code == 0 and body["model"] == "trusted_expert" and body["risk"] < 100


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ({**EXPERT, "risk_vendor": 6}, "risk_vendor: must be a whole number from 1 to 5"),
        ({**EXPERT, "hunch": 2}, "hunch: not a question"),
        ({k: v for k, v in EXPERT.items() if k != "team_experience"}, "team_experience: not"),
        (["a list"], "expected question ids mapped to answers"),
    ],
)
def test_refuses_bad_answers(tmp_path: Path, content: object, message: str) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text(yaml.safe_dump(content))
    code, out = _invoke("willingness", "--answers", str(path))
    assert code == 1 and message in out


def test_refuses_a_missing_or_broken_file(tmp_path: Path) -> None:
    code, out = _invoke("willingness", "--answers", str(tmp_path / "none.yaml"))
    assert code == 1 and "no such file" in out
    broken = tmp_path / "broken.yaml"
    broken.write_text("a: [unclosed")
    code, out = _invoke("willingness", "--answers", str(broken))
    assert code == 1 and "not valid YAML" in out


def test_the_example_file_scores() -> None:
    example = Path(__file__).parents[2] / "examples" / "willingness-answers.yaml"
    code, out = _invoke("willingness", "--answers", str(example), "-f", "json")
    assert code == 0, out
    body = json.loads(out)
    assert (body["newness"], body["risk"], body["willingness"]) == (63, 49, 59)
