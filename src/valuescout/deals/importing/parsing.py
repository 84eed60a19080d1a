"""Reading the values of a CRM export: dates in a given form, amounts, quantities (pure)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from valuescout.core.money import to_money
from valuescout.deals.importing.problems import quoted

MAX_AMOUNT = Decimal("9999999999999999.99")  # NUMERIC(18, 2)
MAX_QUANTITY = Decimal("99999999999.999")  # NUMERIC(14, 3)
QUANTITY_STEP = Decimal("0.001")


class DateReader:
    """Parses dates in the given forms; ISO and M/D/Y take fast paths (no strptime)."""

    def __init__(self, formats: tuple[str, ...]) -> None:
        self.formats = formats
        self.example = date(2024, 3, 5).strftime(formats[0])
        self._parsers: list[Callable[[str], date]] = [self._parser(f) for f in formats]

    @staticmethod
    def _parser(fmt: str) -> Callable[[str], date]:
        if fmt == "%Y-%m-%d":
            return lambda t: date.fromisoformat(t) if len(t) == 10 else _bad(t)
        if fmt in ("%m/%d/%Y", "%d/%m/%Y", "%d.%m.%Y"):
            sep, month_first = fmt[2], fmt.startswith("%m")

            def split_date(t: str) -> date:
                a, b, y = t.split(sep)
                if len(y) != 4 or not (a.isdigit() and b.isdigit() and y.isdigit()):
                    raise ValueError(t)
                m, d = (a, b) if month_first else (b, a)
                return date(int(y), int(m), int(d))

            return split_date
        return lambda t: datetime.strptime(t, fmt).date()

    def __call__(self, text: str) -> date:
        for parse in self._parsers:
            try:
                return parse(text)
            except ValueError:
                continue
        raise ValueError(text)


def _bad(text: str) -> date:
    raise ValueError(text)


_THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")
_NOISE = str.maketrans("", "", "$€£¥ \u00a0\u202f")


def parse_money(text: str, label: str = "amount") -> tuple[Decimal, str | None]:
    """'USD 12,500.00', '$12,500', '12500' -> (12500.00, currency code or None)."""
    try:  # the common case: a plain number
        value, code = Decimal(text), None
    except InvalidOperation:
        value, code = _decorated(text, label)
    if not value.is_finite():
        raise ValueError(f"{quoted(text)} is not a number like 12500.00")
    if value < 0:
        raise ValueError(f"{label} must not be negative ({quoted(text)})")
    if value > MAX_AMOUNT:
        raise ValueError(f"{label} {quoted(text)} is too large")
    return to_money(value), code


def _decorated(text: str, label: str) -> tuple[Decimal, str | None]:
    """A number with a currency code or symbol, or thousands separators."""
    t, code = text.strip(), None
    if len(t) > 4 and t[:3].isalpha() and t[3] == " ":
        code, t = t[:3].upper(), t[4:]
    elif len(t) > 4 and t[-3:].isalpha() and t[-4] == " ":
        code, t = t[-3:].upper(), t[:-4]
    if t.startswith("(") and t.endswith(")"):
        raise ValueError(f"{label} must not be negative ({quoted(text)})")
    t = t.translate(_NOISE)
    if "," in t:
        if not _THOUSANDS.match(t):
            raise ValueError(
                f"{quoted(text)} is not a number like 12500.00 (a decimal comma is not read; "
                "export numbers with a decimal point)"
            )
        t = t.replace(",", "")
    try:
        return Decimal(t), code
    except InvalidOperation:
        raise ValueError(f"{quoted(text)} is not a number like 12500.00") from None


def parse_quantity(text: str) -> Decimal:
    try:
        value = Decimal(text.strip().replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"{quoted(text)} is not a number") from None
    if not value.is_finite():
        raise ValueError(f"{quoted(text)} is not a number")
    if value < 0:
        raise ValueError(f"quantity must not be negative ({quoted(text)})")
    if value == 0:
        raise ValueError("quantity must be more than 0")
    if value > MAX_QUANTITY:
        raise ValueError(f"quantity {quoted(text)} is too large")
    return value.quantize(QUANTITY_STEP)
