"""What the standalone discount report shows, gathered from an opened line file.

``gather`` runs ``engine.discount_report`` (totals, waterfall, totals per dimension, seller
outliers, concentration), ``engine.product_bands`` and one query of pocket price points per
product for the histograms, and returns a ``ReportData`` that ``report.render`` turns into
HTML without touching the database. No web or CLI framework here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from valuescout.analytics import definitions as defs
from valuescout.analytics import engine
from valuescout.analytics.lines import LineFile
from valuescout.analytics.waterfall import Bin, PocketBand, histogram

DIMENSIONS = ("rep", "manager", "region", "customer")
CONCENTRATION_OF = ("customer", "rep")
HISTOGRAM_PRODUCTS = 6
HISTOGRAM_BIN = 0.02
# Histogram points are rounded to this step in the query (the bands use 0.001, exact to it).
HISTOGRAM_RESOLUTION = 0.01


@dataclass(frozen=True)
class ReportData:
    """Everything the report shows; ``rows`` / ``bad_rows`` / ``problem_count`` describe the
    file's check (bad rows were left out with ``--exclude-bad``)."""

    source: str
    generated_at: datetime
    rows: int
    bad_rows: int
    problem_count: int
    discount: engine.DiscountReport
    bands: dict[str, PocketBand]
    histograms: dict[str, list[Bin]] = field(default_factory=dict)

    @property
    def filters(self) -> dict[str, str | None]:
        return self.discount.filters


def pocket_histograms(
    con: engine.Connection,
    products: Sequence[str],
    filters: defs.Filters | None = None,
    *,
    view: str = "lines",
    bin_width: float = HISTOGRAM_BIN,
    resolution: float = HISTOGRAM_RESOLUTION,
) -> dict[str, list[Bin]]:
    """Share of units per pocket price bin (fraction of list) for each of ``products``, from
    one query of points per product rounded to ``resolution``."""
    wanted = set(products)
    if not wanted:
        return {}
    sql, params = defs.pocket_points_sql(filters, resolution, source=view)
    points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for product, value, volume in con.execute(sql, params).fetchall():
        if product in wanted and value is not None:
            points[str(product)].append((round(float(value), 9), float(volume or 0.0)))
    return {p: histogram(points[p], bin_width) for p in products if points.get(p)}


def gather(
    opened: LineFile,
    filters: defs.Filters | None = None,
    *,
    by: Sequence[str] = DIMENSIONS,
    concentration_of: Sequence[str] = CONCENTRATION_OF,
    histogram_products: int = HISTOGRAM_PRODUCTS,
    now: datetime | None = None,
) -> ReportData:
    """The report's figures for the good lines of ``opened`` (narrowed by ``filters``)."""
    con, view = opened.con, opened.view
    discount = engine.discount_report(
        con, view=view, by=by, concentration_of=concentration_of, filters=filters
    )
    bands = engine.product_bands(con, filters, view=view)
    largest = sorted(bands, key=lambda p: (-bands[p].volume, p))[:histogram_products]
    return ReportData(
        source=opened.path.name,
        generated_at=now or datetime.now(UTC),
        rows=opened.rows,
        bad_rows=opened.bad_rows,
        problem_count=opened.problem_count,
        discount=discount,
        bands=bands,
        histograms=pocket_histograms(con, largest, filters, view=view),
    )
