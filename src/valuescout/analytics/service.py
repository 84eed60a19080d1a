"""Discount and margin analytics over the system's own deals, in the caller's row scope.

Each use case loads the caller's deal lines (`deal_source`) into an in-memory DuckDB and runs
the same engine as `valuescout analytics` does on files, so a figure means the same thing in
the app, the API and the CLI. Who may: Permission.VIEW_ANALYTICS (managers see their team's
deals, price desk, executives and admins everything); sellers and contributors get nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from valuescout.analytics import definitions as defs
from valuescout.analytics import engine
from valuescout.analytics.answers import answer
from valuescout.analytics.deal_source import DealLineQuery, Source, load
from valuescout.analytics.leakage import leakage as leakage_of
from valuescout.analytics.schemas import (
    BandOut,
    BandsOut,
    ConcentrationOut,
    ConcentrationsOut,
    DiscountsOut,
    GroupOut,
    LeakageOut,
    MeasuresOut,
    OutlierOut,
    OutliersOut,
    RankedOut,
    RankingOut,
    SourceOut,
    StepOut,
    TopItemOut,
    WaterfallOut,
    WaterfallsOut,
)
from valuescout.core.errors import Invalid
from valuescout.deals.valuecase_figures import deal_settings
from valuescout.identity.principal import Principal
from valuescout.identity.roles import Permission
from valuescout.identity.scope import scope_for

T = TypeVar("T")
MAX_GROUPS = 500  # rows of one grouping sent back; the rest are counted
MAX_DIMENSIONS = 3
OUTLIER_ACTORS = ("rep", "manager", "approver", "customer")


@dataclass(frozen=True)
class Slice:
    """Which deal lines, and which slice of them (dimension name -> value)."""

    deals: DealLineQuery = field(default_factory=DealLineQuery)
    filters: Mapping[str, str | None] = field(default_factory=dict)

    def checked_filters(self) -> dict[str, str | None]:
        return {defs.dimension(k).name: v for k, v in self.filters.items()}

    def key(self) -> Hashable:
        return tuple(sorted(self.checked_filters().items()))


def answered(
    session: Session,
    principal: Principal,
    sl: Slice,
    question: Hashable,
    compute: Callable[[Source], T],
) -> T:
    """`compute` over the caller's deal lines, shared with callers of the same scope asking the
    same question of the same snapshot (`answers`)."""
    principal.require(Permission.VIEW_ANALYTICS)
    scope = scope_for(session, principal)
    currency = deal_settings(session).currency
    return answer(session, scope, sl.deals, currency, (question, sl.key()), compute)


@contextmanager
def opened(session: Session, principal: Principal, deals: DealLineQuery) -> Iterator[Source]:
    """The caller's deal lines in DuckDB, closed afterwards."""
    principal.require(Permission.VIEW_ANALYTICS)
    source = load(session, scope_for(session, principal), deals, deal_settings(session).currency)
    try:
        yield source
    finally:
        source.close()


def source_out(source: Source, sl: Slice) -> SourceOut:
    q = sl.deals
    return SourceOut(
        status=q.status.value,
        start=q.start,
        end=q.end,
        currency=source.currency,
        currencies=list(source.currencies),
        lines=source.lines,
        lines_without_cost=source.lines_without_cost,
        lines_without_list_price=source.lines_without_list_price,
        filters=dict(sl.filters),
        as_of=source.as_of,
    )


def _measures(row: Mapping[str, Any]) -> dict[str, Any]:
    return {name: row[name] for name in MeasuresOut.model_fields}


def _dims(by: Sequence[str]) -> list[str]:
    dims = [d.name for d in defs.dimensions(by)]
    if len(dims) > MAX_DIMENSIONS:
        raise Invalid(f"group by at most {MAX_DIMENSIONS} dimensions", field="by")
    return dims


def discounts(session: Session, principal: Principal, sl: Slice, by: Sequence[str]) -> DiscountsOut:
    """Every measure per combination of `by` (at most three dimensions), largest discount
    first, and the slice's total."""
    dims = _dims(by)
    return answered(
        session, principal, sl, ("discounts", *dims), lambda src: _discounts(src, sl, dims)
    )


