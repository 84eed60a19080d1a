"""The canonical transaction-line schema: names, kinds and the documented ranges."""

from __future__ import annotations

from valuescout.analytics import schema


def test_the_issue_names_every_required_and_optional_column_in_order() -> None:
    assert schema.REQUIRED == (
        "line_id", "invoice_date", "customer_id", "product_id", "rep_id", "manager_id",
        "region", "segment", "deal_type", "quantity", "list_price", "invoice_price",
        "unit_cost", "off_invoice",
    )  # fmt: skip
    assert schema.OPTIONAL == ("approver_id", "opportunity_id", "territory", "currency")
    assert schema.NAMES == schema.REQUIRED + schema.OPTIONAL


def test_types_in_the_engine() -> None:
    types = {c.name: c.sql_type for c in schema.COLUMNS}
    assert types["invoice_date"] == "DATE"
    for name in ("quantity", "list_price", "invoice_price", "unit_cost", "off_invoice"):
        assert types[name] == "DOUBLE"
    for name in ("line_id", "rep_id", "deal_type", "approver_id", "currency"):
        assert types[name] == "VARCHAR"


def test_ranges() -> None:
    by = schema.BY_NAME
    assert (by["quantity"].minimum, by["quantity"].exclusive_minimum) == (0.0, True)
    assert (by["list_price"].minimum, by["list_price"].exclusive_minimum) == (0.0, True)
    for name in ("invoice_price", "unit_cost", "off_invoice"):
        assert (by[name].minimum, by[name].exclusive_minimum) == (0.0, False)
    assert schema.MAX_PRICE_OVER_LIST == 10.0
    assert schema.MIN_DATE < schema.MAX_DATE
