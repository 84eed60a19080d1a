"""HTML pages for the price desk, part 2: one request (its evidence, the policy's trace, the
route, the history and the moves the caller may make), the approver's queue, the seller's
inbox and the desk's list of requests."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import Response

from valuescout.core.errors import Forbidden, Invalid
from valuescout.core.pagination import PageRequest
from valuescout.core.web.csrf import verify_csrf
from valuescout.core.web.deps import DbSession
from valuescout.core.web.forms import FormFailure, PathId
from valuescout.core.web.schemas import BlankIsNone
from valuescout.core.web.templating import redirect, render
from valuescout.deals.pages import Form
from valuescout.deals.pages_forms import attempt_form, number, text, validated
from valuescout.identity.deps import PagePrincipal
from valuescout.identity.models import User
from valuescout.identity.principal import Principal
from valuescout.identity.roles import Permission, Role
from valuescout.pricing import evidence, service, views
from valuescout.pricing.approvers import step_role
from valuescout.pricing.pages import LABELS, age, frozen_evidence, may_ask
from valuescout.pricing.schemas import MoveIn
from valuescout.pricing.workflow import Move, State

router = APIRouter(dependencies=[Depends(verify_csrf)], include_in_schema=False)

PAGE_SIZE = 50
Offset = Annotated[int, Query(ge=0, le=10_000_000)]
# The desk's list of every request in scope: the people who oversee prices, not sellers.
LIST_ROLES = frozenset({Role.MANAGER, Role.PRICE_DESK, Role.EXECUTIVE, Role.ADMIN})
MOVE_DONE = {
    Move.APPROVE: "You approved the request.",
    Move.REJECT: "You rejected the request.",
    Move.COUNTER: "Your counter-offer is sent to the seller.",
    Move.ACCEPT: "You accepted the counter-offer: the price is approved.",
    Move.WITHDRAW: "You withdrew the request.",
}


def desk_context(principal: Principal) -> dict[str, Any]:
    """What every price desk page shows: its labels and which desk pages the caller has."""
    return {
        **LABELS,
        "age": age,
        "desk_list": principal.role in LIST_ROLES,
        "desk_admin": principal.can(Permission.MANAGE_PRICE_POLICY),
    }


@router.get("/price-desk")
def desk_home(principal: PagePrincipal) -> Response:
    """The navigation's entry: approvers land on their queue, sellers on their inbox."""
    principal.require(Permission.SEE_MONEY)
    if step_role(principal.role) is not None:
        return redirect("/price-desk/queue")
    if principal.role in LIST_ROLES:
        return redirect("/price-desk/requests")
    return redirect("/price-desk/inbox")


# --- one request ---------------------------------------------------------------------------


def _names(session: Session, ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return dict(
        session.execute(select(User.id, User.full_name).where(User.id.in_(wanted))).tuples()
    )


def render_request(
    request: Request,
    principal: Principal,
    session: Session,
    request_id: int,
    *,
    error: str | None = None,
    sent: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    detail = views.detail(session, principal, request_id)
    ask_again = (
        detail.requester_id == principal.user_id
        and detail.state in (State.WITHDRAWN, State.REJECTED)
        and may_ask(principal)
    )
    return render(
        request,
        "pricing/request.html",
        {
            "req": detail,
            "ev": evidence.from_json(detail.evidence),
            "decision": detail.decision,
            "on_behalf": _names(session, {e.on_behalf_of_id for e in detail.events}),
            "ask_again": ask_again,
            "error": error,
            "sent": sent or {},
            **desk_context(principal),
        },
        status_code=status_code,
    )


@router.get("/price-desk/requests/{request_id}")
def request_page(
    request: Request, principal: PagePrincipal, session: DbSession, request_id: PathId
) -> Response:
    return render_request(request, principal, session, request_id)


def _move(form: Any) -> MoveIn:
    raw_move = text(form, "move")
    if raw_move not in {m.value for m in Move}:
        raise Invalid("Choose what to do with the request.")
    version = text(form, "version").strip()
    data: dict[str, Any] = {
        "move": raw_move,
        "comment": text(form, "comment"),
        "version": int(version) if version.isdigit() and len(version) < 8 else None,
    }
    if raw_move == Move.COUNTER.value:
        price = number("Counter-offer price", text(form, "price"))
        if price is None:
            raise Invalid("Counter-offer price: enter the deal price you offer instead.")
        data["price"] = price
    return validated(MoveIn, data)


@router.post("/price-desk/requests/{request_id}/moves")
def make_move(
    request: Request, principal: PagePrincipal, session: DbSession, request_id: PathId, form: Form
) -> Response:
    def act() -> Move:
        body = _move(form)
        service.act(session, principal, request_id, body)
        return body.move

    done = attempt_form(session, act)
    if isinstance(done, FormFailure):
        sent = {k: text(form, k) for k in ("move", "comment", "price")}
        return render_request(
            request,
            principal,
            session,
            request_id,
            error=done.message,
            sent=sent,
            status_code=done.status,
        )
    return redirect(f"/price-desk/requests/{request_id}", flash=MOVE_DONE[done])


# --- lists ---------------------------------------------------------------------------------


@router.get("/price-desk/queue")
def queue(
    request: Request, principal: PagePrincipal, session: DbSession, offset: Offset = 0
) -> Response:
    """Pending requests the caller may decide now, the longest waiting first, a page at a
    time."""
    principal.require(Permission.SEE_MONEY)
    page = views.queue_page(session, principal, PageRequest(PAGE_SIZE, offset))
    return render(
        request,
        "pricing/queue.html",
        {
            "page": page,
            "evidence": frozen_evidence(page.items, session),
            "approver": step_role(principal.role) is not None,
            "offset": offset,
            "page_size": PAGE_SIZE,
            **desk_context(principal),
        },
    )


@router.get("/price-desk/inbox")
def inbox(
    request: Request, principal: PagePrincipal, session: DbSession, offset: Offset = 0
) -> Response:
    """The caller's own requests: counter-offers to answer first in view, then outcomes."""
    page = views.inbox(session, principal, PageRequest(PAGE_SIZE, offset))
    countered = [r for r in page.items if r.state == State.COUNTERED]
    return render(
        request,
        "pricing/inbox.html",
        {
            "page": page,
            "countered": countered,
            "offset": offset,
            "page_size": PAGE_SIZE,
            **desk_context(principal),
        },
    )


@router.get("/price-desk/requests")
def request_list(
    request: Request,
    principal: PagePrincipal,
    session: DbSession,
    state: Annotated[State | None, BlankIsNone, Query()] = None,
    offset: Offset = 0,
) -> Response:
    """Every request in the caller's scope, newest first, by state."""
    principal.require(Permission.SEE_MONEY)
    if principal.role not in LIST_ROLES:
        raise Forbidden("The desk's list is for managers, the price desk and executives.")
    page = views.requests(
        session, principal, views.RequestFilter(state=state), PageRequest(PAGE_SIZE, offset)
    )
    return render(
        request,
        "pricing/requests.html",
        {
            "page": page,
            "evidence": frozen_evidence(page.items, session),
            "state": state.value if state else "",
            "states": list(State),
            "offset": offset,
            "page_size": PAGE_SIZE,
            **desk_context(principal),
        },
    )
