"""Competitive positioning and customer overlap.

Competitive positioning, per outcome the offer can deliver, looks at every differentiator
that ultimately leads to the outcome (its "drivers") and at how the competitor matches each
(a match that is not stated counts as "no"):

- `difference` (point of difference): the competitor matches none of the drivers. Only we
  can deliver this outcome: lead with it.
- `partial`: the competitor matches no driver fully, but at least one partly. We have the
  edge; show why "partly" falls short.
- `parity`: the competitor fully matches at least one driver, so they can deliver the outcome
  too, but at least one of our drivers they do not fully match. Sell the route they lack
  (`drivers_no`, then `drivers_partly`).
- `at_risk`: the competitor fully matches every driver. The outcome is no reason to choose
  us, and if they execute better they are ahead: do not lead with it against them.

Outcomes no differentiator leads to are not positioned (the lint reports them).

Coverage: for every node, how many outcomes it leads to and how many differentiators lead to
it, for all nodes at once (bit sets over the component graph: no path enumeration).

Overlap: the share of the outcomes a customer desires that the offer can deliver, i.e. that
at least one differentiator leads to.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from itertools import compress

from valuescout.valuenet.graph import ValueGraph, driven_by_any, name_key
from valuescout.valuenet.loops import strongly_connected
from valuescout.valuenet.spec import Match


class Position(StrEnum):
    DIFFERENCE = "difference"
    PARTIAL = "partial"
    PARITY = "parity"
    AT_RISK = "at_risk"


POSITION_ORDER = {p: i for i, p in enumerate(Position)}


@dataclass(frozen=True)
class OutcomePosition:
    outcome: str
    position: Position
    executive: bool
    drivers_no: tuple[str, ...]  # our drivers the competitor does not match
    drivers_partly: tuple[str, ...]
    drivers_yes: tuple[str, ...]


@dataclass(frozen=True)
class CompetitorPositioning:
    competitor: str
    outcomes: tuple[OutcomePosition, ...]  # by position (difference first), then by name
    difference: int  # how many outcomes in each position
    partial: int
    parity: int
    at_risk: int
    unknown_differentiators: tuple[str, ...]  # matches stated for names not in the network


@dataclass(frozen=True)
class NodeCoverage:
    name: str
    differentiator: bool  # False: an outcome
    leads_to: int  # how many outcomes it ultimately leads to (not counting itself)
    driven_by: int  # how many differentiators ultimately lead to it (0 for a differentiator)


@dataclass(frozen=True)
class Overlap:
    desired: tuple[str, ...]  # the distinct names asked about, as given
    deliverable: tuple[str, ...]  # network outcomes at least one differentiator leads to
    not_deliverable: tuple[str, ...]  # network outcomes no differentiator leads to
    unknown: tuple[str, ...]  # names that are not outcomes of this network
    share: float  # len(deliverable) / len(desired); 0.0 when nothing is desired


def driver_bits(graph: ValueGraph) -> list[int]:
    """For every node, the set of differentiators that lead to it, as an int with bit
    `graph.bit[d]` set for differentiator d (a differentiator counts as leading to itself).

    One pass over the strongly connected components in topological order: linear in the size
    of the network, whatever the number of paths."""
    bits = [0] * len(graph.names)
    for component in reversed(strongly_connected(graph.succ)):  # sources first
        members = set(component)
        acc = 0
        for v in component:
            if graph.is_differentiator(v):
                acc |= 1 << graph.bit[v]
            for p in graph.pred[v]:
                if p not in members:
                    acc |= bits[p]
        for v in component:
            bits[v] = acc
    return bits


def coverage(graph: ValueGraph) -> tuple[NodeCoverage, ...]:
    """Reach counts for every node, in network order (differentiators, then outcomes)."""
    n = len(graph.names)
    outcome_bit = [0 if graph.is_differentiator(v) else 1 << v for v in range(n)]
    below = [0] * n  # outcomes reachable from each node, itself included when on a circle
    for component in strongly_connected(graph.succ):  # sinks first
        members = set(component)
        acc = 0
        for v in component:
            for w in graph.succ[v]:
                if w not in members:
                    acc |= below[w] | outcome_bit[w]
        if len(component) > 1:
            for v in component:
                acc |= outcome_bit[v]
        for v in component:
            below[v] = acc
    drivers = driver_bits(graph)
    return tuple(
        NodeCoverage(
            name=graph.names[v],
            differentiator=graph.is_differentiator(v),
            leads_to=(below[v] & ~outcome_bit[v]).bit_count(),
            driven_by=0 if graph.is_differentiator(v) else drivers[v].bit_count(),
        )
        for v in range(n)
    )


_SELECT = bytes.maketrans(b"01", b"\x00\x01")


def decode_bits(graph: ValueGraph, bits: int) -> tuple[str, ...]:
    """Differentiator names of a bit set, in name order (selected in C: no loop per bit)."""
    selectors = bin(bits)[:1:-1].encode().translate(_SELECT)  # lowest bit first
    return tuple(compress(graph.differentiator_names, selectors))


def competitor_positioning(
    graph: ValueGraph, competitor: str, *, bits: list[int] | None = None
) -> CompetitorPositioning:
    """Where the competitor stands on every outcome we can deliver (see the module docstring).

    `bits` lets a caller that positions several competitors compute `driver_bits` once."""
    comp = graph.competitor(competitor)
    masks = {Match.YES: 0, Match.PARTLY: 0}
    answered: set[str] = set()
    unknown: list[str] = []
    for m in comp.matches:
        if m.differentiator not in graph.differentiators:
            unknown.append(m.differentiator)
        elif m.differentiator not in answered:  # the first answer counts
            answered.add(m.differentiator)
            if m.match in masks:
                masks[m.match] |= 1 << graph.bit[graph.index[m.differentiator]]
    yes, partly = masks[Match.YES], masks[Match.PARTLY]
    bits = driver_bits(graph) if bits is None else bits
    rows: list[tuple[int, int, OutcomePosition]] = []
    for name, outcome in graph.outcomes.items():
        i = graph.index[name]
        drivers = bits[i]
        if not drivers:
            continue
        if drivers & ~yes == 0:
            position = Position.AT_RISK
        elif drivers & yes:
            position = Position.PARITY
        elif drivers & partly:
            position = Position.PARTIAL
        else:
            position = Position.DIFFERENCE
        row = OutcomePosition(
            outcome=name,
            position=position,
            executive=outcome.executive,
            drivers_no=decode_bits(graph, drivers & ~yes & ~partly),
            drivers_partly=decode_bits(graph, drivers & partly),
            drivers_yes=decode_bits(graph, drivers & yes),
        )
        rows.append((POSITION_ORDER[position], graph.rank[i], row))
    rows.sort(key=lambda r: (r[0], r[1]))
    counts = dict.fromkeys(Position, 0)
    for _, _, row in rows:
        counts[row.position] += 1
    return CompetitorPositioning(
        competitor=comp.name,
        outcomes=tuple(row for _, _, row in rows),
        difference=counts[Position.DIFFERENCE],
        partial=counts[Position.PARTIAL],
        parity=counts[Position.PARITY],
        at_risk=counts[Position.AT_RISK],
        unknown_differentiators=tuple(unknown),
    )


def overlap(graph: ValueGraph, desired: Iterable[str]) -> Overlap:
    """Which desired outcomes the offer can deliver.

    Names match exactly, or else ignoring capitals and surrounding spaces; blank names are
    ignored and repeated names count once. The share is 0.0 when nothing is desired: a
    customer whose desired outcomes are not yet known is no fit yet.
    """
    by_key: dict[str, str] = {}
    for name in graph.outcomes:
        by_key.setdefault(name.strip().casefold(), name)
    delivered = driven_by_any(graph)
    asked: list[str] = []
    seen: set[str] = set()
    yes: list[str] = []
    no: list[str] = []
    unknown: list[str] = []
    for raw in desired:
        key = raw.strip().casefold()
        if not key:
            continue
        match = raw if raw in graph.outcomes else by_key.get(key)
        ident = f"outcome:{match}" if match is not None else f"unknown:{key}"
        if ident in seen:
            continue
        seen.add(ident)
        asked.append(raw)
        if match is None:
            unknown.append(raw)
        elif graph.index[match] in delivered:
            yes.append(match)
        else:
            no.append(match)
    return Overlap(
        desired=tuple(asked),
        deliverable=tuple(sorted(yes, key=name_key)),
        not_deliverable=tuple(sorted(no, key=name_key)),
        unknown=tuple(unknown),
        share=len(yes) / len(asked) if asked else 0.0,
    )
