"""The scorecard panels the account and opportunity pages load with htmx (deals imports
nothing from forecasting): fit and engagement with their parts and bands, and on an open deal
every method's win probability."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from valuescout.core.web.csrf import verify_csrf
from valuescout.core.web.deps import DbSession
from valuescout.core.web.forms import PathId
from valuescout.core.web.templating import render
from valuescout.forecasting import scoring
from valuescout.identity.deps import PagePrincipal

router = APIRouter(dependencies=[Depends(verify_csrf)], include_in_schema=False)


@router.get("/opportunities/{opp_id}/scores/panel")
def opportunity_panel(
    request: Request, principal: PagePrincipal, session: DbSession, opp_id: PathId
) -> Response:
    view = scoring.opportunity_scores(session, principal, opp_id)
    return render(request, "forecasting/_scores.html", {"view": view, "subject": "deal"})


@router.get("/accounts/{account_id}/scores/panel")
def account_panel(
    request: Request, principal: PagePrincipal, session: DbSession, account_id: PathId
) -> Response:
    view = scoring.account_scores(session, principal, account_id)
    return render(request, "forecasting/_scores.html", {"view": view, "subject": "account"})
