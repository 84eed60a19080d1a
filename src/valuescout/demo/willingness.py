"""The demo company's willingness-to-engage assessments and its kept reputation results.

Willingness: about four in five accounts assessed by their owner in the last five months,
a third of those also once before (a history), and about one open deal in five; drawn on
their own random stream (`random.Random(demo.seed + 8)`) so nothing else the demo makes moves.
The answers follow the accounts' deals, as a seller would answer them:
- an account that mostly renews (or mostly renews and expands) buys routinely, one with wins
  before has bought before (with stakes that vary most between such buyers), one with no win
  yet is new to it; the buying team's experience follows;
- a value case on its deals makes the solution look more innovative and the decision more
  strategic; its typical deal size against the company's sets the money at stake; a shaped
  RFP means executives watch;
- the other risks start from how new the purchase is, with a little noise.

Reputation: the company's scorecard kept at the end of each past quarter of the window, so the
trend reads kept results from the start.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from statistics import median
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from valuescout.assessments import reputation as rep
from valuescout.assessments import reputation_service
from valuescout.assessments import willingness as w
from valuescout.assessments.engagement_models import ReputationSnapshot, WillingnessAssessment
from valuescout.deals.models import Account, Opportunity, Stage, ValueCase
from valuescout.identity.scope import Scope

if TYPE_CHECKING:
    from valuescout.demo.generator import DemoCompany

ASSESSED_SHARE = 0.8
HISTORY_SHARE = 0.33
OPEN_DEAL_SHARE = 0.2


@dataclass
class Profile:
    deals: int = 0
    renewals: int = 0
    expansions: int = 0
    wins: int = 0
    with_case: int = 0
    shaped: int = 0
    amounts: list[Decimal] = field(default_factory=list)
    open_ids: list[int] = field(default_factory=list)


def _profiles(session: Session) -> dict[int, Profile]:
    cases = set(session.scalars(select(ValueCase.opportunity_id)))
    stmt = (
        select(
            Opportunity.id, Opportunity.account_id, Opportunity.deal_type, Opportunity.amount,
            Opportunity.rfp_class, Stage.outcome,
        )
        .join(Stage, Stage.id == Opportunity.stage_id)
        .where(Opportunity.account_id.is_not(None))
        .order_by(Opportunity.id)
    )  # fmt: skip
    out: dict[int, Profile] = defaultdict(Profile)
    for opp_id, account_id, deal_type, amount, rfp, outcome in session.execute(stmt):
        if account_id is None:
            continue
        p = out[account_id]
        p.deals += 1
        p.renewals += deal_type == "renewal"
        p.expansions += deal_type == "expansion"
        p.wins += outcome == "won"
        p.with_case += opp_id in cases
        p.shaped += rfp == "shaped"
        p.amounts.append(amount)
        if outcome == "open":
            p.open_ids.append(opp_id)
    return out


def _clamp(value: float) -> int:
    return max(1, min(5, round(value)))


def answers_for(rng: random.Random, p: Profile, typical: Decimal) -> dict[str, Any]:
    """A seller's answers for an account, following its deals (see the module's rules)."""
    repeat = (p.renewals + p.expansions) / p.deals if p.deals else 0.0
    if p.deals and (p.renewals / p.deals >= 0.5 or repeat >= 0.6) and rng.random() < 0.85:
        history, base, experience = "routine_rebuy", 1.5, 4.5
    elif p.wins and rng.random() < 0.85:
        # Bought before: how much is at stake varies most from one buyer to the next.
        history, base, experience = "bought_before", rng.uniform(1.4, 3.4), 3.4
    else:
        history, base, experience = "new_to_org", 3.5, 1.8
    valued = p.with_case > 0
    size = (median(p.amounts) / typical) if p.amounts and typical > 0 else Decimal(1)
    money = 1.5 + 1.5 * min(float(size), 2.0)
    return {
        "purchase_history": history,
        "solution_innovation": _clamp(1.8 + (0.8 if valued else 0) + rng.uniform(-1, 1)),
        "team_experience": _clamp(experience + rng.uniform(-1, 1)),
        "risk_implementation": _clamp(base + rng.uniform(-1, 1)),
        "risk_vendor": _clamp(base - 0.3 + rng.uniform(-1, 1)),
        "risk_change": _clamp(base + rng.uniform(-1.2, 1.2)),
        "risk_visibility": _clamp(base + (1.2 if p.shaped else 0) + rng.uniform(-1, 1)),
        "risk_strategic": _clamp(base + (0.8 if valued else -0.3) + rng.uniform(-1, 1)),
        "risk_financial": _clamp(money + rng.uniform(-0.7, 0.7)),
    }


def _nudge(rng: random.Random, answers: dict[str, Any]) -> dict[str, Any]:
    """The same buyer seen earlier or on one deal: one or two ratings a step apart."""
    out = dict(answers)
    for key in rng.sample([q.id for q in w.QUESTIONS if q.kind == w.Kind.RATING], 2):
        out[key] = _clamp(out[key] + rng.choice((-1, 1)))
    return out


def _assessment(
    answers: dict[str, Any], at: datetime, by: int | None, **subject: int
) -> WillingnessAssessment:
    r = w.score(answers)
    return WillingnessAssessment(
        assessed_at=at, assessed_by_id=by, answers=dict(r.answers), newness=r.newness,
        risk=r.risk, willingness=r.willingness, quadrant=r.quadrant.value,
        model=r.model.value, **subject,
    )  # fmt: skip


def seed_willingness(session: Session, demo: DemoCompany) -> None:
    """Willingness assessments on most accounts and some open deals; kept reputation results."""
    if session.scalar(select(WillingnessAssessment.id).limit(1)) is not None:
        return
    rng = random.Random(demo.seed + 8)
    profiles = _profiles(session)
    every = [a for p in profiles.values() for a in p.amounts]
    typical = median(every) if every else Decimal(1)
    noon = datetime.combine(demo.today, time(12), tzinfo=UTC)
    owners = dict(session.execute(select(Account.id, Account.owner_id).order_by(Account.id)).all())
    rows: list[WillingnessAssessment] = []
    for account_id in sorted(owners):
        if rng.random() >= ASSESSED_SHARE:
            continue
        p = profiles.get(account_id, Profile())
        answers = answers_for(rng, p, typical)
        when = noon - timedelta(days=rng.randint(1, 150))
        by = owners[account_id]
        if rng.random() < HISTORY_SHARE:
            earlier = when - timedelta(days=rng.randint(90, 200))
            rows.append(_assessment(_nudge(rng, answers), earlier, by, account_id=account_id))
        rows.append(_assessment(answers, when, by, account_id=account_id))
        for opp_id in p.open_ids:
            if rng.random() < OPEN_DEAL_SHARE:
                at = noon - timedelta(days=rng.randint(1, 60))
                rows.append(_assessment(_nudge(rng, answers), at, by, opportunity_id=opp_id))
    session.add_all(rows)
    session.flush()
    _keep_reputation(session, demo)


def _keep_reputation(session: Session, demo: DemoCompany) -> None:
    """The company's scorecard as it stood at the end of each past quarter of the window."""
    if session.scalar(select(ReputationSnapshot.id).limit(1)) is not None:
        return
    scope = Scope(reputation_service.OPERATOR, None)
    periods = reputation_service.window(demo.today)[:-1]
    start, end = periods[0].start, periods[-1].end
    deals = reputation_service.load_deals(session, scope, start, end)
    rfps = reputation_service.load_rfps(session, scope, start, end)
    for p in periods:
        score = rep.score_quarter(rep.Quarter(p.label, p.start, p.end), deals, rfps)
        taken = datetime.combine(p.end + timedelta(days=1), time(6), tzinfo=UTC)
        reputation_service.store(session, score, None, rep.DEFAULT_THRESHOLD, None, taken)
