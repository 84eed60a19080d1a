"""JSON API of RFP records and RFP-engagement analysis.

GET /api/v1/rfps lists the RFPs on deals in the caller's scope; GET /analysis the analysis
(needs SEE_MONEY: contributors 403); GET/POST /api/v1/rfps/opportunities/{opp_id} reads and
records a deal's RFPs; GET/PUT/DELETE /api/v1/rfps/records/{id} one record (PUT sends it
whole).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from starlette.responses import Response

from valuescout.core.web.deps import DbSession
from valuescout.core.web.schemas import ERROR_RESPONSES, MAX_DB_ID
from valuescout.identity.deps import ApiPrincipal
from valuescout.rfp import service
from valuescout.rfp.schemas import AnalysisOut, RfpIn, RfpOut

router = APIRouter(prefix="/api/v1/rfps", tags=["rfp"], responses=ERROR_RESPONSES)

RecordId = Annotated[int, Path(ge=1, le=MAX_DB_ID)]


@router.get("", response_model=list[RfpOut], summary="RFPs on the deals in your scope")
def list_rfps(principal: ApiPrincipal, session: DbSession) -> list[RfpOut]:
    return service.list_rfps(session, principal)


@router.get("/analysis", response_model=AnalysisOut, summary="Share, win rate, realisation")
def analysis(principal: ApiPrincipal, session: DbSession) -> AnalysisOut:
    return service.analyse(session, principal)[1]


@router.get("/opportunities/{opp_id}", response_model=list[RfpOut], summary="A deal's RFPs")
def deal_rfps(principal: ApiPrincipal, session: DbSession, opp_id: RecordId) -> list[RfpOut]:
    return service.for_opportunity(session, principal, opp_id)


@router.post(
    "/opportunities/{opp_id}", response_model=RfpOut, status_code=201, summary="Record an RFP"
)
def create_rfp(
    principal: ApiPrincipal, session: DbSession, opp_id: RecordId, body: RfpIn
) -> RfpOut:
    row = service.create_rfp(session, principal, opp_id, body)
    return service.rfp_out(session, principal, row.id)


@router.get("/records/{rfp_id}", response_model=RfpOut, summary="One RFP")
def get_rfp(principal: ApiPrincipal, session: DbSession, rfp_id: RecordId) -> RfpOut:
    return service.rfp_out(session, principal, rfp_id)


@router.put("/records/{rfp_id}", response_model=RfpOut, summary="Replace an RFP's fields")
def update_rfp(
    principal: ApiPrincipal, session: DbSession, rfp_id: RecordId, body: RfpIn
) -> RfpOut:
    service.update_rfp(session, principal, rfp_id, body)
    return service.rfp_out(session, principal, rfp_id)


@router.delete("/records/{rfp_id}", status_code=204, summary="Delete an RFP")
def delete_rfp(principal: ApiPrincipal, session: DbSession, rfp_id: RecordId) -> Response:
    service.delete_rfp(session, principal, rfp_id)
    return Response(status_code=204)
