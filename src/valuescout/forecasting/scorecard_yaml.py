"""Reading a scorecard from YAML, every problem named with its line (the format is described
in `scorecard.py` and shown in `default_scorecard.yaml`)."""

from __future__ import annotations

import math
import re

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from valuescout.core.yamlnodes import (
    LinedProblems,
    NodeParser,
    YamlSyntax,
    compose,
    line_of,
    text_of,
)
from valuescout.forecasting.scorecard_rules import (
    COUNT_SIGNALS,
    DEFAULT_BANDS,
    FLAG_SIGNALS,
    MAX_TOTAL,
    MEETINGS_WINDOW_DAYS,
    RECENCY_SIGNALS,
    VALUE_FEATURES,
    CategoryRule,
    CountSignal,
    EngagementRule,
    FitRule,
    FlagRule,
    FlagSignal,
    RecencySignal,
    Scorecard,
    Threshold,
    ThresholdRule,
    ValueFeature,
)

MAX_SOURCE_CHARS = 100_000
MAX_FIT_RULES = 100
MAX_CATEGORIES = 200
MAX_THRESHOLDS = 20
MAX_WINDOW_DAYS = 3650

_TOP = {"name", "description", "bands", "fit", "engagement", "value"}
_FIELD_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]{0,99}$")
# Account columns that say who the account is, not how well it fits: never scored.
NOT_PROFILE_FACTS = {
    "id",
    "external_id",
    "name",
    "name_key",
    "owner_id",
    "attributes",
    "created_at",
    "updated_at",
}


class ScorecardError(LinedProblems):
    """An invalid scorecard: every problem with its line (1-based)."""

    def __init__(self, problems: list[tuple[int, str]], source: str = "scorecard") -> None:
        super().__init__(problems, source)


def parse_scorecard(source: str, name: str = "scorecard") -> Scorecard:
    """A scorecard from its YAML text, or ScorecardError naming every problem and its line."""
    if len(source) > MAX_SOURCE_CHARS:
        raise ScorecardError([(1, f"longer than {MAX_SOURCE_CHARS:,} characters")], name)
    try:
        root = compose(source)
    except YamlSyntax as exc:
        raise ScorecardError([(exc.line, exc.problem)], name) from None
    parser = _Parser()
    card = parser.scorecard(root, name)
    if parser.problems or card is None:
        raise ScorecardError(parser.problems, name)
    return card


