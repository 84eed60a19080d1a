"""Shared fixtures: a migrated database per test on SQLite and, when configured, PostgreSQL.

Set VALUESCOUT_TEST_DATABASE_URL=postgresql+psycopg://... to run every database test on both.
Under pytest-xdist (`make test` runs `pytest -n ...`) each worker gets its own PostgreSQL
database, named after that one with the worker's id appended (`..._gw0`): created when the
worker starts and dropped when it finishes. Without -n the configured database is used as is.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from _pytest.nodeid import NodeId
from fastapi import FastAPI
from fastapi.testclient import TestClient
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from sqlalchemy import Connection, Engine, make_url, text
from sqlalchemy.orm import Session, sessionmaker

from tests.demo_store import DemoStore, ReadDemo
from valuescout.analytics import answers, deal_snapshot, service_approvers
from valuescout.core import migrate
from valuescout.core.db import make_engine, make_session_factory
from valuescout.core.security import configure_password_hasher
from valuescout.core.settings import Settings
from valuescout.demo.deals import DealScale
from valuescout.demo.generator import DemoCompany
from valuescout.forecasting import model_cache, owner_deals
from valuescout.forecasting import service as forecast_service
from valuescout.pricing import history
from valuescout.web.app import create_app

CONFIGURED_PG_URL = os.environ.get("VALUESCOUT_TEST_DATABASE_URL", "").strip()
# Set by pytest-xdist in its worker processes ("gw0", "gw1", ...) before conftest is imported.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "").strip()


def _worker_database_url(url: str, worker: str) -> str:
    """The worker's own database next to the configured one: `valuescout_ci` -> `..._gw0`."""
    if not url or not worker:
        return url
    parsed = make_url(url)
    return parsed.set(database=f"{parsed.database}_{worker}").render_as_string(hide_password=False)


PG_URL = _worker_database_url(CONFIGURED_PG_URL, XDIST_WORKER)
BACKENDS = ["sqlite", "postgresql"] if PG_URL else ["sqlite"]
TEST_SECRET = "test-secret-key-that-is-long-enough-for-production-checks"
# Rows the migrations seed (defaults users then edit); restored after each PostgreSQL wipe.
SEEDED_TABLES = ("deal_stages", "deal_settings", "price_policies")
_seeded_rows: dict[str, list[dict[str, object]]] = {}


