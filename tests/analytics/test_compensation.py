"""Compensation plans: parsing with lines, each component by hand, boundaries, comparison."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from valuescout.analytics import compensation as c
from valuescout.analytics import compensation_yaml as y

D = Decimal
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "comp-plans"

REVENUE = c.Plan("Revenue", revenue_rate=D("0.08"))
MARGIN = c.Plan("Margin", margin_rate=D("0.20"))
# The illustrative multiplier of domain-method §5.2, worked example A.
SECTION_5_TIERS = (
    c.Tier(D("0.05"), D("1.1")),
    c.Tier(D("0.15"), D("1.0")),
    c.Tier(D("0.25"), D("0.8")),
    c.Tier(None, D("0.5")),
)
MULTIPLIER = c.Plan("Multiplier", revenue_rate=D("0.08"), tiers=SECTION_5_TIERS)


def one(plan: c.Plan, *buckets: c.Bucket, seller: str = "R1") -> c.Payout:
    return c.pay(plan, c.SellerSums(seller, buckets))


def accelerated(quota: str, *steps: tuple[str, str], cap: str | None = None) -> c.Plan:
    return c.Plan(
        "Accelerated",
        revenue_rate=D("0.08"),
        quota=c.Quota(
            c.QuotaMeasure.INVOICE_REVENUE,
            D(quota),
            {},
            tuple(c.Accelerator(D(a), D(m)) for a, m in steps),
        ),
        cap=None if cap is None else D(cap),
    )


# --- each component by hand ----------------------------------------------------------------


def test_revenue_commission_on_invoice_and_on_pocket_revenue() -> None:
    # List 100,000, invoice 95,000, off-invoice 5,000 -> pocket 90,000.
    # Invoice basis: 8% x 95,000 = 7,600.  Pocket basis: 8% x 90,000 = 7,200.
    deal = c.deal(100_000, 95_000, 50_000, off_invoice=5_000)
    assert one(REVENUE, deal).payout == D("7600.00")
    pocket = c.Plan("Pocket", revenue_rate=D("0.08"), revenue_basis=c.RevenueBasis.POCKET)
    paid = one(pocket, deal)
    assert (paid.payout, paid.revenue_commission, paid.margin_commission) == (
        D("7200.00"),
        D("7200.00"),
        D("0.00"),
    )


def test_margin_commission_on_pocket_margin_section_5_example_a() -> None:
    # §5.2 example A: list 100k, COGS 50k. 20% of GM: 5% -> 9,000; 15% -> 7,000;
    # 16% -> 6,800; 25% -> 5,000. With 5,000 off-invoice at 5%: margin 40,000 -> 8,000.
    for invoice, expected in [
        (95_000, "9000"),
        (85_000, "7000"),
        (84_000, "6800"),
        (75_000, "5000"),
    ]:
        assert one(MARGIN, c.deal(100_000, invoice, 50_000)).payout == D(expected)
    assert one(MARGIN, c.deal(100_000, 95_000, 50_000, 5_000)).margin_commission == D("8000.00")


def test_discount_multiplier_section_5_example_a_and_its_cliff() -> None:
    # 8% of revenue x multiplier: 5% -> 7,600 x 1.1 = 8,360; 15% -> 6,800 x 1.0 = 6,800;
    # 16% -> 6,720 x 0.8 = 5,376; 25% -> 6,000 x 0.8 = 4,800; 30% -> 5,600 x 0.5 = 2,800.
    expected = {95_000: "8360", 85_000: "6800", 84_000: "5376", 75_000: "4800", 70_000: "2800"}
    for invoice, payout in expected.items():
        paid = one(MULTIPLIER, c.deal(100_000, invoice, 50_000))
        assert paid.payout == D(payout), invoice
        assert paid.revenue_commission + paid.discount_adjustment == paid.payout
    # At the boundary: exactly 15.00% is still x1.0; one cent deeper is x0.8.
    # 85,000 x 8% = 6,800; 84,999.99 x 8% x 0.8 = 5,439.9994 -> 5,440.00.
    assert one(MULTIPLIER, c.deal(100_000, "85000.00", 0)).payout == D("6800.00")
    assert one(MULTIPLIER, c.deal(100_000, "84999.99", 0)).payout == D("5440.00")


def test_discount_tiers_apply_per_deal_not_per_seller() -> None:
    # Two deals: 2% discount (list 50k, invoice 49k) and 30% (list 50k, invoice 35k).
    # Per deal: 49,000 x 8% x 1.1 = 4,312 and 35,000 x 8% x 0.5 = 1,400 -> 5,712.
    # (The seller's blended 16% would have been x0.8 of 6,720 = 5,376: not what we pay.)
    paid = one(MULTIPLIER, c.deal(50_000, 49_000, 0), c.deal(50_000, 35_000, 0))
    assert paid.payout == D("5712.00")
    assert paid.revenue_commission == D("6720.00")
    assert paid.discount_adjustment == D("-1008.00")
    assert paid.discount_rate == pytest.approx(0.16)


def test_multiplier_scales_the_margin_commission_too() -> None:
    # 20% of margin 45,000 = 9,000; 5% discount -> x1.1 = 9,900.
    plan = c.Plan("GM tiers", margin_rate=D("0.2"), tiers=SECTION_5_TIERS)
    assert one(plan, c.deal(100_000, 95_000, 50_000)).payout == D("9900.00")


def test_marginal_accelerators_at_their_boundaries() -> None:
    # Quota 100k, 8% of revenue; x1.5 above 100%, x2 above 150%.
    plan = accelerated("100000", ("1.0", "1.5"), ("1.5", "2"))
    # 100k: exactly quota -> 8,000, no acceleration.
    at_quota = one(plan, c.deal(100_000, 100_000, 0))
    assert (at_quota.payout, at_quota.accelerator, at_quota.attainment) == (D("8000"), 0, 1.0)
    # 150k: 8,000 + 50,000 x 8% x 1.5 = 14,000 (the second step starts above 150%).
    at_150 = one(plan, c.deal(150_000, 150_000, 0))
    assert (at_150.revenue_commission, at_150.accelerator, at_150.payout) == (
        D("12000.00"),
        D("2000.00"),
        D("14000.00"),
    )
    # 200k: 8,000 + 4,000 x 1.5 + 4,000 x 2 = 22,000.
    assert one(plan, c.deal(200_000, 200_000, 0)).payout == D("22000.00")
    # 90k: below quota, 7,200 as is.
    assert one(plan, c.deal(90_000, 90_000, 0)).payout == D("7200.00")


def test_quota_per_seller_from_the_plan_and_overrides() -> None:
    plan = accelerated("100000", ("1.0", "2"))
    plan = c.Plan(
        plan.name,
        revenue_rate=plan.revenue_rate,
        quota=c.Quota(plan.quota.measure, D(100_000), {"R2": D(200_000)}, plan.quota.accelerators)
        if plan.quota
        else None,
    )
    sellers = [
        c.SellerSums("R1", (c.deal(200_000, 200_000, 0),)),
        c.SellerSums("R2", (c.deal(200_000, 200_000, 0),)),
    ]
    # R1: quota 100k -> 8,000 + 100,000 x 8% x 2 = 24,000. R2: quota 200k -> 16,000.
    result = c.simulate(plan, sellers)
    assert [p.payout for p in result.sellers] == [D("24000.00"), D("16000.00")]
    # Override R1 to 400k: 50% attainment -> 16,000.
    result = c.simulate(plan, sellers, {"R1": D(400_000)})
    assert result.sellers[0].payout == D("16000.00")
    assert result.sellers[0].quota == D(400_000)


def test_cap_and_floor() -> None:
    capped = accelerated("100000", ("1.0", "1.5"), cap="10000")
    paid = one(capped, c.deal(150_000, 150_000, 0))
    # 14,000 before the cap; the cap part is -4,000.
    assert (paid.payout, paid.cap_floor) == (D("10000.00"), D("-4000.00"))
    # A loss-making deal: pocket margin 50 - 80 = -30; 20% -> -6; floor 0 pays 0.
    paid = one(MARGIN, c.deal(100, 50, 80))
    assert (paid.margin_commission, paid.cap_floor, paid.payout) == (
        D("-6.00"),
        D("6.00"),
        D("0.00"),
    )
    # Netting within the seller: margins 1,000 and -300 -> 20% x 700 = 140.
    assert one(MARGIN, c.deal(2_000, 2_000, 1_000), c.deal(700, 700, 1_000)).payout == D("140.00")


def test_a_bucket_across_tiers_is_refused_and_band_edges_prevent_it() -> None:
    across = c.Bucket(D(200), D(170), D(0), D(0), 2, D("0.05"), D("0.25"))
    with pytest.raises(ValueError, match="spans tiers"):
        one(MULTIPLIER, across)
    with pytest.raises(ValueError, match="need their rates"):
        one(MULTIPLIER, c.Bucket(D(100), D(90), D(0), D(0)))
    assert one(REVENUE, c.Bucket(D(100), D(90), D(0), D(0))).payout == D("7.20")
    other = c.Plan(
        "Other", revenue_rate=D("0.1"), tiers=(c.Tier(D("0.15"), D(1)), c.Tier(None, D(0)))
    )
    assert c.band_edges([MULTIPLIER, other, REVENUE]) == (D("0.05"), D("0.15"), D("0.25"))


# --- totals and comparison -----------------------------------------------------------------


def test_compare_names_winners_and_losers() -> None:
    # A discounts 5%: revenue plan 8% x 95,000 = 7,600; GM plan 20% x 45,000 = 9,000 (+1,400).
    # B discounts 25%: revenue plan 6,000; GM plan 20% x 25,000 = 5,000 (-1,000).
    # C sells at list with cost 90k: 8,000 vs 20% x 10,000 = 2,000 (-6,000).
    sellers = [
        c.SellerSums("A", (c.deal(100_000, 95_000, 50_000),)),
        c.SellerSums("B", (c.deal(100_000, 75_000, 50_000),)),
        c.SellerSums("C", (c.deal(100_000, 100_000, 90_000),)),
    ]
    out = c.compare([REVENUE, MARGIN], sellers)
    revenue, margin = out.results
    assert revenue.total_payout == D("21600.00") and margin.total_payout == D("16000.00")
    # Pocket margin 45,000 + 25,000 + 10,000 = 80,000.
    assert revenue.company_margin == D("58400.00") and margin.company_margin == D("64000.00")
    assert revenue.cost_of_sales_rate == pytest.approx(21_600 / 270_000)
    (move,) = out.switches
    assert (move.before, move.after) == ("Revenue", "Margin")
    assert [(w.seller, w.change) for w in move.winners] == [("A", D("1400.00"))]
    assert [(w.seller, w.change) for w in move.losers] == [
        ("C", D("-6000.00")),
        ("B", D("-1000.00")),
    ]
    assert move.total_change == D("-5600.00") and move.company_margin_change == D("5600.00")


def test_one_plan_compares_to_nothing() -> None:
    out = c.compare([REVENUE], [c.SellerSums("A", (c.deal(10, 10, 0),))])
    assert len(out.results) == 1 and out.switches == ()
    with pytest.raises(ValueError):
        c.compare([], [])


# --- properties ----------------------------------------------------------------------------

money = st.integers(min_value=1, max_value=10_000_000).map(lambda n: D(n) / 100)
rate = st.integers(min_value=0, max_value=30).map(lambda n: D(n) / 100)


@st.composite
def deals(draw: st.DrawFn) -> c.Bucket:
    lst = draw(money)
    discount = draw(st.integers(min_value=0, max_value=60)) * lst / 100
    cost = draw(st.integers(min_value=0, max_value=120)) * lst / 100
    return c.deal(lst, lst - discount, cost, draw(st.integers(0, 10)) * lst / 100)


@st.composite
def revenue_plans(draw: st.DrawFn) -> c.Plan:
    steps = sorted(set(draw(st.lists(st.integers(100, 300), max_size=3))))
    quota = c.Quota(
        c.QuotaMeasure.INVOICE_REVENUE,
        draw(money),
        {},
        tuple(c.Accelerator(D(s) / 100, D(draw(st.integers(100, 300))) / 100) for s in steps),
    )
    cap = draw(st.none() | money)
    return c.Plan("P", revenue_rate=draw(rate), quota=quota, cap=cap)


@settings(max_examples=200, deadline=None)
@given(revenue_plans(), st.lists(deals(), min_size=1, max_size=5), money)
def test_payout_is_monotone_in_revenue_for_a_revenue_plan(
    plan: c.Plan, bucket_list: list[c.Bucket], extra: Decimal
) -> None:
    before = one(plan, *bucket_list)
    more = [*bucket_list, c.deal(extra, extra, 0)]
    assert one(plan, *more).payout >= before.payout


@st.composite
def tiered_plans(draw: st.DrawFn) -> c.Plan:
    edges = sorted(set(draw(st.lists(st.integers(1, 50), min_size=1, max_size=4))))
    mults = sorted(
        draw(st.lists(st.integers(0, 200), min_size=len(edges) + 1, max_size=len(edges) + 1)),
        reverse=True,
    )
    tiers = [c.Tier(D(e) / 100, D(m) / 100) for e, m in zip(edges, mults, strict=False)]
    tiers.append(c.Tier(None, D(mults[-1]) / 100))
    return c.Plan("T", revenue_rate=draw(rate), margin_rate=draw(rate), tiers=tuple(tiers))


@settings(max_examples=200, deadline=None)
@given(
    tiered_plans(),
    money,
    st.integers(0, 60),
    st.integers(0, 60),
    st.integers(0, 100),
)
def test_a_deeper_discount_never_pays_more_at_equal_revenue(
    plan: c.Plan, invoice: Decimal, d1: int, d2: int, cost_pct: int
) -> None:
    shallow, deep = sorted((d1, d2))
    cost = invoice * cost_pct / 100
    # Same invoice revenue and cost; the deeper discount means a higher list price.
    a = one(plan, c.deal(invoice * 100 / (100 - shallow), invoice, cost))
    b = one(plan, c.deal(invoice * 100 / (100 - deep), invoice, cost))
    assert b.payout <= a.payout


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from([REVENUE, MARGIN, MULTIPLIER]) | revenue_plans() | tiered_plans(),
    st.lists(st.lists(deals(), min_size=1, max_size=4), min_size=1, max_size=5),
)
def test_totals_are_the_sum_of_sellers_and_parts_sum_to_the_payout(
    plan: c.Plan, per_seller: list[list[c.Bucket]]
) -> None:
    sellers = [c.SellerSums(f"S{i}", tuple(b)) for i, b in enumerate(per_seller)]
    result = c.simulate(plan, sellers)
    assert result.total_payout == sum(p.payout for p in result.sellers)
    assert result.pocket_margin == sum(p.pocket_margin for p in result.sellers)
    assert result.company_margin == result.pocket_margin - result.total_payout
    for p in result.sellers:
        parts = p.revenue_commission + p.margin_commission + p.discount_adjustment
        assert parts + p.accelerator + p.cap_floor == p.payout
        assert p.payout >= plan.floor
        assert plan.cap is None or p.payout <= plan.cap
        if plan.cap is None and p.payout > 0:  # nothing clamped: no cap/floor part, not a cent
            assert p.cap_floor == 0


@settings(max_examples=200, deadline=None)
@given(revenue_plans(), money)
def test_marginal_accelerator_matches_slicing_the_revenue(plan: c.Plan, revenue: Decimal) -> None:
    # Independent computation: pay each slice of revenue between steps at its own multiplier.
    assert plan.quota is not None and plan.quota.default is not None
    quota = plan.quota.default
    bounds = [D(0), *[s.above * quota for s in plan.quota.accelerators], None]
    mults = [D(1), *[s.multiplier for s in plan.quota.accelerators]]
    expected = D(0)
    for low, high, mult in zip(bounds[:-1], bounds[1:], mults, strict=True):
        top = revenue if high is None else min(revenue, high)
        if top > low:
            expected += (top - low) * plan.revenue_rate * mult
    if plan.cap is not None:
        expected = min(expected, plan.cap)
    assert abs(one(plan, c.deal(revenue, revenue, 0)).payout - expected) <= D("0.005")


# --- parsing -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["revenue-only.yaml", "gross-margin.yaml", "discount-multiplier.yaml"]
)
def test_the_example_plans_load(name: str) -> None:
    plan = y.parse_plan((EXAMPLES / name).read_text(encoding="utf-8"), name)
    assert plan.name and (plan.revenue_rate or plan.margin_rate)


def test_the_example_plans_mean_what_their_comments_say() -> None:
    multiplier = y.parse_plan((EXAMPLES / "discount-multiplier.yaml").read_text())
    assert multiplier.tiers == (
        c.Tier(D("0.10"), D("1.1")),
        c.Tier(D("0.20"), D("1.0")),
        c.Tier(None, D("0.7")),
    )
    # 10% -> x1.1, 20% -> x1.0, 20.01% -> x0.7 (8% of 79,990 = 6,399.20 x 0.7 = 4,479.44).
    assert one(multiplier, c.deal(100_000, 90_000, 0)).payout == D("7920.00")
    assert one(multiplier, c.deal(100_000, 80_000, 0)).payout == D("6400.00")
    assert one(multiplier, c.deal(100_000, 79_990, 0)).payout == D("4479.44")
    margin = y.parse_plan((EXAMPLES / "gross-margin.yaml").read_text())
    assert margin.margin_rate == D("0.2") and margin.quota is not None
    assert margin.quota.measure == c.QuotaMeasure.POCKET_MARGIN
    revenue = y.parse_plan((EXAMPLES / "revenue-only.yaml").read_text())
    assert revenue.quota is not None and revenue.quota.of("R1") == D(1_500_000)
    assert revenue.quota.of("R9") == D(1_000_000) and revenue.cap == D(200_000)


BAD = """\
name: Broken
revenue_commission:
  rate: lots
  basis: gross
