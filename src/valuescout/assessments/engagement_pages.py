"""HTML pages of willingness-to-engage assessments and the sales-reputation check.

`/accounts/{id}/willingness` and `/opportunities/{id}/willingness`: the questions (answered
again from the latest answers), the latest result with its reasons, the motion the deal shows
and the history; posting the form keeps a new assessment (bad answers: 400, the form again
with the message, nothing kept). `/assessments/willingness`: the portfolio.
`/assessments/reputation`: the scorecard, its trend chart, the reading, and a button that
keeps the current results. The services decide who sees and does what.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import Field
from starlette.responses import Response

from valuescout.assessments import engagement_charts as charts
from valuescout.assessments import reputation_service, willingness_service
from valuescout.assessments import willingness as w
from valuescout.assessments.engagement_schemas import AnswersIn, ReputationOut
from valuescout.core.errors import Forbidden, Invalid, NotFound
from valuescout.core.web.csrf import verify_csrf
from valuescout.core.web.deps import DbSession
from valuescout.core.web.forms import FormFailure, PathId
from valuescout.core.web.forms import attempt as attempt_form
from valuescout.core.web.schemas import BlankIsNone
from valuescout.core.web.templating import redirect, render
from valuescout.deals.pages import Form
from valuescout.identity.deps import PagePrincipal
from valuescout.identity.principal import Principal
from valuescout.identity.roles import Permission

router = APIRouter(dependencies=[Depends(verify_csrf)], include_in_schema=False)

PageThreshold = Annotated[
    Annotated[Decimal, Field(ge=0, le=Decimal("0.9"), decimal_places=4)] | None,
    BlankIsNone,
    Query(),
]
NOT_ANSWERS = frozenset({"csrf_token", "note"})


def _answers(form: Any) -> AnswersIn:
    """Every posted field but the token and the note is an answer: unknown ids are refused
    by the scoring, naming them."""
    answers = {k: str(v).strip() for k, v in form.multi_items() if k not in NOT_ANSWERS}
    note = str(form.get("note", ""))
    if len(note) > 500:
        raise Invalid("note: at most 500 characters", field="note")
    if len(answers) > 40:
        raise Invalid("Too many answers.", field="answers")
    return AnswersIn(answers=answers, note=note)


def _subject_page(
    request: Request,
    principal: Principal,
    session: DbSession,
    kind: str,
    subject_id: int,
    *,
    values: dict[str, str] | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    view = (
        willingness_service.account_view(session, principal, subject_id)
        if kind == "account"
        else willingness_service.opportunity_view(session, principal, subject_id)
    )
    if values is None:
        values = {k: str(v) for k, v in (view.latest.answers if view.latest else {}).items()}
    base = "/accounts" if kind == "account" else "/opportunities"
    return render(
        request,
        "assessments/willingness.html",
        {
            "view": view,
            "questions": w.QUESTIONS,
            "values": values,
            "error": error,
            "back": f"{base}/{subject_id}",
            "action": f"{base}/{subject_id}/willingness",
            "may_assess": principal.can(Permission.EDIT_DEALS),
        },
        status_code=status_code,
    )


def _post(
    request: Request,
    principal: Principal,
    session: DbSession,
    kind: str,
    subject_id: int,
    form: Any,
) -> Response:
    def save() -> None:
        data = _answers(form)
        if kind == "account":
            willingness_service.assess_account(session, principal, subject_id, data)
        else:
            willingness_service.assess_opportunity(session, principal, subject_id, data)

    done = attempt_form(session, save)
    if isinstance(done, FormFailure):
        if done.status == 403:
            raise Forbidden(done.message)
        if done.status == 404:
            raise NotFound(done.message)
        values = {k: str(v) for k, v in form.multi_items() if k != "csrf_token"}
        return _subject_page(
            request, principal, session, kind, subject_id,
            values=values, error=done.message, status_code=400,
        )  # fmt: skip
    base = "/accounts" if kind == "account" else "/opportunities"
    return redirect(f"{base}/{subject_id}/willingness", "The willingness assessment is saved.")


@router.get("/accounts/{account_id}/willingness")
def account_page(
    request: Request, principal: PagePrincipal, session: DbSession, account_id: PathId
) -> Response:
    return _subject_page(request, principal, session, "account", account_id)


@router.post("/accounts/{account_id}/willingness")
def assess_account(
    request: Request, principal: PagePrincipal, session: DbSession, account_id: PathId, form: Form
) -> Response:
    return _post(request, principal, session, "account", account_id, form)


@router.get("/opportunities/{opp_id}/willingness")
def opportunity_page(
    request: Request, principal: PagePrincipal, session: DbSession, opp_id: PathId
) -> Response:
    return _subject_page(request, principal, session, "opportunity", opp_id)


@router.post("/opportunities/{opp_id}/willingness")
def assess_opportunity(
    request: Request, principal: PagePrincipal, session: DbSession, opp_id: PathId, form: Form
) -> Response:
    return _post(request, principal, session, "opportunity", opp_id, form)


@router.get("/assessments/willingness")
def portfolio_page(request: Request, principal: PagePrincipal, session: DbSession) -> Response:
    result = willingness_service.portfolio(session, principal)
    labels = {m.value: w.MODEL_LABELS[m] for m in w.SalesModel}
    scatter = [
        {**r.model_dump(include={"name", "subject", "newness", "risk", "willingness"}),
         "model": labels[r.model]}
        for r in result.rows
    ]  # fmt: skip
    return render(
        request,
        "assessments/willingness_portfolio.html",
        {
            "result": result,
            "scatter": charts.portfolio_scatter(scatter) if scatter else None,
            "bars": charts.quadrant_bars([(q.label, q.count) for q in result.quadrants]),
            "quadrant_labels": {q.value: label for q, label in w.QUADRANT_LABELS.items()},
            "model_labels": labels,
            "motion_labels": {m.value: label for m, label in w.MOTION_LABELS.items()},
        },
    )


def _trend_chart(result: ReputationOut) -> dict[str, Any]:
    points = [
        (q.period, t.label, getattr(q, t.key)) for q in result.quarters for t in result.trends
    ]
    return charts.reputation_trend(points)


@router.get("/assessments/reputation")
def reputation_page(
    request: Request, principal: PagePrincipal, session: DbSession, threshold: PageThreshold = None
) -> Response:
    return _reputation(request, principal, session, threshold)


def _reputation(
    request: Request,
    principal: Principal,
    session: DbSession,
    threshold: Decimal | None,
    error: str | None = None,
) -> Response:
    result = reputation_service.check(session, principal, date.today(), threshold)
    return render(
        request,
        "assessments/reputation.html",
        {"result": result, "trend_chart": _trend_chart(result), "error": error},
        status_code=400 if error else 200,
    )


@router.post("/assessments/reputation/snapshots")
def reputation_snapshot(
    request: Request, principal: PagePrincipal, session: DbSession, form: Form
) -> Response:
    raw = str(form.get("threshold", "")).strip()
    try:
        threshold = Decimal(raw) if raw else None
    except ArithmeticError:
        threshold = Decimal("NaN")
    if threshold is not None and not (threshold.is_finite() and 0 <= threshold <= Decimal("0.9")):
        message = "threshold: a share between 0 and 0.9, e.g. 0.2; nothing was kept."
        return _reputation(request, principal, session, None, message)
    kept = reputation_service.take_snapshot(session, principal, date.today(), threshold)
    where = f"/assessments/reputation?threshold={threshold}" if threshold is not None else ""
    quarters = ", ".join(s.period for s in kept)
    return redirect(where or "/assessments/reputation", f"Results kept for {quarters}.")
