"""Graph questions about a stored network, by name: chains, loops, lint, persona views,
executive conversations, competitor positioning, overlap and value message themes.

Reading a network needs no permission beyond being signed in (the adapters authenticate), so
these take no principal; the CLI operator uses them too. Each call loads the network once and
runs a pure module over it.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from datetime import datetime
from threading import Lock

from sqlalchemy.orm import Session

from valuescout.valuenet import graph, lint, loops, messages, positioning, service, views
from valuescout.valuenet.graph import ChainSet, ValueGraph
from valuescout.valuenet.repository import load_spec

CHAIN_LIMIT = 10_000


class _GraphCache:
    """The last few built graphs, keyed by network id and its created/updated times.

    Every edit moves `updated_at`, so a changed network is never served stale, in this process
    or another; what the cache saves is reading 8,000 rows again for repeated questions.
    """

    def __init__(self, size: int = 8) -> None:
        self._size = size
        self._graphs: OrderedDict[tuple[int, datetime, datetime], ValueGraph] = OrderedDict()
        self._lock = Lock()

    def get(self, session: Session, network_id: int) -> ValueGraph:
        network = service.get_network(session, network_id)
        key = (network.id, network.created_at, network.updated_at)
        with self._lock:
            if key in self._graphs:
                self._graphs.move_to_end(key)
                return self._graphs[key]
        built = graph.build_graph(load_spec(session, network))
        with self._lock:
            self._graphs[key] = built
            while len(self._graphs) > self._size:
                self._graphs.popitem(last=False)
        return built

    def clear(self) -> None:
        with self._lock:
            self._graphs.clear()


GRAPHS = _GraphCache()


def value_graph(session: Session, network_id: int) -> ValueGraph:
    return GRAPHS.get(session, network_id)


def chains(
    session: Session,
    network_id: int,
    *,
    differentiator: str | None = None,
    outcome: str | None = None,
    limit: int = 1_000,
) -> ChainSet:
    """Value chains from differentiators (or one) to what they drive (or to one outcome)."""
    g = value_graph(session, network_id)
    limit = min(limit, CHAIN_LIMIT)
    if outcome is not None:
        if differentiator is not None:
            return graph.chains_between(g, differentiator, outcome, limit=limit)
        found = [
            c
            for d in graph.drivers_of(g, outcome).reached
            if d.name in g.differentiators
            for c in graph.chains_between(g, d.name, outcome, limit=limit).chains
        ]
        return ChainSet(chains=tuple(found[:limit]), limit=limit, capped=len(found) > limit)
    return graph.value_chains(g, differentiator, limit=limit)


def loop_report(session: Session, network_id: int) -> loops.LoopReport:
    return loops.find_loops(value_graph(session, network_id))


def lint_issues(session: Session, network_id: int) -> tuple[lint.LintIssue, ...]:
    return lint.lint(value_graph(session, network_id))


def persona_view(session: Session, network_id: int, persona: str) -> views.PersonaView:
    return views.persona_view(value_graph(session, network_id), persona)


def executive_conversations(
    session: Session, network_id: int, persona: str | None = None
) -> tuple[views.ExecutiveConversation, ...]:
    return views.executive_conversations(value_graph(session, network_id), persona)


def competitor_positioning(
    session: Session, network_id: int, competitor: str
) -> positioning.CompetitorPositioning:
    g = value_graph(session, network_id)
    return positioning.competitor_positioning(g, competitor)


def overlap(session: Session, network_id: int, desired: Iterable[str]) -> positioning.Overlap:
    return positioning.overlap(value_graph(session, network_id), desired)


def coverage(session: Session, network_id: int) -> tuple[positioning.NodeCoverage, ...]:
    return positioning.coverage(value_graph(session, network_id))


def message_themes(
    session: Session,
    network_id: int,
    persona: str,
    competitor: str | None = None,
    limit: int = 10,
) -> messages.MessageThemes:
    g = value_graph(session, network_id)
    return messages.value_messages(g, persona, competitor, limit=limit)
