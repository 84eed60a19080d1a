"""The value case editor on the opportunity page, its live figures, and the customer's business
case (HTML page and PDF).

The editor is one form: the case's terms and one row per outcome (plus a blank row for a new
one). While the user types, htmx posts the form to `.../value-case/preview`, which answers the
figures panel for the unsaved input (nothing is written). Saving posts the same form: every
row is applied in one transaction, so a bad row leaves the whole case as it was.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Request
from jinja2 import Environment
from starlette.datastructures import FormData
from starlette.responses import Response

from valuescout.core.errors import DomainError, Invalid
from valuescout.core.web.csrf import verify_csrf
from valuescout.core.web.deps import DbSession
from valuescout.core.web.forms import FormFailure, PathId
from valuescout.core.web.templating import redirect, render
from valuescout.deals import (
    businesscase,
    businesscase_pdf,
    pages_charts,
    valuecase_figures,
    valuecases,
)
from valuescout.deals.access import visible_opportunity
from valuescout.deals.pages import Form, render_opportunity
from valuescout.deals.pages_data import OpportunityPage
from valuescout.deals.pages_forms import (
    attempt_form,
    number,
    percent,
    record_id,
    shown_number,
    shown_percent,
    text,
    validated,
    whole,
)
from valuescout.deals.schemas import FiguresOut, OutcomeIn, OutcomeUpdate, ValueCaseUpdate
from valuescout.deals.valuecase import PricePosition
from valuescout.identity.deps import PagePrincipal
from valuescout.identity.principal import Principal
from valuescout.valuenet import service as networks

router = APIRouter(dependencies=[Depends(verify_csrf)], include_in_schema=False)

MAX_ROWS = 200
ROW_FIELDS = (
    "id", "network_outcome_id", "name", "direction", "yearly_value", "recurrence", "years",
    "confidence", "state", "evidence_source", "evidence_note", "persona_id", "contact_id",
    "remove",
)  # fmt: skip
TERM_FIELDS = ("discount_rate", "target_share", "assumptions", "internal_notes")
_ROW_KEY = re.compile(r"^o-(\d{1,3})-([a-z_]+)$")
POSITION_LABELS = {
    PricePosition.BELOW_FLOOR: "below the floor",
    PricePosition.FLOOR_TO_TARGET: "between floor and target",
    PricePosition.TARGET_TO_CEILING: "between target and ceiling",
    PricePosition.ABOVE_CEILING: "above the ceiling",
}


def blank_row() -> dict[str, str]:
    row = dict.fromkeys(ROW_FIELDS, "")
    row |= {"direction": "for", "recurrence": "recurring", "years": "1", "confidence": "50"}
    return row | {"state": "hypothesised"}


def editor_state(page: OpportunityPage) -> dict[str, Any]:
    """The editor's form values for the saved case: its terms and rows, then a blank row."""
    case = page.value_case
    if case is None:
        return {"terms": {}, "rows": []}
    rows = [
        {
            "id": str(o.id),
            "network_outcome_id": str(o.network_outcome_id or ""),
            "name": o.name,
            "direction": o.direction.value,
            "yearly_value": shown_number(o.yearly_value),
            "recurrence": o.recurrence.value,
            "years": str(o.years),
            "confidence": shown_percent(o.confidence),
            "state": o.state.value,
            "evidence_source": o.evidence_source,
            "evidence_note": o.evidence_note,
            "persona_id": str(o.persona_id or ""),
            "contact_id": str(o.contact_id or ""),
            "remove": "",
        }
        for o in case.outcomes
    ]
    terms = {
        "discount_rate": shown_percent(case.discount_rate),
        "target_share": shown_percent(case.target_share),
        "assumptions": case.assumptions,
        "internal_notes": case.internal_notes,
    }
    return {"terms": terms, "rows": [*rows, blank_row()]}


