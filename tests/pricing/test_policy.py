"""The price policy: its parser (every problem reported with its line and reason), its
evaluation semantics, and properties of "the first matching rule wins" (hypothesis)."""

from __future__ import annotations

import importlib.util
import textwrap
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from valuescout.pricing import policy as pol
from valuescout.pricing.fields import FIELDS
from valuescout.pricing.policy import (
    Action,
    ApproverRole,
    Condition,
    Outcome,
    Policy,
    PolicyError,
    Rule,
)

ROOT = Path(__file__).resolve().parents[2]
DEFAULT = ROOT / "src" / "valuescout" / "pricing" / "default_policy.yaml"


def problems(source: str) -> list[tuple[int, str]]:
    with pytest.raises(PolicyError) as caught:
        pol.parse(textwrap.dedent(source))
    return caught.value.problems


def only_problem(source: str) -> tuple[int, str]:
    found = problems(source)
    assert len(found) == 1, found
    return found[0]


# --- the parser: each mistake, its line, its reason ---------------------------------------

VALID = """\
name: Test policy
rules:
  - id: big
    when:
      discount: {gt: 0.3}
    then:
      reject: Too much.
otherwise:
  route: [price_desk]
"""


def test_a_valid_policy_parses_with_its_rules_in_order() -> None:
    parsed = pol.parse(VALID)
    assert parsed.name == "Test policy"
    assert [r.id for r in parsed.rules] == ["big"]
    assert parsed.rules[0].line == 3
    assert parsed.rules[0].conditions == (Condition("discount", "gt", Decimal("0.3")),)
    assert parsed.rules[0].outcome == Outcome(Action.REJECT, reason="Too much.")
    assert parsed.otherwise == Outcome(Action.ROUTE, (ApproverRole.PRICE_DESK,))


def test_unknown_field_is_reported_on_its_line() -> None:
    line, text = only_problem(
        VALID.replace("      discount: {gt: 0.3}", "      discont: {gt: 0.3}")
    )
    assert line == 5
    assert "unknown evidence field 'discont'" in text


def test_unknown_operator_is_reported_on_its_line() -> None:
    line, text = only_problem(VALID.replace("{gt: 0.3}", "{bigger: 0.3}"))
    assert line == 5
    assert "unknown operator 'bigger'" in text


def test_a_number_field_refuses_text() -> None:
    line, text = only_problem(VALID.replace("{gt: 0.3}", "{gt: lots}"))
    assert line == 5
    assert text == "discount is a number, not 'lots'"


@pytest.mark.parametrize("raw", [".nan", "NaN", "Infinity", "-inf", "1e"])
def test_a_number_must_be_finite(raw: str) -> None:
    line, text = only_problem(VALID.replace("{gt: 0.3}", f"{{gt: {raw}}}"))
    assert line == 5 and "is a number" in text


def test_a_choice_field_refuses_a_value_outside_its_choices() -> None:
    source = VALID.replace("discount: {gt: 0.3}", "corridor_zone: under_the_floor")
    line, text = only_problem(source)
    assert line == 5
    assert "corridor_zone is one of below_floor" in text and "'under_the_floor'" in text


def test_a_bool_field_refuses_a_word_that_is_not_true_or_false() -> None:
    line, text = only_problem(VALID.replace("discount: {gt: 0.3}", "has_value_case: maybe"))
    assert line == 5
    assert text == "has_value_case is true or false, not 'maybe'"


@pytest.mark.parametrize(
    ("condition", "field"),
    [
        ("corridor_zone: {lt: below_floor}", "corridor_zone"),
        ("has_value_case: {ge: true}", "has_value_case"),
        ("segment: {gt: Retail}", "segment"),
    ],
)
def test_ordered_operators_need_a_number_field(condition: str, field: str) -> None:
    line, text = only_problem(VALID.replace("discount: {gt: 0.3}", condition))
    assert line == 5
    assert text.startswith(f"{field} is not a number")