def _discounts(source: Source, sl: Slice, dims: list[str]) -> DiscountsOut:
    filters = sl.checked_filters()
    total = engine.group_by(source.con, [], filters, view=source.view).rows[0]
    grouped = engine.group_by(source.con, dims, filters, view=source.view) if dims else None
    names = source.opportunity_names
    rows = (grouped.rows if grouped else [])[:MAX_GROUPS]
    keys = grouped.keys if grouped else []
    shown = {str(r["opportunity_id"]) for r in rows if r.get("opportunity_id") is not None}
    return DiscountsOut(
        source=source_out(source, sl),
        by=dims,
        total=MeasuresOut(**_measures(total)),
        groups=[GroupOut(group={k: _text(row[k]) for k in keys}, **_measures(row)) for row in rows],
        groups_total=len(grouped.rows) if grouped else 0,
        opportunity_names={k: names[k] for k in sorted(shown) if k in names},
    )


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _waterfall_out(s: engine.SliceWaterfall) -> WaterfallOut:
    w = s.waterfall
    return WaterfallOut(
        filters=s.filters,
        lines=w.lines,
        quantity=float(w.quantity),
        list_revenue=float(w.list_revenue),
        discount=float(w.discount),
        invoice_revenue=float(w.invoice_revenue),
        off_invoice=float(w.off_invoice),
        pocket_revenue=float(w.pocket_revenue),
        cost=float(w.cost),
        pocket_margin=float(w.pocket_margin),
        discount_rate=w.discount_rate,
        price_realisation=w.price_realisation,
        pocket_price_realisation=w.pocket_price_realisation,
        pocket_margin_pct=w.pocket_margin_pct,
        markup=w.markup,
        steps=[
            StepOut(label=st.label, amount=float(st.amount), is_total=st.is_total)
            for st in w.steps()
        ],
    )


def waterfalls(
    session: Session,
    principal: Principal,
    sl: Slice,
    compare: Mapping[str, str | None] | None = None,
) -> WaterfallsOut:
    """The price waterfall of the slice, and with `compare` a second slice beside it (the
    slice's filters with these laid over them)."""
    filters = sl.checked_filters()

    def compute(source: Source) -> WaterfallsOut:
        if compare:
            pair = engine.compare_waterfalls(source.con, filters, compare, view=source.view)
            slices = list(pair)
        else:
            slices = [engine.slice_waterfall(source.con, filters, view=source.view)]
        return WaterfallsOut(
            source=source_out(source, sl), slices=[_waterfall_out(s) for s in slices]
        )

    other = tuple(sorted(compare.items())) if compare else ()
    return answered(session, principal, sl, ("waterfalls", other), compute)


def outliers(session: Session, principal: Principal, sl: Slice, actor: str = "rep") -> OutliersOut:
    """Each seller's (manager's, approver's, customer's) discount rate against what their mix
    predicts, with the money at stake, largest excess first."""
    who = defs.dimension(actor).name
    if who not in OUTLIER_ACTORS:
        raise Invalid(f"outliers are for {', '.join(OUTLIER_ACTORS)}", field="actor")
    return answered(session, principal, sl, ("outliers", who), lambda src: _outliers(src, sl, who))


def _outliers(source: Source, sl: Slice, who: str) -> OutliersOut:
    report = engine.outliers(source.con, who, sl.checked_filters(), view=source.view)
    return OutliersOut(
        source=source_out(source, sl),
        actor=who,
        sigma=report.sigma,
        tau=report.tau,
        excluded_from_peers=report.excluded_from_peers,
        unbenchmarked=report.unbenchmarked,
        actors=[
            OutlierOut(
                actor=a.actor,
                status=a.status,
                lines=a.lines,
                list_revenue=float(a.list_revenue),
                discount=float(a.discount),
                rate=a.rate,
                expected_rate=a.expected_rate,
                residual=a.residual,
                standard_error=a.standard_error,
                z=a.z,
                shrunk_residual=a.shrunk_residual,
                excess_discount=float(a.excess_discount),
                money_at_stake=float(a.money_at_stake),
                shrunk_money_at_stake=(
                    None if a.shrunk_money_at_stake is None else float(a.shrunk_money_at_stake)
                ),
                uncompared_list_revenue=float(a.uncompared_list_revenue),
            )
            for a in report.actors
        ],
    )


def concentration(
    session: Session,
    principal: Principal,
    sl: Slice,
    across: Sequence[str] = ("customer", "rep"),
    top: int = 10,
) -> ConcentrationsOut:
    """Gini, top-decile share and Lorenz curve of discount $ across customers and sellers."""
    dims = [d.name for d in defs.dimensions(across)]
    return answered(
        session,
        principal,
        sl,
        ("concentration", tuple(dims), top),
        lambda src: _concentration(src, sl, dims, top),
    )


