"""`valuescout valuenet ...`: import, export, lint and message themes for value networks."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from valuescout.cli.context import cli_actor, console, fail, transaction
from valuescout.valuenet import analysis, fileformat, lint, service

app = typer.Typer(help="Value networks: files, checks and message themes.", no_args_is_help=True)


@app.command("import")
def import_file(
    file: Path = typer.Argument(..., help="A .yaml, .yml or .json network file"),
    replace: bool = typer.Option(False, help="Overwrite the network with the same name"),
) -> None:
    """Import a network file; all or nothing, every problem listed with its line."""
    try:
        fmt = fileformat.format_for_filename(file.name)
        text = file.read_text(encoding="utf-8")
    except (ValueError, OSError) as exc:
        fail(f"{file}: {exc}")
    try:
        spec = fileformat.load(text, fmt)
    except fileformat.FormatError as exc:
        fail(f"{file}: nothing was imported.\n" + "\n".join(f"  {p}" for p in exc.problems))
    with transaction() as session:
        network = service.import_as(session, cli_actor(), spec, replace=replace)
        console.print(
            f"Imported {network.name!r} (id {network.id}): {len(spec.differentiators)} "
            f"differentiators, {len(spec.outcomes)} outcomes, {len(spec.links)} links, "
            f"{len(spec.personas)} personas, {len(spec.competitors)} competitors."
        )


@app.command("export")
def export(
    name: str = typer.Argument(..., help="The network's name"),
    format: str = typer.Option("yaml", "--format", "-f", help="yaml, json, mermaid or dot"),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write to a file"),
) -> None:
    """Print (or write) a network as a file or a diagram."""
    if format not in service.EXPORT_FORMATS:
        fail(f"Unknown format {format!r}; use one of {', '.join(service.EXPORT_FORMATS)}.")
    with transaction() as session:
        text = service.export_by_name(session, name, format)
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        console.print(f"Wrote {output}.")


@app.command("lint")
def lint_network(name: str = typer.Argument(..., help="The network's name")) -> None:
    """List what to fix; exits 1 when there are errors."""
    with transaction() as session:
        network = service.find_network(session, name)
        issues = analysis.lint_issues(session, network.id)
    if not issues:
        console.print(f"{network.name!r}: no problems found.")
        return
    for issue in issues:
        colour = "red" if issue.severity == lint.Severity.ERROR else "yellow"
        console.print(
            f"[{colour}]{issue.severity.value}[/] {issue.code}: {issue.message}", highlight=False
        )
    if any(i.severity == lint.Severity.ERROR for i in issues):
        raise typer.Exit(1)


@app.command("messages")
def message_themes(
    name: str = typer.Argument(..., help="The network's name"),
    persona: str = typer.Option(..., "--persona", "-p", help="The persona to speak to"),
    competitor: str | None = typer.Option(None, "--competitor", "-c", help="Position against"),
    limit: int = typer.Option(10, min=1, max=100, help="How many themes"),
) -> None:
    """Ranked value message themes for a persona, each with a discovery question."""
    with transaction() as session:
        network = service.find_network(session, name)
        themes = analysis.message_themes(session, network.id, persona, competitor, limit)
    table = Table("#", "hypothesis", "discovery question", "why this rank", show_lines=True)
    for rank, m in enumerate(themes.messages, start=1):
        table.add_row(str(rank), m.hypothesis, m.question, f"{m.score}: {m.explanation}")
    console.print(table)