def sent_state(form: FormData) -> dict[str, Any]:
    """The editor's values as sent, to show them again after a refused save."""
    found: dict[int, dict[str, str]] = {}
    for key in form:
        match = _ROW_KEY.match(key)
        if match and match.group(2) in ROW_FIELDS:
            found.setdefault(int(match.group(1)), dict.fromkeys(ROW_FIELDS, ""))
            found[int(match.group(1))][match.group(2)] = text(form, key)
    rows = [found[i] for i in sorted(found)][:MAX_ROWS]
    return {"terms": {k: text(form, k) for k in TERM_FIELDS}, "rows": rows}


def _is_blank(row: dict[str, str]) -> bool:
    return not (row["name"].strip() or row["yearly_value"].strip() or row["network_outcome_id"])


def _outcome_data(
    n: int, row: dict[str, str], outcome_names: dict[int, str], *, lenient: bool
) -> dict[str, Any]:
    label = f"Outcome {n}"
    picked = record_id(f"{label} network outcome", row["network_outcome_id"])
    name = row["name"].strip() or (outcome_names.get(picked, "") if picked else "")
    value = number(f"{label} yearly value", row["yearly_value"])
    if value is None and not lenient:
        raise Invalid(f"{label} ({name or 'no name'}): enter its yearly value.")
    confidence = percent(f"{label} confidence", row["confidence"])
    return {
        "name": name if name or not lenient else "Unnamed",
        "network_outcome_id": picked,
        "direction": row["direction"] or "for",
        "yearly_value": value if value is not None else Decimal(0),
        "recurrence": row["recurrence"] or "recurring",
        "years": whole(f"{label} years", row["years"]) or 1,
        "confidence": confidence if confidence is not None else Decimal("0.5"),
        "state": row["state"] or "hypothesised",
        "evidence_source": row["evidence_source"],
        "evidence_note": row["evidence_note"],
        "persona_id": record_id(f"{label} persona", row["persona_id"]),
        "contact_id": record_id(f"{label} contact", row["contact_id"]),
    }


def _terms(terms: dict[str, str]) -> ValueCaseUpdate:
    data: dict[str, Any] = {
        "discount_rate": percent("Discount rate", terms.get("discount_rate", "")),
        "target_share": percent("Target share", terms.get("target_share", "")),
        "assumptions": terms.get("assumptions", ""),
        "internal_notes": terms.get("internal_notes", ""),
    }
    return validated(ValueCaseUpdate, {k: v for k, v in data.items() if v is not None})


def _parsed_rows(
    state: dict[str, Any], outcome_names: dict[int, str], *, lenient: bool
) -> list[tuple[int | None, bool, dict[str, Any]]]:
    """(outcome id or None for a new one, remove?, fields) for each row that is not blank."""
    parsed: list[tuple[int | None, bool, dict[str, Any]]] = []
    for n, row in enumerate(state["rows"], start=1):
        outcome_id = record_id(f"Outcome {n}", row["id"])
        if bool(row["remove"]) or (outcome_id is None and _is_blank(row)):
            parsed.append((outcome_id, True, {}))
            continue
        data = _outcome_data(n, row, outcome_names, lenient=lenient)
        validated(OutcomeIn, data, prefix=f"Outcome {n}: ")
        parsed.append((outcome_id, False, data))
    return parsed


def _outcome_names(session: DbSession, principal: Principal, opp_id: int) -> dict[int, str]:
    """The deal's network's outcomes by id (the deal out of sight: not found, as ever)."""
    network_id = visible_opportunity(session, principal, opp_id).value_network_id
    return {} if network_id is None else networks.outcome_names(session, network_id)


@router.post("/opportunities/{opp_id}/value-case/start")
def start_value_case(
    request: Request, principal: PagePrincipal, session: DbSession, opp_id: PathId
) -> Response:
    valuecases.start_value_case(session, principal, opp_id)
    return redirect(f"/opportunities/{opp_id}#value-case", flash="The value case is started.")


