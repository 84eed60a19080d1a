"""Peer-adjusted discount outliers with shrinkage (domain-method §3.7)."""

from __future__ import annotations

import math
import random
from collections import defaultdict
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from valuescout.analytics import outliers as o
from valuescout.analytics import outliers_passes as op

D = Decimal


def line(actor: str, cell: str, list_revenue: str | int, rate: str) -> o.OutlierLine:
    lv = D(list_revenue)
    return o.OutlierLine(actor, (cell,), lv, lv * (1 - D(rate)))


def by_actor(report: o.OutlierReport) -> dict[str, o.ActorOutlier]:
    return {a.actor: a for a in report.actors}


def test_money_at_stake_on_a_tiny_example() -> None:
    lines = [
        line("S", "X", 1000, "0.20"),
        line("P", "X", 3000, "0.10"),
        line("S", "Y", 500, "0.05"),
        line("Q", "Y", 500, "0.10"),
    ]
    report = o.peer_outliers(o.cell_sums_from_lines(lines), sigma=0.05, tau=0.05)
    s, p, q = (by_actor(report)[k] for k in "SPQ")
    # S: expected 1000 x 10% + 500 x 10% = 150 against an actual 225 -> $75 more at peer rates.
    assert s.list_revenue == D("1500.00") and s.discount == D("225.00")
    assert s.expected_rate == pytest.approx(0.10)
    assert s.rate == pytest.approx(0.15)
    assert s.residual == pytest.approx(0.05)
    assert (s.excess_discount, s.money_at_stake) == (D("75.00"), D("75.00"))
    # P's only peer in X is S (20%): P discounts less, so nothing is at stake.
    assert p.expected_rate == pytest.approx(0.20)
    assert (p.excess_discount, p.money_at_stake) == (D("-300.00"), D("0.00"))
    # Q's only peer in Y is S (5%): Q gave $25 more than S would have.
    assert (q.excess_discount, q.money_at_stake) == (D("25.00"), D("25.00"))
    assert [a.actor for a in report.actors] == ["S", "Q", "P"]  # largest excess first


def test_worked_example_of_section_3_7() -> None:
    """sigma = 4 points, tau = 2 points; A: 12 deals at +6, B: 3 at +6, C: 20 at -1.
    A sold $1.2M at list: $72k at stake, $54k with the shrunk estimate."""
    lines = []
    for actor, n, rate, each in (("A", 12, "0.16", 100_000), ("B", 3, "0.16", 1000)):
        lines += [line(actor, actor, each, rate) for _ in range(n)]
        lines.append(line(f"peer-{actor}", actor, 10_000_000, "0.10"))
    lines += [line("C", "C", 1000, "0.09") for _ in range(20)]
    lines.append(line("peer-C", "C", 10_000_000, "0.10"))
    report = o.peer_outliers(o.cell_sums_from_lines(lines), sigma=0.04, tau=0.02)
    a, b, c = (by_actor(report)[k] for k in "ABC")
    assert (a.lines, b.lines, c.lines) == (12, 3, 20)
    assert a.residual == pytest.approx(0.06)
    assert round(a.standard_error or 0, 4) == 0.0115
    assert round(a.z or 0, 1) == 5.2
    assert a.shrunk_residual == pytest.approx(0.045)
    assert a.status == "flag"
    assert round(b.standard_error or 0, 4) == 0.0231
    assert round(b.z or 0, 1) == 2.6
    assert round(b.shrunk_residual or 0, 3) == 0.026
    assert b.status == "watch"
    assert round(c.z or 0, 1) == -1.1
    assert round(c.shrunk_residual or 0, 4) == -0.0083
    assert c.status == "ok"
    assert a.list_revenue == D("1200000.00")
    assert a.money_at_stake == D("72000.00")
    assert a.shrunk_money_at_stake == D("54000.00")
    assert c.money_at_stake == D("0.00") and c.shrunk_money_at_stake == D("0.00")


def test_shrink_formula_matches_the_methods_form() -> None:
    # r * n / (n + sigma^2/tau^2) with equal deals, SE = sigma/sqrt(n).
    for n in (1, 2, 12, 200):
        se = 0.04 / math.sqrt(n)
        assert o.shrink(0.06, se, 0.02) == pytest.approx(0.06 * n / (n + 4))
    assert o.shrink(0.06, 0.0, 0.0) == 0.06


SEGMENTS = ("enterprise", "mid", "small")
DEAL_TYPES = ("new", "renewal")
BANDS = ("<10000", ">=10000")


def cell_base(cell: tuple[str, ...]) -> float:
    """Cell discount rates from 4% to 26%: mix alone moves a seller's raw rate a lot."""
    cells: list[tuple[str, ...]] = [(s, t, b) for s in SEGMENTS for t in DEAL_TYPES for b in BANDS]
    return 0.04 + 0.02 * cells.index(cell)


