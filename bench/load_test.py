"""Load test of issue 10: a team of virtual users on the whole app, on PostgreSQL, with the
demo company's deals scaled up (default 100,000 opportunities; bench/load_data.py builds the
database once and later runs reuse it).

The app runs in uvicorn as a subprocess (production settings, `--workers` processes, a free
port on 127.0.0.1). `--users` virtual users sign in through the sign-in page: 60% sellers,
20% managers (team managers and regional VPs), 10% price desk, 10% executives, each with the
mix of bench/load_mix.py (pipeline and its filters and searches, opportunity pages with their
htmx panels, value case edits in the page and by the API, price requests asked, countered
ones settled, approvers deciding from their queue, analytics and forecast pages, the price
desk's pages) and a think time between clicks. `--warmup` seconds run first and are not
recorded (the forecast's learned methods train on first use in each worker); then
`--duration` seconds are.

Reported: throughput, count, errors and p50/p95/p99/max per group (page, page write, API
read, API write) and per endpoint, slowest first; the server's peak RSS (VmHWM) per process;
the targets (zero errors; p95 < 300 ms for pages and page writes, < 150 ms for API writes).
Exit status 1 when an error happened or a target was missed.

Run: .venv/bin/python bench/load_test.py [--users 50] [--duration 300] [--warmup 20]
     [--opportunities 100000] [--think 1.0] [--workers 2] [--db URL] [--skip STEP ...]
     [--fresh-copy] [--json FILE] [--profile FILE]
"""

# ruff: noqa: S311 - seeded generators for repeatable load, not secrets

from __future__ import annotations

import argparse
import asyncio
import math
import os
import random
import socket
import subprocess
import sys
import time
import warnings
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import load_cpu
from load_data import DEFAULT_DB, Built, copy_database, drop_database, ensure_database
from load_mix import Person, Shared, VirtualUser
from load_report import Stats, print_summary, summary, write_json
from sqlalchemy import select
from sqlalchemy.orm import Session

from valuescout.core.db import make_engine, make_session_factory
from valuescout.deals.models import Account, Opportunity, Stage, ValueCase, ValueOutcome
from valuescout.demo.generator import DEMO_PASSWORD
from valuescout.identity import auth_service
from valuescout.identity.models import User
from valuescout.identity.schemas import TokenCreate
from valuescout.identity.scope import scope_for
from valuescout.identity.service import principal_of
from valuescout.pricing.models import PriceRequest

SECRET = "load-test-secret-key-long-enough-for-production-settings"  # noqa: S105
ROLE_SHARES = (("seller", 0.6), ("manager", 0.2), ("price_desk", 0.1), ("executive", 0.1))
VISIBLE_SAMPLE = 3000  # deals each person may open (a sample of their scope)


def role_counts(users: int) -> dict[str, int]:
    """Virtual users per role: the shares rounded, at least one of each from 4 users on."""
    counts = {role: max(1, round(users * share)) for role, share in ROLE_SHARES}
    while sum(counts.values()) > users:
        counts["seller"] -= 1
    counts["seller"] += users - sum(counts.values())
    return counts


def load_people(session: Session, rng: random.Random) -> dict[str, list[Person]]:
    """Every active seller, manager, price desk member and executive, with a fresh API token
    and the deals the load may use: open deals without an open request (to ask on), open
    deals with a value case (to edit), and a sample of the deals in their scope (to open)."""
    open_stages = list(session.scalars(select(Stage.id).where(Stage.outcome == "open")))
    busy = set(
        session.scalars(
            select(PriceRequest.opportunity_id).where(
                PriceRequest.state.in_(("pending", "countered"))
            )
        )
    )
    with_case = set(
        session.scalars(
            select(ValueCase.opportunity_id)
            .join(ValueOutcome, ValueOutcome.value_case_id == ValueCase.id)
            .join(Opportunity, Opportunity.id == ValueCase.opportunity_id)
            .where(Opportunity.stage_id.in_(open_stages))
        )
    )
    people: dict[str, list[Person]] = defaultdict(list)
    users = session.scalars(
        select(User).where(User.is_active.is_(True), User.role.in_([r for r, _ in ROLE_SHARES]))
    )
    for user in users.all():
        principal = principal_of(user)
        _, secret = auth_service.create_token(session, principal, TokenCreate(name="load test"))
        stmt = scope_for(session, principal).filter(
            select(Opportunity.id, Opportunity.amount, Opportunity.stage_id, Opportunity.owner_id),
            Opportunity.owner_id,
        )
        rows = session.execute(stmt).all()
        person = Person(email=user.email, role=str(user.role), token=secret)
        open_rows = [r for r in rows if r.stage_id in open_stages]
        person.deals = [
            (r.id, Decimal(r.amount))
            for r in open_rows
            if r.owner_id == user.id and r.id not in busy and r.amount
        ]
        person.cases = [r.id for r in open_rows if r.id in with_case]
        visible = [r.id for r in rows]
        person.visible = rng.sample(visible, min(len(visible), VISIBLE_SAMPLE))
        if person.visible:
            people[person.role].append(person)
    session.commit()
    return people