class _Parser(NodeParser):
    def number(self, node: Node, what: str, *, most: float | None = None) -> float | None:
        """A finite number of at least 0 (and at most `most`), or a problem."""
        raw = text_of(node)
        try:
            value = float(raw.replace("_", "")) if raw is not None else math.nan
        except ValueError:
            value = math.nan
        if not isinstance(node, ScalarNode) or not math.isfinite(value):
            self.fail(node, f"{what} must be a number, not {raw or 'a list or mapping'!r}")
            return None
        if value < 0:
            self.fail(node, f"{what} must not be negative ({raw}): points only add")
            return None
        if most is not None and value > most:
            self.fail(node, f"{what} must be at most {most:g}, not {raw}")
            return None
        return value

    def points(self, node: Node, what: str) -> float:
        return self.number(node, f"points of {what}", most=MAX_TOTAL) or 0.0

    def days(self, node: Node, what: str) -> int:
        raw = text_of(node)
        if raw is None or not raw.isdigit() or not 1 <= int(raw) <= MAX_WINDOW_DAYS:
            self.fail(node, f"{what} must be a whole number of days from 1 to {MAX_WINDOW_DAYS}")
            return 1
        return int(raw)

    def text(self, node: Node, what: str, limit: int) -> str:
        value = text_of(node)
        if value is None or len(value) > limit:
            self.fail(node, f"`{what}` must be a text of 1 to {limit} characters")
            return ""
        return value

    def scorecard(self, root: Node | None, name: str) -> Scorecard | None:
        if not isinstance(root, MappingNode):
            where = 1 if root is None else line_of(root)
            self.problems.append((where, "a scorecard is a mapping with `fit` and `engagement`"))
            return None
        top = self.mapping(root, _TOP, "the scorecard")
        for section in ("fit", "engagement"):
            if section not in top:
                self.fail(root, f"the `{section}` section is missing")
        return Scorecard(
            name=self.text(top["name"], "name", 200) if "name" in top else name,
            description=(
                self.text(top["description"], "description", 2000) if "description" in top else ""
            ),
            fit=self.fit(top["fit"]) if "fit" in top else (),
            engagement=self.engagement(top["engagement"]) if "engagement" in top else (),
            value=self.value(top["value"]) if "value" in top else (),
            bands=self.bands(top["bands"]) if "bands" in top else DEFAULT_BANDS,
        )

    # --- fit ----------------------------------------------------------------------------------

    def fit(self, node: Node) -> tuple[FitRule, ...]:
        if not isinstance(node, MappingNode) or not node.value:
            self.fail(node, "`fit` must be a mapping of account fields to their points")
            return ()
        if len(node.value) > MAX_FIT_RULES:
            self.fail(node, f"`fit` has more than {MAX_FIT_RULES} rules")
            return ()
        rules: list[FitRule] = []
        seen: set[str] = set()
        for key_node, rule_node in node.value:
            field = text_of(key_node)
            if field is None or not _FIELD_NAME.match(field):
                self.fail(key_node, f"{field!r} is not a field name (letters, digits, _ and -)")
                continue
            if field in NOT_PROFILE_FACTS:
                self.fail(key_node, f"unknown field {field!r}: it names the account, not its fit")
                continue
            if field in seen:
                self.fail(key_node, f"{field!r} is given twice in `fit`")
                continue
            seen.add(field)
            rule = self.fit_rule(field, rule_node)
            if rule is not None:
                rules.append(rule)
        return tuple(rules)

    def fit_rule(self, field: str, node: Node) -> FitRule | None:
        if isinstance(node, ScalarNode):
            return FlagRule(field, self.points(node, field))
        if isinstance(node, SequenceNode):
            return self.thresholds(field, node)
        if isinstance(node, MappingNode):
            return self.categories(field, node)
        self.fail(node, f"`{field}` must be points, a mapping of values or a list of thresholds")
        return None

    def categories(self, field: str, node: MappingNode) -> CategoryRule | None:
        labels = [text_of(k) for k, _ in node.value]
        if labels and set(labels) <= {"at_least", "points"}:
            self.fail(node, f"`{field}`: thresholds go in a list: [{{at_least: 1, points: 5}}]")
            return None
        if not node.value or len(node.value) > MAX_CATEGORIES:
            self.fail(node, f"`{field}` must list 1 to {MAX_CATEGORIES} values with their points")
            return None
        points: list[tuple[str, float]] = []
        seen: set[str] = set()
        for (key_node, value_node), label in zip(node.value, labels, strict=True):
            if label is None:
                self.fail(key_node, f"`{field}`: a value must be a text, not {key_node.value!r}")
            elif label.casefold() in seen:
                self.fail(key_node, f"`{field}`: {label!r} is given twice (case does not count)")
            else:
                seen.add(label.casefold())
                points.append((label, self.points(value_node, f"{field}: {label}")))
        return CategoryRule(field, tuple(points))

    def thresholds(self, field: str, node: SequenceNode) -> ThresholdRule | None:
        if not node.value or len(node.value) > MAX_THRESHOLDS:
            self.fail(node, f"`{field}` must list 1 to {MAX_THRESHOLDS} thresholds")
            return None
        steps: list[Threshold] = []
        for item in node.value:
            parts = self.mapping(item, {"at_least", "points"}, f"a threshold of `{field}`")
            if not isinstance(item, MappingNode):
                continue
            for key in ("at_least", "points"):
                if key not in parts:
                    self.fail(item, f"a threshold of `{field}` needs `{key}`")
            if "at_least" not in parts or "points" not in parts:
                continue
            at_least = self.signed(parts["at_least"], f"`at_least` of `{field}`")
            points = self.points(parts["points"], field)
            if at_least is None:
                continue
            if steps and at_least >= steps[-1].at_least:
                self.fail(
                    parts["at_least"],
                    f"`{field}`: list thresholds from the highest down "
                    f"({at_least:g} is not below {steps[-1].at_least:g})",
                )
                continue
            steps.append(Threshold(at_least, points))
        return ThresholdRule(field, tuple(steps)) if steps else None

    def signed(self, node: Node, what: str) -> float | None:
        raw = text_of(node)
        try:
            value = float(raw.replace("_", "")) if raw is not None else math.nan
        except ValueError:
            value = math.nan
        if not isinstance(node, ScalarNode) or not math.isfinite(value):
            self.fail(node, f"{what} must be a number, not {raw or 'a list or mapping'!r}")
            return None
        return value

    # --- engagement ---------------------------------------------------------------------------

    def engagement(self, node: Node) -> tuple[EngagementRule, ...]:
        known = set(FLAG_SIGNALS) | set(COUNT_SIGNALS) | set(RECENCY_SIGNALS)
        signals = self.mapping(node, known, "`engagement` (signals)")
        if isinstance(node, MappingNode) and not node.value:
            self.fail(node, "`engagement` names no signal")
        rules: list[EngagementRule] = []
        for signal, spec in signals.items():
            if signal in FLAG_SIGNALS:
                rules.append(FlagSignal(signal, self.points(spec, signal)))
            elif signal in COUNT_SIGNALS:
                rule = self.count_signal(signal, spec)
                if rule is not None:
                    rules.append(rule)
            else:
                parts = self.mapping(spec, {"points", "within_days"}, f"`{signal}`")
                if self.has_all(spec, parts, ("points", "within_days"), signal):
                    points = self.points(parts["points"], signal)
                    days = self.days(parts["within_days"], f"`{signal}.within_days`")
                    rules.append(RecencySignal(signal, points, days))
        return tuple(rules)

    def count_signal(self, signal: str, node: Node) -> CountSignal | None:
        allowed = {"each", "max"} | ({"within_days"} if signal == "meetings" else set())
        parts = self.mapping(node, allowed, f"`{signal}`")
        if not self.has_all(node, parts, ("each", "max"), signal):
            return None
        each = self.points(parts["each"], f"{signal}.each")
        most = self.points(parts["max"], f"{signal}.max")
        if most < each:
            self.fail(parts["max"], f"`{signal}.max` {most:g} is below `each` {each:g}")
        window = None
        if signal == "meetings":
            window = MEETINGS_WINDOW_DAYS
            if "within_days" in parts:
                window = self.days(parts["within_days"], "`meetings.within_days`")
        return CountSignal(signal, each, most, window)

    def has_all(self, node: Node, parts: dict[str, Node], keys: tuple[str, ...], what: str) -> bool:
        if not isinstance(node, MappingNode):
            return False
        missing = [k for k in keys if k not in parts]
        for key in missing:
            self.fail(node, f"`{what}` needs `{key}`")
        return not missing

    # --- value and bands ----------------------------------------------------------------------

    def value(self, node: Node) -> tuple[ValueFeature, ...]:
        features = self.mapping(node, set(VALUE_FEATURES), "`value` (features)")
        out: list[ValueFeature] = []
        for feature, spec in features.items():
            parts = self.mapping(spec, {"min", "max"}, f"`{feature}`")
            if not self.has_all(spec, parts, ("min", "max"), feature):
                continue
            low = self.signed(parts["min"], f"`{feature}.min`")
            high = self.signed(parts["max"], f"`{feature}.max`")
            if low is None or high is None:
                continue
            if high <= low:
                self.fail(parts["max"], f"`{feature}.max` {high:g} must be above `min` {low:g}")
            elif feature == "confirmed_share" and (low < 0 or high > 1):
                self.fail(spec, "`confirmed_share` is a share: clip it within 0 and 1")
            else:
                out.append(ValueFeature(feature, low, high))
        return tuple(out)

    def bands(self, node: Node) -> tuple[float, float, float]:
        parts = self.mapping(node, {"A", "B", "C"}, "`bands`")
        if not self.has_all(node, parts, ("A", "B", "C"), "bands"):
            return DEFAULT_BANDS
        values = [self.number(parts[k], f"band {k}", most=MAX_TOTAL) for k in ("A", "B", "C")]
        if values[0] is None or values[1] is None or values[2] is None:
            return DEFAULT_BANDS
        a, b, c = values[0], values[1], values[2]
        if not a > b > c > 0:
            self.fail(node, f"bands must fall from A to C and stay above 0: {a:g}, {b:g}, {c:g}")
            return DEFAULT_BANDS
        return (a, b, c)
