"""The canonical transaction-line schema: names, types and valid ranges (pure, engine-neutral).

One row is one invoice line. Prices and cost are per unit; `off_invoice` is the line's money
paid after the invoice (rebates, allowances, freight), so

    list revenue    = quantity * list_price
    invoice revenue = quantity * invoice_price
    pocket revenue  = invoice revenue - off_invoice
    pocket margin   = pocket revenue - quantity * unit_cost

Decisions:

- Amounts and quantities are DOUBLE in the analytics engine: these are statistics over
  millions of lines (ARCHITECTURE rule 5 allows floats there); money the system stores stays
  Decimal. NaN and infinity are refused.
- `list_price` must be more than 0: without a reference price no discount can be measured.
- `invoice_price` may lie above list (a surcharge, an outdated list) but not above
  `MAX_PRICE_OVER_LIST` times it: beyond that it is a unit or decimal-point mistake.
- `quantity` must be more than 0 (credit notes are not lines here), at most `MAX_QUANTITY`.
- `off_invoice` and `unit_cost` must not be negative; no upper bound relative to the price
  (a pocket loss and a loss leader are real and are what the analyses should show).
- `deal_type` is free text: companies name their own types (new, expansion, renewal,
  upsell, tender ...); the peer model only needs a category. Text is trimmed; blank is missing.
- `invoice_date` must lie between `MIN_DATE` and `MAX_DATE`.
- `currency`, when given, is a three-letter code (upper-cased).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

MAX_PRICE_OVER_LIST = 10.0
MAX_QUANTITY = 1e12
MAX_AMOUNT = 1e15
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2199, 12, 31)


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    kind: str  # text | date | number | currency
    required: bool
    description: str
    # For numbers: the lower bound and whether it is exclusive (> rather than >=).
    minimum: float | None = None
    exclusive_minimum: bool = False

    @property
    def sql_type(self) -> str:
        return {"text": "VARCHAR", "currency": "VARCHAR", "date": "DATE", "number": "DOUBLE"}[
            self.kind
        ]


def _text(name: str, description: str, required: bool = True) -> Column:
    return Column(name, "text", required, description)


def _number(name: str, description: str, minimum: float, exclusive: bool = False) -> Column:
    return Column(name, "number", True, description, minimum, exclusive)


COLUMNS: tuple[Column, ...] = (
    _text("line_id", "the line's own id (invoice number and line)"),
    Column("invoice_date", "date", True, "the invoice date"),
    _text("customer_id", "the customer"),
    _text("product_id", "the product"),
    _text("rep_id", "the seller"),
    _text("manager_id", "the seller's manager"),
    _text("region", "the sales region"),
    _text("segment", "the customer segment"),
    _text("deal_type", "new, expansion, renewal or the company's own type"),
    _number("quantity", "units sold", 0.0, exclusive=True),
    _number("list_price", "list price per unit", 0.0, exclusive=True),
    _number("invoice_price", "invoice price per unit", 0.0),
    _number("unit_cost", "cost per unit", 0.0),
    _number("off_invoice", "rebates, allowances and freight of the line, in money", 0.0),
    _text("approver_id", "who approved the discount", required=False),
    _text("opportunity_id", "the deal the line came from", required=False),
    _text("territory", "the sales territory", required=False),
    Column("currency", "currency", False, "three-letter currency code"),
)

BY_NAME: dict[str, Column] = {c.name: c for c in COLUMNS}
REQUIRED: tuple[str, ...] = tuple(c.name for c in COLUMNS if c.required)
OPTIONAL: tuple[str, ...] = tuple(c.name for c in COLUMNS if not c.required)
NAMES: tuple[str, ...] = tuple(c.name for c in COLUMNS)
