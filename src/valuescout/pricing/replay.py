"""Replay past requests under another policy: which decisions would change, and how much
discount is at stake. Each request is judged on its frozen evidence, as it was when asked."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from valuescout.core.money import to_money
from valuescout.deals.models import Opportunity
from valuescout.identity.principal import Principal
from valuescout.identity.roles import Permission
from valuescout.pricing import evidence, policies
from valuescout.pricing import policy as pol
from valuescout.pricing.models import PriceRequest
from valuescout.pricing.schemas import ReplayChange, ReplayOut

MAX_CHANGES_LISTED = 200


def describe(action: str, route: list[str]) -> str:
    return f"route: {' > '.join(route)}" if action == pol.Action.ROUTE.value else action


def replay(session: Session, principal: Principal, source: str) -> ReplayOut:
    principal.require(Permission.MANAGE_PRICE_POLICY)
    return replay_all(session, source)


def replay_all(session: Session, source: str) -> ReplayOut:
    """Every stored request under `source` (Invalid when the policy is not valid)."""
    candidate = policies.parse_or_invalid(source)
    rows = session.execute(
        select(PriceRequest, Opportunity.name)
        .join(Opportunity, Opportunity.id == PriceRequest.opportunity_id)
        .order_by(PriceRequest.created_at.desc(), PriceRequest.id.desc())
        .execution_options(yield_per=1_000)
    )
    before_counts: Counter[str] = Counter()
    after_counts: Counter[str] = Counter()
    changes: list[ReplayChange] = []
    total = changed = 0
    at_stake = auto_before = auto_after = Decimal(0)
    for request, opp_name in rows:
        total += 1
        frozen = evidence.from_json(request.evidence)
        discount = to_money(request.list_price - request.requested_price)
        old = request.decision
        old_text = describe(old.get("action", ""), list(old.get("route", [])))
        new = pol.evaluate(candidate, frozen)
        new_text = describe(new.outcome.action.value, [r.value for r in new.outcome.route])
        before_counts[old.get("action", "")] += 1
        after_counts[new.outcome.action.value] += 1
        if old.get("action") == pol.Action.APPROVE.value:
            auto_before += discount
        if new.outcome.action == pol.Action.APPROVE:
            auto_after += discount
        if old_text == new_text:
            continue
        changed += 1
        at_stake += discount
        if len(changes) < MAX_CHANGES_LISTED:
            changes.append(
                ReplayChange(
                    request_id=request.id,
                    opportunity_name=opp_name,
                    created_at=request.created_at,
                    before=old_text,
                    after=new_text,
                    rule_before=old.get("fired_rule"),
                    rule_after=new.fired_rule,
                    discount_amount=discount,
                )
            )
    return ReplayOut(
        policy_name=candidate.name,
        requests=total,
        changed=changed,
        discount_at_stake=to_money(at_stake),
        by_action_before=dict(before_counts),
        by_action_after=dict(after_counts),
        auto_approved_discount_before=to_money(auto_before),
        auto_approved_discount_after=to_money(auto_after),
        changes=changes,
    )
