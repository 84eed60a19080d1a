"""Load benchmark: the price desk under 100 concurrent clients, through the real app.

A PostgreSQL database (created and dropped) gets the demo company (24 sellers, 9 managers,
2 price desk members, 2 executives, 2,000 deals, nine months of requests). The app runs in
uvicorn as a subprocess on a free port (`--workers`, 2 by default: one per CPU here).
Half the clients are sellers: they ask for price exceptions on their open deals
(POST /opportunities/{id}/price-requests with an Idempotency-Key, now and then sent twice to
check that the retry returns the same request), and accept or withdraw counter-offers from
their inbox. The other half are approvers: they read their queue and decide one of its
oldest requests (approve, reject or counter, with the version they saw), so approvers of the
same role race on the same requests. Bearer tokens, JSON API only.

Reported: throughput (requests/s), p50/p95/p99 latency per operation, errors (any 5xx,
transport error or unexpected status), and 409 conflicts (a lost race or a deal whose
request is still open: expected, counted apart). Then the database is checked: no request
decided twice at one step, every approved request has exactly the decision events its route
needs, every version equals 1 + the moves made.

Run: .venv/bin/python bench/pricing_load.py [--clients 100] [--seconds 60] [--workers 2]
     [--pg postgresql+psycopg://postgres@127.0.0.1:5432/valuescout_bench_load]
"""

# ruff: noqa: S311 - seeded generators for repeatable benchmark data, not secrets

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import time
import uuid
import warnings
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import httpx
from sqlalchemy import Engine, select, text
from sqlalchemy.engine import make_url

import valuescout.registry  # noqa: F401 - every table in the metadata
from valuescout.core import migrate
from valuescout.core.db import make_engine, make_session_factory
from valuescout.core.security import configure_password_hasher
from valuescout.deals.models import Opportunity, Stage
from valuescout.demo.generator import seed_demo
from valuescout.identity import auth_service
from valuescout.identity.models import User
from valuescout.identity.roles import Role
from valuescout.identity.schemas import TokenCreate
from valuescout.identity.service import principal_of
from valuescout.pricing.models import PriceRequest, PriceRequestEvent

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/valuescout_bench_load"
SECRET = "bench-secret-key-that-is-long-enough-for-production-checks"  # noqa: S105
REASONS = ("competitive_match", "budget", "volume", "strategic_logo", "other")


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter[tuple[str, int]] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    conflicts: Counter[str] = field(default_factory=Counter)
    replays_same: int = 0
    replays_different: int = 0

    def record(self, op: str, status: int, seconds: float, expected: tuple[int, ...]) -> None:
        self.latencies[op].append(seconds * 1000)
        self.statuses[(op, status)] += 1
        if status == 409:
            self.conflicts[op] += 1
        elif status not in expected:
            self.errors[f"{op} {status}"] += 1


@dataclass
class Seller:
    token: str
    deals: list[tuple[int, Decimal]]


@dataclass
class Approver:
    token: str
    role: str


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare(url: str) -> tuple[Engine, list[Seller], list[Approver]]:
    parsed = make_url(url)
    admin = make_engine(
        parsed.set(database="postgres").render_as_string(hide_password=False),
        isolation_level="AUTOCOMMIT",
    )
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()
    engine = make_engine(url)
    migrate.upgrade(engine)
    factory = make_session_factory(engine)
    started = time.perf_counter()
    with factory() as session:
        demo = seed_demo(session, seed=7)
        open_ids = set(session.scalars(select(Stage.id).where(Stage.outcome == "open")))
        deals: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
        for opp in session.scalars(
            select(Opportunity).where(Opportunity.stage_id.in_(open_ids)).order_by(Opportunity.id)
        ):
            deals[opp.owner_id].append((opp.id, opp.amount))
        sellers, approvers = [], []
        for user in session.scalars(select(User).where(User.is_active.is_(True)).order_by(User.id)):
            role = Role(user.role)
            if role not in (Role.SELLER, Role.MANAGER, Role.PRICE_DESK, Role.EXECUTIVE):
                continue
            _, secret = auth_service.create_token(
                session, principal_of(user), TokenCreate(name="load benchmark")
            )
            if role == Role.SELLER and deals[user.id]:
                sellers.append(Seller(secret, deals[user.id]))
            elif role != Role.SELLER:
                approvers.append(Approver(secret, role.value))
        session.commit()
    print(
        f"Seeded the demo company in PostgreSQL: {demo.deals.opportunities:,} deals "
        f"({demo.deals.open:,} open), {demo.price_requests.requests:,} past price requests, "
        f"{len(sellers)} sellers with open deals, {len(approvers)} approvers "
        f"({time.perf_counter() - started:.1f} s).",
        flush=True,
    )
    return engine, sellers, approvers


