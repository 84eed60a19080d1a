"""Opportunity import: a generic CSV of 100,000 and 1,000,000 rows, on SQLite and PostgreSQL.

Generates (seed 7) a generic-preset CSV: external_id, name, account (2,000 accounts), owner
(50 sellers, by email), stage (all 7), amount, currency, close_date, deal_type. Each run goes
through `service.run_as` exactly as `valuescout import opportunities` does, in one
transaction: first import (all new), then a re-import of the same file (all found by
external id, nothing changed), then a re-import where every 10th row changed stage and
amount (updates plus history rows).

Each import runs in a fresh child process, so its peak RSS is its own; tracemalloc's peak
(Python allocations only) is measured in a separate run of the same import, because tracing
slows Python down about twice. Target: 1,000,000 rows in under 2 minutes with memory flat:
the peak at 1,000,000 rows close to the peak at 100,000.

Run: .venv/bin/python bench/deals_import.py [--rows 100000 1000000] [--pg URL] [--no-sqlite]
     PostgreSQL: create the database first, e.g.
     psql -h 127.0.0.1 -U postgres -c 'create database valuescout_bench_import'
     and pass --pg postgresql+psycopg://postgres@127.0.0.1:5432/valuescout_bench_import
     (its tables are dropped and re-created).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, insert, select, text

from valuescout.core import migrate
from valuescout.core.audit import SYSTEM_ACTOR
from valuescout.core.db import make_engine, make_session_factory, unit_of_work
from valuescout.core.security import hash_password
from valuescout.deals.importing import service
from valuescout.deals.importing.bulk import SQLITE_CACHE_KIB
from valuescout.deals.importing.readers import SourceFile
from valuescout.deals.models import Account, Opportunity, OpportunityChange
from valuescout.identity.models import Team, User
from valuescout.identity.roles import Role

TARGET_S = 120.0
STAGES = ("Prospecting", "Qualifying", "Engaging", "Proposal", "Negotiation", "Won", "Lost")
TYPES = ("new", "expansion", "renewal")
ACCOUNTS, SELLERS = 2_000, 50
HEADER = (
    "external_id",
    "name",
    "account",
    "owner",
    "stage",
    "amount",
    "currency",
    "close_date",
    "deal_type",
)


def generate(path: Path, rows: int, *, changed_every: int = 0, seed: int = 7) -> None:
    """The CSV, streamed to disk; with changed_every=n every n-th deal moved on a stage."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible benchmark, not security
    start = date(2024, 1, 1)
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(HEADER)
        for i in range(rows):
            account = rng.randrange(ACCOUNTS)
            stage = rng.choice(STAGES)
            amount = rng.randrange(1_000, 2_000_000) / 100
            if changed_every and i % changed_every == 0:
                stage = "Won" if stage != "Won" else "Lost"
                amount += 100
            out.writerow(
                [
                    f"OPP-{i:08d}",
                    f"Deal {i} with Account {account:04d}",
                    f"Account {account:04d}",
                    f"seller{rng.randrange(SELLERS):02d}@bench.example",
                    stage,
                    f"{amount:.2f}",
                    "USD",
                    (start + timedelta(days=rng.randrange(730))).isoformat(),
                    rng.choice(TYPES),
                ]
            )


