"""The pipeline list: the deals a caller may see, filtered, sorted and paged, with the totals
per stage (money only for who may see it)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from valuescout.core.money import to_money
from valuescout.core.pagination import PageRequest
from valuescout.core.text import like_escaped
from valuescout.deals.access import (
    money,
)
from valuescout.deals.models import (
    Account,
    Opportunity,
    Stage,
)
from valuescout.deals.schemas import (
    OpportunityRow,
    PipelineOut,
    PipelineSort,
    StageTotal,
)
from valuescout.deals.terms import DealType, StageOutcome
from valuescout.identity.hierarchy import subtree_ids
from valuescout.identity.models import Team, User
from valuescout.identity.principal import Principal
from valuescout.identity.scope import Scope, scope_for


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


def row_columns() -> tuple[Any, ...]:
    return (
        Opportunity,
        Account.name,
        User.full_name,
        Stage.name,
        Stage.outcome,
        Stage.probability,
    )


def pipeline_row(
    scope: Scope, opp: Opportunity, account: str | None, owner: str, *stage: Any
) -> Any:
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
        select(*row_columns())
        .join(page_ids, page_ids.c.id == Opportunity.id)
        .join(Stage, Stage.id == Opportunity.stage_id)
        .join(User, User.id == Opportunity.owner_id)
        .outerjoin(Account, Account.id == Opportunity.account_id)
        .order_by(*_order(sort))
    ).all()
    return PipelineOut(
        items=[pipeline_row(scope, *row) for row in rows],
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
