"""HTML pages for deals: the pipeline, an opportunity (its fields, lines and history), and new
opportunities. The value case editor and business case are in `pages_valuecase`, accounts and
the buying team in `pages_accounts`; they share `render_opportunity` from here.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from pydantic import Field
from starlette.datastructures import FormData
from starlette.responses import Response

from valuescout.core.pagination import PageRequest
from valuescout.core.web.csrf import verify_csrf
from valuescout.core.web.deps import DbSession
from valuescout.core.web.forms import FormFailure, PathId
from valuescout.core.web.schemas import MAX_DB_ID, BlankIsNone
from valuescout.core.web.templating import redirect, render
from valuescout.deals import pages_data, service, service_pipeline
from valuescout.deals.pages_forms import (
    attempt_form,
    day,
    number,
    percent,
    record_id,
    shown_number,
    shown_percent,
    text,
    validated,
)
from valuescout.deals.schemas import (
    LineIn,
    OpportunityDetail,
    OpportunityIn,
    OpportunityUpdate,
    PipelineSort,
)
from valuescout.deals.terms import (
    ALTERNATIVE_LABELS,
    BUYING_ROLE_LABELS,
    DEAL_TYPE_LABELS,
    RFP_LABELS,
    DealType,
    StageOutcome,
)
from valuescout.deals.valuecase import STATE_LABELS, Direction, Recurrence
from valuescout.identity.deps import PagePrincipal
from valuescout.identity.principal import Principal

router = APIRouter(dependencies=[Depends(verify_csrf)], include_in_schema=False)

PAGE_SIZE = 50
OptionalId = Annotated[int, Field(ge=1, le=MAX_DB_ID)] | None


async def _form(request: Request) -> FormData:
    return await request.form()


# The posted form, read before a (sync) route runs in the thread pool.
Form = Annotated[FormData, Depends(_form)]

LABELS = {
    "deal_types": DEAL_TYPE_LABELS,
    "alternatives": ALTERNATIVE_LABELS,
    "rfp_classes": RFP_LABELS,
    "buying_roles": BUYING_ROLE_LABELS,
    "states": STATE_LABELS,
    "directions": {Direction.FOR: "For us", Direction.AGAINST: "Against us"},
    "recurrences": {Recurrence.RECURRING: "Every year", Recurrence.ONE_TIME: "Once"},
}


# --- the pipeline ------------------------------------------------------------------------------


@router.get("/pipeline")
def pipeline(
    request: Request,
    principal: PagePrincipal,
    session: DbSession,
    q: Annotated[str | None, Query(max_length=100)] = None,
    stage_id: Annotated[OptionalId, BlankIsNone, Query()] = None,
    outcome: Annotated[StageOutcome | None, BlankIsNone, Query()] = None,
    owner_id: Annotated[OptionalId, BlankIsNone, Query()] = None,
    team_id: Annotated[OptionalId, BlankIsNone, Query()] = None,
    deal_type: Annotated[DealType | None, BlankIsNone, Query()] = None,
    close_from: Annotated[date | None, BlankIsNone, Query()] = None,
    close_to: Annotated[date | None, BlankIsNone, Query()] = None,
    sort: Annotated[PipelineSort, Query()] = "close_date",
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Response:
    flt = service_pipeline.PipelineFilter(
        q=q,
        stage_id=stage_id,
        outcome=outcome,
        owner_id=owner_id,
        team_id=team_id,
        deal_type=deal_type,
        close_from=close_from,
        close_to=close_to,
    )
    data = pages_data.pipeline_page(session, principal, flt, PageRequest(PAGE_SIZE, offset), sort)
    filters = {
        "q": q or "",
        "stage_id": stage_id or "",
        "outcome": outcome.value if outcome else "",
        "owner_id": owner_id or "",
        "team_id": team_id or "",
        "deal_type": deal_type.value if deal_type else "",
        "close_from": close_from.isoformat() if close_from else "",
        "close_to": close_to.isoformat() if close_to else "",
    }
    kept = urlencode({k: v for k, v in filters.items() if v != ""})
    return render(
        request,
        "deals/pipeline.html",
        {
            "page": data,
            "filters": filters,
            "sort": sort,
            "offset": offset,
            "page_size": PAGE_SIZE,
            "base_query": kept,
            **LABELS,
        },
    )


# --- one opportunity ---------------------------------------------------------------------------


def deal_values(detail: OpportunityDetail, stage_probability: Decimal | None) -> dict[str, str]:
    """The deal's fields as the edit form shows them (a probability only when it is the deal's
    own, not its stage's, so saving the form keeps whichever it is)."""
    own = detail.probability if detail.probability != stage_probability else None
    return {
        "name": detail.name,
        "account_id": str(detail.account_id or ""),
        "owner_id": str(detail.owner_id),
        "stage_id": str(detail.stage_id),
        "close_date": detail.close_date.isoformat() if detail.close_date else "",
        "deal_type": detail.deal_type.value,
        "currency": detail.currency,
        "amount": shown_number(detail.amount),
        "value_network_id": str(detail.value_network_id or ""),
        "alternative_kind": detail.alternative_kind.value,
        "alternative_name": detail.alternative_name,
        "competitor_id": str(detail.competitor_id or ""),
        "alternative_price": shown_number(detail.alternative_price),
        "rfp_class": detail.rfp_class.value,
        "description": detail.description,
        "probability": shown_percent(own),
        "last_meeting_on": detail.last_meeting_on.isoformat() if detail.last_meeting_on else "",
        "mutual_plan": "on" if detail.mutual_plan else "",
    }


