"""JSON API for deals: opportunities with line items, accounts and contacts, value cases,
and the company's stage list, value-case defaults and products."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from valuescout.core.pagination import PageRequest
from valuescout.core.web.deps import DbSession
from valuescout.core.web.schemas import ERROR_RESPONSES, MAX_DB_ID, ListOut
from valuescout.deals import (
    accounts,
    service,
    service_pipeline,
    setup,
    valuecase_figures,
    valuecases,
)
from valuescout.deals.account_schemas import (
    AccountDetail,
    AccountIn,
    AccountOut,
    AccountUpdate,
    ContactIn,
    ContactOut,
    ContactUpdate,
)
from valuescout.deals.schema_types import IsoDate
from valuescout.deals.schemas import (
    FiguresOut,
    LinesSet,
    OpportunityDetail,
    OpportunityIn,
    OpportunityUpdate,
    OutcomeIn,
    OutcomeUpdate,
    PipelineOut,
    PipelineSort,
    ValueCaseOut,
    ValueCaseUpdate,
)
from valuescout.deals.setup_schemas import (
    DealSettingsOut,
    DealSettingsUpdate,
    ProductIn,
    ProductOut,
    StageOut,
    StagesSet,
)
from valuescout.deals.terms import DealType, StageOutcome
from valuescout.identity.deps import ApiPrincipal

router = APIRouter(prefix="/api/v1", tags=["deals"], responses=ERROR_RESPONSES)

Id = Annotated[int, Path(ge=1, le=MAX_DB_ID)]
Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]


class PipelineQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")
    q: Annotated[str | None, Field(max_length=100)] = None
    stage_id: Annotated[int | None, Field(ge=1, le=MAX_DB_ID)] = None
    outcome: StageOutcome | None = None
    owner_id: Annotated[int | None, Field(ge=1, le=MAX_DB_ID)] = None
    team_id: Annotated[int | None, Field(ge=1, le=MAX_DB_ID)] = None
    account_id: Annotated[int | None, Field(ge=1, le=MAX_DB_ID)] = None
    deal_type: DealType | None = None
    close_from: IsoDate | None = None
    close_to: IsoDate | None = None
    sort: PipelineSort = "close_date"
    limit: Annotated[int, Field(ge=1, le=200)] = 50
    offset: Annotated[int, Field(ge=0, le=10_000_000)] = 0


# --- opportunities -------------------------------------------------------------------------


@router.get("/opportunities", response_model=PipelineOut, summary="The pipeline, with totals")
def list_opportunities(
    principal: ApiPrincipal,
    session: DbSession,
    query: Annotated[PipelineQuery, Query()],
) -> PipelineOut:
    flt = service_pipeline.PipelineFilter(
        **query.model_dump(exclude={"sort", "limit", "offset"}),
    )
    page = PageRequest(limit=query.limit, offset=query.offset)
    return service_pipeline.pipeline(session, principal, flt, page, query.sort)


@router.post("/opportunities", response_model=OpportunityDetail, status_code=201)
def create_opportunity(
    principal: ApiPrincipal, session: DbSession, body: OpportunityIn
) -> OpportunityDetail:
    opp = service.create_opportunity(session, principal, body)
    return service.opportunity_detail(session, principal, opp.id)


@router.get("/opportunities/{opp_id}", response_model=OpportunityDetail)
def get_opportunity(principal: ApiPrincipal, session: DbSession, opp_id: Id) -> OpportunityDetail:
    return service.opportunity_detail(session, principal, opp_id)


@router.patch("/opportunities/{opp_id}", response_model=OpportunityDetail)
def update_opportunity(
    principal: ApiPrincipal, session: DbSession, opp_id: Id, body: OpportunityUpdate
) -> OpportunityDetail:
    service.update_opportunity(session, principal, opp_id, body)
    return service.opportunity_detail(session, principal, opp_id)


@router.put("/opportunities/{opp_id}/lines", response_model=OpportunityDetail)
def set_lines(
    principal: ApiPrincipal, session: DbSession, opp_id: Id, body: LinesSet
) -> OpportunityDetail:
    service.set_lines(session, principal, opp_id, body.lines)
    return service.opportunity_detail(session, principal, opp_id)


@router.delete("/opportunities/{opp_id}", status_code=204)
def delete_opportunity(principal: ApiPrincipal, session: DbSession, opp_id: Id) -> Response:
    service.delete_opportunity(session, principal, opp_id)
    return Response(status_code=204)


# --- value cases ---------------------------------------------------------------------------


class OutcomesPreview(BaseModel):
    model_config = ConfigDict(extra="forbid")
    outcomes: Annotated[list[OutcomeIn], Field(max_length=200)]


@router.get("/opportunities/{opp_id}/value-case", response_model=ValueCaseOut)
def get_value_case(principal: ApiPrincipal, session: DbSession, opp_id: Id) -> ValueCaseOut:
    return valuecases.value_case(session, principal, opp_id)


@router.post(
    "/opportunities/{opp_id}/value-case",
    response_model=ValueCaseOut,
    summary="Start the deal's value case (returns the existing one if started)",
)
def start_value_case(principal: ApiPrincipal, session: DbSession, opp_id: Id) -> ValueCaseOut:
    return valuecases.start_value_case(session, principal, opp_id)


@router.patch("/opportunities/{opp_id}/value-case", response_model=ValueCaseOut)
def update_value_case(
    principal: ApiPrincipal, session: DbSession, opp_id: Id, body: ValueCaseUpdate
) -> ValueCaseOut:
    return valuecases.update_value_case(session, principal, opp_id, body)


@router.post(
    "/opportunities/{opp_id}/value-case/outcomes", response_model=ValueCaseOut, status_code=201
)
def add_outcome(
    principal: ApiPrincipal, session: DbSession, opp_id: Id, body: OutcomeIn
) -> ValueCaseOut:
    return valuecases.add_outcome(session, principal, opp_id, body)


@router.patch(
    "/opportunities/{opp_id}/value-case/outcomes/{outcome_id}", response_model=ValueCaseOut
)
def update_outcome(
    principal: ApiPrincipal, session: DbSession, opp_id: Id, outcome_id: Id, body: OutcomeUpdate
) -> ValueCaseOut:
    return valuecases.update_outcome(session, principal, opp_id, outcome_id, body)


@router.delete(
    "/opportunities/{opp_id}/value-case/outcomes/{outcome_id}", response_model=ValueCaseOut
)
def remove_outcome(
    principal: ApiPrincipal, session: DbSession, opp_id: Id, outcome_id: Id
) -> ValueCaseOut:
    return valuecases.remove_outcome(session, principal, opp_id, outcome_id)


@router.post(
    "/opportunities/{opp_id}/value-case/preview",
    response_model=FiguresOut | None,
    summary="Figures for unsaved outcomes (nothing is written)",
)
def preview_value_case(
    principal: ApiPrincipal, session: DbSession, opp_id: Id, body: OutcomesPreview
) -> FiguresOut | None:
    return valuecase_figures.preview_figures(session, principal, opp_id, body.outcomes)


# --- accounts and contacts -----------------------------------------------------------------


@router.get("/accounts", response_model=ListOut[AccountOut])
def list_accounts(
    principal: ApiPrincipal,
    session: DbSession,
    limit: Limit = 50,
    offset: Offset = 0,
    q: Annotated[str | None, Query(max_length=100)] = None,
) -> ListOut[AccountOut]:
    page = accounts.list_accounts(session, principal, PageRequest(limit, offset), q)
    return ListOut[AccountOut](
        items=page.items, total=page.total, limit=page.limit, offset=page.offset
    )


@router.post("/accounts", response_model=AccountDetail, status_code=201)
def create_account(principal: ApiPrincipal, session: DbSession, body: AccountIn) -> AccountDetail:
    account = accounts.create_account(session, principal, body)
    return accounts.account_detail(session, principal, account.id)


@router.get("/accounts/{account_id}", response_model=AccountDetail)
def get_account(principal: ApiPrincipal, session: DbSession, account_id: Id) -> AccountDetail:
    return accounts.account_detail(session, principal, account_id)


@router.patch("/accounts/{account_id}", response_model=AccountDetail)
def update_account(
    principal: ApiPrincipal, session: DbSession, account_id: Id, body: AccountUpdate
) -> AccountDetail:
    accounts.update_account(session, principal, account_id, body)
    return accounts.account_detail(session, principal, account_id)


@router.delete("/accounts/{account_id}", status_code=204)
def delete_account(principal: ApiPrincipal, session: DbSession, account_id: Id) -> Response:
    accounts.delete_account(session, principal, account_id)
    return Response(status_code=204)


@router.post("/accounts/{account_id}/contacts", response_model=ContactOut, status_code=201)
def add_contact(
    principal: ApiPrincipal, session: DbSession, account_id: Id, body: ContactIn
) -> ContactOut:
    return ContactOut.model_validate(accounts.add_contact(session, principal, account_id, body))


@router.patch("/contacts/{contact_id}", response_model=ContactOut)
def update_contact(
    principal: ApiPrincipal, session: DbSession, contact_id: Id, body: ContactUpdate
) -> ContactOut:
    return ContactOut.model_validate(accounts.update_contact(session, principal, contact_id, body))


@router.delete("/contacts/{contact_id}", status_code=204)
def delete_contact(principal: ApiPrincipal, session: DbSession, contact_id: Id) -> Response:
    accounts.delete_contact(session, principal, contact_id)
    return Response(status_code=204)


# --- configuration -------------------------------------------------------------------------


@router.get("/deal-stages", response_model=list[StageOut])
def list_stages(principal: ApiPrincipal, session: DbSession) -> list[StageOut]:
    return [StageOut.model_validate(s) for s in setup.stages(session)]


@router.put("/deal-stages", response_model=list[StageOut], summary="Replace the stage list")
def set_stages(principal: ApiPrincipal, session: DbSession, body: StagesSet) -> list[StageOut]:
    return [StageOut.model_validate(s) for s in setup.set_stages(session, principal, body)]


@router.get("/deal-settings", response_model=DealSettingsOut)
def get_settings(principal: ApiPrincipal, session: DbSession) -> DealSettingsOut:
    return DealSettingsOut.model_validate(setup.settings(session))


@router.patch("/deal-settings", response_model=DealSettingsOut)
def update_settings(
    principal: ApiPrincipal, session: DbSession, body: DealSettingsUpdate
) -> DealSettingsOut:
    return DealSettingsOut.model_validate(setup.update_settings(session, principal, body))


@router.get("/products", response_model=list[ProductOut])
def list_products(principal: ApiPrincipal, session: DbSession) -> list[ProductOut]:
    return [setup.product_out(session, principal, p) for p in setup.products(session)]


@router.post("/products", response_model=ProductOut, status_code=201)
def create_product(principal: ApiPrincipal, session: DbSession, body: ProductIn) -> ProductOut:
    return setup.product_out(session, principal, setup.create_product(session, principal, body))


@router.put("/products/{product_id}", response_model=ProductOut)
def update_product(
    principal: ApiPrincipal, session: DbSession, product_id: Id, body: ProductIn
) -> ProductOut:
    product = setup.update_product(session, principal, product_id, body)
    return setup.product_out(session, principal, product)
