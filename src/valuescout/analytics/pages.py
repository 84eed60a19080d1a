"""HTML pages for discount and margin analytics over the system's own deals: the dashboard
(groups with drill-down), the price waterfall (two slices side by side), the peer-adjusted
outliers with the money at stake, and the pocket price bands.

Every page takes the same slice as the API (status, period, currency, `where` DIM=VALUE) in
its query string, so a drill-down is a link and a page can be bookmarked and shared.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from pydantic import Field
from starlette.responses import Response

from valuescout.analytics import (
    answers,
    charts,
    page_charts,
    service,
    service_approvers,
    service_comp,
)
from valuescout.analytics import definitions as defs
from valuescout.analytics.api import Dims, Pairs, make_slice
from valuescout.analytics.approvals import DecisionQuery
from valuescout.analytics.deal_source import DealStatus
from valuescout.analytics.schemas import CompensationOut, PlanIn
from valuescout.core.web.csrf import verify_csrf
from valuescout.core.web.deps import DbSession
from valuescout.core.web.forms import FormFailure, attempt
from valuescout.core.web.schemas import BlankIsNone
from valuescout.core.web.templating import render
from valuescout.deals.pages import Form
from valuescout.deals.schema_types import IsoDate
from valuescout.identity.deps import PagePrincipal
from valuescout.identity.principal import Principal
from valuescout.identity.roles import Permission

router = APIRouter(dependencies=[Depends(verify_csrf)], include_in_schema=False)

DIMENSION_LABELS = {
    "rep": "Seller",
    "manager": "Manager",
    "approver": "Approver",
    "customer": "Customer",
    "region": "Region",
    "territory": "Territory",
    "segment": "Segment",
    "product": "Product",
    "deal_type": "Deal type",
    "opportunity": "Deal",
    "currency": "Currency",
    "month": "Month",
    "quarter": "Quarter",
}
STATUS_LABELS = {
    DealStatus.WON: "Won deals",
    DealStatus.OPEN: "Open deals (quoted)",
    DealStatus.LOST: "Lost deals (quoted)",
    DealStatus.ALL: "All deals",
}
# Where a click on a group leads: the next natural grouping below it.
DRILL = {
    "manager": "rep",
    "rep": "customer",
    "approver": "rep",
    "region": "territory",
    "territory": "rep",
    "segment": "customer",
    "customer": "opportunity",
    "product": "customer",
    "deal_type": "rep",
    "quarter": "month",
    "month": "rep",
    "currency": "rep",
}
OUTLIER_LABELS = {a: DIMENSION_LABELS[a] for a in service.OUTLIER_ACTORS}
# The forms' blank fields ("any" status, empty dates) mean no filter. The pattern sits on the
# inner type: on the outer one pydantic would apply it to the None a blank became (a 500).
CurrencyCode = Annotated[str, Field(pattern="^[A-Za-z]{3}$")]
PageDate = Annotated[IsoDate | None, BlankIsNone, Query()]


def page_slice(
    status: Annotated[DealStatus | None, BlankIsNone, Query()] = None,
    start: PageDate = None,
    end: PageDate = None,
    currency: Annotated[CurrencyCode | None, BlankIsNone, Query()] = None,
    where: Pairs = None,
) -> service.Slice:
    return make_slice(status, start, end, currency, where)


SliceQuery = Annotated[service.Slice, Depends(page_slice)]


def slice_params(sl: service.Slice) -> list[tuple[str, str]]:
    """The slice as query-string pairs (what `api.deal_slice` reads back)."""
    q = sl.deals
    pairs: list[tuple[str, str]] = []
    if q.status != DealStatus.WON:
        pairs.append(("status", q.status.value))
    if q.start:
        pairs.append(("start", q.start.isoformat()))
    if q.end:
        pairs.append(("end", q.end.isoformat()))
    if q.currency:
        pairs.append(("currency", q.currency))
    pairs += [("where", f"{k}={'' if v is None else v}") for k, v in sl.filters.items()]
    return pairs


def link(
    path: str,
    sl: service.Slice,
    *,
    add: Mapping[str, str | None] | None = None,
    drop: str | None = None,
    extra: Sequence[tuple[str, str]] = (),
) -> str:
    """A page's URL for the slice with filters added or one dropped, plus other params."""
    filters = {k: v for k, v in sl.filters.items() if k != drop}
    filters.update(add or {})
    moved = service.Slice(deals=sl.deals, filters=filters)
    query = urlencode([*slice_params(moved), *extra])
    return f"{path}?{query}" if query else path


