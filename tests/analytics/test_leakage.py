"""The leakage summary over a lines view: a hand-worked example, and every figure against plain
Python over small generated files (hypothesis)."""

from __future__ import annotations

import math
import tempfile
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.analytics.test_engine import KEY, line, lines_strategy, opened
from valuescout.analytics import definitions as defs
from valuescout.analytics.leakage import Leakage, leakage, parse_preferences
from valuescout.analytics.outliers import OutlierLine, cell_sums_from_lines, peer_outliers
from valuescout.core.errors import Invalid

D = Decimal

# --- a hand-worked example -------------------------------------------------------------------

HAND = [
    # O1, preference +: list 1000, discount 100, off-invoice 10
    line(1, opportunity_id="O1", rep_id="A", customer_id="C1", approver_id="X",
         quantity=10.0, list_price=100.0, invoice_price=90.0, off_invoice=10.0),
    # O2, preference -: list 2000, discount 100
    line(2, opportunity_id="O2", rep_id="A", customer_id="C2", approver_id="X",
         quantity=20.0, list_price=100.0, invoice_price=95.0),
    # O3, no preference known: list 1000, discount 200, off-invoice 20
    line(3, opportunity_id="O3", rep_id="B", customer_id="C1", approver_id="Y",
         quantity=10.0, list_price=100.0, invoice_price=80.0, off_invoice=20.0),
    # no opportunity, no approver: list 500 at list (size band 100-999, alone there)
    line(4, rep_id="B", customer_id="C2", quantity=5.0, list_price=100.0, invoice_price=100.0),
]  # fmt: skip
PREFERENCES = {"O1": D("64000"), "O2": D("-15000"), "O9": D(5)}


def test_hand_worked_example(tmp_path: Path) -> None:
    f = opened(tmp_path / "hand.parquet", HAND)
    got = leakage(f.con, preferences=PREFERENCES)
    assert got.lines == 4 and got.list_revenue == D("4500.00")
    assert (got.invoice_revenue, got.discount) == (D("4100.00"), D("400.00"))
    assert got.discount_rate == pytest.approx(400 / 4500)
    assert (got.off_invoice, got.pocket_revenue) == (D("30.00"), D("4070.00"))
    assert got.off_invoice_rate == pytest.approx(30 / 4500)
    assert got.total_leakage == D("430.00")
    assert got.total_leakage_rate == pytest.approx(430 / 4500)
    # Only O1's customer already preferred us: its 100 was left on the table.
    assert got.left_on_table == D("100.00")
    assert (got.known_lines, got.known_list_revenue) == (2, D("3000.00"))
    assert (got.known_discount, got.unknown_discount) == (D("200.00"), D("200.00"))
    assert got.known_share == pytest.approx(3000 / 4500)

    # One peer cell, smb x new x 1,000-9,999 (O1, O2, O3); line 4 is alone in 100-999.
    # Sellers: A 200 of 3000, B 200 of 1000. B's peer rate is A's 1/15: 133.33 at stake.
    s = got.sellers
    assert (s.actor, s.key, s.compared, s.unbenchmarked) == ("rep", "rep_id", 2, 0)
    assert [(a.actor, a.money_at_stake) for a in s.top] == [("B", D("133.33"))]
    assert s.top[0].uncompared_list_revenue == D("500.00")
    assert s.money_at_stake == D("133.33")
    # Approvers: the same split (X = A's deals, Y = B's deal); line 4 has no approver.
    a = got.approvers
    assert (a.key, a.compared) == ("approver_id", 2)
    assert [(x.actor, x.money_at_stake) for x in a.top] == [("Y", D("133.33"))]
    assert a.top[0].list_revenue == D("1000.00") and a.top[0].uncompared_list_revenue == 0
    # Customers: C1 300 of 2000 against C2's 5%: 200 at stake; C2 gave less.
    c = got.customers
    assert [(x.actor, x.money_at_stake) for x in c.top] == [("C1", D("200.00"))]
    assert c.money_at_stake == D("200.00")


def test_without_preferences_nothing_is_known(tmp_path: Path) -> None:
    f = opened(tmp_path / "hand.parquet", HAND)
    got = leakage(f.con)
    assert got.left_on_table is None
    assert (got.known_lines, got.known_discount, got.known_share) == (0, D("0.00"), 0.0)
    assert got.unknown_discount == got.discount == D("400.00")
    empty = leakage(f.con, preferences={})
    assert empty.left_on_table == D("0.00") and empty.unknown_discount == D("400.00")


def test_filters_top_and_the_temporary_table(tmp_path: Path) -> None:
    f = opened(tmp_path / "hand.parquet", HAND)
    only_b = leakage(f.con, preferences=PREFERENCES, filters={"rep_id": "B"})
    assert only_b.filters == {"rep": "B"}
    assert (only_b.lines, only_b.discount, only_b.left_on_table) == (2, D("200.00"), D("0.00"))
    assert only_b.sellers.compared == 0 and only_b.sellers.unbenchmarked == 1
    none = leakage(f.con, preferences=PREFERENCES, top=0)
    assert none.sellers.top == () and none.sellers.money_at_stake == D("133.33")
    nowhere = leakage(f.con, filters={"region": "Nowhere"})
    assert nowhere.lines == 0 and nowhere.discount_rate is None and nowhere.known_share is None
    with pytest.raises(Invalid, match="top must be 0 or more"):
        leakage(f.con, top=-1)
    with pytest.raises(defs.UnknownDimension):
        leakage(f.con, filters={"seller": "A"})
    # The preferences table is dropped again, and works on a connection with an open result.
    f.con.execute("SELECT 1 UNION ALL SELECT 2").fetchone()
    assert leakage(f.con, preferences=PREFERENCES).left_on_table == D("100.00")
    tables = f.con.execute("SELECT table_name FROM duckdb_tables()").fetchall()
    assert not [t for (t,) in tables if t.startswith("_vs_preferences")]


