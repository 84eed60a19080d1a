"""JSON API of willingness-to-engage assessments and the sales-reputation check.

Willingness: the questions; scoring answers without keeping them; an account's or an
opportunity's latest assessment and history (row scope: out of sight is 404) and a new one
(Permission.EDIT_DEALS: 201); the portfolio over the caller's scope (VIEW_ANALYTICS).
Reputation (VIEW_ANALYTICS, scoped like analytics): the scorecard of the last six quarters
with trends and the reading (`threshold`: the discount above which a won deal counts as
discount-dependent, default 0.20), and snapshots kept with their time.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Path, Query

from valuescout.assessments import reputation_service, willingness_service
from valuescout.assessments.engagement_schemas import (
    AnswersIn,
    PortfolioOut,
    QuestionOut,
    ReputationOut,
    ReputationSnapshotIn,
    ReputationSnapshotOut,
    ScoreOut,
    SubjectWillingnessOut,
    WillingnessOut,
)
from valuescout.core.web.deps import DbSession
from valuescout.core.web.schemas import ERROR_RESPONSES, MAX_DB_ID
from valuescout.identity.deps import ApiPrincipal

router = APIRouter(prefix="/api/v1", tags=["assessments"], responses=ERROR_RESPONSES)

Id = Annotated[int, Path(ge=1, le=MAX_DB_ID)]
Threshold = Annotated[
    Decimal | None, Query(ge=0, le=Decimal("0.9"), description="default 0.20 (20% off list)")
]
W = "/willingness"


@router.get(f"{W}/questions", response_model=list[QuestionOut], summary="The questions")
def questions(principal: ApiPrincipal) -> list[QuestionOut]:
    return willingness_service.questions()


@router.post(f"{W}/score", response_model=ScoreOut, summary="Score answers (nothing is kept)")
def score(principal: ApiPrincipal, body: AnswersIn) -> ScoreOut:
    return willingness_service.score_out(willingness_service.score(body.answers))


@router.get(f"{W}/portfolio", response_model=PortfolioOut, summary="Across your accounts")
def portfolio(principal: ApiPrincipal, session: DbSession) -> PortfolioOut:
    return willingness_service.portfolio(session, principal)


@router.get(f"{W}/accounts/{{account_id}}", response_model=SubjectWillingnessOut)
def account(principal: ApiPrincipal, session: DbSession, account_id: Id) -> SubjectWillingnessOut:
    return willingness_service.account_view(session, principal, account_id)


@router.post(f"{W}/accounts/{{account_id}}", response_model=WillingnessOut, status_code=201)
def assess_account(
    principal: ApiPrincipal, session: DbSession, account_id: Id, body: AnswersIn
) -> WillingnessOut:
    return willingness_service.assess_account(session, principal, account_id, body)


@router.get(f"{W}/opportunities/{{opp_id}}", response_model=SubjectWillingnessOut)
def opportunity(principal: ApiPrincipal, session: DbSession, opp_id: Id) -> SubjectWillingnessOut:
    return willingness_service.opportunity_view(session, principal, opp_id)


@router.post(f"{W}/opportunities/{{opp_id}}", response_model=WillingnessOut, status_code=201)
def assess_opportunity(
    principal: ApiPrincipal, session: DbSession, opp_id: Id, body: AnswersIn
) -> WillingnessOut:
    return willingness_service.assess_opportunity(session, principal, opp_id, body)


@router.get("/reputation", response_model=ReputationOut, summary="The sales-reputation check")
def reputation(
    principal: ApiPrincipal, session: DbSession, threshold: Threshold = None
) -> ReputationOut:
    return reputation_service.check(session, principal, date.today(), threshold)


@router.post(
    "/reputation/snapshots",
    response_model=list[ReputationSnapshotOut],
    status_code=201,
    summary="Keep the current scorecard (and quarters not kept yet) with its time",
)
def take_snapshot(
    principal: ApiPrincipal, session: DbSession, body: ReputationSnapshotIn
) -> list[ReputationSnapshotOut]:
    return reputation_service.take_snapshot(session, principal, date.today(), body.threshold)


@router.get("/reputation/snapshots", response_model=list[ReputationSnapshotOut])
def list_snapshots(principal: ApiPrincipal, session: DbSession) -> list[ReputationSnapshotOut]:
    return reputation_service.snapshots(session, principal)
