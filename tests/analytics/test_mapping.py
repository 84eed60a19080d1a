"""The YAML mapping file: renames, constants, and errors that name their line."""

from __future__ import annotations

import pytest

from valuescout.analytics.mapping import MappingError, load_mapping, read_mapping
from valuescout.core.errors import Invalid


def _problems(text: str) -> list[str]:
    with pytest.raises(MappingError) as caught:
        load_mapping(text, source="map.yaml")
    assert isinstance(caught.value, Invalid)
    assert caught.value.details == caught.value.problems
    return caught.value.problems


def test_a_good_mapping() -> None:
    mapping = load_mapping(
        "columns:\n"
        "  rep_id: Sales Rep\n"
        "  Invoice_Date: Datum\n"
        "constants:\n"
        "  currency: eur\n"
        "  territory: no\n"
        'date_format: "%d.%m.%Y"\n'
        'delimiter: ";"\n'
    )
    assert mapping.columns == {"rep_id": "Sales Rep", "invoice_date": "Datum"}
    assert mapping.source_column("rep_id") == "Sales Rep"
    assert mapping.source_column("quantity") == "quantity"
    assert mapping.constants == {"currency": "EUR", "territory": "no"}  # text, not false
    assert mapping.date_format == "%d.%m.%Y"
    assert mapping.delimiter == ";"


def test_an_empty_file_maps_nothing() -> None:
    mapping = load_mapping("")
    assert mapping.columns == {} and mapping.constants == {} and mapping.delimiter == ","


def test_read_mapping_from_a_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "m.yaml"
    path.write_text("columns:\n  quantity: Qty\n", encoding="utf-8")
    assert read_mapping(path).columns == {"quantity": "Qty"}
    path.write_text("colums:\n  quantity: Qty\n", encoding="utf-8")
    with pytest.raises(MappingError, match=r"m\.yaml: line 1: unknown section 'colums'"):
        read_mapping(path)


def test_every_problem_is_reported_with_its_line() -> None:
    problems = _problems(
        "columns:\n"  # 1
        "  rep_id: Rep\n"  # 2
        "  seller: Owner\n"  # 3
        "  rep_id: Rep2\n"  # 4
        "  quantity:\n"  # 5
        "constants:\n"  # 6
        "  region: North\n"  # 7
        "  currency: Euro\n"  # 8
        "  territory: T1\n"  # 9
        "extra: 1\n"  # 10
        'date_format: "%d"\n'  # 11
        "delimiter: ab\n"  # 12
        "columns: {}\n"  # 13
    )
    assert problems[0].startswith("line 3: columns: 'seller' is not a canonical column")
    assert problems[1] == "line 4: columns: 'rep_id' appears twice"
    assert problems[2] == "line 5: columns: each entry needs a text on both sides of `:`"
    assert problems[3].startswith("line 7: constants: 'region' is required")
    assert problems[4].startswith("line 8: constants: currency 'Euro' is not a three-letter")
    assert problems[5].startswith("line 10: unknown section 'extra'")
    assert problems[6].startswith("line 11: date_format: '%d' does not read back")
    assert problems[7].startswith("line 12: delimiter: expected one character")
    assert problems[8] == "line 13: section 'columns' appears twice"
    assert len(problems) == 9


def test_a_column_both_mapped_and_constant_is_refused() -> None:
    problems = _problems("columns:\n  territory: Area\nconstants:\n  territory: T1\n")
    assert problems == [
        "constants: 'territory' is also mapped to a file column under columns; keep one"
    ]


def test_yaml_syntax_errors_have_a_line() -> None:
    problems = _problems("columns:\n  rep_id: Rep\n   bad: [\n")
    assert len(problems) == 1 and problems[0].startswith("line 3: not valid YAML")


def test_sections_must_be_mappings() -> None:
    assert _problems("- columns\n") == ["line 1: expected sections like `columns:`"]
    assert _problems("columns: Rep\n") == [
        "line 1: columns: expected `canonical column: value` entries"
    ]


def test_tab_delimiter() -> None:
    assert load_mapping('delimiter: "\\t"\n').delimiter == "\t"
    assert load_mapping("delimiter: \\t\n").delimiter == "\t"