def test_preferences_file() -> None:
    text = 'opportunity_id,preference_before,note\nO1,64000,ok\n O2 ,"-15,000.50",x\n\n'
    assert parse_preferences(text) == {"O1": D(64000), "O2": D("-15000.50")}
    bad = "Opportunity_ID,Preference_Before\nO1,12\n,5\nO1,7\nO3,lots\nO4\n"
    with pytest.raises(Invalid) as caught:
        parse_preferences(bad, "values.csv")
    assert caught.value.message == "values.csv: 4 problems, nothing was used"
    assert caught.value.details == [
        "line 3: the opportunity_id is missing",
        "line 4: opportunity_id 'O1' is given twice",
        "line 5: preference_before must be an amount of money, not 'lots'",
        "line 6: 1 fields; the header has 2",
    ]
    for text, problem in [
        ("opportunity,preference\nO1,1\n", "line 1: the header needs a `opportunity_id` and a"),
        ("", "line 1: the values file is empty"),
        ("opportunity_id,preference_before\nO1,NaN\n", "line 2: preference_before must be"),
    ]:
        with pytest.raises(Invalid, match="values file: 1 problem, nothing") as caught:
            parse_preferences(text)
        assert caught.value.details is not None
        assert caught.value.details[0].startswith(problem)


# --- against plain Python (hypothesis) ------------------------------------------------------


def reference_outliers(rows: list[dict[str, Any]], actor: str) -> dict[str, Decimal]:
    """Money at stake per actor from cell sums added up line by line in Python."""
    deal: dict[str, float] = defaultdict(float)
    for r in rows:
        if r["opportunity_id"] is not None:
            deal[r["opportunity_id"]] += r["quantity"] * r["list_price"]
    lines = []
    for r in rows:
        who = KEY[actor](r)
        lr = r["quantity"] * r["list_price"]
        if who is None:
            continue
        size = deal[r["opportunity_id"]] if r["opportunity_id"] is not None else lr
        band = defs.size_band_label(math.floor(math.log10(max(size, 1.0))))
        lines.append(
            OutlierLine(
                who,
                (r["segment"], r["deal_type"], band),
                D(repr(lr)),
                D(repr(r["quantity"] * r["invoice_price"])),
            )
        )
    report = peer_outliers(cell_sums_from_lines(lines))
    return {a.actor: a.money_at_stake for a in report.actors}


def check(got: Leakage, rows: list[dict[str, Any]], prefs: dict[str, Decimal], top: int) -> None:
    lst = math.fsum(r["quantity"] * r["list_price"] for r in rows)
    inv = math.fsum(r["quantity"] * r["invoice_price"] for r in rows)
    off = math.fsum(r["off_invoice"] for r in rows)
    assert got.lines == len(rows)
    assert float(got.list_revenue) == pytest.approx(lst, abs=0.0051)
    assert float(got.discount) == pytest.approx(lst - inv, abs=0.011)
    assert float(got.off_invoice) == pytest.approx(off, abs=0.0051)
    assert float(got.total_leakage) == pytest.approx(lst - inv + off, abs=0.011)
    if lst:
        assert got.discount_rate == pytest.approx((lst - inv) / lst, rel=1e-9, abs=1e-12)
    known = [r for r in rows if r["opportunity_id"] in prefs]
    positive = [r for r in known if prefs[r["opportunity_id"]] > 0]

    def discount(members: list[dict[str, Any]]) -> float:
        return math.fsum(r["quantity"] * (r["list_price"] - r["invoice_price"]) for r in members)

    assert got.known_lines == len(known)
    assert float(got.known_discount) == pytest.approx(discount(known), abs=0.011)
    assert float(got.unknown_discount) == pytest.approx(
        discount([r for r in rows if r not in known]), abs=0.021
    )
    assert got.left_on_table is not None
    assert float(got.left_on_table) == pytest.approx(discount(positive), abs=0.011)
    known_list = math.fsum(r["quantity"] * r["list_price"] for r in known)
    assert got.known_share == pytest.approx(known_list / lst, abs=1e-9)
    for ranking in (got.sellers, got.approvers, got.customers):
        want = reference_outliers(rows, ranking.actor)
        present = {KEY[ranking.actor](r) for r in rows} - {None}
        assert ranking.compared + ranking.unbenchmarked == len(present)
        assert ranking.compared == len(want)
        assert len(ranking.top) == min(top, sum(1 for v in want.values() if v > 0))
        for a in ranking.top:
            assert a.money_at_stake > 0
            assert float(a.money_at_stake) == pytest.approx(float(want[a.actor]), abs=0.02)
        amounts = [a.money_at_stake for a in ranking.top]
        assert amounts == sorted(amounts, reverse=True)
        total = math.fsum(float(v) for v in want.values())
        assert float(ranking.money_at_stake) == pytest.approx(total, abs=0.02 * len(want) + 0.01)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=lines_strategy(),
    values=st.dictionaries(
        st.sampled_from(["a", "b", "c", "zz"]),
        st.integers(-5, 5).map(D),
        max_size=4,
    ),
    top=st.integers(0, 3),
)
def test_matches_plain_python(
    rows: list[dict[str, Any]], values: dict[str, Decimal], top: int
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        f = opened(Path(tmp) / "l.parquet", rows)
        got = leakage(f.con, preferences=values, top=top)
        f.con.close()
    check(got, rows, values, top)
