"""`valuescout conversations analyze | evaluate`: tables and JSON, a value network's outcomes,
and the refusals (unreadable, non-UTF-8, empty notes; a bad network file)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from valuescout.cli import context
from valuescout.cli.main import app
from valuescout.conversations.schemas import MAX_NOTES

runner = CliRunner()
DEMO = Path(__file__).parents[2] / "src/valuescout/valuenet/data/demo/flowcare.yaml"
TRANSCRIPT = """\
[00:00:05] Anna Berg: How many pumps do you run on line 2?
[00:00:12] Tom Reed: About 30 pumps. We had three outages last quarter, each cost us $40k.
[00:00:30] Anna Berg: What does that do to your deliveries to customers?
[00:00:41] Tom Reed: Our CFO, Maria Lopez, gets nervous. We've seen it hit the retail contracts.
"""


@pytest.fixture(autouse=True)
def wide_console(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(context.console, "width", 250)


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture()
def notes(tmp_path: Path) -> Path:
    path = tmp_path / "call.txt"
    path.write_text(TRANSCRIPT, encoding="utf-8")
    return path


def test_analyze_json_lists_every_question_with_kind(notes: Path) -> None:
    code, out, _ = invoke("conversations", "analyze", str(notes), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert [(q["kind"], q["category"], q["speaker"]) for q in data["questions"]] == [
        ("qualification", "situation", "Anna Berg"),
        ("expansion", "implication", "Anna Berg"),
    ]
    assert set(data["questions"][0]) == {"text", "kind", "category", "cue", "speaker"}
    assert {(f["kind"], f["value"]) for f in data["figures"]} == {
        ("volume", "30"),
        ("money", "40000"),
    }
    assert {"name": "Maria Lopez", "title": "CFO"}.items() <= data["people"][0].items()
    assert data["speakers"] == ["Anna Berg", "Tom Reed"]
    assert data["outcomes"] == []  # no network given
    assert [i["cue"] for i in data["insights"]] == ["we've seen"]


def test_analyze_matches_the_outcomes_of_a_network_file(notes: Path) -> None:
    code, out, _ = invoke(
        "conversations", "analyze", str(notes), "-f", "json", "--network", str(DEMO)
    )
    assert code == 0
    matched = {(m["name"], m["sentence"]) for m in json.loads(out)["outcomes"]}
    assert (
        "Less unplanned downtime",
        "We had three outages last quarter, each cost us $40k.",
    ) in matched


def test_analyze_table(notes: Path) -> None:
    code, out, _ = invoke("conversations", "analyze", str(notes), "--network", str(DEMO))
    assert code == 0
    for heading in ("Questions", "Figures", "People", "Outcomes", "Insights"):
        assert heading in out
    assert "What does that do to your deliveries to customers?" in out
    assert "Speakers: Anna Berg, Tom Reed" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe\x00broken", "not UTF-8 text"),
        (b"  \n\t\n", "the file is empty"),
    ],
)
def test_analyze_refuses_unusable_notes(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(content)
    code, out, err = invoke("conversations", "analyze", str(path))
    assert code == 1 and out == "" and message in err


def test_analyze_refuses_a_missing_file(tmp_path: Path) -> None:
    code, out, err = invoke("conversations", "analyze", str(tmp_path / "nope.txt"))
    assert code == 1 and out == "" and "cannot read the file" in err


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "net.yaml",
            "format: valuescout.value-network/1\noutcomes: 5\n",
            "not a valid value network",
        ),
        ("net.yaml", "[unclosed", "not a valid value network"),
        ("net.txt", "name: x", "name it .yaml"),
    ],
)
def test_analyze_refuses_a_bad_network_file(
    notes: Path, tmp_path: Path, name: str, content: str, message: str
) -> None:
    network = tmp_path / name
    network.write_text(content, encoding="utf-8")
    code, out, err = invoke("conversations", "analyze", str(notes), "--network", str(network))
    assert code == 1 and out == "" and message in err
    assert err.count("Error:") == 1


def test_evaluate_json_reports_each_part_and_task() -> None:
    code, out, _ = invoke("conversations", "evaluate", "--format", "json")
    assert code == 0
    parts = json.loads(out)["parts"]
    assert [p["part"] for p in parts] == ["dev", "holdout", "fresh", "blind"]
    for part in parts:
        assert set(part["question_kind"]) == {"expansion", "qualification"}
        for score in (part["question_detection"], part["outcome_matching"]):
            assert 0 <= score["precision"] <= 1 and score["actual"] > 0


def test_evaluate_table() -> None:
    code, out, _ = invoke("conversations", "evaluate")
    assert code == 0
    assert "question kind: expansion" in out and "outcome matching" in out and "holdout" in out


def test_evaluate_lists_mistakes_on_stderr_when_asked() -> None:
    code, out, err = invoke("conversations", "evaluate", "--format", "json", "--mistakes")
    assert code == 0 and json.loads(out)["parts"]
    assert "dev: " in err and ("missed question" in err or " is " in err)


@pytest.mark.parametrize("size", [MAX_NOTES + 1, 4 * MAX_NOTES + 4])
def test_analyze_refuses_notes_longer_than_the_api_takes(tmp_path: Path, size: int) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("What would it cost you? " + "x" * (size - 24), encoding="utf-8")
    code, out, err = invoke("conversations", "analyze", str(path))
    assert code == 1 and out == "" and "longer than the 50,000 characters" in err


def test_analyze_takes_notes_of_the_longest_length(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    text = "What would it cost you to wait a year? "
    path.write_text((text * (MAX_NOTES // len(text) + 1))[:MAX_NOTES], encoding="utf-8")
    code, out, _ = invoke("conversations", "analyze", str(path), "--format", "json")
    assert code == 0 and json.loads(out)["questions"]
