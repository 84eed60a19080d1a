"""`valuescout discoveries ...`: the review queue and the product-ideas list."""

from __future__ import annotations

import typer

app = typer.Typer(help="The review queue and the product-ideas list.", no_args_is_help=True)
