"""What every command needs: settings, a database, one unit of work, and error reporting."""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import NoReturn

import typer
from rich.console import Console
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from valuescout.core.audit import Actor
from valuescout.core.db import make_engine, make_session_factory, unit_of_work
from valuescout.core.errors import DomainError
from valuescout.core.migrate import current_revision, head_revision
from valuescout.core.settings import ConfigurationError, Settings, get_settings

console = Console()
err_console = Console(stderr=True, soft_wrap=True)


def settings() -> Settings:
    try:
        return get_settings()
    except ConfigurationError as exc:
        fail(str(exc), code=2)


@lru_cache(maxsize=1)
def engine() -> Engine:
    return make_engine(settings().database_url)


def cli_actor() -> Actor:
    """Operators at the command line act as themselves, named by their OS account."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = "unknown"
    return Actor(id=None, email=f"cli:{name}")


@contextmanager
def transaction() -> Iterator[Session]:
    """One command, one unit of work; domain errors become a clear message and exit 1."""
    _require_migrated(engine())
    try:
        with unit_of_work(make_session_factory(engine())) as session:
            yield session
    except DomainError as exc:
        fail(exc.message)


def _require_migrated(eng: Engine) -> None:
    if current_revision(eng) != head_revision():
        fail("The database is not up to date; run `valuescout db upgrade` first.")


def fail(message: str, code: int = 1) -> NoReturn:
    err_console.print(f"[bold red]Error:[/] {message}", highlight=False)
    raise typer.Exit(code)
