"""The interaction log: record a meeting (call, email, visit, event) and read it back.

Who may log: everyone customer-facing - sellers, managers, contributors, executives and
admins; the price desk does not meet customers (403). A contributor owns no deals, so they
pick any account or opportunity by name (they see names only, never money); everyone else
logs against records in their row scope (others answer 404).

Who may read: the row scope on the author (identity/scope.py): a seller and a contributor
their own interactions, a manager their team's, price desk, executives and admins all.

Saving a meeting, visit or call (a live conversation; not an email or an event) on an
opportunity moves its last meeting forward through the deals service, so the deal's history
(and the forecast's engagement) records it (service_meetings.py). A stakeholder marked as an
ally and linked to a contact makes that contact an ally in the account's buying team (through
the deals service, audited); nothing un-marks a contact automatically.

Editing and deleting: service_edit.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from valuescout.conversations import quality, service_meetings
from valuescout.conversations.models import (
    CallPlan,
    Interaction,
    InteractionInsight,
    InteractionOutcome,
    InteractionQuestion,
    InteractionStakeholder,
)
from valuescout.conversations.schemas import (
    InsightIn,
    InteractionIn,
    InteractionOut,
    InteractionSummary,
    OutcomeIn,
    QualityPartOut,
    QuestionIn,
    StakeholderIn,
)
from valuescout.core import audit
from valuescout.core.errors import Forbidden, Invalid, NotFound
from valuescout.core.pagination import PageRequest
from valuescout.deals import accounts as deals_accounts
from valuescout.deals.access import account_visible, visible_account, visible_opportunity
from valuescout.deals.models import Account, Contact, Opportunity
from valuescout.identity.models import User
from valuescout.identity.principal import Principal
from valuescout.identity.roles import Permission, Role
from valuescout.identity.scope import scope_for
from valuescout.valuenet.models import NetworkNode

ENTITY = "interaction"
NOT_CUSTOMER_FACING = frozenset({Role.PRICE_DESK})


def require_logger(principal: Principal) -> None:
    if principal.role in NOT_CUSTOMER_FACING:
        raise Forbidden("Only customer-facing roles log interactions.")


def pickable_opportunity(session: Session, principal: Principal, opp_id: int) -> Opportunity:
    """An opportunity the caller may log against (a contributor: any, by name)."""
    if principal.role == Role.CONTRIBUTOR:
        opp = session.get(Opportunity, opp_id)
        if opp is None:
            raise NotFound(f"Opportunity {opp_id} not found.", field="opportunity_id")
        return opp
    return visible_opportunity(session, principal, opp_id)


def pickable_account(session: Session, principal: Principal, account_id: int) -> Account:
    if principal.role == Role.CONTRIBUTOR:
        account = session.get(Account, account_id)
        if account is None:
            raise NotFound(f"Account {account_id} not found.", field="account_id")
        return account
    return visible_account(session, principal, account_id)


def _place(
    session: Session, principal: Principal, data: InteractionIn
) -> tuple[int | None, Opportunity | None]:
    """The account and the opportunity the interaction is on, checked."""
    opp = (
        pickable_opportunity(session, principal, data.opportunity_id)
        if data.opportunity_id
        else None
    )
    account_id = data.account_id
    if account_id is not None:
        pickable_account(session, principal, account_id)
        if opp is not None and opp.account_id is not None and opp.account_id != account_id:
            raise Invalid("That opportunity belongs to another account.", field="account_id")
    elif opp is not None:
        account_id = opp.account_id
    if data.call_plan_id is not None:
        plan = session.get(CallPlan, data.call_plan_id)
        if plan is None or opp is None or plan.opportunity_id != opp.id:
            raise Invalid(
                f"Call plan {data.call_plan_id} is not a plan of this opportunity.",
                field="call_plan_id",
            )
    return account_id, opp


def _check_details(
    session: Session, data: InteractionIn, account_id: int | None, opp: Opportunity | None
) -> None:
    for i, s in enumerate(data.stakeholders):
        if s.contact_id is None:
            continue
        contact = session.get(Contact, s.contact_id)
        if contact is None or contact.account_id != account_id:
            raise Invalid(
                f"Contact {s.contact_id} is not a contact of this account.",
                field=f"stakeholders.{i}.contact_id",
            )
    network_id = opp.value_network_id if opp is not None else None
    for i, o in enumerate(data.outcomes):
        if o.outcome_id is None:
            continue
        node = session.get(NetworkNode, o.outcome_id)
        if (
            node is None
            or node.node_type != "outcome"
            or (network_id is not None and node.network_id != network_id)
        ):
            raise Invalid(
                f"Outcome {o.outcome_id} is not an outcome of this deal's value network.",
                field=f"outcomes.{i}.outcome_id",
            )


def counts_of(
    insights: Sequence[InsightIn],
    questions: Sequence[QuestionIn],
    stakeholders: Sequence[StakeholderIn],
    outcomes: Sequence[OutcomeIn],
) -> quality.Counts:
    """The value-quality counts of an interaction's details."""
    return quality.Counts(
        insights_offered=len(insights),
        expansion_questions=sum(q.kind == "expansion" for q in questions),
        qualification_questions=sum(q.kind == "qualification" for q in questions),
        allies_added=sum(s.is_ally for s in stakeholders),
        business_outcomes=sum(o.kind == "business" for o in outcomes),
        personal_outcomes=sum(o.kind == "personal" for o in outcomes),
        quantified_outcomes=sum(o.amount is not None for o in outcomes),
    )


