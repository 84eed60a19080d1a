"""The home page: the signed-in user's own items."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from valuescout.core.web.csrf import verify_csrf
from valuescout.core.web.deps import DbSession
from valuescout.core.web.templating import render
from valuescout.identity.deps import PagePrincipal
from valuescout.identity.overview import home_overview

router = APIRouter(dependencies=[Depends(verify_csrf)], include_in_schema=False)


@router.get("/")
def home(request: Request, principal: PagePrincipal, session: DbSession) -> Response:
    return render(request, "web/home.html", {"overview": home_overview(session, principal)})
