"""JSON API for discount and margin analytics over the system's own deals.

Every endpoint takes the same slice: `status` (won deals by default), a close-date period,
the currency, and `where` filters `DIM=VALUE` (repeatable; `DIM=` means no value).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from valuescout.analytics import service, service_approvers, service_comp
from valuescout.analytics.approvals import DecisionQuery
from valuescout.analytics.deal_source import DealLineQuery, DealStatus
from valuescout.analytics.schemas import (
    BandsOut,
    CompensationIn,
    CompensationOut,
    ConcentrationsOut,
    DiscountsOut,
    LeakageOut,
    LeniencyOut,
    OutliersOut,
    WaterfallsOut,
)
from valuescout.core.web.deps import DbSession
from valuescout.core.web.schemas import ERROR_RESPONSES
from valuescout.deals.schema_types import IsoDate
from valuescout.identity.deps import ApiPrincipal

router = APIRouter(prefix="/api/v1/analytics", tags=["analytics"], responses=ERROR_RESPONSES)

Dims = Annotated[list[str] | None, Query(max_length=10)]
Pairs = Annotated[
    list[str] | None,
    Query(max_length=10, description="DIM=VALUE, repeatable; DIM= means no value"),
]
Currency = Annotated[str | None, Query(min_length=3, max_length=3, pattern="^[A-Za-z]{3}$")]


def make_slice(
    status: DealStatus | None,
    start: date | None,
    end: date | None,
    currency: str | None,
    where: list[str] | None,
) -> service.Slice:
    deals = DealLineQuery(
        status=status or DealStatus.WON,
        start=start,
        end=end,
        currency=currency.upper() if currency else None,
    )
    return service.Slice(deals=deals, filters=service.parse_where(where))


def deal_slice(
    status: DealStatus = DealStatus.WON,
    start: IsoDate | None = None,
    end: IsoDate | None = None,
    currency: Currency = None,
    where: Pairs = None,
) -> service.Slice:
    return make_slice(status, start, end, currency, where)


SliceQuery = Annotated[service.Slice, Depends(deal_slice)]


@router.get("/discounts", response_model=DiscountsOut, summary="Discount and margin by group")
def discounts(
    principal: ApiPrincipal, session: DbSession, sl: SliceQuery, by: Dims = None
) -> DiscountsOut:
    return service.discounts(session, principal, sl, by or [])


@router.get("/waterfall", response_model=WaterfallsOut, summary="Price waterfall of a slice")
def waterfall(
    principal: ApiPrincipal, session: DbSession, sl: SliceQuery, compare: Pairs = None
) -> WaterfallsOut:
    return service.waterfalls(session, principal, sl, service.parse_where(compare, "compare"))


@router.get("/outliers", response_model=OutliersOut, summary="Peer-adjusted discount outliers")
def outliers(
    principal: ApiPrincipal,
    session: DbSession,
    sl: SliceQuery,
    actor: Annotated[str, Query(max_length=20)] = "rep",
) -> OutliersOut:
    return service.outliers(session, principal, sl, actor)


@router.get(
    "/concentration", response_model=ConcentrationsOut, summary="Concentration of discount $"
)
def concentration(
    principal: ApiPrincipal,
    session: DbSession,
    sl: SliceQuery,
    across: Dims = None,
    top: Annotated[int, Query(ge=1, le=100)] = 10,
) -> ConcentrationsOut:
    return service.concentration(session, principal, sl, across or ["customer", "rep"], top)


@router.get("/bands", response_model=BandsOut, summary="Pocket price band per product")
def bands(principal: ApiPrincipal, session: DbSession, sl: SliceQuery) -> BandsOut:
    return service.bands(session, principal, sl)


@router.get("/approvers", response_model=LeniencyOut, summary="Approver leniency against peers")
def approvers(
    principal: ApiPrincipal,
    session: DbSession,
    start: IsoDate | None = None,
    end: IsoDate | None = None,
    currency: Currency = None,
) -> LeniencyOut:
    query = DecisionQuery(start, end, currency.upper() if currency else None)
    return service_approvers.approver_leniency(session, principal, query)


@router.post(
    "/compensation",
    response_model=CompensationOut,
    summary="Replay the deals under compensation plans (a simulation: nothing is saved)",
)
def compensation(
    principal: ApiPrincipal, session: DbSession, sl: SliceQuery, body: CompensationIn
) -> CompensationOut:
    return service_comp.compare_plans(session, principal, sl, body.plans, body.quotas)


@router.get("/leakage", response_model=LeakageOut, summary="The leakage summary")
def leakage(
    principal: ApiPrincipal,
    session: DbSession,
    sl: SliceQuery,
    top: Annotated[int, Query(ge=1, le=50)] = 5,
) -> LeakageOut:
    return service.leakage(session, principal, sl, top)
