"""`valuescout coaching ...`: coaching sessions and their effect."""

from __future__ import annotations

import typer

app = typer.Typer(help="Coaching sessions and their effect.", no_args_is_help=True)
