"""Benchmark: the pipeline list API and the pipeline page over 100,000 opportunities, on SQLite
and PostgreSQL side by side. Target: p95 under 300 ms for every request on both.

Data: the demo company (seed 7: 41 people, 24 sellers in 6 teams, both value networks) with
the demo's deal generator scaled up (demo/deals.py, DealScale): 15,000 accounts with their
buying teams and 100,000 opportunities over three years, with stage histories (~7 changes a
deal), line items and value cases on ~40%. Built once into a SQLite file, then copied row for
row into PostgreSQL with COPY, so both backends answer over the same rows. PostgreSQL is
vacuumed and analysed, as autovacuum would have done; SQLite is measured as the app ships it
(no ANALYZE).

Each request goes through the real app in process (create_app + TestClient, production
settings): the API with a bearer token, the page with a signed-in browser session (the page
shows 50 rows, the API its default 50). 3 warm-up runs, then --runs timed runs: median and
p95 wall-clock time, median CPU time spent on the request (this process, plus the PostgreSQL
backends serving the app, read from /proc), and the tracemalloc peak of one more run.
Baseline: GET /api/v1/me for the same user through the same client (authentication plus one
query), "x me" = median / its median. On a shared machine the wall clock includes waiting for
a CPU, the CPU time does not: the load average is printed too.

Run: .venv/bin/python bench/deals_pipeline.py [--opportunities 100000] [--runs 30]
     [--pg postgresql+psycopg://postgres@127.0.0.1:5432/valuescout_bench_pipeline] [--no-pg]
     [--data DIR]  (keeps the SQLite file there and reuses both databases when they exist)
The PostgreSQL database is created (and dropped first when not reused) by the script.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import random
import re
import resource
import statistics
import tempfile
import time
import tracemalloc
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg
from psycopg.types.json import Json
from sqlalchemy import JSON, Engine, Integer, func, select, text
from sqlalchemy.engine import make_url

import valuescout.registry  # noqa: F401 - every table in the metadata
from valuescout.core import migrate
from valuescout.core.db import make_engine, make_session_factory, unit_of_work
from valuescout.core.models import Base
from valuescout.core.security import configure_password_hasher
from valuescout.core.settings import Settings
from valuescout.deals.models import Account, Opportunity, Stage
from valuescout.demo.deals import DealScale, build_deals
from valuescout.demo.generator import (
    DEMO_ACTOR,
    DEMO_PASSWORD,
    DemoCompany,
    seed_organisation,
    seed_value_networks,
)
from valuescout.identity import auth_service
from valuescout.identity.models import Team, User
from valuescout.identity.roles import Role
from valuescout.identity.schemas import TokenCreate
from valuescout.identity.scope import scope_for
from valuescout.identity.service import principal_of
from valuescout.web.app import create_app

TARGET_MS = 300.0
PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/valuescout_bench_pipeline"
SECRET = "bench-secret-key-that-is-long-enough-for-production-settings"  # noqa: S105
# Tables the migrations fill (the same rows on both backends); not copied.
MIGRATION_ROWS = {"deal_stages", "deal_settings", "price_policies"}


# --- data ----------------------------------------------------------------------------------


def build_sqlite(path: Path, opportunities: int) -> None:
    configure_password_hasher(time_cost=1, memory_cost=1024)  # 41 sign-ins to create, not test
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    started = time.perf_counter()
    with unit_of_work(make_session_factory(engine)) as session:
        demo = DemoCompany(rng=random.Random(7))  # noqa: S311 - reproducible data
        seed_organisation(session, demo)
        seed_value_networks(session, demo)
        scale = DealScale(accounts=opportunities * 3 // 20, opportunities=opportunities, batch=5000)
        counts = build_deals(session, demo, scale, DEMO_ACTOR)
    print(
        f"SQLite: {counts.opportunities:,} opportunities ({counts.open:,} open), "
        f"{counts.accounts:,} accounts, {counts.contacts:,} contacts, {counts.lines:,} lines, "
        f"{counts.changes:,} history rows, {counts.value_cases:,} value cases built in "
        f"{time.perf_counter() - started:.0f} s; file {path.stat().st_size / 2**20:.0f} MiB"
    )
    engine.dispose()


def create_pg(url: str, *, drop: bool) -> bool:
    """Create the database; True when it was (re)created empty."""
    parsed = make_url(url)
    admin = parsed.set(drivername="postgresql", database="postgres").render_as_string(
        hide_password=False
    )
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (parsed.database,)
        ).fetchone()
        if exists and not drop:
            return False
        if exists:
            conn.execute(f'DROP DATABASE "{parsed.database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{parsed.database}"')
    return True


def copy_to_pg(sqlite: Engine, pg: Engine) -> None:
    """Every table, row for row, by COPY; then the id sequences, VACUUM and ANALYZE."""
    migrate.upgrade(pg)
    started, total = time.perf_counter(), 0
    with sqlite.connect() as src, pg.begin() as dst:
        raw = dst.connection.driver_connection
        assert isinstance(raw, psycopg.Connection)
        for table in Base.metadata.sorted_tables:
            if table.name in MIGRATION_ROWS:
                continue
            columns = [c for c in table.columns if c.computed is None]  # generated: not copied
            names = [c.name for c in columns]
            json_at = [i for i, c in enumerate(columns) if isinstance(c.type, JSON)]
            with (
                raw.cursor() as cur,
                cur.copy(f"COPY {table.name} ({', '.join(names)}) FROM STDIN") as copy,
            ):
                for row in src.execute(select(*columns)):
                    values = list(row)
                    for i in json_at:
                        values[i] = Json(values[i])
                    copy.write_row(values)
                    total += 1
            pk = list(table.primary_key.columns)
            if len(pk) == 1 and isinstance(pk[0].type, Integer):
                sequence = f"pg_get_serial_sequence('{table.name}', '{pk[0].name}')"
                highest = f"(SELECT COALESCE(max({pk[0].name}), 1) FROM {table.name})"  # noqa: S608
                dst.execute(text(f"SELECT setval({sequence}, {highest})"))
    with pg.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))  # what autovacuum does after a bulk load
    took = time.perf_counter() - started
    print(f"PostgreSQL: {total:,} rows copied, vacuumed and analysed in {took:.0f} s")


# --- requests ------------------------------------------------------------------------------


def who(engine: Engine) -> dict[str, User]:
    with make_session_factory(engine)() as s:
        users = {
            "admin": s.scalar(select(User).where(User.email == "admin@kestrelflow.example")),
            "manager": s.scalar(select(User).where(User.email == "manager@kestrelflow.example")),
            "seller": s.scalar(select(User).where(User.email == "seller@kestrelflow.example")),
            "regional VP": s.scalar(
                select(User)
                .join(Team, Team.id == User.team_id)
                .where(User.role == Role.MANAGER, Team.kind == "region")
                .order_by(User.id)
            ),
        }
        assert all(users.values())
        return users  # type: ignore[return-value]


def requests(engine: Engine, users: dict[str, User]) -> list[tuple[str, str, str]]:
    """(label, user, query string) for the pipeline; asked of the API and of the page."""
    with make_session_factory(engine)() as s:
        proposal = s.scalar(select(Stage.id).where(Stage.name == "Proposal"))
        one_account = s.scalar(select(Account.name).order_by(Account.id).limit(1)) or ""
        in_scope = {}
        for key, user in users.items():
            count = scope_for(s, principal_of(user)).filter(
                select(func.count()).select_from(Opportunity), Opportunity.owner_id
            )
            in_scope[key] = s.scalar(count) or 0
    print("deals in scope: " + ", ".join(f"{k} {v:,}" for k, v in in_scope.items()))
    return [
        ("first page, everything", "admin", ""),
        ("first page, region scope", "regional VP", ""),
        ("first page, team scope", "manager", ""),
        ("first page, own deals", "seller", ""),
        ("stage = Proposal", "admin", f"stage_id={proposal}"),
        ("open deals", "admin", "outcome=open"),
        ("search 'harbor' (accounts)", "admin", "q=harbor"),
        ("search 'smartflow' (half the names)", "admin", "q=smartflow"),
        ("search 'harbor', team scope", "manager", "q=harbor"),
        (f"search one account ({one_account})", "admin", f"q={quote(one_account)}"),
        ("search without a match", "admin", "q=no+such+deal"),
        ("sorted by amount, largest first", "admin", "sort=-amount"),
        ("open deals by amount, team scope", "manager", "outcome=open&sort=-amount"),
        ("deep page: offset 5,000", "admin", "offset=5000"),
        ("deep page: offset 5,000, by amount", "admin", "offset=5000&sort=-amount"),
    ]


def clients(app: Any, users: dict[str, User], engine: Engine) -> dict[str, tuple[Any, Any]]:
    """Per user: an API client with a bearer token and a page client signed in."""
    factory = make_session_factory(engine)
    result = {}
    for key, user in users.items():
        with unit_of_work(factory) as s:
            _token, secret = auth_service.create_token(
                s, principal_of(s.get(User, user.id)), TokenCreate(name="bench")
            )
        api = make_client(app, base_url="https://testserver")
        api.headers["Authorization"] = f"Bearer {secret}"
        page = make_client(app, base_url="https://testserver")
        form = page.get("/sign-in").text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', form)
        assert csrf, "no CSRF token on the sign-in page"
        signed = page.post(
            "/sign-in",
            data={"email": user.email, "password": DEMO_PASSWORD, "csrf_token": csrf.group(1)},
            follow_redirects=False,
        )
        assert signed.status_code == 303, signed.text[:300]
        result[key] = (api, page)
    return result


@dataclass(frozen=True)
class Figures:
    median: float  # ms, wall clock
    p95: float
    cpu: float  # ms of CPU, this process and the database server's backends, median
    mib: float  # tracemalloc peak of one more run


def measure(call: Callable[[], object], runs: int, server: Callable[[], float]) -> Figures:
    """Time `call`; `server` gives the database server's CPU seconds spent for us so far."""
    for _ in range(3):
        call()
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time() + server()
        call()
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() + server() - start_cpu) * 1000)
    tracemalloc.start()
    call()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return Figures(statistics.median(times), p95, statistics.median(cpu), peak / 2**20)


