"""Benchmark: value network graph queries on a large, realistic-shaped network.

Generates (seed 7) 200 differentiators and 1,800 outcomes in 6 layers, 6,000 links (about 5%
two-way, within or between neighbouring layers), 10 personas and 2 competitors, then times
each query the API serves. Target: 100 ms per query on one core.

Baseline: where networkx answers the same question (reachability, strongly connected
components, building a graph), the "vs nx" column is our median divided by networkx's on an
`nx.DiGraph` of the same chain graph (below 1.0: faster than networkx).

Run: .venv/bin/python bench/valuenet_graph.py [--runs 15]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
import tracemalloc
from collections.abc import Callable

import networkx as nx  # type: ignore[import-untyped, unused-ignore]

from valuescout.valuenet import spec as s
from valuescout.valuenet.graph import (
    ValueGraph,
    build_graph,
    chains_between,
    drivers_of,
    outcomes_driven_by,
    to_networkx,
    value_chains,
)
from valuescout.valuenet.lint import lint
from valuescout.valuenet.loops import find_loops
from valuescout.valuenet.messages import value_messages
from valuescout.valuenet.positioning import competitor_positioning, coverage, overlap
from valuescout.valuenet.views import executive_conversations, persona_view

TARGET_MS = 100.0
N_DIFF, N_OUT, N_LINKS, LAYERS = 200, 1800, 6000, 6


def generate(seed: int = 7) -> s.NetworkSpec:
    rng = random.Random(seed)  # noqa: S311 - a reproducible benchmark, not security
    diffs = [f"Differentiator {i:03d}" for i in range(N_DIFF)]
    layers = [[f"Outcome {k}.{j:03d}" for j in range(N_OUT // LAYERS)] for k in range(LAYERS)]
    units = [("hours of downtime per year", "hours/year"), ("first-pass yield", "%"), ("", "")]
    outcomes = []
    for k, layer in enumerate(layers):
        for name in layer:
            measure, unit = rng.choice(units)
            executive = rng.random() < (0.02 if k < LAYERS - 2 else 0.25)
            outcomes.append(s.Outcome(name, executive=executive, measure=measure, unit=unit))
    links: set[tuple[str, str]] = set()
    spec_links: list[s.Link] = []

    def add(a: str, b: str, two_way: bool = False) -> None:
        if a != b and (a, b) not in links and (b, a) not in links:
            links.add((a, b))
            spec_links.append(s.Link(a, b, two_way=two_way))

    for d in diffs:  # every differentiator drives 2-4 first- or second-layer outcomes
        for _ in range(rng.randint(2, 4)):
            add(d, rng.choice(layers[rng.choice((0, 0, 1))]))
    while len(spec_links) < N_LINKS:
        k = rng.randrange(LAYERS - 1)
        source = rng.choice(layers[k])
        if rng.random() < 0.05:  # mutual reinforcement, same or next layer
            add(source, rng.choice(layers[k + rng.randint(0, 1)]), two_way=True)
        else:
            add(source, rng.choice(layers[min(LAYERS - 1, k + rng.choice((1, 1, 1, 2)))]))
    personas = []
    for p in range(10):
        chosen = rng.sample(layers[-1] + layers[-2] + layers[-3], rng.randint(8, 15))
        personas.append(
            s.Persona(
                f"Persona {p}",
                outcomes=[s.PersonaOutcome(o, rng.choice(list(s.Strength))) for o in chosen],
            )
        )
    competitors = [
        s.Competitor(
            f"Competitor {c}",
            matches=[
                s.CompetitorMatch(d, rng.choice(list(s.Match))) for d in rng.sample(diffs, 150)
            ],
        )
        for c in range(2)
    ]
    return s.NetworkSpec(
        name="Bench",
        offer=s.Offer("Bench offer"),
        differentiators=[s.Differentiator(d) for d in diffs],
        outcomes=outcomes,
        links=spec_links,
        personas=personas,
        competitors=competitors,
    )


def measure(fn: Callable[[], object], runs: int) -> tuple[float, float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    times.sort()
    p90 = times[min(len(times) - 1, round(0.9 * (len(times) - 1)))]
    return statistics.median(times), p90, peak / 2**20


Query = tuple[str, Callable[[], object], Callable[[], object] | None]


def _nx_build(spec: s.NetworkSpec) -> object:
    g = nx.DiGraph()
    g.add_nodes_from(d.name for d in spec.differentiators)
    g.add_nodes_from(o.name for o in spec.outcomes)
    for link in spec.links:
        g.add_edge(link.source, link.target)
        if link.two_way:
            g.add_edge(link.target, link.source)
    return g


def queries(spec: s.NetworkSpec, g: ValueGraph) -> list[Query]:
    nxg = to_networkx(g)
    d = "Differentiator 000"
    persona = "Persona 0"
    target = next(po.outcome for po in spec.personas[0].outcomes)
    desired = [o.name for o in spec.outcomes[::36]] + ["Not in the network"]
    far = drivers_of(g, target).reached[-1].name
    return [
        ("build graph", lambda: build_graph(spec), lambda: _nx_build(spec)),
        ("lint", lambda: lint(g), None),
        ("loops", lambda: find_loops(g),
         lambda: [c for c in nx.strongly_connected_components(nxg) if len(c) > 1]),
        ("reachability: outcomes of 1 differentiator", lambda: outcomes_driven_by(g, d),
         lambda: nx.single_source_shortest_path_length(nxg, d)),
        ("reachability: 200 queries, one per differentiator",
         lambda: [outcomes_driven_by(g, n) for n in g.differentiators],
         lambda: [nx.single_source_shortest_path_length(nxg, n) for n in g.differentiators]),
        ("coverage: reach counts of all 2,000 nodes", lambda: coverage(g), None),
        ("reachability: drivers of 1 outcome", lambda: drivers_of(g, target),
         lambda: nx.ancestors(nxg, target)),
        ("persona view (10 chains per outcome)", lambda: persona_view(g, persona), None),
        ("executive conversations", lambda: executive_conversations(g), None),
        ("competitor positioning", lambda: competitor_positioning(g, "Competitor 0"), None),
        ("overlap (51 desired outcomes)", lambda: overlap(g, desired), None),
        ("message themes, limit 20", lambda: value_messages(g, persona, limit=20), None),
        ("message themes vs competitor, limit 20",
         lambda: value_messages(g, persona, "Competitor 0", limit=20), None),
        ("chains of 1 differentiator (cap 10,000)", lambda: value_chains(g, d), None),
        ("chains from 1 differentiator to 1 outcome (cap 1,000)",
         lambda: chains_between(g, far, target, limit=1000), None),
    ]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    spec = generate()
    g = build_graph(spec)
    print(
        f"network: {len(spec.differentiators)} differentiators, {len(spec.outcomes)} outcomes, "
        f"{len(spec.links)} links ({sum(lk.two_way for lk in spec.links)} two-way), "
        f"{len(spec.personas)} personas, {len(spec.competitors)} competitors; "
        f"{args.runs} runs each; target {TARGET_MS:.0f} ms per query\n"
    )
    print(f"{'query':<56} {'median ms':>9} {'p90 ms':>8} {'peak MiB':>8} {'vs nx':>6}  target")
    for name, fn, baseline in queries(spec, g):
        median, p90, peak = measure(fn, args.runs)
        ratio = f"{median / measure(baseline, args.runs)[0]:6.2f}" if baseline else f"{'-':>6}"
        verdict = "ok" if p90 <= TARGET_MS else "OVER"
        if name.startswith("reachability: 200 queries"):
            verdict = f"{p90 / 200:.2f} ms per query"
        print(f"{name:<56} {median:>9.2f} {p90:>8.2f} {peak:>8.2f} {ratio}  {verdict}")
    print("\nAn API request also builds the graph: add the 'build graph' row to each query.")


if __name__ == "__main__":
    main()
