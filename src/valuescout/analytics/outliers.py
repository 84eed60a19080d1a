"""Peer-adjusted discount outliers with shrinkage (domain-method §3.7; issue 6).

The actor is a seller, or an approver, or any other key; a *cell* is the peer group that makes
deals comparable (segment x deal type x size band, perhaps a quarter-end flag). The input is
one ``CellSums`` per (actor, cell) — plain sums an engine computes with one ``GROUP BY``:
lines n, list revenue L, invoice revenue I, and for the noise estimate the sums over lines of
the line's discount rate r = 1 - invoice/list, of r squared, and of the line's list revenue
squared. ``cell_sums_from_lines`` builds the same sums from raw lines.

For actor s with cells c (discount D = L - I):

* peer rate, leaving the actor's own deals out:  p_c = (D_c - D_sc) / (L_c - L_sc).
  A cell with no peer list revenue has no benchmark: it is left out of the comparison and its
  list revenue reported as ``uncompared_list_revenue``.
* actual rate   a_s = Σ D_sc / Σ L_sc                   (dollar-weighted, compared cells)
* expected rate e_s = Σ L_sc·p_c / Σ L_sc               (what the actor's mix predicts)
* residual      R_s = a_s - e_s
* money at stake = Σ L_sc·(D_sc/L_sc - p_c) = L_s·R_s, shown only when positive ("at peer
  discounting this actor's deals would have brought $X more"), in cents.
* noise: sigma^2 = the pooled within-(actor, cell) variance of line rates,
  Σ_g (Σr² - (Σr)²/n_g) / (N - G) over all G groups and N lines; it is the within-actor
  residual variance, as the peer rate is constant inside a group.
* standard error of the dollar-weighted residual: SE_s = sigma·sqrt(Σ L_line²) / Σ L_line
  (= sigma/sqrt(n) when the lines are equal; sqrt of Kish's effective sample size otherwise).
* z_s = R_s / SE_s — the funnel plot: |z| >= 3 is "flag", 2 <= |z| < 3 is "watch".
* between-actor variance (method of moments): tau^2 = max(0, mean_s(R_s² - SE_s²)).
* shrunk residual (empirical Bayes / partial pooling toward 0):
  r̂_s = R_s · tau² / (tau² + SE_s²), which for equal lines is the method's
  R_s · n/(n + sigma²/tau²); few lines -> large SE -> pulled toward 0.
  The shrunk money at stake is L_s·r̂_s (positive part).

Masking: a lenient actor inflates every peer benchmark of the cells they sell in, which makes
the honest actors there look strict. So flagged actors leave the peer benchmarks one at a time
(largest |z| first, as in Grubbs' iterated test) and everything is recomputed, as long as every
cell the leaving actor sells in keeps at least two other actors (so nobody loses their last
peer; in a two-actor cell no one can tell who is the outlier) and at most half the actors are
out. ``excluded_from_peers`` names them. An actor's own benchmark never contains their lines.

A flag needs both statistical significance (|z| >= z_flag) and dollar materiality
(|L_s·R_s| >= min_money), as §3.7 step 6 asks. ``sigma`` and ``tau`` may be given instead of
estimated. Rates are floats; money is Decimal rounded to cents.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

from valuescout.core.money import to_money

Cell = tuple[str, ...]
ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class CellSums:
    """One actor's lines in one peer cell, as sums (GROUP BY actor, cell)."""

    actor: str
    cell: Cell
    lines: int
    list_revenue: Decimal
    invoice_revenue: Decimal
    rate_sum: float
    rate_sq_sum: float
    list_sq_sum: float

    @property
    def discount(self) -> Decimal:
        return self.list_revenue - self.invoice_revenue


@dataclass(frozen=True, slots=True)
class OutlierLine:
    """A raw line (or deal) for ``cell_sums_from_lines``: list revenue must be positive."""

    actor: str
    cell: Cell
    list_revenue: Decimal
    invoice_revenue: Decimal


def _merge(a: CellSums, b: CellSums) -> CellSums:
    return CellSums(
        actor=a.actor,
        cell=a.cell,
        lines=a.lines + b.lines,
        list_revenue=a.list_revenue + b.list_revenue,
        invoice_revenue=a.invoice_revenue + b.invoice_revenue,
        rate_sum=a.rate_sum + b.rate_sum,
        rate_sq_sum=a.rate_sq_sum + b.rate_sq_sum,
        list_sq_sum=a.list_sq_sum + b.list_sq_sum,
    )


def _merged(groups: Iterable[CellSums]) -> dict[tuple[str, Cell], CellSums]:
    """One entry per (actor, cell); repeated keys are summed."""
    out: dict[tuple[str, Cell], CellSums] = {}
    for group in groups:
        if group.lines < 1 or group.list_revenue <= 0:
            raise ValueError(f"group {group.actor!r} {group.cell!r} has no lines or list revenue")
        key = (group.actor, group.cell)
        out[key] = _merge(out[key], group) if key in out else group
    return out


