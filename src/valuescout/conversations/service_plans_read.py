"""Reading call plans: one plan with its attendees, items and the accepted value-scout
discoveries on its outcomes; lists of plans (a deal's, the caller's, those shared with a
manager)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from valuescout.conversations.models import CallPlan, CallPlanAttendee, CallPlanItem
from valuescout.conversations.schemas import (
    AttendeeOut,
    CallPlanOut,
    CallPlanSummary,
    DiscoveryHintOut,
    PlanItemOut,
)
from valuescout.conversations.service_plans import plans_query, visible_plan
from valuescout.conversations.service_plans_edit import may_change
from valuescout.deals.models import Account, Contact, Opportunity
from valuescout.deals.terms import ALTERNATIVE_LABELS, AlternativeKind
from valuescout.discoveries.service import accepted_for_outcomes
from valuescout.identity.models import User
from valuescout.identity.principal import Principal
from valuescout.valuenet.models import Competitor, Persona

MAX_PLANS = 200


def _alternative(session: Session, opp: Opportunity) -> str:
    kind = AlternativeKind(opp.alternative_kind)
    if kind == AlternativeKind.COMPETITOR:
        competitor = session.get(Competitor, opp.competitor_id) if opp.competitor_id else None
        name = competitor.name if competitor else opp.alternative_name
        return f"Competitor: {name}" if name else ALTERNATIVE_LABELS[kind]
    label = ALTERNATIVE_LABELS[kind]
    return f"{label}: {opp.alternative_name}" if opp.alternative_name else label


def _summary(session: Session, plan: CallPlan) -> CallPlanSummary:
    opp = session.get(Opportunity, plan.opportunity_id)
    author = session.get(User, plan.author_id)
    assert opp is not None and author is not None
    account = session.get(Account, opp.account_id) if opp.account_id else None
    return CallPlanSummary(
        id=plan.id,
        opportunity_id=opp.id,
        opportunity_name=opp.name,
        account_name=account.name if account else None,
        author_id=author.id,
        author_name=author.full_name,
        meeting_on=plan.meeting_on,
        goal=plan.goal,
        shared_with_manager=plan.shared_with_manager,
        shared_at=plan.shared_at,
        created_at=plan.created_at,
    )


def plan_detail(session: Session, principal: Principal, plan_id: int) -> CallPlanOut:
    plan = visible_plan(session, principal, plan_id)
    opp = session.get(Opportunity, plan.opportunity_id)
    assert opp is not None
    rows = session.execute(
        select(Contact, Persona)
        .join(CallPlanAttendee, CallPlanAttendee.contact_id == Contact.id)
        .outerjoin(Persona, Persona.id == Contact.persona_id)
        .where(CallPlanAttendee.call_plan_id == plan.id)
        .order_by(CallPlanAttendee.position)
    ).all()
    attendees = [
        AttendeeOut(
            contact_id=c.id,
            name=c.name,
            title=c.title,
            persona_id=p.id if p else None,
            persona=p.name if p else None,
        )
        for c, p in rows
    ]
    items = session.scalars(
        select(CallPlanItem)
        .where(CallPlanItem.call_plan_id == plan.id)
        .order_by(CallPlanItem.position, CallPlanItem.id)
    ).all()
    out = {
        kind: [
            PlanItemOut(kind=i.kind, text=i.text, outcome_id=i.outcome_id, persona_id=i.persona_id)
            for i in items
            if i.kind == kind
        ]
        for kind in ("hypothesis", "question", "quantify")
    }
    outcome_ids = {i.outcome_id for i in items if i.outcome_id is not None}
    hints = accepted_for_outcomes(session, outcome_ids)
    return CallPlanOut(
        **_summary(session, plan).model_dump(),
        good_result=plan.good_result,
        alternative=_alternative(session, opp),
        network_id=opp.value_network_id,
        attendees=attendees,
        hypotheses=out["hypothesis"],
        questions=out["question"],
        quantify=out["quantify"],
        discoveries=[DiscoveryHintOut(**h.__dict__) for h in hints],
        may_share=plan.author_id == principal.user_id and not plan.shared_with_manager,
        may_change=may_change(principal, plan),
    )


def list_plans(
    session: Session,
    principal: Principal,
    *,
    opportunity_id: int | None = None,
    shared_by_others: bool = False,
) -> list[CallPlanSummary]:
    stmt = plans_query(
        session, principal, opportunity_id=opportunity_id, shared_by_others=shared_by_others
    )
    return [_summary(session, p) for p in session.scalars(stmt.limit(MAX_PLANS))]
