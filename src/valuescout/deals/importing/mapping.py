"""The mapping file: how a CRM export's columns and values translate into ours (YAML).

    columns:     {our field: the file's column}        e.g. external_id: "Opportunity Ref"
    stages:      {the file's stage: our stage}          e.g. "Contracting": Negotiation
    deal_types:  {the file's type: new|expansion|renewal}
    products:    {the file's product: our product}      e.g. GTXPro: GTX Pro
    owners:      {the file's owner: a user's email or full name}
    accounts:    {the file's account: our account's name}
    values:      {column: {typo: fix}}                  e.g. sector: {technolgy: technology}
    date_format: "%d.%m.%Y"                             (Python strptime codes)

Every scalar is read as text (YAML would otherwise turn `no` into false and `2024-03-05` into
a date). A bad file is refused whole, with every problem and its line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from valuescout.core.yamlnodes import checked_date_format, error_line, line_of, text_of
from valuescout.deals.importing.presets import FIELDS

SECTIONS = (
    "columns",
    "stages",
    "deal_types",
    "products",
    "owners",
    "accounts",
    "values",
    "date_format",
)


class MappingError(ValueError):
    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(problems))


@dataclass(frozen=True)
class ImportMapping:
    columns: dict[str, str] = field(default_factory=dict)
    stages: dict[str, str] = field(default_factory=dict)
    deal_types: dict[str, str] = field(default_factory=dict)
    products: dict[str, str] = field(default_factory=dict)
    owners: dict[str, str] = field(default_factory=dict)
    accounts: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    date_format: str | None = None
    # Where each stage entry is, so a stage the database does not know is reported at its line.
    stage_lines: dict[str, int] = field(default_factory=dict)
    source: str = "mapping"


EMPTY = ImportMapping()


def load_mapping(text: str, source: str = "mapping") -> ImportMapping:
    """Parse and check a mapping file; MappingError lists every problem with its line."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        where = f"line {error_line(exc, text)}: "
        reason = getattr(exc, "problem", None) or str(exc)
        raise MappingError(source, [f"{where}not valid YAML ({reason})"]) from None
    if root is None:
        return ImportMapping(source=source)
    problems: list[str] = []
    if not isinstance(root, yaml.MappingNode):
        raise MappingError(source, [f"line {line_of(root)}: expected sections like `columns:`"])
    parts: dict[str, dict[str, str]] = {}
    values: dict[str, dict[str, str]] = {}
    date_format: str | None = None
    stage_lines: dict[str, int] = {}
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
        if name == "date_format":
            date_format = checked_date_format(value_node, problems)
        elif name == "values":
            values = _nested(value_node, problems)
        else:
            pairs = _pairs(name, value_node, problems)
            if name == "columns":
                pairs = _our_fields(pairs, problems)
            parts[name] = {k: v for k, v, _ in pairs}
            if name == "stages":
                stage_lines = {k: line for k, _, line in pairs}
    if problems:
        raise MappingError(source, problems)
    return ImportMapping(
        columns=parts.get("columns", {}),
        stages=parts.get("stages", {}),
        deal_types=parts.get("deal_types", {}),
        products=parts.get("products", {}),
        owners=parts.get("owners", {}),
        accounts=parts.get("accounts", {}),
        values=values,
        date_format=date_format,
        stage_lines=stage_lines,
        source=source,
    )


def _our_fields(
    pairs: list[tuple[str, str, int]], problems: list[str]
) -> list[tuple[str, str, int]]:
    known = []
    for name, column, line in pairs:
        if name.lower() in FIELDS:
            known.append((name.lower(), column, line))
        else:
            problems.append(
                f"line {line}: columns: {name!r} is not one of our fields "
                f"({', '.join(FIELDS)}); write `our field: the file's column`"
            )
    return known


def _pairs(name: str, node: yaml.Node, problems: list[str]) -> list[tuple[str, str, int]]:
    if not isinstance(node, yaml.MappingNode):
        problems.append(f"line {line_of(node)}: {name}: expected `from: to` entries")
        return []
    pairs: list[tuple[str, str, int]] = []
    seen: set[str] = set()
    for key_node, value_node in node.value:
        key, value = text_of(key_node), text_of(value_node)
        if key is None or value is None:
            problems.append(
                f"line {line_of(key_node)}: {name}: each entry needs a text on both sides of `:`"
            )
            continue
        if key.lower() in seen:
            problems.append(f"line {line_of(key_node)}: {name}: {key!r} appears twice")
            continue
        seen.add(key.lower())
        pairs.append((key, value, line_of(key_node)))
    return pairs


def _nested(node: yaml.Node, problems: list[str]) -> dict[str, dict[str, str]]:
    if not isinstance(node, yaml.MappingNode):
        problems.append(f"line {line_of(node)}: values: expected `column: {{from: to}}` entries")
        return {}
    result: dict[str, dict[str, str]] = {}
    for key_node, value_node in node.value:
        column = text_of(key_node)
        if column is None:
            problems.append(f"line {line_of(key_node)}: values: a column name is missing")
            continue
        result[column] = {k: v for k, v, _ in _pairs(f"values: {column}", value_node, problems)}
    return result
