"""`valuescout demo`: a ready-to-explore company in an embedded database."""

from __future__ import annotations

import os
from pathlib import Path

import typer
from rich.table import Table

from valuescout.cli.context import console, fail
from valuescout.core.db import make_engine, make_session_factory, unit_of_work
from valuescout.core.migrate import upgrade
from valuescout.core.settings import ConfigurationError, get_settings, load_settings
from valuescout.demo.generator import (
    COMPANY_NAME,
    DEMO_PASSWORD,
    demo_logins,
    is_seeded,
    seed_demo,
)
from valuescout.identity.roles import ROLE_LABELS, Role


def demo(
    db: Path | None = typer.Option(None, help="SQLite file (default DATA_DIR/demo.db)"),
    serve: bool = typer.Option(True, "--serve/--no-serve", help="Serve the app afterwards"),
    seed: int = typer.Option(7, help="Random seed; the same seed gives the same company"),
    reset: bool = typer.Option(False, help="Delete an existing demo database first"),
    port: int | None = typer.Option(None, help="Port (default VALUESCOUT_PORT or 8000)"),
) -> None:
    """Create (or reuse) the demo company and serve it."""
    # The demo is a development setting: published passwords, a development secret.
    os.environ.setdefault("VALUESCOUT_ENV", "development")
    try:
        base = load_settings()
    except ConfigurationError as exc:
        fail(str(exc), code=2)
    path = db or base.data_dir / "demo.db"
    if reset:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    url = f"sqlite:///{path}"
    os.environ["VALUESCOUT_DATABASE_URL"] = url
    get_settings.cache_clear()

    engine = make_engine(url)
    with console.status("Running migrations..."):
        upgrade(engine)
    with unit_of_work(make_session_factory(engine)) as session:
        if is_seeded(session):
            console.print(f"Using the demo company already in {path} (--reset starts over).")
            logins = demo_logins(session)
        else:
            with console.status(f"Creating {COMPANY_NAME} (seed {seed})..."):
                company = seed_demo(session, seed)
            deals = company.deals
            console.print(
                f"Created {COMPANY_NAME}: {len(company.users)} people, "
                f"{len(company.regions)} regions, {len(company.teams)} teams, "
                f"{len(company.value_networks)} value networks, {deals.accounts:,} accounts "
                f"and {deals.opportunities:,} opportunities ({deals.open:,} open, "
                f"{deals.won:,} won, {deals.lost:,} lost) in {path}."
            )
            logins = company.logins
    engine.dispose()
    _print_logins(logins)
    if serve:
        from valuescout.cli.serve import run_server

        settings = get_settings()
        run_server(settings.host, port or settings.port)


def _print_logins(logins: dict[Role, str]) -> None:
    table = Table("role", "email", "password", title="Demo logins")
    for role in Role:
        if role in logins:
            table.add_row(ROLE_LABELS[role], logins[role], DEMO_PASSWORD)
    console.print(table)
