"""Graph logic: chains, reachability, loops, persona views, positioning, overlap.

Examples on the hand-written pumps network; properties on generated layered networks,
checked against networkx (see graph_networks.oracle).
"""

from __future__ import annotations

from itertools import pairwise

import networkx as nx  # type: ignore[import-untyped, unused-ignore]
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.valuenet.graph_networks import networks, oracle, pumps
from valuescout.core.errors import NotFound
from valuescout.valuenet import spec as s
from valuescout.valuenet.graph import (
    build_graph,
    chains_between,
    drivers_of,
    outcomes_driven_by,
    to_networkx,
    value_chains,
)
from valuescout.valuenet.loops import LinkRef, find_loops
from valuescout.valuenet.positioning import Position, competitor_positioning, coverage, overlap
from valuescout.valuenet.views import executive_conversations, persona_view

SEALLESS = "Sealless pump design"
LUD = "Less unplanned downtime"


# --- examples -------------------------------------------------------------------------------


def test_maximal_chains_of_one_differentiator_follow_two_way_links_once() -> None:
    chains = value_chains(build_graph(pumps()), SEALLESS)
    assert [c.nodes for c in chains.chains] == [
        (SEALLESS, "Fewer leaks", LUD, "Higher plant output", "More revenue"),
        (SEALLESS, "Fewer leaks", LUD, "Peace of mind"),
        (SEALLESS, "Fewer leaks", "Safer workplace"),  # the way back to Fewer leaks is used up
    ]
    assert not chains.capped
    first = chains.chains[0]
    assert (first.differentiator, first.outcome, first.steps) == (SEALLESS, "More revenue", 4)


def test_all_chains_start_at_every_differentiator_in_name_order_and_cap() -> None:
    g = build_graph(pumps())
    every = value_chains(g)
    assert len(every.chains) == 9 and not every.capped
    assert every.chains[0].nodes == ("Lowest price", "Lower purchase cost")
    capped = value_chains(g, limit=4)
    assert capped.capped and capped.chains == every.chains[:4] and capped.limit == 4
    assert not value_chains(g, limit=9).capped
    assert value_chains(g, limit=0).chains == () and value_chains(g, limit=0).capped


def test_chains_between_a_differentiator_and_an_outcome() -> None:
    g = build_graph(pumps())
    result = chains_between(g, SEALLESS, "Peace of mind")
    assert [c.nodes for c in result.chains] == [(SEALLESS, "Fewer leaks", LUD, "Peace of mind")]
    assert chains_between(g, "Lowest price", "More revenue").chains == ()
    with pytest.raises(NotFound):
        chains_between(g, "Fewer leaks", "More revenue")  # not a differentiator
    with pytest.raises(NotFound):
        chains_between(g, SEALLESS, "Nowhere")


def test_reachability_with_fewest_steps() -> None:
    g = build_graph(pumps())
    reached = outcomes_driven_by(g, SEALLESS).reached
    assert [(r.name, r.steps) for r in reached] == [
        ("Fewer leaks", 1),
        (LUD, 2),
        ("Safer workplace", 2),
        ("Higher plant output", 3),
        ("Peace of mind", 3),
        ("More revenue", 4),
    ]
    drivers = drivers_of(g, "Higher plant output").reached
    assert [(r.name, r.steps) for r in drivers] == [
        ("Next-day spare parts", 2),
        ("Remote monitoring", 2),
        (SEALLESS, 3),
    ]
    assert drivers_of(g, "Safer workplace").reached[0].name == SEALLESS
    with pytest.raises(NotFound):
        outcomes_driven_by(g, "Nowhere")


def test_invalid_links_are_left_out_of_the_graph() -> None:
    spec = pumps()
    spec.links += [
        s.Link("More revenue", "Lowest price"),  # into a differentiator
        s.Link("More revenue", "More revenue"),  # self-link
        s.Link("More revenue", "Nowhere"),  # unknown
        s.Link("Lowest price", "More revenue", two_way=True),  # two-way from a differentiator
    ]
    g = build_graph(spec)
    assert [r.name for r in outcomes_driven_by(g, "More revenue").reached] == []
    assert "Lowest price" in {r.name for r in drivers_of(g, "More revenue").reached}
    assert {lp.first for lp in find_loops(g).declared} == {"Fewer leaks", "Lowest price"}
    nxg = to_networkx(g)
    assert nxg.nodes["Higher plant output"]["executive"] is True
    assert not nxg.has_edge("More revenue", "Lowest price")
    assert nxg.has_edge("Safer workplace", "Fewer leaks")