def simulated(
    seed: int, lift: dict[str, float], only_cell: dict[str, tuple[str, ...]]
) -> list[o.OutlierLine]:
    rnd = random.Random(seed)
    cells: list[tuple[str, ...]] = [(s, t, b) for s in SEGMENTS for t in DEAL_TYPES for b in BANDS]
    lines = []
    for k in range(10):
        seller = f"rep{k}"
        for _ in range(120):
            cell = only_cell.get(seller) or rnd.choice(cells)
            rate = cell_base(cell) + lift.get(seller, 0.0) + rnd.gauss(0, 0.04)
            lv = D(rnd.randrange(2_000, 40_000))
            lines.append(o.OutlierLine(seller, cell, lv, lv * (1 - D(repr(rate)))))
    return lines


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_planted_outlier_is_flagged_and_honest_sellers_are_not(seed: int) -> None:
    lines = simulated(seed, lift={"rep3": 0.15}, only_cell={})
    report = o.peer_outliers(o.cell_sums_from_lines(lines))
    found = by_actor(report)
    assert report.sigma == pytest.approx(0.04, rel=0.1)
    assert found["rep3"].status == "flag"
    assert (found["rep3"].z or 0) > 3
    assert found["rep3"].residual == pytest.approx(0.15, abs=0.02)
    assert found["rep3"].money_at_stake > 0
    assert report.actors[0].actor == "rep3"
    # rep3 left the others' benchmarks, so its +15 points do not make them look strict.
    assert report.excluded_from_peers == ["rep3"]
    for seller, result in found.items():
        if seller != "rep3":
            assert result.status != "flag", seller
            assert abs(result.z or 0) < 3, seller


def test_a_high_discount_explained_by_mix_is_not_flagged() -> None:
    high = ("small", "renewal", ">=10000")  # the 26% cell
    lines = simulated(7, lift={}, only_cell={"rep5": high})
    report = o.peer_outliers(o.cell_sums_from_lines(lines))
    mixed = by_actor(report)["rep5"]
    everyone = sum(a.discount for a in report.actors) / sum(a.list_revenue for a in report.actors)
    # Its raw rate is far above the company's, which a naive league table would flag...
    assert mixed.rate > float(everyone) + 0.08
    # ...but its peers in that cell discount as much.
    assert mixed.expected_rate == pytest.approx(cell_base(high), abs=0.02)
    assert abs(mixed.residual) < 0.02
    assert mixed.status == "ok"
    assert abs(mixed.z or 0) < 3


def test_shrinkage_pulls_a_small_seller_toward_zero_more_than_a_large_one() -> None:
    lines = []
    # Peers at 10% +/- 2 points in each seller's own cell; both sellers at +5 points, same noise.
    for actor, n in (("small", 2), ("large", 200)):
        for i in range(400):
            lines.append(line(f"peers-{actor}", actor, 1000, "0.12" if i % 2 else "0.08"))
        lines += [line(actor, actor, 1000, "0.17" if i % 2 else "0.13") for i in range(n)]
    report = o.peer_outliers(o.cell_sums_from_lines(lines))
    small, large = by_actor(report)["small"], by_actor(report)["large"]
    assert small.residual == pytest.approx(0.05)
    assert large.residual == pytest.approx(0.05)
    assert small.shrunk_residual is not None and large.shrunk_residual is not None
    small_factor = small.shrunk_residual / small.residual
    large_factor = large.shrunk_residual / large.residual
    assert 0 < small_factor < large_factor <= 1
    # With a between-seller SD of 1 point: 2 deals keep a third, 200 deals keep 98%.
    fixed = by_actor(o.peer_outliers(o.cell_sums_from_lines(lines), tau=0.01))
    assert (fixed["small"].shrunk_residual or 0) / small.residual == pytest.approx(1 / 3, rel=0.01)
    assert (fixed["large"].shrunk_residual or 0) / large.residual == pytest.approx(
        100 / 102, rel=0.01
    )
    assert (small.standard_error or 0) > (large.standard_error or 0)
    assert small.shrunk_money_at_stake is not None and large.shrunk_money_at_stake is not None
    assert small.shrunk_money_at_stake < small.money_at_stake


