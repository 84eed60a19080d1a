"""JSON API of the maturity assessment, under /api/v1/assessments/maturity.

Rounds: list (everyone; counts and levels only for who sees results), open and close (who runs
assessments). Answers: the caller's own progress and answers, and one domain's answers at a
time (any signed-in user, while the round is open; null is "don't know"). Results and the
journey across rounds: who may see maturity results.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path

from valuescout.assessments import maturity_content, service
from valuescout.assessments.schemas import (
    ContentOut,
    DomainAnswersIn,
    JourneyOut,
    MaturityResultOut,
    ProgressOut,
    RoundIn,
    RoundOut,
)
from valuescout.core.web.deps import DbSession
from valuescout.core.web.forms import PathId
from valuescout.core.web.schemas import ERROR_RESPONSES
from valuescout.identity.deps import ApiPrincipal

router = APIRouter(prefix="/api/v1/assessments", tags=["assessments"], responses=ERROR_RESPONSES)

DomainPath = Annotated[str, Path(pattern=r"^[a-z][a-z0-9-]{0,39}$")]


@router.get("/maturity/content", response_model=ContentOut, summary="Domains and indicators")
def content(principal: ApiPrincipal) -> ContentOut:
    return ContentOut.of(maturity_content.load())


@router.get("/maturity/rounds", response_model=list[RoundOut], summary="Rounds, newest first")
def rounds(principal: ApiPrincipal, session: DbSession) -> list[RoundOut]:
    return service.list_rounds(session, principal)


@router.post("/maturity/rounds", response_model=RoundOut, status_code=201, summary="Open a round")
def open_round(principal: ApiPrincipal, session: DbSession, body: RoundIn) -> RoundOut:
    row = service.start_round(session, principal, body.title)
    return service.round_out(session, principal, row)


@router.post(
    "/maturity/rounds/{round_id}/close",
    response_model=MaturityResultOut,
    summary="Close the round and store its result",
)
def close_round(principal: ApiPrincipal, session: DbSession, round_id: PathId) -> MaturityResultOut:
    return service.close_round(session, principal, round_id, date.today())


@router.get(
    "/maturity/rounds/{round_id}/progress",
    response_model=ProgressOut,
    summary="Your own answers and where to resume",
)
def progress(principal: ApiPrincipal, session: DbSession, round_id: PathId) -> ProgressOut:
    return service.progress(session, principal, round_id)


@router.put(
    "/maturity/rounds/{round_id}/answers/{domain}",
    response_model=ProgressOut,
    summary="Save your answers to one domain (omitted or null: don't know)",
)
def answer_domain(
    principal: ApiPrincipal,
    session: DbSession,
    round_id: PathId,
    domain: DomainPath,
    body: DomainAnswersIn,
) -> ProgressOut:
    return service.save_domain(session, principal, round_id, domain, body.answers)


@router.get(
    "/maturity/rounds/{round_id}/result",
    response_model=MaturityResultOut,
    summary="The company's result (stored when closed, live while open)",
)
def result(principal: ApiPrincipal, session: DbSession, round_id: PathId) -> MaturityResultOut:
    return service.result(session, principal, round_id, date.today())


@router.get("/maturity/journey", response_model=JourneyOut, summary="What changed round by round")
def journey(principal: ApiPrincipal, session: DbSession) -> JourneyOut:
    return service.journey(session, principal)
