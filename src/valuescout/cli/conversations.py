"""`valuescout conversations ...`: analyze notes and transcripts, evaluate the analyzer.

`analyze FILE` prints what the analyzer proposes for a notes or transcript file (UTF-8 text);
with `--network FILE.yaml|.json` it also matches sentences to that value network's outcomes.
JSON: {"questions": [{text, kind, category, cue, speaker}], "figures": [{text, kind, value,
unit, sentence}], "people": [{name, title, sentence}], "outcomes": [{key, name, sentence,
score, cue}], "insights": [{text, cue}], "speakers": [...]}; `value` is a decimal string.

`evaluate` runs the analyzer over the labelled set shipped in
`conversations/data/evaluation/` and prints precision and recall per task and part.
Messages go to stderr, the table or JSON to stdout; a refused input prints one clear error
(exit 1) and nothing on stdout.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from valuescout.cli.context import console, err_console, fail
from valuescout.conversations import evaluation
from valuescout.conversations.analyzer import Analysis, OutcomeRef, analyze, outcome_refs
from valuescout.conversations.schemas import MAX_NOTES
from valuescout.valuenet import fileformat

app = typer.Typer(
    help="Analyze notes and transcripts, evaluate the analyzer.", no_args_is_help=True
)


class Output(StrEnum):
    TABLE = "table"
    JSON = "json"


@app.command("analyze")
def analyze_command(
    file: Path = typer.Argument(..., help="A notes or transcript file (UTF-8 text)"),
    format: Output = typer.Option(Output.TABLE, "--format", "-f", help="table or json"),
    network: Path | None = typer.Option(
        None, "--network", help="A value network file (.yaml/.json) whose outcomes to match"
    ),
) -> None:
    """Propose an interaction's fields from notes or a transcript.

    Questions (expansion or qualification, with the cue), figures, people, the network's
    outcomes matched, insights and speakers."""
    outcomes = _network_outcomes(network) if network is not None else ()
    text = _read_notes(file)
    result = analyze(text, outcomes)
    if format == Output.JSON:
        typer.echo(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
    else:
        _print_analysis(result, matched_against=len(outcomes))


def _read_notes(path: Path) -> str:
    where = escape(str(path))
    too_long = (
        f"{where}: longer than the {MAX_NOTES:,} characters the analyzer reads (as the API "
        "does); keep the part about this meeting, or split it into several files."
    )
    try:
        if path.stat().st_size > 4 * MAX_NOTES + 3:  # more bytes than that many characters
            fail(too_long)
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        fail(f"{escape(str(path))}: not UTF-8 text; save the notes as UTF-8 and try again.")
    except OSError as exc:
        fail(f"{escape(str(path))}: cannot read the file ({escape(exc.strerror or str(exc))}).")
    if not text.strip():
        fail(f"{where}: the file is empty; there is nothing to analyze.")
    if len(text) > MAX_NOTES:
        fail(too_long)
    return text


def _network_outcomes(path: Path) -> tuple[OutcomeRef, ...]:
    where = escape(str(path))
    try:
        fmt = fileformat.format_for_filename(path.name)
        text = path.read_text(encoding="utf-8")
        spec = fileformat.load(text, fmt)
    except fileformat.FormatError as exc:
        details = "\n".join(f"  {escape(str(p))}" for p in exc.problems)
        fail(f"{where}: not a valid value network.\n{details}")
    except UnicodeDecodeError:
        fail(f"{where}: the value network file is not UTF-8 text.")
    except OSError as exc:
        fail(f"{where}: cannot read the value network ({escape(exc.strerror or str(exc))}).")
    except ValueError as exc:
        fail(f"{where}: {escape(str(exc))}")
    refs = outcome_refs(spec)
    if not refs:
        err_console.print(f"Note: {where} has no outcomes; no sentence can match one.")
    return refs


def _print_analysis(result: Analysis, matched_against: int) -> None:
    questions = Table("question", "kind", "category", "cue", "speaker", title="Questions")
    for q in result.questions:
        questions.add_row(
            escape(q.text), q.kind, q.category, escape(q.cue), escape(q.speaker or "")
        )
    console.print(questions)
    figures = Table("figure", "kind", "value", "unit", title="Figures")
    for f in result.figures:
        figures.add_row(
            escape(f.text), f.kind, "" if f.value is None else str(f.value), escape(f.unit)
        )
    console.print(figures)
    people = Table("name", "title", "sentence", title="People")
    for p in result.people:
        people.add_row(escape(p.name or ""), escape(p.title or ""), escape(p.sentence))
    console.print(people)
    if matched_against:
        outcomes = Table("outcome", "score", "cue", "sentence", title="Outcomes")
        for m in result.outcomes:
            outcomes.add_row(escape(m.name), f"{m.score:.2f}", escape(m.cue), escape(m.sentence))
        console.print(outcomes)
    insights = Table("insight", "cue", title="Insights")
    for i in result.insights:
        insights.add_row(escape(i.text), escape(i.cue))
    console.print(insights)
    speakers = ", ".join(escape(s) for s in result.speakers) or "none (free notes)"
    console.print(f"Speakers: {speakers}", highlight=False)


@app.command("evaluate")
def evaluate_command(
    format: Output = typer.Option(Output.TABLE, "--format", "-f", help="table or json"),
    mistakes: bool = typer.Option(
        False, "--mistakes", help="Also list every wrong or missed item (on stderr)"
    ),
) -> None:
    """Precision and recall of the analyzer on its labelled set.

    Question detection, question kind (expansion, qualification) and outcome matching, for
    the development part the rules were tuned on and the held-out part."""
    reports = evaluation.evaluate()
    if format == Output.JSON:
        typer.echo(json.dumps({"parts": [r.as_dict() for r in reports]}, indent=2))
    else:
        _print_evaluation(reports)
    if mistakes:
        for report in reports:
            for line in report.mistakes:
                err_console.print(f"{report.part}: {escape(line)}", highlight=False)


def _print_evaluation(reports: list[evaluation.PartReport]) -> None:
    table = Table("part", "task", "precision", "recall", "correct", "found", "labelled")
    for report in reports:
        rows = [
            ("question detection", report.detection),
            *((f"question kind: {kind}", score) for kind, score in report.kinds.items()),
            ("outcome matching", report.outcomes),
        ]
        for task, score in rows:
            table.add_row(
                report.part,
                task,
                f"{score.precision:.3f}",
                f"{score.recall:.3f}",
                str(score.correct),
                str(score.predicted),
                str(score.actual),
            )
    table.title = "Conversation analyzer evaluation"
    console.print(table)
    for report in reports:
        category = report.as_dict()["question_category_accuracy"]
        console.print(
            f"{report.part}: category right for {category:.1%} of the questions found; "
            f"{report.none_mentions} sentences about no outcome.",
            highlight=False,
        )
