"""Upgrading keeps the data: the demo company, written into the schema of an older revision,
survives the migrations to head value for value.

The demo is generated at head, then every row is written into a database at the older revision
with the columns that revision had (tables it did not have yet are left out), as a company
that started on that version would hold it. After `upgrade head`, every value written must
read back unchanged, and later columns take their defaults.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, MetaData, select

from tests.demo_store import DemoStore
from valuescout.core import migrate
from valuescout.core.db import make_engine
from valuescout.demo.deals import DealScale
from valuescout.registry import metadata

SMALL = DealScale(accounts=12, opportunities=40)
TODAY = date(2026, 6, 15)


def _revisions() -> list[str]:
    scripts = ScriptDirectory.from_config(migrate.alembic_config("sqlite://"))
    return [s.revision for s in reversed(list(scripts.walk_revisions()))]


def _rows(engine: Engine, schema: MetaData) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    with engine.connect() as conn:
        for table in schema.sorted_tables:
            keys = list(table.primary_key.columns) or list(table.columns)
            stored = [c for c in table.columns if c.computed is None]
            result = conn.execute(select(*stored).order_by(*keys)).mappings()
            out[table.name] = [dict(r) for r in result]
    return out


@pytest.fixture(scope="module")
def demo_rows(demo_store: DemoStore) -> dict[str, list[dict[str, Any]]]:
    """Every row of the small demo company at head (seeded once, shared: tests/demo_store.py)."""
    engine, session = demo_store.reader(demo_store.seeded("sqlite", 7, TODAY, SMALL))
    session.close()
    rows = _rows(engine, metadata)
    engine.dispose()
    return rows


@pytest.mark.parametrize("revision", _revisions()[:-1])
def test_demo_data_at_an_old_revision_survives_the_upgrade(
    revision: str, demo_rows: dict[str, list[dict[str, Any]]], tmp_path: Path
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    migrate.upgrade(engine, revision)
    old = MetaData()
    old.reflect(engine)
    old.remove(old.tables["alembic_version"])
    written: dict[str, list[str]] = {}
    with engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA defer_foreign_keys=ON")
        for table in old.sorted_tables:
            conn.execute(table.delete())  # rows the migrations seeded; the demo has its own
        for table in old.sorted_tables:
            rows = demo_rows.get(table.name, [])
            columns = [c.name for c in table.columns if c.computed is None]
            written[table.name] = columns
            if rows:
                conn.execute(table.insert(), [{c: r[c] for c in columns} for r in rows])
    assert sum(len(demo_rows.get(n, [])) for n in written) > 100, "the old schema holds data"

    migrate.upgrade(engine, "head")
    after = _rows(engine, metadata)
    engine.dispose()
    for name, columns in written.items():
        kept = [{c: r[c] for c in columns} for r in after[name]]
        before = [{c: r[c] for c in columns} for r in demo_rows[name]]
        assert kept == before, f"{name} changed upgrading from {revision}"
