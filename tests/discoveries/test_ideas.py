"""The product-ideas list (pure): grouping, counts, customers, stated values, and a CSV a
spreadsheet cannot run."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from valuescout.core.text import spreadsheet_safe
from valuescout.discoveries.ideas import (
    CSV_HEADER,
    UnmetGap,
    group_key,
    ideas_csv,
    product_ideas,
)


def gap(i: int, outcome: str, customer: str, amount: str | None = None, **kw: str) -> UnmetGap:
    values = {
        "theme": "", "value_hint": f"hint {i}", "currency": "USD", "source": "declined",
        **kw,
    }  # fmt: skip
    return UnmetGap(
        discovery_id=i,
        desired_outcome=outcome,
        customer_name=customer,
        value_amount=None if amount is None else Decimal(amount),
        theme=values["theme"],
        value_hint=values["value_hint"],
        currency=values["currency"],
        source=values["source"],
    )


def test_grouped_by_theme_or_outcome_ignoring_case_and_punctuation() -> None:
    ideas = product_ideas(
        [
            gap(3, "Fewer spoiled loads", "Harbour", "1000"),
            gap(1, "fewer  spoiled loads.", "Norrland", "2500.50"),
            gap(2, "Something else", "Harbour", theme="Fewer spoiled loads"),
            gap(4, "Faster audits", "Delta", "300", currency="EUR"),
            gap(5, "Faster audits", "Delta", "200", currency="EUR", value_hint="hint 4"),
        ]
    )
    assert [(i.theme, i.count) for i in ideas] == [
        ("fewer  spoiled loads.", 3),  # the earliest logged wording names the group
        ("Faster audits", 2),
    ]
    spoiled, audits = ideas
    assert spoiled.customers == ("Norrland", "Harbour")
    assert spoiled.stated_values == {"USD": Decimal("3500.50")}
    assert spoiled.discovery_ids == (1, 2, 3)
    assert audits.customers == ("Delta",) and audits.value_hints == ("hint 4",)
    assert audits.stated_values == {"EUR": Decimal("500")}


def test_ties_break_on_customers_then_name() -> None:
    ideas = product_ideas(
        [gap(1, "B", "x"), gap(2, "B", "x"), gap(3, "A", "x"), gap(4, "A", "y"), gap(5, "C", "z")]
    )
    assert [i.theme for i in ideas] == ["A", "B", "C"]


def test_formula_cells_are_neutralised() -> None:
    assert spreadsheet_safe("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    for start in "=+-@":
        assert spreadsheet_safe(f"{start}1+1") == f"'{start}1+1"
    assert spreadsheet_safe("Harbour = best") == "Harbour = best"
    text = ideas_csv(
        [*product_ideas([gap(1, "=cmd|' /C calc'!A0", "@Evil", "5", value_hint="+1")])]
    )
    rows = list(csv.reader(io.StringIO(text)))
    assert tuple(rows[0]) == CSV_HEADER
    assert rows[1][:5] == ["'=cmd|' /C calc'!A0", "1", "'@Evil", "'+1", "USD 5.00"]


@given(st.text(max_size=30))
def test_no_cell_starts_like_a_formula(text: str) -> None:
    assert not spreadsheet_safe(text).startswith(("=", "+", "-", "@"))


@given(st.text(max_size=30))
def test_group_key_is_stable(text: str) -> None:
    assert group_key(group_key(text)) == group_key(text)
