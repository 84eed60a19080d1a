"""Price waterfall and pocket price band (domain-method §3.3, §3.4, §5.1)."""

from __future__ import annotations

import itertools
import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from valuescout.analytics import waterfall as w

D = Decimal


def test_worked_waterfall_of_section_3_3() -> None:
    """List 100, on-invoice 5 + 8 -> invoice 87; off-invoice 2 + 3 + 2.50 + 3.50 + 1 -> pocket 75;
    COGS 55 -> pocket margin 20 (26.7% of pocket). Ten units on one line."""
    off_invoice_per_unit = D("2.00") + D("3.00") + D("2.50") + D("3.50") + D("1.00")
    sums = w.line_sums(
        quantity=D(10),
        list_price=D("100.00"),
        invoice_price=D("100.00") - D("5.00") - D("8.00"),
        unit_cost=D("55.00"),
        off_invoice=10 * off_invoice_per_unit,
    )
    f = w.waterfall(sums)
    assert (f.list_revenue, f.discount, f.invoice_revenue) == (
        D("1000.00"),
        D("130.00"),
        D("870.00"),
    )
    assert (f.off_invoice, f.pocket_revenue) == (D("120.00"), D("750.00"))
    assert (f.cost, f.pocket_margin) == (D("550.00"), D("200.00"))
    assert f.discount_rate == pytest.approx(0.13)
    assert f.price_realisation == pytest.approx(0.87)
    assert f.off_invoice_rate == pytest.approx(0.12)
    assert f.pocket_price_realisation == pytest.approx(0.75)
    assert round(f.pocket_margin_pct or 0, 3) == 0.267
    # Markup is margin over cost: 200/550 = 36.4%, not the 26.7% margin.
    assert round(f.markup or 0, 3) == 0.364
    assert f.lines == 1 and f.quantity == D(10)
    assert [(s.label, s.amount) for s in f.steps()] == [
        ("List revenue", D("1000.00")),
        ("On-invoice discount", D("-130.00")),
        ("Invoice revenue", D("870.00")),
        ("Off-invoice", D("-120.00")),
        ("Pocket revenue", D("750.00")),
        ("Cost", D("-550.00")),
        ("Pocket margin", D("200.00")),
    ]
    # Each level is the previous level plus the step below it.
    steps = f.steps()
    for i in (0, 2, 4):
        assert steps[i].amount + steps[i + 1].amount == steps[i + 2].amount


def test_margin_versus_markup_section_5_1() -> None:
    # §5.1 example A: net 95,000, COGS 50,000 -> GM% 47.4%; the markup would be 90%.
    assert round(w.gross_margin_pct(D(95_000), D(50_000)) or 0, 3) == 0.474
    assert w.markup_pct(D(95_000), D(50_000)) == pytest.approx(0.9)
    assert w.gross_margin_pct(D(0), D(5)) is None
    assert w.markup_pct(D(5), D(0)) is None


def test_slices_add_up_and_rates_are_dollar_weighted() -> None:
    a = w.line_sums(D(1), D(1000), D(900), D(500))  # 10% off on $1000
    b = w.line_sums(D(1), D(100), D(50), D(40))  # 50% off on $100
    total = w.sum_lines([a, b])
    assert total == a + b
    f = w.waterfall(total)
    assert f.discount == D("150.00")
    assert f.discount_rate == pytest.approx(150 / 1100)  # not (10% + 50%)/2
    assert f.lines == 2


def test_empty_slice_has_no_rates() -> None:
    f = w.waterfall(w.sum_lines([]))
    assert f.list_revenue == D("0.00") and f.lines == 0
    assert f.discount_rate is None and f.pocket_margin_pct is None and f.markup is None


def test_money_is_rounded_once_to_cents() -> None:
    # Three lines of 1/3 cent discount each: rounding per line would give 0, the sum gives 1 ct.
    line = w.line_sums(D(1), D("10.00"), D("9.996666666"), D(0))
    f = w.waterfall(w.sum_lines([line, line, line]))
    assert f.discount == D("0.01")


# --- pocket price band --------------------------------------------------------------------

# A 12-point band built to match §3.4's stated figures: volume 100, weighted mean 74.6%,
# P10 66%, P50 74%, P90 80%, range 62-95%, 13% of the volume below 70%.
BAND_34 = [
    (0.62, 6), (0.66, 5), (0.68, 2), (0.70, 10), (0.72, 12), (0.74, 20),
    (0.76, 15), (0.78, 12), (0.80, 10), (0.82, 4), (0.92, 2), (0.95, 2),
]  # fmt: skip


def test_band_of_section_3_4() -> None:
    assert len(BAND_34) == 12 and sum(v for _, v in BAND_34) == 100
    band = w.pocket_band(BAND_34)
    assert band is not None
    assert band.points == 12 and band.volume == 100
    assert band.mean == pytest.approx(0.746)
    assert (band.p10, band.p50, band.p90) == (0.66, 0.74, 0.80)
    assert (band.p25, band.p75) == (0.72, 0.78)
    assert (band.minimum, band.maximum) == (0.62, 0.95)
    assert band.full_range == pytest.approx(0.33)
    assert band.width == pytest.approx(0.14)
    assert w.share_below(BAND_34, 0.70) == pytest.approx(0.13)
    # Lifting the tail below 70% to 70% raises the mean to 75.3% (+0.72 points).
    lifted = w.pocket_band([(max(v, 0.70), q) for v, q in BAND_34])
    assert lifted is not None
    assert lifted.mean - band.mean == pytest.approx(0.0072)


