"""`valuescout assess ...`: maturity, willingness to engage, sales reputation."""

from __future__ import annotations

import typer

app = typer.Typer(help="Maturity, willingness to engage, sales reputation.", no_args_is_help=True)
