"""Seller sums from the `lines` view (DuckDB) against the same deals summed in plain Python."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from valuescout.analytics import compensation as c
from valuescout.analytics.compensation_data import seller_sums
from valuescout.analytics.lines import connect

D = Decimal
TIERS = c.Plan(
    "Tiers",
    revenue_rate=D("0.08"),
    tiers=(c.Tier(D("0.10"), D("1.1")), c.Tier(D("0.20"), D("1.0")), c.Tier(None, D("0.7"))),
)
OTHER = c.Plan(
    "Other",
    margin_rate=D("0.2"),
    tiers=(c.Tier(D("0.05"), D("1.2")), c.Tier(D("0.15"), D("1")), c.Tier(None, D("0.5"))),
)
Line = tuple[
    str, str, str | None, int, int, int, int, int
]  # id, rep, opp, qty, list, inv, cost, off


def lines_view(rows: list[Line]) -> duckdb.DuckDBPyConnection:
    con = connect()
    con.execute(
        "CREATE TABLE lines (line_id VARCHAR, rep_id VARCHAR, opportunity_id VARCHAR, "
        "quantity DOUBLE, list_price DOUBLE, invoice_price DOUBLE, unit_cost DOUBLE, "
        "off_invoice DOUBLE)"
    )
    if rows:
        con.executemany("INSERT INTO lines VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    return con


def by_hand(rows: list[Line]) -> list[c.SellerSums]:
    """Deals summed in Python: one bucket per deal (opportunity, else the line)."""
    deals: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for line_id, rep, opp, qty, lst, inv, cost, off in rows:
        sums = deals[(rep, f"o:{opp}" if opp is not None else f"l:{line_id}")]
        sums[0] += qty * lst
        sums[1] += qty * inv
        sums[2] += qty * cost
        sums[3] += off
    sellers: dict[str, list[c.Bucket]] = defaultdict(list)
    for (rep, _), (lst, inv, cost, off) in deals.items():
        sellers[rep].append(c.deal(lst, inv, cost, off))
    return [c.SellerSums(rep, tuple(b)) for rep, b in sellers.items()]


def test_lines_of_one_opportunity_make_one_deal() -> None:
    # R1's O1: list 100 + 100, invoice 98 + 52 -> 25% discount -> x0.7 of 8% x 150 = 8.40.
    # (Per line it would be 98 x 8% x 1.1 + 52 x 8% x 0.7 = 8.624 + 2.912 = 11.54.)
    # R1's line L3 has no opportunity: its own deal at 0% -> 100 x 8% x 1.1 = 8.80.
    rows: list[Line] = [
        ("L1", "R1", "O1", 1, 100, 98, 0, 0),
        ("L2", "R1", "O1", 1, 100, 52, 0, 0),
        ("L3", "R1", None, 1, 100, 100, 0, 0),
        ("L4", "R2", "O1", 2, 50, 45, 10, 1),  # same opportunity id, other seller: own deal
    ]
    sums = seller_sums(lines_view(rows), c.band_edges([TIERS]))
    assert [s.seller for s in sums] == ["R1", "R2"]
    r1, r2 = c.simulate(TIERS, sums).sellers
    assert (r1.deals, r1.payout) == (2, D("17.20"))
    # R2: list 100, invoice 90 -> 10% -> x1.1: 90 x 8% x 1.1 = 7.92.
    assert (r2.deals, r2.payout, r2.pocket_margin) == (1, D("7.92"), D("69.00"))
    # One band each for R1 (0%, 25% are in different bands: two buckets).
    assert [len(s.buckets) for s in sums] == [2, 1]


def test_no_tiers_one_bucket_per_seller_and_an_empty_view() -> None:
    rows: list[Line] = [(f"L{i}", "R1", None, 1, 100, 100 - i, 0, 0) for i in range(30)]
    (only,) = seller_sums(lines_view(rows))
    assert len(only.buckets) == 1 and only.buckets[0].deals == 30
    assert seller_sums(lines_view([]), (D("0.1"),)) == []
    with pytest.raises(ValueError):
        seller_sums(lines_view([]), view="lines; drop")


line_rows = st.lists(
    st.tuples(
        st.sampled_from(["R1", "R2", "R3"]),
        st.sampled_from([None, "O1", "O2", "O3"]),
        st.integers(1, 20),
        st.integers(1, 1000),
        st.integers(0, 100),
        st.integers(0, 120),
        st.integers(0, 50),
    ),
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(line_rows)
def test_engine_sums_pay_what_plain_python_deals_pay(
    raw: list[tuple[str, str | None, int, int, int, int, int]],
) -> None:
    rows: list[Line] = [
        (f"L{i}", rep, opp, qty, lst, lst * pct // 100, lst * cost // 100, off)
        for i, (rep, opp, qty, lst, pct, cost, off) in enumerate(raw)
    ]
    plans = [TIERS, OTHER]
    engine = seller_sums(lines_view(rows), c.band_edges(plans))
    hand = by_hand(rows)
    for plan in plans:
        got = c.simulate(plan, engine)
        want = c.simulate(plan, hand)
        assert got == want
