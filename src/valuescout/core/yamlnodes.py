"""Reading YAML files users write (policies, plans, mapping files) from the node tree, so every
problem can name its line. Shared pieces; each file format keeps its own rules."""

from __future__ import annotations

from datetime import date, datetime

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode

from valuescout.core.errors import Invalid


class LinedProblems(Invalid):
    """A user-written file refused: every problem with its line (1-based), sorted."""

    def __init__(self, problems: list[tuple[int, str]], source: str) -> None:
        self.problems = sorted(problems)
        self.source = source
        texts = [f"line {n}: {text}" for n, text in self.problems]
        super().__init__(f"{source}: " + "; ".join(texts), details=texts)


def compose(source: str) -> Node | None:
    """The YAML node tree of `source`; a syntax error becomes a (line, problem) ValueError."""
    try:
        return yaml.compose(source, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or str(exc)
        raise YamlSyntax(error_line(exc, source), f"not valid YAML: {problem}") from None


def error_line(exc: yaml.YAMLError, source: str) -> int:
    """The line of a YAML error, counted from 1; a character YAML refuses (a ReaderError) has
    no mark, only its position in the text."""
    mark = getattr(exc, "problem_mark", None)
    if mark is not None:
        return int(mark.line) + 1
    position = getattr(exc, "position", None)
    if isinstance(position, int):
        return source.count("\n", 0, position) + 1
    return 1


class YamlSyntax(ValueError):
    def __init__(self, line: int, problem: str) -> None:
        super().__init__(problem)
        self.line, self.problem = line, problem


def line_of(node: Node) -> int:
    """The node's line, counted from 1 as an editor shows it."""
    return int(node.start_mark.line) + 1


def text_of(node: Node) -> str | None:
    """A scalar's text, trimmed; None for anything else or a blank."""
    if isinstance(node, ScalarNode) and str(node.value).strip():
        return str(node.value).strip()
    return None


def checked_date_format(node: Node, problems: list[str]) -> str | None:
    """A strptime format that reads a day, month and year back, or a problem with its line."""
    fmt = text_of(node)
    if fmt is None:
        problems.append(f'line {line_of(node)}: date_format: expected text like "%d.%m.%Y"')
        return None
    sample = date(2024, 3, 5)
    try:
        ok = datetime.strptime(sample.strftime(fmt), fmt).date() == sample
    except ValueError:
        ok = False
    if not ok:
        problems.append(
            f"line {line_of(node)}: date_format: {fmt!r} does not read back a day, month and "
            "year (use codes like %d.%m.%Y or %m/%d/%Y)"
        )
        return None
    return fmt


class NodeParser:
    """Collects (line, reason) problems while a parser walks the tree."""

    def __init__(self) -> None:
        self.problems: list[tuple[int, str]] = []

    def fail(self, node: Node, text: str) -> None:
        self.problems.append((line_of(node), text))

    def mapping(self, node: Node, allowed: set[str], what: str) -> dict[str, Node]:
        """The mapping's values by key; unknown, repeated keys and non-mappings are problems."""
        out: dict[str, Node] = {}
        if not isinstance(node, MappingNode):
            self.fail(node, f"{what} must be a mapping")
            return out
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else None
            if key not in allowed:
                known = ", ".join(sorted(allowed))
                self.fail(key_node, f"unknown key {key!r} in {what} (known: {known})")
            elif key in out:
                self.fail(key_node, f"{key!r} is given twice in {what}")
            else:
                out[key] = value_node
        return out
