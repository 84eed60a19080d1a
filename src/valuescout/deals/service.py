"""Use cases for opportunities: the pipeline list, one deal in full, create, change, delete.

Every change of stage, amount and close date is kept in `opportunity_changes` with its time;
every change of any kind goes to the audit trail.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from valuescout.core import audit
from valuescout.core.errors import Conflict, Invalid, NotFound
from valuescout.core.models import utcnow
from valuescout.core.money import to_money
from valuescout.core.pagination import PageRequest
from valuescout.core.text import like_escaped
from valuescout.deals import lines as line_items
from valuescout.deals import valuecases
from valuescout.deals.access import (
    editable_opportunity,
    money,
    require_owner_allowed,
    visible_opportunity,
)
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
    ContactOut,
    OpportunityDetail,
    OpportunityIn,
    OpportunityRow,
    OpportunityUpdate,
    PipelineOut,
    PipelineSort,
    StageTotal,
    ValueCaseOut,
)
from valuescout.deals.terms import DealType, StageOutcome
from valuescout.identity.hierarchy import subtree_ids
from valuescout.identity.models import Team, User
from valuescout.identity.principal import Principal
from valuescout.identity.roles import Permission, Role
from valuescout.identity.scope import Scope, scope_for

ENTITY = "opportunity"


@dataclass(frozen=True)
class PipelineFilter:
    q: str | None = None
    stage_id: int | None = None
    outcome: StageOutcome | None = None
    owner_id: int | None = None
    team_id: int | None = None
    account_id: int | None = None
    deal_type: DealType | None = None
    close_from: date | None = None
    close_to: date | None = None


_SORTS = {
    "close_date": Opportunity.close_date,
    "amount": Opportunity.amount,
    "name": Opportunity.name,
    "stage": Stage.position,
    "updated_at": Opportunity.updated_at,
}


_NULLABLE_SORTS = {"close_date"}


def _order(sort: str) -> tuple[Any, ...]:
    """ORDER BY for a sort key; missing close dates last. Only close dates can be missing: a
    NULLS LAST on the other columns would change nothing but keep the database from reading
    their index in order."""
    key = sort.lstrip("-")
    order = _SORTS[key].desc() if sort.startswith("-") else _SORTS[key].asc()
    return (order.nulls_last() if key in _NULLABLE_SORTS else order, Opportunity.id)


def _filtered(
    session: Session, scope: Scope, flt: PipelineFilter, stmt: Any, *, text_first: bool = False
) -> Any:
    """`stmt` limited to the scope and the filter. `text_first`: match the text in a subquery
    of ids, read once, so the database cannot walk an index and look up every row's name."""
    stmt = scope.filter(stmt, Opportunity.owner_id)
    if flt.q:
        pattern = f"%{like_escaped(flt.q.strip().lower())}%"
        text = _name_contains(session, pattern) | Opportunity.account_id.in_(
            select(Account.id).where(Account.name_key.like(pattern, escape="\\"))
        )
        if text_first:
            text = Opportunity.id.in_(select(Opportunity.id).where(text))
        stmt = stmt.where(text)
    if flt.stage_id is not None:
        stmt = stmt.where(Opportunity.stage_id == flt.stage_id)
    if flt.outcome is not None:
        # The stage ids themselves, so the database checks them inside an index scan instead
        # of joining the stage table for every deal it passes.
        ids = session.scalars(select(Stage.id).where(Stage.outcome == flt.outcome.value))
        stmt = stmt.where(Opportunity.stage_id.in_(list(ids)))
    if flt.owner_id is not None:
        stmt = stmt.where(Opportunity.owner_id == flt.owner_id)
    if flt.team_id is not None:
        edges = [(r[0], r[1]) for r in session.execute(select(Team.id, Team.parent_id))]
        stmt = stmt.where(Opportunity.team_id.in_(subtree_ids(edges, flt.team_id)))
    if flt.account_id is not None:
        stmt = stmt.where(Opportunity.account_id == flt.account_id)
    if flt.deal_type is not None:
        stmt = stmt.where(Opportunity.deal_type == flt.deal_type.value)
    if flt.close_from is not None:
        stmt = stmt.where(Opportunity.close_date >= flt.close_from)
    if flt.close_to is not None:
        stmt = stmt.where(Opportunity.close_date <= flt.close_to)
    return stmt


def _name_contains(session: Session, pattern: str) -> Any:
    """Deal names containing `pattern` (given in lower case), ignoring case. SQLite's LIKE
    ignores case already, for ASCII only, and its lower() folds only ASCII too, so the
    virtual lower-case column there changes no answer but doubles the scan; PostgreSQL's
    LIKE needs the lower-case name, which it stores."""
    if session.get_bind().dialect.name == "sqlite":
        return Opportunity.name.like(pattern, escape="\\")
    return Opportunity.name_key.like(pattern, escape="\\")


def _row_columns() -> tuple[Any, ...]:
    return (
        Opportunity,
        Account.name,
        User.full_name,
        Stage.name,
        Stage.outcome,
        Stage.probability,
    )