def _concentration(source: Source, sl: Slice, dims: list[str], top: int) -> ConcentrationsOut:
    filters = sl.checked_filters()
    sides = engine.concentration(source.con, dims, filters, view=source.view, top=top)
    return ConcentrationsOut(
        source=source_out(source, sl),
        sides=[
            ConcentrationOut(
                dimension=defs.dimension(s.dimension).key,
                items=s.items,
                discount=float(s.discount),
                gini=s.gini,
                top_decile_share=s.top_decile_share,
                top=[TopItemOut(item=k, discount=float(v)) for k, v in s.top],
                lorenz=s.lorenz,
            )
            for s in sides
        ],
    )


def bands(session: Session, principal: Principal, sl: Slice) -> BandsOut:
    """The pocket price band per product (pocket price as a share of list), most units first."""
    return answered(session, principal, sl, "bands", lambda src: _bands(src, sl))


def _bands(source: Source, sl: Slice) -> BandsOut:
    found = engine.product_bands(source.con, sl.checked_filters(), view=source.view)
    ordered = sorted(found.items(), key=lambda kv: (-kv[1].volume, kv[0]))
    return BandsOut(
        source=source_out(source, sl),
        products=[
            BandOut(
                product_id=p,
                points=b.points,
                volume=b.volume,
                mean=b.mean,
                p10=b.p10,
                p25=b.p25,
                p50=b.p50,
                p75=b.p75,
                p90=b.p90,
                minimum=b.minimum,
                maximum=b.maximum,
                width=b.width,
            )
            for p, b in ordered
        ],
    )


def parse_where(pairs: Sequence[str] | None, name: str = "where") -> dict[str, str | None]:
    """DIM=VALUE pairs -> {dimension: value}; an empty value means "no value"."""
    out: dict[str, str | None] = {}
    for pair in pairs or []:
        dim, sep, value = pair.partition("=")
        if not sep or not dim.strip():
            raise Invalid(f"{name} {pair!r}: write DIM=VALUE", field=name)
        out[defs.dimension(dim.strip()).name] = value if value != "" else None
    return out


def leakage(session: Session, principal: Principal, sl: Slice, top: int = 5) -> LeakageOut:
    """The one-minute summary: discount given, the part given to customers who preferred us
    at list price already (from value cases), and who gives the most beyond their peers."""
    return answered(session, principal, sl, ("leakage", top), lambda src: _leakage(src, sl, top))


def _leakage(source: Source, sl: Slice, top: int) -> LeakageOut:
    prefs = source.preferences
    found = leakage_of(
        source.con, view=source.view, preferences=prefs, top=top, filters=sl.checked_filters()
    )
    return LeakageOut(
        source=source_out(source, sl),
        list_revenue=float(found.list_revenue),
        discount=float(found.discount),
        discount_rate=found.discount_rate,
        off_invoice=float(found.off_invoice),
        total_leakage=float(found.total_leakage),
        left_on_table=None if found.left_on_table is None else float(found.left_on_table),
        known_share=found.known_share,
        known_discount=float(found.known_discount),
        rankings=[
            RankingOut(
                actor=r.actor,
                compared=r.compared,
                money_at_stake=float(r.money_at_stake),
                top=[
                    RankedOut(
                        actor=a.actor,
                        money_at_stake=float(a.money_at_stake),
                        rate=a.rate,
                        expected_rate=a.expected_rate,
                        z=a.z,
                        status=a.status,
                    )
                    for a in r.top
                ],
            )
            for r in (found.sellers, found.approvers, found.customers)
        ],
    )


@dataclass(frozen=True)
class Dashboard:
    discounts: DiscountsOut
    concentration: ConcentrationsOut
    leakage: LeakageOut


def dashboard(session: Session, principal: Principal, sl: Slice, by: Sequence[str]) -> Dashboard:
    """The dashboard's three answers from one load of the deal lines."""
    dims = _dims(by)

    def compute(source: Source) -> Dashboard:
        return Dashboard(
            discounts=_discounts(source, sl, dims),
            concentration=_concentration(source, sl, ["customer", "rep"], 5),
            leakage=_leakage(source, sl, 5),
        )

    return answered(session, principal, sl, ("dashboard", *dims), compute)
