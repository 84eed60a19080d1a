"""`valuescout assess maturity --answers FILE --format json|html [--out FILE]`: scoring a file
without a database, the example file, and refusals naming the file, the line and the id."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from valuescout.cli.main import app

runner = CliRunner()
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "maturity-answers.yaml"


def test_the_example_scores_as_json() -> None:
    result = runner.invoke(app, ["assess", "maturity", "--answers", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["source"] == "maturity-answers.yaml" and len(body["respondents"]) == 3
    levels = {d["id"]: d["level"] for d in body["result"]["domains"]}
    assert levels == {"alignment": "good", "capability": "great", "enablement": "good"}
    assert body["result"]["overall"] == "good"
    assert body["result"]["evidence"] == []  # no database, no data-backed indicators


def test_html_report_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "maturity.html"
    args = ["assess", "maturity", "-a", str(EXAMPLE), "--format", "html", "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>") and "<style>" in html and "<svg" in html
    assert 'href="/static' not in html  # opens offline: nothing linked
    assert "Overall:" in html and "Next steps" in html


def test_unknown_ids_and_out_of_range_answers_name_file_line_and_id(tmp_path: Path) -> None:
    bad = tmp_path / "answers.yaml"
    bad.write_text(
        "respondents:\n"
        "  Ana:\n"
        "    align-one-lead-definition: 5\n"
        "    align-made-up: 2\n"
        "    cap-methodology: null\n"
        "    cap-call-planning: -1\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["assess", "maturity", "--answers", str(bad)])
    assert result.exit_code == 1
    text = " ".join(result.output.split())
    assert f"{bad}, line 3: Ana: align-one-lead-definition: answer '5' is outside 0-4" in text
    assert f"{bad}, line 4: Ana: unknown indicator id 'align-made-up'" in text
    assert f"{bad}, line 6: Ana: cap-call-planning: answer '-1' is outside 0-4" in text
    assert "line 5" not in text  # null is "don't know"


def test_other_refusals(tmp_path: Path) -> None:
    missing = runner.invoke(app, ["assess", "maturity", "--answers", str(tmp_path / "no.yaml")])
    assert missing.exit_code == 1 and "no such file" in missing.output
    versioned = tmp_path / "v.yaml"
    versioned.write_text("version: 7\nrespondents: {A: {}}\n", encoding="utf-8")
    result = runner.invoke(app, ["assess", "maturity", "--answers", str(versioned)])
    assert result.exit_code == 1 and "version '7' is not a content version" in result.output
    broken = tmp_path / "b.yaml"
    broken.write_text("respondents: [\n", encoding="utf-8")
    result = runner.invoke(app, ["assess", "maturity", "--answers", str(broken)])
    assert result.exit_code == 1 and "not valid YAML" in result.output
    twice = tmp_path / "t.yaml"
    twice.write_text("respondents:\n  A: {cap-methodology: 1}\n  A: {}\n", encoding="utf-8")
    result = runner.invoke(app, ["assess", "maturity", "--answers", str(twice)])
    assert result.exit_code == 1 and "line 3: respondent 'A' is given twice" in result.output
    result = runner.invoke(app, ["assess", "maturity", "-a", str(EXAMPLE), "-o", str(tmp_path)])
    assert result.exit_code == 1 and "name a file in an existing folder" in result.output
