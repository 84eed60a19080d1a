"""The value network file format (valuescout.value-network/1), in YAML and JSON.

    load_yaml(text) / load_json(text) / load(text, fmt) -> NetworkSpec, or FormatError
    dump_yaml(spec) / dump_json(spec) / dump(spec, fmt) -> str (canonical text)
    format_for_filename("net.yml") -> "yaml"

YAML and JSON carry the same structure (docs/value-network-format.md,
docs/value-network.schema.json). Loading reports every problem at once, each with its line.
Dumping is canonical: fixed field order, optional fields left out when they hold their
default, so for a valid spec `load(dump(spec)) == spec` and dumping again gives the same bytes.
"""

from __future__ import annotations

import json
from pathlib import PurePath
from typing import Any, Literal

import yaml

from valuescout.valuenet.fileformat_problems import FormatError, Problem
from valuescout.valuenet.fileformat_read import FORMAT_ID, read_network
from valuescout.valuenet.fileformat_rules import check_spec
from valuescout.valuenet.fileformat_tree import Node, json_tree, yaml_tree
from valuescout.valuenet.spec import (
    Competitor,
    DifferentiatorKind,
    NetworkSpec,
    OfferKind,
    OutcomeKind,
    Persona,
    Strength,
)

__all__ = [
    "FORMATS",
    "FORMAT_ID",
    "FileFormat",
    "FormatError",
    "Problem",
    "check_spec",
    "dump",
    "dump_json",
    "dump_yaml",
    "format_for_filename",
    "load",
    "load_json",
    "load_yaml",
    "to_document",
]

FileFormat = Literal["yaml", "json"]
FORMATS: dict[str, FileFormat] = {".yaml": "yaml", ".yml": "yaml", ".json": "json"}


# --- reading ----------------------------------------------------------------------------------


def load_yaml(text: str) -> NetworkSpec:
    """Read a value network from YAML text. Raises FormatError listing every problem."""
    return _load(*yaml_tree(text))


def load_json(text: str) -> NetworkSpec:
    """Read a value network from JSON text. Raises FormatError listing every problem."""
    return _load(*json_tree(text))


def load(text: str, fmt: str) -> NetworkSpec:
    """Read a value network in the given format ("yaml" or "json")."""
    if fmt == "yaml":
        return load_yaml(text)
    if fmt == "json":
        return load_json(text)
    raise ValueError(f"unknown value network format {fmt!r}; use 'yaml' or 'json'")


def format_for_filename(filename: str) -> FileFormat:
    """ "yaml" for .yaml/.yml, "json" for .json (any case); ValueError for anything else."""
    suffix = PurePath(filename).suffix.lower()
    try:
        return FORMATS[suffix]
    except KeyError:
        raise ValueError(
            f"cannot tell the format of {filename!r}: name it .yaml, .yml or .json"
        ) from None


def _load(root: Node | None, problems: list[Problem]) -> NetworkSpec:
    spec, locator, read_problems = read_network(root)
    found = [*problems, *read_problems, *check_spec(spec, locator)]
    if found:
        raise FormatError(found)
    return spec


# --- writing ----------------------------------------------------------------------------------


def to_document(spec: NetworkSpec) -> dict[str, Any]:
    """The canonical plain structure of `spec` (what dump_yaml and dump_json write)."""
    doc: dict[str, Any] = {"format": FORMAT_ID, "name": spec.name}
    _put(doc, "description", spec.description)
    offer: dict[str, Any] = {"name": spec.offer.name}
    _put(offer, "kind", _enum(spec.offer.kind, OfferKind.PRODUCT))
    _put(offer, "description", spec.offer.description)
    doc["offer"] = offer
    _put(
        doc,
        "differentiators",
        [
            _clean(
                name=d.name, kind=_enum(d.kind, DifferentiatorKind.OTHER), description=d.description
            )
            for d in spec.differentiators
        ],
    )
    _put(
        doc,
        "outcomes",
        [
            _clean(
                name=o.name,
                kind=_enum(o.kind, OutcomeKind.BUSINESS),
                executive=bool(o.executive),
                measure=o.measure,
                unit=o.unit,
                description=o.description,
            )
            for o in spec.outcomes
        ],
    )
    links = [
        {"from": k.source, "to": k.target, **_clean(two_way=bool(k.two_way), rationale=k.rationale)}
        for k in spec.links
    ]
    _put(doc, "links", links)
    _put(doc, "personas", [_persona(p) for p in spec.personas])
    _put(doc, "competitors", [_competitor(c) for c in spec.competitors])
    return doc


def _persona(persona: Persona) -> dict[str, Any]:
    outcomes = [
        {"outcome": po.outcome, **_clean(strength=_enum(po.strength, Strength.PRIMARY))}
        for po in persona.outcomes
    ]
    return _clean(name=persona.name, description=persona.description, outcomes=outcomes)


def _competitor(competitor: Competitor) -> dict[str, Any]:
    matches = [
        {"differentiator": m.differentiator, "match": str(m.match)} for m in competitor.matches
    ]
    return _clean(name=competitor.name, description=competitor.description, matches=matches)


def _enum(value: str, default: str) -> str:
    """The value as a plain string, or "" (left out) when it is the default."""
    return "" if value == default else str(value)


def _put(target: dict[str, Any], key: str, value: Any) -> None:
    if value not in ("", False, [], None):
        target[key] = value


def _clean(**values: Any) -> dict[str, Any]:
    """The given fields in order, without those holding their default; "name" always stays."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key == "name":
            out[key] = value
        else:
            _put(out, key, value)
    return out


class _Dumper(yaml.SafeDumper):
    """SafeDumper that indents list items under their field, as people write them."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


# Line breaks YAML would not keep as written in plain or block text: always escape them.
_ESCAPED_BREAKS = frozenset("\r\x85\u2028\u2029\ufeff")


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style: str | None = None
    if any(char in _ESCAPED_BREAKS for char in data):
        style = '"'
    elif "\n" in data:
        style = "|"  # PyYAML falls back to quotes when a block cannot hold the text exactly
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _represent_str)


def dump_yaml(spec: NetworkSpec) -> str:
    """Canonical YAML: block style, UTF-8 characters kept, ending in a newline."""
    text = yaml.dump(
        to_document(spec),
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=88,
    )
    return str(text)


def dump_json(spec: NetworkSpec) -> str:
    """Canonical JSON: two-space indent, UTF-8 characters kept, ending in a newline."""
    return json.dumps(to_document(spec), indent=2, ensure_ascii=False) + "\n"


def dump(spec: NetworkSpec, fmt: str) -> str:
    """Canonical text of `spec` in the given format ("yaml" or "json")."""
    if fmt == "yaml":
        return dump_yaml(spec)
    if fmt == "json":
        return dump_json(spec)
    raise ValueError(f"unknown value network format {fmt!r}; use 'yaml' or 'json'")