def test_in_needs_a_non_empty_list() -> None:
    line, text = only_problem(VALID.replace("{gt: 0.3}", "{in: []}"))
    assert line == 5 and "need a non-empty list" in text
    line, text = only_problem(VALID.replace("{gt: 0.3}", "{not_in: 0.3}"))
    assert line == 5 and "need a non-empty list" in text


def test_a_bad_value_inside_an_in_list_is_reported() -> None:
    source = VALID.replace("discount: {gt: 0.3}", "size_band: {in: [under_10k, huge]}")
    line, text = only_problem(source)
    assert line == 5 and "'huge' is not" in text


def test_bad_approver_role_is_reported_on_its_line() -> None:
    source = VALID.replace("  route: [price_desk]", "  route:\n    - manager\n    - ceo")
    line, text = only_problem(source)
    assert line == 11
    assert "unknown approver 'ceo'" in text and "price_desk" in text


def test_empty_route_is_refused() -> None:
    line, text = only_problem(VALID.replace("route: [price_desk]", "route: []"))
    assert line == 9
    assert "1 to 5 approver steps" in text


def test_a_role_twice_in_a_chain_is_refused() -> None:
    source = VALID.replace("route: [price_desk]", "route: [manager, price_desk, manager]")
    line, text = only_problem(source)
    assert line == 9
    assert "appears twice" in text


def test_duplicate_rule_id_names_both_lines() -> None:
    source = VALID.replace(
        "otherwise:",
        "  - id: big\n    when: {}\n    then: approve\notherwise:",
    )
    line, text = only_problem(source)
    assert line == 8
    assert text == "rule id 'big' is used twice (first on line 3)"


def test_missing_otherwise_is_refused() -> None:
    source = VALID.split("otherwise:")[0]
    line, text = only_problem(source)
    assert line == 1
    assert "`otherwise` is missing" in text


def test_a_policy_without_a_name_is_refused() -> None:
    line, text = only_problem(VALID.replace("name: Test policy\n", ""))
    assert line == 1
    assert "`name` is missing" in text


def test_invalid_yaml_reports_the_line_of_the_syntax_error() -> None:
    source = VALID.replace("      discount: {gt: 0.3}", "      discount: {gt: 0.3")
    line, text = only_problem(source)
    assert text.startswith("not valid YAML")
    assert line in (5, 6)  # the parser notices the unclosed mapping at the next token


def test_a_tab_indentation_error_is_invalid_yaml() -> None:
    line, text = only_problem("name: x\nrules:\n\t- id: a\n")
    assert line == 3 and text.startswith("not valid YAML")


@pytest.mark.parametrize("source", ["", "just text", "- a\n- b\n"])
def test_the_policy_must_be_a_mapping(source: str) -> None:
    line, text = only_problem(source)
    assert line == 1 and "must be a mapping" in text


def test_a_rule_without_then_or_when_is_refused() -> None:
    source = VALID.replace("    then:\n      reject: Too much.\n", "")
    line, text = only_problem(source)
    assert line == 3 and "needs `then`" in text
    source = VALID.replace("    when:\n      discount: {gt: 0.3}\n", "")
    line, text = only_problem(source)
    assert line == 3 and "needs `when`" in text


def test_then_takes_exactly_one_action() -> None:
    source = VALID.replace("      reject: Too much.", "      reject: Too much.\n      approve: {}")
    assert any("exactly one of" in text for _, text in problems(source))


def test_unknown_key_in_a_rule_is_reported() -> None:
    line, text = only_problem(VALID.replace("    when:", "    whenever: {}\n    when:"))
    assert line == 4 and "unknown key 'whenever'" in text


def test_every_problem_is_reported_at_once_sorted_by_line() -> None:
    source = """\
    name: Many mistakes
    rules:
      - id: one
        when:
          discont: {gt: 0.1}
        then: approve
      - id: two
        when:
          discount: {gt: much}
        then:
          route: [boss]
    """
    found = problems(source)
    assert [line for line, _ in found] == [1, 5, 9, 11]
    assert "`otherwise` is missing" in found[0][1]
    assert "discont" in found[1][1]
    assert "much" in found[2][1]
    assert "boss" in found[3][1]


