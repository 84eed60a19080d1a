"""HTML pages of RFP records and RFP-engagement analysis.

`/rfps`: the RFPs on deals in the caller's scope, with the analysis (shares, win rates, price
realisation per class and quarter, two charts) for those who see money. A deal's RFPs:
`/opportunities/{id}/rfps` (list, and the form to record one for those who may edit the
deal); `/rfps/{id}` edits or deletes one.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from valuescout.core.web.csrf import verify_csrf
from valuescout.core.web.deps import DbSession
from valuescout.core.web.forms import FormFailure, PathId
from valuescout.core.web.templating import redirect, render
from valuescout.deals.access import visible_opportunity
from valuescout.deals.pages import Form
from valuescout.deals.pages_forms import attempt_form, day, text, validated, whole
from valuescout.identity.deps import PagePrincipal
from valuescout.identity.principal import Principal
from valuescout.identity.roles import Permission
from valuescout.rfp import charts, service
from valuescout.rfp.schemas import RfpIn, RfpOut
from valuescout.rfp.terms import CLASS_LABELS, OUTCOME_LABELS

router = APIRouter(dependencies=[Depends(verify_csrf)], include_in_schema=False)


def form_status(failure: FormFailure) -> int:
    """Bad input answers 400 with the form shown again; a refusal (409) keeps its status."""
    return 400 if failure.status == 422 else failure.status


FIELDS = ("engagement_class", "received_on", "due_on", "submitted_on", "decided_on", "outcome",
          "competitors_responding", "customer_written", "notes")  # fmt: skip
LABELS = {"classes": CLASS_LABELS, "outcomes": {o.value: t for o, t in OUTCOME_LABELS.items()}}


@router.get("/rfps")
def rfps_page(request: Request, principal: PagePrincipal, session: DbSession) -> Response:
    context: dict[str, Any] = {"rows": service.list_rfps(session, principal), **LABELS}
    if principal.can(Permission.SEE_MONEY):
        result, out = service.analyse(session, principal)
        context.update(
            analysis=out,
            share_chart=charts.share_chart(result) if result.quarters else None,
            win_chart=charts.win_rate_chart(result) if result.quarters else None,
        )
    return render(request, "rfp/list.html", context)


def _rfp_data(form: Any) -> dict[str, Any]:
    return {
        "engagement_class": text(form, "engagement_class"),
        "received_on": day("Received", text(form, "received_on")),
        "due_on": day("Due", text(form, "due_on")),
        "submitted_on": day("Submitted", text(form, "submitted_on")),
        "decided_on": day("Decided", text(form, "decided_on")),
        "outcome": text(form, "outcome") or "pending",
        "competitors_responding": whole("Competitors responding",
                                        text(form, "competitors_responding")),
        "customer_written": text(form, "customer_written") == "on",
        "notes": text(form, "notes"),
    }  # fmt: skip


def _shown(item: RfpOut) -> dict[str, str]:
    values = item.model_dump(mode="json")
    shown = {name: "" if values[name] is None else str(values[name]) for name in FIELDS}
    shown["customer_written"] = "on" if item.customer_written else ""
    return shown


def _deal_page(
    request: Request,
    principal: Principal,
    session: DbSession,
    opp_id: int,
    *,
    values: dict[str, str] | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    opp = visible_opportunity(session, principal, opp_id)
    return render(
        request,
        "rfp/deal.html",
        {
            "opp": opp,
            "rows": service.for_opportunity(session, principal, opp_id),
            "can_edit": principal.can(Permission.EDIT_DEALS),
            "values": values or {"outcome": "pending"},
            "error": error,
            **LABELS,
        },
        status_code=status_code,
    )


@router.get("/opportunities/{opp_id}/rfps")
def deal_rfps(
    request: Request, principal: PagePrincipal, session: DbSession, opp_id: PathId
) -> Response:
    return _deal_page(request, principal, session, opp_id)


@router.post("/opportunities/{opp_id}/rfps")
def record_rfp(
    request: Request, principal: PagePrincipal, session: DbSession, opp_id: PathId, form: Form
) -> Response:
    def record() -> int:
        return service.create_rfp(session, principal, opp_id, validated(RfpIn, _rfp_data(form))).id

    done = attempt_form(session, record)
    if isinstance(done, FormFailure):
        sent = {name: text(form, name) for name in FIELDS}
        return _deal_page(request, principal, session, opp_id, values=sent, error=done.message,
                          status_code=form_status(done))  # fmt: skip
    return redirect(f"/opportunities/{opp_id}/rfps", "The RFP is recorded.")


def _edit_page(
    request: Request,
    principal: Principal,
    session: DbSession,
    rfp_id: int,
    *,
    values: dict[str, str] | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    item = service.rfp_out(session, principal, rfp_id)
    return render(
        request,
        "rfp/edit.html",
        {
            "item": item,
            "can_edit": principal.can(Permission.EDIT_DEALS),
            "values": values or _shown(item),
            "error": error,
            **LABELS,
        },
        status_code=status_code,
    )


@router.get("/rfps/{rfp_id}")
def rfp_page(
    request: Request, principal: PagePrincipal, session: DbSession, rfp_id: PathId
) -> Response:
    return _edit_page(request, principal, session, rfp_id)


@router.post("/rfps/{rfp_id}")
def update_rfp(
    request: Request, principal: PagePrincipal, session: DbSession, rfp_id: PathId, form: Form
) -> Response:
    def update() -> int:
        row = service.update_rfp(session, principal, rfp_id, validated(RfpIn, _rfp_data(form)))
        return row.opportunity_id

    done = attempt_form(session, update)
    if isinstance(done, FormFailure):
        sent = {name: text(form, name) for name in FIELDS}
        return _edit_page(request, principal, session, rfp_id, values=sent, error=done.message,
                          status_code=form_status(done))  # fmt: skip
    return redirect(f"/opportunities/{done}/rfps", "The RFP is saved.")


@router.post("/rfps/{rfp_id}/delete")
def delete_rfp(principal: PagePrincipal, session: DbSession, rfp_id: PathId) -> Response:
    opp_id = service.rfp_out(session, principal, rfp_id).opportunity_id
    service.delete_rfp(session, principal, rfp_id)
    return redirect(f"/opportunities/{opp_id}/rfps", "The RFP is deleted.")
