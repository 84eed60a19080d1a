"""Value-quality metrics of groups of interactions (a seller, a team, a role): the mean score
per month, the expansion share of questions, quantified outcomes per interaction, and the win
rate and price realisation of the deals the group's interactions were on. Pure: no database.

- win rate: won / (won + lost) over those deals that have closed (open deals are left out);
- price realisation: the won deals' net line amounts over their list amounts (quantity x
  net price / quantity x list price), 1.0 = sold at list; deals without lines are left out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class InteractionFact:
    group: str  # the group's key
    label: str  # the group's name
    month: str  # YYYY-MM
    score: float
    expansion: int
    qualification: int
    quantified: int
    opportunity_id: int | None


@dataclass(frozen=True)
class DealFact:
    outcome: str  # open | won | lost
    list_total: Decimal  # sum of quantity x list price over its lines
    net_total: Decimal  # sum of quantity x net price


@dataclass(frozen=True)
class MonthPoint:
    month: str
    interactions: int
    mean_score: float


@dataclass(frozen=True)
class GroupStats:
    key: str
    label: str
    interactions: int
    mean_score: float
    expansion_share: float | None
    quantified_per_interaction: float
    trend: tuple[MonthPoint, ...]
    deals_worked: int
    deals_closed: int
    win_rate: float | None
    price_realisation: Decimal | None


@dataclass
class _Acc:
    label: str = ""
    scores: list[float] = field(default_factory=list)
    expansion: int = 0
    asked: int = 0
    quantified: int = 0
    months: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    deals: set[int] = field(default_factory=set)


def _deal_figures(
    ids: set[int], deals: Mapping[int, DealFact]
) -> tuple[int, float | None, Decimal | None]:
    known = [deals[i] for i in sorted(ids) if i in deals]
    won = [d for d in known if d.outcome == "won"]
    closed = sum(d.outcome in ("won", "lost") for d in known)
    win_rate = len(won) / closed if closed else None
    list_total = sum((d.list_total for d in won), Decimal(0))
    net_total = sum((d.net_total for d in won), Decimal(0))
    realisation = (net_total / list_total).quantize(Decimal("0.0001")) if list_total > 0 else None
    return closed, win_rate, realisation


def group_stats(
    facts: Iterable[InteractionFact], deals: Mapping[int, DealFact]
) -> list[GroupStats]:
    """One row per group, by label."""
    groups: dict[str, _Acc] = {}
    for f in facts:
        acc = groups.setdefault(f.group, _Acc(label=f.label))
        acc.scores.append(f.score)
        acc.expansion += f.expansion
        acc.asked += f.expansion + f.qualification
        acc.quantified += f.quantified
        acc.months[f.month].append(f.score)
        if f.opportunity_id is not None:
            acc.deals.add(f.opportunity_id)
    out = []
    for key, acc in groups.items():
        n = len(acc.scores)
        closed, win_rate, realisation = _deal_figures(acc.deals, deals)
        out.append(
            GroupStats(
                key=key,
                label=acc.label,
                interactions=n,
                mean_score=round(sum(acc.scores) / n, 1),
                expansion_share=round(acc.expansion / acc.asked, 3) if acc.asked else None,
                quantified_per_interaction=round(acc.quantified / n, 2),
                trend=tuple(
                    MonthPoint(m, len(s), round(sum(s) / len(s), 1))
                    for m, s in sorted(acc.months.items())
                ),
                deals_worked=len(acc.deals),
                deals_closed=closed,
                win_rate=None if win_rate is None else round(win_rate, 3),
                price_realisation=realisation,
            )
        )
    return sorted(out, key=lambda g: (g.label.casefold(), g.key))
