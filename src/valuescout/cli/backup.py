"""`valuescout backup --out FILE` and `valuescout restore FILE`: the whole database in one
portable file (`core/backup.py` has the format and the rules). Backup runs while the server
serves; restore goes into the configured database only when it is new and empty.
"""

from __future__ import annotations

from pathlib import Path

import typer

from valuescout.cli.context import console, engine, err_console, fail
from valuescout.core import backup as backups
from valuescout.core.errors import DomainError
from valuescout.registry import metadata


def backup(
    out: Path = typer.Option(..., "--out", help="The backup file to write (a .zip)."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing file."),
) -> None:
    """Back up every table of the configured database, consistently, while it runs."""
    if out.exists() and not force:
        fail(f"{out} exists; pass --force to overwrite it.")
    if not out.parent.is_dir():
        fail(f"{out.parent} is not a directory.")
    try:
        summary = backups.backup(engine(), metadata, out)
    except DomainError as exc:
        fail(exc.message)
    console.print(
        f"Backed up {summary.rows:,} rows in {len(summary.tables)} tables "
        f"(schema revision {summary.revision}) to {out}."
    )


def restore(
    file: Path = typer.Argument(..., help="A file written by `valuescout backup`."),
) -> None:
    """Restore a backup into the configured database, which must be new and empty."""
    try:
        summary = backups.restore(engine(), metadata, file)
    except DomainError as exc:
        fail(exc.message)
    err_console.print(f"Restored from schema revision {summary.revision}; migrated to head.")
    console.print(f"Restored {summary.rows:,} rows in {len(summary.tables)} tables from {file}.")