def check_input(
    session: Session, principal: Principal, data: InteractionIn
) -> tuple[int | None, Opportunity | None]:
    """The account and opportunity, with the call plan, contacts and outcomes checked."""
    account_id, opp = _place(session, principal, data)
    _check_details(session, data, account_id, opp)
    return account_id, opp


def create_interaction(
    session: Session, principal: Principal, data: InteractionIn, today: date
) -> Interaction:
    require_logger(principal)
    if data.occurred_on > today:
        raise Invalid("occurred_on: the interaction cannot be in the future.", field="occurred_on")
    account_id, opp = check_input(session, principal, data)
    return insert_interaction(
        session, principal.actor, principal.user_id, principal.team_id, data, account_id, opp
    )


def insert_interaction(
    session: Session,
    actor: audit.Actor,
    author_id: int,
    team_id: int | None,
    data: InteractionIn,
    account_id: int | None,
    opp: Opportunity | None,
) -> Interaction:
    """Write a checked interaction, its details and score; move the deal's last meeting."""
    counts = counts_of(data.insights, data.questions, data.stakeholders, data.outcomes)
    row = Interaction(
        author_id=author_id,
        team_id=team_id,
        account_id=account_id,
        opportunity_id=opp.id if opp else None,
        call_plan_id=data.call_plan_id,
        occurred_on=data.occurred_on,
        kind=data.kind,
        notes=data.notes,
        quality_score=quality.score(counts).score,
        **counts.__dict__,
    )
    session.add(row)
    session.flush()
    add_details(session, actor, row, data)
    service_meetings.record(session, actor, row, opp)
    audit.record(
        session, actor, "interaction.created", ENTITY, row.id, {"score": row.quality_score}
    )
    return row


def add_details(
    session: Session, actor: audit.Actor, row: Interaction, data: InteractionIn
) -> None:
    """Write the detail rows; the contacts marked as allies become allies of the account."""
    session.add_all(InteractionInsight(interaction_id=row.id, text=i.text) for i in data.insights)
    session.add_all(
        InteractionQuestion(interaction_id=row.id, text=q.text, kind=q.kind, category=q.category)
        for q in data.questions
    )
    session.add_all(
        InteractionStakeholder(interaction_id=row.id, **s.model_dump()) for s in data.stakeholders
    )
    session.add_all(
        InteractionOutcome(interaction_id=row.id, **o.model_dump()) for o in data.outcomes
    )
    session.flush()
    allies = [s.contact_id for s in data.stakeholders if s.is_ally and s.contact_id is not None]
    deals_accounts.mark_allies(session, actor, allies, f"interaction {row.id}")


def may_change(session: Session, principal: Principal, row: Interaction) -> bool:
    """The author, or whoever may edit the interaction's deal (or account, without a deal)."""
    if row.author_id == principal.user_id:
        return True
    if not principal.can(Permission.EDIT_DEALS):
        return False
    scope = scope_for(session, principal)
    if row.opportunity_id is not None:
        opp = session.get(Opportunity, row.opportunity_id)
        return opp is not None and scope.allows_owner(opp.owner_id)
    account = session.get(Account, row.account_id) if row.account_id is not None else None
    return account is not None and account_visible(session, scope, account)


# --- reading -----------------------------------------------------------------------------------


