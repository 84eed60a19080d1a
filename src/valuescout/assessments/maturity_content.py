"""The maturity assessment's content (domains, levels, indicators, answer scale, scoring rules)
read from a versioned YAML file in the package, and checked on load: unknown keys, repeated ids,
unknown levels or evidence names are refused with their line numbers.

Pure: no database. `load()` gives the newest version; `load(1)` a given one (a closed round keeps
the version it was answered in)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from importlib import resources

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from valuescout.core.yamlnodes import LinedProblems, NodeParser, YamlSyntax, compose, line_of

LEVELS = ("good", "great", "elite")  # above "average", in order
LEVEL_LABELS = {"average": "Average", "good": "Good", "great": "Great", "elite": "Elite"}
# The data-backed indicators evidence.py computes; content may name only these.
EVIDENCE_IDS = frozenset(
    {
        "discount_tracking",
        "call_planning",
        "confirmed_value_cases",
        "forecast_accuracy",
        "forecast_value_informed",
        "approvals_value_evidence",
    }
)
_PACKAGE = "valuescout.assessments"
_FOLDER = ("data", "maturity")


@dataclass(frozen=True)
class Scale:
    low: int
    high: int
    labels: dict[int, str]

    def label(self, answer: int) -> str:
        return self.labels.get(answer, str(answer))


@dataclass(frozen=True)
class Rules:
    """The stated thresholds of scoring (see maturity_scoring)."""

    met_at: Decimal
    level_share: Decimal
    min_answered_share: Decimal
    disagreement_spread: int
    evidence_counts: bool


@dataclass(frozen=True)
class Indicator:
    id: str
    domain: str
    level: str
    text: str
    world_class: bool
    evidence: str | None
    line: int


@dataclass(frozen=True)
class Domain:
    id: str
    title: str
    question: str
    indicators: tuple[Indicator, ...]

    def at(self, level: str) -> list[Indicator]:
        return [i for i in self.indicators if i.level == level]


@dataclass(frozen=True)
class Content:
    version: int
    title: str
    scale: Scale
    rules: Rules
    domains: tuple[Domain, ...]

    @property
    def indicators(self) -> dict[str, Indicator]:
        return {i.id: i for d in self.domains for i in d.indicators}

    def domain(self, domain_id: str) -> Domain | None:
        return next((d for d in self.domains if d.id == domain_id), None)


class ContentError(LinedProblems):
    """The content file is refused; every problem with its line."""


def parse(source: str, name: str = "maturity content") -> Content:
    """The content of a YAML text, or ContentError naming every problem and its line."""
    try:
        root = compose(source)
    except YamlSyntax as exc:
        raise ContentError([(exc.line, exc.problem)], name) from None
    parser = _Parser()
    content = parser.content(root)
    if parser.problems or content is None:
        raise ContentError(parser.problems or [(1, "empty file")], name)
    return content


def versions() -> list[int]:
    """The content versions shipped in the package, oldest first."""
    folder = resources.files(_PACKAGE).joinpath(*_FOLDER)
    names = [p.name for p in folder.iterdir() if p.name.startswith("v")]
    return sorted(int(n[1:].removesuffix(".yaml")) for n in names if n.endswith(".yaml"))


@lru_cache(maxsize=8)
def load(version: int | None = None) -> Content:
    """A shipped version (default: the newest)."""
    chosen = version if version is not None else versions()[-1]
    path = resources.files(_PACKAGE).joinpath(*_FOLDER, f"v{chosen}.yaml")
    if not path.is_file():
        raise ValueError(f"no maturity content version {chosen}")
    content = parse(path.read_text(encoding="utf-8"), f"maturity/v{chosen}.yaml")
    if content.version != chosen:
        raise ValueError(f"maturity/v{chosen}.yaml says version {content.version}")
    return content


class _Parser(NodeParser):
    def content(self, root: Node | None) -> Content | None:
        if not isinstance(root, MappingNode):
            self.problems.append((1 if root is None else line_of(root), "expected a mapping"))
            return None
        top = self.mapping(root, {"version", "title", "scale", "scoring", "domains"}, "the file")
        for key in ("version", "scale", "scoring", "domains"):
            if key not in top:
                self.fail(root, f"`{key}` is missing")
        version = self.integer(top.get("version"), "version", 1, 10_000) or 0
        title = self.text(top.get("title")) or "Maturity assessment"
        scale = self.scale(top["scale"]) if "scale" in top else None
        rules = self.rules(top["scoring"], scale) if "scoring" in top else None
        domains = self.domains(top["domains"]) if "domains" in top else ()
        if scale is None or rules is None or self.problems:
            return None
        return Content(version, title, scale, rules, domains)

    def text(self, node: Node | None, what: str = "text") -> str | None:
        if node is None:
            return None
        if not isinstance(node, ScalarNode) or not str(node.value).strip():
            self.fail(node, f"`{what}` must be a non-empty text")
            return None
        return str(node.value).strip()

    def integer(self, node: Node | None, what: str, low: int, high: int) -> int | None:
        if node is None:
            return None
        raw = node.value if isinstance(node, ScalarNode) else None
        if raw is None or not str(raw).lstrip("-").isdigit() or not low <= int(raw) <= high:
            self.fail(node, f"`{what}` must be a whole number from {low} to {high}")
            return None
        return int(raw)

    def ratio(self, node: Node, what: str) -> Decimal | None:
        raw = node.value if isinstance(node, ScalarNode) else None
        try:
            value = Decimal(str(raw))
        except (InvalidOperation, ValueError):
            value = Decimal(-1)
        if not Decimal(0) < value <= Decimal(1):
            self.fail(node, f"`{what}` must be a share above 0 and at most 1")
            return None
        return value

    def scale(self, node: Node) -> Scale | None:
        parts = self.mapping(node, {"min", "max", "labels"}, "scale")
        low = self.integer(parts.get("min"), "min", 0, 10)
        high = self.integer(parts.get("max"), "max", 1, 10)
        if low is None or high is None or low >= high:
            self.fail(node, "the scale needs whole-number `min` below `max`")
            return None
        labels: dict[int, str] = {}
        label_node = parts.get("labels")
        if label_node is not None:
            for key, text in self.mapping(label_node, {str(n) for n in range(low, high + 1)},
                                          "labels").items():  # fmt: skip
                labels[int(key)] = self.text(text, f"label {key}") or key
        return Scale(low, high, labels)

    def rules(self, node: Node, scale: Scale | None) -> Rules | None:
        keys = {"met_at", "level_share", "min_answered_share", "disagreement_spread"}
        parts = self.mapping(node, keys | {"evidence_counts"}, "scoring")
        for key in sorted(keys - parts.keys()):
            self.fail(node, f"scoring: `{key}` is missing")
        if keys - parts.keys() or scale is None:
            return None
        met_raw = parts["met_at"].value if isinstance(parts["met_at"], ScalarNode) else None
        try:
            met_at = Decimal(str(met_raw))
        except (InvalidOperation, ValueError):
            met_at = Decimal(-1)
        if not scale.low < met_at <= scale.high:
            self.fail(
                parts["met_at"], f"`met_at` must be above {scale.low} and at most {scale.high}"
            )
        share = self.ratio(parts["level_share"], "level_share")
        answered = self.ratio(parts["min_answered_share"], "min_answered_share")
        spread = self.integer(parts["disagreement_spread"], "disagreement_spread", 1, scale.high)
        counts_node = parts.get("evidence_counts")
        counts = True
        if counts_node is not None:
            raw = str(getattr(counts_node, "value", "")).lower()
            if raw not in ("true", "false"):
                self.fail(counts_node, "`evidence_counts` must be true or false")
            counts = raw == "true"
        if share is None or answered is None or spread is None:
            return None
        return Rules(met_at, share, answered, spread, counts)

    def domains(self, node: Node) -> tuple[Domain, ...]:
        if not isinstance(node, SequenceNode) or not node.value:
            self.fail(node, "`domains` must be a list of domains")
            return ()
        out: list[Domain] = []
        seen_domains: dict[str, int] = {}
        seen: dict[str, int] = {}
        for item in node.value:
            parts = self.mapping(item, {"id", "title", "question", "indicators"}, "a domain")
            domain_id = self.text(parts.get("id"), "id")
            if domain_id is None:
                self.fail(item, "a domain needs an `id`")
                continue
            if domain_id in seen_domains:
                self.fail(item, f"domain id {domain_id!r} is used twice "
                                f"(first on line {seen_domains[domain_id]})")  # fmt: skip
            seen_domains.setdefault(domain_id, line_of(item))
            indicators = self.indicators(parts.get("indicators"), domain_id, seen, item)
            for level in LEVELS:
                if not any(i.level == level for i in indicators):
                    self.fail(item, f"domain {domain_id!r} has no indicator at level {level!r}")
            title = self.text(parts.get("title"), "title") or domain_id
            question = self.text(parts.get("question"), "question") or ""
            out.append(Domain(domain_id, title, question, tuple(indicators)))
        return tuple(out)

    def indicators(
        self, node: Node | None, domain: str, seen: dict[str, int], owner: Node
    ) -> list[Indicator]:
        if not isinstance(node, SequenceNode):
            self.fail(node or owner, f"domain {domain!r}: `indicators` must be a list")
            return []
        out: list[Indicator] = []
        allowed = {"id", "level", "text", "world_class", "evidence"}
        for item in node.value:
            parts = self.mapping(item, allowed, "an indicator")
            ident = self.text(parts.get("id"), "id")
            level = self.text(parts.get("level"), "level")
            text = self.text(parts.get("text"), "text")
            if ident is None or text is None or level is None:
                self.fail(item, "an indicator needs `id`, `level` and `text`")
                continue
            line = line_of(item)
            if ident in seen:
                self.fail(
                    item, f"indicator id {ident!r} is used twice (first on line {seen[ident]})"
                )
            seen.setdefault(ident, line)
            if level not in LEVELS:
                self.fail(parts["level"], f"level {level!r} is not one of {', '.join(LEVELS)}")
            evidence = self.text(parts.get("evidence"), "evidence")
            if evidence is not None and evidence not in EVIDENCE_IDS:
                known = ", ".join(sorted(EVIDENCE_IDS))
                self.fail(parts["evidence"], f"unknown evidence {evidence!r} (known: {known})")
            flag = parts.get("world_class")
            world = str(getattr(flag, "value", "false")).lower()
            if world not in ("true", "false"):
                self.fail(flag or item, "`world_class` must be true or false")
            out.append(Indicator(ident, domain, level, text, world == "true", evidence, line))
        return out
