"""Use cases for opportunities: one deal in full, create, change, delete (the pipeline list is
`service_pipeline`).

Every change of stage, amount and close date is kept in `opportunity_changes` with its time;
every change of any kind goes to the audit trail.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from valuescout.core import audit
from valuescout.core.errors import Conflict, Invalid, NotFound
from valuescout.core.models import utcnow
from valuescout.core.money import to_money
from valuescout.core.pagination import PageRequest
from valuescout.deals import lines as line_items
from valuescout.deals import valuecases
from valuescout.deals.access import (
    editable_opportunity,
    money,
    require_owner_allowed,
    visible_opportunity,
)
from valuescout.deals.account_schemas import ContactOut
from valuescout.deals.models import (
    Account,
    Contact,
    Opportunity,
    OpportunityChange,
    Stage,
    ValueCase,
)
from valuescout.deals.references import check_references, stage_by_id
from valuescout.deals.schemas import (
    ChangeOut,
    OpportunityDetail,
    OpportunityIn,
    OpportunityUpdate,
    PipelineOut,
    ValueCaseOut,
)
from valuescout.deals.service_pipeline import PipelineFilter, pipeline, pipeline_row
from valuescout.deals.terms import StageOutcome
from valuescout.identity.models import User
from valuescout.identity.principal import Principal
from valuescout.identity.roles import Permission, Role
from valuescout.identity.scope import scope_for

ENTITY = "opportunity"


def opportunity_detail(session: Session, principal: Principal, opp_id: int) -> OpportunityDetail:
    opp = visible_opportunity(session, principal, opp_id)
    scope = scope_for(session, principal)
    stage = stage_by_id(session, opp.stage_id)
    owner = session.get(User, opp.owner_id)
    account = session.get(Account, opp.account_id) if opp.account_id else None
    assert owner is not None
    row = pipeline_row(
        scope,
        opp,
        account.name if account else None,
        owner.full_name,
        stage.name,
        stage.outcome,
        stage.probability,
    )
    history = session.scalars(
        select(OpportunityChange)
        .where(OpportunityChange.opportunity_id == opp.id)
        .order_by(OpportunityChange.changed_at, OpportunityChange.id)
    ).all()
    contacts = (
        session.scalars(
            select(Contact).where(Contact.account_id == opp.account_id).order_by(Contact.name)
        ).all()
        if opp.account_id
        else []
    )
    has_case = session.scalar(select(ValueCase.id).where(ValueCase.opportunity_id == opp.id))
    return OpportunityDetail(
        **row.model_dump(),
        engaged_on=opp.engaged_on,
        value_network_id=opp.value_network_id,
        alternative_kind=opp.alternative_kind,
        alternative_name=opp.alternative_name,
        competitor_id=opp.competitor_id,
        alternative_price=money(scope, opp.alternative_price),
        rfp_class=opp.rfp_class,
        description=opp.description,
        last_meeting_on=opp.last_meeting_on,
        mutual_plan=opp.mutual_plan,
        lines=line_items.lines_out(session, scope, opp.id),
        history=[
            ChangeOut(
                field=h.field,
                old_value=None if h.field == "amount" and not scope.sees_money else h.old_value,
                new_value=None if h.field == "amount" and not scope.sees_money else h.new_value,
                changed_at=h.changed_at,
                actor_id=h.actor_id,
            )
            for h in history
        ],
        contacts=[ContactOut.model_validate(c) for c in contacts],
        has_value_case=has_case is not None,
    )


def _tracked(session: Session, opp: Opportunity) -> dict[str, str | None]:
    """The history-kept fields as the text the history shows. The buyer-engagement fields are
    kept too, so a forecast rebuilt for a past day knows the meetings and the plan of then."""
    return {
        "stage": stage_by_id(session, opp.stage_id).name,
        "amount": str(opp.amount),
        "close_date": opp.close_date.isoformat() if opp.close_date else None,
        "last_meeting": opp.last_meeting_on.isoformat() if opp.last_meeting_on else None,
        "mutual_plan": "agreed" if opp.mutual_plan else None,
    }


def _keep_history(
    session: Session,
    opp: Opportunity,
    before: dict[str, str | None],
    actor: audit.Actor,
) -> None:
    after = _tracked(session, opp)
    now = utcnow()
    for field, new in after.items():
        old = before.get(field)
        if old != new:
            session.add(
                OpportunityChange(
                    opportunity_id=opp.id,
                    field=field,
                    old_value=old,
                    new_value=new,
                    changed_at=now,
                    actor_id=actor.id,
                )
            )


def _audited(opp: Opportunity) -> dict[str, Any]:
    return {
        "name": opp.name,
        "account_id": opp.account_id,
        "owner_id": opp.owner_id,
        "stage_id": opp.stage_id,
        "probability": opp.probability,
        "close_date": opp.close_date,
        "deal_type": opp.deal_type,
        "currency": opp.currency,
        "amount": opp.amount,
        "value_network_id": opp.value_network_id,
        "alternative_kind": opp.alternative_kind,
        "alternative_name": opp.alternative_name,
        "competitor_id": opp.competitor_id,
        "alternative_price": opp.alternative_price,
        "rfp_class": opp.rfp_class,
        "description": opp.description,
        "last_meeting_on": opp.last_meeting_on,
        "mutual_plan": opp.mutual_plan,
    }


def create_opportunity(session: Session, principal: Principal, data: OpportunityIn) -> Opportunity:
    principal.require(Permission.EDIT_DEALS)
    owner_id = data.owner_id or principal.user_id
    require_owner_allowed(session, principal, owner_id)
    fields = data.model_dump(exclude={"lines", "amount", "owner_id"})
    if fields["stage_id"] is None:
        fields["stage_id"] = _first_open_stage(session).id
    check_references(session, principal, fields | {"owner_id": owner_id})
    owner = session.get(User, owner_id)
    assert owner is not None
    opp = Opportunity(**fields, owner_id=owner_id, team_id=owner.team_id)
    opp.amount = to_money(data.amount or 0)
    session.add(opp)
    session.flush()
    if data.lines:
        line_items.replace_lines(session, opp, data.lines)
    _keep_history(session, opp, {}, principal.actor)
    session.flush()
    audit.record(session, principal.actor, "opportunity.created", ENTITY, opp.id, _audited(opp))
    return opp


def update_opportunity(
    session: Session, principal: Principal, opp_id: int, data: OpportunityUpdate
) -> Opportunity:
    opp = editable_opportunity(session, principal, opp_id)
    changes = data.model_dump(exclude_unset=True)
    if "owner_id" in changes:
        require_owner_allowed(session, principal, changes["owner_id"])
    if "amount" in changes and line_items.has_lines(session, opp.id):
        raise Invalid(
            "This deal's amount is the sum of its line items; change the lines instead.",
            field="amount",
        )
    check_references(session, principal, {**_audited(opp), **changes})
    before, tracked = _audited(opp), _tracked(session, opp)
    for name, value in changes.items():
        setattr(opp, name, to_money(value) if name == "amount" else value)
    if "owner_id" in changes and changes["owner_id"] != before["owner_id"]:
        owner = session.get(User, opp.owner_id)
        opp.team_id = owner.team_id if owner else None
    opp.updated_at = utcnow()
    session.flush()
    _keep_history(session, opp, tracked, principal.actor)
    diff = audit.diff(before, _audited(opp))
    if diff:
        audit.record(session, principal.actor, "opportunity.updated", ENTITY, opp.id, diff)
    return opp


def record_meeting(session: Session, actor: audit.Actor, opp: Opportunity, day: date) -> bool:
    """A meeting with the customer on `day` (logged by the conversations domain, which has
    checked who may log it): a later last meeting is kept, in the deal's history too. An
    earlier one changes nothing. True when the deal changed."""
    if opp.last_meeting_on is not None and opp.last_meeting_on >= day:
        return False
    before, tracked = _audited(opp), _tracked(session, opp)
    opp.last_meeting_on = day
    opp.updated_at = utcnow()
    session.flush()
    _keep_history(session, opp, tracked, actor)
    audit.record(
        session, actor, "opportunity.updated", ENTITY, opp.id, audit.diff(before, _audited(opp))
    )
    return True


def correct_meeting(
    session: Session, actor: audit.Actor, opp: Opportunity, day: date | None
) -> bool:
    """Put the deal's last meeting back to `day` (None: no meeting on record) when the meeting
    that set it is withdrawn - an interaction deleted or moved to another day (the
    conversations domain has checked who may, and found the day). A new history entry, not a
    rewrite: a forecast rebuilt for a day in between still sees what was known then. True when
    the deal changed."""
    if opp.last_meeting_on == day:
        return False
    before, tracked = _audited(opp), _tracked(session, opp)
    opp.last_meeting_on = day
    opp.updated_at = utcnow()
    session.flush()
    _keep_history(session, opp, tracked, actor)
    audit.record(
        session, actor, "opportunity.updated", ENTITY, opp.id, audit.diff(before, _audited(opp))
    )
    return True


def set_lines(session: Session, principal: Principal, opp_id: int, lines: list[Any]) -> Opportunity:
    opp = editable_opportunity(session, principal, opp_id)
    tracked, before = _tracked(session, opp), line_items.snapshot(session, opp.id)
    line_items.replace_lines(session, opp, lines)
    opp.updated_at = utcnow()
    session.flush()
    _keep_history(session, opp, tracked, principal.actor)
    audit.record(
        session,
        principal.actor,
        "opportunity.lines_set",
        ENTITY,
        opp.id,
        {"before": before, "after": line_items.snapshot(session, opp.id)},
    )
    return opp


def delete_opportunity(session: Session, principal: Principal, opp_id: int) -> None:
    opp = editable_opportunity(session, principal, opp_id)
    record = _audited(opp)
    try:
        with session.begin_nested():
            session.execute(
                delete(OpportunityChange).where(OpportunityChange.opportunity_id == opp.id)
            )
            session.delete(opp)
            session.flush()
    except IntegrityError:
        # Records of other domains keep the deal (price requests are evidence of decisions).
        raise Conflict(
            "Other records keep this deal (price requests are kept as evidence of decisions); "
            "mark it lost instead of deleting it."
        ) from None
    audit.record(session, principal.actor, "opportunity.deleted", ENTITY, opp_id, record)


def _first_open_stage(session: Session) -> Stage:
    stage = session.scalar(
        select(Stage).where(Stage.outcome == StageOutcome.OPEN.value).order_by(Stage.position)
    )
    if stage is None:
        raise NotFound("No open stage is configured; an administrator must add one.")
    return stage


# --- the command line ------------------------------------------------------------------------

# An operator at the command line has no user account, so no Principal of their own (their
# changes are audited as `cli:<os user>`). They read as this built-in one: every deal with its
# money, as price desk and executives do, and no permission to change anything, so a change
# reached with it would be refused.
_OPERATOR = Principal(
    user_id=0, email="cli", full_name="Operator", role=Role.EXECUTIVE, team_id=None
)


def operator_pipeline(
    session: Session,
    *,
    stage_name: str | None = None,
    owner_email: str | None = None,
    limit: int = 50,
) -> PipelineOut:
    """The pipeline as an operator reads it: every deal, with money; by stage and owner."""
    stage_id = _stage_named(session, stage_name).id if stage_name is not None else None
    owner_id = _user_with_email(session, owner_email).id if owner_email is not None else None
    flt = PipelineFilter(stage_id=stage_id, owner_id=owner_id)
    return pipeline(session, _OPERATOR, flt, PageRequest(limit=limit))


def operator_opportunity(
    session: Session, opp_id: int
) -> tuple[OpportunityDetail, ValueCaseOut | None]:
    """One deal in full as an operator reads it, with its value case when it has one."""
    detail = opportunity_detail(session, _OPERATOR, opp_id)
    case = valuecases.value_case(session, _OPERATOR, opp_id) if detail.has_value_case else None
    return detail, case


def _stage_named(session: Session, name: str) -> Stage:
    stage = session.scalar(select(Stage).where(func.lower(Stage.name) == name.strip().lower()))
    if stage is None:
        known = ", ".join(s.name for s in session.scalars(select(Stage).order_by(Stage.position)))
        raise NotFound(f"No stage named {name!r}; the stages are: {known}.")
    return stage


def _user_with_email(session: Session, email: str) -> User:
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise NotFound(f"No user with the email {email!r}.")
    return user
