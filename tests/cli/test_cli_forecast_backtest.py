"""`valuescout forecast backtest`: JSON shape, the table, and every refusal as one clear
message (exit 1, nothing on stdout, no traceback)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from tests.forecasting.synthetic import known_deals, write_csv
from valuescout.cli import context
from valuescout.cli.main import app

runner = CliRunner()
SCORE_KEYS = {"auc", "brier", "log_loss", "calibration", "n_train", "n_test"}


@pytest.fixture(autouse=True)
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(context.console, "width", 250)
    monkeypatch.setattr(context.err_console, "width", 250)


def run(*args: str) -> Result:
    return runner.invoke(app, ["forecast", "backtest", *args])


def ok(*args: str) -> str:
    result = run(*args)
    assert result.exit_code == 0, result.output
    return result.stdout


def refused(*args: str) -> str:
    result = run(*args)
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert isinstance(result.exception, SystemExit)  # a message, never a traceback
    return " ".join(result.stderr.split())


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> str:
    rows, _, _ = known_deals(3000, seed=31)
    for i, row in enumerate(rows):
        if i % 10 == 0:
            row["outcome"] = "Open"
    rows += rows[:25]  # duplicated lines, as exports have
    return str(write_csv(tmp_path_factory.mktemp("export") / "deals.csv", rows))


BASE = ("--outcome", "outcome", "--won", "Closed Won", "--lost", "Closed Lost")


def test_forecast_group_lists_backtest() -> None:
    result = runner.invoke(app, ["forecast", "--help"])
    assert result.exit_code == 0 and "backtest" in result.stdout


def test_json_shape(export: str) -> None:
    body = json.loads(
        ok("--history", export, *BASE, "--id", "opportunity_id", "--stage", "stage",
           "--split", "random:0.25", "--seed", "3", "--format", "json")
    )  # fmt: skip
    assert set(body) == {"model", "baselines", "data"}
    assert set(body["baselines"]) == {"base_rate", "stage_weighted"}
    for score in (
        body["model"],
        body["baselines"]["base_rate"],
        body["baselines"]["stage_weighted"],
    ):
        assert set(score) == SCORE_KEYS
        assert (score["n_train"], score["n_test"]) == (2025, 675)
    assert body["model"]["auc"] > body["baselines"]["stage_weighted"]["auc"] > 0.5
    assert body["model"]["brier"] < body["baselines"]["base_rate"]["brier"]
    data = body["data"]
    assert (data["duplicates_removed"], data["open_left_out"]) == (25, 300)
    assert data["split"] == "random:0.25"
    assert {"column": "opportunity_id", "reason": "id column"} in data["dropped_columns"]
    no_stage = json.loads(ok("--history", export, *BASE, "-f", "json"))
    assert no_stage["baselines"]["stage_weighted"] is None


def test_table(export: str) -> None:
    out = ok("--history", export, *BASE, "--stage", "stage", "--exclude", "noise",
             "--split", "time:created:2017-09-01")  # fmt: skip
    for text in ("Backtest", "│ model ", "│ base rate ", "│ stage-weighted ", "Calibration: model"):
        assert text in out
    assert "Split time:created:2017-09-01" in out
    assert "Left out: 25 duplicated rows, 300 open deals." in out
    assert "noise (excluded)" in out and "created (time-split column)" in out
    assert "product (categorical)" in out and "amount (numeric)" in out


def test_without_lost_every_other_outcome_is_a_loss(export: str) -> None:
    body = json.loads(ok("--history", export, "--outcome", "outcome", "--won", "Closed Won",
                         "-f", "json"))  # fmt: skip
    assert body["data"]["open_left_out"] == 0
    assert body["model"]["n_train"] + body["model"]["n_test"] == 3000


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--outcome", "result"), "no outcome column 'result'; columns: opportunity_id, ticket"),
        (("--id", "deal"), "--id: "),
        (("--exclude", "nope"), "has no column 'nope'"),
        (("--stage", "phase"), "--stage: "),
        (("--split", "random:2"), "--split 'random:2': write random:F with F between 0 and 1"),
        (("--split", "time:created"), "write time:COLUMN:YYYY-MM-DD"),
        (("--split", "halves"), "write random:F or time:COLUMN:YYYY-MM-DD"),
        (("--split", "time:created:2016-01-01"), "no closed deal has created before 2016-01-01"),
        (("--split", "time:created:2018-01-01"), "created on or after 2018-01-01"),
        (("--won", "Won"), "No wins (outcome = 'Won') in the training part"),
        (("--lost", "Closed Won"), "No losses"),
    ],
)
def test_refusals(export: str, args: tuple[str, ...], message: str) -> None:
    options = dict(zip(BASE[::2], BASE[1::2], strict=True))
    for name, value in zip(args[::2], args[1::2], strict=True):
        options[name] = value
    flat = [item for pair in options.items() for item in pair]
    assert message in refused("--history", export, *flat, "-f", "json")


def test_file_refusals(tmp_path: Path) -> None:
    assert "no such file" in refused("--history", str(tmp_path / "none.csv"), *BASE)
    assert "not a file" in refused("--history", str(tmp_path), *BASE)
    binary = tmp_path / "deals.xlsx"
    binary.write_bytes(b"PK\x03\x04\x00\x00\x00")
    assert "not a CSV file" in refused("--history", str(binary), *BASE)
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("outcome,size\nClosed Won,1\nClosed Lost\n", encoding="utf-8")
    assert "line 3 has 1 fields; the header has 2" in refused("--history", str(ragged), *BASE)
    latin = tmp_path / "latin.csv"
    latin.write_bytes(b"outcome,city\nClosed Won,M\xfcnchen\n")
    assert "line 2 is not UTF-8 text" in refused("--history", str(latin), *BASE)


def test_too_few_deals_to_learn(tmp_path: Path) -> None:
    small = tmp_path / "small.csv"
    lines = ["outcome,size"] + [
        f"{'Closed Won' if i < 4 else 'Closed Lost'},{i}" for i in range(30)
    ]
    small.write_text("\n".join(lines) + "\n", encoding="utf-8")
    message = refused("--history", str(small), *BASE)
    assert "wins and" in message and "at least 5 of each" in message
