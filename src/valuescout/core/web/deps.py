"""Request-level plumbing shared by every adapter: the unit of work and the settings."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

import anyio
from fastapi import Depends, Request
from sqlalchemy.orm import Session

from valuescout.core.settings import Settings

# Threads that only end transactions (commit or roll back, then close), apart from the
# threads that run route handlers. When every handler thread waits for a row lock (two
# approvers on one request, two asks on one deal), the transaction holding the lock must still
# be able to commit; with the default pool it would wait for a free handler thread, and the
# app would stall until the pool timed out (bench/pricing_load.py at 100 clients, 2 workers).
END_THREADS = 64


def _end_limiter(request: Request) -> anyio.CapacityLimiter:
    limiter: anyio.CapacityLimiter | None = getattr(request.app.state, "end_limiter", None)
    if limiter is None:  # made inside the event loop, on the first request
        limiter = anyio.CapacityLimiter(END_THREADS)
        request.app.state.end_limiter = limiter
    return limiter


def _commit(session: Session) -> None:
    try:
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def _roll_back(session: Session) -> None:
    try:
        session.rollback()
    finally:
        session.close()


async def _db_session(request: Request) -> AsyncIterator[Session]:
    """One transaction per request: commit when the handler returns, roll back on any error.
    scope="function": the commit happens before the response is sent, so a failed commit is an
    error the client sees, never a silent loss after a 200. The session opens no connection
    until the handler's first query, which runs in the handler's thread."""
    session: Session = request.app.state.session_factory()
    limiter = _end_limiter(request)
    try:
        yield session
    except BaseException:
        await anyio.to_thread.run_sync(_roll_back, session, limiter=limiter)
        raise
    await anyio.to_thread.run_sync(_commit, session, limiter=limiter)


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


DbSession = Annotated[Session, Depends(_db_session, scope="function")]
AppSettings = Annotated[Settings, Depends(_settings)]


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"
