"""Benchmark: how long the price policy takes to decide.

(a) `policy.evaluate` alone, over the shipped default policy and a generated 50-rule policy,
    on the evidence frozen with the demo company's real requests (every rule tried, its trace
    built).
(b) the whole ask: `service.submit` (scope check, deal lines, cost, value case, three history
    queries over the won deals, the policy, staffing the route, the insert and its events)
    on the demo company's database (2,000 deals, ~700 won, nine months of requests), each ask
    rolled back so the deal can be asked on again. `--deals N` scales the demo's deals.

Target: p99 under 20 ms for each. Prints median, p95, p99 and the verdict.

Run: .venv/bin/python bench/pricing_policy.py [--runs 20000] [--asks 400] [--deals 2000]
     [--pg postgresql+psycopg://postgres@127.0.0.1:5432/valuescout_bench_policy]
"""

# ruff: noqa: S311 - seeded generators for repeatable benchmark data, not secrets

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
import warnings
from decimal import Decimal
from importlib import resources
from pathlib import Path

from sqlalchemy import Engine, select, text
from sqlalchemy.engine import make_url

import valuescout.registry  # noqa: F401 - every table in the metadata
from valuescout.core import migrate
from valuescout.core.db import make_engine, make_session_factory
from valuescout.core.security import configure_password_hasher
from valuescout.deals.models import Opportunity, Stage
from valuescout.demo.deals import DealScale
from valuescout.demo.generator import seed_demo
from valuescout.identity.models import User
from valuescout.identity.service import principal_of
from valuescout.pricing import evidence, service
from valuescout.pricing import policy as pol
from valuescout.pricing.fields import Reason
from valuescout.pricing.models import PriceRequest
from valuescout.pricing.schemas import PriceRequestIn

TARGET_MS = 20.0
DEFAULT = resources.files("valuescout.pricing").joinpath("default_policy.yaml").read_text("utf-8")


def fifty_rules(rng: random.Random) -> str:
    """A long policy of plausible rules: segment, size band, reason, deal type and thresholds,
    most of which do not match, so an ask walks far down the list."""
    segments = ["Water & Utilities", "Chemicals", "Oil & Gas", "Food & Beverage", "Mining"]
    bands = ["under_10k", "10k_50k", "50k_250k", "250k_1m", "1m_plus"]
    reasons = [r.value for r in Reason]
    lines = ["name: Fifty rules", "rules:"]
    for i in range(50):
        when = [
            f"      segment: {{in: [{rng.choice(segments)}, {rng.choice(segments)}]}}",
            f"      size_band: {rng.choice(bands)}",
            f"      reason: {{not_in: [{rng.choice(reasons)}]}}",
            f"      discount: {{gt: {rng.uniform(0.05, 0.45):.2f}}}",
            f"      discount_percentile: {{ge: {rng.randint(50, 95)}}}",
            f"      confirmed_share: {{lt: {rng.uniform(0.2, 0.8):.2f}}}",
            f"      deal_type: {rng.choice(['new', 'expansion', 'renewal'])}",
        ]
        then = rng.choice(
            ["approve", "{route: [manager]}", "{route: [manager, price_desk]}", "{reject: No.}"]
        )
        lines += [f"  - id: rule-{i}", "    when:", *rng.sample(when, rng.randint(2, 5))]
        lines.append(f"    then: {then}")
    lines += ["otherwise:", "  route: [price_desk]"]
    return "\n".join(lines) + "\n"


def figures(samples_ms: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples_ms)
    cut = statistics.quantiles(ordered, n=100, method="inclusive")
    return statistics.median(ordered), cut[94], cut[98]


def report(label: str, samples_ms: list[float], cpu_ms: list[float] | None = None) -> None:
    median, p95, p99 = figures(samples_ms)
    verdict = "meets" if p99 < TARGET_MS else "MISSES"
    print(
        f"  {label:<44} n={len(samples_ms):>6}  median {median:8.3f} ms  p95 {p95:8.3f} ms  "
        f"p99 {p99:8.3f} ms  -> {verdict} the {TARGET_MS:.0f} ms p99 target",
        flush=True,
    )
    if cpu_ms:
        median, p95, p99 = figures(cpu_ms)
        print(
            f"  {'  CPU of this process (no waiting for a CPU)':<44} n={len(cpu_ms):>6}  "
            f"median {median:8.3f} ms  p95 {p95:8.3f} ms  p99 {p99:8.3f} ms",
            flush=True,
        )


