"""Value networks for the graph tests: one hand-written example and a Hypothesis strategy.

`oracle(spec)` rebuilds the chain graph independently with networkx, so the graph module's own
traversals are checked against a second implementation.
"""

from __future__ import annotations

import networkx as nx  # type: ignore[import-untyped, unused-ignore]
from hypothesis import strategies as st

from valuescout.valuenet import spec as s

Dif, Out, Lnk = s.Differentiator, s.Outcome, s.Link


def pumps() -> s.NetworkSpec:
    """Industrial pumps: three routes to less downtime, one two-way loop, two competitors."""
    return s.NetworkSpec(
        name="Pumps",
        offer=s.Offer("FlowGuard pumps"),
        differentiators=[
            Dif("Remote monitoring", s.DifferentiatorKind.BETWEEN_SALES_SERVICE),
            Dif("Sealless pump design", s.DifferentiatorKind.FITNESS_FOR_USE),
            Dif("Next-day spare parts", s.DifferentiatorKind.AVAILABILITY),
            Dif("Lowest price", s.DifferentiatorKind.LOWEST_PRICE),
        ],
        outcomes=[
            Out("Less unplanned downtime", measure="hours of unplanned downtime per year",
              unit="hours/year"),
            Out("Fewer leaks", measure="number of leak incidents per year"),
            Out("Higher plant output", executive=True, measure="plant output", unit="%"),
            Out("Lower maintenance costs", measure="maintenance costs per year", unit="EUR/year"),
            Out("Safer workplace", executive=True),
            Out("More revenue", executive=True),
            Out("Peace of mind", kind=s.OutcomeKind.PERSONAL),
            Out("Lower purchase cost"),
        ],
        links=[
            Lnk("Remote monitoring", "Less unplanned downtime"),
            Lnk("Remote monitoring", "Lower maintenance costs"),
            Lnk("Sealless pump design", "Fewer leaks"),
            Lnk("Fewer leaks", "Less unplanned downtime"),
            Lnk("Fewer leaks", "Safer workplace", two_way=True, rationale="safety culture"),
            Lnk("Next-day spare parts", "Less unplanned downtime"),
            Lnk("Less unplanned downtime", "Higher plant output"),
            Lnk("Higher plant output", "More revenue"),
            Lnk("Less unplanned downtime", "Peace of mind"),
            Lnk("Lowest price", "Lower purchase cost"),
        ],
        personas=[
            s.Persona("Plant manager", outcomes=[
                s.PersonaOutcome("Less unplanned downtime"),
                s.PersonaOutcome("Higher plant output"),
                s.PersonaOutcome("Peace of mind", s.Strength.SECONDARY),
            ]),
            s.Persona("Maintenance lead", outcomes=[
                s.PersonaOutcome("Lower maintenance costs"),
                s.PersonaOutcome("Fewer leaks"),
                s.PersonaOutcome("Peace of mind"),
            ]),
            s.Persona("CFO", outcomes=[
                s.PersonaOutcome("More revenue"),
                s.PersonaOutcome("Lower purchase cost"),
                s.PersonaOutcome("Lower maintenance costs", s.Strength.SECONDARY),
            ]),
            s.Persona("EHS manager", outcomes=[s.PersonaOutcome("Safer workplace")]),
        ],
        competitors=[
            s.Competitor("Acme Pumps", matches=[
                s.CompetitorMatch("Remote monitoring", s.Match.PARTLY),
                s.CompetitorMatch("Sealless pump design", s.Match.NO),
                s.CompetitorMatch("Next-day spare parts", s.Match.YES),
                s.CompetitorMatch("Lowest price", s.Match.YES),
            ]),
            s.Competitor("Status quo"),
        ],
    )  # fmt: skip


def oracle(spec: s.NetworkSpec) -> nx.DiGraph:
    """The chain graph per the rules in graph.py, built with networkx."""
    diffs = [d.name for d in spec.differentiators]
    outcomes = [o.name for o in spec.outcomes if o.name not in diffs]
    g = nx.DiGraph()
    g.add_nodes_from(diffs + outcomes)
    for link in spec.links:
        ends = (link.source, link.target)
        if any(n not in g for n in ends) or link.source == link.target or link.target in diffs:
            continue
        g.add_edge(link.source, link.target)
        if link.two_way and link.source not in diffs:
            g.add_edge(link.target, link.source)
    return g


@st.composite
def networks(
    draw: st.DrawFn, *, back_links: bool = True, max_layer: int = 4, junk: bool = True
) -> s.NetworkSpec:
    """Layered networks: differentiators feed outcome layers; links mostly point forward.

    Two-way links join outcomes of one layer. With `back_links`, some one-way links and
    two-way links point to earlier layers, which may close circles. With `junk`, some links
    name unknown nodes, point into differentiators or at themselves.
    """
    n_diff = draw(st.integers(1, 4))
    layers = [
        [f"O{k}.{j}" for j in range(draw(st.integers(1, max_layer)))]
        for k in range(draw(st.integers(1, 4)))
    ]
    diffs = [f"D{j}" for j in range(n_diff)]
    links: list[s.Link] = []
    for d in diffs:
        targets = [o for layer in layers for o in layer]
        for t in draw(st.lists(st.sampled_from(targets), max_size=3, unique=True)):
            links.append(Lnk(d, t))
    for k, layer in enumerate(layers):
        later = [o for lay in layers[k + 1 :] for o in lay]
        for o in layer:
            if later:
                for t in draw(st.lists(st.sampled_from(later), max_size=3, unique=True)):
                    links.append(Lnk(o, t))
            for t in draw(st.lists(st.sampled_from(layer), max_size=1)):
                if t != o:
                    links.append(Lnk(o, t, two_way=True))
    everything = [o for layer in layers for o in layer]
    if back_links:
        pairs = st.tuples(st.sampled_from(everything), st.sampled_from(everything))
        for a, b in draw(st.lists(pairs, max_size=4)):
            if a != b:
                links.append(Lnk(a, b, two_way=draw(st.booleans())))
    if junk:
        names = [*everything, *diffs, "Nowhere"]
        extra = st.tuples(st.sampled_from(names), st.sampled_from(names))
        links.extend(Lnk(a, b) for a, b in draw(st.lists(extra, max_size=2)))
    links = draw(st.permutations(links))
    strengths = st.sampled_from(list(s.Strength))
    personas = [
        s.Persona(
            f"P{j}",
            outcomes=[
                s.PersonaOutcome(o, draw(strengths))
                for o in draw(st.lists(st.sampled_from(everything), min_size=1, max_size=4))
            ],
        )
        for j in range(draw(st.integers(0, 3)))
    ]
    matches = st.sampled_from(list(s.Match))
    competitors = [
        s.Competitor(
            f"C{j}",
            matches=[
                s.CompetitorMatch(d, draw(matches))
                for d in draw(st.lists(st.sampled_from(diffs), unique=True))
            ],
        )
        for j in range(draw(st.integers(0, 2)))
    ]
    outcomes = [
        Out(o, executive=draw(st.booleans()), measure=draw(st.sampled_from(["", "hours lost"])))
        for o in everything
    ]
    return s.NetworkSpec(
        name="Generated",
        offer=s.Offer("Offer"),
        differentiators=[Dif(d) for d in diffs],
        outcomes=outcomes,
        links=list(links),
        personas=personas,
        competitors=competitors,
    )
