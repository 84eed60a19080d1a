"""A token's last use is noted at most once a minute, and never makes parallel clients queue."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.orm import Session, sessionmaker

from tests.factories import make_org, token_for
from valuescout.core.models import utcnow
from valuescout.identity import auth_service
from valuescout.identity.models import ApiToken


def _last_used(factory: sessionmaker[Session]) -> object:
    with factory() as s:
        return s.scalar(select(ApiToken.last_used_at))


def test_use_is_noted_once_a_minute(session_factory: sessionmaker[Session]) -> None:
    with session_factory() as s:
        org = make_org(s)
        s.commit()
    secret = token_for(session_factory, org.users["seller"])
    assert _last_used(session_factory) is None
    with session_factory.begin() as s:
        auth_service.principal_for_token(s, secret)
    first = _last_used(session_factory)
    assert first is not None
    with session_factory.begin() as s:
        auth_service.principal_for_token(s, secret)
    assert _last_used(session_factory) == first  # within the minute: not written again
    with session_factory.begin() as s:
        s.execute(update(ApiToken).values(last_used_at=utcnow() - timedelta(minutes=5)))
    with session_factory.begin() as s:
        auth_service.principal_for_token(s, secret)
    assert _last_used(session_factory) > first  # type: ignore[operator]


def test_a_locked_token_row_does_not_block_another_request(
    session_factory: sessionmaker[Session], backend: str
) -> None:
    if backend.startswith("sqlite"):
        pytest.skip("row locks need PostgreSQL (SQLite has one writer)")
    with session_factory() as s:
        org = make_org(s)
        s.commit()
    secret = token_for(session_factory, org.users["seller"])
    holder = session_factory()
    try:
        # Another request is noting the same use and has not committed yet.
        holder.execute(select(ApiToken).with_for_update())
        with session_factory.begin() as s:
            s.execute(text("SET LOCAL lock_timeout = '2s'"))  # waiting would fail the test
            principal = auth_service.principal_for_token(s, secret)
        assert principal.user_id == org.users["seller"].id
    finally:
        holder.rollback()
        holder.close()
