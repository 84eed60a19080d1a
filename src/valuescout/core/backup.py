"""Backup and restore: every table of the database in one portable file.

A backup is a zip holding `manifest.json` (format, schema revision, the columns and row count
of each table) and one JSON-lines file per table. Portable on purpose (ADR 0012): the same file
restores into SQLite or PostgreSQL, whichever the backup came from, and a backup taken at an
older schema revision restores at that revision and is then migrated to the current one.

Consistency: every table is read inside one read transaction, a snapshot (SQLite in WAL mode:
an explicit BEGIN holds the read mark; PostgreSQL: REPEATABLE READ, READ ONLY), so writes
committed while the backup runs are either wholly in it or wholly out of it. The server stays
online.

Restore goes into an empty database (no users, an empty audit trail) in one transaction:
the rows migrations seed are replaced by the backup's, columns that point at their own table
(or close a cycle of tables) are filled in a second pass, PostgreSQL sequences are moved past
the restored ids. Anything wrong — a damaged file, another format, a newer schema — is refused
before a row is written.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from alembic.script import ScriptDirectory
from sqlalchemy import (
    Column,
    Connection,
    Engine,
    MetaData,
    Table,
    bindparam,
    func,
    select,
    text,
)
from sqlalchemy.exc import StatementError
from sqlalchemy.schema import sort_tables_and_constraints

from valuescout.core import migrate
from valuescout.core.backup_rows import BATCH, ZIP_DAMAGE, batches, write_row
from valuescout.core.errors import Invalid

FORMAT = "valuescout-backup"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class BackupSummary:
    revision: str | None
    tables: dict[str, int]  # rows per table

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


def _stored_columns(table: Table) -> list[Column[Any]]:
    """Columns that hold data: generated ones are computed by the database itself."""
    return [c for c in table.columns if c.computed is None]


# --- backup ------------------------------------------------------------------------------------


def backup(
    engine: Engine,
    metadata: MetaData,
    out: Path,
    *,
    after_table: Callable[[str], None] | None = None,
) -> BackupSummary:
    """Write every table to `out` from one snapshot. `after_table` is a hook for tests."""
    counts: dict[str, int] = {}
    columns: dict[str, list[str]] = {}
    tmp = out.with_name(out.name + ".part")
    with _snapshot(engine) as conn, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
        revision = _revision(conn)
        for table in _schema(conn, metadata, revision).sorted_tables:
            stored = _stored_columns(table)
            columns[table.name] = [c.name for c in stored]
            with archive.open(f"tables/{table.name}.jsonl", "w") as sink:
                counts[table.name] = _write_rows(conn, table, stored, sink)
            if after_table is not None:
                after_table(table.name)
        manifest = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "revision": revision,
            "created_at": datetime.now(UTC).isoformat(),
            "dialect": engine.dialect.name,
            "columns": columns,
            "rows": counts,
        }
        archive.writestr("manifest.json", json.dumps(manifest, indent=2))
    tmp.replace(out)  # a backup that did not finish never looks like one that did
    return BackupSummary(revision, counts)


class _snapshot:
    """A connection inside one read-only snapshot transaction."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def __enter__(self) -> Connection:
        if self.engine.dialect.name == "sqlite":
            self.conn = self.engine.connect()
            self.conn.exec_driver_sql("BEGIN")  # pysqlite does not begin for reads on its own
        else:
            self.conn = self.engine.connect().execution_options(isolation_level="REPEATABLE READ")
            self.conn.exec_driver_sql("SET TRANSACTION READ ONLY")
        return self.conn

    def __exit__(self, *exc: object) -> None:
        self.conn.rollback()
        self.conn.close()


def _schema(conn: Connection, metadata: MetaData, revision: str | None) -> MetaData:
    """The application's tables at the newest revision; at an older one, the database's own
    (read from it), so no column of a later revision is expected."""
    if revision == migrate.head_revision():
        return metadata
    reflected = MetaData()
    reflected.reflect(conn)
    reflected.remove(reflected.tables["alembic_version"])
    return reflected


def _revision(conn: Connection) -> str | None:
    try:
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception as exc:  # no alembic_version table: not a ValueScout database
        raise Invalid("The database has no schema revision; nothing to back up.") from exc