def visible_interaction(session: Session, principal: Principal, interaction_id: int) -> Interaction:
    """Who wrote it, and whoever sees its deal's owner (the seller whose deal a contributor
    logged a meeting on reads it), see an interaction."""
    row = session.get(Interaction, interaction_id)
    scope = scope_for(session, principal)
    if row is not None and not scope.allows_owner(row.author_id):
        opp = session.get(Opportunity, row.opportunity_id) if row.opportunity_id else None
        if opp is None or not scope.allows_owner(opp.owner_id):
            row = None
    if row is None:
        raise NotFound(f"Interaction {interaction_id} not found.")
    return row


def _in_scope(session: Session, principal: Principal) -> Select[Interaction]:
    """Interactions the caller wrote or sees the author of, and those on deals they see."""
    scope = scope_for(session, principal)
    stmt = select(Interaction)
    if scope.owner_ids is None:
        return stmt
    on_deals = select(Opportunity.id).where(Opportunity.owner_id.in_(scope.owner_ids))
    return stmt.where(
        or_(
            Interaction.author_id.in_(scope.owner_ids),
            Interaction.opportunity_id.in_(on_deals),
        )
    )


def _names(session: Session, model: Any, ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    name = model.full_name if model is User else model.name
    return dict(session.execute(select(model.id, name).where(model.id.in_(wanted))).all())


def _summaries(session: Session, rows: list[Interaction]) -> list[InteractionSummary]:
    users = _names(session, User, {r.author_id for r in rows})
    accounts = _names(session, Account, {r.account_id for r in rows})
    opps = _names(session, Opportunity, {r.opportunity_id for r in rows})
    return [
        InteractionSummary(
            id=r.id,
            author_id=r.author_id,
            author_name=users.get(r.author_id, ""),
            account_id=r.account_id,
            account_name=accounts.get(r.account_id) if r.account_id else None,
            opportunity_id=r.opportunity_id,
            opportunity_name=opps.get(r.opportunity_id) if r.opportunity_id else None,
            call_plan_id=r.call_plan_id,
            occurred_on=r.occurred_on,
            kind=r.kind,
            quality_score=r.quality_score,
            insights_offered=r.insights_offered,
            expansion_questions=r.expansion_questions,
            qualification_questions=r.qualification_questions,
            allies_added=r.allies_added,
            business_outcomes=r.business_outcomes,
            personal_outcomes=r.personal_outcomes,
            quantified_outcomes=r.quantified_outcomes,
        )
        for r in rows
    ]


def list_interactions(
    session: Session,
    principal: Principal,
    page: PageRequest,
    opportunity_id: int | None = None,
) -> tuple[list[InteractionSummary], int]:
    """Newest first, within the caller's scope; with the total for paging."""
    stmt = _in_scope(session, principal)
    if opportunity_id is not None:
        stmt = stmt.where(Interaction.opportunity_id == opportunity_id)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(
        stmt.order_by(Interaction.occurred_on.desc(), Interaction.id.desc())
        .limit(page.limit)
        .offset(page.offset)
    ).all()
    return _summaries(session, list(rows)), total


def interaction_detail(
    session: Session, principal: Principal, interaction_id: int
) -> InteractionOut:
    row = visible_interaction(session, principal, interaction_id)
    summary = _summaries(session, [row])[0]

    def children(model: Any) -> list[Any]:
        return list(
            session.scalars(select(model).where(model.interaction_id == row.id).order_by(model.id))
        )

    counts = quality.Counts(**{k: getattr(row, k) for k in quality.Counts.__dataclass_fields__})
    people = children(InteractionStakeholder)
    contacts = _names(session, Contact, {p.contact_id for p in people})
    return InteractionOut(
        **summary.model_dump(),
        notes=row.notes,
        quality_parts=[QualityPartOut(**p.__dict__) for p in quality.score(counts).parts],
        insights=[InsightIn(text=i.text) for i in children(InteractionInsight)],
        questions=[
            QuestionIn(text=q.text, kind=q.kind, category=q.category)
            for q in children(InteractionQuestion)
        ],
        stakeholders=[
            StakeholderIn(
                contact_id=s.contact_id,
                name=s.name or contacts.get(s.contact_id, ""),
                title=s.title,
                is_ally=s.is_ally,
            )
            for s in people
        ],
        outcomes=[
            OutcomeIn(
                outcome_id=o.outcome_id, text=o.text, kind=o.kind, amount=o.amount, unit=o.unit
            )
            for o in children(InteractionOutcome)
        ],
        created_at=row.created_at,
        may_change=may_change(session, principal, row),
    )
