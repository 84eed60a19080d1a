"""Migrations are the schema: no drift from the models, reversible, audit trail guarded."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import DatabaseError

from valuescout.core import migrate
from valuescout.core.audit import SYSTEM_ACTOR, record
from valuescout.core.db import make_session_factory, unit_of_work


def test_models_and_migrations_agree(engine: Engine) -> None:
    migrate.check(engine)  # raises alembic.util.CommandError on drift


def test_database_is_at_head(engine: Engine) -> None:
    assert migrate.current_revision(engine) == migrate.head_revision()


def test_downgrade_to_base_and_back(engine: Engine) -> None:
    config = migrate.alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    migrate.upgrade(engine)
    assert "audit_entries" in inspect(engine).get_table_names()


def test_migration_files_are_dated_and_import_no_app_code() -> None:
    for path in sorted(migrate.MIGRATIONS_DIR.joinpath("versions").glob("*.py")):
        if path.name == "__init__.py":
            continue
        assert re.match(r"^\d{8}_\d{4}_\w+\.py$", path.name), path.name
        assert "valuescout" not in Path(path).read_text(), f"{path.name} imports app code"


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_entries SET action = 'forged'",
        "DELETE FROM audit_entries",
    ],
)
def test_audit_trail_is_append_only_in_the_database(engine: Engine, statement: str) -> None:
    with unit_of_work(make_session_factory(engine)) as session:
        record(session, SYSTEM_ACTOR, "test.happened", "thing", 1, {"a": 1})
    with pytest.raises(DatabaseError, match="append-only"), engine.begin() as conn:
        conn.execute(text(statement))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT action FROM audit_entries")).scalars().all() == [
            "test.happened"
        ]