def _slice_name(filters: Mapping[str, str | None]) -> str:
    if not filters:
        return "All deal lines"
    return ", ".join(f"{DIMENSION_LABELS.get(k, k)}: {v or '(none)'}" for k, v in filters.items())


def _context(principal: Principal, sl: service.Slice) -> dict[str, Any]:
    return {
        "sl": sl,
        "link": link,
        "dimension_labels": DIMENSION_LABELS,
        "status_labels": STATUS_LABELS,
        "review_approvers": principal.can(Permission.REVIEW_APPROVERS),
    }


PENDING_RELOAD_SECONDS = 2


def _when_ready(
    request: Request, principal: Principal, sl: service.Slice, page: Callable[[], Response]
) -> Response:
    """The page, or, while its figures are computed for the first time (`answers.Pending`:
    seconds at 100,000 deals, longer on a busy server), a page that says so and reloads."""
    try:
        with answers.not_waiting():
            return page()
    except answers.Pending:
        context = {**_context(principal, sl), "reload_seconds": PENDING_RELOAD_SECONDS}
        return render(request, "analytics/pending.html", context)


@router.get("/analytics")
def dashboard(
    request: Request,
    principal: PagePrincipal,
    session: DbSession,
    sl: SliceQuery,
    by: Dims = None,
) -> Response:
    chosen = [b for b in by or [] if b]  # the form sends "then by: —" as ""
    dims = [d.name for d in defs.dimensions(chosen or ["rep"])]
    return _when_ready(
        request, principal, sl, lambda: _dashboard(request, principal, session, sl, dims)
    )


def _dashboard(
    request: Request, principal: Principal, session: DbSession, sl: service.Slice, dims: list[str]
) -> Response:
    board = service.dashboard(session, principal, sl, dims)
    result, spread = board.discounts, board.concentration
    drill = DRILL.get(dims[-1]) if len(dims) == 1 else None
    return render(
        request,
        "analytics/dashboard.html",
        {
            **_context(principal, sl),
            "result": result,
            "by": dims,
            "columns": [(d, defs.dimension(d).key) for d in dims],
            "drill": drill,
            "spread": spread,
            "leak": board.leakage,
            "discount_chart": page_charts.discounts_chart(
                result, defs.dimension(dims[0]).key, DIMENSION_LABELS[dims[0]]
            ),
            "lorenz": charts.lorenz_chart(spread.sides, title=None),
        },
    )


