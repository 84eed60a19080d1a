"""Lint: every check on a small broken network, and properties on generated networks."""

from __future__ import annotations

import re

from hypothesis import given, settings

from tests.valuenet.graph_networks import networks, pumps
from valuescout.valuenet import spec as s
from valuescout.valuenet.graph import build_graph
from valuescout.valuenet.lint import CODES, LintIssue, Severity, lint


def issues(spec: s.NetworkSpec, code: str) -> list[LintIssue]:
    return [i for i in lint(build_graph(spec)) if i.code == code]


def test_the_example_network_is_clean() -> None:
    assert lint(build_graph(pumps())) == ()


def test_duplicate_names_ignore_capitals_and_span_differentiators_and_outcomes() -> None:
    spec = pumps()
    spec.outcomes.append(s.Outcome("remote monitoring"))
    spec.personas.append(s.Persona("cfo", outcomes=[s.PersonaOutcome("More revenue")]))
    spec.competitors.append(s.Competitor("Acme Pumps"))
    found = issues(spec, "duplicate_name")
    assert [i.subjects for i in found] == [
        ("Remote monitoring", "remote monitoring"),
        ("CFO", "cfo"),
        ("Acme Pumps",),
    ]
    assert all(i.severity is Severity.ERROR for i in found)
    assert "'Remote monitoring' (differentiator), 'remote monitoring' (outcome)" in found[0].message
    assert "rename or merge them" in found[0].message


def test_blank_names() -> None:
    spec = pumps()
    spec.outcomes.append(s.Outcome("  "))
    (issue,) = issues(spec, "blank_name")
    assert issue.message == "An outcome has no name. Give it a short name or remove it."


def test_broken_links() -> None:
    spec = pumps()
    spec.links += [
        s.Link("Fewer leaks", "less unplanned downtime"),
        s.Link("Ghost", "Phantom"),
        s.Link("Peace of mind", "Peace of mind"),
        s.Link("More revenue", "Lowest price"),
        s.Link("Fewer leaks", "Safer workplace"),  # already two-way
        s.Link("Remote monitoring", "Less unplanned downtime"),  # the same again
    ]
    (unknown, both) = issues(spec, "unknown_node")
    assert unknown.subjects == ("Fewer leaks", "less unplanned downtime")
    assert "Did you mean 'Less unplanned downtime'?" in unknown.message
    assert (
        "'Ghost' and 'Phantom', which are not differentiators or outcomes in this network"
        in both.message
    )
    (itself,) = issues(spec, "self_link")
    assert itself.subjects == ("Peace of mind",)
    (into,) = issues(spec, "link_into_differentiator")
    assert "points into the differentiator 'Lowest price'" in into.message
    duplicates = issues(spec, "duplicate_link")
    assert [d.subjects for d in duplicates] == [
        ("Fewer leaks", "Safer workplace"),
        ("Remote monitoring", "Less unplanned downtime"),
    ]
    assert all(d.severity is Severity.WARNING for d in duplicates)


def test_undeclared_cycle_says_what_to_do() -> None:
    spec = pumps()
    spec.links.append(s.Link("Higher plant output", "Fewer leaks"))
    (issue,) = issues(spec, "undeclared_cycle")
    assert issue.severity is Severity.WARNING
    assert "'Fewer leaks' → 'Less unplanned downtime' → 'Higher plant output' → 'Fewer leaks'" in (
        issue.message
    )
    assert "make the link two-way" in issue.message
    assert "Higher plant output" in issue.subjects


def test_gaps_in_the_network() -> None:
    spec = pumps()
    spec.differentiators += [s.Differentiator("Brand"), s.Differentiator("Green steel")]
    spec.outcomes += [s.Outcome("Lonely"), s.Outcome("Greener brand")]
    spec.links += [s.Link("Green steel", "Ghost"), s.Link("Greener brand", "More revenue")]
    spec.personas.append(s.Persona("Buyer"))
    assert [i.subjects for i in issues(spec, "orphan")] == [("Brand",), ("Lonely",)]
    assert [i.subjects for i in issues(spec, "differentiator_leads_nowhere")] == [("Green steel",)]
    (unreached,) = issues(spec, "unreached_outcome")
    assert unreached.subjects == ("Greener brand",)
    assert "no seller can claim it" in unreached.message
    without = [i.subjects for i in issues(spec, "outcome_without_persona")]
    assert without == [("Lonely",), ("Greener brand",)]
    assert [i.subjects for i in issues(spec, "persona_without_outcomes")] == [("Buyer",)]


def test_persona_and_competitor_references() -> None:
    spec = pumps()
    spec.personas[0].outcomes += [
        s.PersonaOutcome("Remote monitoring"),
        s.PersonaOutcome("More reveneu"),
        s.PersonaOutcome("Peace of mind"),
    ]
    spec.competitors[0].matches += [
        s.CompetitorMatch("Fewer leaks", s.Match.YES),
        s.CompetitorMatch("Sealless pump design", s.Match.YES),
    ]
    wrong = issues(spec, "persona_unknown_outcome")
    assert "which is a differentiator" in wrong[0].message
    assert "Did you mean 'More revenue'?" in wrong[1].message
    assert [i.subjects for i in issues(spec, "persona_duplicate_outcome")] == [
        ("Plant manager", "Peace of mind")
    ]
    (outcome,) = issues(spec, "competitor_unknown_differentiator")
    assert "which is an outcome" in outcome.message
    (twice,) = issues(spec, "competitor_duplicate_match")
    assert "Only the first ('no') counts" in twice.message


def test_errors_come_first() -> None:
    spec = pumps()
    spec.outcomes.append(s.Outcome("Lonely"))
    spec.links.append(s.Link("Ghost", "More revenue"))
    found = lint(build_graph(spec))
    severities = [i.severity for i in found]
    assert severities == sorted(severities, key=lambda sev: sev is Severity.WARNING)
    assert found[0].code == "unknown_node"


@settings(max_examples=200, deadline=None)
@given(networks())
def test_lint_on_generated_networks(spec: s.NetworkSpec) -> None:
    found = lint(build_graph(spec))
    assert found == lint(build_graph(spec))
    for issue in found:
        assert issue.severity is CODES[issue.code]
        assert issue.message.endswith((".", "?"))
        for name in re.findall(r"'([^']*)'", issue.message):
            assert name  # names are quoted and never blank here
        assert set(issue.subjects) <= {
            *(d.name for d in spec.differentiators),
            *(o.name for o in spec.outcomes),
            *(p.name for p in spec.personas),
            *(c.name for c in spec.competitors),
            *(n for lk in spec.links for n in (lk.source, lk.target)),
        }
    names = {d.name for d in spec.differentiators} | {o.name for o in spec.outcomes}
    for link in spec.links:
        if link.source not in names or link.target not in names:
            assert any(
                i.code == "unknown_node" and i.subjects == (link.source, link.target) for i in found
            )
