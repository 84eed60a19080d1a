"""The demo company's conversations: call plans on open deals and a few hundred logged
interactions with notes of varied quality, scored the way a seller's would be - the analyzer
proposes the fields from the notes, the quality module scores them.

Consistent with the deals' engagement history (demo/engagement.py): every seller interaction
on a deal falls on a day the deal's history already records a meeting (a `last_meeting`
change) in the last year, so saving it leaves the deal's last meeting as it was and the
forecasting demo does not move. Contributors log visits and events on accounts only.

Sellers differ: a seller's skill grows with their win rate on closed deals (plus noise), and
better sellers write better notes (more insights, expansion questions, outcomes named and
quantified, allies). Deterministic: drawn on a stream of its own, Random("<seed>-
conversations"), so nothing else the demo makes changes.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from valuescout.conversations import quality
from valuescout.conversations.analyzer import analyze
from valuescout.conversations.analyzer_types import OutcomeRef
from valuescout.conversations.callplan import OutcomeInfo, good_result
from valuescout.conversations.models import (
    CallPlan,
    CallPlanAttendee,
    Interaction,
    InteractionInsight,
    InteractionOutcome,
    InteractionQuestion,
    InteractionStakeholder,
)
from valuescout.conversations.service import counts_of
from valuescout.conversations.service_plans import DEFAULT_GOAL, plan_items
from valuescout.conversations.service_proposal import network_refs, propose
from valuescout.core.audit import Actor
from valuescout.core.models import Base, utcnow
from valuescout.deals.accounts import mark_allies
from valuescout.deals.models import Contact, Opportunity, OpportunityChange, Stage
from valuescout.demo.conversation_notes import Person, notes_for
from valuescout.identity.models import User
from valuescout.identity.roles import Role
from valuescout.valuenet.models import NetworkNode

if TYPE_CHECKING:
    from valuescout.demo.generator import DemoCompany

SELLER_INTERACTIONS = 300
CONTRIBUTOR_INTERACTIONS = 12  # each
PLANS = 48
SHARED_SHARE = 0.4
LOOKBACK = timedelta(days=365)
Details = dict[type[Base], list[dict[str, Any]]]  # detail model -> its rows' values
LIVE_KINDS = ("meeting",) * 6 + ("call",) * 3 + ("visit",)


@dataclass
class _Deal:
    id: int
    owner_id: int
    account_id: int | None
    network_id: int | None
    outcome: str
    days: list[date] = field(default_factory=list)


def _deals(session: Session, since: date) -> dict[int, _Deal]:
    rows = session.execute(
        select(
            Opportunity.id,
            Opportunity.owner_id,
            Opportunity.account_id,
            Opportunity.value_network_id,
            Stage.outcome,
        )
        .join(Stage, Stage.id == Opportunity.stage_id)
        .order_by(Opportunity.id)  # the draws below follow this order
    )
    deals = {
        r.id: _Deal(r.id, r.owner_id, r.account_id, r.value_network_id, r.outcome) for r in rows
    }
    met = session.execute(
        select(OpportunityChange.opportunity_id, OpportunityChange.new_value)
        .where(OpportunityChange.field == "last_meeting", OpportunityChange.new_value.is_not(None))
        .order_by(OpportunityChange.opportunity_id, OpportunityChange.id)
    )
    for opp_id, value in met:
        day = date.fromisoformat(value or "")
        if day >= since and opp_id in deals:
            deals[opp_id].days.append(day)
    return deals


def _skills(rng: random.Random, sellers: list[User], deals: dict[int, _Deal]) -> dict[int, float]:
    """0..1 per seller: the rank of their win rate, squeezed, plus noise."""
    won: dict[int, int] = defaultdict(int)
    closed: dict[int, int] = defaultdict(int)
    for d in deals.values():
        if d.outcome in ("won", "lost"):
            closed[d.owner_id] += 1
            won[d.owner_id] += d.outcome == "won"
    rates = sorted(sellers, key=lambda u: (won[u.id] / closed[u.id] if closed[u.id] else 0, u.id))
    n = max(1, len(rates) - 1)
    return {
        u.id: min(0.95, max(0.1, 0.2 + 0.6 * i / n + rng.gauss(0, 0.08)))
        for i, u in enumerate(rates)
    }


class _Network:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.nodes: dict[int, list[NetworkNode]] = {}
        self.references: dict[int | None, tuple[OutcomeRef, ...]] = {}

    def refs(self, network_id: int | None) -> tuple[OutcomeRef, ...]:
        """The analyzer's references with the network's context, as "propose from text"
        builds them (one load per network)."""
        if network_id not in self.references:
            self.references[network_id] = network_refs(
                self.session, network_id, self.outcomes(network_id)
            )
        return self.references[network_id]

    def outcomes(self, network_id: int | None) -> list[NetworkNode]:
        if network_id is None:
            return []
        if network_id not in self.nodes:
            self.nodes[network_id] = list(
                self.session.scalars(
                    select(NetworkNode)
                    .where(NetworkNode.network_id == network_id, NetworkNode.node_type == "outcome")
                    .order_by(NetworkNode.id)
                )
            )
        return self.nodes[network_id]


def _log(
    rng: random.Random,
    author: User,
    level: float,
    day: date,
    kind: str,
    deal: _Deal | None,
    account_id: int | None,
    contacts: list[Contact],
    nodes: list[NetworkNode],
    refs: tuple[OutcomeRef, ...] = (),
    plan_id: int | None = None,
) -> tuple[Interaction, Details]:
    """An interaction as the seller would confirm it from the analyzer's proposal; `contacts`:
    the account's, the first of them the customer met. Its last meeting is already in the
    deal's history, so the deal is left as it is."""
    business = [n.name for n in nodes if n.outcome_kind != "personal"]
    personal = [n.name for n in nodes if n.outcome_kind == "personal"]
    picked = rng.sample(business, min(3, len(business)))
    people = [Person(c.name, c.title) for c in contacts]
    customer = people[0] if people else None
    notes = notes_for(rng, level, author.full_name, customer, people[1:4], picked, personal)
    # the analyzer sees the network as "propose from text" shows it (`network_refs`)
    proposal = propose(analyze(notes, refs), nodes, contacts)
    # The seller confirms the contacts found (not unknown names) and marks allies.
    stakeholders = [
        s.model_copy(update={"is_ally": rng.random() < 0.8 * level})
        for s in proposal.stakeholders
        if s.contact_id is not None
    ]
    counts = counts_of(proposal.insights, proposal.questions, stakeholders, proposal.outcomes)
    row = Interaction(
        author_id=author.id,
        team_id=author.team_id,
        account_id=account_id,
        opportunity_id=deal.id if deal else None,
        call_plan_id=plan_id,
        occurred_on=day,
        kind=kind,
        notes=notes,
        quality_score=quality.score(counts).score,
        **counts.__dict__,
    )
    details = {
        InteractionInsight: [i.model_dump() for i in proposal.insights],
        InteractionQuestion: [q.model_dump() for q in proposal.questions],
        InteractionStakeholder: [s.model_dump() for s in stakeholders],
        InteractionOutcome: [o.model_dump() for o in proposal.outcomes],
    }
    return row, details


