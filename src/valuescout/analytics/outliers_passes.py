"""The outlier model's statistics over arrays (`outliers.peer_outliers`), and its masking loop.

`evaluate` judges every actor against peer benchmarks without the excluded actors, in one
vectorised pass over the (actor, cell) groups. `mask_outliers` finds who leaves the benchmarks
(flagged actors, the most extreme first, one at a time): after each leaving actor it updates
only the cells that actor sells in and the actors selling there, in the same order of
summation as `evaluate`, so it reaches exactly the exclusions that re-evaluating everything
after each one would, without paying a whole pass per leaving actor (at 15,000 customers,
1,589 passes took 12 s; bench/README.md, load test).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from valuescout.analytics.outliers import Cell, CellSums


@dataclass(frozen=True, slots=True)
class Settings:
    sigma: float | None
    tau: float | None
    z_flag: float
    z_watch: float
    min_money: Decimal


@dataclass(frozen=True)
class Table:
    """The merged groups as arrays (one entry per (actor, cell)); actors in name order."""

    actors: list[str]
    actor: np.ndarray  # per group: index into actors
    cell: np.ndarray  # per group: index of its cell
    lines: np.ndarray
    list_revenue: np.ndarray
    discount: np.ndarray
    list_sq_sum: np.ndarray
    groups_of: list[np.ndarray]  # per actor: its groups

    @classmethod
    def of(cls, merged: dict[tuple[str, Cell], CellSums]) -> Table:
        actors = sorted({actor for actor, _ in merged})
        index = {a: i for i, a in enumerate(actors)}
        cells: dict[Cell, int] = {}
        rows = list(merged.values())
        actor = np.array([index[g.actor] for g in rows], dtype=np.int64)
        return cls(
            actors=actors,
            actor=actor,
            cell=np.array([cells.setdefault(g.cell, len(cells)) for g in rows], dtype=np.int64),
            lines=np.array([g.lines for g in rows], dtype=np.float64),
            list_revenue=np.array([float(g.list_revenue) for g in rows], dtype=np.float64),
            discount=np.array([float(g.discount) for g in rows], dtype=np.float64),
            list_sq_sum=np.array([g.list_sq_sum for g in rows], dtype=np.float64),
            groups_of=[np.flatnonzero(actor == i) for i in range(len(actors))],
        )


@dataclass(frozen=True)
class Pass:
    """Per actor (arrays over ``Table.actors``): sums over the groups with a peer benchmark,
    against peer rates from the actors not excluded; and how many actors are in each cell."""

    lines: np.ndarray
    list_revenue: np.ndarray
    discount: np.ndarray
    expected: np.ndarray
    list_sq_sum: np.ndarray
    uncompared: np.ndarray
    benchmarked: np.ndarray  # bool: at least one compared group
    residual: np.ndarray
    se: np.ndarray | None
    z: np.ndarray | None
    tau: float | None
    status: list[str]
    active_in_cell: np.ndarray


def evaluate(table: Table, excluded: np.ndarray, given: Settings) -> Pass:
    """One evaluation of every actor against peer benchmarks without ``excluded`` actors."""
    active = ~excluded[table.actor]
    cells = int(table.cell.max()) + 1 if table.cell.size else 0
    own_list = np.where(active, table.list_revenue, 0.0)
    own_discount = np.where(active, table.discount, 0.0)
    cell_list = np.bincount(table.cell, weights=own_list, minlength=cells)
    cell_discount = np.bincount(table.cell, weights=own_discount, minlength=cells)
    active_in_cell = np.bincount(table.cell, weights=active.astype(np.float64), minlength=cells)
    peers = active_in_cell[table.cell] - active
    peer_list = cell_list[table.cell] - own_list
    compared = (peers > 0) & (peer_list > 0)
    peer_rate = np.divide(
        cell_discount[table.cell] - own_discount,
        peer_list,
        out=np.zeros_like(peer_list),
        where=compared,
    )
    n = len(table.actors)

    def per_actor(values: np.ndarray) -> np.ndarray:
        return np.bincount(table.actor, weights=values, minlength=n)

    list_revenue = per_actor(np.where(compared, table.list_revenue, 0.0))
    discount = per_actor(np.where(compared, table.discount, 0.0))
    expected = per_actor(np.where(compared, table.list_revenue * peer_rate, 0.0))
    list_sq = per_actor(np.where(compared, table.list_sq_sum, 0.0))
    benchmarked = per_actor(compared.astype(np.float64)) > 0
    safe = np.where(benchmarked, list_revenue, 1.0)
    residual = (discount - expected) / safe
    sigma, tau = given.sigma, given.tau
    se = z = None
    if sigma is not None:
        se = sigma * np.sqrt(list_sq) / safe
        with np.errstate(divide="ignore", invalid="ignore"):
            z = np.where(se > 0, residual / np.where(se > 0, se, 1.0), 0.0)
            z = np.where((se == 0) & (residual != 0), np.copysign(np.inf, residual), z)
        if tau is None and benchmarked.any():
            moments = residual[benchmarked] ** 2 - se[benchmarked] ** 2
            tau = math.sqrt(max(0.0, math.fsum(moments.tolist()) / int(benchmarked.sum())))
    status = ["ok"] * n
    if z is not None:
        material = np.abs(discount - expected) >= float(given.min_money)
        for i in np.flatnonzero(material & benchmarked & (np.abs(z) >= given.z_watch)):
            status[i] = "flag" if abs(z[i]) >= given.z_flag else "watch"
    return Pass(
        lines=per_actor(np.where(compared, table.lines, 0.0)),
        list_revenue=list_revenue,
        discount=discount,
        expected=expected,
        list_sq_sum=list_sq,
        uncompared=per_actor(np.where(compared, 0.0, table.list_revenue)),
        benchmarked=benchmarked,
        residual=residual,
        se=se,
        z=z,
        tau=tau,
        status=status,
        active_in_cell=active_in_cell,
    )


class _Masking:
    """`evaluate`'s figures kept up to date while actors leave the benchmarks one by one.

    Every recomputation sums the same values in the same order as `evaluate` (np.bincount adds
    in index order), so each figure is bit for bit what a whole pass would give."""

    def __init__(self, table: Table, given: Settings) -> None:
        self.t = table
        self.given = given
        self.cells = int(table.cell.max()) + 1 if table.cell.size else 0
        self.n = len(table.actors)
        self.excluded = np.zeros(self.n, dtype=bool)
        self.active = np.ones(table.actor.size, dtype=bool)
        self.cell_list = np.zeros(self.cells)
        self.cell_discount = np.zeros(self.cells)
        self.active_in_cell = np.zeros(self.cells)
        self.compared = np.zeros(table.actor.size, dtype=bool)
        self.peer_rate = np.zeros(table.actor.size)
        self.flag = np.zeros(self.n, dtype=bool)
        self.z = np.zeros(self.n)
        every_group = np.arange(table.actor.size)
        self._cells(np.ones(self.cells, dtype=bool), every_group)
        self._groups(every_group)
        self._actors(np.ones(self.n, dtype=bool), every_group)

    def leave(self, actor: int) -> None:
        self.excluded[actor] = True
        own = self.t.groups_of[actor]
        self.active[own] = False
        cell_mask = np.zeros(self.cells, dtype=bool)
        cell_mask[self.t.cell[own]] = True
        touched = np.flatnonzero(cell_mask[self.t.cell])
        self._cells(cell_mask, touched)
        self._groups(touched)
        actor_mask = np.zeros(self.n, dtype=bool)
        actor_mask[self.t.actor[touched]] = True
        self._actors(actor_mask, np.flatnonzero(actor_mask[self.t.actor]))

    def next_leaving(self) -> int | None:
        """The flagged actor with the largest |z| whose cells all keep two other peers."""
        if 2 * (int(self.excluded.sum()) + 1) > self.n:
            return None
        candidates = np.flatnonzero(self.flag & ~self.excluded)
        order = candidates[np.lexsort((candidates, -np.abs(self.z[candidates])))]
        for i in order.tolist():
            if self.active_in_cell[self.t.cell[self.t.groups_of[i]]].min() - 1 >= 2:
                return int(i)
        return None

    def _cells(self, cell_mask: np.ndarray, groups: np.ndarray) -> None:
        t, active = self.t, self.active[groups]
        cell = t.cell[groups]

        def summed(values: np.ndarray) -> np.ndarray:
            in_cells = np.bincount(cell, weights=values, minlength=self.cells)
            picked: np.ndarray = in_cells[cell_mask]
            return picked

        self.cell_list[cell_mask] = summed(np.where(active, t.list_revenue[groups], 0.0))
        self.cell_discount[cell_mask] = summed(np.where(active, t.discount[groups], 0.0))
        self.active_in_cell[cell_mask] = summed(active.astype(np.float64))

    def _groups(self, groups: np.ndarray) -> None:
        t, active = self.t, self.active[groups]
        cell = t.cell[groups]
        own_list = np.where(active, t.list_revenue[groups], 0.0)
        own_discount = np.where(active, t.discount[groups], 0.0)
        peers = self.active_in_cell[cell] - active
        peer_list = self.cell_list[cell] - own_list
        compared = (peers > 0) & (peer_list > 0)
        self.compared[groups] = compared
        self.peer_rate[groups] = np.divide(
            self.cell_discount[cell] - own_discount,
            peer_list,
            out=np.zeros_like(peer_list),
            where=compared,
        )

    def _actors(self, actor_mask: np.ndarray, groups: np.ndarray) -> None:
        """Status and z of the actors in `actor_mask`; `groups` are all their groups, sorted."""
        t, compared = self.t, self.compared[groups]
        rank = np.cumsum(actor_mask) - 1  # the actors in the mask numbered 0..m-1, in order
        owner = rank[t.actor[groups]]
        m = int(rank[-1]) + 1 if rank.size else 0

        def per_actor(values: np.ndarray) -> np.ndarray:
            return np.bincount(owner, weights=values, minlength=m)

        lr = t.list_revenue[groups]
        list_revenue = per_actor(np.where(compared, lr, 0.0))
        discount = per_actor(np.where(compared, t.discount[groups], 0.0))
        expected = per_actor(np.where(compared, lr * self.peer_rate[groups], 0.0))
        list_sq = per_actor(np.where(compared, t.list_sq_sum[groups], 0.0))
        benchmarked = per_actor(compared.astype(np.float64)) > 0
        if self.given.sigma is None:
            return
        safe = np.where(benchmarked, list_revenue, 1.0)
        residual = (discount - expected) / safe
        se = self.given.sigma * np.sqrt(list_sq) / safe
        with np.errstate(divide="ignore", invalid="ignore"):
            z = np.where(se > 0, residual / np.where(se > 0, se, 1.0), 0.0)
            z = np.where((se == 0) & (residual != 0), np.copysign(np.inf, residual), z)
        material = np.abs(discount - expected) >= float(self.given.min_money)
        self.z[actor_mask] = z
        bar = max(self.given.z_flag, self.given.z_watch)  # a flag is also a watch
        self.flag[actor_mask] = material & benchmarked & (np.abs(z) >= bar)


def mask_outliers(table: Table, given: Settings) -> np.ndarray:
    """Which actors leave the peer benchmarks (bool per actor): flagged actors one at a time,
    the largest |z| first, while every cell they sell in keeps at least two other peers and at
    most half the actors are out. Without a noise estimate nobody is flagged, so nobody leaves."""
    masking = _Masking(table, given)
    if given.sigma is None:
        return masking.excluded
    while (leaving := masking.next_leaving()) is not None:
        masking.leave(leaving)
    return masking.excluded
