"""Chart specs for the analytics pages, from the service's answers (the API's shapes).

`charts.py` builds specs from the engine's results; the pages hold the service's pydantic
answers, so this module turns those back into the engine's small result types first. Pure.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from valuescout.analytics import charts, charts_spread
from valuescout.analytics.outliers import ActorOutlier, OutlierReport
from valuescout.analytics.schemas import BandOut, DiscountsOut, OutliersOut, WaterfallOut
from valuescout.analytics.waterfall import PocketBand, Waterfall, WaterfallSums, waterfall
from valuescout.core.vegalite import Spec


def _d(value: float | None) -> Decimal:
    return Decimal(repr(value)) if value is not None else Decimal(0)


def as_waterfall(w: WaterfallOut) -> Waterfall:
    return waterfall(
        WaterfallSums(
            lines=w.lines,
            quantity=_d(w.quantity),
            list_revenue=_d(w.list_revenue),
            invoice_revenue=_d(w.invoice_revenue),
            off_invoice=_d(w.off_invoice),
            cost=_d(w.cost),
        )
    )


def discounts_chart(result: DiscountsOut, key: str, title: str) -> Spec:
    rows = [{key: g.group.get(key), **g.model_dump(exclude={"group"})} for g in result.groups]
    return charts.discount_by(rows, key, title=None, dimension_title=title)


def waterfalls_chart(names: Sequence[str], slices: Sequence[WaterfallOut]) -> Spec:
    if len(slices) == 1:
        return charts.waterfall_chart(as_waterfall(slices[0]), title=None)
    pairs = [(n, as_waterfall(s)) for n, s in zip(names, slices, strict=True)]
    return charts.compare_waterfalls_chart(pairs, title=None)


def as_outlier_report(result: OutliersOut) -> OutlierReport:
    return OutlierReport(
        sigma=result.sigma,
        tau=result.tau,
        actors=[
            ActorOutlier(
                actor=a.actor,
                lines=a.lines,
                list_revenue=_d(a.list_revenue),
                discount=_d(a.discount),
                rate=a.rate,
                expected_rate=a.expected_rate,
                residual=a.residual,
                standard_error=a.standard_error,
                z=a.z,
                shrunk_residual=a.shrunk_residual,
                excess_discount=_d(a.excess_discount),
                money_at_stake=_d(a.money_at_stake),
                shrunk_money_at_stake=(
                    None if a.shrunk_money_at_stake is None else _d(a.shrunk_money_at_stake)
                ),
                uncompared_list_revenue=_d(a.uncompared_list_revenue),
                status=a.status,
            )
            for a in result.actors
        ],
        unbenchmarked=result.unbenchmarked,
        excluded_from_peers=result.excluded_from_peers,
    )


def outliers_charts(result: OutliersOut, who: str) -> list[Spec]:
    report = as_outlier_report(result)
    return [
        charts_spread.outliers_ranked_chart(report, title=f"Money at stake by {who}"),
        charts_spread.outliers_chart(report, title=f"{who.capitalize()}s against their peers"),
    ]


def bands_chart(products: Sequence[BandOut]) -> Spec:
    bands = {
        b.product_id: PocketBand(
            points=b.points,
            volume=b.volume,
            mean=b.mean,
            minimum=b.minimum,
            maximum=b.maximum,
            p10=b.p10,
            p25=b.p25,
            p50=b.p50,
            p75=b.p75,
            p90=b.p90,
        )
        for b in products
    }
    return charts_spread.pocket_bands_chart(bands, title=None)
