"""Browse the audit trail: an admin page and a JSON endpoint over the same service."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict
from starlette.responses import Response

from valuescout.core import audit
from valuescout.core.audit import AuditEntry, AuditFilter
from valuescout.core.models import as_utc
from valuescout.core.pagination import Page, PageRequest
from valuescout.core.web.csrf import verify_csrf
from valuescout.core.web.deps import DbSession
from valuescout.core.web.schemas import ERROR_RESPONSES, BlankIsNone, ListOut
from valuescout.core.web.templating import render
from valuescout.identity import service
from valuescout.identity.deps import ApiPrincipal, PagePrincipal
from valuescout.identity.principal import Principal

api_router = APIRouter(prefix="/api/v1", tags=["audit"], responses=ERROR_RESPONSES)
page_router = APIRouter(dependencies=[Depends(verify_csrf)], include_in_schema=False)

Text = Annotated[str | None, Query(max_length=320)]


When = Annotated[datetime | None, BlankIsNone, Query()]


class AuditEntryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    at: datetime
    actor_id: int | None
    actor_email: str
    action: str
    entity_type: str
    entity_id: str
    changes: dict[str, Any]


class AuditQuery(BaseModel):
    actor: str | None = None
    action: str | None = None
    entity_type: str | None = None
    entity_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 50
    offset: int = 0


def _query(
    actor: Text = None,
    action: Text = None,
    entity_type: Text = None,
    entity_id: Text = None,
    since: When = None,
    until: When = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> AuditQuery:
    return AuditQuery(
        actor=actor or None,
        action=action or None,
        entity_type=entity_type or None,
        entity_id=entity_id or None,
        since=since,
        until=until,
        limit=limit,
        offset=offset,
    )


def _search(session: DbSession, principal: Principal, q: AuditQuery) -> Page[AuditEntry]:
    flt = AuditFilter(
        q.actor, q.action, q.entity_type, q.entity_id, as_utc(q.since), as_utc(q.until)
    )
    return service.browse_audit(session, principal, flt, PageRequest(q.limit, q.offset))


@api_router.get("/audit", response_model=ListOut[AuditEntryOut], summary="Audit trail (admin)")
def list_audit(
    principal: ApiPrincipal, session: DbSession, q: Annotated[AuditQuery, Depends(_query)]
) -> ListOut[AuditEntryOut]:
    page = _search(session, principal, q)
    return ListOut[AuditEntryOut](
        items=[AuditEntryOut.model_validate(e) for e in page.items],
        total=page.total,
        limit=page.limit,
        offset=page.offset,
    )


@page_router.get("/admin/audit")
def audit_page(
    request: Request,
    principal: PagePrincipal,
    session: DbSession,
    q: Annotated[AuditQuery, Depends(_query)],
) -> Response:
    page = _search(session, principal, q)
    actions, entity_types = audit.distinct_values(session)  # after the permission check
    return render(
        request,
        "web/audit.html",
        {"page": page, "q": q, "actions": actions, "entity_types": entity_types},
    )
