"""Money and percentages as the pages show them (the template globals `money` and `pct`)."""

from __future__ import annotations

from decimal import Decimal

from valuescout.core.web.formatting import money, pct
from valuescout.core.web.templating import build_templates


def test_money_and_percentages_read_as_before_with_a_dash_for_none() -> None:
    assert money(Decimal("1234567.5")) == "1,234,567.50"
    assert money(Decimal("84000"), "USD") == "USD 84,000.00"
    assert money(-12.345, "EUR") == "EUR -12.35"
    assert money(None, "USD") == "—"
    assert pct(Decimal("0.08")) == "8%"
    assert pct(Decimal("0.5654"), 1) == "56.5%"
    assert pct(12.5, 0) == "1,250%"
    assert pct(None) == "—"


def test_templates_use_them_and_escape_what_they_print() -> None:
    env = build_templates().env
    page = env.from_string("{{ money(v, cur) }} | {{ pct(p, 1) }}")
    assert page.render(v=Decimal("1500"), cur="<b>", p=Decimal("0.125")) == (
        "&lt;b&gt; 1,500.00 | 12.5%"
    )
