"""Money is Decimal, rounded in one place."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

CENT = Decimal("0.01")


def to_money(value: Decimal | int | str) -> Decimal:
    """Round to cents with banker's rounding; floats are refused to keep amounts exact."""
    if isinstance(value, float):
        raise TypeError("money must not be a float; pass Decimal, int or str")
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_EVEN)
