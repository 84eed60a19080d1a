"""The demo company's price desk: nine months of price exceptions, asked and decided through
the real services (evidence frozen, the policy deciding or routing, compare-and-set moves,
events), then back-dated over the period.

Approvers differ on purpose: some managers approve nearly everything, the CFO and one price
desk member reject or counter often, so an approver's approval rate means something. Sellers
accept most counter-offers, withdraw some requests and ask again for less; the newest
requests on open deals are still waiting, so every approver has a queue.

A request is asked while its deal was open: for a deal that has closed since, the deal is put
back in its last open stage at its price before the exception for the ask and restored
afterwards (a won deal closed at the price asked for). Deterministic for the demo's seed.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from valuescout.core import audit
from valuescout.core.errors import DomainError
from valuescout.core.money import to_money
from valuescout.deals.models import LineItem, Opportunity, Stage
from valuescout.identity.models import Team, User
from valuescout.identity.principal import Principal
from valuescout.identity.roles import Role
from valuescout.identity.service import principal_of
from valuescout.pricing import history, service
from valuescout.pricing.fields import Reason
from valuescout.pricing.models import PricePolicy, PriceRequest, PriceRequestEvent
from valuescout.pricing.schemas import MoveIn, PriceRequestIn
from valuescout.pricing.workflow import Move, State

if TYPE_CHECKING:
    from valuescout.demo.generator import DemoCompany

WINDOW_DAYS = 270  # requests over the last ~9 months
SHARE_OF_DEALS = 0.15  # of the deals open at some point in the window
PENDING_DAYS = 21  # requests on open deals asked this recently may still wait
REASONS = (
    (Reason.COMPETITIVE_MATCH, 38),
    (Reason.BUDGET, 28),
    (Reason.VOLUME, 12),
    (Reason.STRATEGIC_LOGO, 16),
    (Reason.OTHER, 6),
)
JUSTIFICATIONS = {
    Reason.COMPETITIVE_MATCH: "The competitor quoted lower; we keep the deal at this price.",
    Reason.BUDGET: "The customer's approved budget is below our quote this year.",
    Reason.VOLUME: "Larger volume than planned across their sites.",
    Reason.STRATEGIC_LOGO: "A reference customer in a segment we are entering.",
    Reason.OTHER: "Multi-year commitment in exchange for the price.",
}


@dataclass(frozen=True)
class Habit:
    """How an approver decides: chances to approve and to counter; the rest is rejected."""

    name: str
    approve: float
    counter: float


LENIENT = Habit("lenient", 0.93, 0.05)
BALANCED = Habit("balanced", 0.72, 0.16)
COUNTERS = Habit("counters often", 0.5, 0.38)
STRICT = Habit("strict", 0.42, 0.2)
MANAGER_HABITS = (LENIENT, BALANCED, COUNTERS, STRICT, LENIENT, BALANCED)


@dataclass
class PricingCounts:
    requests: int = 0
    by_state: dict[str, int] = field(default_factory=dict)
    counters: int = 0
    reasked: int = 0
    habits: dict[str, str] = field(default_factory=dict)  # approver email -> habit


@dataclass
class _Approvers:
    team_manager: dict[int, User]  # team id -> its manager
    vp: dict[int, User]  # team id -> the regional VP above it
    desk: list[User]
    executives: list[User]
    habits: dict[int, Habit]
    principals: dict[int, Principal] = field(default_factory=dict)
    owner_team: dict[int, int] = field(default_factory=dict)  # user id -> team id


def seed_price_requests(session: Session, demo: DemoCompany) -> PricingCounts:
    # Asks see the deals as they are at that moment (an approval moves a deal's lines), unless
    # the caller accepts samples up to two minutes old for speed (`DemoCompany.shared_history`).
    shared, history.SAMPLES.inline = history.SAMPLES.inline, not demo.shared_history
    try:
        return _seed_price_requests(session, demo)
    finally:
        history.SAMPLES.inline = shared


def _seed_price_requests(session: Session, demo: DemoCompany) -> PricingCounts:
    rng = random.Random(demo.rng.random())
    cutoff = datetime.combine(demo.today, time(0), UTC)
    start = cutoff - timedelta(days=WINDOW_DAYS)
    people = _approvers(session, demo)
    stages = {s.id: s for s in session.scalars(select(Stage))}
    last_open = max((s for s in stages.values() if s.outcome == "open"), key=lambda s: s.position)
    deals = [
        o
        for o in session.scalars(select(Opportunity).order_by(Opportunity.id))
        if o.close_date is not None
        and o.close_date >= start.date()
        and o.created_at < cutoff - timedelta(days=3)
        and rng.random() < SHARE_OF_DEALS
    ]
    list_totals = dict(
        session.execute(
            select(LineItem.opportunity_id, func.sum(LineItem.quantity * LineItem.list_price))
            .where(LineItem.opportunity_id.in_([o.id for o in deals]))
            .group_by(LineItem.opportunity_id)
        )
        .tuples()
        .all()
    )
    owners = {u.id: u for u in demo.users}
    heavy = set(demo.heavy_discounters)
    plans = []
    for opp in deals:
        assert opp.close_date is not None  # filtered above
        first = max(opp.created_at, start) + timedelta(days=2)
        closes = min(datetime.combine(opp.close_date, time(0), UTC), cutoff) - timedelta(days=2)
        if closes <= first or opp.owner_id not in owners:
            continue
        asked = first + (closes - first) * rng.uniform(0.3, 1.0)
        plans.append((asked, opp))
    plans.sort(key=lambda p: (p[0], p[1].id))
    counts = PricingCounts(habits={u.email: h.name for u, h in _habit_table(people)})
    times: dict[int, list[datetime]] = {}
    for asked, opp in plans:
        outcome = stages[opp.stage_id].outcome
        listed = list_totals.get(opp.id)
        ask = _Ask(opp, outcome, None if listed is None else Decimal(listed), asked)
        _ask_deal(session, rng, ask, last_open.id, cutoff, owners, heavy, people, times, counts)
    _backdate(session, times, start)
    rows = session.execute(select(PriceRequest.state)).scalars().all()
    counts.requests = len(rows)
    counts.by_state = {s: rows.count(s) for s in sorted(set(rows))}
    audit.record(
        session,
        audit.Actor(id=None, email="demo-generator"),
        "demo.price_requests_created",
        "demo",
        "pricing",
        {"requests": counts.requests, "by_state": counts.by_state, "counters": counts.counters},
    )
    return counts


@dataclass(frozen=True)
class _Ask:
    opp: Opportunity
    outcome: str  # the deal's outcome today: open, won or lost
    list_total: Decimal | None  # its lines at list price
    at: datetime


def _ask_deal(
    session: Session,
    rng: random.Random,
    ask: _Ask,
    open_stage: int,
    cutoff: datetime,
    owners: dict[int, User],
    heavy: set[int],
    people: _Approvers,
    times: dict[int, list[datetime]],
    counts: PricingCounts,
) -> None:
    opp, outcome, asked = ask.opp, ask.outcome, ask.at
    seller = owners[opp.owner_id]
    me = principal_of(seller)
    saved = (opp.stage_id, opp.amount, opp.updated_at)
    reason = rng.choices([r for r, _ in REASONS], [w for _, w in REASONS])[0]
    wide = (0.08, 0.3) if seller.id in heavy else (0.03, 0.16)
    if reason == Reason.STRATEGIC_LOGO:
        wide = (0.38, 0.52)  # a logo is bought deep: thin margins reach an executive
    discount = Decimal(str(round(rng.uniform(*wide), 4)))
    if outcome != "open":
        # Asked while open, at the price before; a won deal closed at the price asked for.
        before = opp.amount
        if outcome == "won":
            before = to_money(opp.amount / (1 - discount))
            if ask.list_total is not None:
                before = max(opp.amount, min(before, to_money(ask.list_total)))
        opp.stage_id, opp.amount = open_stage, before
    target = to_money(opp.amount * (1 - discount)) if outcome != "won" else saved[1]
    may_wait = outcome == "open" and asked >= cutoff - timedelta(days=PENDING_DAYS)
    replaces: int | None = None
    moment = asked
    for attempt in range(2):
        body = PriceRequestIn(
            net_price=target,
            reason=reason,
            justification=JUSTIFICATIONS[reason],
            replaces_id=replaces,
        )
        request = service.submit(session, me, opp.id, body)
        clock = times.setdefault(request.id, [])
        clock += [moment, moment]  # the ask and the policy's decision
        again = _decide(session, rng, request, people, me, may_wait, moment, cutoff, clock, counts)
        if not again or attempt == 1:
            break
        # Withdrawn or rejected: ask again for less of a discount.
        replaces = request.id
        counts.reasked += 1
        moment = clock[-1] + timedelta(hours=rng.uniform(4, 72))
        target = to_money(target + (opp.amount - target) * Decimal(str(rng.uniform(0.3, 0.6))))
        if moment >= cutoff - timedelta(hours=1):
            break
    if outcome != "open":
        opp.stage_id, opp.amount, opp.updated_at = saved
    session.flush()


def _decide(
    session: Session,
    rng: random.Random,
    request: PriceRequest,
    people: _Approvers,
    seller: Principal,
    may_wait: bool,
    moment: datetime,
    cutoff: datetime,
    clock: list[datetime],
    counts: PricingCounts,
) -> bool:
    """Walks the request to its end (or leaves it waiting); True: the seller asks again."""
    while request.state in (State.PENDING, State.COUNTERED):
        moment += timedelta(hours=rng.uniform(2, 60))
        if moment >= cutoff or (may_wait and rng.random() < 0.55):
            return False  # still waiting
        if request.state == State.COUNTERED:
            accept = rng.random() < 0.7
            _move(session, seller, request, Move.ACCEPT if accept else Move.WITHDRAW, clock, moment)
            return not accept and rng.random() < 0.7
        if rng.random() < 0.04:  # the seller gives up on it before anyone decides
            _move(session, seller, request, Move.WITHDRAW, clock, moment)
            return rng.random() < 0.8
        approver = _approver_for(rng, request, people)
        habit = people.habits[approver.id]
        roll = rng.random()
        actor = people.principals[approver.id]
        if roll < habit.approve:
            _move(session, actor, request, Move.APPROVE, clock, moment)
        elif roll < habit.approve + habit.counter:
            gap = request.price_before - request.requested_price
            offer = to_money(request.requested_price + gap * Decimal(str(rng.uniform(0.35, 0.7))))
            _move(session, actor, request, Move.COUNTER, clock, moment, price=offer)
            counts.counters += 1
        else:
            _move(session, actor, request, Move.REJECT, clock, moment)
            return rng.random() < 0.5
    return False


def _move(
    session: Session,
    who: Principal,
    request: PriceRequest,
    move: Move,
    clock: list[datetime],
    moment: datetime,
    price: Decimal | None = None,
) -> None:
    comment = {
        Move.COUNTER: "We can meet part of the way.",
        Move.REJECT: "The value case does not carry this discount.",
    }.get(move, "")
    try:
        service.act(session, who, request.id, MoveIn(move=move, price=price, comment=comment))
    except DomainError as exc:  # a demo that cannot be made is a bug in this module
        raise RuntimeError(f"demo price request {request.id}: {move}: {exc.message}") from exc
    clock.append(moment)


def _approver_for(rng: random.Random, request: PriceRequest, people: _Approvers) -> User:
    role = request.waiting_role
    if role == "manager":
        team = people.owner_team[request.owner_id]
        if team in people.vp and (team not in people.team_manager or rng.random() < 0.25):
            return people.vp[team]
        return people.team_manager[team]
    if role == "price_desk":
        return people.desk[0] if rng.random() < 0.6 else people.desk[-1]
    return people.executives[0] if rng.random() < 0.5 else people.executives[-1]


def _approvers(session: Session, demo: DemoCompany) -> _Approvers:
    parents = dict(session.execute(select(Team.id, Team.parent_id)).tuples().all())
    team_ids = {t.id for t in demo.teams.values()}
    team_manager: dict[int, User] = {}
    region_vp: dict[int, User] = {}
    for user in demo.users:
        if user.role != Role.MANAGER or user.team_id is None:
            continue
        if user.team_id in team_ids:
            team_manager.setdefault(user.team_id, user)
        else:
            region_vp.setdefault(user.team_id, user)
    vp = {t: region_vp[p] for t, p in parents.items() if p in region_vp and t in team_ids}
    desk = [u for u in demo.users if u.role == Role.PRICE_DESK]
    executives = [u for u in demo.users if u.role == Role.EXECUTIVE]
    habits: dict[int, Habit] = {}
    for index, manager in enumerate(team_manager.values()):
        habits[manager.id] = MANAGER_HABITS[index % len(MANAGER_HABITS)]
    for index, manager in enumerate(region_vp.values()):
        habits[manager.id] = (BALANCED, LENIENT, COUNTERS)[index % 3]
    for user, habit in zip(desk, (STRICT, BALANCED), strict=False):
        habits[user.id] = habit
    for user, habit in zip(executives, (LENIENT, STRICT), strict=False):
        habits[user.id] = habit
    people = _Approvers(team_manager, vp, desk, executives, habits)
    people.principals = {u.id: principal_of(u) for u in demo.users if u.id in habits}
    people.owner_team = {u.id: u.team_id for u in demo.users if u.team_id is not None}
    return people


def _habit_table(people: _Approvers) -> list[tuple[User, Habit]]:
    users = [*people.team_manager.values(), *people.vp.values(), *people.desk, *people.executives]
    seen: dict[int, User] = {u.id: u for u in users}
    return [(u, people.habits[u.id]) for u in seen.values()]


def _backdate(session: Session, times: dict[int, list[datetime]], start: datetime) -> None:
    """Every request and event at the moment planned for it (the services stamped now)."""
    events: dict[int, list[int]] = defaultdict(list)
    for event_id, request_id in session.execute(
        select(PriceRequestEvent.id, PriceRequestEvent.request_id).order_by(PriceRequestEvent.id)
    ):
        events[request_id].append(event_id)
    event_rows = []
    request_rows = []
    states = dict(session.execute(select(PriceRequest.id, PriceRequest.state)).tuples().all())
    for request_id, clock in times.items():
        ids = events[request_id]
        if len(ids) != len(clock):
            raise RuntimeError(f"demo price request {request_id}: {len(ids)} events")
        event_rows += [{"id": i, "at": at} for i, at in zip(ids, clock, strict=True)]
        decided = clock[-1] if states[request_id] != State.PENDING else None
        request_rows.append(
            {
                "id": request_id,
                "created_at": clock[0],
                "updated_at": clock[-1],
                "decided_at": decided,
            }
        )
    if event_rows:
        session.execute(update(PriceRequestEvent), event_rows)
        session.execute(update(PriceRequest), request_rows)
    session.execute(update(PricePolicy).where(PricePolicy.version == 1).values(created_at=start))