def test_pocket_fraction_of_a_line() -> None:
    line = w.line_sums(D(4), D(100), D(87), D(55), off_invoice=D(48))
    assert w.pocket_fraction(line) == pytest.approx(0.75)
    assert w.pocket_fraction(w.WaterfallSums()) is None


def test_bands_per_product_and_empty_inputs() -> None:
    bands = w.pocket_bands([("A", 0.9, 1), ("B", 0.5, 3), ("A", 0.7, 1), ("C", 0.8, 0)])
    assert set(bands) == {"A", "B"}  # C sold no volume
    assert (bands["A"].p10, bands["A"].p50, bands["A"].p90) == (0.7, 0.7, 0.9)
    assert bands["B"].width == 0.0
    assert w.pocket_band([]) is None
    assert w.weighted_percentile([], 0.5) is None
    assert w.share_below([], 0.5) is None
    with pytest.raises(ValueError):
        w.weighted_percentile([(1.0, 1.0)], 0)
    with pytest.raises(ValueError):
        w.pocket_band([(0.5, -1)])
    with pytest.raises(ValueError):
        w.pocket_band([(math.nan, 1)])


def test_histogram_bins_are_aligned_and_contiguous() -> None:
    bins = w.histogram([(0.70, 2), (0.705, 1), (0.74, 1)], bin_width=0.01)
    assert [round(b.lower, 2) for b in bins] == [0.70, 0.71, 0.72, 0.73, 0.74]
    assert [b.volume for b in bins] == [3, 0, 0, 0, 1]
    assert [b.share for b in bins] == [0.75, 0, 0, 0, 0.25]
    assert w.histogram([]) == []
    with pytest.raises(ValueError):
        w.histogram([(0.5, 1)], bin_width=0)


# --- properties against plain loops -------------------------------------------------------

money = st.decimals(min_value=0, max_value=10_000, places=2)
quantities = st.integers(min_value=1, max_value=50).map(Decimal)
lines_st = st.lists(st.tuples(quantities, money, money, money, money), max_size=15)


@given(lines_st)
def test_waterfall_matches_a_loop(rows: list[tuple[Decimal, ...]]) -> None:
    list_rev = inv_rev = off = cost = Decimal(0)
    for q, lp, ip, uc, oi in rows:
        list_rev += q * lp
        inv_rev += q * ip
        off += oi
        cost += q * uc
    f = w.waterfall(w.sum_lines(w.line_sums(q, lp, ip, uc, oi) for q, lp, ip, uc, oi in rows))
    cent = Decimal("0.01")
    assert f.list_revenue == list_rev.quantize(cent)
    assert f.discount == (list_rev - inv_rev).quantize(cent)
    assert f.pocket_revenue == (inv_rev - off).quantize(cent)
    assert f.pocket_margin == (inv_rev - off - cost).quantize(cent)
    if list_rev:
        assert f.discount_rate == pytest.approx(float((list_rev - inv_rev) / list_rev))
        assert f.pocket_price_realisation == pytest.approx(float((inv_rev - off) / list_rev))
        assert (f.discount_rate or 0) + (f.price_realisation or 0) == pytest.approx(1)
    if inv_rev - off:
        assert f.pocket_margin_pct == pytest.approx(float((inv_rev - off - cost) / (inv_rev - off)))
    if cost:
        assert f.markup == pytest.approx(float((inv_rev - off - cost) / cost))


band_points = st.lists(
    st.tuples(st.integers(min_value=30, max_value=110), st.integers(min_value=0, max_value=20)),
    max_size=25,
)


@given(band_points, st.sampled_from((*w.BAND_PERCENTILES, 0.01, 0.33, 1.0)))
def test_percentile_matches_expanding_the_units(points: list[tuple[int, int]], p: float) -> None:
    expanded: list[int] = []
    for value, volume in points:
        for _ in range(volume):
            expanded.append(value)
    expanded.sort()
    got = w.weighted_percentile([(v / 100, q) for v, q in points], p)
    if not expanded:
        assert got is None
        return
    k = 1
    while k < len(expanded) and k < p * len(expanded) - 1e-9:  # smallest k with k >= p·N
        k += 1
    assert got == expanded[k - 1] / 100


@given(band_points, st.sampled_from([0.01, 0.02, 0.05, 0.1]))
def test_histogram_matches_a_loop(points: list[tuple[int, int]], width: float) -> None:
    bins = w.histogram([(v / 100, q) for v, q in points], bin_width=width)
    total = sum(q for _, q in points)
    if total == 0:
        assert bins == []
        return
    assert sum(b.volume for b in bins) == total
    assert sum(b.share for b in bins) == pytest.approx(1)
    for b0, b1 in itertools.pairwise(bins):
        assert b1.lower == pytest.approx(b0.upper)
    step = round(width * 100)
    for b in bins:
        expected = 0
        for v, q in points:
            if q and round(b.lower * 100) <= v < round(b.lower * 100) + step:
                expected += q
        assert b.volume == expected
