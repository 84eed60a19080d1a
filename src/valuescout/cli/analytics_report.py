"""`valuescout analytics report`: the whole discount report as one HTML file that opens
offline (charts drawn by the vega builds inlined into it).

Thin: open the file (checked as by every analytics command), gather the figures
(`analytics.report_data.gather`), render (`analytics.report.render`), write. The file is
written whole (to a temporary name, then renamed) only once everything is computed, so an
error leaves no half report and no older report is overwritten by a broken one.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import typer
from rich.markup import escape

from valuescout.analytics import report as html_report
from valuescout.analytics.report_data import gather
from valuescout.cli.analytics_io import (
    EXCLUDE,
    LINES,
    MAPPING,
    WHERE,
    domain_errors,
    money,
    open_file,
    parse_filters,
    pct,
)
from valuescout.cli.context import console, err_console, fail

OUT = typer.Option(..., "--out", "-o", help="The HTML file to write (e.g. report.html)")


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def write_whole(path: Path, content: str) -> None:
    """Write ``content`` to ``path`` through a temporary file in the same folder."""
    folder = path.parent if str(path.parent) else Path(".")
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as f:
            f.write(content)
        os.chmod(temp, 0o666 & ~_umask())  # mkstemp makes it private; a report is not
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def report(
    lines: Path = LINES,
    out: Path = OUT,
    where: list[str] = WHERE,
    mapping: Path | None = MAPPING,
    exclude_bad: bool = EXCLUDE,
) -> None:
    """The discount report as one self-contained HTML file: headline totals, price waterfall,
    top sellers / managers / regions / customers, seller outliers with the money at stake,
    concentration (Lorenz) and pocket price bands; opens offline in any browser."""
    filters = parse_filters(where, "--where")
    if out.is_dir():
        fail(escape(f"--out {out}: is a folder; name the HTML file to write."))
    if not out.parent.is_dir():
        fail(escape(f"--out {out}: the folder {out.parent} does not exist."))
    with domain_errors():
        opened = open_file(lines, mapping, exclude_bad)
        with err_console.status("Computing the report ..."):
            data = gather(opened, filters)
            page = html_report.render(data)
    try:
        write_whole(out, page)
    except OSError as exc:
        fail(escape(f"--out {out}: cannot write the report ({exc.strerror or exc})."))
    w = data.discount.waterfall
    console.print(
        f"Wrote {escape(str(out))} ({len(page.encode('utf-8')) / 1024:,.0f} KiB): "
        f"{w.lines:,} lines, discount {money(w.discount)} ({pct(w.discount_rate)} of list), "
        f"pocket margin {money(w.pocket_margin)}.",
        highlight=False,
    )
