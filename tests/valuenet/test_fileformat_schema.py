"""docs/value-network.schema.json: what the loader writes validates, and both refuse alike."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from jsonschema import Draft202012Validator

from tests.valuenet.fileformat_strategies import specs
from valuescout.valuenet.fileformat import FormatError, dump_json, dump_yaml, load_yaml
from valuescout.valuenet.spec import NetworkSpec

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "docs" / "value-network.schema.json").read_text(encoding="utf-8"))
VALIDATOR = Draft202012Validator(SCHEMA)
EXAMPLES = sorted((ROOT / "examples").glob("value-network-*.yaml"))


def schema_accepts(document: Any) -> bool:
    return bool(VALIDATOR.is_valid(document))


def loader_accepts(text: str) -> bool:
    try:
        load_yaml(text)
    except FormatError:
        return False
    return True


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_there_is_an_example() -> None:
    assert EXAMPLES


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.name)
def test_example_files_validate(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    VALIDATOR.validate(yaml.safe_load(text))
    VALIDATOR.validate(json.loads(dump_json(load_yaml(text))))


@settings(max_examples=150, deadline=None)
@given(specs())
def test_every_dump_validates(spec: NetworkSpec) -> None:
    VALIDATOR.validate(yaml.safe_load(dump_yaml(spec)))
    VALIDATOR.validate(json.loads(dump_json(spec)))


BOTH_REFUSE = {
    "unknown field": "name: N\ncolour: red\n",
    "unknown field in an outcome": "name: N\noutcomes: [{name: O, weight: 3}]\n",
    "missing name": "description: no name\n",
    "empty name": "name: ''\n",
    "name with spaces around it": "name: ' N '\n",
    "name on two lines": 'name: "a\\nb"\n',
    "name that is a number": "name: 42\n",
    "null name": "name:\n",
    "wrong kind": "name: N\noffer: {name: P, kind: gadget}\n",
    "wrong differentiator kind": "name: N\ndifferentiators: [{name: D, kind: cheap}]\n",
    "executive as text": "name: N\noutcomes: [{name: O, executive: 'true'}]\n",
    "outcomes not a list": "name: N\noutcomes: {name: O}\n",
    "link without to": "name: N\noutcomes: [{name: O}]\nlinks: [{from: O}]\n",
    "bad strength": "name: N\noutcomes: [{name: O}]\n"
    "personas: [{name: P, outcomes: [{outcome: O, strength: high}]}]\n",
    "bad match": "name: N\ndifferentiators: [{name: D}]\n"
    "competitors: [{name: C, matches: [{differentiator: D, match: maybe}]}]\n",
    "match missing": "name: N\ndifferentiators: [{name: D}]\n"
    "competitors: [{name: C, matches: [{differentiator: D}]}]\n",
    "other format version": "format: valuescout.value-network/2\nname: N\n",
    "document is a list": "- name: N\n",
}

BOTH_ACCEPT = {
    "only a name": "name: N\n",
    "empty optional fields": "name: N\ndescription:\noffer:\nlinks:\npersonas:\n",
    "unquoted yes and no as matches": "name: N\ndifferentiators: [{name: D}, {name: E}]\n"
    "competitors: [{name: C, matches: [{differentiator: D, match: yes}, "
    "{differentiator: E, match: no}]}]\n",
}

# Rules between fields are the loader's alone; the schema describes shapes.
ONLY_LOADER_REFUSES = {
    "link to an unknown node": "name: N\noutcomes: [{name: O}]\nlinks: [{from: X, to: O}]\n",
    "duplicate names": "name: N\ndifferentiators: [{name: A}]\noutcomes: [{name: a}]\n",
    "link into a differentiator": "name: N\ndifferentiators: [{name: D}]\n"
    "outcomes: [{name: O}]\nlinks: [{from: O, to: D}]\n",
}


@pytest.mark.parametrize("text", BOTH_REFUSE.values(), ids=BOTH_REFUSE.keys())
def test_schema_and_loader_both_refuse(text: str) -> None:
    assert not schema_accepts(yaml.safe_load(text))
    assert not loader_accepts(text)


@pytest.mark.parametrize("text", BOTH_ACCEPT.values(), ids=BOTH_ACCEPT.keys())
def test_schema_and_loader_both_accept(text: str) -> None:
    assert schema_accepts(yaml.safe_load(text))
    assert loader_accepts(text)


@pytest.mark.parametrize("text", ONLY_LOADER_REFUSES.values(), ids=ONLY_LOADER_REFUSES.keys())
def test_cross_field_rules_are_the_loaders(text: str) -> None:
    assert schema_accepts(yaml.safe_load(text))
    assert not loader_accepts(text)
