"""`valuescout comp simulate`: plans over a line file, comparison, and the error paths."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from valuescout.cli import context
from valuescout.cli.main import app

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "comp-plans"
REVENUE = str(EXAMPLES / "revenue-only.yaml")
MARGIN = str(EXAMPLES / "gross-margin.yaml")
MULTIPLIER = str(EXAMPLES / "discount-multiplier.yaml")
COLUMNS = [
    "line_id",
    "invoice_date",
    "customer_id",
    "product_id",
    "rep_id",
    "manager_id",
    "region",
    "segment",
    "deal_type",
    "quantity",
    "list_price",
    "invoice_price",
    "unit_cost",
    "off_invoice",
    "opportunity_id",
]
runner = CliRunner()


@pytest.fixture(autouse=True)
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(context.console, "width", 200)
    monkeypatch.setattr(context.err_console, "width", 200)


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output + (result.stderr if result.stderr_bytes else "")


def line(
    line_id: str, rep: str, lst: str, inv: str, cost: str, opp: str = "", **kw: str
) -> dict[str, str]:
    row = {
        "line_id": line_id,
        "invoice_date": "2024-03-05",
        "customer_id": "C1",
        "product_id": "P1",
        "rep_id": rep,
        "manager_id": "M1",
        "region": "North",
        "segment": "smb",
        "deal_type": "new",
        "quantity": "1",
        "list_price": lst,
        "invoice_price": inv,
        "unit_cost": cost,
        "off_invoice": "0",
        "opportunity_id": opp,
    }
    row.update(kw)
    return row


def write_lines(tmp_path: Path, rows: list[dict[str, str]], name: str = "lines.csv") -> str:
    path = tmp_path / name
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return str(path)


# A discounts 5% (list 100k, invoice 95k, cost 50k); B 25% (invoice 75k); C sells at list
# with cost 90k. B's deal O2 has two lines: 2% (49k of 50k) and 50% (25k of 50k) -> 25%.
ROWS = [
    line("L1", "A", "100000", "95000", "50000", "O1"),
    line("L2", "B", "50000", "49000", "25000", "O2"),
    line("L3", "B", "50000", "26000", "25000", "O2"),
    line("L4", "C", "100000", "100000", "90000"),
]


def run_json(*args: str) -> dict[str, Any]:
    code, out = invoke("comp", "simulate", *args, "--format", "json")
    assert code == 0, out
    data: dict[str, Any] = json.loads(out)
    return data


def payouts(data: dict[str, Any], plan: int = 0) -> dict[str, str]:
    return {s["seller"]: s["payout"] for s in data["plans"][plan]["sellers"]}


def test_one_plan_table(tmp_path: Path) -> None:
    code, out = invoke(
        "comp", "simulate", "--plan", MULTIPLIER, "--lines", write_lines(tmp_path, ROWS)
    )
    assert code == 0, out
    assert "4 lines in lines.csv: 3 sellers." in out
    # A: 95,000 x 8% x 1.1 = 8,360. C: 100,000 x 8% x 1.1 = 8,800.
    # B: one deal at 25% (list 100k, invoice 75k) -> 75,000 x 8% x 0.7 = 4,200.
    for amount in ["8,360.00", "8,800.00", "4,200.00", "21,360.00"]:
        assert amount in out
    # Only the parts the plan has: tiers (+760.00 for A, -1,800.00 for B), no margin or quota.
    assert "discount tiers" in out and "+760.00" in out and "-1,800.00" in out
    assert "margin comm." not in out and "accelerator" not in out and "attainment" not in out


def test_discount_tiers_are_per_deal_in_the_file(tmp_path: Path) -> None:
    data = run_json("--plan", MULTIPLIER, "--lines", write_lines(tmp_path, ROWS))
    # Per deal B is x0.7 (25%) -> 4,200.00; per line it would be 49,000 x 8% x 1.1 + 26,000 x
    # 8% x 0.7 = 4,312 + 1,456 = 5,768.
    assert payouts(data) == {"A": "8360.00", "B": "4200.00", "C": "8800.00"}
    b = data["plans"][0]["sellers"][1]
    assert (b["deals"], b["discount_adjustment"]) == (1, "-1800.00")
    # Without an opportunity id each line is its own deal.
    rows = [{**r, "opportunity_id": ""} for r in ROWS]
    data = run_json("--plan", MULTIPLIER, "--lines", write_lines(tmp_path, rows, "own.csv"))
    assert payouts(data)["B"] == "5768.00"


def test_two_plans_compared_winners_and_losers(tmp_path: Path) -> None:
    data = run_json("--plan", REVENUE, "--plan", MARGIN, "--lines", write_lines(tmp_path, ROWS))
    # Revenue 8%: A 7,600, B 6,000, C 8,000 (no one reaches a quota of 1M or more).
    # Margin 20%: A 9,000, B 20% x 25,000 = 5,000, C 20% x 10,000 = 2,000.
    assert payouts(data, 0) == {"A": "7600.00", "B": "6000.00", "C": "8000.00"}
    assert payouts(data, 1) == {"A": "9000.00", "B": "5000.00", "C": "2000.00"}
    revenue, margin = data["plans"]
    assert (revenue["total_payout"], margin["total_payout"]) == ("21600.00", "16000.00")
    assert (revenue["company_margin"], margin["company_margin"]) == ("58400.00", "64000.00")
    (move,) = data["switches"]
    assert (move["from"], move["to"]) == ("Revenue only", "Gross margin")
    assert [(c["seller"], c["change"]) for c in move["winners"]] == [("A", "1400.00")]
    assert [(c["seller"], c["change"]) for c in move["losers"]] == [
        ("C", "-6000.00"),
        ("B", "-1000.00"),
    ]
    assert move["company_margin_change"] == "5600.00"
    code, out = invoke(
        "comp", "simulate", "-p", REVENUE, "-p", MARGIN, "-p", MULTIPLIER,
        "--lines", write_lines(tmp_path, ROWS),
    )  # fmt: skip
    assert code == 0, out
    assert "From Revenue only to Gross margin: 1 gain, 2 lose" in out
    assert "From Revenue only to Discount multiplier: 2 gain, 1 lose" in out
    assert "+1,400.00" in out and "-6,000.00" in out


def test_quota_file_overrides_the_plan(tmp_path: Path) -> None:
    quotas = tmp_path / "quotas.csv"
    quotas.write_text("seller,quota\nA,50000\n", encoding="utf-8")
    data = run_json(
        "--plan", REVENUE, "--lines", write_lines(tmp_path, ROWS), "--quota-file", str(quotas)
    )
    # A: quota 50k, 95k sold -> 50,000 x 8% + 25,000 x 8% x 1.5 + 20,000 x 8% x 2
    # = 4,000 + 3,000 + 3,200 = 10,200.
    a = data["plans"][0]["sellers"][0]
    assert (a["payout"], a["accelerator"], a["attainment"]) == ("10200.00", "2600.00", 1.9)
    bad = tmp_path / "bad.csv"
    bad.write_text("seller,quota\nA,-1\n", encoding="utf-8")
    code, out = invoke(
        "comp", "simulate", "-p", REVENUE, "--lines", write_lines(tmp_path, ROWS),
        "--quota-file", str(bad),
    )  # fmt: skip
    assert code == 1 and "line 2: quota must be a number above 0" in out


def test_mapping_file(tmp_path: Path) -> None:
    rows = [{("Seller" if k == "rep_id" else k): v for k, v in r.items()} for r in ROWS]
    mapping = tmp_path / "map.yaml"
    mapping.write_text("columns:\n  rep_id: Seller\n", encoding="utf-8")
    path = write_lines(tmp_path, rows)
    data = run_json("-p", MULTIPLIER, "--lines", path, "--mapping", str(mapping))
    assert payouts(data) == {"A": "8360.00", "B": "4200.00", "C": "8800.00"}
    mapping.write_text("columns:\n  rep_idd: Seller\n", encoding="utf-8")
    code, out = invoke(
        "comp", "simulate", "-p", MULTIPLIER, "--lines", path, "--mapping", str(mapping)
    )
    assert code == 1 and "line 2" in out and "rep_idd" in out


def test_bad_plans_every_problem_with_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: B\nrevenue_commission:\n  rate: 8\nbonus: 1\n", encoding="utf-8")
    worse = tmp_path / "worse.yaml"
    worse.write_text("name: W\nmargin_commission: {rate: [1}\n", encoding="utf-8")
    lines = write_lines(tmp_path, ROWS)
    code, out = invoke("comp", "simulate", "-p", str(bad), "-p", str(worse), "--lines", lines)
    assert code == 1
    assert "bad.yaml: the plan is not valid (2 problems)" in out
    assert "line 3: `revenue_commission.rate` is a fraction of at most 1" in out
    assert "line 4: unknown key 'bonus'" in out
    assert "worse.yaml: the plan is not valid (1 problem)" in out and "not valid YAML" in out
    code, out = invoke("comp", "simulate", "-p", str(tmp_path / "nope.yaml"), "--lines", lines)
    assert code == 2 and "cannot read the plan" in out


def test_refused_lines_are_listed(tmp_path: Path) -> None:
    rows = [*ROWS, line("L5", "D", "0", "10", "1"), line("L6", "D", "100", "x", "1")]
    code, out = invoke("comp", "simulate", "-p", REVENUE, "--lines", write_lines(tmp_path, rows))
    assert code == 1
    assert "2 of 6 lines have bad values" in out
    assert "lines.csv, line 6, column 'list_price': must be more than 0" in out
    assert "lines.csv, line 7, column 'invoice_price': not a number: x" in out
    code, out = invoke("comp", "simulate", "-p", REVENUE, "--lines", str(tmp_path / "none.csv"))
    assert code == 1 and "no such file" in out


def test_a_period_keeps_the_lines_invoiced_in_it(tmp_path: Path) -> None:
    rows = [
        {**ROWS[0], "invoice_date": "2024-02-29"},
        *ROWS[1:3],  # B's deal, 2024-03-05
        {**ROWS[3], "invoice_date": "2024-04-01"},
    ]
    path = write_lines(tmp_path, rows)
    data = run_json("-p", MULTIPLIER, "--lines", path, "--from", "2024-03-01", "--to", "2024-03-31")
    assert data["period"] == {"from": "2024-03-01", "to": "2024-03-31"}
    assert payouts(data) == {"B": "4200.00"}
    data = run_json("-p", MULTIPLIER, "--lines", path, "--to", "2024-03-05")
    assert payouts(data) == {"A": "8360.00", "B": "4200.00"}
    code, out = invoke(
        "comp", "simulate", "-p", MULTIPLIER, "--lines", path, "--from", "2024-04-01"
    )
    assert code == 0 and "invoiced 2024-04-01 to ...: 1 seller." in out and "8,800.00" in out
    code, out = invoke(
        "comp", "simulate", "-p", MULTIPLIER, "--lines", path,
        "--from", "2024-04-02", "--to", "2024-04-01",
    )  # fmt: skip
    assert code == 2 and "is after --to" in out
