"""Seeded demo companies, each built once and shared by the tests that need it.

Seeding the full demo company takes tens of seconds, and many tests seed exactly the same one
(same seed, same day, same deal scale) only to read it. The store seeds each such company once
per backend and per worker into a database of its own (a SQLite file; a PostgreSQL database
made from a migrated one with `CREATE DATABASE ... TEMPLATE`) and then hands out:

- `reader`: a session on that database that may only read (SQLite `query_only`, PostgreSQL
  `default_transaction_read_only`): a test that writes fails instead of spoiling the others;
- `copy`: the URL of a copy of its own (a copied file; a database made from it as template),
  for tests that write.

Both backends behave alike: the company is seeded and committed exactly as `seed_demo` does it
in a test's own session. Under pytest-xdist every worker has its own store (and its own
PostgreSQL databases, named after the worker's, which `.ci/run` drops with the worker's).
"""

from __future__ import annotations

import dataclasses
import itertools
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, make_url, text
from sqlalchemy.orm import Session

from valuescout.core import migrate
from valuescout.core.db import make_engine, make_session_factory
from valuescout.demo.deals import DealScale
from valuescout.demo.generator import DemoCompany, seed_demo

Key = tuple[str, int, date, tuple[Any, ...]]
# The `read_demo` fixture (tests/conftest.py): (what seed_demo returned, a read-only session).
ReadDemo = Callable[..., tuple[DemoCompany, Session]]


@dataclass(frozen=True)
class Seeded:
    """One seeded company: its database and what `seed_demo` returned (counts, heavy
    discounters, logins ...; its ORM objects are detached and must not be used to query)."""

    url: str
    company: DemoCompany


def _read_only_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA query_only=ON")
    cursor.close()


class DemoStore:
    """Seeded demo companies by (backend, seed, day, deal scale), for one test session."""

    def __init__(self, folder: Path, admin_url: str, pg_url: str) -> None:
        self._folder = folder
        self._admin_url = admin_url  # where CREATE/DROP DATABASE run from
        self._pg_url = pg_url  # the worker's own database: ours are named after it
        self._seeded: dict[Key, Seeded] = {}
        self._pg_base: str | None = None  # a migrated, empty database to copy from
        self._created: list[str] = []  # PostgreSQL databases to drop at the end
        self._names = itertools.count(1)

    def seeded(
        self, backend: str, seed: int, today: date, deals: DealScale | None = None
    ) -> Seeded:
        scale = deals or DealScale()
        kind = "sqlite" if backend.startswith("sqlite") else "postgresql"
        key: Key = (kind, seed, today, dataclasses.astuple(scale))
        if key not in self._seeded:
            url = self._empty_sqlite() if kind == "sqlite" else self._empty_postgresql()
            engine = make_engine(url)
            try:
                with make_session_factory(engine)() as session:
                    company = seed_demo(session, seed=seed, today=today, deals=scale)
                    session.commit()
            finally:
                engine.dispose()
            self._seeded[key] = Seeded(url, company)
        return self._seeded[key]

    def reader(self, seeded: Seeded) -> tuple[Engine, Session]:
        """A read-only session on the shared company; dispose of the engine after the test."""
        if seeded.url.startswith("sqlite"):
            engine = make_engine(seeded.url)
            event.listen(engine, "connect", _read_only_sqlite)
        else:
            engine = make_engine(
                seeded.url, connect_args={"options": "-c default_transaction_read_only=on"}
            )
        return engine, make_session_factory(engine)()

    def copy(self, seeded: Seeded, folder: Path) -> str:
        """A copy of the company for one test to write to (a PostgreSQL copy is dropped when
        the store closes, or by `drop` as soon as the test is done)."""
        if seeded.url.startswith("sqlite"):
            target = folder / f"demo-copy-{next(self._names)}.db"
            shutil.copyfile(seeded.url.removeprefix("sqlite:///"), target)
            return f"sqlite:///{target}"
        return self._create_database(template=make_url(seeded.url).database)

    def drop(self, url: str) -> None:
        if url.startswith("sqlite"):
            return
        name = make_url(url).database
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if name in self._created:
            self._created.remove(name)

    def close(self) -> None:
        for name in reversed(self._created):
            self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self._created.clear()
        self._seeded.clear()

    def _empty_sqlite(self) -> str:
        url = f"sqlite:///{self._folder / f'demo-{next(self._names)}.db'}"
        engine = make_engine(url)
        migrate.upgrade(engine)
        engine.dispose()
        return url

    def _empty_postgresql(self) -> str:
        if self._pg_base is None:
            base = self._create_database(template="template0")
            engine = make_engine(base)
            migrate.upgrade(engine)
            engine.dispose()
            self._pg_base = make_url(base).database
        return self._create_database(template=self._pg_base)

    def _create_database(self, template: str | None) -> str:
        """A new database next to the worker's, copied from `template` (which nobody may be
        connected to: every engine on it is disposed of after use)."""
        if not self._pg_url:
            raise RuntimeError("set VALUESCOUT_TEST_DATABASE_URL to use PostgreSQL")
        worker = make_url(self._pg_url)
        name = f"{worker.database}_demo{next(self._names)}"
        self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        self._created.append(name)
        return worker.set(database=name).render_as_string(hide_password=False)

    def _admin(self, statement: str) -> None:
        engine = make_engine(self._admin_url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.execute(text(statement))
        finally:
            engine.dispose()
