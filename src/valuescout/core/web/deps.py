"""Request-level plumbing shared by every adapter: the unit of work and the settings."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from valuescout.core.db import unit_of_work
from valuescout.core.settings import Settings


def _db_session(request: Request) -> Iterator[Session]:
    # scope="function": the commit happens before the response is sent, so a failed
    # commit is an error the client sees, never a silent loss after a 200.
    with unit_of_work(request.app.state.session_factory) as session:
        yield session


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


DbSession = Annotated[Session, Depends(_db_session, scope="function")]
AppSettings = Annotated[Settings, Depends(_settings)]


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"
