"""HTML pages of value-scout discoveries and their review.

`/discoveries`: the log form and the caller's own discoveries; editors of the value network
also see the review queue (`?status=` shows the accepted or declined ones). `/discoveries/{id}`:
one discovery, with the review forms for editors while it is new. `/discoveries/ideas` (and
`.csv`): the product-ideas list. `/value-networks/{id}/discoveries`: the customer voices on
a network's outcomes, for anyone signed in.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import Field
from starlette.responses import Response

from valuescout.core.web.csrf import verify_csrf
from valuescout.core.web.deps import DbSession
from valuescout.core.web.forms import FormFailure, PathId
from valuescout.core.web.schemas import BlankIsNone
from valuescout.core.web.templating import redirect, render
from valuescout.deals.pages import Form
from valuescout.deals.pages_forms import attempt_form, number, record_id, text, validated
from valuescout.discoveries import choices, service, service_ideas
from valuescout.discoveries.ideas import ideas_csv, stated_value_text
from valuescout.discoveries.schemas import DiscoveryIn, ReviewIn
from valuescout.discoveries.transitions import DECLINE_LABELS, STATUS_LABELS, Status
from valuescout.identity.deps import PagePrincipal
from valuescout.identity.principal import Principal
from valuescout.valuenet.service import get_network
from valuescout.valuenet.spec import OutcomeKind

router = APIRouter(dependencies=[Depends(verify_csrf)], include_in_schema=False)


def form_status(failure: FormFailure) -> int:
    """Bad input answers 400 with the form shown again; a refusal (409) keeps its status."""
    return 400 if failure.status == 422 else failure.status


StatusQuery = Annotated[
    Annotated[str, Field(pattern="^(new|accepted|declined)$")] | None, BlankIsNone, Query()
]
LOG_FIELDS = ("account_id", "customer_name", "situation", "desired_outcome", "value_hint",
              "value_amount", "theme", "network_id")  # fmt: skip
REVIEW_FIELDS = ("action", "outcome_id", "network_id", "outcome_name", "outcome_description",
                 "outcome_kind", "link_from_id", "decline_reason", "note")  # fmt: skip
LABELS = {
    "statuses": STATUS_LABELS,
    "decline_reasons": DECLINE_LABELS,
    "outcome_kinds": {k.value: k.value.title() for k in OutcomeKind},
}


def _list_page(
    request: Request,
    principal: Principal,
    session: DbSession,
    *,
    status: Status = Status.NEW,
    values: dict[str, str] | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    editor = service.is_editor(principal)
    return render(
        request,
        "discoveries/list.html",
        {
            "mine": service.my_discoveries(session, principal),
            "queue": service.review_queue(session, principal, status) if editor else None,
            "shown_status": status.value,
            "is_editor": editor,
            "may_see_ideas": service_ideas.may_see_ideas(principal),
            "accounts": choices.accounts(session, principal),
            "networks": choices.networks(session),
            "values": values or {},
            "error": error,
            **LABELS,
        },
        status_code=status_code,
    )


@router.get("/discoveries")
def discoveries_page(
    request: Request, principal: PagePrincipal, session: DbSession, status: StatusQuery = None
) -> Response:
    return _list_page(request, principal, session, status=Status(status or "new"))


def _log_data(form: Any) -> dict[str, Any]:
    return {
        "account_id": record_id("Account", text(form, "account_id")),
        "customer_name": text(form, "customer_name"),
        "situation": text(form, "situation"),
        "desired_outcome": text(form, "desired_outcome"),
        "value_hint": text(form, "value_hint"),
        "value_amount": number("Value", text(form, "value_amount")),
        "theme": text(form, "theme"),
        "network_id": record_id("Value network", text(form, "network_id")),
    }


@router.post("/discoveries")
def log_discovery(
    request: Request, principal: PagePrincipal, session: DbSession, form: Form
) -> Response:
    def log() -> int:
        data = validated(DiscoveryIn, _log_data(form))
        return service.log_discovery(session, principal, data).id

    done = attempt_form(session, log)
    if isinstance(done, FormFailure):
        sent = {name: text(form, name) for name in LOG_FIELDS}
        return _list_page(request, principal, session, values=sent, error=done.message,
                          status_code=form_status(done))  # fmt: skip
    return redirect(f"/discoveries/{done}", "Thank you: the discovery is logged for review.")


@router.get("/discoveries/ideas")
def ideas_page(request: Request, principal: PagePrincipal, session: DbSession) -> Response:
    ideas = service_ideas.ideas(session, principal)
    return render(
        request,
        "discoveries/ideas.html",
        {"ideas": ideas, "stated": stated_value_text},
    )


@router.get("/discoveries/ideas.csv")
def ideas_download(principal: PagePrincipal, session: DbSession) -> Response:
    return Response(
        ideas_csv(service_ideas.ideas(session, principal)),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="product-ideas.csv"'},
    )


def _detail_page(
    request: Request,
    principal: Principal,
    session: DbSession,
    discovery_id: int,
    *,
    values: dict[str, str] | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    item = service.discovery_out(session, principal, discovery_id)
    may_review = service.is_editor(principal) and item.status == Status.NEW
    wanted = [item.network_id] if item.network_id else None
    return render(
        request,
        "discoveries/detail.html",
        {
            "item": item,
            "may_review": may_review,
            "nodes": choices.network_nodes(session, wanted) if may_review else [],
            "networks": choices.networks(session) if may_review else [],
            "values": values or {},
            "error": error,
            **LABELS,
        },
        status_code=status_code,
    )


@router.get("/discoveries/{discovery_id}")
def discovery_page(
    request: Request, principal: PagePrincipal, session: DbSession, discovery_id: PathId
) -> Response:
    return _detail_page(request, principal, session, discovery_id)


def _review_data(form: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "action": text(form, "action"),
        "outcome_id": record_id("Outcome", text(form, "outcome_id")),
        "network_id": record_id("Value network", text(form, "network_id")),
        "outcome_name": text(form, "outcome_name"),
        "outcome_description": text(form, "outcome_description"),
        "outcome_kind": text(form, "outcome_kind") or OutcomeKind.BUSINESS.value,
        "link_from_id": record_id("Link from", text(form, "link_from_id")),
        "decline_reason": text(form, "decline_reason") or None,
        "note": text(form, "note"),
    }
    return data


@router.post("/discoveries/{discovery_id}/review")
def review(
    request: Request,
    principal: PagePrincipal,
    session: DbSession,
    discovery_id: PathId,
    form: Form,
) -> Response:
    def act() -> str:
        row = service.review(
            session, principal, discovery_id, validated(ReviewIn, _review_data(form))
        )
        return row.status

    done = attempt_form(session, act)
    if isinstance(done, FormFailure):
        sent = {name: text(form, name) for name in REVIEW_FIELDS}
        return _detail_page(request, principal, session, discovery_id, values=sent,
                            error=done.message, status_code=form_status(done))  # fmt: skip
    message = "Accepted into the value network." if done == "accepted" else "Declined."
    return redirect("/discoveries", f"Discovery {discovery_id}: {message}")


@router.get("/value-networks/{network_id}/discoveries")
def voices_page(
    request: Request, principal: PagePrincipal, session: DbSession, network_id: PathId
) -> Response:
    network = get_network(session, network_id)
    return render(
        request,
        "discoveries/voices.html",
        {"network": network, "voices": service_ideas.voices(session, principal, network_id)},
    )
