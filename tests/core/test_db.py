"""The database plumbing: SQLite pragmas and the all-or-nothing unit of work."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from tests.factories import TEST_ACTOR, make_team
from valuescout.core.audit import AuditEntry
from valuescout.core.db import unit_of_work
from valuescout.identity.models import Team, User


def test_sqlite_runs_with_wal_and_foreign_keys(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_foreign_keys_are_enforced(session: Session) -> None:
    session.add(
        User(
            email="x@example.com",
            full_name="X",
            role="seller",
            team_id=4242,
            password_hash="x",
            is_active=True,
        )
    )
    with pytest.raises(IntegrityError):
        session.flush()


def test_unit_of_work_commits_everything_or_nothing(session_factory: sessionmaker[Session]) -> None:
    with pytest.raises(RuntimeError), unit_of_work(session_factory) as s:
        make_team(s, "Acme", "company")  # writes the team and its audit entry
        raise RuntimeError("something failed after the writes")
    with session_factory() as s:
        assert s.scalar(select(func.count()).select_from(Team)) == 0
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == 0
    with unit_of_work(session_factory) as s:
        make_team(s, "Acme", "company")
    with session_factory() as s:
        assert s.scalar(select(func.count()).select_from(Team)) == 1
        entry = s.scalars(select(AuditEntry)).one()
        assert entry.actor_email == TEST_ACTOR.email and entry.action == "team.created"
