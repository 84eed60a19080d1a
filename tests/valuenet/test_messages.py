"""Value message themes: ranking, phrasing, discovery questions, determinism."""

from __future__ import annotations

from itertools import pairwise

import networkx as nx  # type: ignore[import-untyped, unused-ignore]
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.valuenet.graph_networks import networks, oracle, pumps
from valuescout.core.errors import NotFound
from valuescout.valuenet import spec as s
from valuescout.valuenet.graph import build_graph, name_key
from valuescout.valuenet.messages import (
    EXECUTIVE_POINTS,
    MATCH_POINTS,
    STEP_PENALTY,
    STRENGTH_POINTS,
    value_messages,
)
from valuescout.valuenet.phrasing import discovery_question, hypothesis


def test_ranking_against_a_competitor() -> None:
    themes = value_messages(build_graph(pumps()), "Plant manager", "Acme Pumps", limit=20)
    assert themes.candidates == 9
    assert [(m.score, m.differentiator, m.outcome) for m in themes.messages] == [
        (86, "Sealless pump design", "Higher plant output"),
        (73, "Remote monitoring", "Higher plant output"),
        (68, "Sealless pump design", "Less unplanned downtime"),
        (58, "Next-day spare parts", "Higher plant output"),
        (55, "Remote monitoring", "Less unplanned downtime"),
        (46, "Sealless pump design", "Peace of mind"),
        (40, "Next-day spare parts", "Less unplanned downtime"),
        (33, "Remote monitoring", "Peace of mind"),
        (18, "Next-day spare parts", "Peace of mind"),
    ]
    top = themes.messages[0]
    assert top.hypothesis == (
        "Because of sealless pump design, you get fewer leaks, which leads to less unplanned "
        "downtime and, in turn, higher plant output."
    )
    assert top.question == (
        "Where do you stand today on plant output, and what would each percentage point of "
        "improvement mean to you in money?"
    )
    assert top.match is s.Match.NO and top.executive and top.strength is s.Strength.PRIMARY
    assert top.explanation == (
        "primary outcome for 'Plant manager' (+40); executive-worthy outcome (+20); "
        "'Acme Pumps' does not match 'Sealless pump design' (+30); 3-step chain (-4)"
    )
    assert themes.messages[2].question == (
        "How many hours of unplanned downtime per year do you see today, and what does each "
        "hour mean to you in money?"
    )


def test_ranking_without_a_competitor_prefers_short_chains_then_names() -> None:
    themes = value_messages(build_graph(pumps()), "Plant manager", limit=4)
    assert themes.competitor is None
    assert [(m.score, m.differentiator, m.outcome) for m in themes.messages] == [
        (58, "Next-day spare parts", "Higher plant output"),
        (58, "Remote monitoring", "Higher plant output"),
        (56, "Sealless pump design", "Higher plant output"),
        (40, "Next-day spare parts", "Less unplanned downtime"),
    ]
    assert all(m.match is None for m in themes.messages)
    assert "Acme" not in themes.messages[0].explanation


def test_limits_and_unknown_names() -> None:
    g = build_graph(pumps())
    assert value_messages(g, "CFO", limit=0).messages == ()
    assert len(value_messages(g, "CFO", limit=2).messages) == 2
    with pytest.raises(NotFound):
        value_messages(g, "Nobody")
    with pytest.raises(NotFound):
        value_messages(g, "CFO", "Nobody")
    with pytest.raises(ValueError, match="negative"):
        value_messages(g, "CFO", limit=-1)


def test_hypotheses_read_naturally_for_every_chain_length() -> None:
    assert hypothesis("Remote monitoring", ["Less unplanned downtime"]) == (
        "Because of remote monitoring, you get less unplanned downtime."
    )
    assert hypothesis("Remote monitoring", ["Reduce scrap."]) == (
        "Because of remote monitoring, you can reduce scrap."
    )
    assert hypothesis("Kestrel Cloud", ["Fewer stops", "Win more tenders"]) == (
        "Because of Kestrel Cloud, you get fewer stops, which leads to winning more tenders."
    )
    assert hypothesis("ERP integration", ["Fewer errors", "Faster close", "Look good"]) == (
        "Because of ERP integration, you get fewer errors, which leads to faster close and, "
        "in turn, looking good."
    )
    assert hypothesis("24/7 service", ["A", "B", "C", "More revenue"]) == (
        "Because of 24/7 service, you get a, which leads to b, then c, and ultimately more revenue."
    )


