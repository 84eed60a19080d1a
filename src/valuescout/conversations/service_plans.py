"""Call plans: prepare one meeting on an opportunity from its value network.

The plan takes the attendees (contacts of the deal's account) and, through their personas,
the value message themes of the network (valuenet/messages.py), positioned against the
deal's competitor when it has one. From the outcomes those themes end at it suggests
expansion questions (callplan.py), lists the outcomes to quantify and says what a good
result looks like. The items are stored as text, so a plan reads the same later.

Preparing a meeting is working the deal: it needs Permission.EDIT_DEALS and the deal in the
caller's scope (404 otherwise). A plan is visible to its author and to whoever sees its
deal (so a manager sees their team's plans); sharing with the manager is the author's.
Editing and deleting: service_plans_edit.py.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from valuescout.conversations import callplan
from valuescout.conversations.models import CallPlan, CallPlanAttendee, CallPlanItem
from valuescout.conversations.schemas import CallPlanIn
from valuescout.core import audit
from valuescout.core.errors import Forbidden, Invalid, NotFound
from valuescout.core.models import utcnow
from valuescout.deals.access import editable_opportunity
from valuescout.deals.models import Contact, Opportunity
from valuescout.identity.principal import Principal
from valuescout.identity.scope import scope_for
from valuescout.valuenet import analysis, messages
from valuescout.valuenet.models import Competitor, NetworkNode, Persona

ENTITY = "call_plan"
MESSAGES_PER_PERSONA = 3
OUTCOMES_IN_PLAN = 4
DEFAULT_GOAL = (
    "Test our value hypotheses with the attendees and agree which outcomes to put figures on."
)


def attendees_of(session: Session, opp: Opportunity, ids: Sequence[int]) -> list[Contact]:
    contacts = []
    for contact_id in ids:
        contact = session.get(Contact, contact_id)
        if contact is None or opp.account_id is None or contact.account_id != opp.account_id:
            raise Invalid(
                f"Contact {contact_id} is not a contact of this opportunity's account.",
                field="attendee_ids",
            )
        contacts.append(contact)
    return contacts


def _outcome_infos(session: Session, network_id: int) -> dict[str, callplan.OutcomeInfo]:
    rows = session.scalars(
        select(NetworkNode)
        .where(NetworkNode.network_id == network_id, NetworkNode.node_type == "outcome")
        .order_by(NetworkNode.executive.desc(), NetworkNode.id)
    )
    return {n.name: callplan.OutcomeInfo(n.id, n.name, n.measure, n.unit) for n in rows}


def _personas_in(session: Session, network_id: int, contacts: Sequence[Contact]) -> list[Persona]:
    """The attendees' personas in the deal's network: a contact's persona from another
    network stands for the persona of the same name here, if there is one."""
    found = []
    for c in contacts:
        persona = session.get(Persona, c.persona_id) if c.persona_id else None
        if persona is not None and persona.network_id != network_id:
            persona = session.scalar(
                select(Persona).where(
                    Persona.network_id == network_id, Persona.name_key == persona.name_key
                )
            )
        if persona is not None:
            found.append(persona)
    return found


def plan_items(
    session: Session, opp: Opportunity, contacts: Sequence[Contact]
) -> list[CallPlanItem]:
    """Hypotheses per attendee persona, then the questions and outcomes to quantify."""
    if opp.value_network_id is None:
        return []
    network_id = opp.value_network_id
    graph = analysis.value_graph(session, network_id)
    infos = _outcome_infos(session, network_id)
    competitor = session.get(Competitor, opp.competitor_id) if opp.competitor_id else None
    against = competitor.name if competitor and competitor.network_id == network_id else None
    items: list[CallPlanItem] = []
    chosen: list[callplan.OutcomeInfo] = []
    seen_personas: set[int] = set()
    for persona in _personas_in(session, network_id, contacts):
        if persona.id in seen_personas:
            continue
        seen_personas.add(persona.id)
        themes = messages.value_messages(graph, persona.name, against, limit=MESSAGES_PER_PERSONA)
        for m in themes.messages:
            info = infos.get(m.outcome)
            items.append(
                CallPlanItem(
                    kind="hypothesis",
                    text=f"{persona.name}: {m.hypothesis}",
                    outcome_id=info.id if info else None,
                    persona_id=persona.id,
                )
            )
            if info and info not in chosen:
                chosen.append(info)
    if not chosen:  # nobody with a persona: the network's executive outcomes first
        chosen = list(infos.values())
    chosen = chosen[:OUTCOMES_IN_PLAN]
    for info in chosen:
        items.extend(
            CallPlanItem(kind="question", text=q.text, outcome_id=info.id)
            for q in callplan.expansion_questions(info)
        )
    items.extend(
        CallPlanItem(kind="quantify", text=callplan.quantify_line(info), outcome_id=info.id)
        for info in chosen
    )
    for position, item in enumerate(items):
        item.position = position
    return items


def default_good_result(session: Session, items: Sequence[CallPlanItem], attendees: int) -> str:
    """What a good result looks like, from the outcomes the plan asks to quantify."""
    quantified = [i for i in items if i.kind == "quantify"]
    names = [session.get(NetworkNode, i.outcome_id) for i in quantified if i.outcome_id]
    infos = [callplan.OutcomeInfo(n.id, n.name, n.measure, n.unit) for n in names if n]
    return callplan.good_result(infos, attendees)


def create_plan(session: Session, principal: Principal, data: CallPlanIn) -> CallPlan:
    opp = editable_opportunity(session, principal, data.opportunity_id)
    contacts = attendees_of(session, opp, data.attendee_ids)
    items = plan_items(session, opp, contacts)
    goal = data.goal or DEFAULT_GOAL
    plan = CallPlan(
        opportunity_id=opp.id,
        author_id=principal.user_id,
        meeting_on=data.meeting_on,
        goal=goal,
        good_result=data.good_result or default_good_result(session, items, len(contacts)),
    )
    session.add(plan)
    session.flush()
    session.add_all(
        CallPlanAttendee(call_plan_id=plan.id, contact_id=c.id, position=i)
        for i, c in enumerate(contacts)
    )
    for item in items:
        item.call_plan_id = plan.id
    session.add_all(items)
    session.flush()
    audit.record(
        session, principal.actor, "call_plan.created", ENTITY, plan.id, {"opportunity_id": opp.id}
    )
    return plan


def visible_plan(session: Session, principal: Principal, plan_id: int) -> CallPlan:
    plan = session.get(CallPlan, plan_id)
    if plan is not None and plan.author_id != principal.user_id:
        opp = session.get(Opportunity, plan.opportunity_id)
        if opp is None or not scope_for(session, principal).allows_owner(opp.owner_id):
            plan = None
    if plan is None:
        raise NotFound(f"Call plan {plan_id} not found.")
    return plan


def share_plan(session: Session, principal: Principal, plan_id: int) -> CallPlan:
    """Share with the manager for a preview (one click; sharing again changes nothing)."""
    plan = visible_plan(session, principal, plan_id)
    if plan.author_id != principal.user_id:
        raise Forbidden("Only the plan's author shares it with their manager.")
    if not plan.shared_with_manager:
        plan.shared_with_manager = True
        plan.shared_at = utcnow()
        session.flush()
        audit.record(session, principal.actor, "call_plan.shared", ENTITY, plan.id, {})
    return plan


def plans_query(
    session: Session,
    principal: Principal,
    *,
    opportunity_id: int | None = None,
    shared_by_others: bool = False,
) -> Select[CallPlan]:
    """Plans the caller may see (their own and those on deals in scope), newest meeting first.
    `shared_by_others`: only plans others shared for a preview (a manager's list)."""
    scope = scope_for(session, principal)
    stmt = select(CallPlan).join(Opportunity, Opportunity.id == CallPlan.opportunity_id)
    if scope.owner_ids is not None:
        stmt = stmt.where(
            or_(CallPlan.author_id == principal.user_id, Opportunity.owner_id.in_(scope.owner_ids))
        )
    if opportunity_id is not None:
        stmt = stmt.where(CallPlan.opportunity_id == opportunity_id)
    if shared_by_others:
        stmt = stmt.where(
            CallPlan.shared_with_manager.is_(True), CallPlan.author_id != principal.user_id
        )
    return stmt.order_by(CallPlan.meeting_on.desc(), CallPlan.id.desc())
