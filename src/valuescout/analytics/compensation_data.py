"""The seller sums a compensation simulation needs, from the canonical `lines` view (DuckDB).

One query, one output: deals first (the lines of one seller and `opportunity_id`; a line
without one is its own deal), then per seller and discount band the sums of those deals and
their lowest and highest discount rate. The bands are cut at every plan's tier bounds
(`band_edges`), so each band lies inside one tier of every plan being compared. The SQL is
plain GROUP BY / SUM / CASE: any engine runs it. A period (`start`, `end`) keeps the lines
invoiced in it; a deal is then its lines in the period.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

import duckdb

from valuescout.analytics.compensation import Bucket, SellerSums

DEALS_SQL = """
WITH deals AS (
  SELECT rep_id,
         sum(quantity * list_price) AS list_revenue,
         sum(quantity * invoice_price) AS invoice_revenue,
         sum(off_invoice) AS off_invoice,
         sum(quantity * unit_cost) AS cost
  FROM {view}{where}
  GROUP BY rep_id, opportunity_id, CASE WHEN opportunity_id IS NULL THEN line_id END
), rated AS (
  SELECT *, (list_revenue - invoice_revenue) / list_revenue AS rate FROM deals
)
SELECT rep_id, {band} AS band, count(*) AS deals,
       sum(list_revenue), sum(invoice_revenue), sum(off_invoice), sum(cost),
       min(rate), max(rate)
FROM rated
GROUP BY rep_id, band
ORDER BY rep_id, band
"""


def _band(edges: Sequence[Decimal]) -> tuple[str, list[float]]:
    if not edges:
        return "0", []
    whens = " ".join(f"WHEN rate <= CAST(? AS DOUBLE) THEN {i}" for i in range(len(edges)))
    return f"CASE {whens} ELSE {len(edges)} END", [float(e) for e in edges]


def _decimal(value: float | None) -> Decimal:
    """A DOUBLE as the shortest decimal that reads back as it (0.1, not 0.1000000000000000055)."""
    return Decimal(repr(float(value))) if value is not None else Decimal(0)


def seller_sums(
    con: duckdb.DuckDBPyConnection,
    edges: Sequence[Decimal] = (),
    view: str = "lines",
    *,
    start: date | None = None,
    end: date | None = None,
) -> list[SellerSums]:
    """Per seller, the deal sums in each discount band (`edges` ascending, from band_edges),
    over the lines invoiced from `start` to `end` (both included) when given."""
    if not view.isidentifier():
        raise ValueError(f"bad view name {view!r}")
    conditions: list[str] = []
    params: list[object] = []
    if start is not None:
        conditions.append("invoice_date >= CAST(? AS DATE)")
        params.append(start.isoformat())
    if end is not None:
        conditions.append("invoice_date <= CAST(? AS DATE)")
        params.append(end.isoformat())
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    band, band_params = _band(edges)
    sql = DEALS_SQL.format(view=view, band=band, where=where)
    rows = con.execute(sql, [*params, *band_params]).fetchall()
    by_seller: dict[str, list[Bucket]] = {}
    for rep, _band_no, deals, lst, inv, off, cost, low, high in rows:
        by_seller.setdefault(str(rep), []).append(
            Bucket(
                list_revenue=_decimal(lst),
                invoice_revenue=_decimal(inv),
                off_invoice=_decimal(off),
                cost=_decimal(cost),
                deals=int(deals),
                min_rate=_decimal(low),
                max_rate=_decimal(high),
            )
        )
    return [SellerSums(seller, tuple(buckets)) for seller, buckets in by_seller.items()]
