"""`valuescout analytics leakage`: the summary as table, JSON and CSV; the values file's errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.analytics.test_engine import write
from tests.analytics.test_leakage import HAND
from tests.cli.test_cli_analytics import ok, refused, run
from valuescout.cli import context


@pytest.fixture(autouse=True)
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(context.console, "width", 250)


@pytest.fixture()
def hand(tmp_path: Path) -> str:
    return str(write(tmp_path / "hand.parquet", HAND))


@pytest.fixture()
def values(tmp_path: Path) -> str:
    path = tmp_path / "values.csv"
    path.write_text(
        "opportunity_id,preference_before\nO1,64000\nO2,-15000\nO9,5\n", encoding="utf-8"
    )
    return str(path)


def test_help_lists_leakage() -> None:
    assert "leakage" in ok("--help")


def test_json_with_values(hand: str, values: str) -> None:
    body = json.loads(ok("leakage", "--lines", hand, "--values", values, "--format", "json"))
    assert body["filters"] == {}
    assert (body["list_revenue"], body["discount"], body["off_invoice"]) == (4500, 400, 30)
    assert body["discount_rate"] == pytest.approx(400 / 4500)
    assert (body["total_leakage"], body["left_on_table"]) == (430, 100)
    assert (body["known_discount"], body["unknown_discount"]) == (200, 200)
    assert body["known_share"] == pytest.approx(2 / 3)
    sellers = body["sellers"]
    assert (sellers["key"], sellers["compared"], sellers["money_at_stake"]) == ("rep_id", 2, 133.33)
    (b,) = sellers["top"]
    assert b["rep_id"] == "B" and b["money_at_stake"] == 133.33
    assert b["rate"] == pytest.approx(0.2) and b["expected_rate"] == pytest.approx(1 / 15)
    assert b["status"] in ("flag", "watch", "ok")
    assert [a["approver_id"] for a in body["approvers"]["top"]] == ["Y"]
    assert [c["customer_id"] for c in body["customers"]["top"]] == ["C1"]


def test_without_values_left_on_table_is_unknown(hand: str) -> None:
    body = json.loads(ok("leakage", "--lines", hand, "--format", "json"))
    assert body["left_on_table"] is None and body["unknown_discount"] == 400
    out = ok("leakage", "--lines", hand)
    assert "not known (no --values)" in out and "430.00" in out


def test_table_where_and_top(hand: str, values: str) -> None:
    out = ok("leakage", "-l", hand, "--values", values, "--top", "1")
    assert "Price leakage" in out and "Left on the table" in out and "100.00" in out
    assert "66.7% of list revenue" in out and "133.33" in out
    for who in ("│ B ", "│ Y ", "│ C1 "):
        assert who in out
    assert "all 2 compared │" in out and "│ 133.33         │" in out
    body = json.loads(ok("leakage", "-l", hand, "-w", "rep=A", "--top", "0", "-f", "json"))
    assert body["filters"] == {"rep": "A"} and body["discount"] == 200
    assert body["sellers"]["top"] == []


def test_csv_long_format(hand: str, values: str) -> None:
    out = ok("leakage", "-l", hand, "--values", values, "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["section", "rank", "item", "measure", "value"]
    cells = {(r[0], r[1], r[2], r[3]): r[4] for r in rows[1:]}
    assert cells[("total", "", "", "left_on_table")] == "100.0"
    assert cells[("rep_id", "", "", "money_at_stake")] == "133.33"
    assert cells[("customer_id", "1", "C1", "money_at_stake")] == "200.0"
    assert cells[("approver_id", "1", "Y", "list_revenue")] == "1000.0"
    assert ("approver_id", "2", "X", "status") not in cells  # X gave less than Y: not listed


def test_bad_values_file_is_refused_with_its_lines(hand: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("opportunity_id,preference_before\nO1,12\nO2,lots\n,3\n", encoding="utf-8")
    message = refused("leakage", "--lines", hand, "--values", str(bad))
    assert "bad.csv: 2 problems, nothing was used" in message
    assert "line 3: preference_before must be an amount of money, not 'lots'" in message
    assert "line 4: the opportunity_id is missing" in message
    bad.write_text("opportunity,value\n", encoding="utf-8")
    message = refused("leakage", "--lines", hand, "--values", str(bad), "-f", "json")
    assert "line 1: the header needs a `opportunity_id` and a `preference_before`" in message
    missing = refused("leakage", "--lines", hand, "--values", str(tmp_path / "none.csv"))
    assert "cannot read the values file" in missing


def test_bad_values_file_is_checked_before_the_lines(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("opportunity_id,preference_before\nO1,x\n", encoding="utf-8")
    message = refused("leakage", "--lines", str(tmp_path / "none.parquet"), "--values", str(bad))
    assert "line 2: preference_before" in message and "no such file" not in message


def test_bad_options(hand: str) -> None:
    assert "unknown dimension 'x'" in refused("leakage", "--lines", hand, "--where", "x=1")
    result = run("leakage", "--lines", hand, "--top", "-1")
    assert result.exit_code == 2