def test_materiality_and_missing_noise() -> None:
    lines = [line("a", "X", 10, "0.50"), line("a", "X", 10, "0.52")]
    lines += [line("b", "X", 10, "0.10"), line("b", "X", 10, "0.12")]
    sums = o.cell_sums_from_lines(lines)
    assert by_actor(o.peer_outliers(sums))["a"].status == "flag"
    # $8 of excess discount is not material at a $100 threshold.
    assert by_actor(o.peer_outliers(sums, min_money=D(100)))["a"].status == "ok"
    # One line per group: no within-group noise to estimate, so no z and no shrinkage.
    single = o.peer_outliers(o.cell_sums_from_lines([lines[0], lines[2]]))
    assert single.sigma is None and single.tau is None
    assert all(a.z is None and a.shrunk_residual is None for a in single.actors)
    assert all(a.status == "ok" for a in single.actors)
    assert by_actor(single)["a"].money_at_stake == D("4.00")


def test_cells_without_peers_are_not_judged() -> None:
    lines = [line("a", "X", 100, "0.3"), line("a", "solo", 50, "0.9"), line("b", "X", 100, "0.1")]
    lines.append(line("c", "alone", 80, "0.5"))
    report = o.peer_outliers(o.cell_sums_from_lines(lines), sigma=0.01, tau=0.01)
    a = by_actor(report)["a"]
    assert a.list_revenue == D("100.00") and a.uncompared_list_revenue == D("50.00")
    assert a.money_at_stake == D("20.00")
    assert report.unbenchmarked == ["c"]
    assert "c" not in by_actor(report)


def test_zero_noise_gives_an_infinite_z_only_for_a_real_residual() -> None:
    lines = [line("a", "X", 100, "0.3"), line("a", "X", 100, "0.3")]
    lines += [line("b", "X", 100, "0.1"), line("b", "X", 100, "0.1")]
    report = o.peer_outliers(o.cell_sums_from_lines(lines))
    assert report.sigma == 0.0
    assert by_actor(report)["a"].z == math.inf
    assert by_actor(report)["b"].z == -math.inf
    assert o.peer_outliers(o.cell_sums_from_lines(lines[:2] + lines[:2])).actors == []


def test_inputs_are_validated_and_repeated_groups_merged() -> None:
    with pytest.raises(ValueError):
        o.cell_sums_from_lines([line("a", "X", 0, "0")])
    bad = o.CellSums("a", ("X",), 0, D(0), D(0), 0.0, 0.0, 0.0)
    with pytest.raises(ValueError):
        o.peer_outliers([bad])
    one = o.cell_sums_from_lines([line("a", "X", 100, "0.2"), line("a", "X", 300, "0.1")])
    assert len(one) == 1
    g = one[0]
    assert (g.lines, g.list_revenue, g.discount) == (2, D(400), D(50))
    assert g.rate_sum == pytest.approx(0.3) and g.rate_sq_sum == pytest.approx(0.05)
    assert g.list_sq_sum == pytest.approx(100_000)
    halves = o.cell_sums_from_lines([line("a", "X", 100, "0.2")])
    halves += o.cell_sums_from_lines([line("a", "X", 300, "0.1")])
    peer = o.cell_sums_from_lines([line("b", "X", 100, "0.1"), line("b", "X", 100, "0.3")])
    assert o.peer_outliers(halves + peer, sigma=0.1, tau=0.1) == o.peer_outliers(
        one + peer, sigma=0.1, tau=0.1
    )


def test_size_band() -> None:
    edges = [D(50_000), D(10_000)]
    assert o.size_band(D(9_999), edges) == "<10000"
    assert o.size_band(D(10_000), edges) == "10000-50000"
    assert o.size_band(D(50_000), edges) == ">=50000"
    assert o.size_band(D(5), []) == "all"


# --- properties against plain loops -------------------------------------------------------

raw_lines = st.lists(
    st.tuples(
        st.sampled_from("abcd"),
        st.sampled_from("XYZ"),
        st.integers(min_value=1, max_value=5_000),
        st.integers(min_value=0, max_value=60),
    ),
    min_size=1,
    max_size=30,
)


@settings(deadline=None)
@given(raw_lines)
def test_outliers_match_a_loop(rows: list[tuple[str, str, int, int]]) -> None:
    lines = [line(a, cell, lv, str(D(pct) / 100)) for a, cell, lv, pct in rows]
    sums = o.cell_sums_from_lines(lines)
    for z_flag in (3.0, 1.0, math.inf):
        report = o.peer_outliers(sums, z_flag=z_flag)
        check_against_loop(rows, report, set(report.excluded_from_peers))


