"""`valuescout analytics report --lines FILE --out report.html`: the file written whole, its
figures, self-contained; errors exit 1 and leave no file (and an older report untouched)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from tests.analytics.test_engine import HAND, planted, write
from tests.analytics.test_report import assert_self_contained, specs
from tests.cli.test_cli_analytics import _bad_csv
from valuescout.cli import context
from valuescout.cli.main import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(context.console, "width", 250)


def run(*args: str) -> Result:
    return runner.invoke(app, ["analytics", "report", *args])


def test_help_lists_report() -> None:
    result = runner.invoke(app, ["analytics", "--help"])
    assert result.exit_code == 0 and "report" in result.stdout


def test_writes_one_self_contained_file_with_the_figures(tmp_path: Path) -> None:
    lines = write(tmp_path / "hand.parquet", HAND)
    out = tmp_path / "report.html"
    result = run("--lines", str(lines), "--out", str(out))
    assert result.exit_code == 0, result.output
    said = " ".join(result.stdout.split())
    assert f"Wrote {out}" in said and "3 lines, discount 50.00 (14.3% of list)" in said
    assert "pocket margin 132.00" in said
    page = out.read_text(encoding="utf-8")
    assert '<div class="value">350</div>' in page and '<div class="value">14.3%</div>' in page
    assert "<td>Pocket margin</td><td class=num>132.00</td>" in page
    assert len(specs(page)) >= 5
    assert_self_contained(page)
    assert out.stat().st_mode & 0o044  # readable by others as any file the user writes
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_where_narrows_every_figure(tmp_path: Path) -> None:
    lines = write(tmp_path / "hand.parquet", HAND)
    out = tmp_path / "north.html"
    result = run("-l", str(lines), "-o", str(out), "--where", "region=North")
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "only lines with region=North" in page and '<div class="value">250</div>' in page


def test_planted_seller_flagged(tmp_path: Path) -> None:
    path = planted(tmp_path).path
    out = tmp_path / "planted.html"
    assert run("--lines", str(path), "--out", str(out)).exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert "1 flagged of 13 compared" in page and "<td>R99</td>" in page


def test_bad_rows_refused_or_left_out_with_a_note(tmp_path: Path) -> None:
    bad = _bad_csv(tmp_path)
    out = tmp_path / "r.html"
    out.write_text("an older report", encoding="utf-8")
    refused = run("--lines", str(bad), "--out", str(out))
    assert refused.exit_code == 1 and refused.stdout == ""
    assert "2 of 5 lines have bad values" in " ".join(refused.stderr.split())
    assert out.read_text(encoding="utf-8") == "an older report"
    result = run("--lines", str(bad), "--out", str(out), "--exclude-bad")
    assert result.exit_code == 0, result.output
    assert "2 of 5 rows had bad values" in out.read_text(encoding="utf-8")


def test_bad_options_exit_1_and_write_nothing(tmp_path: Path) -> None:
    lines = str(write(tmp_path / "hand.parquet", HAND))
    out = tmp_path / "r.html"
    cases = [
        (["--lines", str(tmp_path / "none.parquet"), "--out", str(out)], "no such file"),
        (["--lines", lines, "--out", str(out), "--where", "planet=Mars"], "unknown dimension"),
        (["--lines", lines, "--out", str(tmp_path)], "is a folder"),
        (["--lines", lines, "--out", str(tmp_path / "no" / "r.html")], "does not exist"),
    ]
    for args, message in cases:
        result = run(*args)
        assert result.exit_code == 1, args
        assert message in " ".join(result.stderr.split()), args
    assert not out.exists()
    assert "--out" in runner.invoke(app, ["analytics", "report", "--lines", lines]).output
