"""Bulk inserts inside the caller's transaction, by the fastest path each database offers.

Measured on 100,000 opportunity rows (bench/deals_import.py has the whole import):
PostgreSQL took 24.6 s through SQLAlchemy's executemany (psycopg pipeline, one statement per
row), 57 s with multi-row VALUES ... RETURNING, and 14.2 s through COPY, whose floor on that
machine is the server's own index and foreign-key work (11.6 s for INSERT ... SELECT of the
same rows). SQLite took 6.6 s through SQLAlchemy and 4.6 s through the driver's executemany.

So: PostgreSQL uses COPY (ids, when wanted, drawn from the table's sequence first); SQLite uses
the driver's executemany with SQLAlchemy's own bind processors (so values are stored exactly as
the ORM stores them); any other database uses SQLAlchemy Core insert() with executemany.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.orm import Session

Processor = Callable[[Any], Any] | None
# SQLite's default page cache (2 MiB) is far smaller than the indexes of a million deals, so
# each insert waits for index pages; with 64 MiB a 300,000-row import took 37 s instead of 62.
SQLITE_CACHE_KIB = 65_536


@contextmanager
def tuned_for_import(session: Session) -> Iterator[None]:
    """A larger SQLite page cache on this connection while the import runs, then the old one."""
    if session.get_bind().dialect.name != "sqlite":
        yield
        return
    connection = session.connection()
    before = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size = {int(before or -2000)}")


class BulkInserter:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.dialect = session.get_bind().dialect
        self._processors: dict[tuple[str, tuple[str, ...]], list[Processor]] = {}

    def insert(
        self,
        table: Table,
        columns: Sequence[str],
        rows: Sequence[Sequence[Any]],
        constants: dict[str, Any] | None = None,
    ) -> None:
        """Insert rows (values in `columns` order), each with the same `constants`."""
        if not rows:
            return
        constants = constants or {}
        names = [*columns, *constants]
        tail = tuple(constants.values())
        if self.dialect.name == "postgresql":
            self._copy(table, names, rows, tail)
        elif self.dialect.name == "sqlite":
            self._sqlite(table, list(columns), rows, constants)
        else:
            self.session.execute(
                insert(table), [dict(zip(names, (*row, *tail), strict=True)) for row in rows]
            )

    def new_ids(self, table: Table, count: int) -> list[int] | None:
        """Ids to give new rows (PostgreSQL: from the sequence); None: let the database pick."""
        if self.dialect.name != "postgresql" or count == 0:
            return None
        sequence = self.session.scalar(select(func.pg_get_serial_sequence(table.name, "id")))
        rows = self.session.execute(
            text("SELECT nextval(CAST(:seq AS regclass)) FROM generate_series(1, :n)"),
            {"seq": sequence, "n": count},
        )
        return [int(r[0]) for r in rows]

    def _copy(
        self, table: Table, names: list[str], rows: Sequence[Sequence[Any]], tail: tuple[Any, ...]
    ) -> None:
        connection = self.session.connection().connection.driver_connection
        columns = ", ".join(f'"{name}"' for name in names)
        with (
            connection.cursor() as cursor,  # type: ignore[union-attr]
            cursor.copy(f'COPY "{table.name}" ({columns}) FROM STDIN') as copy,
        ):
            for row in rows:
                copy.write_row((*row, *tail))

    def _sqlite(
        self,
        table: Table,
        columns: list[str],
        rows: Sequence[Sequence[Any]],
        constants: dict[str, Any],
    ) -> None:
        processors = self._bind_processors(table, columns)
        fixed = tuple(self._process(table, name, value) for name, value in constants.items())
        names = [*columns, *constants]
        sql = (
            f'INSERT INTO "{table.name}" ({", ".join(names)}) '  # noqa: S608 - our own names
            f"VALUES ({', '.join('?' for _ in names)})"
        )
        convert = [(i, p) for i, p in enumerate(processors) if p is not None]
        params = []
        for row in rows:
            values = [*row, *fixed]
            for i, processor in convert:
                values[i] = processor(values[i])
            params.append(values)
        cursor = self.session.connection().connection.cursor()
        try:
            cursor.executemany(sql, params)
        finally:
            cursor.close()

    def _bind_processors(self, table: Table, columns: list[str]) -> list[Processor]:
        key = (table.name, tuple(columns))
        if key not in self._processors:
            self._processors[key] = [
                table.c[name].type.dialect_impl(self.dialect).bind_processor(self.dialect)
                for name in columns
            ]
        return self._processors[key]

    def _process(self, table: Table, name: str, value: Any) -> Any:
        processor = table.c[name].type.dialect_impl(self.dialect).bind_processor(self.dialect)
        return processor(value) if processor is not None else value