def cell_sums_from_lines(lines: Iterable[OutlierLine]) -> list[CellSums]:
    """The per-(actor, cell) sums of raw lines: what an engine's GROUP BY returns."""
    singles: list[CellSums] = []
    for line in lines:
        if line.list_revenue <= 0:
            raise ValueError(f"a line of {line.actor!r} has no positive list revenue")
        rate = float((line.list_revenue - line.invoice_revenue) / line.list_revenue)
        weight = float(line.list_revenue)
        singles.append(
            CellSums(
                actor=line.actor,
                cell=line.cell,
                lines=1,
                list_revenue=line.list_revenue,
                invoice_revenue=line.invoice_revenue,
                rate_sum=rate,
                rate_sq_sum=rate * rate,
                list_sq_sum=weight * weight,
            )
        )
    return list(_merged(singles).values())


def size_band(amount: Decimal, edges: Sequence[Decimal]) -> str:
    """The label of the band ``amount`` falls in, e.g. edges (10000, 50000) ->
    "<10000", "10000-50000", ">=50000" (a band includes its lower edge)."""
    ordered = sorted(edges)
    if not ordered:
        return "all"
    if amount < ordered[0]:
        return f"<{ordered[0]}"
    for lower, upper in pairwise(ordered):
        if lower <= amount < upper:
            return f"{lower}-{upper}"
    return f">={ordered[-1]}"


def pooled_sigma(groups: Iterable[CellSums]) -> float | None:
    """Pooled within-(actor, cell) SD of line rates; None with no group of two or more lines."""
    squares = 0.0
    freedom = 0
    for g in groups:
        spread = g.rate_sq_sum - g.rate_sum * g.rate_sum / g.lines
        # Below float noise of the sums (equal rates) the spread is exactly 0, never negative.
        squares += spread if spread > 1e-12 * g.rate_sq_sum else 0.0
        freedom += g.lines - 1
    return math.sqrt(squares / freedom) if freedom > 0 else None


def shrink(residual: float, standard_error: float, tau: float) -> float:
    """Empirical-Bayes residual: R * tau^2 / (tau^2 + SE^2); no noise leaves R as it is."""
    if standard_error == 0:
        return residual
    tau2 = tau * tau
    return residual * tau2 / (tau2 + standard_error * standard_error)


@dataclass(frozen=True, slots=True)
class ActorOutlier:
    """One actor against their peers; rates are fractions, money is in cents."""

    actor: str
    lines: int
    list_revenue: Decimal
    discount: Decimal
    rate: float
    expected_rate: float
    residual: float
    standard_error: float | None
    z: float | None
    shrunk_residual: float | None
    excess_discount: Decimal
    money_at_stake: Decimal
    shrunk_money_at_stake: Decimal | None
    uncompared_list_revenue: Decimal
    status: str  # "flag", "watch" or "ok"


@dataclass(frozen=True, slots=True)
class OutlierReport:
    """The model's noise figures and every actor with a benchmark, largest excess first;
    ``excluded_from_peers`` lists the flagged actors left out of the others' benchmarks."""

    sigma: float | None
    tau: float | None
    actors: list[ActorOutlier]
    unbenchmarked: list[str]
    excluded_from_peers: list[str]


@dataclass(slots=True)
class _Compared:
    lines: int = 0
    list_revenue: Decimal = ZERO
    discount: Decimal = ZERO
    expected_discount: Decimal = ZERO
    list_sq_sum: float = 0.0
    uncompared: Decimal = ZERO


def _compare(
    merged: dict[tuple[str, Cell], CellSums], excluded: frozenset[str]
) -> dict[str, _Compared]:
    """Each actor's sums against peer rates from the other, non-excluded actors' lines."""
    cell_list: dict[Cell, Decimal] = defaultdict(lambda: ZERO)
    cell_discount: dict[Cell, Decimal] = defaultdict(lambda: ZERO)
    for g in merged.values():
        if g.actor not in excluded:
            cell_list[g.cell] += g.list_revenue
            cell_discount[g.cell] += g.discount
    actors: dict[str, _Compared] = defaultdict(_Compared)
    for g in merged.values():
        acc = actors[g.actor]
        own_list, own_discount = (
            (ZERO, ZERO) if g.actor in excluded else (g.list_revenue, g.discount)
        )
        peer_list = cell_list[g.cell] - own_list
        if peer_list <= 0:
            acc.uncompared += g.list_revenue
            continue
        peer_rate = (cell_discount[g.cell] - own_discount) / peer_list
        acc.lines += g.lines
        acc.list_revenue += g.list_revenue
        acc.discount += g.discount
        acc.expected_discount += g.list_revenue * peer_rate
        acc.list_sq_sum += g.list_sq_sum
    return actors


