"""HTML pages of the interaction log and value-quality metrics:

- `/conversations`: the interactions in the caller's scope (newest first, with scores), the
  metrics per seller, team or role with the monthly trend chart, and call plans (the caller's
  and those others shared for a preview);
- `/conversations/new`: log an interaction; "Propose from text" runs the analyzer over the
  notes and shows the form again with the proposed rows, which the user corrects and saves;
- `/conversations/{id}`: one interaction with its score's parts; `/conversations/{id}/edit`
  the logging form filled in (its author, or whoever may edit the deal), `POST
  /conversations/{id}/delete` (the same people, after a confirmation on the page);
- `/opportunities/{id}/conversations/panel`: the deal's plans and interactions (htmx, on the
  opportunity page).
Call plans' pages are in `pages_plans.py`, included here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import Field
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.responses import Response

from valuescout.conversations import (
    charts,
    pages_forms,
    service,
    service_edit,
    service_metrics,
    service_pick,
    service_plans,
    service_plans_read,
)
from valuescout.conversations.models import INTERACTION_KINDS
from valuescout.conversations.pages_plans import router as plans_router
from valuescout.conversations.schemas import (
    GroupBy,
    InteractionOut,
    InteractionUpdate,
    MetricsOut,
    ProposalOut,
)
from valuescout.conversations.service_proposal import network_outcomes, propose_from_text
from valuescout.core.errors import Invalid
from valuescout.core.pagination import PageRequest
from valuescout.core.web.csrf import verify_csrf
from valuescout.core.web.deps import DbSession
from valuescout.core.web.forms import FormFailure, PathId
from valuescout.core.web.schemas import MAX_DB_ID, BlankIsNone
from valuescout.core.web.templating import redirect, render
from valuescout.deals.access import visible_opportunity
from valuescout.deals.pages import Form
from valuescout.deals.pages_forms import attempt_form, text
from valuescout.identity.deps import PagePrincipal
from valuescout.identity.principal import Principal

router = APIRouter(dependencies=[Depends(verify_csrf)], include_in_schema=False)
router.include_router(plans_router)

PAGE_SIZE = 50
PageId = Annotated[Annotated[int, Field(ge=1, le=MAX_DB_ID)] | None, BlankIsNone, Query()]
PageGroup = Annotated[GroupBy | None, BlankIsNone, Query()]
GROUP_LABELS = {"seller": "Seller", "team": "Team", "role": "Role"}
KIND_LABELS = {k: k.title() for k in INTERACTION_KINDS}


def _chart(result: MetricsOut) -> dict[str, Any] | None:
    groups = sorted(result.groups, key=lambda g: -g.interactions)[: charts.MAX_LINES]
    rows = [(g.label, p.month, p.mean_score, p.interactions) for g in groups for p in g.trend]
    return charts.trend_chart(rows) if rows else None


@router.get("/conversations")
def conversations_page(
    request: Request,
    principal: PagePrincipal,
    session: DbSession,
    group_by: PageGroup = None,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Response:
    grouping: GroupBy = group_by or "seller"
    since = service_metrics.default_since(date.today())
    result = service_metrics.value_quality_metrics(session, principal, grouping, since)
    items, total = service.list_interactions(session, principal, PageRequest(PAGE_SIZE, offset))
    return render(
        request,
        "conversations/index.html",
        {
            "metrics": result,
            "trend_chart": _chart(result),
            "group_labels": GROUP_LABELS,
            "items": items,
            "total": total,
            "offset": offset,
            "page_size": PAGE_SIZE,
            "my_plans": [
                p
                for p in service_plans_read.list_plans(session, principal)
                if p.author_id == principal.user_id
            ][:20],
            "shared_plans": service_plans_read.list_plans(
                session, principal, shared_by_others=True
            )[:20],
            "may_log": principal.role not in service.NOT_CUSTOMER_FACING,
        },
    )


def _form_context(session: Session, principal: Principal, values: dict[str, Any]) -> dict[str, Any]:
    opp_id = values.get("opportunity_id")
    opp = service.pickable_opportunity(session, principal, int(opp_id)) if opp_id else None
    plan = None
    if values.get("call_plan_id"):
        plan = service_plans_read.plan_detail(session, principal, int(values["call_plan_id"]))
    return {
        "values": values,
        "opp": opp,
        "plan": plan,
        "choices": service_pick.choices(session, principal) if opp is None else None,
        "contacts": service_pick.contacts_of(session, opp.account_id) if opp else [],
        "outcomes": network_outcomes(session, opp.value_network_id) if opp else [],
        "kinds": KIND_LABELS,
        "blank_rows": pages_forms.BLANK_ROWS,
    }


def _render_form(
    request: Request,
    session: Session,
    principal: Principal,
    values: dict[str, Any],
    rows: dict[str, list[dict[str, str]]],
    *,
    proposal: ProposalOut | None = None,
    error: str | None = None,
    status: int = 200,
    editing: int | None = None,
) -> Response:
    context = _form_context(session, principal, values)
    action = f"/conversations/{editing}/edit" if editing else "/conversations/new"
    return render(
        request,
        "conversations/new.html",
        {
            **context,
            "rows": rows,
            "proposal": proposal,
            "error": error,
            "editing": editing,
            "form_action": action,
        },
        status_code=status,
    )


@router.get("/conversations/new")
def new_interaction(
    request: Request,
    principal: PagePrincipal,
    session: DbSession,
    opportunity_id: PageId = None,
    call_plan_id: PageId = None,
) -> Response:
    service.require_logger(principal)
    if call_plan_id is not None:
        plan = service_plans.visible_plan(session, principal, call_plan_id)
        opportunity_id = plan.opportunity_id
    values = {
        "opportunity_id": opportunity_id or "",
        "call_plan_id": call_plan_id or "",
        "occurred_on": date.today().isoformat(),
        "kind": "meeting",
        "notes": "",
    }
    empty = pages_forms.detail_rows({})
    return _render_form(request, session, principal, values, empty)


@router.post("/conversations/new")
def post_interaction(
    request: Request, principal: PagePrincipal, session: DbSession, form: Form
) -> Response:
    service.require_logger(principal)

    def save() -> Any:
        data = pages_forms.interaction_in(session, principal, form)
        return service.create_interaction(session, principal, data, date.today())

    return _post_form(request, session, principal, form, save, "Interaction logged")


def _post_form(
    request: Request,
    session: Session,
    principal: Principal,
    form: FormData,
    save: Callable[[], Any],
    done: str,
    editing: int | None = None,
) -> Response:
    """Propose from the notes (the form again, with the proposed rows) or save."""
    values = {
        k: text(form, k)
        for k in (
            "opportunity_id",
            "call_plan_id",
            "occurred_on",
            "kind",
            "notes",
            "opportunity",
            "account",
        )
    }
    rows = pages_forms.detail_rows(form)
    if text(form, "action") == "propose":
        proposed = attempt_form(session, lambda: _propose(session, principal, form))
        if isinstance(proposed, FormFailure):
            return _render_form(
                request,
                session,
                principal,
                values,
                rows,
                error=proposed.message,
                status=400,
                editing=editing,
            )
        values["opportunity_id"] = str(proposed[0] or values["opportunity_id"])
        return _render_form(
            request,
            session,
            principal,
            values,
            pages_forms.proposal_rows(proposed[1]),
            proposal=proposed[1],
            editing=editing,
        )
    saved = attempt_form(session, save)
    if isinstance(saved, FormFailure):
        return _render_form(
            request,
            session,
            principal,
            values,
            rows,
            error=saved.message,
            status=400,
            editing=editing,
        )
    return redirect(
        f"/conversations/{saved.id}", f"{done}: value-quality score {saved.quality_score:.0f}."
    )


def _propose(
    session: Session, principal: Principal, form: FormData
) -> tuple[int | None, ProposalOut]:
    notes = text(form, "notes")
    if not notes.strip():
        raise Invalid("Notes: paste the notes or transcript to propose from.")
    opp_id = pages_forms.place(session, principal, form)["opportunity_id"]
    return opp_id, propose_from_text(session, principal, notes, opp_id)


@router.get("/conversations/{interaction_id}")
def interaction_page(
    request: Request, principal: PagePrincipal, session: DbSession, interaction_id: PathId
) -> Response:
    detail = service.interaction_detail(session, principal, interaction_id)
    return render(request, "conversations/interaction.html", {"it": detail, "kinds": KIND_LABELS})


def _shown(it: InteractionOut) -> tuple[dict[str, Any], dict[str, list[dict[str, str]]]]:
    """A stored interaction as the form's values and rows."""
    values = {
        "opportunity_id": it.opportunity_id or "",
        "call_plan_id": it.call_plan_id or "",
        "occurred_on": it.occurred_on.isoformat(),
        "kind": it.kind,
        "notes": it.notes,
        "account": "" if it.opportunity_id else it.account_name or "",
    }
    rows = pages_forms.proposal_rows(
        ProposalOut(
            insights=it.insights,
            questions=it.questions,
            stakeholders=it.stakeholders,
            outcomes=it.outcomes,
            figures=[],
            quality_score=it.quality_score or 0,
        )
    )
    for row, person in zip(rows["stakeholders"], it.stakeholders, strict=True):
        row["ally"] = "on" if person.is_ally else ""
    return values, rows


