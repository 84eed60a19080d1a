"""`valuescout import ...`: bring CRM exports in (all or nothing, every problem listed)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.markup import escape
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from valuescout.cli.context import cli_actor, console, err_console, fail, transaction
from valuescout.deals.importing import service
from valuescout.deals.importing.mapping import EMPTY, ImportMapping, MappingError, load_mapping
from valuescout.deals.importing.org import DEFAULT_EMAIL_DOMAIN
from valuescout.deals.importing.presets import PRESET_NAMES, PRESETS
from valuescout.deals.importing.readers import RejectsWriter, SourceFile

app = typer.Typer(help="Import data from CRM exports.", no_args_is_help=True)

SHOWN_PROBLEMS = 50


@app.command("opportunities")
def opportunities(
    files: list[Path] = typer.Argument(..., help="CSV files (Maven: all four files)"),
    preset: str = typer.Option(
        "generic", "--preset", "-p", help=f"The export's layout: {', '.join(PRESET_NAMES)}"
    ),
    mapping: Path | None = typer.Option(
        None, "--mapping", "-m", help="A YAML mapping file (see examples/crm-mapping.yaml)"
    ),
    skip_invalid: Path | None = typer.Option(
        None,
        "--skip-invalid",
        metavar="REJECTS.csv",
        help="Import the good rows; write the bad ones, with their problems, to this file",
    ),
    create_missing: bool = typer.Option(
        False, "--create-missing", help="Create owners and accounts that do not exist yet"
    ),
    encoding: str = typer.Option("utf-8", "--encoding", help="The files' text encoding"),
    default_owner: str | None = typer.Option(
        None, "--default-owner", help="Email or name of the owner for rows without one"
    ),
    email_domain: str = typer.Option(
        DEFAULT_EMAIL_DOMAIN, "--email-domain", help="Domain for users created from a name"
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Check everything and count the changes; write nothing"
    ),
) -> None:
    """Import opportunities; re-importing updates them by external id (changes kept as history).

    All or nothing by default: any bad row and nothing is written; every problem is listed
    with its file, line and column.
    """
    if preset.strip().lower() not in PRESETS:
        fail(f"Unknown preset {preset!r}; use one of {', '.join(PRESET_NAMES)}.", code=2)
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        fail(f"No such file: {', '.join(missing)}.", code=2)
    options = service.ImportOptions(
        preset=preset,
        mapping=_mapping(mapping),
        encoding=encoding,
        create_missing=create_missing,
        skip_invalid=skip_invalid is not None,
        default_owner=default_owner,
        email_domain=email_domain,
    )
    rejects = RejectsWriter(skip_invalid) if skip_invalid is not None and not dry_run else None
    sources = [SourceFile(f) for f in files]
    try:
        with transaction() as session, _progress() as progress:
            report = service.run_as(
                session,
                cli_actor(),
                sources,
                options,
                progress=progress,
                rejects=rejects,
                dry_run=dry_run,
            )
    finally:
        if rejects is not None:
            rejects.close()
    if rejects is not None and not report.written:
        for path in rejects.paths:
            path.unlink(missing_ok=True)
        report.rejects_files = []
    _render(report)
    if report.problem_count and not report.written:
        raise typer.Exit(1)


def _mapping(path: Path | None) -> ImportMapping:
    if path is None:
        return EMPTY
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"{path}: cannot read the mapping file ({exc}).")
    try:
        return load_mapping(text, str(path))
    except MappingError as exc:
        fail(
            f"{path}: the mapping file has problems; nothing was imported.\n"
            + "\n".join(f"  {p}" for p in exc.problems)
        )


@contextmanager
def _progress() -> Iterator[service.Progress]:
    bar = Progress(
        TextColumn("Importing"),
        BarColumn(),
        DownloadColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
        disable=not err_console.is_terminal,
    )
    task = bar.add_task("import", total=None)

    def advance(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)

    with bar:
        yield advance


def _render(report: service.ImportReport) -> None:
    n = len(report.files)
    mode = "Checked (dry run, nothing written)" if report.dry_run else "Read"
    console.print(
        f"{mode}: {report.rows:,} opportunity rows from {n} file{'s' if n != 1 else ''} "
        f"({PRESETS[report.preset].label}) in {report.seconds:.1f} s.",
        highlight=False,
    )
    verb = "Would create" if report.dry_run or not report.written else "Created"
    console.print(
        f"{verb} {report.created:,} opportunities, updated {report.updated:,}, "
        f"unchanged {report.unchanged:,}, rejected {report.rejected:,}; "
        f"{report.history:,} history entries.",
        highlight=False,
    )
    extras = [
        (report.users_created, "users (who cannot sign in until given a password)"),
        (len(report.teams_created), "teams"),
        (report.accounts_created, "accounts"),
        (report.products_created, "products"),
    ]
    made = [f"{count:,} {what}" for count, what in extras if count]
    updated = [
        f"{count:,} {what}"
        for count, what in (
            (report.accounts_updated, "accounts"),
            (report.products_updated, "products"),
        )
        if count
    ]
    if made:
        console.print("Also created: " + ", ".join(made) + ".", highlight=False)
    if updated:
        console.print("Updated: " + ", ".join(updated) + ".", highlight=False)
    for file in report.files:
        if file.ignored_columns:
            ignored = ", ".join(file.ignored_columns)
            console.print(
                f"{escape(file.name)}: columns not imported: {escape(ignored)}", highlight=False
            )
    if report.warnings:
        console.print("[yellow]Warnings[/] (resolved as said; map them otherwise):")
        for warning in report.warnings:
            console.print(f"  - {escape(warning)}", highlight=False)
    if report.problem_count:
        _problems(report)
    if report.written and report.rejects_files:
        console.print(
            f"Wrote {report.rejected:,} rejected rows with their problems to "
            f"{', '.join(report.rejects_files)}.",
            highlight=False,
        )
    if not report.written and not report.dry_run and report.problem_count:
        err_console.print(
            "[bold red]Nothing was written.[/] Fix the rows above, map values in a mapping file "
            "(--mapping, see examples/crm-mapping.yaml), or import the good rows with "
            "--skip-invalid REJECTS.csv.",
            highlight=False,
        )


def _problems(report: service.ImportReport) -> None:
    table = Table("file", "line", "column", "problem", title=f"{report.problem_count:,} problems")
    for p in report.problems[:SHOWN_PROBLEMS]:
        table.add_row(escape(p.file), str(p.line or ""), escape(p.column), escape(p.message))
    console.print(table)
    if report.problem_count > SHOWN_PROBLEMS:
        console.print(
            f"... and {report.problem_count - SHOWN_PROBLEMS:,} more "
            "(--skip-invalid REJECTS.csv writes every bad row with its problems).",
            highlight=False,
        )
    if report.unknown_values:
        console.print("Values that match nothing (map them in a mapping file):")
        for value in report.unknown_values[:SHOWN_PROBLEMS]:
            console.print(f"  - {escape(value)}", highlight=False)
    if any(p.code == "encoding" for p in report.problems):
        console.print(
            "Hint: give the files' encoding with --encoding (e.g. --encoding cp1252).",
            highlight=False,
        )
