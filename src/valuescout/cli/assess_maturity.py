"""`valuescout assess maturity --answers FILE --format json|html [--out FILE]`: score an answers
file (respondents -> indicator id -> answer) without a database: the levels per domain, the
overall profile, gaps, next steps and disagreements, as JSON or as the printable HTML report.

Thin: read the file, parse it (`assessments.maturity_answers_file`), score it
(`assessments.maturity_scoring`), render. A refused file names itself, each line and each id.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path

import typer
from rich.markup import escape

from valuescout.assessments import maturity_answers_file, maturity_report, maturity_scoring
from valuescout.assessments.schemas import AnswerFileOut
from valuescout.cli.analytics_report import write_whole
from valuescout.cli.context import console, err_console, fail
from valuescout.core.web.templating import build_templates

MAX_FILE_BYTES = 2_000_000


class Format(StrEnum):
    JSON = "json"
    HTML = "html"


ANSWERS = typer.Option(..., "--answers", "-a", help="YAML: respondents -> indicator id -> 0-4")
FORMAT = typer.Option(Format.JSON, "--format", "-f", help="json or html")
OUT = typer.Option(None, "--out", "-o", help="Write to this file instead of the screen")


def _read(path: Path) -> str:
    if not path.is_file():
        fail(escape(f"--answers {path}: no such file."))
    if path.stat().st_size > MAX_FILE_BYTES:
        fail(escape(f"--answers {path}: larger than {MAX_FILE_BYTES:,} bytes."))
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        fail(escape(f"--answers {path}: cannot read it as UTF-8 text ({exc})."))


def html_report(out: AnswerFileOut) -> str:
    context = maturity_report.report_context(
        out.result,
        title="Value-focus maturity",
        subtitle=f"Scored from {out.source}",
        prepared_on=out.scored_on,
        for_file=True,
    )
    template = build_templates().env.get_template("assessments/maturity_report.html")
    return template.render(context)


def maturity(answers: Path = ANSWERS, fmt: Format = FORMAT, out: Path | None = OUT) -> None:
    """Score a maturity answers file (no database): levels per domain, overall, gaps, next
    steps, disagreements. Unknown indicator ids and out-of-range answers are refused."""
    if out is not None and (out.is_dir() or not out.parent.is_dir()):
        fail(escape(f"--out {out}: name a file in an existing folder."))
    source = _read(answers)
    try:
        parsed = maturity_answers_file.parse(source, str(answers))
    except maturity_answers_file.AnswersFileError as exc:
        err_console.print(
            f"[bold red]Error:[/] {escape(str(answers))} is refused:", highlight=False
        )
        for line, problem in exc.problems:
            err_console.print(f"  {escape(str(answers))}, line {line}: {escape(problem)}")
        raise typer.Exit(1) from None
    result = maturity_scoring.score(parsed.content, parsed.answers)
    scored = AnswerFileOut(
        source=answers.name, respondents=list(parsed.answers), result=result,
        scored_on=date.today(),
    )  # fmt: skip
    text = scored.model_dump_json(indent=2) if fmt is Format.JSON else html_report(scored)
    if out is None:
        console.print(text, markup=False, highlight=False, soft_wrap=True)
        return
    try:
        write_whole(out, text)
    except OSError as exc:
        fail(escape(f"--out {out}: cannot write it ({exc.strerror or exc})."))
    err_console.print(f"Wrote {escape(str(out))}: overall {result.overall}.", highlight=False)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the group."""
    app.command("maturity")(maturity)