def test_the_error_message_names_each_line() -> None:
    with pytest.raises(PolicyError) as caught:
        pol.parse(VALID.replace("{gt: 0.3}", "{gt: lots}"))
    assert str(caught.value) == "line 5: discount is a number, not 'lots'"


def test_too_long_a_policy_is_refused_before_parsing() -> None:
    line, text = only_problem("#" * (pol.MAX_SOURCE_CHARS + 1))
    assert line == 1 and "longer than" in text


# --- the shipped policy --------------------------------------------------------------------


def test_the_default_policy_parses() -> None:
    parsed = pol.parse(DEFAULT.read_text())
    assert parsed.name == "Value-based price policy (ValueScout default)"
    assert [r.id for r in parsed.rules][:2] == ["beyond-any-discount", "margin-below-threshold"]
    assert parsed.otherwise == Outcome(Action.ROUTE, (ApproverRole.PRICE_DESK,))


def test_the_example_policy_is_the_default_policy() -> None:
    assert (ROOT / "examples" / "price-policy.yaml").read_text() == DEFAULT.read_text()


def test_the_migration_seeds_the_default_policy() -> None:
    (path,) = (ROOT / "src" / "valuescout" / "migrations" / "versions").glob("*0005_price_desk.py")
    spec = importlib.util.spec_from_file_location("migration_0005", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert DEFAULT.read_text() == module.DEFAULT_POLICY


# --- evaluation semantics ------------------------------------------------------------------


def decide(when: str, evidence: dict[str, Any]) -> str | None:
    """The fired rule's id ("r") when the condition holds, else None."""
    source = (
        f"name: t\nrules:\n  - id: r\n    when: {when}\n    then: approve\notherwise: approve\n"
    )
    return pol.evaluate(pol.parse(source), evidence).fired_rule


@pytest.mark.parametrize(
    "when", ["{discount: {lt: 1}}", "{discount: {gt: -1}}", "{discount: {ne: 0.2}}"]
)
def test_an_unknown_value_satisfies_no_comparison(when: str) -> None:
    assert decide(when, {"discount": None}) is None
    assert decide(when, {}) is None


@pytest.mark.parametrize(
    "when",
    [
        "{margin_after: {in: [0.1, 0.2]}}",
        "{margin_after: {not_in: [0.1, 0.2]}}",
        "{margin_after: 0.1}",
        "{corridor_zone: {ne: below_floor}}",
        "{has_value_case: false}",
    ],
)
def test_an_unknown_value_satisfies_no_membership_or_equality(when: str) -> None:
    assert decide(when, {"margin_after": None, "corridor_zone": None}) is None


def test_missing_true_holds_only_for_unknown_values() -> None:
    assert decide("{margin_after: {missing: true}}", {"margin_after": None}) == "r"
    assert decide("{margin_after: {missing: true}}", {"margin_after": Decimal("0.2")}) is None
    assert decide("{margin_after: {missing: false}}", {"margin_after": Decimal("0.2")}) == "r"
    assert decide("{margin_after: {missing: false}}", {"margin_after": None}) is None


@pytest.mark.parametrize(
    ("op", "threshold", "holds_for"),
    [
        ("lt", "0.2", {"0.1"}),
        ("le", "0.2", {"0.1", "0.2"}),
        ("gt", "0.2", {"0.3"}),
        ("ge", "0.2", {"0.2", "0.3"}),
        ("eq", "0.2", {"0.2"}),
        ("ne", "0.2", {"0.1", "0.3"}),
    ],
)
def test_comparisons(op: str, threshold: str, holds_for: set[str]) -> None:
    for actual in ("0.1", "0.2", "0.3"):
        fired = decide(f"{{discount: {{{op}: {threshold}}}}}", {"discount": Decimal(actual)})
        assert (fired == "r") == (actual in holds_for), (op, actual)


def test_numbers_compare_by_value_not_text() -> None:
    assert decide("{discount: {eq: 0.20}}", {"discount": Decimal("0.2000")}) == "r"
    assert decide("{comparable_deals: 3}", {"comparable_deals": Decimal(3)}) == "r"
    assert decide("{discount_amount: {ge: 1_000}}", {"discount_amount": Decimal("1000")}) == "r"


def test_in_and_not_in() -> None:
    when_in = "{size_band: {in: [under_10k, 10k_50k]}}"
    when_not_in = "{size_band: {not_in: [under_10k, 10k_50k]}}"
    assert decide(when_in, {"size_band": "10k_50k"}) == "r"
    assert decide(when_in, {"size_band": "1m_plus"}) is None
    assert decide(when_not_in, {"size_band": "1m_plus"}) == "r"
    assert decide(when_not_in, {"size_band": "under_10k"}) is None
    assert decide("{discount: {in: [0.1, 0.2]}}", {"discount": Decimal("0.20")}) == "r"


def test_a_scalar_means_equal() -> None:
    parsed = pol.parse(
        "name: t\nrules:\n  - id: r\n    when: {corridor_zone: below_floor, "
        "has_value_case: true, segment: Retail}\n    then: approve\notherwise: approve\n"
    )
    assert parsed.rules[0].conditions == (
        Condition("corridor_zone", "eq", "below_floor"),
        Condition("has_value_case", "eq", True),
        Condition("segment", "eq", "Retail"),
    )
    ok = {"corridor_zone": "below_floor", "has_value_case": True, "segment": "Retail"}
    assert pol.evaluate(parsed, ok).fired_rule == "r"
    assert pol.evaluate(parsed, {**ok, "segment": "retail"}).fired_rule is None
    assert pol.evaluate(parsed, {**ok, "has_value_case": False}).fired_rule is None


def test_all_conditions_of_a_rule_must_hold() -> None:
    when = "{discount: {gt: 0.1, lt: 0.3}, margin_after: {ge: 0.2}}"
    assert decide(when, {"discount": Decimal("0.2"), "margin_after": Decimal("0.2")}) == "r"
    assert decide(when, {"discount": Decimal("0.3"), "margin_after": Decimal("0.2")}) is None
    assert decide(when, {"discount": Decimal("0.2"), "margin_after": None}) is None


def test_an_empty_when_always_matches() -> None:
    assert decide("{}", {}) == "r"


def test_the_decision_json_keeps_the_trace_and_values_as_text() -> None:
    parsed = pol.parse(VALID)
    decided = pol.evaluate(parsed, {"discount": Decimal("0.35")}).as_json()
    assert decided["action"] == "reject" and decided["fired_rule"] == "big"
    assert decided["reason"] == "Too much."
    assert decided["trace"] == [
        {
            "rule_id": "big",
            "description": "",
            "fired": True,
            "conditions": [
                {
                    "condition": "discount gt 0.3",
                    "field": "discount",
                    "actual": "0.35",
                    "holds": True,
                }
            ],
        }
    ]
    otherwise = pol.evaluate(parsed, {"discount": Decimal("0.1")}).as_json()
    assert otherwise["fired_rule"] is None
    assert otherwise["action"] == "route" and otherwise["route"] == ["price_desk"]


# --- properties: order, first match, trace -------------------------------------------------

NUMBER_FIELDS = ("discount", "margin_after", "confirmed_share")
ZONES = FIELDS["corridor_zone"].choices
LEVELS = [Decimal(n) / 10 for n in range(0, 11)]


def _oracle_holds(op: str, value: Any, actual: Any) -> bool:
    """An independent statement of the semantics the policy promises."""
    if op == "missing":
        return (actual is None) is value
    if actual is None:
        return False
    if op == "eq":
        return bool(actual == value)
    if op == "ne":
        return bool(actual != value)
    if op in ("in", "not_in"):
        return (actual in value) == (op == "in")
    ordered = {"lt": (-1,), "le": (-1, 0), "gt": (1,), "ge": (1, 0)}[op]
    return (actual > value) - (actual < value) in ordered


def _matches(rule: Rule, evidence: dict[str, Any]) -> bool:
    return all(_oracle_holds(c.op, c.value, evidence.get(c.field)) for c in rule.conditions)


number_conditions = st.builds(
    Condition,
    field=st.sampled_from(NUMBER_FIELDS),
    op=st.sampled_from(("eq", "ne", "lt", "le", "gt", "ge")),
    value=st.sampled_from(LEVELS),
)
zone_conditions = st.one_of(
    st.builds(
        Condition, field=st.just("corridor_zone"), op=st.just("eq"), value=st.sampled_from(ZONES)
    ),
    st.builds(
        Condition,
        field=st.just("corridor_zone"),
        op=st.sampled_from(("in", "not_in")),
        value=st.lists(st.sampled_from(ZONES), min_size=1, max_size=3, unique=True).map(tuple),
    ),
)
missing_conditions = st.builds(
    Condition,
    field=st.sampled_from((*NUMBER_FIELDS, "corridor_zone")),
    op=st.just("missing"),
    value=st.booleans(),
)
conditions = st.one_of(number_conditions, zone_conditions, missing_conditions)
outcomes = st.one_of(
    st.just(Outcome(Action.APPROVE)),
    st.builds(lambda r: Outcome(Action.REJECT, reason=r), st.sampled_from(("no", "never"))),
    st.lists(st.sampled_from(list(ApproverRole)), min_size=1, max_size=3, unique=True).map(
        lambda roles: Outcome(Action.ROUTE, tuple(roles))
    ),
)


@st.composite
def rule_lists(draw: st.DrawFn, min_size: int = 0, max_size: int = 6) -> list[Rule]:
    count = draw(st.integers(min_size, max_size))
    return [
        Rule(
            id=f"rule-{i}",
            description="",
            conditions=tuple(draw(st.lists(conditions, max_size=3))),
            outcome=draw(outcomes),
            line=i + 1,
        )
        for i in range(count)
    ]


evidences = st.fixed_dictionaries(
    {
        **{f: st.one_of(st.none(), st.sampled_from(LEVELS)) for f in NUMBER_FIELDS},
        "corridor_zone": st.one_of(st.none(), st.sampled_from(ZONES)),
    }
)
OTHERWISE = Outcome(Action.ROUTE, (ApproverRole.EXECUTIVE, ApproverRole.PRICE_DESK))


@given(rule_lists(), evidences)
def test_the_first_matching_rule_decides(rules: list[Rule], evidence: dict[str, Any]) -> None:
    decision = pol.evaluate(Policy("p", tuple(rules), OTHERWISE), evidence)
    matching = [r for r in rules if _matches(r, evidence)]
    if matching:
        assert decision.fired_rule == matching[0].id
        assert decision.outcome == matching[0].outcome
    else:
        assert decision.fired_rule is None
        assert decision.outcome == OTHERWISE


@given(rule_lists(), evidences)
def test_the_trace_lists_the_rules_up_to_the_one_that_fired(
    rules: list[Rule], evidence: dict[str, Any]
) -> None:
    decision = pol.evaluate(Policy("p", tuple(rules), OTHERWISE), evidence)
    ids = [t.rule_id for t in decision.trace]
    if decision.fired_rule is None:
        assert ids == [r.id for r in rules]
        assert not any(t.fired for t in decision.trace)
    else:
        end = ids.index(decision.fired_rule)
        assert ids == [r.id for r in rules][: end + 1]
        assert [t.fired for t in decision.trace] == [False] * end + [True]
    for entry, rule in zip(decision.trace, rules, strict=False):
        assert [c.field for c in entry.conditions] == [c.field for c in rule.conditions]
        assert [c.holds for c in entry.conditions] == [
            _oracle_holds(c.op, c.value, evidence.get(c.field)) for c in rule.conditions
        ]
        assert [c.actual for c in entry.conditions] == [
            evidence.get(c.field) for c in rule.conditions
        ]


@given(rule_lists(min_size=2, max_size=2), evidences)
def test_swapping_two_rules_changes_the_decision_exactly_when_both_match(
    rules: list[Rule], evidence: dict[str, Any]
) -> None:
    first, second = rules
    if first.outcome == second.outcome:
        second = Rule(
            second.id,
            "",
            second.conditions,
            Outcome(Action.REJECT, reason="different from " + repr(first.outcome)),
            2,
        )
    forward = pol.evaluate(Policy("p", (first, second), OTHERWISE), evidence)
    backward = pol.evaluate(Policy("p", (second, first), OTHERWISE), evidence)
    both = _matches(first, evidence) and _matches(second, evidence)
    assert (forward.outcome != backward.outcome) == both
    assert (forward.fired_rule != backward.fired_rule) == both


# A rule that cannot match anything: a value that is both missing and above zero.
NEVER = (Condition("discount", "missing", True), Condition("discount", "gt", Decimal(0)))


@given(rule_lists(), evidences, st.integers(0, 6), st.sampled_from(["never-a", "never-b"]))
def test_adding_a_rule_that_never_matches_decides_the_same(
    rules: list[Rule], evidence: dict[str, Any], at: int, name: str
) -> None:
    never = Rule(name, "", NEVER, Outcome(Action.REJECT, reason="never"), 99)
    widened = [*rules[:at], never, *rules[at:]]
    before = pol.evaluate(Policy("p", tuple(rules), OTHERWISE), evidence)
    after = pol.evaluate(Policy("p", tuple(widened), OTHERWISE), evidence)
    assert after.outcome == before.outcome
    assert after.fired_rule == before.fired_rule
    tried = [t.rule_id for t in after.trace]
    assert (name in tried) == (before.fired_rule is None or at <= len(before.trace) - 1)


@given(rule_lists(max_size=4))
def test_a_policy_written_as_yaml_parses_to_the_same_rules(rules: list[Rule]) -> None:
    """The generated rules survive the trip through their YAML text."""
    lines = ["name: generated", "rules:" if rules else "rules: []"]
    for rule in rules:
        lines += [f"  - id: {rule.id}", "    when:"]
        by_field: dict[str, list[Condition]] = {}
        for c in rule.conditions:
            by_field.setdefault(c.field, []).append(c)
        if not rule.conditions:
            lines[-1] += " {}"
        for fld, conds in by_field.items():
            ops = {c.op: c for c in conds}  # a mapping keeps one value per operator
            lines.append(f"      {fld}: {{{', '.join(_yaml_op(c) for c in ops.values())}}}")
        lines.append(f"    then: {_yaml_outcome(rule.outcome)}")
    lines.append(f"otherwise: {_yaml_outcome(OTHERWISE)}")
    parsed = pol.parse("\n".join(lines) + "\n")
    assert [r.id for r in parsed.rules] == [r.id for r in rules]
    for got, rule in zip(parsed.rules, rules, strict=True):
        expected = {(c.field, c.op): c for c in rule.conditions}
        assert {(c.field, c.op): c for c in got.conditions} == expected
        assert got.outcome == rule.outcome
    assert parsed.otherwise == OTHERWISE


def _yaml_op(c: Condition) -> str:
    if isinstance(c.value, tuple):
        return f"{c.op}: [{', '.join(str(v) for v in c.value)}]"
    if isinstance(c.value, bool):
        return f"{c.op}: {str(c.value).lower()}"
    return f"{c.op}: {c.value}"


def _yaml_outcome(outcome: Outcome) -> str:
    if outcome.action == Action.APPROVE:
        return "approve"
    if outcome.action == Action.REJECT:
        return f"{{reject: {outcome.reason}}}"
    return f"{{route: [{', '.join(r.value for r in outcome.route)}]}}"
