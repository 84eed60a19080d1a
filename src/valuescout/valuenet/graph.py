"""A value network as a graph: reachability and value chains, with no database and no web code.

`build_graph(spec)` indexes a `NetworkSpec` once; every query takes the resulting `ValueGraph`.

How links are followed (the "chain graph"):

- A link leads from its source (cause) to its target (effect). A two-way link (mutual
  reinforcement) is also followed from target to source, except back into a differentiator:
  value starts at a differentiator, and a chain never returns into one.
- Links with an unknown end, self-links and links into a differentiator are left out; the
  lint (`lint.py`) reports them. Names are exact; when a name is used twice, the first node
  with that name counts (the lint reports the duplicate).

Reachability (`outcomes_driven_by`, `drivers_of`) is a breadth-first search: it never
enumerates paths, so it stays linear in the size of the network. Chain enumeration can grow
exponentially with the number of links, so it always takes a `limit` and says when it was hit.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx  # type: ignore[import-untyped, unused-ignore]

from valuescout.core.errors import NotFound
from valuescout.valuenet.spec import (
    Competitor,
    Differentiator,
    Link,
    NetworkSpec,
    Outcome,
    Persona,
)

DEFAULT_CHAIN_LIMIT = 10_000


def name_key(name: str) -> tuple[str, str]:
    """Sort key for names: ignoring capitals first, then exact, so the order is total."""
    return (name.casefold(), name)


@dataclass(frozen=True)
class Chain:
    """A value chain: a differentiator, then each outcome it leads to, in order."""

    nodes: tuple[str, ...]

    @property
    def differentiator(self) -> str:
        return self.nodes[0]

    @property
    def outcome(self) -> str:
        """The last outcome of the chain."""
        return self.nodes[-1]

    @property
    def steps(self) -> int:
        """Number of links (cause -> effect steps) in the chain."""
        return len(self.nodes) - 1


@dataclass(frozen=True)
class ChainSet:
    chains: tuple[Chain, ...]
    limit: int
    capped: bool  # True when there are more chains than `limit`; only the first are returned


@dataclass(frozen=True)
class Reached:
    name: str
    steps: int  # the fewest links between the two nodes (1 = directly)


@dataclass(frozen=True)
class Reachability:
    node: str
    reached: tuple[Reached, ...]  # sorted by steps, then by name


class ValueGraph:
    """The network indexed for queries. Treat it as read-only.

    Node numbers: differentiators come first (0 .. n_differentiators - 1, spec order), then
    outcomes. `succ`/`pred` hold the chain graph, each list sorted by name, so every traversal
    (and so every result) has one deterministic order.
    """

    def __init__(self, spec: NetworkSpec) -> None:
        self.spec = spec
        self.names: list[str] = []
        self.index: dict[str, int] = {}
        self.differentiators: dict[str, Differentiator] = {}
        self.outcomes: dict[str, Outcome] = {}
        for d in spec.differentiators:
            if d.name not in self.index:
                self.index[d.name] = len(self.names)
                self.names.append(d.name)
                self.differentiators[d.name] = d
        self.n_differentiators = len(self.names)
        for o in spec.outcomes:
            if o.name not in self.index:
                self.index[o.name] = len(self.names)
                self.names.append(o.name)
                self.outcomes[o.name] = o
        n = len(self.names)
        by_name = sorted(range(n), key=lambda i: name_key(self.names[i]))
        self.rank = [0] * n
        for position, i in enumerate(by_name):
            self.rank[i] = position
        # Differentiators as bits of an int, numbered in name order (see positioning.py).
        self.differentiators_by_bit = [i for i in by_name if i < self.n_differentiators]
        self.differentiator_names = [self.names[i] for i in self.differentiators_by_bit]
        self.bit = [0] * self.n_differentiators
        for b, i in enumerate(self.differentiators_by_bit):
            self.bit[i] = b

        self.links: list[Link] = []  # the links the chain graph is built from
        self.declared: set[tuple[int, int]] = set()  # directions covered by a two-way link
        successors: list[set[int]] = [set() for _ in range(n)]
        for link in spec.links:
            s, t = self.index.get(link.source), self.index.get(link.target)
            if s is None or t is None or s == t or self.is_differentiator(t):
                continue
            self.links.append(link)
            successors[s].add(t)
            if link.two_way:
                self.declared.add((s, t))
                if not self.is_differentiator(s):
                    successors[t].add(s)
                    self.declared.add((t, s))
        rank = self.rank.__getitem__
        self.succ: list[list[int]] = [sorted(x, key=rank) for x in successors]
        predecessors: list[list[int]] = [[] for _ in range(n)]
        for s in by_name:
            for t in self.succ[s]:
                predecessors[t].append(s)
        self.pred = predecessors
        self.personas: dict[str, Persona] = {}
        for p in spec.personas:
            self.personas.setdefault(p.name, p)
        self.competitors: dict[str, Competitor] = {}
        for c in spec.competitors:
            self.competitors.setdefault(c.name, c)

    def is_differentiator(self, i: int) -> bool:
        return i < self.n_differentiators

    def node(self, name: str) -> int:
        if name not in self.index:
            raise NotFound(f"'{name}' is not a differentiator or outcome in this network.")
        return self.index[name]

    def differentiator(self, name: str) -> int:
        if name not in self.differentiators:
            raise NotFound(f"'{name}' is not a differentiator in this network.")
        return self.index[name]

    def outcome(self, name: str) -> int:
        if name not in self.outcomes:
            raise NotFound(f"'{name}' is not an outcome in this network.")
        return self.index[name]

    def persona(self, name: str) -> Persona:
        if name not in self.personas:
            raise NotFound(f"There is no persona '{name}' in this network.")
        return self.personas[name]

    def competitor(self, name: str) -> Competitor:
        if name not in self.competitors:
            raise NotFound(f"There is no competitor '{name}' in this network.")
        return self.competitors[name]

    def chain(self, nodes: Sequence[int]) -> Chain:
        return Chain(tuple(self.names[i] for i in nodes))


def build_graph(spec: NetworkSpec) -> ValueGraph:
    return ValueGraph(spec)


def to_networkx(graph: ValueGraph) -> Any:
    """The chain graph as a `networkx.DiGraph` (node attribute `kind`, `executive`; edge
    attributes `two_way` and `rationale`) for exports and ad-hoc analysis."""
    g = nx.DiGraph(name=graph.spec.name)
    for name, i in graph.index.items():
        if graph.is_differentiator(i):
            g.add_node(name, kind="differentiator", executive=False)
        else:
            g.add_node(name, kind="outcome", executive=graph.outcomes[name].executive)
    for link in graph.links:
        g.add_edge(link.source, link.target, two_way=link.two_way, rationale=link.rationale)
        if link.two_way and link.source not in graph.differentiators:
            g.add_edge(link.target, link.source, two_way=True, rationale=link.rationale)
    return g


def distances(adjacency: Sequence[Sequence[int]], starts: Sequence[int]) -> dict[int, int]:
    """Breadth-first search: the fewest links from any start to each node reached."""
    dist = dict.fromkeys(starts, 0)
    queue = deque(starts)
    while queue:
        v = queue.popleft()
        d = dist[v] + 1
        for w in adjacency[v]:
            if w not in dist:
                dist[w] = d
                queue.append(w)
    return dist


def _reachability(graph: ValueGraph, node: int, dist: dict[int, int], keep: bool) -> Reachability:
    found = sorted(
        (d, graph.rank[v], v) for v, d in dist.items() if d and graph.is_differentiator(v) == keep
    )
    return Reachability(graph.names[node], tuple(Reached(graph.names[v], d) for d, _, v in found))


def outcomes_driven_by(graph: ValueGraph, name: str) -> Reachability:
    """Every outcome the node (usually a differentiator) ultimately leads to."""
    i = graph.node(name)
    return _reachability(graph, i, distances(graph.succ, [i]), keep=False)


def drivers_of(graph: ValueGraph, name: str) -> Reachability:
    """Every differentiator that ultimately leads to the node (usually an outcome)."""
    i = graph.node(name)
    return _reachability(graph, i, distances(graph.pred, [i]), keep=True)


def driven_by_any(graph: ValueGraph) -> set[int]:
    """The outcomes (node numbers) that at least one differentiator leads to."""
    diffs = list(range(graph.n_differentiators))
    return {v for v in distances(graph.succ, diffs) if not graph.is_differentiator(v)}


def _enumerate(
    graph: ValueGraph, start: int, allowed: set[int] | None, goal: int | None, room: int
) -> tuple[list[tuple[int, ...]], bool]:
    """Depth-first simple paths from `start`, at most `room` of them (and whether more exist).

    With a `goal`: paths that end at the goal, through `allowed` nodes only. Without: maximal
    paths, those that end where no further unvisited node can be reached.
    """
    found: list[tuple[int, ...]] = []
    path = [start]
    on_path = {start}
    frames: list[tuple[Iterator[int], list[bool]]] = [(iter(graph.succ[start]), [False])]
    while frames:
        successors, extended = frames[-1]
        for w in successors:
            if w in on_path or (allowed is not None and w not in allowed):
                continue
            extended[0] = True
            if w == goal:
                if len(found) == room:
                    return found, True
                found.append((*path, w))
                continue
            path.append(w)
            on_path.add(w)
            frames.append((iter(graph.succ[w]), [False]))
            break
        else:
            frames.pop()
            if goal is None and not extended[0] and len(path) > 1:
                if len(found) == room:
                    return found, True
                found.append(tuple(path))
            on_path.discard(path.pop())
    return found, False


def value_chains(
    graph: ValueGraph, differentiator: str | None = None, *, limit: int = DEFAULT_CHAIN_LIMIT
) -> ChainSet:
    """Maximal value chains from one differentiator, or from all (in name order).

    A chain never repeats a node and ends where no further unvisited outcome can be reached.
    A differentiator that leads nowhere has no chain.
    """
    if limit < 0:
        raise ValueError("limit must not be negative")
    if differentiator is None:
        starts = list(graph.differentiators_by_bit)
    else:
        starts = [graph.differentiator(differentiator)]
    chains: list[Chain] = []
    for start in starts:
        paths, capped = _enumerate(graph, start, None, None, limit - len(chains))
        chains.extend(graph.chain(p) for p in paths)
        if capped:
            return ChainSet(tuple(chains), limit, capped=True)
    return ChainSet(tuple(chains), limit, capped=False)


def chains_between(
    graph: ValueGraph, differentiator: str, outcome: str, *, limit: int = DEFAULT_CHAIN_LIMIT
) -> ChainSet:
    """Every chain from the differentiator that ends at the outcome (each node at most once)."""
    if limit < 0:
        raise ValueError("limit must not be negative")
    start, goal = graph.differentiator(differentiator), graph.outcome(outcome)
    allowed = set(distances(graph.pred, [goal]))  # only nodes from which the goal is reachable
    if start not in allowed:
        return ChainSet((), limit, capped=False)
    paths, capped = _enumerate(graph, start, allowed, goal, limit)
    return ChainSet(tuple(graph.chain(p) for p in paths), limit, capped)
