"""Price waterfall and pocket price band (domain-method §3.3, §3.4; margin vs markup §5.1).

Per line, with prices and cost per unit and ``off_invoice`` the line's rebates, allowances and
freight in money (the canonical transaction-line schema of issue 6):

* list revenue        = quantity x list price
* invoice revenue     = quantity x invoice price
* on-invoice discount = list revenue - invoice revenue
* pocket revenue      = invoice revenue - off-invoice
* cost                = quantity x unit cost
* pocket margin       = pocket revenue - cost

A slice of lines (a seller, a region, everything) is the plain sum of those — ``WaterfallSums``
holds only sums, so an engine can compute them with ``SUM()`` per group and hand them over.
The rates are ratios of the sums (dollar-weighted, never a mean of line ratios):

* discount rate            = discount / list revenue
* price realisation        = invoice revenue / list revenue   (= 1 - discount rate)
* off-invoice rate         = off-invoice / list revenue
* pocket price realisation = pocket revenue / list revenue
* pocket margin %          = pocket margin / pocket revenue   (margin: share of the price)
* markup                   = pocket margin / cost             (markup: share of the cost)

Margin and markup differ; a "gross margin %" computed as (P - C)/C is a markup (§5.1).
A rate whose denominator is 0 is None. Money comes back as Decimal rounded to cents (one
rounding, at the end, through ``core.money.to_money``); rates are floats.

Pocket price band (§3.4): per product, the distribution of pocket price per unit as a fraction of
list (a line's pocket revenue / list revenue), weighted by unit volume. Percentiles use the
inverted weighted CDF: Pp is the smallest value whose cumulative volume share is ≥ p (numpy's
``inverted_cdf`` method for equal weights). Band width = P90 - P10; full range = max - min.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from valuescout.core.money import to_money

ZERO = Decimal(0)
BAND_PERCENTILES = (0.10, 0.25, 0.50, 0.75, 0.90)
K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True, slots=True)
class WaterfallSums:
    """Unrounded sums over a slice of lines; add two slices with ``+``."""

    lines: int = 0
    quantity: Decimal = ZERO
    list_revenue: Decimal = ZERO
    invoice_revenue: Decimal = ZERO
    off_invoice: Decimal = ZERO
    cost: Decimal = ZERO

    def __add__(self, other: WaterfallSums) -> WaterfallSums:
        return WaterfallSums(
            lines=self.lines + other.lines,
            quantity=self.quantity + other.quantity,
            list_revenue=self.list_revenue + other.list_revenue,
            invoice_revenue=self.invoice_revenue + other.invoice_revenue,
            off_invoice=self.off_invoice + other.off_invoice,
            cost=self.cost + other.cost,
        )


def line_sums(
    quantity: Decimal,
    list_price: Decimal,
    invoice_price: Decimal,
    unit_cost: Decimal,
    off_invoice: Decimal = ZERO,
) -> WaterfallSums:
    """One line's contribution: prices and cost are per unit, off-invoice is money."""
    return WaterfallSums(
        lines=1,
        quantity=quantity,
        list_revenue=quantity * list_price,
        invoice_revenue=quantity * invoice_price,
        off_invoice=off_invoice,
        cost=quantity * unit_cost,
    )


def sum_lines(parts: Iterable[WaterfallSums]) -> WaterfallSums:
    """The sums of several lines or slices."""
    total = WaterfallSums()
    for part in parts:
        total = total + part
    return total


def _ratio(numerator: Decimal, denominator: Decimal) -> float | None:
    return None if denominator == 0 else float(numerator / denominator)


@dataclass(frozen=True, slots=True)
class WaterfallStep:
    """One bar of the waterfall chart: a level (list, invoice, ...) or a step down."""

    label: str
    amount: Decimal
    is_total: bool


@dataclass(frozen=True, slots=True)
class Waterfall:
    """The price waterfall of a slice: money in cents, rates as fractions (None if undefined)."""

    lines: int
    quantity: Decimal
    list_revenue: Decimal
    discount: Decimal
    invoice_revenue: Decimal
    off_invoice: Decimal
    pocket_revenue: Decimal
    cost: Decimal
    pocket_margin: Decimal
    discount_rate: float | None
    price_realisation: float | None
    off_invoice_rate: float | None
    pocket_price_realisation: float | None
    pocket_margin_pct: float | None
    markup: float | None

    def steps(self) -> list[WaterfallStep]:
        """The chart's bars: list, -discount, invoice, -off-invoice, pocket, -cost, margin."""
        return [
            WaterfallStep("List revenue", self.list_revenue, True),
            WaterfallStep("On-invoice discount", -self.discount, False),
            WaterfallStep("Invoice revenue", self.invoice_revenue, True),
            WaterfallStep("Off-invoice", -self.off_invoice, False),
            WaterfallStep("Pocket revenue", self.pocket_revenue, True),
            WaterfallStep("Cost", -self.cost, False),
            WaterfallStep("Pocket margin", self.pocket_margin, True),
        ]


def waterfall(sums: WaterfallSums) -> Waterfall:
    """Derive the waterfall from a slice's sums; rates come from the unrounded sums."""
    discount = sums.list_revenue - sums.invoice_revenue
    pocket = sums.invoice_revenue - sums.off_invoice
    margin = pocket - sums.cost
    return Waterfall(
        lines=sums.lines,
        quantity=sums.quantity,
        list_revenue=to_money(sums.list_revenue),
        discount=to_money(discount),
        invoice_revenue=to_money(sums.invoice_revenue),
        off_invoice=to_money(sums.off_invoice),
        pocket_revenue=to_money(pocket),
        cost=to_money(sums.cost),
        pocket_margin=to_money(margin),
        discount_rate=_ratio(discount, sums.list_revenue),
        price_realisation=_ratio(sums.invoice_revenue, sums.list_revenue),
        off_invoice_rate=_ratio(sums.off_invoice, sums.list_revenue),
        pocket_price_realisation=_ratio(pocket, sums.list_revenue),
        pocket_margin_pct=_ratio(margin, pocket),
        markup=_ratio(margin, sums.cost),
    )


