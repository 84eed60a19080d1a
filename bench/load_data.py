"""The load test's database: the demo company on PostgreSQL with its deals scaled up.

The base steps (organisation, value networks, deals) run at the requested scale: the deal
generator of the demo (`demo/deals.py`, `DealScale`) with 3 accounts per 20 opportunities, as
`deals_pipeline.py` sizes it (100,000 opportunities: 15,000 accounts). Then every later demo
step (price requests, forecast history, conversations, ...) runs as `seed_demo` would, each
timed, unless named in `--skip`. Each step commits on its own, so a slow one can be stopped
and skipped on the next run. Last, VACUUM ANALYZE (what autovacuum does after a bulk load),
and the database's comment records what was built; a later run asking for the same scale
and steps reuses the database as it is (a load run adds price requests and edits, which the
next run starts from: that is what a team's database looks like after a day).

Run on its own: .venv/bin/python bench/load_data.py [--opportunities 100000]
                [--db postgresql+psycopg://postgres@127.0.0.1:5432/valuescout_load]
                [--skip seed_conversations ...] [--rebuild]
"""

# ruff: noqa: S311 - seeded generators for repeatable benchmark data, not secrets

from __future__ import annotations

import argparse
import json
import random
import time
import warnings
from dataclasses import dataclass
from datetime import date

import psycopg
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

import valuescout.registry  # noqa: F401 - every table in the metadata
from valuescout.core import migrate
from valuescout.core.db import make_engine, make_session_factory
from valuescout.deals.models import Opportunity
from valuescout.demo.deals import DealScale
from valuescout.demo.generator import STEPS, DemoCompany, seed_deals

DEFAULT_DB = "postgresql+psycopg://postgres@127.0.0.1:5432/valuescout_load"
SEED = 7
BASE_STEPS = 3  # organisation, value networks, deals: always run, at the requested scale


@dataclass(frozen=True)
class Built:
    opportunities: int
    steps: list[str]  # every step that ran, in order
    seconds: dict[str, float]  # per step, when built by this run (empty when reused)
    reused: bool


def step_names() -> list[str]:
    return [step.__name__ for step in STEPS]


def _admin_url(url: str) -> str:
    parsed = make_url(url)
    return parsed.set(drivername="postgresql", database="postgres").render_as_string(
        hide_password=False
    )


def _recorded(url: str) -> dict[str, object] | None:
    """What the database's comment says was built into it, or None (no database/comment)."""
    name = make_url(url).database
    with psycopg.connect(_admin_url(url), autocommit=True) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            (name,),
        ).fetchone()
    if row is None or not row[0]:
        return None
    try:
        found = json.loads(row[0])
    except ValueError:
        return None
    return found if isinstance(found, dict) else None


def _recreate(url: str) -> None:
    name = make_url(url).database
    with psycopg.connect(_admin_url(url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def copy_database(url: str, suffix: str = "_run") -> str:
    """A copy of the database at `url` (PostgreSQL's file-level template copy, about a second
    for the 100,000-opportunity database), for a run that changes data to start from the same
    rows as every other run; returns the copy's URL."""
    source = make_url(url)
    copy = source.set(database=f"{source.database}{suffix}")
    with psycopg.connect(_admin_url(url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{copy.database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{copy.database}" TEMPLATE "{source.database}"')
    return copy.render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    with psycopg.connect(_admin_url(url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')


def _record(url: str, info: dict[str, object]) -> None:
    name = make_url(url).database
    comment = json.dumps(info).replace("'", "''")
    with psycopg.connect(_admin_url(url), autocommit=True) as conn:
        conn.execute(f"COMMENT ON DATABASE \"{name}\" IS '{comment}'")


def ensure_database(
    url: str, opportunities: int, skip: list[str], *, rebuild: bool = False
) -> Built:
    """Reuse the database when its comment matches the scale and steps; else build it."""
    unknown = set(skip) - set(step_names()[BASE_STEPS:])
    if unknown:
        raise SystemExit(
            f"--skip: no later demo step named {', '.join(sorted(unknown))}; "
            f"choose from {', '.join(step_names()[BASE_STEPS:])}"
        )
    wanted = [name for name in step_names() if name not in skip]
    found = None if rebuild else _recorded(url)
    if found and found.get("opportunities") == opportunities and found.get("steps") == wanted:
        engine = make_engine(url)
        current = migrate.current_revision(engine)
        with make_session_factory(engine)() as session:
            count = session.scalar(select(func.count()).select_from(Opportunity)) or 0
        if current != migrate.head_revision():
            migrate.upgrade(engine)  # the schema moved on since: bring the data along
        engine.dispose()
        if count >= opportunities:
            print(
                f"Reusing {make_url(url).database}: {count:,} opportunities, built "
                f"{found.get('built')} with steps {', '.join(wanted)}",
                flush=True,
            )
            return Built(opportunities, wanted, {}, reused=True)
    return build(url, opportunities, wanted)


def build(url: str, opportunities: int, wanted: list[str]) -> Built:
    _recreate(url)
    engine = make_engine(url)
    migrate.upgrade(engine)
    factory = make_session_factory(engine)
    scale = DealScale(
        accounts=max(opportunities * 3 // 20, 50), opportunities=opportunities, batch=5000
    )
    demo = DemoCompany(rng=random.Random(SEED), seed=SEED, today=date.today(), deal_scale=scale)
    demo.shared_history = True  # asks reuse discount samples for 2 min (hours otherwise)
    seconds: dict[str, float] = {}
    for step in STEPS:
        if step.__name__ not in wanted:
            print(f"  {step.__name__:<24} skipped", flush=True)
            continue
        started = time.perf_counter()
        with factory() as session:
            step(session, demo)
            session.commit()
        seconds[step.__name__] = time.perf_counter() - started
        extra = ""
        if step is seed_deals:
            d = demo.deals
            extra = (
                f": {d.opportunities:,} opportunities ({d.open:,} open), {d.accounts:,} accounts,"
                f" {d.contacts:,} contacts, {d.changes:,} history rows, "
                f"{d.value_cases:,} value cases"
            )
        print(f"  {step.__name__:<24} {seconds[step.__name__]:>8.1f} s{extra}", flush=True)
    started = time.perf_counter()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
    seconds["vacuum_analyze"] = time.perf_counter() - started
    engine.dispose()
    total = sum(seconds.values())
    print(f"  {'vacuum analyze':<24} {seconds['vacuum_analyze']:>8.1f} s", flush=True)
    print(f"Built {make_url(url).database} in {total:.0f} s", flush=True)
    _record(
        url,
        {
            "opportunities": opportunities,
            "steps": wanted,
            "seed": SEED,
            "built": date.today().isoformat(),
            "seconds": {k: round(v, 1) for k, v in seconds.items()},
        },
    )
    return Built(opportunities, wanted, seconds, reused=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--opportunities", type=int, default=100_000)
    parser.add_argument("--db", default=DEFAULT_DB, help="PostgreSQL database (created if missing)")
    parser.add_argument(
        "--skip", nargs="*", default=[], help=f"later demo steps to leave out: {step_names()[3:]}"
    )
    parser.add_argument("--rebuild", action="store_true", help="build even if it could be reused")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    ensure_database(args.db, args.opportunities, args.skip, rebuild=args.rebuild)


if __name__ == "__main__":
    main()
