"""Mutual-reinforcement loops (declared) and circular cause and effect (undeclared).

A two-way link declares that two nodes reinforce each other: that is a loop, and welcome.
Any other circle, one that goes through at least one one-way link, means that cause and
effect go round in a circle nobody declared: usually a link drawn the wrong way round, or two
outcomes that should be joined by one two-way link. Those are reported as problems.

Undeclared circles are found without listing every cycle (which can be exponentially many):
a one-way link u -> v lies on a circle exactly when u and v are in the same strongly
connected component of the chain graph. Each such component is one `UndeclaredCycle`, with
every offending one-way link in it and one example circle to show the user.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

from valuescout.valuenet.graph import ValueGraph, name_key


@dataclass(frozen=True)
class LinkRef:
    source: str
    target: str


@dataclass(frozen=True)
class Loop:
    """A declared mutual-reinforcement loop: one two-way link."""

    first: str
    second: str
    rationale: str


@dataclass(frozen=True)
class UndeclaredCycle:
    cycle: tuple[str, ...]  # an example: each node leads to the next, the last back to the first
    one_way_links: tuple[LinkRef, ...]  # every one-way link that lies on a circle among `nodes`
    nodes: tuple[str, ...]  # every node caught in these circles, in name order


@dataclass(frozen=True)
class LoopReport:
    declared: tuple[Loop, ...]  # in the order of the links
    undeclared: tuple[UndeclaredCycle, ...]  # by the first node of their example circle

    @property
    def ok(self) -> bool:
        return not self.undeclared


def strongly_connected(succ: Sequence[Sequence[int]]) -> list[list[int]]:
    """Tarjan's strongly connected components, sinks first (reverse topological order)."""
    n = len(succ)
    order, low = [-1] * n, [0] * n
    on_stack = [False] * n
    stack: list[int] = []
    components: list[list[int]] = []
    counter = 0
    for root in range(n):
        if order[root] != -1:
            continue
        order[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = True
        work = [(root, 0)]
        while work:
            v, i = work[-1]
            if i < len(succ[v]):
                work[-1] = (v, i + 1)
                w = succ[v][i]
                if order[w] == -1:
                    order[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack[w] = True
                    work.append((w, 0))
                elif on_stack[w] and order[w] < low[v]:
                    low[v] = order[w]
                continue
            work.pop()
            if work and low[v] < low[work[-1][0]]:
                low[work[-1][0]] = low[v]
            if low[v] == order[v]:
                component = []
                while True:
                    w = stack.pop()
                    on_stack[w] = False
                    component.append(w)
                    if w == v:
                        break
                components.append(component)
    return components


def find_loops(graph: ValueGraph) -> LoopReport:
    declared: list[Loop] = []
    seen: set[frozenset[str]] = set()
    for link in graph.links:
        pair = frozenset((link.source, link.target))
        if link.two_way and pair not in seen:
            seen.add(pair)
            declared.append(Loop(link.source, link.target, link.rationale))

    undeclared: list[UndeclaredCycle] = []
    rank = graph.rank.__getitem__
    for component in strongly_connected(graph.succ):
        if len(component) < 2:
            continue
        members = set(component)
        offending = sorted(
            ((u, v) for u in component for v in graph.succ[u] if v in members),
            key=lambda e: (rank(e[0]), rank(e[1])),
        )
        offending = [e for e in offending if e not in graph.declared]
        if not offending:
            continue  # a tangle of two-way links only: declared reinforcement
        u, v = offending[0]
        cycle = [u, *_path(graph.succ, members, v, u)[:-1]]
        undeclared.append(
            UndeclaredCycle(
                cycle=tuple(graph.names[i] for i in cycle),
                one_way_links=tuple(LinkRef(graph.names[a], graph.names[b]) for a, b in offending),
                nodes=tuple(sorted((graph.names[i] for i in component), key=name_key)),
            )
        )
    undeclared.sort(key=lambda c: name_key(c.cycle[0]))
    return LoopReport(tuple(declared), tuple(undeclared))


def _path(succ: Sequence[Sequence[int]], members: set[int], start: int, goal: int) -> list[int]:
    """A shortest path from start to goal (both included) through members; goal is reachable."""
    came_from = {start: start}
    queue = deque([start])
    while goal not in came_from:
        v = queue.popleft()
        for w in succ[v]:
            if w in members and w not in came_from:
                came_from[w] = v
                queue.append(w)
    path = [goal]
    while path[-1] != start:
        path.append(came_from[path[-1]])
    return path[::-1]