def test_loops_declared_and_undeclared() -> None:
    g = build_graph(pumps())
    report = find_loops(g)
    assert [(lp.first, lp.second, lp.rationale) for lp in report.declared] == [
        ("Fewer leaks", "Safer workplace", "safety culture")
    ]
    assert report.ok and report.undeclared == ()

    spec = pumps()
    spec.links.append(s.Link("Higher plant output", "Fewer leaks"))  # output -> fewer leaks?
    report = find_loops(build_graph(spec))
    assert not report.ok
    (cycle,) = report.undeclared
    assert cycle.cycle == ("Fewer leaks", LUD, "Higher plant output")
    assert set(cycle.one_way_links) == {
        LinkRef("Fewer leaks", LUD),
        LinkRef(LUD, "Higher plant output"),
        LinkRef("Higher plant output", "Fewer leaks"),
    }
    assert cycle.nodes == ("Fewer leaks", "Higher plant output", LUD, "Safer workplace")


def test_two_opposite_one_way_links_are_an_undeclared_cycle() -> None:
    spec = pumps()
    spec.links.append(s.Link("More revenue", "Higher plant output"))
    (cycle,) = find_loops(build_graph(spec)).undeclared
    assert set(cycle.cycle) == {"Higher plant output", "More revenue"}


def test_persona_view() -> None:
    view = persona_view(build_graph(pumps()), "Plant manager")
    assert [(o.outcome, o.strength, o.executive, o.drivers) for o in view.outcomes] == [
        ("Higher plant output", s.Strength.PRIMARY, True, 3),
        (LUD, s.Strength.PRIMARY, False, 3),
        ("Peace of mind", s.Strength.SECONDARY, False, 3),
    ]
    assert [c.nodes for c in view.outcomes[1].chains] == [
        ("Next-day spare parts", LUD),
        ("Remote monitoring", LUD),
        (SEALLESS, "Fewer leaks", LUD),
    ]
    short = persona_view(build_graph(pumps()), "Plant manager", chains_per_outcome=2)
    assert len(short.outcomes[0].chains) == 2 and short.outcomes[0].capped
    with pytest.raises(NotFound):
        persona_view(build_graph(pumps()), "Nobody")


def test_persona_view_reports_unknown_outcomes_and_keeps_primary() -> None:
    spec = pumps()
    spec.personas[0].outcomes += [
        s.PersonaOutcome("Nowhere"),
        s.PersonaOutcome("Peace of mind", s.Strength.PRIMARY),
    ]
    view = persona_view(build_graph(spec), "Plant manager")
    assert view.unknown_outcomes == ("Nowhere",)
    assert {o.outcome: o.strength for o in view.outcomes}["Peace of mind"] == s.Strength.PRIMARY


def test_executive_conversations() -> None:
    g = build_graph(pumps())
    talks = executive_conversations(g)
    assert [(t.outcome, [p.persona for p in t.personas], t.drivers) for t in talks] == [
        ("Higher plant output", ["Plant manager"], 3),
        ("More revenue", ["CFO"], 3),
        ("Safer workplace", ["EHS manager"], 1),
    ]
    assert talks[2].chains[0].nodes == (SEALLESS, "Fewer leaks", "Safer workplace")
    mine = executive_conversations(g, "CFO", chains_per_outcome=1)
    assert [t.outcome for t in mine] == ["More revenue"] and mine[0].capped


