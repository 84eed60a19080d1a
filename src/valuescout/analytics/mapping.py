"""The mapping file: how a transaction file's columns translate into the canonical ones (YAML).

    columns:     {canonical column: the file's column}   e.g. rep_id: "Sales Rep"
    constants:   {optional column: one value for every line}   e.g. currency: EUR
    date_format: "%d.%m.%Y"   (strptime codes; without it dates are read as YYYY-MM-DD)
    delimiter:   ";"          (CSV only; default ",")

Canonical columns the mapping does not name are looked up under their own name. Every scalar
is read as text (YAML would otherwise turn `no` into false). A bad file is refused whole, with
every problem and its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from valuescout.analytics.schema import BY_NAME, NAMES, OPTIONAL
from valuescout.core.errors import Invalid
from valuescout.core.yamlnodes import checked_date_format, error_line, line_of, text_of

SECTIONS = ("columns", "constants", "date_format", "delimiter")
_CURRENCY = re.compile(r"^[A-Za-z]{3}$")


class MappingError(Invalid):
    """A mapping file that cannot be used; `details` holds every problem with its line."""

    def __init__(self, source: str, problems: list[str]) -> None:
        super().__init__(f"{source}: " + "; ".join(problems), details=problems)
        self.source = source
        self.problems = problems


@dataclass(frozen=True)
class LineMapping:
    columns: dict[str, str] = field(default_factory=dict)  # canonical -> the file's column
    constants: dict[str, str] = field(default_factory=dict)  # optional canonical -> value
    date_format: str | None = None
    delimiter: str = ","
    source: str = "mapping"

    def source_column(self, canonical: str) -> str:
        return self.columns.get(canonical, canonical)


IDENTITY = LineMapping()


def read_mapping(path: str | Path) -> LineMapping:
    path = Path(path)
    return load_mapping(path.read_text(encoding="utf-8"), source=path.name)


def load_mapping(text: str, source: str = "mapping") -> LineMapping:
    """Parse and check a mapping file; MappingError lists every problem with its line."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        where = f"line {error_line(exc, text)}: "
        reason = getattr(exc, "problem", None) or str(exc)
        raise MappingError(source, [f"{where}not valid YAML ({reason})"]) from None
    if root is None:
        return LineMapping(source=source)
    if not isinstance(root, yaml.MappingNode):
        raise MappingError(source, [f"line {line_of(root)}: expected sections like `columns:`"])
    problems: list[str] = []
    columns: dict[str, str] = {}
    constants: dict[str, str] = {}
    date_format: str | None = None
    delimiter = ","
    seen: set[str] = set()
    for key_node, value_node in root.value:
        name = str(key_node.value)
        if name not in SECTIONS:
            problems.append(
                f"line {line_of(key_node)}: unknown section {name!r}; "
                f"the sections are {', '.join(SECTIONS)}"
            )
            continue
        if name in seen:
            problems.append(f"line {line_of(key_node)}: section {name!r} appears twice")
            continue
        seen.add(name)
        if name == "columns":
            columns = _columns(value_node, problems)
        elif name == "constants":
            constants = _constants(value_node, problems)
        elif name == "date_format":
            date_format = checked_date_format(value_node, problems)
        else:
            delimiter = _delimiter(value_node, problems) or delimiter
    for column in sorted(set(columns) & set(constants)):
        problems.append(
            f"constants: {column!r} is also mapped to a file column under columns; keep one"
        )
    if problems:
        raise MappingError(source, problems)
    return LineMapping(columns, constants, date_format, delimiter, source)


def _pairs(name: str, node: yaml.Node, problems: list[str]) -> list[tuple[str, str, int]]:
    if not isinstance(node, yaml.MappingNode):
        problems.append(f"line {line_of(node)}: {name}: expected `canonical column: value` entries")
        return []
    pairs: list[tuple[str, str, int]] = []
    seen: set[str] = set()
    for key_node, value_node in node.value:
        key, value = text_of(key_node), text_of(value_node)
        line = line_of(key_node)
        if key is None or value is None:
            problems.append(f"line {line}: {name}: each entry needs a text on both sides of `:`")
            continue
        key = key.lower()
        if key not in BY_NAME:
            problems.append(
                f"line {line}: {name}: {key!r} is not a canonical column ({', '.join(NAMES)})"
            )
            continue
        if key in seen:
            problems.append(f"line {line}: {name}: {key!r} appears twice")
            continue
        seen.add(key)
        pairs.append((key, value, line))
    return pairs


def _columns(node: yaml.Node, problems: list[str]) -> dict[str, str]:
    return {key: value for key, value, _ in _pairs("columns", node, problems)}


def _constants(node: yaml.Node, problems: list[str]) -> dict[str, str]:
    result: dict[str, str] = {}
    for key, value, line in _pairs("constants", node, problems):
        if key not in OPTIONAL:
            problems.append(
                f"line {line}: constants: {key!r} is required and must come from the file; "
                f"constants are for the optional columns ({', '.join(OPTIONAL)})"
            )
        elif BY_NAME[key].kind == "currency" and not _CURRENCY.match(value):
            problems.append(
                f"line {line}: constants: currency {value!r} is not a three-letter code like EUR"
            )
        else:
            result[key] = value.upper() if BY_NAME[key].kind == "currency" else value
    return result


def _delimiter(node: yaml.Node, problems: list[str]) -> str | None:
    value = str(node.value) if isinstance(node, yaml.ScalarNode) else ""
    if value == "\\t":
        value = "\t"
    if len(value) != 1 or value in '"\r\n':
        problems.append(
            f'line {line_of(node)}: delimiter: expected one character like ";" or "\\t"'
        )
        return None
    return value