def gross_margin_pct(price: Decimal, cost: Decimal) -> float | None:
    """Margin as a share of the price, (P - C)/P; None for a zero price."""
    return _ratio(price - cost, price)


def markup_pct(price: Decimal, cost: Decimal) -> float | None:
    """Markup as a share of the cost, (P - C)/C; None for a zero cost. Not a margin."""
    return _ratio(price - cost, cost)


# --- pocket price band ---------------------------------------------------------------------


def pocket_fraction(sums: WaterfallSums) -> float | None:
    """Pocket price per unit as a fraction of list: pocket revenue / list revenue."""
    return _ratio(sums.invoice_revenue - sums.off_invoice, sums.list_revenue)


def _checked(points: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    """(value, volume) pairs, sorted by value; volumes must be non-negative and finite."""
    out: list[tuple[float, float]] = []
    for value, volume in points:
        v, w = float(value), float(volume)
        if not (math.isfinite(v) and math.isfinite(w)) or w < 0:
            raise ValueError(f"bad band point ({value!r}, {volume!r})")
        if w > 0:
            out.append((v, w))
    out.sort()
    return out


def weighted_percentile(points: Iterable[tuple[float, float]], p: float) -> float | None:
    """Smallest value whose cumulative volume share is ≥ p (0 < p ≤ 1); None if no volume."""
    if not 0 < p <= 1:
        raise ValueError("p must be in (0, 1]")
    ordered = _checked(points)
    total = math.fsum(w for _, w in ordered)
    if total == 0:
        return None
    running = 0.0
    for value, volume in ordered:
        running += volume
        # A relative tolerance keeps 0.1 of a total of 10 from missing on float noise.
        if running >= p * total * (1 - 1e-12):
            return value
    return ordered[-1][0]


def share_below(points: Iterable[tuple[float, float]], threshold: float) -> float | None:
    """Share of the volume sold strictly below ``threshold``; None if no volume."""
    ordered = _checked(points)
    total = math.fsum(w for _, w in ordered)
    if total == 0:
        return None
    return math.fsum(w for v, w in ordered if v < threshold) / total


@dataclass(frozen=True, slots=True)
class PocketBand:
    """A product's pocket price band, values as fractions of list, weighted by volume."""

    points: int
    volume: float
    mean: float
    minimum: float
    maximum: float
    p10: float
    p25: float
    p50: float
    p75: float
    p90: float

    @property
    def width(self) -> float:
        """P90 - P10."""
        return self.p90 - self.p10

    @property
    def full_range(self) -> float:
        """Max - min."""
        return self.maximum - self.minimum


def pocket_band(points: Iterable[tuple[float, float]]) -> PocketBand | None:
    """The band of (pocket fraction, unit volume) points; None when there is no volume."""
    ordered = _checked(points)
    volume = math.fsum(w for _, w in ordered)
    if volume == 0:
        return None
    p10, p25, p50, p75, p90 = (weighted_percentile(ordered, p) for p in BAND_PERCENTILES)
    assert p10 is not None and p25 is not None and p50 is not None
    assert p75 is not None and p90 is not None
    return PocketBand(
        points=len(ordered),
        volume=volume,
        mean=math.fsum(v * w for v, w in ordered) / volume,
        minimum=ordered[0][0],
        maximum=ordered[-1][0],
        p10=p10,
        p25=p25,
        p50=p50,
        p75=p75,
        p90=p90,
    )


def pocket_bands(rows: Iterable[tuple[K, float, float]]) -> dict[K, PocketBand]:
    """Bands per product from (product, pocket fraction, volume) rows (or pre-binned rows)."""
    by_product: dict[K, list[tuple[float, float]]] = defaultdict(list)
    for product, value, volume in rows:
        by_product[product].append((value, volume))
    bands: dict[K, PocketBand] = {}
    for product, pts in by_product.items():
        band = pocket_band(pts)
        if band is not None:
            bands[product] = band
    return bands


@dataclass(frozen=True, slots=True)
class Bin:
    """A histogram bin [lower, upper) with its volume and share of the total volume."""

    lower: float
    upper: float
    volume: float
    share: float


def histogram(points: Iterable[tuple[float, float]], bin_width: float = 0.02) -> list[Bin]:
    """Volume per bin of ``bin_width``, bins aligned to multiples of the width, no gaps.

    A value v falls in bin k = floor(v / width) (rounded to 9 places first, so 0.70 with
    width 0.01 lands in [0.70, 0.71), not in the bin below through float noise).
    """
    if not (math.isfinite(bin_width) and bin_width > 0):
        raise ValueError("bin_width must be positive")
    ordered = _checked(points)
    if not ordered:
        return []
    total = math.fsum(w for _, w in ordered)
    volumes: dict[int, float] = defaultdict(float)
    for value, volume in ordered:
        volumes[math.floor(round(value / bin_width, 9))] += volume
    first, last = min(volumes), max(volumes)
    return [
        Bin(
            lower=k * bin_width,
            upper=(k + 1) * bin_width,
            volume=volumes.get(k, 0.0),
            share=volumes.get(k, 0.0) / total,
        )
        for k in range(first, last + 1)
    ]