def start_server(url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = dict(
        os.environ,
        VALUESCOUT_DATABASE_URL=url,
        VALUESCOUT_SECRET_KEY=SECRET,
        VALUESCOUT_ENV="production",
        VALUESCOUT_LOG_LEVEL="WARNING",
    )
    cmd = [
        sys.executable,
        "-m",
        "uvicorn",
        "valuescout.web.app:create_app",
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    proc = subprocess.Popen(cmd, env=env)  # noqa: S603 - our own interpreter and module
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/me", timeout=2).status_code < 500:
                return proc
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            raise SystemExit("uvicorn exited before it served")
        time.sleep(0.3)
    proc.terminate()
    raise SystemExit("uvicorn did not answer within 60 s")


def warm_tokens(port: int, tokens: list[str]) -> None:
    """One call per token first: its first use records `last_used_at`, a row lock held to the
    end of that request; 100 clients starting at once on fresh tokens queue behind it."""
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
        for token in tokens:
            client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})


async def call(
    client: httpx.AsyncClient,
    stats: Stats,
    op: str,
    method: str,
    path: str,
    token: str,
    expected: tuple[int, ...],
    json: Any = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response | None:
    sent = {"Authorization": f"Bearer {token}", **(headers or {})}
    t = time.perf_counter()
    try:
        response = await client.request(method, f"/api/v1{path}", json=json, headers=sent)
    except httpx.HTTPError as exc:
        stats.latencies[op].append((time.perf_counter() - t) * 1000)
        stats.errors[f"{op} {type(exc).__name__}"] += 1
        return None
    stats.record(op, response.status_code, time.perf_counter() - t, expected)
    return response


async def seller_loop(
    client: httpx.AsyncClient, seller: Seller, stats: Stats, until: float, rng: random.Random
) -> None:
    n = 0
    while time.monotonic() < until:
        n += 1
        if n % 4 == 0:
            await settle_counters(client, seller, stats, rng)
            continue
        opp_id, amount = rng.choice(seller.deals)
        body = {
            "net_price": str((amount * Decimal(str(rng.uniform(0.6, 0.97)))).quantize(Decimal(1))),
            "reason": rng.choice(REASONS),
            "justification": "Load benchmark: the customer's budget.",
        }
        key = {"Idempotency-Key": uuid.uuid4().hex}
        path = f"/opportunities/{opp_id}/price-requests"
        first = await call(client, stats, "ask", "POST", path, seller.token, (201,), body, key)
        if first is not None and first.status_code == 201 and rng.random() < 0.1:
            again = await call(
                client, stats, "ask (retry)", "POST", path, seller.token, (201,), body, key
            )
            if again is not None and again.status_code == 201:
                same = again.json()["id"] == first.json()["id"]
                stats.replays_same += same
                stats.replays_different += not same


async def settle_counters(
    client: httpx.AsyncClient, seller: Seller, stats: Stats, rng: random.Random
) -> None:
    inbox = await call(
        client, stats, "inbox", "GET", "/price-requests/inbox?limit=20", seller.token, (200,)
    )
    if inbox is None or inbox.status_code != 200:
        return
    for item in inbox.json()["items"]:
        if item["state"] != "countered":
            continue
        move = "accept" if rng.random() < 0.7 else "withdraw"
        body = {"move": move, "version": item["version"]}
        path = f"/price-requests/{item['id']}/moves"
        await call(client, stats, move, "POST", path, seller.token, (200,), body)


async def approver_loop(
    client: httpx.AsyncClient, approver: Approver, stats: Stats, until: float, rng: random.Random
) -> None:
    while time.monotonic() < until:
        queue = await call(
            client, stats, "queue", "GET", "/price-requests/queue", approver.token, (200,)
        )
        if queue is None or queue.status_code != 200 or not queue.json()["items"]:
            await asyncio.sleep(0.05)
            continue
        item = rng.choice(
            queue.json()["items"][:3]
        )  # the oldest: approvers of one role race on them
        roll = rng.random()
        body: dict[str, Any] = {"version": item["version"]}
        if roll < 0.7:
            body["move"] = "approve"
        elif roll < 0.85:
            body["move"] = "reject"
        else:
            gap = Decimal(item["price_before"]) - Decimal(item["requested_price"])
            offer = Decimal(item["requested_price"]) + gap * Decimal("0.5")
            body.update(move="counter", price=str(offer.quantize(Decimal("0.01"))))
        path = f"/price-requests/{item['id']}/moves"
        await call(client, stats, body["move"], "POST", path, approver.token, (200,), body)


async def run_load(
    port: int, sellers: list[Seller], approvers: list[Approver], clients: int, seconds: float
) -> tuple[Stats, float]:
    stats = Stats()
    limits = httpx.Limits(max_connections=clients + 10, max_keepalive_connections=clients + 10)
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{port}", timeout=60, limits=limits
    ) as client:
        start = time.monotonic()
        until = start + seconds
        tasks = []
        for i in range(clients):
            rng = random.Random(i)
            if i % 2 == 0:
                seller = sellers[(i // 2) % len(sellers)]
                tasks.append(seller_loop(client, seller, stats, until, rng))
            else:
                approver = approvers[(i // 2) % len(approvers)]
                tasks.append(approver_loop(client, approver, stats, until, rng))
        await asyncio.gather(*tasks)
        elapsed = time.monotonic() - start
    return stats, elapsed


def pct(samples: list[float]) -> tuple[float, float, float]:
    if len(samples) < 2:
        value = samples[0] if samples else 0.0
        return value, value, value
    cut = statistics.quantiles(samples, n=100, method="inclusive")
    return statistics.median(samples), cut[94], cut[98]


def print_stats(stats: Stats, elapsed: float) -> None:
    total = sum(len(v) for v in stats.latencies.values())
    print(f"\n{total:,} requests in {elapsed:.1f} s: {total / elapsed:,.1f} requests/s")
    print(
        f"{'operation':<12} {'count':>7} {'/s':>7} "
        f"{'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}  statuses"
    )
    for op in sorted(stats.latencies):
        samples = stats.latencies[op]
        p50, p95, p99 = pct(samples)
        statuses = ", ".join(
            f"{status}: {n}" for (o, status), n in sorted(stats.statuses.items()) if o == op
        )
        print(
            f"{op:<12} {len(samples):>7,} {len(samples) / elapsed:>7.1f} {p50:>8.1f} {p95:>8.1f} "
            f"{p99:>8.1f}  {statuses}"
        )
    errors = sum(stats.errors.values())
    print(f"errors (5xx, transport, unexpected status): {errors}  {dict(stats.errors)}")
    print(
        f"409 conflicts (expected: lost races, deal still has an open request): "
        f"{sum(stats.conflicts.values())}  {dict(stats.conflicts)}"
    )
    print(
        f"Idempotency-Key retries: {stats.replays_same} returned the first request, "
        f"{stats.replays_different} made another"
    )


def verify(engine: Engine, started_after: int) -> bool:
    """Zero double decisions; every approved request has the decisions its route needs."""
    ok = True
    with make_session_factory(engine)() as session:
        events: dict[int, list[PriceRequestEvent]] = defaultdict(list)
        for e in session.scalars(select(PriceRequestEvent).order_by(PriceRequestEvent.id)):
            events[e.request_id].append(e)
        requests = session.scalars(select(PriceRequest).order_by(PriceRequest.id)).all()
    new = [r for r in requests if r.id > started_after]
    doubles = wrong_route = wrong_version = 0
    for r in requests:
        mine = events[r.id]
        deciding = Counter(e.step for e in mine if e.action in ("approve", "reject", "counter"))
        doubles += sum(1 for n in deciding.values() if n > 1)
        moves = [
            e for e in mine if e.action in ("approve", "reject", "counter", "accept", "withdraw")
        ]
        wrong_version += r.version != 1 + len(moves)
        if r.state != "approved":
            continue
        approved_steps = sorted(e.step for e in mine if e.action == "approve")
        auto = any(e.action == "auto_approve" for e in mine)
        accepted = any(e.action == "accept" for e in mine)
        if auto:
            needed: list[int | None] = []
        elif accepted:
            counter_step = next(e.step for e in mine if e.action == "counter")
            needed = list(range(counter_step or 0))
        else:
            needed = list(range(len(r.route)))
        wrong_route += approved_steps != needed
    states = Counter(r.state for r in new)
    print(f"\nDatabase after the run: {len(new):,} new requests {dict(states)}")
    for label, count in (
        ("requests decided twice at one step", doubles),
        ("approved requests without exactly their route's decisions", wrong_route),
        ("requests whose version is not 1 + their moves", wrong_version),
    ):
        print(f"  {label}: {count}")
        ok = ok and count == 0
    print("  VERIFIED: zero double decisions" if ok else "  FAILED: see above")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument(
        "--workers",
        type=int,
        default=2,
        help="uvicorn worker processes",
    )
    parser.add_argument("--pg", default=DEFAULT_PG, help="PostgreSQL database (dropped, made)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    configure_password_hasher(time_cost=1, memory_cost=1024)
    load = os.getloadavg()
    print(
        f"{os.cpu_count()} CPUs, load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}; "
        f"{args.clients} clients for {args.seconds:.0f} s, {args.workers} uvicorn workers",
        flush=True,
    )
    engine, sellers, approvers = prepare(args.pg)
    with make_session_factory(engine)() as session:
        before = session.scalar(select(PriceRequest.id).order_by(PriceRequest.id.desc()).limit(1))
    port = free_port()
    server = start_server(args.pg, port, args.workers)
    try:
        warm_tokens(port, [s.token for s in sellers] + [a.token for a in approvers])
        stats, elapsed = asyncio.run(run_load(port, sellers, approvers, args.clients, args.seconds))
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    load = os.getloadavg()
    print_stats(stats, elapsed)
    print(f"load average at the end: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    ok = verify(engine, before or 0)
    engine.dispose()
    if not args.keep:
        parsed = make_url(args.pg)
        admin = make_engine(
            parsed.set(database="postgres").render_as_string(hide_password=False),
            isolation_level="AUTOCOMMIT",
        )
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
        admin.dispose()
    if not ok or sum(stats.errors.values()):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
