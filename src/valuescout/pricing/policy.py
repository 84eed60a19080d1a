"""The written price policy: parse and validate its YAML, and evaluate it over evidence.

Pure: no database. A policy is an ordered list of rules; each rule has conditions over the
evidence fields (all must hold) and an action: approve, route to approver roles (one step or
a chain, in order), or reject with a reason. The first rule whose conditions all hold decides;
`otherwise` decides when none does. Every evaluation returns its trace: the rules evaluated,
each condition with the value used, and which rule fired.

A condition whose evidence value is unknown (None) never holds, except `missing: true`; so
"margin below 15%" does not fire for a deal whose cost is unknown unless a rule asks for it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from valuescout.core.yamlnodes import NodeParser, line_of
from valuescout.pricing.fields import FIELDS, FieldKind


class Action(StrEnum):
    APPROVE = "approve"
    ROUTE = "route"
    REJECT = "reject"


class ApproverRole(StrEnum):
    MANAGER = "manager"  # a manager whose team subtree holds the requester
    PRICE_DESK = "price_desk"
    EXECUTIVE = "executive"


OPERATORS = ("eq", "ne", "lt", "le", "gt", "ge", "in", "not_in", "missing")
_ORDERED = {"lt", "le", "gt", "ge"}
MAX_RULES = 200
MAX_SOURCE_CHARS = 100_000


class PolicyError(ValueError):
    """An invalid policy: every problem with its line (1-based) and reason."""

    def __init__(self, problems: list[tuple[int, str]]) -> None:
        self.problems = sorted(problems)
        super().__init__("; ".join(f"line {n}: {text}" for n, text in self.problems))


@dataclass(frozen=True)
class Condition:
    field: str
    op: str
    value: Any  # Decimal, str, bool, tuple of those; True for `missing`

    def holds(self, actual: Any) -> bool:
        if self.op == "missing":
            return (actual is None) == bool(self.value)
        if actual is None:
            return False
        if self.op == "eq":
            return bool(actual == self.value)
        if self.op == "ne":
            return bool(actual != self.value)
        if self.op == "in":
            return actual in self.value
        if self.op == "not_in":
            return actual not in self.value
        return bool(
            {
                "lt": actual < self.value,
                "le": actual <= self.value,
                "gt": actual > self.value,
                "ge": actual >= self.value,
            }[self.op]
        )

    def describe(self) -> str:
        value = self.value
        if isinstance(value, tuple):
            value = "[" + ", ".join(str(v) for v in value) + "]"
        return f"{self.field} {self.op} {value}"


@dataclass(frozen=True)
class Outcome:
    action: Action
    route: tuple[ApproverRole, ...] = ()
    reason: str = ""


@dataclass(frozen=True)
class Rule:
    id: str
    description: str
    conditions: tuple[Condition, ...]
    outcome: Outcome
    line: int


@dataclass(frozen=True)
class Policy:
    name: str
    rules: tuple[Rule, ...]
    otherwise: Outcome


@dataclass(frozen=True)
class ConditionTrace:
    condition: str
    field: str
    actual: Any
    holds: bool


@dataclass(frozen=True)
class RuleTrace:
    rule_id: str
    description: str
    fired: bool
    conditions: list[ConditionTrace]


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    fired_rule: str | None  # None: no rule matched, `otherwise` decided
    trace: list[RuleTrace] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "action": self.outcome.action.value,
            "route": [r.value for r in self.outcome.route],
            "reason": self.outcome.reason,
            "fired_rule": self.fired_rule,
            "trace": [
                {
                    "rule_id": t.rule_id,
                    "description": t.description,
                    "fired": t.fired,
                    "conditions": [
                        {
                            "condition": c.condition,
                            "field": c.field,
                            "actual": _jsonable(c.actual),
                            "holds": c.holds,
                        }
                        for c in t.conditions
                    ],
                }
                for t in self.trace
            ],
        }


def _jsonable(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def evaluate(policy: Policy, evidence: Mapping[str, Any]) -> Decision:
    """The first rule whose conditions all hold decides; the trace lists every rule tried."""
    trace: list[RuleTrace] = []
    for rule in policy.rules:
        checks = []
        for condition in rule.conditions:
            actual = evidence.get(condition.field)
            checks.append(
                ConditionTrace(
                    condition.describe(), condition.field, actual, condition.holds(actual)
                )
            )
        fired = all(c.holds for c in checks)
        trace.append(RuleTrace(rule.id, rule.description, fired, checks))
        if fired:
            return Decision(rule.outcome, rule.id, trace)
    return Decision(policy.otherwise, None, trace)


# --- parsing ------------------------------------------------------------------------------


def parse(source: str) -> Policy:
    """A policy from its YAML text, or PolicyError naming every problem and its line."""
    if len(source) > MAX_SOURCE_CHARS:
        raise PolicyError([(1, f"the policy is longer than {MAX_SOURCE_CHARS:,} characters")])
    try:
        root = yaml.compose(source, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc)
        raise PolicyError([(line, f"not valid YAML: {problem}")]) from None
    return _Parser().policy(root)


class _Parser(NodeParser):
    def policy(self, root: Node | None) -> Policy:
        if not isinstance(root, MappingNode):
            raise PolicyError([(1 if root is None else line_of(root), _TOP)])
        top = self.mapping(root, {"name", "rules", "otherwise"}, "the policy")
        name = self.text(top.get("name"), "name", required=True, limit=200)
        if "name" not in top:
            self.fail(root, "`name` is missing: give the policy a name")
        rules_node = top.get("rules")
        rules: list[Rule] = []
        if not isinstance(rules_node, SequenceNode):
            self.fail(rules_node or root, "`rules` must be a list of rules")
        elif len(rules_node.value) > MAX_RULES:
            self.fail(rules_node, f"at most {MAX_RULES} rules")
        else:
            rules = [r for r in (self.rule(n) for n in rules_node.value) if r is not None]
            seen: dict[str, int] = {}
            for rule in rules:
                if rule.id in seen:
                    self.problems.append(
                        (
                            rule.line,
                            f"rule id {rule.id!r} is used twice (first on line {seen[rule.id]})",
                        )
                    )
                seen.setdefault(rule.id, rule.line)
        otherwise_node = top.get("otherwise")
        otherwise = Outcome(Action.ROUTE, (ApproverRole.PRICE_DESK,))
        if otherwise_node is None:
            self.fail(root, "`otherwise` is missing: say what happens when no rule matches")
        else:
            otherwise = self.outcome(otherwise_node) or otherwise
        if self.problems:
            raise PolicyError(self.problems)
        return Policy(name=name, rules=tuple(rules), otherwise=otherwise)

    def text(self, node: Node | None, what: str, *, required: bool, limit: int) -> str:
        if node is None:
            return ""
        if not isinstance(node, ScalarNode) or not str(node.value).strip():
            self.fail(node, f"`{what}` must be a non-empty text")
            return ""
        value = str(node.value).strip()
        if len(value) > limit:
            self.fail(node, f"`{what}` is longer than {limit} characters")
        return value

    def rule(self, node: Node) -> Rule | None:
        parts = self.mapping(node, {"id", "description", "when", "then"}, "a rule")
        if not isinstance(node, MappingNode):
            return None
        before = len(self.problems)
        rule_id = self.text(parts.get("id"), "id", required=True, limit=80)
        if "id" not in parts:
            self.fail(node, "a rule needs an `id`")
        description = self.text(parts.get("description"), "description", required=False, limit=500)
        conditions: list[Condition] = []
        when = parts.get("when")
        if when is None:
            self.fail(node, "a rule needs `when` (use `when: {}` for a rule that always matches)")
        elif isinstance(when, MappingNode):
            for key_node, value_node in when.value:
                conditions.extend(self.conditions(key_node, value_node))
        else:
            self.fail(when, "`when` must map evidence fields to conditions")
        then = parts.get("then")
        outcome = None
        if then is None:
            self.fail(node, "a rule needs `then`: approve, route or reject")
        else:
            outcome = self.outcome(then)
        if len(self.problems) > before or outcome is None:
            return None
        return Rule(rule_id, description, tuple(conditions), outcome, line_of(node))

    def conditions(self, key_node: Node, value_node: Node) -> list[Condition]:
        name = key_node.value if isinstance(key_node, ScalarNode) else None
        spec = FIELDS.get(str(name))
        if spec is None:
            self.fail(key_node, f"unknown evidence field {name!r} (see the policy guide)")
            return []
        if not isinstance(value_node, MappingNode):  # `field: value` means eq
            value = self.value(value_node, spec.kind, spec.choices, str(name))
            return [] if value is _BAD else [Condition(str(name), "eq", value)]
        out = []
        for op_node, operand in value_node.value:
            op = op_node.value if isinstance(op_node, ScalarNode) else None
            if op not in OPERATORS:
                self.fail(op_node, f"unknown operator {op!r} (known: {', '.join(OPERATORS)})")
                continue
            if op in _ORDERED and spec.kind not in (FieldKind.NUMBER, FieldKind.MONEY):
                self.fail(op_node, f"{name} is not a number; `{op}` needs one")
                continue
            if op == "missing":
                value = self.value(operand, FieldKind.BOOL, (), "missing")
            elif op in ("in", "not_in"):
                value = self.list_value(operand, spec.kind, spec.choices, str(name))
            else:
                value = self.value(operand, spec.kind, spec.choices, str(name))
            if value is not _BAD:
                out.append(Condition(str(name), str(op), value))
        return out

    def list_value(self, node: Node, kind: FieldKind, choices: tuple[str, ...], name: str) -> Any:
        if not isinstance(node, SequenceNode) or not node.value:
            self.fail(node, f"`in` and `not_in` need a non-empty list for {name}")
            return _BAD
        values = [self.value(item, kind, choices, name) for item in node.value]
        return _BAD if any(v is _BAD for v in values) else tuple(values)

    def value(self, node: Node, kind: FieldKind, choices: tuple[str, ...], name: str) -> Any:
        if not isinstance(node, ScalarNode):
            self.fail(node, f"{name} needs a single value here")
            return _BAD
        raw = str(node.value).strip()
        if kind == FieldKind.BOOL:
            if raw.lower() in ("true", "yes"):
                return True
            if raw.lower() in ("false", "no"):
                return False
            self.fail(node, f"{name} is true or false, not {raw!r}")
            return _BAD
        if kind in (FieldKind.NUMBER, FieldKind.MONEY):
            try:
                number = Decimal(raw.replace("_", ""))
            except InvalidOperation:
                number = None
            if number is None or not number.is_finite():
                self.fail(node, f"{name} is a number, not {raw!r}")
                return _BAD
            return number
        if choices and raw not in choices:
            self.fail(node, f"{name} is one of {', '.join(choices)}; {raw!r} is not")
            return _BAD
        return raw

    def outcome(self, node: Node) -> Outcome | None:
        if isinstance(node, ScalarNode) and node.value == "approve":
            return Outcome(Action.APPROVE)
        parts = self.mapping(node, {"approve", "route", "reject"}, "`then`")
        if len(parts) != 1:
            if isinstance(node, MappingNode):
                self.fail(node, "`then` takes exactly one of approve, route, reject")
            return None
        ((key, value),) = parts.items()
        if key == "approve":
            return Outcome(Action.APPROVE)
        if key == "reject":
            reason = self.text(value, "reject", required=True, limit=500)
            return Outcome(Action.REJECT, reason=reason) if reason else None
        steps = value.value if isinstance(value, SequenceNode) else [value]
        roles: list[ApproverRole] = []
        for step in steps:
            raw = step.value if isinstance(step, ScalarNode) else None
            try:
                roles.append(ApproverRole(str(raw)))
            except ValueError:
                known = ", ".join(r.value for r in ApproverRole)
                self.fail(step, f"unknown approver {raw!r} (known: {known})")
                return None
        if not roles or len(roles) > 5:
            self.fail(value, "`route` names 1 to 5 approver steps")
            return None
        if len(set(roles)) != len(roles):
            self.fail(value, "an approver role appears twice in the chain")
            return None
        return Outcome(Action.ROUTE, tuple(roles))


_BAD = object()
_TOP = "the policy must be a mapping with `name`, `rules` and `otherwise`"