def test_competitor_positioning() -> None:
    result = competitor_positioning(build_graph(pumps()), "Acme Pumps")
    positions = {o.outcome: o.position for o in result.outcomes}
    assert positions == {
        "Fewer leaks": Position.DIFFERENCE,
        "Safer workplace": Position.DIFFERENCE,
        "Lower maintenance costs": Position.PARTIAL,  # remote monitoring only partly matched
        "Higher plant output": Position.PARITY,  # they match next-day spare parts
        LUD: Position.PARITY,
        "More revenue": Position.PARITY,
        "Peace of mind": Position.PARITY,
        "Lower purchase cost": Position.AT_RISK,  # lowest price is all that drives it
    }
    assert [o.outcome for o in result.outcomes][:3] == [
        "Fewer leaks",
        "Safer workplace",
        "Lower maintenance costs",
    ]
    assert (result.difference, result.partial, result.parity, result.at_risk) == (2, 1, 4, 1)
    downtime = next(o for o in result.outcomes if o.outcome == LUD)
    assert downtime.drivers_no == (SEALLESS,)
    assert downtime.drivers_partly == ("Remote monitoring",)
    assert downtime.drivers_yes == ("Next-day spare parts",)


def test_unstated_matches_count_as_no() -> None:
    result = competitor_positioning(build_graph(pumps()), "Status quo")
    assert result.difference == len(result.outcomes) == 8


def test_overlap() -> None:
    g = build_graph(pumps())
    desired = [LUD, "more revenue", "Faster delivery", " less unplanned downtime ", ""]
    result = overlap(g, desired)
    assert result.desired == (LUD, "more revenue", "Faster delivery")
    assert result.deliverable == (LUD, "More revenue")
    assert result.unknown == ("Faster delivery",)
    assert result.share == pytest.approx(2 / 3)
    assert overlap(g, []).share == 0.0

    spec = pumps()
    spec.outcomes.append(s.Outcome("Greener brand"))
    result = overlap(build_graph(spec), ["Greener brand", SEALLESS])
    assert result.not_deliverable == ("Greener brand",)
    assert result.unknown == (SEALLESS,)  # a differentiator is not an outcome
    assert result.share == 0.0


def test_coverage() -> None:
    cover = {c.name: c for c in coverage(build_graph(pumps()))}
    assert (cover[SEALLESS].leads_to, cover[SEALLESS].driven_by) == (6, 0)
    assert (cover["Fewer leaks"].leads_to, cover["Fewer leaks"].driven_by) == (5, 1)
    assert cover["Safer workplace"].leads_to == 5  # back to Fewer leaks and all it leads to


# --- properties -----------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(networks())
def test_every_chain_is_a_maximal_simple_path_from_a_differentiator(spec: s.NetworkSpec) -> None:
    g = build_graph(spec)
    truth = oracle(spec)
    diffs = {d.name for d in spec.differentiators}
    result = value_chains(g, limit=100_000)
    assert not result.capped
    for chain in result.chains:
        nodes = chain.nodes
        assert nodes[0] in diffs and not diffs.intersection(nodes[1:])
        assert len(set(nodes)) == len(nodes) >= 2
        assert all(truth.has_edge(a, b) for a, b in pairwise(nodes))
        assert set(truth.successors(nodes[-1])) <= set(nodes)  # maximal
    expected = set()
    for d in diffs:
        for path in nx.all_simple_paths(truth, d, set(truth) - {d}):
            if set(truth.successors(path[-1])) <= set(path):
                expected.add(tuple(path))
    assert {c.nodes for c in result.chains} == expected
    assert len(result.chains) == len(expected)


@settings(max_examples=150, deadline=None)
@given(networks())
def test_reachability_agrees_with_networkx_and_with_chains(spec: s.NetworkSpec) -> None:
    g = build_graph(spec)
    truth = oracle(spec)
    diffs = {d.name for d in spec.differentiators}
    for d in diffs:
        reached = {r.name: r.steps for r in outcomes_driven_by(g, d).reached}
        assert reached == {
            n: k for n, k in nx.single_source_shortest_path_length(truth, d).items() if n != d
        }
        chains = value_chains(g, d)
        on_chains = {n for c in chains.chains for n in c.nodes[1:]}
        assert not chains.capped and on_chains == set(reached)
    for o in spec.outcomes:
        if o.name in g.outcomes:
            drivers = {r.name for r in drivers_of(g, o.name).reached}
            assert drivers == diffs & nx.ancestors(truth, o.name)


