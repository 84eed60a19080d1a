"""YAML or JSON text -> a small tree of values that remembers the line each value starts on.

YAML is composed with PyYAML's SafeLoader (no Python objects are ever built); JSON is checked
by the json module first (so its syntax errors read as json reports them) and then walked by a
small position-keeping reader here, which counts lines the way json does ("\\n" only).
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass
from typing import Literal

import yaml

from valuescout.valuenet.fileformat_problems import FormatError, Problem, join

MAX_DEPTH = 32  # far deeper than the format ever goes

ScalarKind = Literal["text", "bool", "null", "number", "date", "tagged"]


@dataclass(frozen=True)
class Scalar:
    line: int
    kind: ScalarKind
    value: str  # the text itself for "text"; the source text (e.g. "yes", "42") otherwise


@dataclass(frozen=True)
class Seq:
    line: int
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Entry:
    key: str
    line: int
    value: Node


@dataclass(frozen=True)
class Map:
    line: int
    entries: tuple[Entry, ...]


Node = Scalar | Seq | Map


def describe(node: Node) -> str:
    """The kind of a value in plain words, for messages."""
    if isinstance(node, Map):
        return "a mapping of fields"
    if isinstance(node, Seq):
        return "a list"
    return {
        "text": "text",
        "bool": "true/false",
        "null": "empty",
        "number": "a number",
        "date": "a date",
        "tagged": "a tagged value",
    }[node.kind]


def _too_deep(line: int | None) -> FormatError:
    return FormatError([Problem(line, "", f"the document is nested more than {MAX_DEPTH} deep")])


def _strip_bom(text: str) -> str:
    return text[1:] if text.startswith("\ufeff") else text


# --- YAML -------------------------------------------------------------------------------------

_YAML_SCALARS: dict[str, ScalarKind] = {
    "tag:yaml.org,2002:str": "text",
    "tag:yaml.org,2002:bool": "bool",
    "tag:yaml.org,2002:null": "null",
    "tag:yaml.org,2002:int": "number",
    "tag:yaml.org,2002:float": "number",
    "tag:yaml.org,2002:timestamp": "date",
}
TRUE_WORDS = frozenset({"yes", "true", "on"})  # how YAML 1.1 (and JSON) spell a true boolean


class _AliasFound(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


class _Loader(yaml.SafeLoader):
    """SafeLoader that stops at the first alias: the format has no use for them, and refusing
    them up front keeps a small document from expanding into a huge one."""

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event: yaml.Event = self.peek_event()  # type: ignore[no-untyped-call]
            mark = event.start_mark
            raise _AliasFound(mark.line + 1 if mark is not None else 0)
        return super().compose_node(parent, index)


def yaml_tree(text: str) -> tuple[Node | None, list[Problem]]:
    """Compose YAML text; None for an empty document. Raises FormatError on a syntax error."""
    text = _strip_bom(text)
    last_line = max(1, len(text.splitlines()))
    try:
        root = yaml.compose(text, Loader=_Loader)
    except _AliasFound as found:
        message = "anchors and aliases (& and *) are not used in value network files"
        raise FormatError([Problem(found.line, "", message)]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = min(mark.line + 1, last_line) if mark is not None else None
        message = f"not valid YAML: {exc.problem or exc.context}"
        if exc.context and exc.problem and exc.context_mark is not None:
            message += f" ({exc.context} that starts on line {exc.context_mark.line + 1})"
        raise FormatError([Problem(line, "", message)]) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        message = f"not valid YAML: the character U+{code:04X} is not allowed in YAML"
        raise FormatError([Problem(line, "", message)]) from None
    except yaml.YAMLError as exc:
        raise FormatError([Problem(None, "", f"not valid YAML: {exc}")]) from None
    except RecursionError:
        raise _too_deep(None) from None
    if root is None:
        return None, []
    builder = _YamlBuilder()
    return builder.build(root, "", 0), builder.problems


class _YamlBuilder:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def build(self, node: yaml.Node, path: str, depth: int) -> Node:
        line = node.start_mark.line + 1
        if depth > MAX_DEPTH:
            raise _too_deep(line)
        if isinstance(node, yaml.MappingNode):
            self._expect_tag(node, "tag:yaml.org,2002:map", path)
            return Map(line, tuple(self._entries(node, path, depth)))
        if isinstance(node, yaml.SequenceNode):
            self._expect_tag(node, "tag:yaml.org,2002:seq", path)
            items = (
                self.build(item, join(path, i), depth + 1) for i, item in enumerate(node.value)
            )
            return Seq(line, tuple(items))
        assert isinstance(node, yaml.ScalarNode)
        return Scalar(line, _YAML_SCALARS.get(node.tag, "tagged"), str(node.value))

    def _expect_tag(self, node: yaml.Node, tag: str, path: str) -> None:
        if node.tag != tag:
            line = node.start_mark.line + 1
            self.problems.append(Problem(line, path, f"the tag {node.tag} is not used"))

    def _entries(self, node: yaml.MappingNode, path: str, depth: int) -> list[Entry]:
        entries: list[Entry] = []
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.problems.append(Problem(line, path, "merge keys (<<) are not used"))
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(Problem(line, path, "a field name must be plain text"))
                continue
            key = str(key_node.value)
            if key in first_line:
                message = f"the field '{key}' is given twice (first on line {first_line[key]})"
                self.problems.append(Problem(line, join(path, key), message))
                continue
            first_line[key] = line
            entries.append(Entry(key, line, self.build(value_node, join(path, key), depth + 1)))
        return entries


# --- JSON -------------------------------------------------------------------------------------

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?|NaN|-?Infinity")
_LITERALS: tuple[tuple[str, ScalarKind], ...] = (
    ("true", "bool"),
    ("false", "bool"),
    ("null", "null"),
)


def json_tree(text: str) -> tuple[Node | None, list[Problem]]:
    """Parse JSON text with positions. Raises FormatError on a syntax error."""
    text = _strip_bom(text)
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormatError([Problem(exc.lineno, "", f"not valid JSON: {exc.msg}")]) from None
    except RecursionError:
        raise _too_deep(None) from None
    reader = _JsonReader(text)
    node, _end = reader.value(0, "", 0)
    return node, reader.problems


class _JsonReader:
    """Reads text that json.loads accepted, so it only has to keep track of where things are."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.problems: list[Problem] = []

    def line(self, pos: int) -> int:
        return bisect.bisect_right(self.line_starts, pos)

    def skip(self, pos: int) -> int:
        match = _WHITESPACE.match(self.text, pos)
        assert match is not None
        return match.end()

    def string(self, pos: int) -> tuple[str, int]:
        match = _STRING.match(self.text, pos)
        assert match is not None
        decoded: str = json.loads(match.group())
        return decoded, match.end()

    def value(self, pos: int, path: str, depth: int) -> tuple[Node, int]:
        pos = self.skip(pos)
        line = self.line(pos)
        if depth > MAX_DEPTH:
            raise _too_deep(line)
        char = self.text[pos]
        if char == "{":
            return self.mapping(pos + 1, line, path, depth)
        if char == "[":
            items: list[Node] = []
            pos = self.skip(pos + 1)
            while self.text[pos] != "]":
                item, pos = self.value(pos, join(path, len(items)), depth + 1)
                items.append(item)
                pos = self.skip(pos)
                pos = self.skip(pos + 1) if self.text[pos] == "," else pos
            return Seq(line, tuple(items)), pos + 1
        if char == '"':
            string, end = self.string(pos)
            return Scalar(line, "text", string), end
        for literal, kind in _LITERALS:
            if self.text.startswith(literal, pos):
                return Scalar(line, kind, literal), pos + len(literal)
        number = _NUMBER.match(self.text, pos)
        assert number is not None, f"json accepted what this reader cannot read at {pos}"
        return Scalar(line, "number", number.group()), number.end()

    def mapping(self, pos: int, line: int, path: str, depth: int) -> tuple[Node, int]:
        entries: list[Entry] = []
        first_line: dict[str, int] = {}
        pos = self.skip(pos)
        while self.text[pos] != "}":
            key_line = self.line(pos)
            key, pos = self.string(pos)
            pos = self.skip(self.skip(pos) + 1)  # the colon
            value, pos = self.value(pos, join(path, key), depth + 1)
            if key in first_line:
                message = f"the field '{key}' is given twice (first on line {first_line[key]})"
                self.problems.append(Problem(key_line, join(path, key), message))
            else:
                first_line[key] = key_line
                entries.append(Entry(key, key_line, value))
            pos = self.skip(pos)
            pos = self.skip(pos + 1) if self.text[pos] == "," else pos
        return Map(line, tuple(entries)), pos + 1
