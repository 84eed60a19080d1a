"""The value network file format: exact round trips, and refusals that name line and reason."""

from __future__ import annotations

import json
from pathlib import Path
from textwrap import dedent

import pytest
import yaml
from hypothesis import given, settings

from tests.valuenet.fileformat_strategies import specs
from valuescout.valuenet.fileformat import (
    FORMAT_ID,
    FormatError,
    Problem,
    check_spec,
    dump,
    dump_json,
    dump_yaml,
    format_for_filename,
    load,
    load_json,
    load_yaml,
)
from valuescout.valuenet.spec import (
    Competitor,
    CompetitorMatch,
    Differentiator,
    DifferentiatorKind,
    Link,
    Match,
    NetworkSpec,
    Offer,
    OfferKind,
    Outcome,
    Persona,
    PersonaOutcome,
    Strength,
)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "value-network-value-focused-culture.yaml"


def problems_of(text: str, fmt: str = "yaml") -> list[tuple[int | None, str, str]]:
    with pytest.raises(FormatError) as caught:
        load(text, fmt)
    return [(p.line, p.path, p.message) for p in caught.value.problems]


def small_spec() -> NetworkSpec:
    return NetworkSpec(
        name="SmartFlow pump systems",
        offer=Offer("SmartFlow", OfferKind.SOLUTION),
        differentiators=[Differentiator("Remote monitoring", DifferentiatorKind.FITNESS_FOR_USE)],
        outcomes=[
            Outcome("Less unplanned downtime", measure="hours avoided", unit="hours/year"),
            Outcome("Lower maintenance cost", executive=True),
        ],
        links=[
            Link("Remote monitoring", "Less unplanned downtime", rationale="Faults seen early"),
            Link("Less unplanned downtime", "Lower maintenance cost", two_way=True),
        ],
        personas=[Persona("Plant manager", outcomes=[PersonaOutcome("Less unplanned downtime")])],
        competitors=[Competitor("Acme", matches=[CompetitorMatch("Remote monitoring", Match.NO)])],
    )


# --- round trips ------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(specs())
def test_yaml_round_trip_is_exact(spec: NetworkSpec) -> None:
    assert check_spec(spec) == []
    text = dump_yaml(spec)
    assert text.endswith("\n")
    assert load_yaml(text) == spec
    assert dump_yaml(load_yaml(text)) == text


@settings(max_examples=300, deadline=None)
@given(specs())
def test_json_round_trip_is_exact(spec: NetworkSpec) -> None:
    text = dump_json(spec)
    assert text.endswith("\n")
    assert load_json(text) == spec
    assert dump_json(load_json(text)) == text
    assert json.loads(text) == yaml.safe_load(dump_yaml(spec))  # one structure, two spellings


def test_canonical_output_orders_fields_and_leaves_out_defaults() -> None:
    assert dump_yaml(small_spec()) == dedent(
        f"""\
        format: {FORMAT_ID}
        name: SmartFlow pump systems
        offer:
          name: SmartFlow
          kind: solution
        differentiators:
          - name: Remote monitoring
            kind: fitness_for_use
        outcomes:
          - name: Less unplanned downtime
            measure: hours avoided
            unit: hours/year
          - name: Lower maintenance cost
            executive: true
        links:
          - from: Remote monitoring
            to: Less unplanned downtime
            rationale: Faults seen early
          - from: Less unplanned downtime
            to: Lower maintenance cost
            two_way: true
        personas:
          - name: Plant manager
            outcomes:
              - outcome: Less unplanned downtime
        competitors:
          - name: Acme
            matches:
              - differentiator: Remote monitoring
                match: 'no'
        """
    )
    assert dump_json(small_spec()).startswith('{\n  "format": "valuescout.value-network/1",\n')


def test_unicode_is_kept_and_multiline_text_is_a_block() -> None:
    spec = NetworkSpec("Réseau de valeur ★", Offer("Pompe"), description="one\ntwo\n")
    text = dump_yaml(spec)
    assert "name: Réseau de valeur ★" in text
    assert "description: |\n  one\n  two\n" in text
    assert '"name": "Réseau de valeur ★"' in dump_json(spec)


def test_example_file_loads_cleanly_and_is_canonical() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    spec = load_yaml(text)
    assert dump_yaml(spec) == text
    assert load_json(dump_json(spec)) == spec
    assert len(spec.differentiators) >= 1 and len(spec.outcomes) >= 15
    assert any(link.two_way for link in spec.links)
    assert any(outcome.executive for outcome in spec.outcomes)
    assert len(spec.personas) >= 8


# --- what may be left out ---------------------------------------------------------------------


def test_minimal_document_takes_defaults_and_offer_defaults_to_the_network_name() -> None:
    spec = load_yaml("name: Just a name\n")
    assert spec == NetworkSpec(name="Just a name", offer=Offer("Just a name"))
    assert load_json('{"name": "Just a name"}') == spec


