"""HTML pages for the price desk, part 1: asking for a price exception on a deal, and the
panel on the opportunity page that shows the deal's requests.

The request detail, queue, inbox and desk list are in `pages_desk`; the policy editor and
delegations in `pages_policy`. Every page calls the pricing services (views, service,
policies, replay, delegations), which decide who may see and change what.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.responses import Response

from valuescout.core.errors import Invalid
from valuescout.core.models import utcnow
from valuescout.core.pagination import PageRequest
from valuescout.core.web.csrf import verify_csrf
from valuescout.core.web.deps import DbSession
from valuescout.core.web.forms import FormFailure, PathId
from valuescout.core.web.schemas import BlankIsNone
from valuescout.core.web.templating import redirect, render
from valuescout.deals import service as deals
from valuescout.deals.access import editable_opportunity, visible_opportunity
from valuescout.deals.models import Opportunity, Stage
from valuescout.deals.pages import Form, OptionalId
from valuescout.deals.pages_forms import (
    attempt_form,
    number,
    percent,
    shown_number,
    text,
    validated,
)
from valuescout.deals.schemas import OpportunityDetail
from valuescout.identity.deps import PagePrincipal
from valuescout.identity.principal import Principal
from valuescout.identity.roles import Permission
from valuescout.pricing import evidence, service, views, workflow
from valuescout.pricing.fields import FIELDS, REASON_LABELS, Reason
from valuescout.pricing.models import PriceRequest
from valuescout.pricing.schemas import PriceRequestDetail, PriceRequestIn
from valuescout.pricing.workflow import STATE_LABELS, Move, State

router = APIRouter(dependencies=[Depends(verify_csrf)], include_in_schema=False)

PANEL_SIZE = 20
MODES = ("net_price", "discount", "lines")
ROLE_LABELS = {"manager": "Manager", "price_desk": "Price desk", "executive": "Executive"}
MOVE_LABELS = {
    Move.APPROVE: "Approve",
    Move.REJECT: "Reject",
    Move.COUNTER: "Counter-offer",
    Move.ACCEPT: "Accept the counter-offer",
    Move.WITHDRAW: "Withdraw",
}
ACTION_LABELS = {
    "submit": "Asked",
    "route": "Routed by the policy",
    "auto_approve": "Approved by the policy",
    "auto_reject": "Rejected by the policy",
    "approve": "Approved",
    "reject": "Rejected",
    "counter": "Counter-offer",
    "accept": "Counter-offer accepted",
    "withdraw": "Withdrawn",
}
ZONE_LABELS = {
    "below_floor": "Below the floor",
    "floor_to_target": "Between floor and target",
    "at_or_above_target": "At or above target",
    "unknown": "Unknown (no value case, no cost)",
}

# Labels every price desk template uses.
LABELS: dict[str, Any] = {
    "reasons": REASON_LABELS,
    "state_labels": STATE_LABELS,
    "role_labels": ROLE_LABELS,
    "move_labels": MOVE_LABELS,
    "action_labels": ACTION_LABELS,
    "zone_labels": ZONE_LABELS,
    "fields": FIELDS,
}


def age(created: datetime, decided: datetime | None = None) -> str:
    """How long a request has waited (or waited until decided): '5 min', '3 h', '2 days'."""
    seconds = max(0, int(((decided or utcnow()) - created).total_seconds()))
    if seconds < 3600:
        return f"{seconds // 60} min"
    if seconds < 86400:
        return f"{seconds // 3600} h"
    days = seconds // 86400
    return f"{days} day" if days == 1 else f"{days} days"


def frozen_evidence(requests: list[Any], session: Session) -> dict[int, dict[str, Any]]:
    """The frozen evidence of requests the caller was already shown (by a scoped view), read
    back as numbers, by request id: for the queue's and lists' evidence columns."""
    ids = [r.id for r in requests]
    if not ids:
        return {}
    rows = session.execute(
        select(PriceRequest.id, PriceRequest.evidence).where(PriceRequest.id.in_(ids))
    )
    return {rid: evidence.from_json(data) for rid, data in rows}


# --- the panel on the opportunity page ---------------------------------------------------------


def _deal_is_open(session: Session, opp: Opportunity) -> bool:
    outcome = session.scalar(select(Stage.outcome).where(Stage.id == opp.stage_id))
    return outcome == "open"


def may_ask(principal: Principal) -> bool:
    return principal.can(Permission.EDIT_DEALS) and principal.can(Permission.SEE_MONEY)


@router.get("/opportunities/{opp_id}/price-requests/panel")
def panel(
    request: Request, principal: PagePrincipal, session: DbSession, opp_id: PathId
) -> Response:
    """The deal's price requests, loaded into the opportunity page by htmx."""
    opp = visible_opportunity(session, principal, opp_id)
    flt = views.RequestFilter(opportunity_id=opp_id)
    found = views.requests(session, principal, flt, PageRequest(PANEL_SIZE, 0))
    has_open = any(r.state in workflow.OPEN_STATES for r in found.items)
    is_open = _deal_is_open(session, opp)
    return render(
        request,
        "pricing/_panel.html",
        {
            "opp_id": opp_id,
            "requests": found,
            "can_ask": may_ask(principal) and is_open and not has_open,
            "deal_open": is_open,
            "has_open": has_open,
            **LABELS,
        },
    )


# --- asking --------------------------------------------------------------------------------


