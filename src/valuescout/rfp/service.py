"""RFP records on opportunities, and their analysis.

Reading follows the deal's row scope (an RFP on a deal out of sight answers 404); recording
and changing needs Permission.EDIT_DEALS on a deal in scope. After every change the deal's
own `rfp_class` is set to its latest RFP's class (by receipt date), or "none" when it has no
RFP left, through the deals service, so the deal's audit trail and the forecast's RFP column
agree with the records. The analysis shows deal amounts, so it needs SEE_MONEY.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from valuescout.core import audit
from valuescout.core.errors import NotFound
from valuescout.deals import service as deals
from valuescout.deals import setup
from valuescout.deals.access import editable_opportunity, visible_opportunity
from valuescout.deals.models import LineItem, Opportunity
from valuescout.deals.schemas import OpportunityUpdate
from valuescout.deals.terms import RfpClass
from valuescout.identity.principal import Principal
from valuescout.identity.roles import Permission, Role
from valuescout.identity.scope import scope_for
from valuescout.rfp import analysis
from valuescout.rfp.models import RfpRecord
from valuescout.rfp.schemas import AnalysisOut, ClassOut, QuarterOut, RfpIn, RfpOut
from valuescout.rfp.terms import CLASS_LABELS

ENTITY = "rfp"
LIST_LIMIT = 1000
# The CLI operator has no account: they read every deal's RFPs with money, and change nothing.
OPERATOR = Principal(
    user_id=0, email="cli", full_name="Operator", role=Role.EXECUTIVE, team_id=None
)


def _fields(data: RfpIn) -> dict[str, Any]:
    fields = data.model_dump()
    fields["outcome"] = data.outcome.value
    return fields


def sync_class(session: Session, principal: Principal, opp: Opportunity) -> None:
    """The deal's rfp_class follows its latest RFP (history and audit through deals)."""
    latest = session.scalar(
        select(RfpRecord.engagement_class)
        .where(RfpRecord.opportunity_id == opp.id)
        .order_by(RfpRecord.received_on.desc(), RfpRecord.id.desc())
        .limit(1)
    )
    wanted = RfpClass(latest) if latest else RfpClass.NONE
    if opp.rfp_class != wanted.value:
        deals.update_opportunity(session, principal, opp.id, OpportunityUpdate(rfp_class=wanted))


def create_rfp(session: Session, principal: Principal, opp_id: int, data: RfpIn) -> RfpRecord:
    opp = editable_opportunity(session, principal, opp_id)
    row = RfpRecord(opportunity_id=opp.id, created_by_id=principal.user_id, **_fields(data))
    session.add(row)
    session.flush()
    audit.record(session, principal.actor, "rfp.recorded", ENTITY, row.id,
                 {"opportunity_id": opp.id, **data.model_dump(mode="json")})  # fmt: skip
    sync_class(session, principal, opp)
    return row


def _record(session: Session, principal: Principal, rfp_id: int) -> tuple[RfpRecord, Opportunity]:
    row = session.get(RfpRecord, rfp_id)
    if row is None:
        raise NotFound(f"RFP {rfp_id} not found.")
    try:
        opp = visible_opportunity(session, principal, row.opportunity_id)
    except NotFound:
        raise NotFound(f"RFP {rfp_id} not found.") from None
    return row, opp


def update_rfp(session: Session, principal: Principal, rfp_id: int, data: RfpIn) -> RfpRecord:
    """Replace the record's fields (the form and the API send the whole record)."""
    row, opp = _record(session, principal, rfp_id)
    principal.require(Permission.EDIT_DEALS)
    fields = _fields(data)
    before = {name: getattr(row, name) for name in fields}
    for name, value in fields.items():
        setattr(row, name, value)
    session.flush()
    delta = audit.diff(before, fields)
    if delta:
        audit.record(session, principal.actor, "rfp.updated", ENTITY, row.id, delta)
    sync_class(session, principal, opp)
    return row


