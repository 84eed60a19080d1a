"""`valuescout db ...`: migrations."""

from __future__ import annotations

import typer

from valuescout.cli.context import console, engine, settings
from valuescout.core import migrate

app = typer.Typer(help="Database schema: upgrade, check, status.", no_args_is_help=True)


@app.command("upgrade")
def upgrade(revision: str = typer.Argument("head", help="Target revision")) -> None:
    """Create or upgrade the database schema by running the migrations."""
    url = settings().database_url
    migrate.upgrade(engine(), revision)
    console.print(
        f"Database at [bold]{_redact(url)}[/] is at revision {migrate.current_revision(engine())}."
    )


@app.command("status")
def status() -> None:
    """Show the database's revision and the newest one this version knows."""
    console.print(f"current: {migrate.current_revision(engine()) or '(empty database)'}")
    console.print(f"head:    {migrate.head_revision()}")


@app.command("check")
def check() -> None:
    """Fail when the models and the migrations disagree."""
    migrate.check(engine())
    console.print("No differences between the models and the migrations.")


def _redact(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