def _write(
    session: Session, logged: list[tuple[Interaction, Details]], by_id: dict[int, User]
) -> None:
    """Every interaction, then each kind of detail in one statement (the demo stays fast);
    then, as logging one through the service does, the contacts it named allies are marked
    so in their account's buying team (which the forecast's engagement reads)."""
    session.add_all(row for row, _ in logged)
    session.flush()
    for model in (
        InteractionInsight,
        InteractionQuestion,
        InteractionStakeholder,
        InteractionOutcome,
    ):
        rows = [{**d, "interaction_id": row.id} for row, details in logged for d in details[model]]
        if rows:
            session.execute(insert(model), rows)
    for row, details in logged:
        allies = [
            d["contact_id"]
            for d in details[InteractionStakeholder]
            if d["is_ally"] and d["contact_id"] is not None
        ]
        if allies:
            author = by_id[row.author_id]
            actor = Actor(author.id, author.email)
            mark_allies(session, actor, allies, f"interaction {row.id}")


def seed_conversations(session: Session, demo: DemoCompany) -> None:
    rng = random.Random(f"{demo.seed}-conversations")
    since = demo.today - LOOKBACK
    users = list(session.scalars(select(User).order_by(User.id)))
    by_id = {u.id: u for u in users}
    sellers = [u for u in users if u.role == Role.SELLER]
    deals = _deals(session, since)
    skills = _skills(rng, sellers, deals)
    contacts: dict[int, list[Contact]] = defaultdict(list)
    for c in session.scalars(select(Contact).order_by(Contact.account_id, Contact.id)):
        contacts[c.account_id].append(c)
    networks = _Network(session)

    plan_days = _seed_plans(session, rng, demo.today, deals, by_id, contacts, networks)
    meetings = sorted((d.id, day) for d in deals.values() if d.owner_id in skills for day in d.days)
    chosen = set(rng.sample(meetings, min(SELLER_INTERACTIONS, len(meetings))))
    chosen |= set(plan_days)
    logged: list[tuple[Interaction, Details]] = []
    for opp_id, day in sorted(chosen):
        deal = deals[opp_id]
        author = by_id[deal.owner_id]
        level = skills[author.id] + rng.gauss(0, 0.15)
        met = list(contacts.get(deal.account_id or 0, []))
        rng.shuffle(met)
        logged.append(
            _log(
                rng,
                author,
                level,
                day,
                rng.choice(LIVE_KINDS),
                deal,
                deal.account_id,
                met,
                networks.outcomes(deal.network_id),
                networks.refs(deal.network_id),
                plan_days.get((opp_id, day)),
            )
        )
    accounts = sorted(contacts)
    for contributor in (u for u in users if u.role == Role.CONTRIBUTOR):
        for _ in range(CONTRIBUTOR_INTERACTIONS):
            account_id = rng.choice(accounts)
            day = demo.today - timedelta(days=rng.randint(1, 360))
            logged.append(
                _log(
                    rng,
                    contributor,
                    rng.uniform(0.1, 0.6),
                    day,
                    rng.choice(("visit", "event")),
                    None,
                    account_id,
                    contacts[account_id],
                    [],
                )
            )
    _write(session, logged, by_id)
    session.flush()