@settings(max_examples=100, deadline=None)
@given(networks(), st.data())
def test_chains_between_are_every_simple_path(spec: s.NetworkSpec, data: st.DataObject) -> None:
    g = build_graph(spec)
    d = data.draw(st.sampled_from(sorted(g.differentiators)))
    o = data.draw(st.sampled_from(sorted(g.outcomes)))
    result = chains_between(g, d, o)
    assert {c.nodes for c in result.chains} == {
        tuple(p) for p in nx.all_simple_paths(oracle(spec), d, o)
    }
    if len(result.chains) > 1:
        capped = chains_between(g, d, o, limit=1)
        assert capped.capped and capped.chains == result.chains[:1]


@settings(max_examples=150, deadline=None)
@given(networks(back_links=False, junk=False))
def test_forward_networks_have_only_declared_loops(spec: s.NetworkSpec) -> None:
    report = find_loops(build_graph(spec))
    assert report.undeclared == ()
    valid_two_way = {
        frozenset((lk.source, lk.target))
        for lk in spec.links
        if lk.two_way and lk.source != lk.target and lk.target in {o.name for o in spec.outcomes}
    }
    assert {frozenset((lp.first, lp.second)) for lp in report.declared} == valid_two_way


@settings(max_examples=200, deadline=None)
@given(networks())
def test_undeclared_cycles_are_exactly_the_one_way_links_on_a_circle(spec: s.NetworkSpec) -> None:
    g = build_graph(spec)
    truth = oracle(spec)
    two_way = {
        (a, b)
        for lk in spec.links
        if lk.two_way
        for a, b in ((lk.source, lk.target), (lk.target, lk.source))
    }
    expected = {
        (a, b) for a, b in truth.edges if (a, b) not in two_way and nx.has_path(truth, b, a)
    }
    report = find_loops(g)
    found = {(lk.source, lk.target) for c in report.undeclared for lk in c.one_way_links}
    assert found == expected
    components = [set(c) for c in nx.strongly_connected_components(truth) if len(c) > 1]
    for cycle in report.undeclared:
        assert set(cycle.nodes) in components
        ring = [*cycle.cycle, cycle.cycle[0]]
        assert len(set(cycle.cycle)) == len(cycle.cycle)
        assert all(truth.has_edge(a, b) for a, b in pairwise(ring))
        assert (ring[0], ring[1]) not in two_way  # each example goes through a one-way link


@settings(max_examples=100, deadline=None)
@given(networks(), st.lists(st.sampled_from(["O0.0", "o1.1", "O2.2 ", "Nowhere", "D0", ""])))
def test_overlap_partitions_the_desired_outcomes(spec: s.NetworkSpec, desired: list[str]) -> None:
    result = overlap(build_graph(spec), desired)
    assert 0.0 <= result.share <= 1.0
    parts = len(result.deliverable) + len(result.not_deliverable) + len(result.unknown)
    assert parts == len(result.desired)
    if result.desired:
        assert result.share == len(result.deliverable) / len(result.desired)


@settings(max_examples=100, deadline=None)
@given(networks())
def test_positioning_and_views_agree_with_reachability(spec: s.NetworkSpec) -> None:
    g = build_graph(spec)
    truth = oracle(spec)
    for comp in g.competitors.values():
        stated: dict[str, s.Match] = {}
        for m in comp.matches:
            stated.setdefault(m.differentiator, m.match)
        for row in competitor_positioning(g, comp.name).outcomes:
            drivers = {r.name for r in drivers_of(g, row.outcome).reached}
            assert set(row.drivers_no + row.drivers_partly + row.drivers_yes) == drivers
            matches = {stated.get(d, s.Match.NO) for d in drivers}
            expected = (
                Position.AT_RISK
                if matches == {s.Match.YES}
                else Position.PARITY
                if s.Match.YES in matches
                else Position.PARTIAL
                if s.Match.PARTLY in matches
                else Position.DIFFERENCE
            )
            assert row.position == expected
    for persona in g.personas:
        for item in persona_view(g, persona, chains_per_outcome=3).outcomes:
            assert item.drivers == len(drivers_of(g, item.outcome).reached)
            assert len(item.chains) == min(3, item.drivers)
            for chain in item.chains:
                assert chain.outcome == item.outcome
                assert chain.steps == nx.shortest_path_length(
                    truth, chain.differentiator, item.outcome
                )
