"""`valuescout serve`: run the web app against the configured database."""

from __future__ import annotations

import typer
import uvicorn

from valuescout.cli.context import console, engine, fail, settings
from valuescout.core.migrate import current_revision, head_revision


def serve(
    host: str | None = typer.Option(None, help="Address to bind (default VALUESCOUT_HOST)"),
    port: int | None = typer.Option(None, help="Port (default VALUESCOUT_PORT or 8000)"),
) -> None:
    """Serve the web app and the JSON API."""
    cfg = settings()
    if current_revision(engine()) != head_revision():
        fail("The database is not up to date; run `valuescout db upgrade` first.")
    run_server(host or cfg.host, port or cfg.port)


def run_server(host: str, port: int) -> None:
    console.print(f"ValueScout is at [bold]http://{host}:{port}[/] (Ctrl+C stops it).")
    uvicorn.run(
        "valuescout.web.app:create_app",
        factory=True,
        host=host,
        port=port,
        log_level=settings().log_level.lower(),
        proxy_headers=True,
    )
