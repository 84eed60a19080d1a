"""Reading price requests: one with its evidence and history, an approver's queue, a seller's
inbox, a deal's requests, and the desk's list. Every read is limited to what the caller sees."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from valuescout.core.models import utcnow
from valuescout.core.pagination import Page, PageRequest
from valuescout.core.sql_sets import id_filters
from valuescout.deals.access import visible_opportunity
from valuescout.deals.models import Account, Opportunity, Product, Stage
from valuescout.identity.models import User
from valuescout.identity.principal import Principal
from valuescout.identity.roles import Permission
from valuescout.identity.scope import team_member_ids
from valuescout.pricing import approvers, workflow
from valuescout.pricing.access import scoped, visible_request
from valuescout.pricing.models import (
    PricePolicy,
    PriceRequest,
    PriceRequestEvent,
    PriceRequestLine,
)
from valuescout.pricing.policy import ApproverRole
from valuescout.pricing.schemas import (
    EventOut,
    PriceRequestDetail,
    PriceRequestOut,
    RequestLineOut,
)
from valuescout.pricing.workflow import Move, State

_Requester = aliased(User)


def _base() -> Any:
    return (
        select(PriceRequest, Opportunity.name, Account.name, _Requester.full_name)
        .join(Opportunity, Opportunity.id == PriceRequest.opportunity_id)
        .outerjoin(Account, Account.id == Opportunity.account_id)
        .join(_Requester, _Requester.id == PriceRequest.requester_id)
    )


def _age_days(created: datetime, decided: datetime | None) -> int:
    end = decided or utcnow()
    return max(0, (end - created).days)


def _out(request: PriceRequest, opp_name: str, account: str | None, requester: str) -> Any:
    return PriceRequestOut(
        id=request.id,
        opportunity_id=request.opportunity_id,
        opportunity_name=opp_name,
        account_name=account,
        requester_id=request.requester_id,
        requester_name=requester,
        owner_id=request.owner_id,
        state=State(request.state),
        step=request.step,
        route=list(request.route),
        waiting_for=request.waiting_role,
        reason=request.reason,
        currency=request.currency,
        list_price=request.list_price,
        price_before=request.price_before,
        requested_price=request.requested_price,
        requested_discount=request.requested_discount,
        counter_price=request.counter_price,
        approved_price=request.approved_price,
        created_at=request.created_at,
        decided_at=request.decided_at,
        age_days=_age_days(request.created_at, request.decided_at),
        version=request.version,
    )


def moves_for(session: Session, principal: Principal, request: PriceRequest) -> list[Move]:
    allowed = workflow.allowed(State(request.state))
    moves: list[Move] = []
    if allowed & workflow.APPROVER_MOVES and approvers.acting_authority(
        session, principal, request, utcnow().date()
    ):
        moves += [m for m in (Move.APPROVE, Move.COUNTER, Move.REJECT) if m in allowed]
    if principal.user_id == request.requester_id:
        moves += [m for m in (Move.ACCEPT, Move.WITHDRAW) if m in allowed]
    return moves


def detail(session: Session, principal: Principal, request_id: int) -> PriceRequestDetail:
    request = visible_request(session, principal, request_id)
    row = session.execute(_base().where(PriceRequest.id == request.id)).one()
    summary = _out(*row)
    lines = [
        RequestLineOut(
            line_id=line.line_id,
            product_id=line.product_id,
            product_name=name,
            quantity=line.quantity,
            list_price=line.list_price,
            net_price_before=line.net_price_before,
            requested_net_price=line.requested_net_price,
        )
        for line, name in session.execute(
            select(PriceRequestLine, Product.name)
            .join(Product, Product.id == PriceRequestLine.product_id)
            .where(PriceRequestLine.request_id == request.id)
            .order_by(PriceRequestLine.id)
        )
    ]
    events = [
        EventOut.model_validate(e, from_attributes=True)
        for e in session.scalars(
            select(PriceRequestEvent)
            .where(PriceRequestEvent.request_id == request.id)
            .order_by(PriceRequestEvent.id)
        )
    ]
    version = None
    if request.policy_id is not None:
        version = session.scalar(
            select(PricePolicy.version).where(PricePolicy.id == request.policy_id)
        )
    return PriceRequestDetail(
        **summary.model_dump(),
        justification=request.justification,
        replaces_id=request.replaces_id,
        policy_version=version,
        evidence=dict(request.evidence),
        decision=dict(request.decision),
        lines=lines,
        events=events,
        moves=moves_for(session, principal, request),
        final_price=_final_price(session, request),
    )


def _final_price(session: Session, request: PriceRequest) -> Any:
    """The deal's price once won: what the customer pays, next to requested and approved."""
    row = session.execute(
        select(Opportunity.amount, Stage.outcome)
        .join(Stage, Stage.id == Opportunity.stage_id)
        .where(Opportunity.id == request.opportunity_id)
    ).one_or_none()
    return row[0] if row is not None and row[1] == "won" else None


