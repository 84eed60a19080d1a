"""Checks a value network for mistakes and gaps, in words a sales-enablement person uses.

Errors make part of the network unusable (a link that cannot be followed, a name used twice);
warnings are gaps worth closing (an outcome nobody is attached to, a differentiator that leads
nowhere). Issues come errors first, then in the order of `CODES`, then in network order.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum

from valuescout.valuenet.graph import ValueGraph, driven_by_any
from valuescout.valuenet.loops import find_loops
from valuescout.valuenet.spec import Strength


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class LintIssue:
    code: str
    severity: Severity
    message: str
    subjects: tuple[str, ...]  # the names the issue is about (nodes, personas, competitors)


E, W = Severity.ERROR, Severity.WARNING
CODES: dict[str, Severity] = {
    "blank_name": E,
    "duplicate_name": E,
    "unknown_node": E,
    "self_link": E,
    "link_into_differentiator": E,
    "persona_unknown_outcome": E,
    "competitor_unknown_differentiator": E,
    "duplicate_link": W,
    "undeclared_cycle": W,
    "orphan": W,
    "differentiator_leads_nowhere": W,
    "unreached_outcome": W,
    "outcome_without_persona": W,
    "persona_without_outcomes": W,
    "persona_duplicate_outcome": W,
    "competitor_duplicate_match": W,
}
_ORDER = {code: (severity != E, i) for i, (code, severity) in enumerate(CODES.items())}


def _issue(code: str, message: str, *subjects: str) -> LintIssue:
    return LintIssue(code, CODES[code], message, subjects)


def _quoted(names: Iterable[str]) -> str:
    items = [f"'{n}'" for n in names]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _did_you_mean(name: str, candidates: list[str]) -> str:
    key = name.strip().casefold()
    close = [c for c in candidates if c.casefold() == key] or difflib.get_close_matches(
        name, candidates, n=1, cutoff=0.85
    )
    return f" Did you mean '{close[0]}'?" if close else ""


def _names(graph: ValueGraph) -> Iterator[LintIssue]:
    spec = graph.spec
    groups: list[tuple[str, list[tuple[str, str]]]] = [
        (
            "differentiator or outcome",
            [(d.name, "differentiator") for d in spec.differentiators]
            + [(o.name, "outcome") for o in spec.outcomes],
        ),
        ("persona", [(p.name, "persona") for p in spec.personas]),
        ("competitor", [(c.name, "competitor") for c in spec.competitors]),
    ]
    for what, named in groups:
        by_key: dict[str, list[tuple[str, str]]] = {}
        for name, kind in named:
            if not name.strip():
                yield _issue(
                    "blank_name",
                    f"{'An' if kind == 'outcome' else 'A'} {kind} has no name. "
                    "Give it a short name or remove it.",
                )
            else:
                by_key.setdefault(name.strip().casefold(), []).append((name, kind))
        for same in by_key.values():
            if len(same) > 1:
                listed = ", ".join(f"'{n}' ({k})" for n, k in same)
                yield _issue(
                    "duplicate_name",
                    f"The name '{same[0][0]}' is used {len(same)} times: {listed}. Each {what} "
                    "needs its own name (capitals do not count): rename or merge them.",
                    *dict.fromkeys(n for n, _ in same),
                )


def _links(graph: ValueGraph) -> Iterator[LintIssue]:
    known = list(graph.index)
    seen: dict[tuple[str, str], bool] = {}  # ordered pair -> two-way
    for link in graph.spec.links:
        s, t = link.source, link.target
        arrow = f"The link from '{s}' to '{t}'"
        missing = [n for n in dict.fromkeys((s, t)) if n not in graph.index]
        if missing:
            hints = "".join(_did_you_mean(n, known) for n in missing)
            verb = "is not a" if len(missing) == 1 else "are not"
            verb += (
                " differentiator or outcome"
                if len(missing) == 1
                else " differentiators or outcomes"
            )
            yield _issue(
                "unknown_node",
                f"{arrow} uses {_quoted(missing)}, which {verb} in this network. Add "
                f"{'it' if len(missing) == 1 else 'them'} or correct the link.{hints}",
                s,
                t,
            )
        elif s == t:
            yield _issue(
                "self_link",
                f"'{s}' is linked to itself. Remove this link: nothing causes itself.",
                s,
            )
        elif t in graph.differentiators:
            yield _issue(
                "link_into_differentiator",
                f"{arrow} points into the differentiator '{t}'. Differentiators are where value "
                "starts, so arrows only leave them: reverse the link, or make "
                f"'{t}' an outcome if the customer gets it as a result.",
                s,
                t,
            )
        elif (s, t) in seen or ((t, s) in seen and (link.two_way or seen[(t, s)])):
            yield _issue(
                "duplicate_link",
                f"'{s}' and '{t}' are linked more than once. Keep one link, and make it "
                "two-way if they reinforce each other.",
                s,
                t,
            )
        else:
            seen[(s, t)] = link.two_way


def _cycles(graph: ValueGraph) -> Iterator[LintIssue]:
    for cycle in find_loops(graph).undeclared:
        circle = " → ".join(f"'{n}'" for n in (*cycle.cycle, cycle.cycle[0]))
        links = ", ".join(f"'{link.source}' → '{link.target}'" for link in cycle.one_way_links)
        yield _issue(
            "undeclared_cycle",
            f"Cause and effect go round in a circle: {circle}, through the one-way "
            f"link{'s' if len(cycle.one_way_links) > 1 else ''} {links}. If these outcomes "
            "reinforce each other, make the link two-way; if not, remove or reverse the link "
            "that points back.",
            *cycle.nodes,
        )


def _nodes(graph: ValueGraph) -> Iterator[LintIssue]:
    linked = {n for link in graph.spec.links for n in (link.source, link.target)}
    attached = {po.outcome for p in graph.spec.personas for po in p.outcomes}
    driven = driven_by_any(graph)
    for name, i in graph.index.items():
        if name not in linked:
            yield _issue(
                "orphan", f"'{name}' is not linked to anything. Link it or remove it.", name
            )
        elif graph.is_differentiator(i) and not graph.succ[i]:
            yield _issue(
                "differentiator_leads_nowhere",
                f"The differentiator '{name}' leads to no outcome. Add arrows from it to the "
                "customer outcomes it drives, or remove it.",
                name,
            )
        elif not graph.is_differentiator(i) and i not in driven:
            yield _issue(
                "unreached_outcome",
                f"No differentiator leads to the outcome '{name}', so no seller can claim it. "
                "Link it from the differentiator or outcome that causes it.",
                name,
            )
        if not graph.is_differentiator(i) and name not in attached:
            yield _issue(
                "outcome_without_persona",
                f"No persona is attached to the outcome '{name}'. Add the buyer personas most "
                "likely to want it, so sellers know whom to talk to about it.",
                name,
            )


def _references(graph: ValueGraph) -> Iterator[LintIssue]:
    outcomes, differentiators = list(graph.outcomes), list(graph.differentiators)
    for p in graph.spec.personas:
        if not p.outcomes:
            yield _issue(
                "persona_without_outcomes",
                f"The persona '{p.name}' is not attached to any outcome. Attach it to the "
                "outcomes this buyer cares about.",
                p.name,
            )
        stated: dict[str, Strength] = {}
        for po in p.outcomes:
            o = po.outcome
            if o in graph.differentiators:
                yield _issue(
                    "persona_unknown_outcome",
                    f"The persona '{p.name}' is attached to '{o}', which is a differentiator. "
                    "Attach personas to outcomes (what the customer gets), not to "
                    "differentiators.",
                    p.name,
                    o,
                )
            elif o not in graph.outcomes:
                yield _issue(
                    "persona_unknown_outcome",
                    f"The persona '{p.name}' is attached to '{o}', which is not an outcome in "
                    "this network. Correct the name or add the outcome."
                    + _did_you_mean(o, outcomes),
                    p.name,
                    o,
                )
            elif o in stated:
                yield _issue(
                    "persona_duplicate_outcome",
                    f"The persona '{p.name}' is attached to '{o}' more than once. Keep one, "
                    "marked primary or secondary.",
                    p.name,
                    o,
                )
            stated.setdefault(o, po.strength)
    for c in graph.spec.competitors:
        answered: dict[str, str] = {}
        for m in c.matches:
            d = m.differentiator
            if d not in graph.differentiators:
                what = (
                    "an outcome: competitors are compared on differentiators"
                    if d in graph.outcomes
                    else "not a differentiator in this network"
                )
                yield _issue(
                    "competitor_unknown_differentiator",
                    f"The competitor '{c.name}' has an answer for '{d}', which is {what}. "
                    f"Correct the name or remove the answer.{_did_you_mean(d, differentiators)}",
                    c.name,
                    d,
                )
            elif d in answered:
                yield _issue(
                    "competitor_duplicate_match",
                    f"The competitor '{c.name}' has more than one answer for '{d}'. Only the "
                    f"first ('{answered[d]}') counts: keep one.",
                    c.name,
                    d,
                )
            else:
                answered[d] = m.match.value


def lint(graph: ValueGraph) -> tuple[LintIssue, ...]:
    """Every issue in the network, errors first."""
    found = [
        *_names(graph),
        *_links(graph),
        *_cycles(graph),
        *_nodes(graph),
        *_references(graph),
    ]
    return tuple(sorted(found, key=lambda issue: _ORDER[issue.code]))  # stable: network order
