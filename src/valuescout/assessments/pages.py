"""HTML pages of the maturity assessment.

- `/assessments`: the hub (rounds, your progress; open or close a round if you run them);
- `/assessments/maturity/{id}/answer?domain=...`: one domain per step, saved on each step, so
  you resume where you left (no domain: the first one you have not saved);
- `/assessments/maturity/{id}`: the company's result for who may see it, your own answers
  for everyone else; `.../report.html` and `.../report.pdf` the printable report;
- `/assessments/maturity/journey`: the closed rounds and what changed between them.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from jinja2 import Environment
from pydantic import Field
from starlette.datastructures import FormData
from starlette.responses import Response

from valuescout.assessments import maturity_charts, maturity_content, maturity_report, service
from valuescout.assessments.models import MaturityRound
from valuescout.assessments.schemas import MaturityResultOut
from valuescout.core.web.csrf import verify_csrf
from valuescout.core.web.deps import DbSession
from valuescout.core.web.forms import FormFailure, PathId, attempt
from valuescout.core.web.schemas import BlankIsNone
from valuescout.core.web.templating import redirect, render
from valuescout.deals import businesscase_pdf
from valuescout.deals.pages import Form
from valuescout.identity.deps import PagePrincipal
from valuescout.identity.principal import Principal
from valuescout.identity.roles import Permission

router = APIRouter(dependencies=[Depends(verify_csrf)], include_in_schema=False)

DomainQuery = Annotated[
    Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]{0,39}$")] | None, BlankIsNone, Query()
]
DONT_KNOW = "dk"


def _page_status(failure: FormFailure) -> int:
    """Bad input re-renders the form with 400 (the API's 422); other refusals keep theirs."""
    return 400 if failure.status == 422 else failure.status


def _base(round_id: int) -> str:
    return f"/assessments/maturity/{round_id}"


@router.get("/assessments")
def hub_page(request: Request, principal: PagePrincipal, session: DbSession) -> Response:
    return hub(request, principal, session)


def hub(
    request: Request,
    principal: Principal,
    session: DbSession,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    current = service.open_round(session)
    content = maturity_content.load(current.content_version if current else None)
    return render(
        request,
        "assessments/hub.html",
        {
            "rounds": service.list_rounds(session, principal),
            "current": current,
            "progress": service.progress(session, principal, current.id) if current else None,
            "domains": content.domains,
            "may_run": principal.can(Permission.RUN_ASSESSMENTS),
            "sees_results": principal.can(Permission.VIEW_MATURITY_RESULTS),
            "levels": maturity_content.LEVEL_LABELS,
            "error": error,
        },
        status_code=status_code,
    )


@router.post("/assessments/maturity/rounds")
def open_round(
    request: Request, principal: PagePrincipal, session: DbSession, form: Form
) -> Response:
    principal.require(Permission.RUN_ASSESSMENTS)  # refused: the error page, not the form
    title = str(form.get("title", "")).strip()
    if not title or len(title) > 200:
        return hub(request, principal, session, "title: give the round a name (up to 200 "
                   "characters).", 400)  # fmt: skip
    done = attempt(session, lambda: service.start_round(session, principal, title))
    if isinstance(done, FormFailure):
        return hub(request, principal, session, done.message, _page_status(done))
    return redirect("/assessments", f"Round “{done.title}” is open for answers.")


@router.post("/assessments/maturity/{round_id}/close")
def close_round(principal: PagePrincipal, session: DbSession, round_id: PathId) -> Response:
    result = service.close_round(session, principal, round_id, date.today())
    overall = maturity_content.LEVEL_LABELS[result.overall]
    return redirect(_base(round_id), f"Round closed: overall {overall}.")


# --- answering --------------------------------------------------------------------------------


def _answer_page(
    request: Request,
    principal: Principal,
    session: DbSession,
    row: MaturityRound,
    domain_id: str,
    posted: dict[str, int | None] | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    content = service.content_of(row)
    domain = content.domain(domain_id)
    progress = service.progress(session, principal, row.id)
    ids = [d.id for d in content.domains]
    index = ids.index(domain_id) if domain else 0
    return render(
        request,
        "assessments/answer.html",
        {
            "round": row,
            "content": content,
            "domain": domain or content.domains[0],
            "step": index + 1,
            "progress": progress,
            "values": posted if posted is not None else progress.answers,
            "next_domain": ids[index + 1] if index + 1 < len(ids) else None,
            "dont_know": DONT_KNOW,
            "error": error,
        },
        status_code=status_code,
    )


@router.get("/assessments/maturity/{round_id}/answer")
def answer_page(
    request: Request,
    principal: PagePrincipal,
    session: DbSession,
    round_id: PathId,
    domain: DomainQuery = None,
) -> Response:
    row = service.get_round(session, round_id)
    if row.status != "open":
        return redirect(_base(round_id), "This round is closed; here are its answers.")
    content = service.content_of(row)
    chosen = domain or service.progress(session, principal, round_id).next_domain
    if chosen is None:
        chosen = content.domains[0].id
    if content.domain(chosen) is None:
        known = ", ".join(d.id for d in content.domains)
        error = f"domain: {chosen!r} is not a domain of this assessment (known: {known})."
        return _answer_page(request, principal, session, row, content.domains[0].id, None,
                            error, 400)  # fmt: skip
    return _answer_page(request, principal, session, row, chosen)


def _posted_answers(form: FormData) -> tuple[dict[str, int | None], list[str]]:
    answers: dict[str, int | None] = {}
    problems: list[str] = []
    for key, raw in form.multi_items():
        if not key.startswith("a:"):
            continue
        ident, text = key[2:], str(raw).strip()
        if text in ("", DONT_KNOW):
            answers[ident] = None
        elif text.isdigit() and len(text) < 3:
            answers[ident] = int(text)
        else:
            problems.append(f"{ident}: {text[:20]!r} is not an answer on the scale")
    return answers, problems


@router.post("/assessments/maturity/{round_id}/answer")
def save_answers(
    request: Request,
    principal: PagePrincipal,
    session: DbSession,
    round_id: PathId,
    form: Form,
    domain: DomainQuery = None,
) -> Response:
    row = service.get_round(session, round_id)
    content = service.content_of(row)
    chosen = domain or str(form.get("domain", ""))
    answers, problems = _posted_answers(form)
    if content.domain(chosen) is None or problems:
        error = "; ".join(problems) or f"domain: {chosen!r} is not a domain of this assessment."
        first = chosen if content.domain(chosen) else content.domains[0].id
        return _answer_page(request, principal, session, row, first, answers, error, 400)
    saved = attempt(session, lambda: service.save_domain(session, principal, round_id, chosen,
                                                         answers))  # fmt: skip
    if isinstance(saved, FormFailure):
        return _answer_page(request, principal, session, row, chosen, answers, saved.message,
                            _page_status(saved))  # fmt: skip
    title = content.domain(chosen).title  # type: ignore[union-attr]
    if saved.next_domain is not None and form.get("then") != "stay":
        return redirect(f"{_base(round_id)}/answer?domain={saved.next_domain}",
                        f"Saved your answers on {title}.")  # fmt: skip
    if saved.next_domain is None:
        return redirect(_base(round_id), "Thank you: every domain is answered.")
    return redirect(f"{_base(round_id)}/answer?domain={chosen}", f"Saved your answers on {title}.")


# --- results ----------------------------------------------------------------------------------


def _previous(
    session: DbSession, principal: Principal, row: MaturityRound
) -> MaturityResultOut | None:
    """The result of the round closed before this one (for the radar and the changes)."""
    earlier = [r for r in service.list_rounds(session, principal)
               if r.status == "closed" and r.id != row.id and r.closed_at is not None
               and (row.closed_at is None or r.closed_at < row.closed_at)]  # fmt: skip
    if not earlier:
        return None
    latest = max(earlier, key=lambda r: r.closed_at)  # type: ignore[arg-type, return-value]
    return service.result(session, principal, latest.id)


@router.get("/assessments/maturity/journey")
def journey_page(request: Request, principal: PagePrincipal, session: DbSession) -> Response:
    journey = service.journey(session, principal)
    content = maturity_content.load()
    titles = {d.id: d.title for d in content.domains}
    return render(
        request,
        "assessments/journey.html",
        {
            "journey": journey,
            "levels": maturity_content.LEVEL_LABELS,
            "texts": {i.id: i.text for i in content.indicators.values()},
            "domains": {d.id: d.title for d in content.domains},
            "chart": maturity_charts.journey_spec(
                [
                    (s.title, titles.get(d, d), p)
                    for s in journey.steps
                    for d, p in s.positions.items()
                ]
            )
            if journey.steps
            else None,
        },
    )


@router.get("/assessments/maturity/{round_id}")
def result_page(
    request: Request, principal: PagePrincipal, session: DbSession, round_id: PathId
) -> Response:
    row = service.get_round(session, round_id)
    context: dict[str, Any] = {
        "round": row,
        "content": service.content_of(row),
        "progress": service.progress(session, principal, round_id),
        "levels": maturity_content.LEVEL_LABELS,
        "may_run": principal.can(Permission.RUN_ASSESSMENTS),
        "result": None,
    }
    if principal.can(Permission.VIEW_MATURITY_RESULTS):
        result = service.result(session, principal, round_id, date.today())
        previous = _previous(session, principal, row)
        context |= {
            "result": result,
            "evidence": {e.id: e for e in result.evidence},
            "radar": maturity_charts.radar_spec(
                maturity_report.axes(result), maturity_report.axes(previous) if previous else None
            ),
        }
    return render(request, "assessments/result.html", context)


def _report_context(
    session: DbSession, principal: Principal, round_id: int, *, for_file: bool
) -> dict[str, Any]:
    row = service.get_round(session, round_id)
    result = service.result(session, principal, round_id, date.today())
    when = row.closed_at.date().isoformat() if row.closed_at else "open, scored today"
    return maturity_report.report_context(
        result,
        title=row.title,
        subtitle=f"Round {row.id} ({when})",
        prepared_on=date.today(),
        previous=_previous(session, principal, row),
        for_file=for_file,
        links={"back": _base(round_id), "pdf": f"{_base(round_id)}/report.pdf"},
    )


@router.get("/assessments/maturity/{round_id}/report.html")
def report_html(
    request: Request, principal: PagePrincipal, session: DbSession, round_id: PathId
) -> Response:
    context = _report_context(session, principal, round_id, for_file=False)
    return render(request, "assessments/maturity_report.html", context)


@router.get("/assessments/maturity/{round_id}/report.pdf")
def report_pdf(
    request: Request, principal: PagePrincipal, session: DbSession, round_id: PathId
) -> Response:
    context = _report_context(session, principal, round_id, for_file=True)
    env: Environment = request.app.state.templates.env
    html = env.get_template("assessments/maturity_report.html").render(context)
    pdf = businesscase_pdf.render_pdf(html)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="maturity-round-{round_id}.pdf"'},
    )
