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

The statistics run in floats over numpy arrays (`outliers_passes`): one vectorised pass, and
while actors leave the benchmarks only the cells and actors each one touches are recomputed;
only the reported money is turned into Decimal cents, at the end.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

import numpy as np

from valuescout.analytics.outliers_passes import Pass, Settings, Table, evaluate, mask_outliers
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
    The statistics run in floats over arrays (`outliers_passes`); money is rounded to cents at
    the end.
    """
    merged = _merged(groups)
    if sigma is None:
        sigma = pooled_sigma(merged.values())
    given = Settings(sigma, tau, z_flag, z_watch, min_money)
    table = Table.of(merged)
    excluded = mask_outliers(table, given)
    return _report(table, excluded, evaluate(table, excluded, given), given)


def _cents(value: float) -> Decimal:
    return to_money(Decimal(repr(float(value))))


def _report(table: Table, excluded: np.ndarray, p: Pass, given: Settings) -> OutlierReport:
    results: list[tuple[float, str, ActorOutlier]] = []
    for i, actor in enumerate(table.actors):
        if not p.benchmarked[i]:
            continue
        list_revenue = float(p.list_revenue[i])
        excess = float(p.discount[i] - p.expected[i])
        residual = float(p.residual[i])
        se = None if p.se is None else float(p.se[i])
        z = None if p.z is None else float(p.z[i])
        shrunk = None if se is None or p.tau is None else shrink(residual, se, p.tau)
        results.append(
            (
                -excess,
                actor,
                ActorOutlier(
                    actor=actor,
                    lines=int(p.lines[i]),
                    list_revenue=_cents(list_revenue),
                    discount=_cents(float(p.discount[i])),
                    rate=float(p.discount[i]) / list_revenue,
                    expected_rate=float(p.expected[i]) / list_revenue,
                    residual=residual,
                    standard_error=se,
                    z=z,
                    shrunk_residual=shrunk,
                    excess_discount=_cents(excess),
                    money_at_stake=_cents(max(0.0, excess)),
                    shrunk_money_at_stake=None
                    if shrunk is None
                    else _cents(max(0.0, list_revenue * shrunk)),
                    uncompared_list_revenue=_cents(float(p.uncompared[i])),
                    status=p.status[i],
                ),
            )
        )
    results.sort(key=lambda r: (r[0], r[1]))
    return OutlierReport(
        sigma=given.sigma,
        tau=p.tau,
        actors=[r[2] for r in results],
        unbenchmarked=[a for i, a in enumerate(table.actors) if not p.benchmarked[i]],
        excluded_from_peers=[a for i, a in enumerate(table.actors) if excluded[i]],
    )