def server_cpu(engine: Engine) -> Callable[[], float]:
    """CPU seconds of the PostgreSQL backends serving the app (from /proc/PID/schedstat, so on
    this machine only); with SQLite the database runs in this process and this is 0."""
    if engine.dialect.name != "postgresql":
        return lambda: 0.0
    with engine.connect() as conn:
        pids = conn.scalars(
            text(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
            )
        ).all()

    def seconds() -> float:
        total = 0
        for pid in pids:
            with contextlib.suppress(OSError, ValueError, IndexError):
                total += int(Path(f"/proc/{pid}/schedstat").read_text().split()[0])
        return total / 1e9

    return seconds


def bench_backend(label: str, url: str, runs: int, tmp: Path) -> list[str]:
    engine = make_engine(url)
    settings = Settings(env="production", database_url=url, secret_key=SECRET, data_dir=tmp)
    app = create_app(settings)
    over = []
    with make_client(app):
        users = who(engine)
        asked = requests(engine, users)
        by_user = clients(app, users, engine)

        def no_server() -> float:
            return 0.0

        baseline = {
            key: measure(lambda api=api: _ok(api.get("/api/v1/me")), runs, no_server).median
            for key, (api, _page) in by_user.items()
        }
        print(
            f"{label + ' (ms; x me = median / GET /me)':<52} {'API med':>7} {'p95':>6} "
            f"{'cpu':>5} {'x me':>5} {'MiB':>5} {'page med':>8} {'p95':>6} {'cpu':>5} {'MiB':>5}"
        )
        for name, user, query in asked:
            api, page = by_user[user]
            suffix = f"?{query}" if query else ""
            a = measure(
                lambda api=api, s=suffix: _ok(api.get(f"/api/v1/opportunities{s}")),
                runs,
                server_cpu(engine),
            )
            p = measure(
                lambda page=page, s=suffix: _ok(page.get(f"/pipeline{s}")), runs, server_cpu(engine)
            )
            flag = "" if max(a.p95, p.p95) < TARGET_MS else "  OVER"
            if flag:
                over.append(f"{label} {name}")
            print(
                f"{f'{name} [{user}]'[:52]:<52} {a.median:>7.1f} {a.p95:>6.1f} {a.cpu:>5.1f} "
                f"{a.median / baseline[user]:>5.1f} {a.mib:>5.2f} {p.median:>8.1f} {p.p95:>6.1f} "
                f"{p.cpu:>5.1f} {p.mib:>5.2f}{flag}"
            )
        print(f"load average after {label}: {os.getloadavg()[0]:.1f} ({os.cpu_count()} CPUs)")
        print(
            "baseline GET /api/v1/me, median ms: "
            + ", ".join(f"{k} {v:.1f}" for k, v in baseline.items())
        )
    app.state.engine.dispose()
    engine.dispose()
    return over