def _write_rows(conn: Connection, table: Table, stored: list[Column[Any]], sink: IO[bytes]) -> int:
    order = list(table.primary_key.columns) or stored
    result = conn.execution_options(stream_results=True, yield_per=BATCH).execute(
        select(*stored).order_by(*order)
    )
    count = 0
    for row in result:
        write_row(sink, row)
        count += 1
    return count


# --- restore -----------------------------------------------------------------------------------


def read_manifest(path: Path) -> dict[str, Any]:
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = json.loads(archive.read("manifest.json"))
    except FileNotFoundError as exc:
        raise Invalid(f"{path}: no such file.") from exc
    except (*ZIP_DAMAGE, KeyError) as exc:  # ValueError covers bad JSON and UTF-8
        raise Invalid(f"{path}: not a ValueScout backup (no readable manifest).") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise Invalid(f"{path}: not a ValueScout backup.")
    if manifest.get("version") != FORMAT_VERSION:
        raise Invalid(
            f"{path}: backup format {manifest.get('version')!r}; this version reads "
            f"{FORMAT_VERSION}."
        )
    revision, columns, rows = (manifest.get(k) for k in ("revision", "columns", "rows"))
    if revision is not None and not isinstance(revision, str):
        raise Invalid(f"{path}: the manifest's schema revision is not a text.")
    if not isinstance(columns, dict) or not all(
        isinstance(names, list) and all(isinstance(n, str) for n in names)
        for names in columns.values()
    ):
        raise Invalid(f"{path}: the manifest's columns are not lists of names per table.")
    if not isinstance(rows, dict) or set(rows) != set(columns):
        raise Invalid(f"{path}: the manifest does not count the rows of each of its tables.")
    return manifest


def restore(engine: Engine, metadata: MetaData, path: Path) -> BackupSummary:
    """Restore `path` into the (empty) database behind `engine`, then migrate it to head."""
    manifest = read_manifest(path)
    revision = manifest.get("revision")
    _check_revision_known(revision)
    current = migrate.current_revision(engine)
    if current is not None and current != revision:
        raise Invalid(
            f"The database is at schema revision {current} and the backup at {revision}: "
            "restore into a new, empty database (or one at the backup's revision)."
        )
    if current is None:
        migrate.upgrade(engine, revision or "base")
    with engine.begin() as conn:
        tables = _tables_at(_schema(conn, metadata, revision), manifest, path)
        _require_empty(conn, metadata)
        _clear_seeded(conn, tables)
        with zipfile.ZipFile(path) as archive:
            counts = _insert_all(conn, archive, tables, manifest)
        if conn.dialect.name == "postgresql":
            _move_sequences(conn, tables)
    migrate.upgrade(engine, "head")
    return BackupSummary(revision, counts)


def _check_revision_known(revision: str | None) -> None:
    scripts = ScriptDirectory.from_config(migrate.alembic_config("sqlite://"))
    known = {script.revision for script in scripts.walk_revisions()}
    if revision is not None and revision not in known:
        raise Invalid(
            f"The backup is at schema revision {revision}, which this version of ValueScout "
            "does not know (is the backup from a newer version?)."
        )


def _tables_at(metadata: MetaData, manifest: dict[str, Any], path: Path) -> list[Table]:
    """The backup's tables, in the order their foreign keys allow: exactly the schema's
    tables and stored columns at the backup's revision (a backup lists them all)."""
    columns: dict[str, list[str]] = manifest["columns"]
    unknown = sorted(set(columns) - set(metadata.tables))
    if unknown:
        raise Invalid(f"{path}: tables this version does not have: {', '.join(unknown)}.")
    missing = sorted(set(metadata.tables) - set(columns))
    if missing:
        raise Invalid(f"{path}: the backup lacks tables {', '.join(missing)}.")
    for table in metadata.sorted_tables:
        names, stored = columns[table.name], {c.name for c in _stored_columns(table)}
        if len(set(names)) != len(names) or set(names) != stored:
            raise Invalid(
                f"Table {table.name}: the backup's columns {sorted(names)} are not the "
                f"schema's {sorted(stored)}."
            )
    return list(metadata.sorted_tables)


def _require_empty(conn: Connection, metadata: MetaData) -> None:
    for name in ("users", "audit_entries"):
        table = metadata.tables.get(name)
        if table is not None and conn.execute(select(func.count()).select_from(table)).scalar():
            raise Invalid(
                f"The database already holds data (table {name} is not empty): "
                "restore goes into a new, empty database."
            )