def render_opportunity(
    request: Request,
    principal: Principal,
    session: DbSession,
    opp_id: int,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    """The opportunity page; after a refused form, with its message and the values sent.

    `errors` and `values` are keyed by form: "deal", "lines", "contact", "contact-<id>", "case".
    """
    from valuescout.deals.pages_valuecase import blank_row, editor_state, figures_context

    data = pages_data.opportunity_page(session, principal, opp_id)
    sent = values or {}
    case = data.value_case
    stages = {stage.id: stage.probability for stage in data.choices.stages}
    stage_probability = stages.get(data.detail.stage_id)
    return render(
        request,
        "deals/opportunity.html",
        {
            "page": data,
            "opp": data.detail,
            "errors": errors or {},
            "deal_form": sent.get("deal") or deal_values(data.detail, stage_probability),
            "contact_form": sent.get("contact") or {},
            "editor": sent.get("case") or editor_state(data),
            "blank_row": blank_row(),
            **figures_context(case.figures if case else None),
            **LABELS,
        },
        status_code=status_code,
    )


def _failed(
    request: Request,
    principal: Principal,
    session: DbSession,
    opp_id: int,
    form_name: str,
    failure: FormFailure,
    sent: Any,
) -> Response:
    return render_opportunity(
        request,
        principal,
        session,
        opp_id,
        errors={form_name: failure.message},
        values={form_name: sent},
        status_code=failure.status,
    )


@router.get("/opportunities/new")
def new_opportunity(
    request: Request,
    principal: PagePrincipal,
    session: DbSession,
    account_id: Annotated[OptionalId, BlankIsNone, Query()] = None,
) -> Response:
    pages_data.require_edit(principal)
    values = {"account_id": str(account_id or ""), "owner_id": str(principal.user_id)}
    return _new_form(request, principal, session, values=values)


def _new_form(
    request: Request,
    principal: Principal,
    session: DbSession,
    *,
    values: dict[str, str],
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "deals/opportunity_new.html",
        {
            "choices": pages_data.deal_choices(
                session,
                principal,
                account=pages_data.chosen_account(session, principal, values.get("account_id")),
            ),
            "values": values,
            "error": error,
            **LABELS,
        },
        status_code=status_code,
    )


def _deal_data(form: FormData) -> dict[str, Any]:
    """The deal form's fields, read into the types the schemas take (blank: not set)."""
    return {
        "name": text(form, "name"),
        "account_id": record_id("Account", text(form, "account_id")),
        "owner_id": record_id("Owner", text(form, "owner_id")),
        "stage_id": record_id("Stage", text(form, "stage_id")),
        "probability": percent("Probability", text(form, "probability")),
        "close_date": day("Close date", text(form, "close_date")),
        "deal_type": text(form, "deal_type") or DealType.NEW.value,
        "currency": text(form, "currency").strip().upper() or None,
        "amount": number("Amount", text(form, "amount")),
        "value_network_id": record_id("Value network", text(form, "value_network_id")),
        "alternative_kind": text(form, "alternative_kind") or "unknown",
        "alternative_name": text(form, "alternative_name"),
        "competitor_id": record_id("Competitor", text(form, "competitor_id")),
        "alternative_price": number("Alternative's price", text(form, "alternative_price")),
        "rfp_class": text(form, "rfp_class") or "none",
        "description": text(form, "description"),
        "last_meeting_on": day("Last meeting", text(form, "last_meeting_on")),
        "mutual_plan": text(form, "mutual_plan") == "on",
    }


def _sent(form: FormData, names: tuple[str, ...]) -> dict[str, str]:
    return {name: text(form, name) for name in names}


DEAL_FIELDS = (
    "name", "account_id", "owner_id", "stage_id", "probability", "close_date", "deal_type",
    "currency", "amount", "value_network_id", "alternative_kind", "alternative_name",
    "competitor_id", "alternative_price", "rfp_class", "description", "last_meeting_on",
    "mutual_plan",
)  # fmt: skip


@router.post("/opportunities")
def create_opportunity(
    request: Request, principal: PagePrincipal, session: DbSession, form: Form
) -> Response:
    pages_data.require_edit(principal)

    def create() -> int:
        data = _deal_data(form)
        data.pop("probability")
        fields = {k: v for k, v in data.items() if v is not None}
        opp = service.create_opportunity(session, principal, validated(OpportunityIn, fields))
        return opp.id

    created = attempt_form(session, create)
    if isinstance(created, FormFailure):
        values = _sent(form, DEAL_FIELDS)
        return _new_form(
            request,
            principal,
            session,
            values=values,
            error=created.message,
            status_code=created.status,
        )
    return redirect(f"/opportunities/{created}", flash="The opportunity is created.")


@router.get("/opportunities/{opp_id}")
def opportunity(
    request: Request, principal: PagePrincipal, session: DbSession, opp_id: PathId
) -> Response:
    return render_opportunity(request, principal, session, opp_id)


NULLABLE_UPDATES = frozenset(OpportunityUpdate.NULLABLE)


@router.post("/opportunities/{opp_id}")
def update_opportunity(
    request: Request, principal: PagePrincipal, session: DbSession, opp_id: PathId, form: Form
) -> Response:
    def update() -> None:
        data = _deal_data(form)
        if "owner_id" not in form:
            data.pop("owner_id")
        changes = {k: v for k, v in data.items() if v is not None or k in NULLABLE_UPDATES}
        service.update_opportunity(
            session, principal, opp_id, validated(OpportunityUpdate, changes)
        )

    done = attempt_form(session, update)
    if isinstance(done, FormFailure):
        return _failed(request, principal, session, opp_id, "deal", done, _sent(form, DEAL_FIELDS))
    return redirect(f"/opportunities/{opp_id}", flash="The deal is saved.")


@router.post("/opportunities/{opp_id}/lines")
def set_lines(
    request: Request, principal: PagePrincipal, session: DbSession, opp_id: PathId, form: Form
) -> Response:
    """Replace the deal's line items with the rows sent (rows marked for removal dropped)."""
    raw = text(form, "line_count")
    count = min(int(raw), 200) if raw.isdigit() else 0

    def replace() -> None:
        lines = []
        for i in range(count):
            product = record_id(f"Line {i + 1} product", text(form, f"l-{i}-product_id"))
            if product is None or text(form, f"l-{i}-remove"):
                continue
            quantity = number(f"Line {i + 1} quantity", text(form, f"l-{i}-quantity"))
            net = number(f"Line {i + 1} net price", text(form, f"l-{i}-net_price"))
            line = {"product_id": product, "quantity": quantity or 1, "net_price": net}
            lines.append(validated(LineIn, line, prefix=f"Line {i + 1}: "))
        service.set_lines(session, principal, opp_id, lines)

    done = attempt_form(session, replace)
    if isinstance(done, FormFailure):
        failure = FormFailure(done.message, done.status)
        return _failed(request, principal, session, opp_id, "lines", failure, None)
    return redirect(f"/opportunities/{opp_id}#lines", flash="The line items are saved.")