def make_client(app: Any, **kwargs: Any) -> Any:
    """FastAPI's TestClient, imported without its deprecation notice (httpx with starlette)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient as Client
    return Client(app, **kwargs)


def _ok(response: Any) -> None:
    assert response.status_code == 200, (response.status_code, response.text[:300])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--opportunities", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--pg", default=PG_DEFAULT)
    parser.add_argument("--no-pg", action="store_true")
    parser.add_argument("--data", type=Path, help="keep (and reuse) the databases here")
    args = parser.parse_args()
    logging.getLogger("httpx").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.data or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"pipeline-{args.opportunities}.db"
        reuse = args.data is not None and path.exists()
        if not reuse:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            build_sqlite(path, args.opportunities)
        backends = {"SQLite": f"sqlite:///{path}"}
        if not args.no_pg:
            if create_pg(args.pg, drop=not reuse):
                sqlite, pg = make_engine(backends["SQLite"]), make_engine(args.pg)
                copy_to_pg(sqlite, pg)
                sqlite.dispose()
                pg.dispose()
            backends["PostgreSQL"] = args.pg
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak RSS after building: {rss:.0f} MiB")
        over = []
        for label, url in backends.items():
            over += bench_backend(label, url, args.runs, Path(tmp))
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak RSS: {rss:.0f} MiB")
        print(
            f"target p95 < {TARGET_MS:.0f} ms: "
            + ("met" if not over else "OVER in " + "; ".join(over))
        )


if __name__ == "__main__":
    main()