def _clear_seeded(conn: Connection, tables: list[Table]) -> None:
    """Migrations seed a few rows (stages, settings); the backup's own replace them."""
    for table in reversed(tables):
        if table.name != "audit_entries":
            conn.execute(table.delete())


def _second_pass_columns(tables: list[Table]) -> dict[str, set[str]]:
    """Per table, the foreign-key columns filled after every row exists (self-references and
    the constraints that close a cycle between tables)."""
    later: dict[str, set[str]] = {t.name: set() for t in tables}
    for table, constraints in sort_tables_and_constraints(tables):  # type: ignore[no-untyped-call]
        if table is None:
            for fkc in constraints:
                later[fkc.table.name] |= {c.name for c in fkc.columns}
    for table in tables:
        for fk in table.foreign_keys:
            if fk.column.table is table:
                later[table.name].add(fk.parent.name)
    return later


def _insert_all(
    conn: Connection, archive: zipfile.ZipFile, tables: list[Table], manifest: dict[str, Any]
) -> dict[str, int]:
    later = _second_pass_columns(tables)
    counts: dict[str, int] = {}
    deferred: list[tuple[Table, list[dict[str, Any]]]] = []
    for table in tables:
        names: list[str] = manifest["columns"][table.name]
        keys = [c.name for c in table.primary_key.columns]
        stamped = [c.name for c in table.columns if c.onupdate is not None]
        updates: list[dict[str, Any]] = []
        counts[table.name] = 0
        for first, batch in batches(archive, table, names):
            for row in batch:
                update = {n: row[n] for n in later[table.name] if row.get(n) is not None}
                if update:
                    for n in update:
                        row[n] = None
                    # The second pass must not stamp "updated at" columns with today.
                    update |= {n: row[n] for n in stamped if n in row}
                    updates.append({**{f"pk_{k}": row[k] for k in keys}, **update})
            where = f"tables/{table.name}.jsonl lines {first}-{first + len(batch) - 1}"
            _execute(conn, table.insert(), batch, where)
            counts[table.name] += len(batch)
        if counts[table.name] != manifest["rows"][table.name]:
            raise Invalid(
                f"tables/{table.name}.jsonl holds {counts[table.name]} rows and the manifest "
                f"counts {manifest['rows'][table.name]!r}: the backup is incomplete."
            )
        if updates:
            deferred.append((table, updates))
    for table, updates in deferred:
        _update_later(conn, table, updates)
    return counts


def _update_later(conn: Connection, table: Table, updates: list[dict[str, Any]]) -> None:
    keys = list(table.primary_key.columns)
    by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for update in updates:
        columns = tuple(sorted(k for k in update if not k.startswith("pk_")))
        by_columns.setdefault(columns, []).append(update)
    for columns, rows in by_columns.items():
        statement = (
            table.update()
            .where(*(k == bindparam(f"pk_{k.name}") for k in keys))
            .values({c: bindparam(f"v_{c}") for c in columns})
        )
        rows_in = [_prefixed(row) for row in rows]
        _execute(conn, statement, rows_in, f"tables/{table.name}.jsonl (references)")


def _execute(conn: Connection, statement: Any, rows: list[dict[str, Any]], where: str) -> None:
    """Run a write of restored rows; the database's refusal (a duplicate, a missing reference,
    a value out of range) becomes the product's error naming where (the transaction rolls back)."""
    try:
        conn.execute(statement, rows)
    except StatementError as exc:
        reason = str(exc.orig or exc).strip().splitlines()[0][:300]
        raise Invalid(f"{where}: the database refused the rows: {reason}") from exc


def _prefixed(update: dict[str, Any]) -> dict[str, Any]:
    return {k if k.startswith("pk_") else f"v_{k}": v for k, v in update.items()}


def _move_sequences(conn: Connection, tables: list[Table]) -> None:
    for table in tables:
        key = table.columns.get("id")
        if key is None or not key.primary_key or key.autoincrement is False:
            continue
        top = f"(SELECT max(id) FROM {table.name})"  # noqa: S608 - our table's name
        move = f"SELECT setval(pg_get_serial_sequence(:t, 'id'), coalesce({top}, 1), "
        move += f"{top} IS NOT NULL)"
        conn.execute(text(move), {"t": table.name})
