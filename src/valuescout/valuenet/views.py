"""Persona views and executive conversations: which outcomes matter to whom, and the chains
that lead there.

Chains here are the shortest chain from each differentiator that leads to the outcome (one
per differentiator, fewest steps first, then by name), found by searching backwards from the
outcome and stopping once `chains_per_outcome` are found: no path enumeration, so a large
network costs no more than its size. Use `graph.chains_between` for every route.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from valuescout.valuenet.graph import Chain, ValueGraph, name_key
from valuescout.valuenet.positioning import driver_bits
from valuescout.valuenet.spec import Persona, Strength

DEFAULT_CHAINS_PER_OUTCOME = 10


@dataclass(frozen=True)
class PersonaLink:
    persona: str
    strength: Strength


@dataclass(frozen=True)
class OutcomeChains:
    outcome: str
    strength: Strength  # how strongly the persona cares (persona view); primary elsewhere
    executive: bool
    drivers: int  # how many differentiators lead to the outcome
    chains: tuple[Chain, ...]  # shortest chain per differentiator, fewest steps first
    capped: bool  # True when drivers > len(chains)


@dataclass(frozen=True)
class PersonaView:
    persona: str
    description: str
    outcomes: tuple[OutcomeChains, ...]  # primary first, then executive first, then by name
    unknown_outcomes: tuple[str, ...]  # the persona names outcomes the network does not have


@dataclass(frozen=True)
class ExecutiveConversation:
    outcome: str
    personas: tuple[PersonaLink, ...]  # primary first, then by name
    drivers: int
    chains: tuple[Chain, ...]
    capped: bool


def shortest_chains_to(graph: ValueGraph, target: int) -> Iterator[list[tuple[int, ...]]]:
    """Search backwards from an outcome, one level of distance at a time.

    Yields, for distance 1, 2, ..., the shortest chain from each differentiator first reached
    at that distance (differentiators in name order). Each differentiator appears once, so a
    caller that stops early never enumerates paths.
    """
    toward: dict[int, int] = {target: target}  # node -> next node on a shortest path to target
    frontier = [target]
    while frontier:
        level: list[int] = []
        found: list[int] = []
        for v in frontier:
            for p in graph.pred[v]:
                if p not in toward:
                    toward[p] = v
                    (found if graph.is_differentiator(p) else level).append(p)
        if found:
            found.sort(key=graph.rank.__getitem__)
            chains = []
            for d in found:
                nodes = [d]
                while nodes[-1] != target:
                    nodes.append(toward[nodes[-1]])
                chains.append(tuple(nodes))
            yield chains
        frontier = level


def chains_to(graph: ValueGraph, outcome: int, limit: int) -> list[Chain]:
    """The shortest chain from each driving differentiator, at most `limit` of them."""
    chains: list[Chain] = []
    for level in shortest_chains_to(graph, outcome):
        chains.extend(graph.chain(nodes) for nodes in level[: limit - len(chains)])
        if len(chains) >= limit:
            break
    return chains


def persona_outcomes(graph: ValueGraph, persona: Persona) -> tuple[dict[str, Strength], list[str]]:
    """The persona's known outcomes with the strongest strength stated, and unknown names."""
    known: dict[str, Strength] = {}
    unknown: list[str] = []
    for po in persona.outcomes:
        if po.outcome not in graph.outcomes:
            unknown.append(po.outcome)
        elif known.get(po.outcome) != Strength.PRIMARY:
            known[po.outcome] = po.strength
    return known, unknown


def _outcome_chains(
    graph: ValueGraph, name: str, strength: Strength, bits: list[int], limit: int
) -> OutcomeChains:
    i = graph.index[name]
    drivers = bits[i].bit_count()
    chains = chains_to(graph, i, limit) if limit > 0 else []
    return OutcomeChains(
        outcome=name,
        strength=strength,
        executive=graph.outcomes[name].executive,
        drivers=drivers,
        chains=tuple(chains),
        capped=drivers > len(chains),
    )


def persona_view(
    graph: ValueGraph, persona: str, *, chains_per_outcome: int = DEFAULT_CHAINS_PER_OUTCOME
) -> PersonaView:
    """The outcomes a persona cares about, with the chains that lead to each."""
    p = graph.persona(persona)
    known, unknown = persona_outcomes(graph, p)
    bits = driver_bits(graph)
    ordered = sorted(
        known.items(),
        key=lambda kv: (
            kv[1] != Strength.PRIMARY,
            not graph.outcomes[kv[0]].executive,
            name_key(kv[0]),
        ),
    )
    views = tuple(_outcome_chains(graph, n, s, bits, chains_per_outcome) for n, s in ordered)
    return PersonaView(p.name, p.description, views, tuple(unknown))


def _personas_by_outcome(personas: Iterable[Persona]) -> dict[str, list[PersonaLink]]:
    by_outcome: dict[str, dict[str, Strength]] = {}
    for p in personas:
        for po in p.outcomes:
            strengths = by_outcome.setdefault(po.outcome, {})
            if strengths.get(p.name) != Strength.PRIMARY:
                strengths[p.name] = po.strength
    return {
        outcome: sorted(
            (PersonaLink(name, s) for name, s in strengths.items()),
            key=lambda link: (link.strength != Strength.PRIMARY, name_key(link.persona)),
        )
        for outcome, strengths in by_outcome.items()
    }


def executive_conversations(
    graph: ValueGraph,
    persona: str | None = None,
    *,
    chains_per_outcome: int = DEFAULT_CHAINS_PER_OUTCOME,
) -> tuple[ExecutiveConversation, ...]:
    """Chains that end in executive-worthy outcomes, with the personas attached to each.

    With a persona: only the executive outcomes that persona cares about. Outcomes no
    differentiator leads to are left out: there is no conversation to have yet.
    """
    wanted = None if persona is None else persona_outcomes(graph, graph.persona(persona))[0]
    attached = _personas_by_outcome(graph.personas.values())
    bits = driver_bits(graph)
    found: list[ExecutiveConversation] = []
    for name in sorted(graph.outcomes, key=name_key):
        if not graph.outcomes[name].executive or (wanted is not None and name not in wanted):
            continue
        view = _outcome_chains(graph, name, Strength.PRIMARY, bits, chains_per_outcome)
        if view.drivers:
            found.append(
                ExecutiveConversation(
                    outcome=name,
                    personas=tuple(attached.get(name, ())),
                    drivers=view.drivers,
                    chains=view.chains,
                    capped=view.capped,
                )
            )
    return tuple(found)
