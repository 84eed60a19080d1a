"""Mermaid and DOT exports: shapes, arrows, markings, escaping, determinism; DOT parsed by dot."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings

from tests.valuenet.fileformat_strategies import specs
from valuescout.valuenet.exports import STAR, to_dot, to_mermaid
from valuescout.valuenet.fileformat import load_yaml
from valuescout.valuenet.spec import (
    Differentiator,
    Link,
    NetworkSpec,
    Offer,
    Outcome,
    Persona,
    PersonaOutcome,
    Strength,
)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "value-network-value-focused-culture.yaml"
DOT = shutil.which("dot")
needs_dot = pytest.mark.skipif(DOT is None, reason="Graphviz `dot` is not installed")

TRICKY = 'Say "hi" #1 <b>&amp;</b> | `x` a: b 50% \\ end'


def tricky_spec() -> NetworkSpec:
    return NetworkSpec(
        name='Net "one"',
        offer=Offer("Offer"),
        differentiators=[Differentiator(TRICKY), Differentiator("Plain")],
        outcomes=[
            Outcome("Win more", executive=True, description='Line one\nLine "two"'),
            Outcome("Keep customers"),
            Outcome("end"),
        ],
        links=[
            Link(TRICKY, "Win more", rationale="because | of\nthis"),
            Link("Win more", "Keep customers", two_way=True),
            Link("Plain", "end"),
            Link("Plain", "Not in the network"),
        ],
        personas=[
            Persona("CFO", outcomes=[PersonaOutcome("Win more")]),
            Persona('C"SO', outcomes=[PersonaOutcome("Win more", Strength.SECONDARY)]),
        ],
    )


# --- Mermaid ----------------------------------------------------------------------------------

NODE = re.compile(r'^  (d\d+)\["([^"]*)"\]:::differentiator$')
OUTCOME = re.compile(r'^  (o\d+)\(\["([^"]*)"\]\):::(outcome|executive)$')
EDGE = re.compile(r'^  ([do]\d+) (-->|<-->)(?:\|"([^"]*)"\|)? (o\d+)$')
CLASSDEF = re.compile(
    r"^  classDef (differentiator|outcome|executive) [a-z-]+:[^;\s]+(,[a-z-]+:[^;\s]+)*$"
)
COMMENT = re.compile(r"^  %% [^\n]*$")


def decode(label: str) -> str:
    """What Mermaid shows for a label: entity codes (#quot; #35;) turned back into characters."""

    def character(code: re.Match[str]) -> str:
        name = code[1]
        return chr(int(name)) if name.isdigit() else html.unescape(f"&{name};")

    return re.sub(r"#(\w+);", character, label)


def parse_mermaid(text: str) -> tuple[dict[str, str], dict[str, str], list[tuple[str, ...]]]:
    lines = text.splitlines()
    assert lines[0] == "flowchart LR"
    assert text.endswith("\n")
    differentiators: dict[str, str] = {}
    outcomes: dict[str, str] = {}
    edges: list[tuple[str, ...]] = []
    for line in lines[1:]:
        if match := NODE.match(line):
            differentiators[match[1]] = match[2]
        elif match := OUTCOME.match(line):
            outcomes[match[1]] = match[2]
            assert (match[3] == "executive") == decode(match[2]).startswith(STAR + " ")
        elif match := EDGE.match(line):
            edges.append((match[1], match[2], match[3] or "", match[4]))
        else:
            assert CLASSDEF.match(line) or COMMENT.match(line), line
    return differentiators, outcomes, edges


def test_mermaid_draws_shapes_arrows_and_markings() -> None:
    text = to_mermaid(tricky_spec())
    differentiators, outcomes, edges = parse_mermaid(text)
    assert [decode(label) for label in differentiators.values()] == [TRICKY, "Plain"]
    assert decode(outcomes["o1"]) == f'{STAR} Win more<br><small>CFO; secondary: C"SO</small>'
    assert decode(outcomes["o3"]) == "end"
    assert edges == [
        ("d1", "-->", "because #124; of this", "o1"),
        ("o1", "<-->", "", "o2"),
        ("d2", "-->", "", "o3"),
    ]  # the link to a node that is not in the network is left out
    assert "  o1([" in text and ":::executive" in text and "classDef executive" in text


def test_mermaid_escapes_every_character_that_could_break_a_label() -> None:
    text = to_mermaid(tricky_spec())
    label = parse_mermaid(text)[0]["d1"]
    for char in '"<>|`:%&':
        assert char not in label
    assert re.sub(r"#\w+;", "", label).count("#") == 0


def test_mermaid_options_leave_out_rationale_and_personas() -> None:
    text = to_mermaid(tricky_spec(), rationale=False, personas=False)
    _, outcomes, edges = parse_mermaid(text)
    assert all("<small>" not in label for label in outcomes.values())
    assert all(label == "" for _, _, label, _ in edges)


@settings(max_examples=150, deadline=None)
@given(specs())
def test_mermaid_structure_holds_for_any_valid_network(spec: NetworkSpec) -> None:
    text = to_mermaid(spec)
    assert to_mermaid(spec) == text
    differentiators, outcomes, edges = parse_mermaid(text)
    assert list(differentiators) == [f"d{i}" for i in range(1, len(spec.differentiators) + 1)]
    assert [decode(label) for label in differentiators.values()] == [
        d.name for d in spec.differentiators
    ]
    shown = [decode(label).split("<br>")[0].removeprefix(f"{STAR} ") for label in outcomes.values()]
    assert shown == [o.name for o in spec.outcomes]
    assert [arrow == "<-->" for _, arrow, _, _ in edges] == [link.two_way for link in spec.links]


def test_mermaid_of_the_example() -> None:
    spec = load_yaml(EXAMPLE.read_text(encoding="utf-8"))
    differentiators, outcomes, edges = parse_mermaid(to_mermaid(spec))
    assert len(differentiators) == len(spec.differentiators)
    assert len(outcomes) == len(spec.outcomes)
    assert len(edges) == len(spec.links)


# --- DOT --------------------------------------------------------------------------------------


def test_dot_draws_shapes_arrows_and_markings() -> None:
    text = to_dot(tricky_spec())
    assert text.startswith("digraph value_network {\n  graph [rankdir=LR, ")
    assert text.endswith("}\n")
    d1 = next(line for line in text.splitlines() if line.startswith("  d1 "))
    assert "shape=box" in d1
    assert r'label="Say \"hi\" #1 <b>&amp;amp;</b> |\n`x` a: b 50% \\ end"' in d1
    o1 = next(line for line in text.splitlines() if line.startswith("  o1 "))
    assert "shape=ellipse" in o1 and 'style="bold"' in o1 and "peripheries=2" in o1
    assert f'label="{STAR} Win more"' in o1
    assert r'xlabel="CFO; secondary: C\"SO"' in o1
    assert r'tooltip="Line one\nLine \"two\"\nPersonas: CFO; secondary: C\"SO"' in o1
    assert '  d1 -> o1 [label="because | of this"];' in text
    assert "  o1 -> o2 [dir=both];" in text
    assert "  d2 -> o3;" in text
    assert "Not in the network" not in text
    assert to_dot(tricky_spec()) == text


def test_dot_options_leave_out_rationale_and_personas() -> None:
    text = to_dot(tricky_spec(), rationale=False, personas=False)
    assert "xlabel" not in text and "because" not in text


def run_dot(text: str, fmt: str = "svg") -> str:
    assert DOT is not None
    done = subprocess.run(
        [DOT, f"-T{fmt}"], input=text, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "syntax error" not in done.stderr.lower(), done.stderr
    return done.stdout


@needs_dot
def test_dot_parses_and_shows_the_text_as_written() -> None:
    svg = run_dot(to_dot(tricky_spec()))
    assert "&quot;hi&quot; #1 &lt;b&gt;&amp;amp;&lt;/b&gt; |" in svg
    assert "`x` a: b 50% \\ end" in svg
    assert f"{STAR} Win more" in svg


@needs_dot
def test_dot_parses_for_the_example() -> None:
    spec = load_yaml(EXAMPLE.read_text(encoding="utf-8"))
    svg = run_dot(to_dot(spec))
    assert svg.count('class="node"') == len(spec.differentiators) + len(spec.outcomes)
    assert svg.count('class="edge"') == len(spec.links)


@needs_dot
@settings(max_examples=30, deadline=None)
@given(specs())
def test_dot_parses_for_any_valid_network(spec: NetworkSpec) -> None:
    run_dot(to_dot(spec), "canon")