def delete_rfp(session: Session, principal: Principal, rfp_id: int) -> None:
    row, opp = _record(session, principal, rfp_id)
    principal.require(Permission.EDIT_DEALS)
    session.delete(row)
    session.flush()
    audit.record(session, principal.actor, "rfp.deleted", ENTITY, rfp_id,
                 {"opportunity_id": opp.id})  # fmt: skip
    sync_class(session, principal, opp)


def rfp_out(session: Session, principal: Principal, rfp_id: int) -> RfpOut:
    row, opp = _record(session, principal, rfp_id)
    return RfpOut.model_validate(row).model_copy(update={"opportunity_name": opp.name})


def for_opportunity(session: Session, principal: Principal, opp_id: int) -> list[RfpOut]:
    opp = visible_opportunity(session, principal, opp_id)
    rows = session.scalars(
        select(RfpRecord)
        .where(RfpRecord.opportunity_id == opp.id)
        .order_by(RfpRecord.received_on.desc(), RfpRecord.id.desc())
    )
    return [
        RfpOut.model_validate(r).model_copy(update={"opportunity_name": opp.name}) for r in rows
    ]


def list_rfps(session: Session, principal: Principal) -> list[RfpOut]:
    """RFPs on the deals in the caller's scope, the latest received first."""
    stmt = (
        select(RfpRecord, Opportunity.name)
        .join(Opportunity, Opportunity.id == RfpRecord.opportunity_id)
        .order_by(RfpRecord.received_on.desc(), RfpRecord.id.desc())
        .limit(LIST_LIMIT)
    )
    stmt = scope_for(session, principal).filter(stmt, Opportunity.owner_id)
    return [
        RfpOut.model_validate(row).model_copy(update={"opportunity_name": name})
        for row, name in session.execute(stmt)
    ]


def analysis_rows(session: Session, principal: Principal) -> list[analysis.RfpRow]:
    lines = (
        select(
            LineItem.opportunity_id.label("opp_id"),
            func.sum(LineItem.quantity * LineItem.list_price).label("list_total"),
            func.sum(LineItem.quantity * LineItem.net_price).label("net_total"),
        )
        .group_by(LineItem.opportunity_id)
        .subquery()
    )
    stmt = (
        select(
            RfpRecord.id, RfpRecord.engagement_class, RfpRecord.received_on, RfpRecord.outcome,
            Opportunity.amount, lines.c.list_total, lines.c.net_total,
        )
        .join(Opportunity, Opportunity.id == RfpRecord.opportunity_id)
        .outerjoin(lines, lines.c.opp_id == Opportunity.id)
        .order_by(RfpRecord.id)
    )  # fmt: skip
    stmt = scope_for(session, principal).filter(stmt, Opportunity.owner_id)
    return [
        analysis.RfpRow(
            rfp_id=rid, engagement_class=cls, received_on=received, outcome=outcome,
            amount=Decimal(amount),
            list_total=None if list_total is None else Decimal(list_total),
            net_total=None if net_total is None else Decimal(net_total),
        )
        for rid, cls, received, outcome, amount, list_total, net_total in session.execute(stmt)
    ]  # fmt: skip


def _class_out(figures: analysis.ClassFigures) -> ClassOut:
    return ClassOut(label=CLASS_LABELS[figures.engagement_class], **vars(figures))


def analysis_out(result: analysis.RfpAnalysis, currency: str) -> AnalysisOut:
    return AnalysisOut(
        currency=currency,
        count=result.count,
        amount=result.amount,
        classes=[_class_out(c) for c in result.classes],
        quarters=[
            QuarterOut(quarter=q.quarter, count=q.count, amount=q.amount,
                       classes=[_class_out(c) for c in q.classes])
            for q in result.quarters
        ],
    )  # fmt: skip


def analyse(session: Session, principal: Principal) -> tuple[analysis.RfpAnalysis, AnalysisOut]:
    """The analysis of the RFPs in the caller's scope (contributors: 403, it shows money)."""
    principal.require(Permission.SEE_MONEY)
    result = analysis.analyse(analysis_rows(session, principal))
    return result, analysis_out(result, setup.settings(session).currency)