@router.get("/analytics/waterfall")
def waterfall(
    request: Request,
    principal: PagePrincipal,
    session: DbSession,
    sl: SliceQuery,
    compare: Pairs = None,
    compare_dim: Annotated[str | None, Query(max_length=20)] = None,
    compare_value: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    """The slice's waterfall; `compare` (or the form's dimension and value) adds a second."""
    other = service.parse_where(compare, "compare")
    if compare_dim and compare_value is not None:
        other[defs.dimension(compare_dim).name] = compare_value
    return _when_ready(
        request, principal, sl, lambda: _waterfall(request, principal, session, sl, other)
    )


def _waterfall(
    request: Request,
    principal: Principal,
    session: DbSession,
    sl: service.Slice,
    other: dict[str, str | None],
) -> Response:
    result = service.waterfalls(session, principal, sl, other)
    keep = [("compare", f"{k}={'' if v is None else v}") for k, v in other.items()]
    return render(
        request,
        "analytics/waterfall.html",
        {
            **_context(principal, sl),
            "result": result,
            "compare": other,
            "keep": keep,
            "waterfall_chart": page_charts.waterfalls_chart(
                [_slice_name(s.filters) for s in result.slices], result.slices
            ),
            "slice_pairs": slice_params(sl),
            "compare_dim": next(iter(other), "region"),
            "compare_value": next(iter(other.values()), "") or "",
        },
    )


@router.get("/analytics/outliers")
def outliers(
    request: Request,
    principal: PagePrincipal,
    session: DbSession,
    sl: SliceQuery,
    actor: Annotated[str, Query(max_length=20)] = "rep",
) -> Response:
    return _when_ready(
        request, principal, sl, lambda: _outliers(request, principal, session, sl, actor)
    )


def _outliers(
    request: Request, principal: Principal, session: DbSession, sl: service.Slice, actor: str
) -> Response:
    result = service.outliers(session, principal, sl, actor)
    return render(
        request,
        "analytics/outliers.html",
        {
            **_context(principal, sl),
            "result": result,
            "actors": OUTLIER_LABELS,
            "outlier_charts": page_charts.outliers_charts(
                result, DIMENSION_LABELS[result.actor].lower()
            ),
        },
    )


@router.get("/analytics/bands")
def bands(
    request: Request, principal: PagePrincipal, session: DbSession, sl: SliceQuery
) -> Response:
    def page() -> Response:
        result = service.bands(session, principal, sl)
        chart = page_charts.bands_chart(result.products)
        context = {**_context(principal, sl), "result": result, "bands_chart": chart}
        return render(request, "analytics/bands.html", context)

    return _when_ready(request, principal, sl, page)


@router.get("/analytics/approvers")
def approvers(
    request: Request,
    principal: PagePrincipal,
    session: DbSession,
    sl: SliceQuery,
) -> Response:
    q = sl.deals
    result = service_approvers.approver_leniency(
        session, principal, DecisionQuery(q.start, q.end, q.currency)
    )
    return render(
        request, "analytics/approvers.html", {**_context(principal, sl), "result": result}
    )


# --- compensation plans --------------------------------------------------------------------

PLAN_SLOTS = (("a", "revenue-only"), ("b", "discount-multiplier"))


def _render_comp(
    request: Request,
    principal: Principal,
    sl: service.Slice,
    texts: dict[str, str],
    quotas: str,
    result: CompensationOut | None = None,
    failure: FormFailure | None = None,
) -> Response:
    return render(
        request,
        "analytics/compensation.html",
        {
            **_context(principal, sl),
            "texts": texts,
            "quotas": quotas,
            "examples": list(service_comp.example_plans()),
            "result": result,
            "failure": failure,
            "action": link("/analytics/compensation", sl),
        },
        status_code=failure.status if failure else 200,
    )


@router.get("/analytics/compensation")
def compensation(
    request: Request,
    principal: PagePrincipal,
    sl: SliceQuery,
    a: Annotated[str | None, Query(max_length=60)] = None,
    b: Annotated[str | None, Query(max_length=60)] = None,
) -> Response:
    """The plan comparison form, each plan prefilled with a built-in example."""
    principal.require(Permission.VIEW_ANALYTICS)
    examples = service_comp.example_plans()
    chosen = {"a": a, "b": b}
    texts = {
        slot: examples.get(chosen[slot] or default, examples[default])
        for slot, default in PLAN_SLOTS
    }
    return _render_comp(request, principal, sl, texts, "")


@router.post("/analytics/compensation")
def compare_plans(
    request: Request,
    principal: PagePrincipal,
    session: DbSession,
    sl: SliceQuery,
    form: Form,
) -> Response:
    principal.require(Permission.VIEW_ANALYTICS)  # a refusal is the error page, not the form
    texts = {slot: str(form.get(f"plan_{slot}", ""))[:100_000] for slot, _ in PLAN_SLOTS}
    quotas = str(form.get("quotas", ""))[:1_000_000]
    plans = [PlanIn(name=f"Plan {slot.upper()}", source=text) for slot, text in texts.items()]
    outcome = attempt(
        session, lambda: service_comp.compare_plans(session, principal, sl, plans, quotas)
    )
    if isinstance(outcome, FormFailure):
        return _render_comp(request, principal, sl, texts, quotas, failure=outcome)
    return _render_comp(request, principal, sl, texts, quotas, result=outcome)