def prepare(url: str) -> None:
    """A migrated, empty database with 50 sellers in one team and 2,000 accounts."""
    if url.startswith("sqlite:///"):
        for suffix in ("", "-wal", "-shm"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
    engine = make_engine(url)
    if url.startswith("postgresql"):
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    migrate.upgrade(engine)
    with unit_of_work(make_session_factory(engine)) as session:
        company = Team(name="Bench Co", kind="company")
        session.add(company)
        session.flush()
        team = Team(name="Bench team", kind="region", parent_id=company.id)
        session.add(team)
        session.flush()
        password = hash_password("bench-password-long")
        session.execute(
            insert(User),
            [
                {
                    "email": f"seller{i:02d}@bench.example",
                    "full_name": f"Seller {i:02d}",
                    "role": Role.SELLER,
                    "team_id": team.id,
                    "password_hash": password,
                }
                for i in range(SELLERS)
            ],
        )
        session.execute(
            insert(Account),
            [{"name": f"Account {i:04d}", "name_key": f"account {i:04d}"} for i in range(ACCOUNTS)],
        )
    engine.dispose()


FLOOR_COLUMNS = (
    "external_id, name, account_id, owner_id, team_id, stage_id, close_date, deal_type, "
    "currency, amount, alternative_kind, alternative_name, rfp_class, description, "
    "created_at, updated_at"
)
# Rows of the same shape, scattered like the generated ones (multiplicative hashing).
PG_FLOOR = f"""
INSERT INTO opportunities ({FLOOR_COLUMNS})
SELECT 'OPP-' || lpad(g::text, 8, '0'), 'Deal ' || g, (g * 7919) % {ACCOUNTS} + 1,
       (g * 104729) % {SELLERS} + 1, (SELECT id FROM teams WHERE name = 'Bench team'),
       (g * 31) % 7 + 1, date '2024-01-01' + ((g * 613) % 730)::int,
       (ARRAY['new', 'expansion', 'renewal'])[(g % 3 + 1)::int], 'USD',
       ((g * 2654435761) % 199900000 + 100000) / 100.0, 'unknown', '', 'none', '', now(), now()
FROM generate_series(1::bigint, CAST(:n AS bigint)) AS g
"""  # noqa: S608 - constants only
SQLITE_FLOOR = f"""
WITH RECURSIVE g(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM g WHERE x < :n)
INSERT INTO opportunities ({FLOOR_COLUMNS})
SELECT printf('OPP-%08d', x), 'Deal ' || x, (x * 7919) % {ACCOUNTS} + 1,
       (x * 104729) % {SELLERS} + 1, (SELECT id FROM teams WHERE name = 'Bench team'),
       (x * 31) % 7 + 1, date('2024-01-01', '+' || ((x * 613) % 730) || ' days'),
       CASE x % 3 WHEN 0 THEN 'new' WHEN 1 THEN 'expansion' ELSE 'renewal' END, 'USD',
       ((x * 2654435761) % 199900000 + 100000) / 100.0, 'unknown', '', 'none', '',
       datetime('now'), datetime('now')
FROM g
"""  # noqa: S608 - constants only


def floor(url: str, rows: int) -> float:
    """The database's own INSERT ... SELECT of as many rows (no Python, no network): what
    index and foreign-key upkeep alone costs on this machine. SQLite gets the same page cache
    as the import."""
    prepare(url)
    engine = make_engine(url)
    sql = SQLITE_FLOOR if url.startswith("sqlite") else PG_FLOOR
    started = time.perf_counter()
    with engine.begin() as conn:
        if url.startswith("sqlite"):
            conn.exec_driver_sql(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
        conn.execute(text(sql), {"n": rows})
    seconds = time.perf_counter() - started
    engine.dispose()
    return seconds


def peak_rss_mib() -> float:
    """This process's peak resident set since its exec (VmHWM). ru_maxrss would not do: Linux
    carries it across exec, so a child reports the parent's peak when that is higher."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(url: str, csv_path: str, trace: bool) -> None:
    """One import in this process; prints a JSON line with its figures."""
    if trace:
        tracemalloc.start()
    engine = make_engine(url)
    factory = make_session_factory(engine)
    started = time.perf_counter()
    with unit_of_work(factory) as session:
        report = service.run_as(
            session, SYSTEM_ACTOR, [SourceFile(Path(csv_path))], service.ImportOptions()
        )
    seconds = time.perf_counter() - started
    assert report.written, report.problems[:5]
    with factory() as session:
        total = session.scalar(select(func.count()).select_from(Opportunity))
        history = session.scalar(select(func.count()).select_from(OpportunityChange))
    engine.dispose()
    figures = {
        "seconds": seconds,
        "rows": report.rows,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "in_db": total,
        "history": history,
        "rss_mib": peak_rss_mib(),
        "traced_mib": tracemalloc.get_traced_memory()[1] / 2**20 if trace else None,
    }
    print(json.dumps(figures))


def run_child(url: str, path: Path, trace: bool = False) -> dict[str, float]:
    command = [sys.executable, __file__, "--child", url, str(path)]
    if trace:
        command.append("--trace")
    out = subprocess.run(command, check=True, capture_output=True, text=True)  # noqa: S603
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def bench(
    label: str, url_for: dict[int, str], sizes: list[int], tmp: Path, trace: bool, steps: list[str]
) -> None:
    print(f"\n{label}")
    print(
        f"{'rows':>10} {'import':<24} {'seconds':>8} {'rows/s':>9} {'peak RSS MiB':>12} "
        f"{'traced MiB':>10}  target"
    )
    for rows in sizes:
        url = url_for[rows]
        base = floor(url, rows)
        print(
            f"{rows:>10,} {'floor: INSERT ... SELECT':<24} {base:>8.1f} {rows / base:>9,.0f} "
            f"{'-':>12} {'-':>10}  the database alone (the first import's 'x floor' divides by it)",
            flush=True,
        )
        prepare(url)
        first, changed = tmp / f"deals-{rows}.csv", tmp / f"deals-{rows}-changed.csv"
        generate(first, rows)
        generate(changed, rows, changed_every=10)
        runs = [
            ("first (all new)", first),
            ("again (all unchanged)", first),
            ("every 10th changed", changed),
        ]
        for name, path in runs[: len(steps)]:
            r = run_child(url, path)
            if trace and name.startswith("first"):
                prepare(url)  # the traced run needs the same (empty) starting point
                traced = run_child(url, path, trace=True)["traced_mib"]
                prepare(url)
                run_child(url, path)
            else:
                traced = None
            verdict = "ok" if r["seconds"] < TARGET_S * rows / 1_000_000 else "OVER"
            if name.startswith("first"):
                verdict += f", {r['seconds'] / base:.1f} x floor"
            traced_text = f"{traced:>10.1f}" if traced is not None else f"{'-':>10}"
            print(
                f"{rows:>10,} {name:<24} {r['seconds']:>8.1f} {rows / r['seconds']:>9,.0f} "
                f"{r['rss_mib']:>12.0f} {traced_text}  {verdict} (created {r['created']:,.0f}, "
                f"updated {r['updated']:,.0f}, history {r['history']:,.0f})",
                flush=True,
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--pg", help="PostgreSQL URL of a database to use (dropped first)")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--no-trace", action="store_true", help="skip the tracemalloc runs")
    parser.add_argument(
        "--steps", type=int, default=3, choices=(1, 2, 3), help="1: first import only; 2: and again"
    )
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], args.trace)
        return
    print("target: 1,000,000 rows in under 120 s (the 'target' column scales it by rows)")
    print("peak RSS: the child process's maximum resident set; traced: tracemalloc's peak")
    steps = ["first", "again", "changed"][: args.steps]
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        if not args.no_sqlite:
            urls = {n: f"sqlite:///{tmp}/bench-{n}.db" for n in args.rows}
            bench("SQLite (file, WAL)", urls, args.rows, tmp, not args.no_trace, steps)
        if args.pg:
            pg_urls = dict.fromkeys(args.rows, args.pg)
            bench("PostgreSQL", pg_urls, args.rows, tmp, not args.no_trace, steps)


if __name__ == "__main__":
    main()