@pytest.mark.parametrize(
    ("measure", "unit", "question"),
    [
        (
            "number of late deliveries per month",
            "",
            "How many late deliveries per month do you see today, and what does each late "
            "delivery mean to you in money?",
        ),
        (
            "maintenance costs per year",
            "EUR/year",
            "Where do you stand today on maintenance costs per year (in EUR/year), and what "
            "would an improvement be worth to you?",
        ),
        (
            "Energy use",
            "kWh/year",
            "Where do you stand today on energy use, and what would each kWh of improvement "
            "mean to you in money?",
        ),
        (
            "",
            "",
            "How would you put a number on less unplanned downtime, and what would it be "
            "worth to you?",
        ),
    ],
)
def test_discovery_questions(measure: str, unit: str, question: str) -> None:
    assert discovery_question(s.Outcome("Less unplanned downtime", measure=measure, unit=unit)) == (
        question
    )


Row = tuple[int, int, tuple[str, str], tuple[str, str]]


def _brute_force(spec: s.NetworkSpec, persona: str, competitor: str | None) -> list[Row]:
    """Score every differentiator-outcome pair from networkx shortest paths."""
    truth = oracle(spec)
    diffs = {d.name for d in spec.differentiators}
    outcomes = {o.name: o for o in spec.outcomes}
    wanted: dict[str, s.Strength] = {}
    for po in next(p for p in spec.personas if p.name == persona).outcomes:
        if po.outcome in outcomes and wanted.get(po.outcome) != s.Strength.PRIMARY:
            wanted[po.outcome] = po.strength
    stated: dict[str, s.Match] = {}
    for c in spec.competitors:
        if c.name == competitor:
            for m in c.matches:
                stated.setdefault(m.differentiator, m.match)
    rows = []
    for o, strength in wanted.items():
        for d in diffs & nx.ancestors(truth, o):
            steps = nx.shortest_path_length(truth, d, o)
            score = STRENGTH_POINTS[strength] - STEP_PENALTY * (steps - 1)
            score += EXECUTIVE_POINTS if outcomes[o].executive else 0
            if competitor is not None:
                score += MATCH_POINTS[stated.get(d, s.Match.NO)]
            rows.append((-score, steps, name_key(d), name_key(o)))
    return sorted(rows)


@settings(max_examples=200, deadline=None)
@given(networks(), st.data(), st.integers(0, 6))
def test_messages_are_the_best_scored_pairs(
    spec: s.NetworkSpec, data: st.DataObject, limit: int
) -> None:
    g = build_graph(spec)
    if not g.personas:
        return
    persona = data.draw(st.sampled_from(sorted(g.personas)))
    competitor = data.draw(st.sampled_from([None, *sorted(g.competitors)]))
    themes = value_messages(g, persona, competitor, limit=limit)
    expected = _brute_force(spec, persona, competitor)
    assert themes.candidates == len(expected)
    got = [
        (-m.score, m.chain.steps, name_key(m.differentiator), name_key(m.outcome))
        for m in themes.messages
    ]
    assert got == expected[:limit]
    truth = oracle(spec)
    for m in themes.messages:
        assert m.score == sum(p.points for p in m.score_parts)
        assert m.chain.nodes[0] == m.differentiator and m.chain.nodes[-1] == m.outcome
        assert all(truth.has_edge(a, b) for a, b in pairwise(m.chain.nodes))
        assert m.hypothesis.startswith("Because of ") and m.hypothesis.endswith(".")
        assert m.question.endswith("?")


@settings(max_examples=100, deadline=None)
@given(networks(), st.data())
def test_messages_do_not_depend_on_the_order_things_were_entered(
    spec: s.NetworkSpec, data: st.DataObject
) -> None:
    if not spec.personas:
        return
    persona = data.draw(st.sampled_from([p.name for p in spec.personas]))
    competitor = data.draw(st.sampled_from([None, *(c.name for c in spec.competitors)]))
    first = value_messages(build_graph(spec), persona, competitor, limit=8)
    assert first == value_messages(build_graph(spec), persona, competitor, limit=8)
    spec.links = data.draw(st.permutations(spec.links))
    spec.differentiators = data.draw(st.permutations(spec.differentiators))
    spec.outcomes = data.draw(st.permutations(spec.outcomes))
    assert value_messages(build_graph(spec), persona, competitor, limit=8) == first