def _seed_plans(
    session: Session,
    rng: random.Random,
    today: date,
    deals: dict[int, _Deal],
    users: dict[int, User],
    contacts: dict[int, list[Contact]],
    networks: _Network,
) -> dict[tuple[int, date], int]:
    """Plans on open deals with a network: a third for a meeting already held (its
    interaction links to it), the rest for one in the next three weeks. Returns the held
    meetings' (deal, day) -> plan id."""
    candidates = [
        d
        for d in deals.values()
        if d.outcome == "open"
        and d.network_id
        and d.account_id
        and d.owner_id in users
        and users[d.owner_id].role == Role.SELLER
    ]
    held: dict[tuple[int, date], int] = {}
    for deal in rng.sample(candidates, min(PLANS, len(candidates))):
        past = bool(deal.days) and rng.random() < 1 / 3
        day = deal.days[-1] if past else today + timedelta(days=rng.randint(1, 21))
        people = [c for c in contacts[deal.account_id or 0] if c.persona_id]
        attendees = rng.sample(people, min(len(people), 2))
        opp = session.get(Opportunity, deal.id)
        assert opp is not None
        shared = rng.random() < SHARED_SHARE
        plan = CallPlan(
            opportunity_id=deal.id,
            author_id=deal.owner_id,
            meeting_on=day,
            goal=DEFAULT_GOAL,
            good_result="",
            shared_with_manager=shared,
            shared_at=utcnow() if shared else None,
        )
        session.add(plan)
        session.flush()
        items = plan_items(session, opp, attendees)
        nodes = {n.id: n for n in networks.outcomes(deal.network_id)}
        quantify = [
            OutcomeInfo(n.id, n.name, n.measure, n.unit)
            for n in (nodes.get(i.outcome_id or 0) for i in items if i.kind == "quantify")
            if n is not None
        ]
        plan.good_result = good_result(quantify, len(attendees))
        session.add_all(
            CallPlanAttendee(call_plan_id=plan.id, contact_id=c.id, position=i)
            for i, c in enumerate(attendees)
        )
        for item in items:
            item.call_plan_id = plan.id
        session.add_all(items)
        if past:
            held[(deal.id, day)] = plan.id
    session.flush()
    return held