def check_against_loop(
    rows: list[tuple[str, str, int, int]], report: o.OutlierReport, excluded: set[str]
) -> None:
    """Peers of an actor in a cell: every other actor there not excluded from benchmarks."""

    # sigma: pooled within-(actor, cell) variance of line rates, by loops.
    groups: dict[tuple[str, str], list[float]] = defaultdict(list)
    for a, cell, _, pct in rows:
        groups[(a, cell)].append(pct / 100)
    squares, freedom = 0.0, 0
    for rates in groups.values():
        m = sum(rates) / len(rates)
        for r in rates:
            squares += (r - m) ** 2
        freedom += len(rates) - 1
    sigma = math.sqrt(squares / freedom) if freedom else None
    if sigma is None:
        assert report.sigma is None
    else:
        assert report.sigma == pytest.approx(sigma, abs=1e-6)

    found = by_actor(report)
    for actor in {a for a, _, _, _ in rows}:
        list_total = disc_total = expected = 0.0
        sq = 0.0
        n = 0
        for a, cell, lv, pct in rows:
            if a != actor:
                continue
            peer_list = peer_disc = 0.0
            for b, cell2, lv2, pct2 in rows:
                if b != actor and b not in excluded and cell2 == cell:
                    peer_list += lv2
                    peer_disc += lv2 * pct2 / 100
            if peer_list == 0:
                continue
            list_total += lv
            disc_total += lv * pct / 100
            expected += lv * peer_disc / peer_list
            sq += lv * lv
            n += 1
        if list_total == 0:
            assert actor in report.unbenchmarked
            continue
        got = found[actor]
        assert got.lines == n
        assert got.rate == pytest.approx(disc_total / list_total, abs=1e-9)
        assert got.expected_rate == pytest.approx(expected / list_total, abs=1e-9)
        assert got.residual == pytest.approx((disc_total - expected) / list_total, abs=1e-9)
        assert float(got.excess_discount) == pytest.approx(disc_total - expected, abs=0.006)
        assert float(got.money_at_stake) == pytest.approx(max(0, disc_total - expected), abs=0.006)
        if sigma is not None:
            assert got.standard_error == pytest.approx(sigma * math.sqrt(sq) / list_total)


# --- the masking loop against re-evaluating everything after each leaving actor ------------


def exclusions_by_whole_passes(table: op.Table, given: op.Settings) -> list[str]:
    """The masking rule as first written: a whole `evaluate` after every leaving actor."""
    excluded = np.zeros(len(table.actors), dtype=bool)
    while True:
        result = op.evaluate(table, excluded, given)
        if 2 * (int(excluded.sum()) + 1) > len(table.actors) or result.z is None:
            break
        z = result.z
        flagged = [i for i, s in enumerate(result.status) if s == "flag" and not excluded[i]]
        flagged.sort(key=lambda i: (-abs(float(z[i])), i))
        cells = result.active_in_cell
        leaving = next(
            (i for i in flagged if cells[table.cell[table.groups_of[i]]].min() - 1 >= 2), None
        )
        if leaving is None:
            break
        excluded[leaving] = True
    return [a for i, a in enumerate(table.actors) if excluded[i]]


many_actors = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=40),  # actor
        st.sampled_from("XYZW"),
        st.integers(min_value=1, max_value=5_000),
        st.integers(min_value=0, max_value=60),
    ),
    min_size=1,
    max_size=160,
)


@settings(deadline=None, max_examples=150)
@given(many_actors, st.sampled_from([(3.0, 2.0), (1.0, 2.0), (1.5, 1.0), (0.5, 0.5)]))
def test_masking_leaves_exactly_who_whole_passes_leave(
    rows: list[tuple[int, str, int, int]], bars: tuple[float, float]
) -> None:
    lines = [line(f"a{a:02d}", cell, lv, str(D(pct) / 100)) for a, cell, lv, pct in rows]
    merged = o._merged(o.cell_sums_from_lines(lines))
    z_flag, z_watch = bars
    given = op.Settings(o.pooled_sigma(merged.values()), None, z_flag, z_watch, D(0))
    table = op.Table.of(merged)
    expected = exclusions_by_whole_passes(table, given)
    got = [a for a, out in zip(table.actors, op.mask_outliers(table, given), strict=True) if out]
    assert got == expected


def test_masking_follows_a_chain_of_leaving_actors() -> None:
    """Lenient actors of decreasing extremity: each leaves in turn, as whole passes say."""
    rng = random.Random(11)
    lines = []
    for k in range(30):
        rate = "0.30" if k < 4 else "0.10"
        for _ in range(8):
            lines.append(line(f"s{k:02d}", rng.choice("XY"), rng.randint(900, 1100), rate))
    merged = o._merged(o.cell_sums_from_lines(lines))
    given = op.Settings(o.pooled_sigma(merged.values()), None, 3.0, 2.0, D(0))
    table = op.Table.of(merged)
    expected = exclusions_by_whole_passes(table, given)
    assert len(expected) >= 2
    assert o.peer_outliers(o.cell_sums_from_lines(lines)).excluded_from_peers == expected