@router.post("/opportunities/{opp_id}/value-case")
def save_value_case(
    request: Request, principal: PagePrincipal, session: DbSession, opp_id: PathId, form: Form
) -> Response:
    state = sent_state(form)

    def save() -> None:
        names = _outcome_names(session, principal, opp_id)
        rows = _parsed_rows(state, names, lenient=False)
        edit = valuecases.CaseEdit(
            terms=_terms(state["terms"]),
            removed=[oid for oid, remove, _ in rows if oid is not None and remove],
            changed={
                outcome_id: validated(OutcomeUpdate, data)
                for outcome_id, remove, data in rows
                if outcome_id is not None and not remove
            },
            added=[
                validated(OutcomeIn, d) for oid, remove, d in rows if oid is None and not remove
            ],
        )
        valuecases.save_case(session, principal, opp_id, edit)

    done = attempt_form(session, save)
    if isinstance(done, FormFailure):
        return render_opportunity(
            request,
            principal,
            session,
            opp_id,
            errors={"case": done.message},
            values={"case": state},
            status_code=done.status,
        )
    return redirect(f"/opportunities/{opp_id}#value-case", flash="The value case is saved.")


@router.post("/opportunities/{opp_id}/value-case/preview")
def preview_value_case(
    request: Request, principal: PagePrincipal, session: DbSession, opp_id: PathId, form: Form
) -> Response:
    """The figures panel for the editor's unsaved input (an htmx fragment; nothing written)."""
    state = sent_state(form)
    figures: FiguresOut | None = None
    error = None
    visible_opportunity(session, principal, opp_id)  # out of sight: "not found", as ever
    try:
        rows = _parsed_rows(state, {}, lenient=True)
        outcomes = [OutcomeIn.model_validate(d) for _, remove, d in rows if not remove]
        terms = _terms(state["terms"])
        figures = valuecase_figures.preview_figures_with_terms(
            session, principal, opp_id, outcomes, terms
        )
    except Invalid as exc:
        error = exc.message
    except DomainError:
        raise
    return render(
        request, "deals/_figures.html", figures_context(figures, error=error, preview=True)
    )


def figures_context(
    figures: FiguresOut | None, *, error: str | None = None, preview: bool = False
) -> dict[str, Any]:
    """What the figures panel draws: the numbers, the corridor bar and the preference chart."""
    if figures is None:
        return {"figures": None, "error": error, "preview": preview}
    corridor = figures.corridor
    return {
        "figures": figures,
        "error": error,
        "preview": preview,
        "position": POSITION_LABELS[figures.position],
        "bar": pages_charts.corridor_bar(
            corridor.floor, corridor.target, corridor.ceiling, figures.our_price
        ),
        "curve": pages_charts.preference_chart(
            figures.curve, figures.our_price, figures.preference
        ),
    }


# --- the customer's business case --------------------------------------------------------------

# One print stylesheet for both: the page links it (the CSP allows no inline style), the PDF
# carries it inline (WeasyPrint fetches nothing).
BUSINESS_CASE_CSS = "/static/css/deals-business-case.css"
_CSS_FILE = (
    Path(__file__).resolve().parents[1] / "web" / "static" / "css" / "deals-business-case.css"
)


def _business_case_context(case: businesscase.BusinessCase, *, for_pdf: bool) -> dict[str, Any]:
    chart = pages_charts.cumulative_chart(
        [(p.year, p.cumulative_value) for p in case.cumulative], case.investment
    )
    return {
        "case": case,
        "chart": chart,
        "for_pdf": for_pdf,
        "stylesheet": BUSINESS_CASE_CSS,
        "inline_css": _CSS_FILE.read_text(encoding="utf-8") if for_pdf else None,
    }


@router.get("/opportunities/{opp_id}/business-case")
def business_case(
    request: Request, principal: PagePrincipal, session: DbSession, opp_id: PathId
) -> Response:
    case = businesscase.customer_business_case(session, principal, opp_id)
    return render(request, "deals/business_case.html", _business_case_context(case, for_pdf=False))


@router.get("/opportunities/{opp_id}/business-case.pdf")
def business_case_pdf(
    request: Request, principal: PagePrincipal, session: DbSession, opp_id: PathId
) -> Response:
    case = businesscase.customer_business_case(session, principal, opp_id)
    env: Environment = request.app.state.templates.env
    html = env.get_template("deals/business_case.html").render(
        _business_case_context(case, for_pdf=True)
    )
    pdf = businesscase_pdf.render_pdf(html)
    filename = f"business-case-{case.opportunity_id}.pdf"
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
