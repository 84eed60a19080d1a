"""The product-ideas list: unmet value gaps grouped by theme (pure, no database).

An unmet gap is a discovery that was either declined as "not something we deliver", or
accepted onto an outcome that no differentiator leads to yet - usually a new outcome created
for it (the service decides which, from the network as it stands when the list is read, so
linking a differentiator to the outcome takes it off the list). Gaps group by their theme,
or by their desired outcome when no theme was given, ignoring case, spacing and closing
punctuation.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from valuescout.core.text import spreadsheet_safe

# A spreadsheet reads a cell that starts with one of these as a formula.
CSV_HEADER = (
    "theme", "discoveries", "customers", "value hints", "stated value", "sources",
    "discovery ids",
)  # fmt: skip


@dataclass(frozen=True)
class UnmetGap:
    discovery_id: int
    theme: str
    desired_outcome: str
    customer_name: str
    value_hint: str
    value_amount: Decimal | None
    currency: str
    source: str  # declined as not delivered | on an outcome no differentiator reaches


@dataclass(frozen=True)
class ProductIdea:
    theme: str
    count: int
    customers: tuple[str, ...]
    value_hints: tuple[str, ...]
    stated_values: dict[str, Decimal]
    discovery_ids: tuple[int, ...]
    sources: tuple[str, ...]


def group_key(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().rstrip(".!?;:,").strip().casefold()


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for value in values:
        if value and value.casefold() not in seen:
            seen[value.casefold()] = value
    return tuple(seen.values())


def product_ideas(gaps: Sequence[UnmetGap]) -> list[ProductIdea]:
    """Ideas, the most often heard first (then by how many customers, then by name)."""
    groups: dict[str, list[UnmetGap]] = {}
    for gap in sorted(gaps, key=lambda g: g.discovery_id):
        groups.setdefault(group_key(gap.theme or gap.desired_outcome), []).append(gap)
    ideas = []
    for members in groups.values():
        totals: dict[str, Decimal] = {}
        for gap in members:
            if gap.value_amount is not None:
                totals[gap.currency] = totals.get(gap.currency, Decimal(0)) + gap.value_amount
        first = members[0]
        ideas.append(
            ProductIdea(
                theme=(first.theme or first.desired_outcome).strip(),
                count=len(members),
                customers=_unique(g.customer_name for g in members),
                value_hints=_unique(g.value_hint.strip() for g in members),
                stated_values=dict(sorted(totals.items())),
                discovery_ids=tuple(g.discovery_id for g in members),
                sources=_unique(g.source for g in members),
            )
        )
    return sorted(ideas, key=lambda i: (-i.count, -len(i.customers), i.theme.casefold()))


def stated_value_text(totals: dict[str, Decimal]) -> str:
    return "; ".join(f"{currency} {amount:.2f}" for currency, amount in totals.items())


def ideas_csv(ideas: Sequence[ProductIdea]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for idea in ideas:
        row = (
            idea.theme,
            str(idea.count),
            "; ".join(idea.customers),
            " | ".join(idea.value_hints),
            stated_value_text(idea.stated_values),
            "; ".join(idea.sources),
            " ".join(str(i) for i in idea.discovery_ids),
        )
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return out.getvalue()