def _row(scope: Scope, opp: Opportunity, account: str | None, owner: str, *stage: Any) -> Any:
    stage_name, outcome, stage_probability = stage
    return OpportunityRow(
        id=opp.id,
        external_id=opp.external_id,
        name=opp.name,
        account_id=opp.account_id,
        account_name=account,
        owner_id=opp.owner_id,
        owner_name=owner,
        team_id=opp.team_id,
        stage_id=opp.stage_id,
        stage_name=stage_name,
        stage_outcome=StageOutcome(outcome),
        probability=opp.probability if opp.probability is not None else stage_probability,
        close_date=opp.close_date,
        deal_type=DealType(opp.deal_type),
        currency=opp.currency,
        amount=money(scope, opp.amount),
        updated_at=opp.updated_at,
    )


# A text search reads every deal's name. When it matches at most this many deals, that one
# read answers both the page (ordered in the database among those ids) and the totals. A
# broader search finds its page early in close-date order, and reads names once more for the
# totals (as a subquery: SQLite would otherwise follow the totals index row by row).
FEW_MATCHES = 2_000


def pipeline(
    session: Session,
    principal: Principal,
    flt: PipelineFilter,
    page: PageRequest,
    sort: PipelineSort = "close_date",
) -> PipelineOut:
    scope = scope_for(session, principal)
    if sort.lstrip("-") == "amount" and not scope.sees_money:
        sort = "close_date"  # the order of amounts is money too
    stages = list(session.scalars(select(Stage).order_by(Stage.position)))
    # The page's ids first, from the narrow columns the filters and the order need (an index
    # when one fits), then the full rows of those ids only: sorting or skipping wide joined
    # rows cost seconds at 100,000 deals (bench/deals_pipeline.py).
    ids = select(Opportunity.id)
    if sort.lstrip("-") == "stage":
        ids = ids.join(Stage, Stage.id == Opportunity.stage_id)
    matches = _few_matches(session, scope, flt) if flt.q else None
    if matches is None:
        ids = _filtered(session, scope, flt, ids)
        sums = _filtered(session, scope, flt, _SUMS, text_first=True)
        totals = _totals(scope, stages, session.execute(sums))
    else:
        ids = ids.where(Opportunity.id.in_([m[0] for m in matches]))
        totals = _totals(scope, stages, ((s, p, 1, a) for _, s, p, a in matches))
    page_ids = ids.order_by(*_order(sort)).limit(page.limit).offset(page.offset).subquery()
    rows = session.execute(
        select(*_row_columns())
        .join(page_ids, page_ids.c.id == Opportunity.id)
        .join(Stage, Stage.id == Opportunity.stage_id)
        .join(User, User.id == Opportunity.owner_id)
        .outerjoin(Account, Account.id == Opportunity.account_id)
        .order_by(*_order(sort))
    ).all()
    return PipelineOut(
        items=[_row(scope, *row) for row in rows],
        total=sum(t.count for t in totals),
        limit=page.limit,
        offset=page.offset,
        totals=totals,
        total_amount=money(scope, sum((t.amount or Decimal(0) for t in totals), Decimal(0))),
    )


# Count and amount per stage and deal's own probability: an index holds all three.
_SUMS = select(
    Opportunity.stage_id, Opportunity.probability, func.count(), func.sum(Opportunity.amount)
).group_by(Opportunity.stage_id, Opportunity.probability)


def _few_matches(
    session: Session, scope: Scope, flt: PipelineFilter
) -> list[tuple[int, int, Decimal | None, Decimal]] | None:
    """(id, stage, own probability, amount) of every match, or None when there are more than
    FEW_MATCHES (the read stops there)."""
    narrow = select(
        Opportunity.id, Opportunity.stage_id, Opportunity.probability, Opportunity.amount
    )
    found = session.execute(_filtered(session, scope, flt, narrow).limit(FEW_MATCHES + 1))
    matches = [(i, s, p, a) for i, s, p, a in found]
    return matches if len(matches) <= FEW_MATCHES else None


def _totals(scope: Scope, stages: list[Stage], sums: Iterable[Any]) -> list[StageTotal]:
    """Per stage: count, amount, and amount weighted by win probability (the deal's own, else
    its stage's), from (stage, own probability, count, amount) groups."""
    default = {stage.id: stage.probability for stage in stages}
    found: dict[int, tuple[int, Decimal, Decimal]] = {}
    for stage_id, probability, count, amount in sums:
        total = amount if isinstance(amount, Decimal) else Decimal(str(amount or 0))
        share = probability if probability is not None else default.get(stage_id, Decimal(0))
        before = found.get(stage_id, (0, Decimal(0), Decimal(0)))
        found[stage_id] = (before[0] + count, before[1] + total, before[2] + total * share)
    totals = []
    for stage in stages:
        count, amount, weighted = found.get(stage.id, (0, Decimal(0), Decimal(0)))
        totals.append(
            StageTotal(
                stage_id=stage.id,
                stage_name=stage.name,
                count=count,
                amount=money(scope, to_money(amount)),
                weighted=money(scope, to_money(weighted)),
            )
        )
    return totals


def opportunity_detail(session: Session, principal: Principal, opp_id: int) -> OpportunityDetail:
    opp = visible_opportunity(session, principal, opp_id)
    scope = scope_for(session, principal)
    stage = stage_by_id(session, opp.stage_id)
    owner = session.get(User, opp.owner_id)
    account = session.get(Account, opp.account_id) if opp.account_id else None
    assert owner is not None
    row = _row(
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
