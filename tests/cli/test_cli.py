"""The `valuescout` command: db, user and token groups against a real database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from tests.conftest import TEST_SECRET
from tests.factories import seeded_org
from valuescout.cli import context
from valuescout.cli.main import app
from valuescout.core.audit import AuditEntry
from valuescout.core.settings import get_settings
from valuescout.identity.models import ApiToken, User

runner = CliRunner()


@contextmanager
def cli_configured(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Point the CLI at a database, with its cached settings and engine reset around it."""
    monkeypatch.setenv("VALUESCOUT_DATABASE_URL", database_url)
    monkeypatch.setenv("VALUESCOUT_SECRET_KEY", TEST_SECRET)
    monkeypatch.setenv("VALUESCOUT_ENV", "test")
    get_settings.cache_clear()
    context.engine.cache_clear()
    try:
        yield
    finally:
        context.engine().dispose()
        get_settings.cache_clear()
        context.engine.cache_clear()


@pytest.fixture()
def cli_env(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    with cli_configured(database_url, monkeypatch):
        yield


def invoke(*args: str, input: str | None = None) -> tuple[int, str]:
    result = runner.invoke(app, list(args), input=input)
    return result.exit_code, result.output + (result.stderr if result.stderr_bytes else "")


def test_db_status_and_check(cli_env: None) -> None:
    code, out = invoke("db", "status")
    assert code == 0 and "head:" in out
    code, out = invoke("db", "check")
    assert code == 0 and "No differences" in out


def test_user_create_list_set_role(cli_env: None, session_factory: sessionmaker[Session]) -> None:
    seeded_org(session_factory)
    code, out = invoke(
        "user",
        "create",
        "--email",
        "Ops@Example.com",
        "--name",
        "Ops Person",
        "--role",
        "admin",
        "--team",
        "Acme",
        "--password",
        "a-long-enough-password",
    )
    assert code == 0, out
    assert "Created ops@example.com (admin)" in out
    code, out = invoke("user", "list")
    assert code == 0 and "ops@example.com" in out and "seller@example.com" in out
    code, out = invoke("user", "set-role", "ops@example.com", "executive")
    assert code == 0, out
    with session_factory() as s:
        user = s.scalars(select(User).where(User.email == "ops@example.com")).one()
        assert user.role.value == "executive"
        actors = set(
            s.scalars(select(AuditEntry.actor_email).where(AuditEntry.entity_id == str(user.id)))
        )
        assert len(actors) == 1 and next(iter(actors)).startswith("cli:")


def test_user_create_bad_input_changes_nothing(
    cli_env: None, session_factory: sessionmaker[Session]
) -> None:
    seeded_org(session_factory)
    code, out = invoke(
        "user",
        "create",
        "--email",
        "seller@example.com",
        "--name",
        "Dup",
        "--role",
        "seller",
        "--password",
        "a-long-enough-password",
    )
    assert code == 1 and "already exists" in out
    code, out = invoke(
        "user",
        "create",
        "--email",
        "x@example.com",
        "--name",
        "X",
        "--role",
        "seller",
        "--password",
        "short",
    )
    assert code == 1 and "password" in out
    code, out = invoke(
        "user",
        "create",
        "--email",
        "x@example.com",
        "--name",
        "X",
        "--role",
        "seller",
        "--team",
        "Nowhere",
        "--password",
        "long-enough-pw",
    )
    assert code == 1 and "No team named 'Nowhere'" in out
    code, _out = invoke("user", "set-role", "seller@example.com", "emperor")
    assert code == 2
    with session_factory() as s:
        assert len(s.scalars(select(User)).all()) == 7


def test_token_create_and_revoke(cli_env: None, session_factory: sessionmaker[Session]) -> None:
    seeded_org(session_factory)
    code, out = invoke("token", "create", "--email", "seller@example.com", "--name", "sync")
    assert code == 0, out
    secret = next(line for line in out.splitlines() if line.startswith("vs_"))
    with session_factory() as s:
        token = s.scalars(select(ApiToken)).one()
        assert token.prefix == secret[:10]
    code, out = invoke("token", "revoke", str(token.id))
    assert code == 0 and "revoked" in out
    code, out = invoke("token", "revoke", "9999")
    assert code == 1 and "not found" in out


def test_commands_refuse_an_unmigrated_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with cli_configured(f"sqlite:///{tmp_path}/empty.db", monkeypatch):
        code, out = invoke("user", "list")
        assert code == 1 and "valuescout db upgrade" in out
        code, out = invoke("db", "upgrade")
        assert code == 0 and "is at revision" in out
        code, out = invoke("user", "list")
        assert code == 0