@router.get("/conversations/{interaction_id}/edit")
def edit_interaction(
    request: Request, principal: PagePrincipal, session: DbSession, interaction_id: PathId
) -> Response:
    service_edit.changeable(session, principal, interaction_id)
    values, rows = _shown(service.interaction_detail(session, principal, interaction_id))
    return _render_form(request, session, principal, values, rows, editing=interaction_id)


@router.post("/conversations/{interaction_id}/edit")
def post_edit_interaction(
    request: Request,
    principal: PagePrincipal,
    session: DbSession,
    interaction_id: PathId,
    form: Form,
) -> Response:
    service_edit.changeable(session, principal, interaction_id)

    def save() -> Any:
        data = pages_forms.interaction_in(session, principal, form)
        changes = InteractionUpdate.model_validate(data.model_dump())
        return service_edit.update_interaction(
            session, principal, interaction_id, changes, date.today()
        )

    return _post_form(
        request, session, principal, form, save, "Interaction saved", editing=interaction_id
    )


@router.post("/conversations/{interaction_id}/delete")
def delete_interaction(
    principal: PagePrincipal, session: DbSession, interaction_id: PathId
) -> Response:
    service_edit.delete_interaction(session, principal, interaction_id)
    return redirect("/conversations", "The interaction is deleted.")


@router.get("/opportunities/{opp_id}/conversations/panel")
def opportunity_panel(
    request: Request, principal: PagePrincipal, session: DbSession, opp_id: PathId
) -> Response:
    opp = visible_opportunity(session, principal, opp_id)
    items, total = service.list_interactions(session, principal, PageRequest(10, 0), opp.id)
    return render(
        request,
        "conversations/_panel.html",
        {
            "opp": opp,
            "items": items,
            "total": total,
            "plans": service_plans_read.list_plans(session, principal, opportunity_id=opp.id),
            "may_log": principal.role not in service.NOT_CUSTOMER_FACING,
        },
    )