def _ask_values(detail: OpportunityDetail, replaced: PriceRequestDetail | None) -> dict[str, Any]:
    """The form's first values: the deal as it is, or the request being asked again."""
    lines = {str(x.id): shown_number(x.net_price) for x in detail.lines}
    values: dict[str, Any] = {
        "mode": "net_price",
        "net_price": shown_number(detail.amount),
        "discount": "",
        "reason": Reason.COMPETITIVE_MATCH.value,
        "justification": "",
        "replaces_id": "",
        "lines": lines,
    }
    if replaced is not None:
        values |= {
            "reason": replaced.reason.value,
            "justification": replaced.justification,
            "replaces_id": str(replaced.id),
            "net_price": shown_number(replaced.requested_price),
        }
        asked_lines = {
            str(x.line_id): shown_number(x.requested_net_price)
            for x in replaced.lines
            if x.line_id is not None
        }
        if asked_lines and set(asked_lines) <= set(lines):
            values |= {"mode": "lines", "lines": lines | asked_lines}
    return values


def _sent_values(form: FormData, detail: OpportunityDetail) -> dict[str, Any]:
    return {
        "mode": text(form, "mode"),
        "net_price": text(form, "net_price"),
        "discount": text(form, "discount"),
        "reason": text(form, "reason"),
        "justification": text(form, "justification"),
        "replaces_id": text(form, "replaces_id"),
        "lines": {str(x.id): text(form, f"line-{x.id}") for x in detail.lines},
    }


def _ask_form(
    request: Request,
    session: Session,
    principal: Principal,
    opp_id: int,
    *,
    values: dict[str, Any] | None = None,
    replaces: int | None = None,
    key: str | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    opp = editable_opportunity(session, principal, opp_id)
    principal.require(Permission.SEE_MONEY)
    detail = deals.opportunity_detail(session, principal, opp_id)
    if values is None:
        replaced = views.detail(session, principal, replaces) if replaces else None
        if replaced is not None and replaced.opportunity_id != opp_id:
            raise Invalid("The request to ask again is not one of this deal's.")
        values = _ask_values(detail, replaced)
    list_price = sum((x.quantity * (x.list_price or Decimal(0)) for x in detail.lines), Decimal(0))
    return render(
        request,
        "pricing/request_new.html",
        {
            "opp": detail,
            "list_price": list_price if detail.lines else detail.amount,
            "values": values,
            "error": error,
            "deal_open": _deal_is_open(session, opp),
            # One key per form shown: a double-click posts it twice, one request is made.
            "idempotency_key": key or secrets.token_urlsafe(16),
            "modes": MODES,
            **LABELS,
        },
        status_code=status_code,
    )


@router.get("/opportunities/{opp_id}/price-requests/new")
def new_request(
    request: Request,
    principal: PagePrincipal,
    session: DbSession,
    opp_id: PathId,
    replaces: Annotated[OptionalId, BlankIsNone, Query()] = None,
) -> Response:
    return _ask_form(request, session, principal, opp_id, replaces=replaces)


def _price_part(form: FormData, detail: OpportunityDetail) -> dict[str, Any]:
    """The one price the form asks for, as PriceRequestIn takes it."""
    mode = text(form, "mode") or "net_price"
    if mode == "discount":
        share = percent("Discount", text(form, "discount"))
        if share is None:
            raise Invalid("Discount: enter the discount off list you ask for, such as 12.5.")
        return {"discount": share}
    if mode == "lines":
        lines = []
        for x in detail.lines:
            price = number(f"{x.product_name} net price", text(form, f"line-{x.id}"))
            if price is not None:
                lines.append({"line_id": x.id, "net_price": price})
        if not lines:
            raise Invalid("Line prices: enter the net price per unit you ask for on a line.")
        return {"lines": lines}
    if mode != "net_price":
        raise Invalid("Choose how you ask: a deal price, a discount or prices per line.")
    price = number("Net price", text(form, "net_price"))
    if price is None:
        raise Invalid("Net price: enter the deal price you ask for, such as 230000.")
    return {"net_price": price}


@router.post("/opportunities/{opp_id}/price-requests")
def create_request(
    request: Request, principal: PagePrincipal, session: DbSession, opp_id: PathId, form: Form
) -> Response:
    key = text(form, "idempotency_key").strip()[: service.MAX_KEY] or None

    def ask() -> int:
        detail = deals.opportunity_detail(session, principal, opp_id)
        editable_opportunity(session, principal, opp_id)
        principal.require(Permission.SEE_MONEY)
        replaces = text(form, "replaces_id").strip()
        data = {
            **_price_part(form, detail),
            "reason": text(form, "reason"),
            "justification": text(form, "justification"),
            "replaces_id": int(replaces) if replaces.isdigit() and len(replaces) < 10 else None,
        }
        body = validated(PriceRequestIn, data)
        return service.submit(session, principal, opp_id, body, key).id

    made = attempt_form(session, ask)
    if isinstance(made, FormFailure):
        detail = deals.opportunity_detail(session, principal, opp_id)
        return _ask_form(
            request,
            session,
            principal,
            opp_id,
            values=_sent_values(form, detail),
            key=key,
            error=made.message,
            status_code=made.status,
        )
    return redirect(f"/price-desk/requests/{made}", flash=_asked_flash(session, made))


def _asked_flash(session: Session, request_id: int) -> str:
    asked = session.get(PriceRequest, request_id)
    assert asked is not None
    if asked.state == State.PENDING and asked.waiting_role:
        role = ROLE_LABELS.get(asked.waiting_role, asked.waiting_role)
        return f"Your request is sent: it waits for {role.lower()}."
    return f"The policy decided your request: {STATE_LABELS[State(asked.state)].lower()}."