@dataclass(frozen=True, slots=True)
class _Settings:
    sigma: float | None
    tau: float | None
    z_flag: float
    z_watch: float
    min_money: Decimal


def peer_outliers(
    groups: Iterable[CellSums],
    *,
    sigma: float | None = None,
    tau: float | None = None,
    z_flag: float = 3.0,
    z_watch: float = 2.0,
    min_money: Decimal = ZERO,
) -> OutlierReport:
    """Each actor's dollar-weighted discount rate against the peer rate of their mix.

    Flagged actors leave the peer benchmarks one at a time, the most extreme first, while
    every cell they sell in keeps at least two other peers and at most half the actors are out.
    """
    merged = _merged(groups)
    if sigma is None:
        sigma = pooled_sigma(merged.values())
    given = _Settings(sigma, tau, z_flag, z_watch, min_money)
    actor_count = len({actor for actor, _ in merged})
    cells_of: dict[str, set[Cell]] = defaultdict(set)
    actors_in: dict[Cell, set[str]] = defaultdict(set)
    for actor, cell in merged:
        cells_of[actor].add(cell)
        actors_in[cell].add(actor)
    excluded: frozenset[str] = frozenset()
    while True:
        report = _one_pass(merged, excluded, given)
        if 2 * (len(excluded) + 1) > actor_count:
            return report
        flagged = [a for a in report.actors if a.status == "flag" and a.actor not in excluded]
        flagged.sort(key=lambda a: (-abs(a.z or 0.0), a.actor))
        leaving = next(
            (
                a.actor
                for a in flagged
                if all(
                    len(actors_in[cell] - excluded - {a.actor}) >= 2 for cell in cells_of[a.actor]
                )
            ),
            None,
        )
        if leaving is None:
            return report
        excluded = excluded | {leaving}


def _one_pass(
    merged: dict[tuple[str, Cell], CellSums], excluded: frozenset[str], given: _Settings
) -> OutlierReport:
    sigma = given.sigma
    rows: list[tuple[str, _Compared, float, float | None]] = []
    unbenchmarked: list[str] = []
    for actor, acc in sorted(_compare(merged, excluded).items()):
        if acc.list_revenue == 0:
            unbenchmarked.append(actor)
            continue
        residual = float((acc.discount - acc.expected_discount) / acc.list_revenue)
        se = None if sigma is None else sigma * math.sqrt(acc.list_sq_sum) / float(acc.list_revenue)
        rows.append((actor, acc, residual, se))
    tau = given.tau
    if tau is None and sigma is not None and rows:
        moments = [r * r - (se or 0.0) ** 2 for _, _, r, se in rows]
        tau = math.sqrt(max(0.0, math.fsum(moments) / len(moments)))
    results = [_result(row, tau, given) for row in rows]
    results.sort(key=lambda r: (-r.excess_discount, r.actor))
    return OutlierReport(
        sigma=sigma,
        tau=tau,
        actors=results,
        unbenchmarked=unbenchmarked,
        excluded_from_peers=sorted(excluded),
    )


def _z(residual: float, se: float | None) -> float | None:
    if se is None:
        return None
    if se == 0:
        return 0.0 if residual == 0 else math.copysign(math.inf, residual)
    return residual / se


def _result(
    row: tuple[str, _Compared, float, float | None],
    tau: float | None,
    given: _Settings,
) -> ActorOutlier:
    actor, acc, residual, se = row
    excess = acc.discount - acc.expected_discount
    z = _z(residual, se)
    shrunk = None if se is None or tau is None else shrink(residual, se, tau)
    status = "ok"
    if z is not None and abs(excess) >= given.min_money:
        if abs(z) >= given.z_flag:
            status = "flag"
        elif abs(z) >= given.z_watch:
            status = "watch"
    shrunk_money = None
    if shrunk is not None:
        shrunk_money = to_money(max(ZERO, acc.list_revenue * Decimal(repr(shrunk))))
    return ActorOutlier(
        actor=actor,
        lines=acc.lines,
        list_revenue=to_money(acc.list_revenue),
        discount=to_money(acc.discount),
        rate=float(acc.discount / acc.list_revenue),
        expected_rate=float(acc.expected_discount / acc.list_revenue),
        residual=residual,
        standard_error=se,
        z=z,
        shrunk_residual=shrunk,
        excess_discount=to_money(excess),
        money_at_stake=to_money(max(ZERO, excess)),
        shrunk_money_at_stake=shrunk_money,
        uncompared_list_revenue=to_money(acc.uncompared),
        status=status,
    )
