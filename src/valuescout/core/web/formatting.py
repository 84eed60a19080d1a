"""Money and percentages as every page shows them, as template globals (`money`, `pct`).

Plain functions rather than Jinja macros: a page such as the forecast or a deal with its value
case formats hundreds of figures, and a macro call (a new context and a Markup string each)
cost several times the formatting itself under load. The output is plain text, escaped by the
templates' autoescaping like any other value.
"""

from __future__ import annotations

from typing import Any

NONE_SHOWN = "—"  # a figure the caller may not see, or that does not exist


def money(value: Any, currency: str = "") -> str:
    """`1,234.50`, with the currency code in front when given; a dash for none."""
    if value is None:
        return NONE_SHOWN
    amount = f"{value:,.2f}"
    return f"{currency} {amount}" if currency else amount


def pct(value: Any, places: int = 0) -> str:
    """A share (0.125) as a percentage (`13%`, or `12.5%` with `places=1`); a dash for none."""
    if value is None:
        return NONE_SHOWN
    return f"{value * 100:,.{places}f}%"