def test_empty_optional_fields_mean_their_default() -> None:
    text = dedent(
        """\
        name: N
        description:
        offer:
        differentiators:
          - name: D
            kind:
            description:
        outcomes:
          - {name: O, executive: null}
        links:
          - {from: D, to: O, two_way: ~}
        personas:
        competitors:
        """
    )
    spec = load_yaml(text)
    assert spec.offer == Offer("N")
    assert spec.differentiators == [Differentiator("D")]
    assert spec.links == [Link("D", "O")]


def test_unquoted_yes_and_no_are_read_as_matches() -> None:
    text = dedent(
        """\
        name: N
        differentiators: [{name: A}, {name: B}, {name: C}]
        competitors:
          - name: Rival
            matches:
              - {differentiator: A, match: yes}
              - {differentiator: B, match: no}
              - {differentiator: C, match: partly}
        """
    )
    matches = load_yaml(text).competitors[0].matches
    assert [m.match for m in matches] == [Match.YES, Match.NO, Match.PARTLY]


def test_byte_order_mark_is_ignored() -> None:
    assert load_yaml("\ufeffname: N\n").name == "N"
    assert load_json('\ufeff{"name": "N"}').name == "N"


def test_format_helpers() -> None:
    assert format_for_filename("net.YAML") == "yaml"
    assert format_for_filename("dir/net.yml") == "yaml"
    assert format_for_filename("net.json") == "json"
    with pytest.raises(ValueError, match=r"\.yaml, \.yml or \.json"):
        format_for_filename("net.toml")
    with pytest.raises(ValueError, match="unknown value network format"):
        load("name: N", "toml")
    assert load(dump(small_spec(), "json"), "json") == small_spec()


# --- refusals ---------------------------------------------------------------------------------

BROKEN = """\
format: valuescout.value-network/1
name: SmartFlow
offer: {name: SmartFlow, kind: servic}
differentiators:
  - name: Remote monitoring
    colour: blue
  - name: remote MONITORING
outcomes:
  - name: Less downtime
    executive: "yes"
  - name: 42
links:
  - {from: Remote monitoring, to: Less downtime}
  - {from: Remote monitoring, to: Foo}
  - {from: Less downtime, to: Remote monitoring}
personas:
  - name: CFO
    outcomes: [{outcome: Remote monitoring}, {outcome: Less downtime, strength: high}]
competitors:
  - name: Acme
    matches: [{differentiator: Less downtime, match: maybe}]
"""


def test_every_problem_is_listed_with_its_line_and_reason() -> None:
    assert problems_of(BROKEN) == [
        (3, "offer.kind", "'servic' is not a kind of offer; use one of product, service, solution"),
        (6, "differentiators[0].colour", "unknown field 'colour'; the fields here are name, kind, "
         "description"),
        (7, "differentiators[1].name", "the name 'remote MONITORING' is already used by "
         "differentiators[0] (line 5); names must differ in more than upper and lower case"),
        (10, "outcomes[0].executive", "must be true or false, not text"),
        (11, "outcomes[1].name", 'must be text, not a number (put it in quotes, "42", if you mean '
         "the text)"),
        (14, "links[1].to", "'Foo' is not a differentiator or outcome in this network"),
        (15, "links[2].to", "'Remote monitoring' is a differentiator; links lead from a "
         "differentiator or outcome to an outcome, never into a differentiator"),
        (18, "personas[0].outcomes[0].outcome", "'Remote monitoring' is a differentiator; "
         "personas are attached to outcomes"),
        (18, "personas[0].outcomes[1].strength", "'high' is not a strength; use one of primary, "
         "secondary"),
        (21, "competitors[0].matches[0].differentiator", "'Less downtime' is an outcome; "
         "competitors are matched on differentiators"),
        (21, "competitors[0].matches[0].match", "'maybe' is not a match; use one of yes, partly, "
         "no"),
    ]  # fmt: skip


def test_error_text_lists_each_problem_on_its_own_line() -> None:
    with pytest.raises(FormatError) as caught:
        load_yaml(BROKEN)
    lines = str(caught.value).splitlines()
    assert lines[0] == "11 problems in the value network:"
    assert "line 14: links[1].to: 'Foo' is not a differentiator or outcome in this network" in lines
    assert str(Problem(None, "", "x")) == "x"


