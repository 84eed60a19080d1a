"""`valuescout conversations ...`: analyze notes and transcripts, evaluate the analyzer."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="Analyze notes and transcripts, evaluate the analyzer.", no_args_is_help=True
)
