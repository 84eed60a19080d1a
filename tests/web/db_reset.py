"""Put a test database back to rows captured earlier, for fuzzers that need every example to
start from the same state (the stateful API fuzz: Hypothesis replays a choice prefix and must
meet the same answers).

`capture` reads every table; `restore` empties every table and inserts the captured rows, in
one transaction. Sequences are left as they are, so ids made later never meet captured ones.
The audit trail is append-only (triggers refuse DELETE): PostgreSQL deletes in a replica
session, where row triggers do not fire; SQLite's triggers are dropped and created again
around the delete, inside the same transaction. Teams and users refer to each other, so
foreign keys are checked at commit (SQLite) or not by row (PostgreSQL's replica role, as
pg_restore does).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select, text

from valuescout.registry import metadata

Rows = dict[str, list[dict[str, Any]]]


def capture(engine: Engine) -> Rows:
    """Every row of every table, without generated columns (the database computes those)."""
    with engine.connect() as conn:
        return {
            t.name: [
                dict(r)
                for r in conn.execute(
                    select(*(c for c in t.columns if c.computed is None))
                ).mappings()
            ]
            for t in metadata.sorted_tables
        }


def restore(engine: Engine, rows: Rows) -> None:
    tables = metadata.sorted_tables
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            # As pg_restore --disable-triggers: foreign keys (teams and users refer to each
            # other) are checked by triggers, which a replica session does not fire.
            conn.execute(text("SET LOCAL session_replication_role = replica"))
            # DELETE, not TRUNCATE: no trigger fires in a replica session either, and it does
            # not make new files for every table (100+ ms an example).
            deletes = "; ".join(f'DELETE FROM "{t.name}"' for t in tables)  # noqa: S608
            conn.exec_driver_sql(deletes)
        else:
            conn.exec_driver_sql("BEGIN")  # the driver would begin only at the first write
            conn.execute(text("PRAGMA defer_foreign_keys = ON"))  # checked at commit
            triggers = conn.execute(
                text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
            ).all()
            for name, _ in triggers:
                conn.execute(text(f'DROP TRIGGER "{name}"'))
            for table in reversed(tables):
                conn.execute(table.delete())
            for _, sql in triggers:
                conn.execute(text(sql))
        for table in tables:
            if rows.get(table.name):
                conn.execute(table.insert(), rows[table.name])
