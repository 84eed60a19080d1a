"""`valuescout rfp ...`: RFP-engagement analysis."""

from __future__ import annotations

import typer

app = typer.Typer(help="RFP-engagement analysis.", no_args_is_help=True)
