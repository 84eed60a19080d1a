"""The demo company's deals: a product catalogue from the value networks' offers, accounts
with their buying teams, and years of opportunities with line items, stage histories,
next-best alternatives and value cases.

Deterministic for a seed and a `today`. Written in bulk (executemany INSERTs through the
models, a batch of deals at a time) so the default ~2,000 deals take about a second and the
benchmarks' 100,000 stay in memory a batch at a time. One audit entry records what was made.
"""

from __future__ import annotations

import math
import random
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from valuescout.core import audit
from valuescout.deals.models import (
    DealSettings,
    LineItem,
    Opportunity,
    OpportunityChange,
    ValueCase,
    ValueOutcome,
)
from valuescout.demo import catalogue as cat
from valuescout.demo.customers import (
    AccountMaker,
    insert_many,
    insert_returning,
    make_sellers,
    seed_products,
)
from valuescout.demo.dealflow import DealMaker, DealPlan
from valuescout.demo.world import load_networks, load_stages

if TYPE_CHECKING:
    from valuescout.demo.generator import DemoCompany

SEGMENT_DEALS = {"enterprise": 3.0, "mid-market": 1.5, "small": 0.7}  # deals per account
GROWTH = 0.8  # the company opens 80% more deals a day at the end of the period than at its start


@dataclass(frozen=True)
class DealScale:
    accounts: int = 300
    opportunities: int = 2_000
    years: int = 3
    batch: int = 2_000  # deals generated and written at a time


@dataclass
class DealCounts:
    products: int = 0
    accounts: int = 0
    contacts: int = 0
    opportunities: int = 0
    open: int = 0
    won: int = 0
    lost: int = 0
    lines: int = 0
    changes: int = 0
    value_cases: int = 0
    value_outcomes: int = 0


def build_deals(
    session: Session, demo: DemoCompany, scale: DealScale, actor: audit.Actor
) -> DealCounts:
    """Products, accounts, contacts and `scale.opportunities` deals created over
    `scale.years` years up to yesterday, for the sellers `demo` holds."""
    rng = demo.rng
    cutoff = datetime.combine(demo.today, time(0), UTC)
    start = cutoff - timedelta(days=round(365.25 * scale.years))
    stages = load_stages(session)
    networks = load_networks(session, demo.value_networks)
    sellers = make_sellers(rng, demo.users, demo.teams, demo.regions)
    if not sellers:
        raise ValueError("the demo company has no sellers to own deals")
    demo.heavy_discounters = [s.id for s in sellers if s.heavy]
    counts = DealCounts(products=seed_products(session, networks))
    maker = AccountMaker(rng, networks, start.date(), cat.FIRST_NAMES, cat.LAST_NAMES)
    accounts = maker.make(session, sellers, scale.accounts)
    counts.accounts = len(accounts)
    counts.contacts = sum(len(a.contacts) for a in accounts)
    if not accounts or not scale.opportunities:
        audit.record(session, actor, "demo.deals_created", "demo", "deals", asdict(counts))
        return counts
    settings = session.get(DealSettings, 1)
    deals = DealMaker(
        rng,
        stages,
        networks,
        sellers,
        demo.today,
        cutoff,
        settings.discount_rate if settings else Decimal("0.1"),
        settings.target_share if settings else Decimal("0.5"),
        random.Random(f"{demo.seed}-engagement"),  # the deals' engagement: a stream of its own
        random.Random(f"{demo.seed}-engagement-history"),  # and its history, one more
    )
    weights = [SEGMENT_DEALS[a.segment] * a.size**0.3 for a in accounts]
    chosen = rng.choices(accounts, weights=weights, k=scale.opportunities)
    batch: list[DealPlan] = []
    for account, created in zip(
        chosen, _creation_times(rng, len(chosen), start, cutoff), strict=True
    ):
        batch.append(deals.plan(account, created))
        if len(batch) >= scale.batch:
            _write(session, batch, counts)
            batch = []
    _write(session, batch, counts)
    audit.record(session, actor, "demo.deals_created", "demo", "deals", asdict(counts))
    return counts


def _creation_times(
    rng: random.Random, count: int, start: datetime, cutoff: datetime
) -> list[datetime]:
    """Creation times in order, on working days, more of them as the company grows."""
    span = (cutoff - start).total_seconds() - 86400  # the last ones were created yesterday
    times = []
    for _ in range(count):
        u = rng.random()  # inverse CDF of a density rising linearly by GROWTH over the span
        x = (math.sqrt(1 + 2 * GROWTH * u * (1 + GROWTH / 2)) - 1) / GROWTH
        moment = start + timedelta(seconds=x * span)
        if moment.weekday() >= 5:  # weekend: Friday before, so it stays before the cutoff
            moment -= timedelta(days=moment.weekday() - 4)
        times.append(moment)
    times.sort()
    return times


def _write(session: Session, plans: list[DealPlan], counts: DealCounts) -> None:
    if not plans:
        return
    ids = insert_returning(session, Opportunity, [p.opportunity for p in plans])
    lines: list[dict[str, Any]] = []
    changes: list[dict[str, Any]] = []
    cases: list[dict[str, Any]] = []
    with_case: list[DealPlan] = []
    for plan, opp_id in zip(plans, ids, strict=True):
        for row in plan.lines:
            row["opportunity_id"] = opp_id
        lines.extend(plan.lines)
        for row in plan.changes:
            row["opportunity_id"] = opp_id
        changes.extend(plan.changes)
        if plan.case is not None:
            plan.case["opportunity_id"] = opp_id
            cases.append(plan.case)
            with_case.append(plan)
        setattr(counts, plan.result, getattr(counts, plan.result) + 1)
    if lines:
        insert_many(session, LineItem, lines)
    insert_many(session, OpportunityChange, changes)
    outcomes: list[dict[str, Any]] = []
    for plan, case_id in zip(with_case, insert_returning(session, ValueCase, cases), strict=True):
        for row in plan.outcomes:
            row["value_case_id"] = case_id
        outcomes.extend(plan.outcomes)
    if outcomes:
        insert_many(session, ValueOutcome, outcomes)
    counts.opportunities += len(plans)
    counts.lines += len(lines)
    counts.changes += len(changes)
    counts.value_cases += len(cases)
    counts.value_outcomes += len(outcomes)