def build(url: str, deals: int) -> Engine:
    engine = make_engine(url)
    migrate.upgrade(engine)
    factory = make_session_factory(engine)
    started = time.perf_counter()
    with factory() as session:
        scale = DealScale(accounts=max(300, deals * 3 // 20), opportunities=deals)
        demo = seed_demo(session, seed=7, deals=scale)
        session.commit()
    print(
        f"  seeded the demo company: {demo.deals.opportunities:,} deals ({demo.deals.won:,} won, "
        f"{demo.deals.open:,} open), {demo.price_requests.requests:,} price requests "
        f"in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    return engine


def bench_evaluate(engine: Engine, runs: int) -> None:
    with make_session_factory(engine)() as session:
        frozen = [evidence.from_json(e) for e in session.scalars(select(PriceRequest.evidence))]
    policies = {"default policy (7 rules)": pol.parse(DEFAULT)}
    policies["50-rule policy"] = pol.parse(fifty_rules(random.Random(7)))
    rng = random.Random(11)
    print(f"(a) policy.evaluate over {len(frozen)} frozen evidence sets of the demo's requests")
    for label, parsed in policies.items():
        samples = []
        for _ in range(runs):
            ev = rng.choice(frozen)
            t = time.perf_counter_ns()
            pol.evaluate(parsed, ev)
            samples.append((time.perf_counter_ns() - t) / 1e6)
        report(label, samples)


def bench_submit(engine: Engine, asks: int, label: str) -> None:
    factory = make_session_factory(engine)
    with factory() as session:
        open_ids = set(session.scalars(select(Stage.id).where(Stage.outcome == "open")))
        waiting = select(PriceRequest.opportunity_id).where(
            PriceRequest.state.in_(["pending", "countered"])
        )
        deals = [
            (o.id, o.owner_id, o.amount)
            for o in session.scalars(
                select(Opportunity)
                .where(Opportunity.stage_id.in_(open_ids), Opportunity.id.not_in(waiting))
                .order_by(Opportunity.id)
            )
        ]
        sellers = {u.id: principal_of(u) for u in session.scalars(select(User))}
    rng = random.Random(5)
    samples, cpu = [], []
    states: dict[str, int] = {}
    with factory() as session:
        for i in range(asks + 20):
            opp_id, owner, amount = rng.choice(deals)
            body = PriceRequestIn(
                net_price=(amount * Decimal(str(rng.uniform(0.6, 0.97)))).quantize(Decimal("1")),
                reason=rng.choice(list(Reason)),
                justification="Benchmark ask",
            )
            nested = session.begin_nested()
            t, c = time.perf_counter_ns(), time.thread_time_ns()
            request = service.submit(session, sellers[owner], opp_id, body, f"bench-{i}")
            elapsed = (time.perf_counter_ns() - t) / 1e6
            used = (time.thread_time_ns() - c) / 1e6
            states[request.state] = states.get(request.state, 0) + 1
            nested.rollback()
            session.expunge_all()
            if i >= 20:  # the first asks warm the caches (policy parse, statements)
                samples.append(elapsed)
                cpu.append(used)
        session.rollback()
    print(f"(b) service.submit, the whole ask, on {label}: outcomes {states}")
    report(f"service.submit ({label})", samples, cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20_000, help="evaluations per policy")
    parser.add_argument("--asks", type=int, default=400, help="timed asks per database")
    parser.add_argument("--deals", type=int, default=2_000, help="the demo company's deals")
    parser.add_argument("--pg", default=None, help="also on this PostgreSQL database (dropped)")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    configure_password_hasher(time_cost=1, memory_cost=1024)
    load = os.getloadavg()
    print(f"{os.cpu_count()} CPUs, load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        sqlite = build(f"sqlite:///{Path(tmp) / 'bench.db'}", args.deals)
        bench_evaluate(sqlite, args.runs)
        bench_submit(sqlite, args.asks, f"SQLite, {args.deals:,} deals")
        sqlite.dispose()
    if args.pg:
        url = make_url(args.pg)
        admin = make_engine(
            url.set(database="postgres").render_as_string(hide_password=False),
            isolation_level="AUTOCOMMIT",
        )
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{url.database}"'))
        pg = build(args.pg, args.deals)
        bench_submit(pg, args.asks, f"PostgreSQL, {args.deals:,} deals")
        pg.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
        admin.dispose()
    load = os.getloadavg()
    print(f"load average after: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")


if __name__ == "__main__":
    main()