def search_words(session: Session) -> list[str]:
    names = session.scalars(select(Account.name).order_by(Account.id).limit(60))
    words = {w.lower().strip(",.&") for n in names for w in n.split() if len(w) >= 4}
    return [*sorted(words)[:30], "no such deal"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = dict(
        os.environ,
        VALUESCOUT_DATABASE_URL=url,
        VALUESCOUT_SECRET_KEY=SECRET,
        VALUESCOUT_ENV="production",
        VALUESCOUT_LOG_LEVEL="WARNING",
    )
    cmd = [
        sys.executable, "-m", "uvicorn", "valuescout.web.app:create_app", "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
        "--log-level", "warning", "--no-access-log",
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, env=env)  # noqa: S603 - our own interpreter and module
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            raise SystemExit("uvicorn exited before it served")
        time.sleep(0.3)
    proc.terminate()
    raise SystemExit("uvicorn did not answer within 90 s")


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def peak_rss_mib(pid: int) -> dict[str, float]:
    """VmHWM of the uvicorn process and of each process it started (its workers), in MiB."""
    result = {}
    for p in [pid, *_children(pid)]:
        try:
            status = Path(f"/proc/{p}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                result["uvicorn" if p == pid else f"child {p}"] = int(line.split()[1]) / 1024
    return result


def browser(port: int) -> httpx.AsyncClient:
    """A browser's connections and cookie jar. The app sets Secure cookies (production), which
    httpx keeps but sends only over https; the hook sends every cookie of the jar to this
    plain-HTTP loopback, as a browser does behind a TLS-terminating proxy."""
    client = httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{port}",
        timeout=30,
        # An idle connection is dropped before uvicorn's 5 s keep-alive timeout closes it:
        # reusing one the server is closing at that instant fails with ReadError (a browser
        # retries such a request; this client would count an error the app did not make).
        limits=httpx.Limits(max_connections=3, max_keepalive_connections=3, keepalive_expiry=3),
    )

    async def send_all_cookies(request: httpx.Request) -> None:
        cookies = [c for c in client.cookies.jar if not c.is_expired()]
        if cookies:
            request.headers["Cookie"] = "; ".join(f"{c.name}={c.value}" for c in cookies)

    client.event_hooks["request"] = [send_all_cookies]
    return client


def make_users(people: dict[str, list[Person]], users: int, port: int) -> list[VirtualUser]:
    made: list[VirtualUser] = []
    for role, count in role_counts(users).items():
        persons = people.get(role, [])
        if not persons:
            raise SystemExit(f"the database has no active {role} with deals in scope")
        sessions = math.ceil(count / len(persons))  # per person, at most
        for k in range(count):
            person = persons[k % len(persons)]
            of_person = len(range(k % len(persons), count, len(persons)))
            made.append(
                VirtualUser(len(made), person, (k // len(persons), of_person), browser(port))
            )
            assert of_person <= sessions
    return made


async def prime(vusers: list[VirtualUser], workers: int) -> None:
    """Warm every worker before the load, as a server that has been running is: train the
    forecast's learned methods (the first forecast or scorecard in a process trains them on
    the most recent closed deals) and read the analytics' snapshot of the deal lines (the first
    analytics request in a process reads every line). One at a time, on new connections (which
    the kernel spreads over the workers), with a long timeout."""
    token = next(v.person.token for v in vusers if v.person.role != "seller")
    for path in ("/api/v1/forecast", "/api/v1/analytics/bands"):
        times = []
        for _ in range(workers * 3):
            async with httpx.AsyncClient(base_url=vusers[0].client.base_url, timeout=900) as c:
                started = time.perf_counter()
                got = await c.get(path, headers={"Authorization": f"Bearer {token}"})
                times.append(f"{time.perf_counter() - started:.1f}")
                if got.status_code != 200:
                    raise SystemExit(f"priming GET {path}: {got.status_code} {got.text[:200]}")
        print(f"primed: GET {path} took {', '.join(times)} s", flush=True)


async def run(
    vusers: list[VirtualUser], shared: Shared, warmup: float, duration: float, server: Probe
) -> tuple[float, dict[str, float]]:
    """Sign everyone in, run the mix; the seconds recorded after the warm-up and the CPU
    each part of the machine used meanwhile."""
    for chunk in range(0, len(vusers), 5):  # argon2 on 2 CPUs: a few at a time
        await asyncio.gather(*(v.sign_in(DEMO_PASSWORD) for v in vusers[chunk : chunk + 5]))
    for token in {v.person.token for v in vusers}:  # first use writes last_used_at
        await vusers[0].client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    await prime(vusers, server.workers)
    now = time.monotonic()
    shared.stop_at = now + warmup + duration
    tasks = [asyncio.create_task(v.run(shared)) for v in vusers]
    await asyncio.sleep(warmup)
    shared.stats.recording = True
    started = time.monotonic()
    cpu_before = load_cpu.sample(server.pid, server.db)
    spy = load_cpu.start_profile(server.pid, server.profile, duration) if server.profile else None
    await asyncio.gather(*tasks)
    elapsed = time.monotonic() - started
    cpu_after = load_cpu.sample(server.pid, server.db)
    for v in vusers:
        await v.client.aclose()
    if spy is not None:
        spy.wait(timeout=120)
    return elapsed, load_cpu.usage(cpu_before, cpu_after, elapsed)


@dataclass(frozen=True)
class Probe:
    """The server under load, and where its profile goes (None: not profiled)."""

    pid: int
    workers: int
    profile: Path | None
    db: str


def _run_on(db: str, args: argparse.Namespace) -> tuple[float, Any, dict[str, float], Stats]:
    """Serve `db` with uvicorn and run the users against it: elapsed seconds, CPU seconds,
    the server's peak RSS and the requests' statistics."""
    engine = make_engine(db)
    with make_session_factory(engine)() as session:
        people = load_people(session, random.Random(7))
        stages = list(session.scalars(select(Stage.id).order_by(Stage.id)))
        words = search_words(session)
    engine.dispose()
    port = free_port()
    server = start_server(db, port, args.workers)
    stats = Stats()
    shared = Shared(stats, 0.0, args.think, stages, words)
    try:
        vusers = make_users(people, args.users, port)
        probe = Probe(server.pid, args.workers, args.profile, db)
        elapsed, cpu = asyncio.run(run(vusers, shared, args.warmup, args.duration, probe))
        rss = peak_rss_mib(server.pid)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    return elapsed, cpu, rss, stats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=300.0, help="seconds recorded")
    parser.add_argument("--warmup", type=float, default=20.0, help="seconds run first, unrecorded")
    parser.add_argument("--opportunities", type=int, default=100_000)
    parser.add_argument("--think", type=float, default=1.0, help="mean seconds between clicks")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--db", default=DEFAULT_DB, help="PostgreSQL database (built if missing)")
    parser.add_argument("--skip", nargs="*", default=[], help="later demo steps to leave out")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the database")
    parser.add_argument("--json", type=Path, help="also write the report as JSON here")
    parser.add_argument("--profile", type=Path, help="sample the workers with py-spy into here")
    parser.add_argument(
        "--fresh-copy",
        action="store_true",
        help="run on a copy of the built database, dropped after: every run starts from the "
        "same rows (runs ask for prices and decide them, so the queue and history grow)",
    )
    args = parser.parse_args()
    if args.users < 4:
        parser.error("--users: at least 4 (one per role)")
    warnings.filterwarnings("ignore")
    load_before = os.getloadavg()
    print(
        f"{os.cpu_count()} CPUs, load average {load_before[0]:.1f}; {args.users} users "
        f"{role_counts(args.users)} for {args.warmup:.0f} + {args.duration:.0f} s, think "
        f"{args.think} s, {args.workers} uvicorn workers, {args.opportunities:,} opportunities",
        flush=True,
    )
    built: Built = ensure_database(args.db, args.opportunities, args.skip, rebuild=args.rebuild)
    db = copy_database(args.db) if args.fresh_copy else args.db
    try:
        elapsed, cpu, rss, stats = _run_on(db, args)
    finally:
        if args.fresh_copy:
            drop_database(db)
    load_after = os.getloadavg()
    result = summary(stats, elapsed)
    print_summary(result)
    load_cpu.print_usage(cpu, result["requests"], elapsed)
    if args.profile:
        load_cpu.print_profile(args.profile)
    print(
        "server peak RSS (VmHWM): "
        + ", ".join(f"{k} {v:.0f} MiB" for k, v in rss.items())
        + f"; load average before {load_before[0]:.1f}, after {load_after[0]:.1f}"
    )
    missed = [g["group"] for g in result["groups"] if g["met"] is False]
    ok = result["errors"] == 0 and not missed
    print(
        "VERDICT: zero errors and every p95 target met"
        if ok
        else f"VERDICT: {result['errors']} errors; p95 target missed: {missed or 'none'}"
    )
    if args.json:
        report: dict[str, Any] = {
            "config": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
            "cpus": os.cpu_count(),
            "load_average": {"before": load_before, "after": load_after},
            "database": {"reused": built.reused, "steps": built.steps, "seconds": built.seconds},
            "server_peak_rss_mib": rss,
            "cpu_seconds": cpu,
            **result,
        }
        write_json(args.json, report)
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