def pytest_configure(config: pytest.Config) -> None:
    # Real argon2, cheap parameters: the suite signs in hundreds of times.
    configure_password_hasher(time_cost=1, memory_cost=1024)
    # Tests sharing one seeded demo company run on one worker; known without xdist too.
    config.addinivalue_line("markers", "xdist_group(name): run the group on one xdist worker")
    # One PostgreSQL URL serves many tests' companies in turn: a model trained on the last
    # test's deals must never be served, so every shared cache computes in the request
    # (tests/core/test_shared_cache.py and each cache's tests cover sharing, via
    # tests/shared_caches.py).
    model_cache.CACHE.inline = True
    model_cache.CLOSED.inline = True  # and the closed deals' version it is keyed by
    deal_snapshot.CACHE.inline = True  # likewise the analytics' snapshot of the deal lines
    history.SAMPLES.inline = True  # and the price desk's shared discount history
    forecast_service.FORECASTS.inline = True  # and the forecasts shared for half a minute
    owner_deals.OWNER_DEALS.inline = True  # and each owner's scored deals they are made of
    answers.ANSWERS.inline = True  # and the analytics answers of a snapshot
    service_approvers.REVIEWS.inline = True  # and the approver review's decisions


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under xdist with --dist loadgroup, the browser tests share one worker: one live server
    with its seeded demo company and one Chromium, instead of one per worker."""
    if not config.pluginmanager.hasplugin("xdist"):
        return
    for item in items:
        if item.get_closest_marker("e2e"):
            item.add_marker(pytest.mark.xdist_group("e2e"))
    if getattr(config.option, "loadgroup", False):
        _group_by_suffix(items)


def _group_by_suffix(items: list[pytest.Item]) -> None:
    """What pytest-xdist 3.8 does for `xdist_group` on a worker: suffix the test's id with
    `@group`, which its loadgroup scheduler reads. Its own hook writes `item._nodeid`, which
    pytest 9.2 no longer reads, so without this every group was silently spread over all
    workers (the browser tests and the shared demo companies seeded once per worker)."""
    for item in items:
        names = sorted({str(m.args[0]) for m in item.iter_markers("xdist_group") if m.args})
        if names and "@" not in item.nodeid.rpartition("]")[2]:
            item._id = NodeId.parse(f"{item.nodeid}@{'_'.join(names)}")  # type: ignore[attr-defined]


def _admin_statement(statement: str) -> None:
    """CREATE/DROP DATABASE, run from the configured database (they cannot run in a transaction)."""
    engine = make_engine(CONFIGURED_PG_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(statement))
    finally:
        engine.dispose()


def _create_worker_database() -> None:
    name = make_url(PG_URL).database
    engine = make_engine(CONFIGURED_PG_URL)
    try:
        with engine.connect() as conn:
            found = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
    finally:
        engine.dispose()
    if not found:
        _admin_statement(f'CREATE DATABASE "{name}"')


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """An xdist worker drops its own PostgreSQL database (.ci/run's trap catches leftovers)."""
    if PG_URL and PG_URL != CONFIGURED_PG_URL:
        _admin_statement(f'DROP DATABASE IF EXISTS "{make_url(PG_URL).database}" WITH (FORCE)')


@pytest.fixture(scope="session", params=BACKENDS)
def backend(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """Migrate once per backend; yields a template (SQLite file) or the PostgreSQL URL."""
    if request.param == "sqlite":
        template = tmp_path_factory.mktemp("template") / "template.db"
        engine = make_engine(f"sqlite:///{template}")
        migrate.upgrade(engine)
        engine.dispose()
        yield f"sqlite:///{template}"
    else:
        if PG_URL != CONFIGURED_PG_URL:
            _create_worker_database()
        engine = make_engine(PG_URL)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        migrate.upgrade(engine)
        with engine.connect() as conn:
            for table in SEEDED_TABLES:
                rows = conn.execute(text(f"SELECT * FROM {table}")).mappings().all()  # noqa: S608
                _seeded_rows[table] = [dict(r) for r in rows]
        engine.dispose()
        yield PG_URL


@pytest.fixture()
def database_url(backend: str, tmp_path: Path) -> str:
    """A fresh, migrated, empty database for one test."""
    if backend.startswith("sqlite"):
        target = tmp_path / "test.db"
        shutil.copyfile(backend.removeprefix("sqlite:///"), target)
        return f"sqlite:///{target}"
    engine = make_engine(backend)
    with engine.begin() as conn:
        _empty_postgres(conn)
        for table, rows in _seeded_rows.items():
            if rows:
                columns = ", ".join(rows[0])
                values = ", ".join(f":{c}" for c in rows[0])
                conn.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({values})"), rows)  # noqa: S608
                sequence = f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                conn.execute(text(f"{sequence}(SELECT max(id) FROM {table}))"))  # noqa: S608
    engine.dispose()
    return backend


_pg_objects: dict[str, tuple[list[str], list[str]]] = {}


def _empty_postgres(conn: Connection) -> None:
    """Every table emptied, every sequence back to 1. DELETE in a replica session (neither the
    foreign keys' nor the audit trail's triggers fire), not TRUNCATE: truncating ~50 tables
    makes new files for each, 100+ ms per test; this takes a few milliseconds."""
    url = str(conn.engine.url)
    if url not in _pg_objects:
        tables = conn.execute(
            text(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename <> 'alembic_version'"
            )
        ).scalars()
        sequences = conn.execute(
            text("SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'")
        ).scalars()
        _pg_objects[url] = (list(tables), list(sequences))
    tables, sequences = _pg_objects[url]
    conn.execute(text("SET LOCAL session_replication_role = replica"))
    conn.exec_driver_sql("; ".join(f'DELETE FROM "{t}"' for t in tables))  # noqa: S608 - the schema's own table names
    if sequences:
        conn.exec_driver_sql(
            "SELECT " + ", ".join(f"setval('\"{q}\"', 1, false)" for q in sequences)
        )
    conn.execute(text("SET LOCAL session_replication_role = DEFAULT"))


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoStore]:
    """Demo companies seeded once per backend (tests/demo_store.py); dropped at the end."""
    store = DemoStore(tmp_path_factory.mktemp("demos"), CONFIGURED_PG_URL, PG_URL)
    yield store
    store.close()


@pytest.fixture()
def read_demo(backend: str, demo_store: DemoStore) -> Iterator[ReadDemo]:
    """`read_demo(seed=, today=, deals=)`: the company `seed_demo` makes with those arguments,
    seeded once per backend and shared, as (what seed_demo returned, a read-only session)."""
    opened: list[tuple[Engine, Session]] = []

    def read(
        *, seed: int = 7, today: date, deals: DealScale | None = None
    ) -> tuple[DemoCompany, Session]:
        seeded = demo_store.seeded(backend, seed, today, deals)
        engine, session = demo_store.reader(seeded)
        opened.append((engine, session))
        return seeded.company, session

    yield read
    for engine, session in opened:
        session.rollback()
        session.close()
        engine.dispose()


@pytest.fixture()
def copy_demo(backend: str, demo_store: DemoStore, tmp_path: Path) -> Iterator[Callable[..., str]]:
    """`copy_demo(seed=, today=, deals=)`: the URL of a copy of that shared demo company, for
    one test to write to; dropped after the test."""
    made: list[str] = []

    def copy(*, seed: int = 7, today: date, deals: DealScale | None = None) -> str:
        url = demo_store.copy(demo_store.seeded(backend, seed, today, deals), tmp_path)
        made.append(url)
        return url

    yield copy
    for url in made:
        demo_store.drop(url)


@pytest.fixture()
def engine(database_url: str) -> Iterator[Engine]:
    eng = make_engine(database_url)
    yield eng
    eng.dispose()


@pytest.fixture()
def session_factory(engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)


@pytest.fixture()
def session(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session for service tests; commit in the test when the data must be seen by others."""
    s = session_factory()
    yield s
    s.rollback()
    s.close()


@pytest.fixture()
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        env="test", database_url=database_url, secret_key=TEST_SECRET, data_dir=tmp_path
    )


class SharedTemplateCache(BytecodeCache):
    """Compiled templates shared by the many apps the suite builds. Each app has its own Jinja
    environment and would compile every template it renders again; a server compiles once.
    Jinja checks each entry against the template's source, so an edited template recompiles."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


TEMPLATE_CACHE = SharedTemplateCache()


def make_app(settings: Settings) -> FastAPI:
    """`create_app`, with the suite's shared template cache."""
    application = create_app(settings)
    application.state.templates.env.bytecode_cache = TEMPLATE_CACHE
    return application


@pytest.fixture()
def app(settings: Settings) -> Iterator[FastAPI]:
    application = make_app(settings)
    yield application
    application.state.engine.dispose()


@pytest.fixture()
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://testserver") as c:
        yield c
