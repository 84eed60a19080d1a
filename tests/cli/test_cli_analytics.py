"""`valuescout analytics ...` over transaction-line files: outputs and error paths (no database)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from typer.testing import CliRunner

from tests.analytics.test_engine import HAND, line, planted, write
from valuescout.analytics import definitions as defs
from valuescout.cli import context
from valuescout.cli.analytics_io import safe_cell
from valuescout.cli.main import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    # A wide console, so table cells are not cut in the middle of what the tests look for.
    monkeypatch.setattr(context.console, "width", 250)


def run(*args: str) -> Result:
    return runner.invoke(app, ["analytics", *args])


def ok(*args: str) -> str:
    result = run(*args)
    assert result.exit_code == 0, result.output
    return result.stdout


def refused(*args: str) -> str:
    """Exit 1, nothing on stdout; the message (stderr) comes back."""
    result = run(*args)
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    return " ".join(result.stderr.split())


@pytest.fixture()
def hand(tmp_path: Path) -> str:
    return str(write(tmp_path / "hand.parquet", HAND))


def test_help_lists_the_commands() -> None:
    out = ok("--help")
    for command in ("discounts", "waterfall", "outliers", "concentration", "bands"):
        assert command in out


# --- discounts -----------------------------------------------------------------------------


def test_discounts_json_uses_canonical_names_and_the_hand_worked_numbers(hand: str) -> None:
    rows = json.loads(ok("discounts", "--lines", hand, "--by", "rep", "--format", "json"))
    assert [r["rep_id"] for r in rows] == ["B", "A"]
    assert list(rows[0]) == ["rep_id", *defs.MEASURE_NAMES]
    b, a = rows
    assert (b["list_revenue"], b["invoice_revenue"], b["discount"]) == (100.0, 70.0, 30.0)
    assert b["discount_rate"] == pytest.approx(0.3)
    assert (b["pocket_revenue"], b["pocket_margin"]) == (67.0, 17.0)
    assert (a["list_revenue"], a["discount"], a["pocket_margin"]) == (250.0, 20.0, 115.0)


def test_discounts_by_two_dimensions_with_a_filter(hand: str) -> None:
    rows = json.loads(
        ok(
            "discounts",
            "--lines",
            hand,
            "--by",
            "rep",
            "--by",
            "month",
            "-w",
            "rep=A",
            "-f",
            "json",
        )
    )
    assert [(r["rep_id"], r["month"], r["lines"]) for r in rows] == [
        ("A", "2024-03", 1),
        ("A", "2024-04", 1),
    ]
    (total,) = json.loads(ok("discounts", "--lines", hand, "--format", "json"))
    assert total["lines"] == 3 and total["discount"] == 50.0
    nobody = json.loads(ok("discounts", "-l", hand, "-b", "rep", "-w", "approver=", "-f", "json"))
    assert {r["rep_id"]: r["lines"] for r in nobody} == {"A": 1, "B": 1}


def test_discounts_table_and_limit(hand: str) -> None:
    out = ok("discounts", "--lines", hand, "--by", "rep", "--limit", "1")
    assert "rep_id" in out and "30.00" in out and "30.0%" in out and "25.4%" in out
    assert "│ A " not in out and "1 of 2 groups." in out


def test_discounts_csv_neutralises_formulas_in_keys(tmp_path: Path) -> None:
    rows = [
        line(1, rep_id='=HYPERLINK("http://x")', invoice_price=90.0),
        line(2, rep_id="+1", invoice_price=80.0),
        line(3, rep_id="-2", invoice_price=70.0),
        line(4, rep_id="@SUM(A1)", invoice_price=60.0),
        line(5, rep_id="plain", invoice_price=100.0, unit_cost=200.0),  # negative margin
    ]
    path = str(write(tmp_path / "evil.parquet", rows))
    out = ok("discounts", "--lines", path, "--by", "rep", "--format", "csv")
    table = list(csv.reader(io.StringIO(out)))
    assert table[0] == ["rep_id", *defs.MEASURE_NAMES]
    keys = [r[0] for r in table[1:]]
    assert keys == ["'@SUM(A1)", "'-2", "'+1", '\'=HYPERLINK("http://x")', "plain"]
    plain = dict(zip(table[0], table[-1], strict=True))
    assert plain["pocket_margin"] == "-100.0"  # numbers are numbers, not neutralised text


def test_safe_cell() -> None:
    assert [safe_cell(v) for v in ["=1", "+1", "-1", "@a", "\tx", "\rx", "a=1", None, -1.5]] == [
        "'=1", "'+1", "'-1", "'@a", "'\tx", "'\rx", "a=1", "", -1.5,
    ]  # fmt: skip


def test_discounts_through_a_mapping_file(tmp_path: Path) -> None:
    path = write(tmp_path / "export.csv", HAND)
    text = path.read_text(encoding="utf-8").replace("rep_id", "Sales Rep", 1)
    path.write_text(text.replace(",", ";"), encoding="utf-8")
    mapping = tmp_path / "map.yaml"
    mapping.write_text('columns:\n  rep_id: "Sales Rep"\ndelimiter: ";"\n', encoding="utf-8")
    rows = json.loads(
        ok("discounts", "-l", str(path), "-m", str(mapping), "-b", "rep", "-f", "json")
    )
    assert [(r["rep_id"], r["discount"]) for r in rows] == [("B", 30.0), ("A", 20.0)]
    mapping.write_text("columns:\n  seller: x\n", encoding="utf-8")
    message = refused("discounts", "-l", str(path), "-m", str(mapping), "-b", "rep")
    assert "line 2" in message and "'seller' is not a canonical column" in message
    message = refused("discounts", "-l", str(path), "-m", str(tmp_path / "none.yaml"))
    assert "cannot read the mapping file" in message


# --- the error paths -----------------------------------------------------------------------


def test_missing_file_and_bad_options(tmp_path: Path, hand: str) -> None:
    message = refused("discounts", "--lines", str(tmp_path / "none.parquet"), "--by", "rep")
    assert "no such file" in message
    message = refused("discounts", "--lines", hand, "--by", "seller")
    assert "--by: unknown dimension 'seller'" in message and "rep, manager" in message
    assert "unknown dimension 'x'" in refused("waterfall", "--lines", hand, "--where", "x=1")
    assert "write DIM=VALUE" in refused("waterfall", "--lines", hand, "--compare", "North")
    assert "--actor" in refused("outliers", "--lines", hand, "--actor", "boss")
    assert "--across" in refused("concentration", "--lines", hand, "--across", "planet")


def _bad_csv(tmp_path: Path) -> Path:
    rows = [line(i, invoice_date=date(2024, 1, 1), rep_id="R1") for i in range(5)]
    path = write(tmp_path / "bad.csv", rows)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace("2024-01-01", "yesterday")  # file line 3
    lines[4] = lines[4].replace(",100.0,", ",-5,", 1)  # file line 5: list price
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_refused_lines_are_listed_by_line_and_nothing_is_written(tmp_path: Path) -> None:
    path = _bad_csv(tmp_path)
    for command in ("discounts", "waterfall", "outliers", "concentration", "bands"):
        message = refused(command, "--lines", str(path), "--format", "json")
        assert "2 of 5 lines have bad values" in message, command
        assert "bad.csv, line 3, column 'invoice_date': not a date" in message
        assert "bad.csv, line 5, column 'list_price': must be more than 0" in message
        assert "--exclude-bad" in message


def test_exclude_bad_leaves_out_exactly_the_reported_rows(tmp_path: Path) -> None:
    path = _bad_csv(tmp_path)
    result = run("discounts", "--lines", str(path), "--exclude-bad", "--format", "json")
    assert result.exit_code == 0, result.output
    assert "Left out 2 of 5 lines with bad values" in " ".join(result.stderr.split())
    (row,) = json.loads(result.stdout)
    assert row["lines"] == 3


# --- waterfall -----------------------------------------------------------------------------


def test_waterfall_two_slices_as_json_table_and_csv(hand: str) -> None:
    args = ["waterfall", "--lines", hand, "--where", "region=North", "--compare", "region=South"]
    north, south = json.loads(ok(*args, "--format", "json"))
    assert north["filters"] == {"region": "North"} and south["filters"] == {"region": "South"}
    assert (north["list_revenue"], north["discount"], north["pocket_margin"]) == (250, 20, 115)
    assert south["pocket_revenue"] == 67 and south["markup"] == pytest.approx(0.34)
    assert [s["label"] for s in north["steps"]][:3] == [
        "List revenue", "On-invoice discount", "Invoice revenue",
    ]  # fmt: skip
    assert north["steps"][1]["amount"] == -20
    table = ok(*args)
    assert "region=North" in table and "region=South" in table
    assert "-30.00" in table and "67.00" in table and "markup on cost" in table
    rows = list(csv.reader(io.StringIO(ok(*args, "--format", "csv"))))
    assert rows[0] == ["slice", "step", "amount", "is_total"] and len(rows) == 1 + 2 * 7
    (everything,) = json.loads(ok("waterfall", "--lines", hand, "-f", "json"))
    assert everything["filters"] == {} and everything["lines"] == 3


# --- outliers ------------------------------------------------------------------------------


def test_outliers_find_the_planted_seller(tmp_path: Path) -> None:
    path = str(planted(tmp_path).path)
    body: dict[str, Any] = json.loads(ok("outliers", "--lines", path, "--format", "json"))
    assert body["actor"] == "rep_id" and body["excluded_from_peers"] == ["R99"]
    first = body["actors"][0]
    assert first["actor"] == "R99" and first["status"] == "flag" and first["z"] > 10
    assert [a["actor"] for a in body["actors"] if a["status"] == "flag"] == ["R99"]
    assert first["money_at_stake"] > 0 and len(body["actors"]) == 13
    table = ok("outliers", "--lines", path, "--limit", "3")
    assert "R99" in table and "flag" in table and "1 flagged" in table
    rows = list(csv.reader(io.StringIO(ok("outliers", "--lines", path, "-f", "csv"))))
    assert rows[0][:3] == ["actor", "status", "lines"] and rows[1][:2] == ["R99", "flag"]


# --- concentration and bands ---------------------------------------------------------------


def test_concentration_known_answer(tmp_path: Path) -> None:
    rows = [line(i, customer_id=f"C{i}", invoice_price=100.0) for i in range(5)]
    rows += [line(9, customer_id="C9", rep_id="R9", invoice_price=60.0)]
    path = str(write(tmp_path / "one.parquet", rows))
    customers, reps = json.loads(ok("concentration", "--lines", path, "--format", "json"))
    assert customers["dimension"] == "customer_id" and customers["items"] == 6
    assert customers["gini"] == pytest.approx(5 / 6) and customers["top_decile_share"] == 1.0
    assert customers["top"][0] == {"item": "C9", "discount": 40.0}
    assert customers["lorenz"][0] == [0.0, 0.0] and customers["lorenz"][-1] == [1.0, 1.0]
    assert reps["dimension"] == "rep_id" and reps["gini"] == pytest.approx(1 / 2)
    table = ok("concentration", "--lines", path)
    assert "0.833" in table and "C9 40.00" in table
    out = ok("concentration", "--lines", path, "--across", "region", "-f", "csv", "--top", "1")
    assert list(csv.reader(io.StringIO(out)))[1][:3] == ["region", "1", "40.0"]


def test_bands_per_product(tmp_path: Path) -> None:
    rows = [line(i, product_id="P1", invoice_price=100.0 - i, quantity=1.0) for i in range(10)]
    rows += [line(20, product_id="P2", invoice_price=50.0, off_invoice=10.0, quantity=2.0)]
    path = str(write(tmp_path / "bands.parquet", rows))
    found = json.loads(ok("bands", "--lines", path, "--format", "json"))
    assert [b["product_id"] for b in found] == ["P1", "P2"]  # most units first
    p1, p2 = found
    assert (p1["minimum"], p1["p50"], p1["maximum"]) == (0.91, 0.95, 1.0)
    assert p2["p10"] == p2["p90"] == 0.45 and p2["volume"] == 2.0
    assert "P1" in ok("bands", "--lines", path)
