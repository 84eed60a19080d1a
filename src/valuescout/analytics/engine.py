"""Run the metric definitions on DuckDB over the canonical ``lines`` view (see ``lines.py``).

One SQL query per output, built by ``definitions``; DuckDB streams the file and hands back only
the grouped rows (nothing is loaded into pandas or Python line by line). The pure modules then
finish the job on the short results: ``waterfall`` (sums -> the waterfall), ``outliers``
(cell sums -> peer-adjusted outliers), ``concentration`` (per-item discount $ -> Gini, top
share, Lorenz).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import duckdb

from valuescout.analytics import concentration as conc
from valuescout.analytics import definitions as defs
from valuescout.analytics import parquet_stats
from valuescout.analytics.outliers import CellSums, OutlierReport, peer_outliers
from valuescout.analytics.waterfall import PocketBand, Waterfall, WaterfallSums, pocket_bands
from valuescout.analytics.waterfall import waterfall as derive_waterfall
from valuescout.core.money import to_money

Connection = duckdb.DuckDBPyConnection
_parts = itertools.count(1)


def _dec(value: Any) -> Decimal:
    """A DOUBLE sum as Decimal (through its shortest repr, so 0.1 stays 0.1)."""
    return Decimal(repr(float(value or 0.0)))


# --- groupings -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Grouped:
    """Every measure per group: ``keys`` are the output names of the group columns (canonical
    column names, or month / quarter), ``rows`` one dict per group, largest discount first."""

    keys: list[str]
    measures: list[str]
    rows: list[dict[str, Any]]

    @property
    def columns(self) -> list[str]:
        return self.keys + self.measures


def group_by(
    con: Connection,
    dims: Sequence[str],
    filters: defs.Filters | None = None,
    *,
    view: str = "lines",
) -> Grouped:
    """All measures per combination of ``dims`` (none: one total row), in one query."""
    chosen = defs.dimensions(dims)
    sql, params = defs.grouped_sql([d.name for d in chosen], filters, source=view)
    cursor = con.execute(sql, params)
    names = [c[0] for c in cursor.description]
    rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    return Grouped([d.key for d in chosen], list(defs.MEASURE_NAMES), rows)


# --- waterfall -----------------------------------------------------------------------------


def slice_sums(
    con: Connection, filters: defs.Filters | None = None, *, view: str = "lines"
) -> WaterfallSums:
    """The base sums of one slice (everything when no filters), in one query."""
    sql, params = defs.sums_sql(filters, source=view)
    row = con.execute(sql, params).fetchone()
    assert row is not None
    lines, quantity, list_revenue, invoice_revenue, off_invoice, cost = row
    return WaterfallSums(
        lines=int(lines),
        quantity=_dec(quantity),
        list_revenue=_dec(list_revenue),
        invoice_revenue=_dec(invoice_revenue),
        off_invoice=_dec(off_invoice),
        cost=_dec(cost),
    )


@dataclass(frozen=True)
class SliceWaterfall:
    filters: dict[str, str | None]
    waterfall: Waterfall


def slice_waterfall(
    con: Connection, filters: defs.Filters | None = None, *, view: str = "lines"
) -> SliceWaterfall:
    """The price waterfall of one slice."""
    return SliceWaterfall(
        dict(filters or {}), derive_waterfall(slice_sums(con, filters, view=view))
    )


def compare_waterfalls(
    con: Connection,
    base: defs.Filters | None,
    compare: defs.Filters,
    *,
    view: str = "lines",
) -> tuple[SliceWaterfall, SliceWaterfall]:
    """Two slices side by side: ``base``, and ``base`` with ``compare`` laid over it (a
    dimension named in both takes the compare value: region=North vs region=South)."""
    for name in [*(base or {}), *compare]:
        defs.dimension(name)
    first = {defs.dimension(k).name: v for k, v in (base or {}).items()}
    second = {**first, **{defs.dimension(k).name: v for k, v in compare.items()}}
    return slice_waterfall(con, first, view=view), slice_waterfall(con, second, view=view)


# --- outliers ------------------------------------------------------------------------------


def cell_sums(
    con: Connection,
    actor: str = "rep",
    filters: defs.Filters | None = None,
    *,
    view: str = "lines",
) -> list[CellSums]:
    """Per (actor, segment x deal type x size band) the sums of the outlier model, one query."""
    sql, params = defs.cell_sums_sql(actor, filters, source=view)
    return _cells(con.execute(sql, params).fetchall())


def _cells(rows: list[Any]) -> list[CellSums]:
    out: list[CellSums] = []
    for who, segment, deal_type, band, n, lr, ir, rs, rsq, lsq in rows:
        list_revenue = _dec(lr)
        if list_revenue <= 0:
            continue
        out.append(
            CellSums(
                actor=str(who),
                cell=(str(segment), str(deal_type), defs.size_band_label(int(band))),
                lines=int(n),
                list_revenue=list_revenue,
                invoice_revenue=_dec(ir),
                rate_sum=float(rs),
                rate_sq_sum=float(rsq),
                list_sq_sum=float(lsq),
            )
        )
    out.sort(key=lambda c: (c.actor, c.cell))
    return out


def outliers(
    con: Connection,
    actor: str = "rep",
    filters: defs.Filters | None = None,
    *,
    view: str = "lines",
    z_flag: float = 3.0,
    z_watch: float = 2.0,
    min_money: Decimal = Decimal(0),
) -> OutlierReport:
    """Each seller's (or approver's) discount rate against what their mix predicts."""
    groups = cell_sums(con, actor, filters, view=view)
    return peer_outliers(groups, z_flag=z_flag, z_watch=z_watch, min_money=min_money)


# --- concentration -------------------------------------------------------------------------


@dataclass(frozen=True)
class Concentration:
    """How discount dollars spread over the items of one dimension (customers, sellers).

    A net negative discount (invoiced above list overall) counts as 0 dollars given: a
    surcharge is not a discount, and Gini needs non-negative values."""

    dimension: str
    items: int
    discount: Decimal  # the sum of the items' discount $ given (negatives as 0)
    gini: float
    top_decile_share: float
    top: list[tuple[str, Decimal]]  # the largest items, largest first
    lorenz: list[tuple[float, float]] = field(default_factory=list)


def concentration(
    con: Connection,
    across: Sequence[str] = ("customer", "rep"),
    filters: defs.Filters | None = None,
    *,
    view: str = "lines",
    top: int = 10,
    lorenz_points: int = 21,
) -> list[Concentration]:
    """Gini, top-decile share, Lorenz curve of discount $ across each dimension, one query."""
    chosen = defs.dimensions(across)
    sql, params = defs.discount_by_sql([d.name for d in chosen], filters, source=view)
    values: dict[str, list[tuple[str, float]]] = {d.name: [] for d in chosen}
    for side, item, discount, _ in con.execute(sql, params).fetchall():
        if item is not None:
            values[str(side)].append((str(item), max(0.0, float(discount or 0.0))))
    return [_spread(d.name, values[d.name], top, lorenz_points) for d in chosen]


def _spread(
    name: str, values: list[tuple[str, float]], top: int, lorenz_points: int
) -> Concentration:
    pairs = sorted(values, key=lambda p: (-p[1], p[0]))
    amounts = [v for _, v in pairs]
    return Concentration(
        dimension=name,
        items=len(pairs),
        discount=to_money(Decimal(repr(math.fsum(amounts)))),
        gini=conc.gini(amounts),
        top_decile_share=conc.top_share(amounts, 0.1),
        top=[(k, to_money(Decimal(repr(v)))) for k, v in pairs[:top]],
        lorenz=_thin(conc.lorenz_curve(amounts), lorenz_points),
    )


def _thin(points: list[tuple[float, float]], wanted: int) -> list[tuple[float, float]]:
    """At most ``wanted`` points of the curve, evenly spaced by index, ends kept."""
    if wanted < 2 or len(points) <= wanted:
        return points
    last = len(points) - 1
    picks = sorted({round(i * last / (wanted - 1)) for i in range(wanted)})
    return [points[i] for i in picks]


# --- pocket price band ---------------------------------------------------------------------


def product_bands(
    con: Connection,
    filters: defs.Filters | None = None,
    *,
    view: str = "lines",
    resolution: float = 0.001,
) -> dict[str, PocketBand]:
    """Per product, the pocket price band (fractions of list, weighted by units); the points
    are binned to ``resolution`` in the query, so percentiles are exact to that step."""
    sql, params = defs.pocket_points_sql(filters, resolution, source=view)
    rows = [
        (str(p), round(float(v), 9), float(w))
        for p, v, w in con.execute(sql, params).fetchall()
        if p
    ]
    return dict(sorted(pocket_bands(rows).items()))


# --- the whole discount report -------------------------------------------------------------


@dataclass(frozen=True)
class DiscountReport:
    """The discount report of issue 6 in one object.

    ``total``: every measure over all lines (``Grouped`` with no keys and one row);
    ``waterfall``: the price waterfall of all lines; ``groups``: every measure per item of each
    dimension in ``by`` (keyed by the dimension's name, e.g. "rep"); ``cells``: the outlier
    model's sums per (actor, segment x deal type x size band); ``outliers``: the model on them;
    ``concentration``: discount $ spread across each dimension of ``concentration_of``."""

    actor: str
    filters: dict[str, str | None]
    total: Grouped
    waterfall: Waterfall
    groups: dict[str, Grouped]
    cells: list[CellSums]
    outliers: OutlierReport
    concentration: list[Concentration]


def discount_report(
    con: Connection,
    *,
    view: str = "lines",
    by: Sequence[str] = ("rep", "manager", "region", "customer"),
    actor: str = "rep",
    concentration_of: Sequence[str] = ("customer", "rep"),
    filters: defs.Filters | None = None,
) -> DiscountReport:
    """Totals, totals per dimension, outlier cell sums and model, and concentration, from two
    passes over the lines (what the separate functions give, in a third of the time):

    * one ``GROUPING SETS`` scan for every dimension in ``by`` and ``concentration_of``: the
      groups, the concentration (from the items' discount sums) and the total (the sum of
      one set's rows; with no dimension at all, one more query);
    * the outlier cell sums: when ``open_lines`` found deal ranges in the file (no
      opportunity crosses them, ``parquet_stats.deal_ranges``), one query per range of about
      a million rows, whose deal sums stay small, added up in DuckDB; else one query.
    """
    chosen = defs.dimensions(by)
    spread = defs.dimensions(concentration_of)
    who = defs.dimension(actor)
    dims = chosen + [d for d in spread if d not in chosen]
    groups: dict[str, Grouped] = {}
    sums: dict[str, list[tuple[Any, tuple[float, ...]]]] = {}
    if dims:
        sql, params, bits = defs.grouping_sets_sql([d.name for d in dims], filters, view)
        cursor = con.execute(sql, params)
        names = [c[0] for c in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        base = [f"sum_{m.name}" for m in defs.BASE]
        for d, bit in zip(dims, bits, strict=True):
            mine = [r for r in rows if r["grouping_set"] == bit]
            keep = [d.key, *defs.MEASURE_NAMES]
            groups[d.name] = Grouped([d.key], list(defs.MEASURE_NAMES), [
                {k: r[k] for k in keep} for r in mine
            ])  # fmt: skip
            sums[d.name] = [(r[d.key], tuple(float(r[b] or 0.0) for b in base)) for r in mine]
        first = sums[dims[0].name]
        lines, *money = (math.fsum(s[i] for _, s in first) for i in range(len(defs.BASE)))
        total_sums = WaterfallSums(int(lines), *(_dec(v) for v in money))
    else:
        total_sums = slice_sums(con, filters, view=view)
    whole = derive_waterfall(total_sums)
    cells = _report_cells(con, who.name, filters, view)
    # discount $ per item: list - invoice revenue (the base sums' 3rd and 4th), negatives as 0
    concentration_rows = [
        _spread(
            d.name,
            [(str(k), max(0.0, s[2] - s[3])) for k, s in sums[d.name] if k is not None],
            10,
            21,
        )
        for d in spread
    ]
    return DiscountReport(
        actor=who.name,
        filters=dict(filters or {}),
        total=Grouped([], list(defs.MEASURE_NAMES), [_total_row(whole)]),
        waterfall=whole,
        groups={d.name: groups[d.name] for d in chosen},
        cells=cells,
        outliers=peer_outliers(cells),
        concentration=concentration_rows,
    )


def _total_row(w: Waterfall) -> dict[str, Any]:
    """The total as ``group_by(con, [])`` gives it, from the waterfall of the same sums."""
    return {
        "lines": w.lines,
        "quantity": float(w.quantity),
        "list_revenue": float(w.list_revenue),
        "invoice_revenue": float(w.invoice_revenue),
        "discount": float(w.discount),
        "discount_rate": w.discount_rate,
        "price_realisation": w.price_realisation,
        "off_invoice": float(w.off_invoice),
        "pocket_revenue": float(w.pocket_revenue),
        "cost": float(w.cost),
        "pocket_margin": float(w.pocket_margin),
        "pocket_margin_pct": w.pocket_margin_pct,
    }


def _report_cells(
    con: Connection, actor: str, filters: defs.Filters | None, view: str
) -> list[CellSums]:
    """The outlier cell sums, range by range when ``view`` has deal ranges (see above)."""
    table, rows_view = parquet_stats.ranges_table(view), parquet_stats.rows_view(view)
    known = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = ?", [table]
    ).fetchone()
    if not known or not known[0]:
        return cell_sums(con, actor, filters, view=view)
    ranges = con.execute(f"SELECT first, stop FROM {table} ORDER BY first").fetchall()  # noqa: S608
    parts = f"_vs_cell_parts_{next(_parts)}"
    try:
        for i, (first, stop) in enumerate(ranges):
            source = (
                f"(SELECT * FROM {rows_view} WHERE __row >= {int(first)} "  # noqa: S608
                f"AND __row < {int(stop)}) AS ranged"
            )
            sql, params = defs.cell_sums_sql(actor, filters, source=source)
            into = f"CREATE TEMP TABLE {parts} AS " if i == 0 else f"INSERT INTO {parts} "
            con.execute(into + sql, params)
        rows = con.execute(
            "SELECT actor, segment, deal_type, band, SUM(lines), SUM(list_revenue), "  # noqa: S608
            "SUM(invoice_revenue), SUM(rate_sum), SUM(rate_sq_sum), SUM(list_sq_sum) "
            f"FROM {parts} GROUP BY actor, segment, deal_type, band"
        ).fetchall()
    finally:
        con.execute(f"DROP TABLE IF EXISTS {parts}")
    return _cells(rows)