margin_commission: {rate: 1.5}
discount_multiplier:
  - {up_to: 0.2, multiplier: 1.1}
  - {up_to: 0.1, multiplier: 1.0}
  - {multiplier: 0.7, extra: 1}
quota:
  measure: volume
  default: -5
  accelerators:
    - {above: 1.5, multiplier: 2}
    - {above: 1.0, multiplier: 1.5}
cap: 10
floor: 20
bonus: 5
"""


def test_every_problem_is_reported_with_its_line() -> None:
    with pytest.raises(y.PlanError) as caught:
        y.parse_plan(BAD, "bad.yaml")
    lines = [line for line, _ in caught.value.problems]
    assert lines == [3, 4, 5, 8, 9, 11, 12, 15, 16, 18], caught.value.problems
    text = str(caught.value)
    assert text.startswith("bad.yaml: line 3:")
    for fragment in [
        "'lots'",
        "invoice or pocket",
        "at most 1",
        "above the previous",
        "'extra'",
        "'volume'",
        "above 0",
        "below `floor`",
        "'bonus'",
    ]:
        assert fragment in text, fragment


@pytest.mark.parametrize(
    ("source", "line", "fragment"),
    [
        ("name: X\n", 1, "pays `revenue_commission`"),
        ("revenue_commission: {rate: 0.1}\n", 1, "`name` is missing"),
        ("- a\n- b\n", 1, "must be a mapping"),
        ("name: X\nrevenue_commission: {rate: [1\n", 3, "not valid YAML"),
        ("name: X\nrevenue_commission: {}\n", 2, "needs a `rate`"),
        (
            "name: X\nrevenue_commission: {rate: 0.1}\ndiscount_multiplier:\n"
            "  - {up_to: 0.1, multiplier: 1}\n  - {up_to: 0.2, multiplier: 1}\n",
            5,
            "the last tier has no `up_to`",
        ),
        (
            "name: X\nrevenue_commission: {rate: 0.1}\ndiscount_multiplier:\n"
            "  - {multiplier: 1}\n  - {multiplier: 1}\n",
            4,
            "only the last tier",
        ),
        (
            "name: X\nrevenue_commission: {rate: 0.1}\nquota: {measure: pocket_margin}\n",
            3,
            "needs a `default`",
        ),
        (
            "name: X\nrevenue_commission: {rate: 0.1}\nquota:\n  default: 10\n"
            "  accelerators:\n    - {above: 1}\n",
            6,
            "needs `above`",
        ),
        ("name: X\nrevenue_commission: {rate: 8%}\nname: Y\n", 3, "given twice"),
        (
            "name: X\nrevenue_commission: {rate: 0.1}\ndiscount_multiplier:\n"
            "  - {up_to: 0.1, multiplier: 1}\n  - {up_to: 0.2, multiplier: 0.8}\n"
            "  - {multiplier: 0.9}\n",
            6,
            "a deeper discount must not pay more",
        ),
    ],
)
def test_single_problems_and_their_lines(source: str, line: int, fragment: str) -> None:
    with pytest.raises(y.PlanError) as caught:
        y.parse_plan(source)
    assert any(n == line and fragment in text for n, text in caught.value.problems), (
        caught.value.problems
    )


def test_percentages_and_per_seller_quotas_parse() -> None:
    plan = y.parse_plan(
        "name: X\nrevenue_commission: {rate: 8%, basis: pocket}\n"
        "quota:\n  measure: pocket_revenue\n  sellers: {R1: 1_000, R2: 2000}\n"
    )
    assert plan.revenue_rate == D("0.08") and plan.revenue_basis == c.RevenueBasis.POCKET
    assert plan.quota is not None and plan.quota.of("R2") == D(2000)
    assert plan.quota.of("R3") is None
    # A seller without a quota is paid without acceleration.
    assert one(plan, c.deal(100, 100, 0), seller="R3").attainment is None


def test_quota_file() -> None:
    assert y.parse_quotas("seller,quota\nR1,1000\nR2, 2500.50\n\n") == {
        "R1": D(1000),
        "R2": D("2500.50"),
    }
    assert y.parse_quotas("rep_id,region,quota\nR1,N,5\n") == {"R1": D(5)}
    with pytest.raises(y.PlanError) as caught:
        y.parse_quotas("seller,quota\nR1,0\nR1,5\n,7\nR4,x\nR5\n", "q.csv")
    assert [n for n, _ in caught.value.problems] == [2, 3, 4, 5, 6]
    with pytest.raises(y.PlanError, match="line 1"):
        y.parse_quotas("name,amount\nR1,5\n")
    with pytest.raises(y.PlanError, match="empty"):
        y.parse_quotas("")
