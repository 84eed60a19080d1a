"""RFP-engagement analysis over plain rows (pure, no database).

One row per RFP. For each engagement class, overall and per quarter of receipt:
- share of the funnel: the class's RFPs as a share of all RFPs, by count and by the amount of
  their deals (a deal with two RFPs counts in each);
- win rate: won / (won + lost + no decision); pending and withdrawn RFPs are left out;
- price realisation: over the won RFPs whose deals have line items, the sum of the lines' net
  amounts over the sum of their list amounts (a weighted ratio, so big deals weigh more, as
  they do in revenue).
Ratios are None when nothing is there to divide.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from valuescout.rfp.terms import CLASSES, JUDGED, RfpOutcome

PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class RfpRow:
    rfp_id: int
    engagement_class: str
    received_on: date
    outcome: str
    amount: Decimal  # the deal's amount
    list_total: Decimal | None  # the deal's lines at list price (None: no lines)
    net_total: Decimal | None  # the deal's lines at net price


@dataclass(frozen=True)
class ClassFigures:
    engagement_class: str
    count: int
    amount: Decimal
    count_share: Decimal | None
    amount_share: Decimal | None
    judged: int  # won + lost + no decision
    won: int
    win_rate: Decimal | None
    realised_deals: int  # won RFPs with line items, behind the realisation
    realisation: Decimal | None


@dataclass(frozen=True)
class PeriodFigures:
    quarter: str  # "2026-Q3"
    count: int
    amount: Decimal
    classes: tuple[ClassFigures, ...]


@dataclass(frozen=True)
class RfpAnalysis:
    count: int
    amount: Decimal
    classes: tuple[ClassFigures, ...]  # every class, in the order of CLASSES
    quarters: tuple[PeriodFigures, ...]  # oldest first, only quarters with RFPs


def quarter_of(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def ratio(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(PLACES)


def _figures(cls: str, rows: Sequence[RfpRow], count: int, amount: Decimal) -> ClassFigures:
    mine = [r for r in rows if r.engagement_class == cls]
    mine_amount = sum((r.amount for r in mine), Decimal(0))
    judged = [r for r in mine if r.outcome in JUDGED]
    won = [r for r in judged if r.outcome == RfpOutcome.WON]
    priced = [r for r in won if r.list_total and r.net_total is not None]
    list_sum = sum((r.list_total or Decimal(0) for r in priced), Decimal(0))
    net_sum = sum((r.net_total or Decimal(0) for r in priced), Decimal(0))
    return ClassFigures(
        engagement_class=cls,
        count=len(mine),
        amount=mine_amount,
        count_share=ratio(len(mine), count),
        amount_share=ratio(mine_amount, amount),
        judged=len(judged),
        won=len(won),
        win_rate=ratio(len(won), len(judged)),
        realised_deals=len(priced),
        realisation=ratio(net_sum, list_sum),
    )


def _period(rows: Sequence[RfpRow]) -> tuple[int, Decimal, tuple[ClassFigures, ...]]:
    count = len(rows)
    amount = sum((r.amount for r in rows), Decimal(0))
    return count, amount, tuple(_figures(c.value, rows, count, amount) for c in CLASSES)


def analyse(rows: Iterable[RfpRow]) -> RfpAnalysis:
    known = {c.value for c in CLASSES}
    kept = [r for r in rows if r.engagement_class in known]
    count, amount, classes = _period(kept)
    by_quarter: dict[str, list[RfpRow]] = {}
    for row in kept:
        by_quarter.setdefault(quarter_of(row.received_on), []).append(row)
    quarters = tuple(
        PeriodFigures(quarter, *_period(by_quarter[quarter])) for quarter in sorted(by_quarter)
    )
    return RfpAnalysis(count, amount, classes, quarters)