def test_json_problems_carry_json_lines() -> None:
    as_json = json.dumps(yaml.safe_load(BROKEN), indent=2)
    found = problems_of(as_json, "json")
    assert len(found) == 11
    lines = as_json.splitlines()
    for line, path, message in found:
        assert line is not None
        assert path.rsplit(".", 1)[-1].split("[")[0] in lines[line - 1] or "name" in path, message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("name: N\nlinks:\n  - from: A\n    to: B\n", [(3, "links[0].from"), (4, "links[0].to")]),
        ("name: N\nextra: 1\n", [(2, "extra")]),
        ("name: N\noutcomes: {name: O}\n", [(2, "outcomes")]),
        ("name: N\noutcomes:\n  - name: O\n    kind: bussiness\n", [(4, "outcomes[0].kind")]),
        ("offer: {name: X}\n", [(1, "")]),
        ("name: [a, b]\n", [(1, "name")]),
        ("name: ' padded'\n", [(1, "name")]),
        ("name: N\nname: M\n", [(2, "name")]),
        ("name: N\ndifferentiators:\n  - name: A\noutcomes:\n  - name: a\n",
         [(5, "outcomes[0].name")]),
        ("format: valuescout.value-network/2\nname: N\n", [(1, "format")]),
        ("name: &n N\ndescription: *n\n", [(2, "")]),
        ("name: N\n<<: {description: x}\n", [(2, "")]),
        ("- name: N\n", [(1, "")]),
        ("", [(1, "")]),
        ("name: N\nlinks:\n  - {to: O}\noutcomes: [{name: O}]\n", [(3, "links[0]")]),
        ("name: N\noutcomes: [{name: O}, {name: P}]\nlinks:\n  - {from: O, to: O}\n"
         "  - {from: O, to: P}\n  - {from: P, to: O}\n", [(4, "links[0]"), (6, "links[2]")]),
    ],
)  # fmt: skip
def test_refusals_point_at_the_right_line(
    text: str, expected: list[tuple[int | None, str]]
) -> None:
    assert [(line, path) for line, path, _ in problems_of(text)] == expected


def test_reason_texts_are_plain() -> None:
    [(_, _, missing)] = problems_of("offer: {name: X}\n")
    assert missing == "the required field 'name' is missing"
    [(_, _, typo)] = problems_of("name: N\noutcomes: [{name: Win}]\nlinks: [{from: Win, to: win}]")
    assert typo == "'win' is not a differentiator or outcome in this network (did you mean 'Win'?)"
    [(_, _, twice)] = problems_of("name: N\nname: M\n")
    assert twice == "the field 'name' is given twice (first on line 1)"
    [(_, _, loop)] = problems_of("name: N\ndifferentiators: [{name: D}]\noutcomes: [{name: O}]\n"
                                 "links: [{from: D, to: O, two_way: true}]\n")  # fmt: skip
    assert loop.startswith("'D' is a differentiator; a two-way link joins two outcomes")


def test_yaml_syntax_error_gives_the_line() -> None:
    [(line, path, message)] = problems_of("name: N\noutcomes:\n  - name: [unclosed\n  - x\n")
    assert (line, path) == (4, "") and message.startswith("not valid YAML:")
    [(line, _, message)] = problems_of("name: N\ndescription: \x00\n")
    assert line == 2 and "the character U+0000 is not allowed" in message
    [(line, _, message)] = problems_of("name: N\n\ndescription: a\x7fb\n")
    assert line == 3 and "the character U+007F is not allowed" in message


def test_json_syntax_error_gives_json_line() -> None:
    [(line, path, message)] = problems_of('{\n  "name": "N",\n  "outcomes": [1,,]\n}', "json")
    assert (line, path, message) == (3, "", "not valid JSON: Expecting value")


def test_json_duplicate_keys_and_wrong_types_are_refused() -> None:
    text = '{\n  "name": "N",\n  "name": "M",\n  "outcomes": [\n    {"name": true}\n  ]\n}'
    assert problems_of(text, "json") == [
        (3, "name", "the field 'name' is given twice (first on line 2)"),
        (5, "outcomes[0].name", 'must be text, not true/false (put it in quotes, "true", if you '
         "mean the text)"),
    ]  # fmt: skip


def test_deep_nesting_is_refused_not_crashed() -> None:
    assert problems_of("name: N\ndescription: " + "[" * 5000 + "]" * 5000 + "\n")
    assert problems_of('{"name": "N", "description": ' + "[" * 5000 + "]" * 5000 + "}", "json")


def test_check_spec_reports_code_built_specs_without_lines() -> None:
    spec = small_spec()
    spec.links.append(Link("Remote monitoring", "Nowhere"))
    spec.personas[0].outcomes.append(PersonaOutcome("Less unplanned downtime", Strength.SECONDARY))
    assert check_spec(spec) == [
        Problem(None, "links[2].to", "'Nowhere' is not a differentiator or outcome in this "
                "network"),
        Problem(None, "personas[0].outcomes[1].outcome", "'Less unplanned downtime' is already "
                "listed for this persona at personas[0].outcomes[0]"),
    ]  # fmt: skip