@dataclass(frozen=True)
class RequestFilter:
    state: State | None = None
    opportunity_id: int | None = None
    requester_id: int | None = None


def requests(
    session: Session, principal: Principal, flt: RequestFilter, page: PageRequest
) -> Page[PriceRequestOut]:
    """Requests the caller may see, newest first."""
    stmt, _ = scoped(session, principal, _base())
    if flt.state is not None:
        stmt = stmt.where(PriceRequest.state == flt.state.value)
    if flt.opportunity_id is not None:
        visible_opportunity(session, principal, flt.opportunity_id)
        stmt = stmt.where(PriceRequest.opportunity_id == flt.opportunity_id)
    if flt.requester_id is not None:
        stmt = stmt.where(PriceRequest.requester_id == flt.requester_id)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.execute(
        stmt.order_by(PriceRequest.created_at.desc(), PriceRequest.id.desc())
        .limit(page.limit)
        .offset(page.offset)
    ).all()
    return Page(items=[_out(*r) for r in rows], total=total, limit=page.limit, offset=page.offset)


def inbox(session: Session, principal: Principal, page: PageRequest) -> Page[PriceRequestOut]:
    """The caller's own requests, newest first: outcomes, counter-offers to answer."""
    return requests(session, principal, RequestFilter(requester_id=principal.user_id), page)


def queue(session: Session, principal: Principal, today: date | None = None) -> list[Any]:
    """Pending requests the caller may decide now (their own authority or a delegation),
    oldest first: the longest waiting on top."""
    return _outs(session, _queue_ids(session, principal, today))


def queue_page(
    session: Session, principal: Principal, page: PageRequest, today: date | None = None
) -> Page[PriceRequestOut]:
    """One page of `queue`: a busy desk's queue holds hundreds of requests, and only the
    page shown is read in full."""
    ids = _queue_ids(session, principal, today)
    shown = ids[page.offset : page.offset + page.limit]
    return Page(items=_outs(session, shown), total=len(ids), limit=page.limit, offset=page.offset)


def _queue_ids(session: Session, principal: Principal, today: date | None) -> list[int]:
    """The ids of the queue's requests, oldest first (two columns read per authority)."""
    principal.require(Permission.SEE_MONEY)
    today = today or utcnow().date()
    found: dict[int, datetime] = {}
    for authority in approvers.authorities(session, principal, today):
        role = approvers.step_role(authority.role)
        if role is None:
            continue
        stmt = select(PriceRequest.id, PriceRequest.created_at).where(
            PriceRequest.state == State.PENDING.value,
            PriceRequest.waiting_role == role.value,
            PriceRequest.requester_id.not_in([principal.user_id, authority.user_id]),
            PriceRequest.owner_id.not_in([principal.user_id, authority.user_id]),
        )
        if authority.team_id is not None and role == ApproverRole.MANAGER:
            stmt = stmt.where(
                PriceRequest.owner_id.in_(team_member_ids(session, authority.team_id))
            )
        elif role == ApproverRole.MANAGER:
            continue
        found.update((rid, created) for rid, created in session.execute(stmt))
    return [rid for rid, _ in sorted(found.items(), key=lambda item: (item[1], item[0]))]


def _outs(session: Session, ids: list[int]) -> list[Any]:
    """The summaries of requests by id, in the order of `ids`."""
    by_id = {}
    for condition in id_filters(session, PriceRequest.id, ids):
        for row in session.execute(_base().where(condition)):
            by_id[row[0].id] = _out(*row)
    return [by_id[rid] for rid in ids if rid in by_id]
