"""Who sees which price requests: the deal's scope (the seller their own, a manager their
team's, the price desk, executives and admins all), plus whoever may decide the current step
(a delegate standing in for an absent approver) or has decided one. Contributors see no
prices, so no requests."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from valuescout.core.errors import NotFound
from valuescout.core.models import utcnow
from valuescout.identity.principal import Principal
from valuescout.identity.roles import Permission
from valuescout.identity.scope import Scope, scope_for
from valuescout.pricing import approvers
from valuescout.pricing.models import PriceRequest, PriceRequestEvent


def visible_request(session: Session, principal: Principal, request_id: int) -> PriceRequest:
    principal.require(Permission.SEE_MONEY)
    request = session.get(PriceRequest, request_id)
    if request is None or not can_see(session, principal, request):
        raise NotFound(f"Price request {request_id} not found.")
    return request


def can_see(session: Session, principal: Principal, request: PriceRequest) -> bool:
    if request.requester_id == principal.user_id:
        return True
    if scope_for(session, principal).allows_owner(request.owner_id):
        return True
    today = utcnow().date()
    if approvers.acting_authority(session, principal, request, today) is not None:
        return True
    # Whoever decided a step (a delegate standing in) keeps seeing what they decided.
    acted = select(PriceRequestEvent.id).where(
        PriceRequestEvent.request_id == request.id,
        PriceRequestEvent.actor_id == principal.user_id,
    )
    return session.scalar(acted.limit(1)) is not None


def scoped(session: Session, principal: Principal, stmt: Any) -> tuple[Any, Scope]:
    """`stmt` over PriceRequest limited to the caller's scope (their own asks included)."""
    principal.require(Permission.SEE_MONEY)
    scope = scope_for(session, principal)
    if scope.owner_ids is None:
        return stmt, scope
    mine = PriceRequest.requester_id == principal.user_id
    return stmt.where(PriceRequest.owner_id.in_(scope.owner_ids) | mine), scope
