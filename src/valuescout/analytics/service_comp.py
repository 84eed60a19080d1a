"""Compensation plans replayed on the system's own deals: each seller's payout under each plan,
the cost of sales and the company's margin, and who gains or loses under a switch.

The deal lines are the caller's (a manager compares plans on their team); the plans are YAML
texts (`compensation_yaml`), the built-in examples in `plans/` or the caller's own. Nothing is
written: a simulation.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from importlib import resources

from sqlalchemy.orm import Session

from valuescout.analytics import definitions as defs
from valuescout.analytics.compensation import Comparison, band_edges, compare
from valuescout.analytics.compensation_data import seller_sums
from valuescout.analytics.compensation_yaml import parse_plan, parse_quotas
from valuescout.analytics.schemas import (
    ChangeOut,
    CompensationOut,
    PayoutOut,
    PlanIn,
    PlanResultOut,
    SwitchOut,
)
from valuescout.analytics.service import Slice, opened, source_out
from valuescout.identity.principal import Principal

FILTERED = "comp_lines"  # a table: DuckDB views take no parameters


def example_plans() -> dict[str, str]:
    """The built-in example plans: file stem -> YAML text."""
    folder = resources.files("valuescout.analytics") / "plans"
    return {
        p.name.removesuffix(".yaml"): p.read_text(encoding="utf-8")
        for p in sorted(folder.iterdir(), key=lambda p: p.name)
        if p.name.endswith(".yaml")
    }


def _m(value: Decimal) -> float:
    return float(value)


def _out(comparison: Comparison) -> tuple[list[PlanResultOut], list[SwitchOut]]:
    results = [
        PlanResultOut(
            plan=r.plan,
            total_payout=_m(r.total_payout),
            invoice_revenue=_m(r.invoice_revenue),
            pocket_margin=_m(r.pocket_margin),
            company_margin=_m(r.company_margin),
            cost_of_sales_rate=r.cost_of_sales_rate,
            sellers=[
                PayoutOut(
                    seller=p.seller,
                    deals=p.deals,
                    invoice_revenue=_m(p.invoice_revenue),
                    pocket_margin=_m(p.pocket_margin),
                    discount_rate=p.discount_rate,
                    attainment=p.attainment,
                    revenue_commission=_m(p.revenue_commission),
                    margin_commission=_m(p.margin_commission),
                    discount_adjustment=_m(p.discount_adjustment),
                    accelerator=_m(p.accelerator),
                    cap_floor=_m(p.cap_floor),
                    payout=_m(p.payout),
                )
                for p in r.sellers
            ],
        )
        for r in comparison.results
    ]
    switches = [
        SwitchOut(
            before=s.before,
            after=s.after,
            total_change=_m(s.total_change),
            company_margin_change=_m(s.company_margin_change),
            changes=[
                ChangeOut(
                    seller=c.seller, before=_m(c.before), after=_m(c.after), change=_m(c.change)
                )
                for c in s.changes
            ],
        )
        for s in comparison.switches
    ]
    return results, switches


def compare_plans(
    session: Session,
    principal: Principal,
    sl: Slice,
    plans: Sequence[PlanIn],
    quotas: str | None = None,
) -> CompensationOut:
    """Every plan replayed on the slice's deal lines; the first plan is the current one."""
    parsed = [parse_plan(p.source, p.name or f"plan {i}") for i, p in enumerate(plans, 1)]
    overrides = parse_quotas(quotas, "quotas") if quotas and quotas.strip() else None
    filters = sl.checked_filters()
    clause, params = defs.where(filters)
    with opened(session, principal, sl.deals) as source:
        sql = f"CREATE TEMP TABLE {FILTERED} AS SELECT * FROM {source.view}{clause}"  # noqa: S608
        source.con.execute(sql, params)
        sums = seller_sums(source.con, band_edges(parsed), FILTERED)
        out = source_out(source, sl)
    results, switches = _out(compare(parsed, sums, overrides))
    return CompensationOut(source=out, results=results, switches=switches)
