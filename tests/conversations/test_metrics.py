"""Value-quality metrics of groups (pure): means, monthly trend, expansion share, win rate and
price realisation of the deals worked, worked by hand."""

from __future__ import annotations

from decimal import Decimal

from valuescout.conversations.metrics import DealFact, InteractionFact, group_stats


def fact(
    group: str, month: str, score: float, opp: int | None, e: int = 0, q: int = 0, n: int = 0
) -> InteractionFact:
    return InteractionFact(group, group.upper(), month, score, e, q, n, opp)


DEALS = {
    1: DealFact("won", Decimal("10000"), Decimal("8000")),
    2: DealFact("lost", Decimal("5000"), Decimal("5000")),
    3: DealFact("open", Decimal("2000"), Decimal("1000")),
    4: DealFact("won", Decimal("1000"), Decimal("950")),
}


def test_a_group_by_hand() -> None:
    facts = [
        fact("a", "2026-09", 40, 1, e=3, q=1, n=1),
        fact("a", "2026-09", 60, 2, e=1, q=3),
        fact("a", "2026-10", 80, 3, e=2, n=2),
        fact("b", "2026-10", 10, 4, q=2),
    ]
    a, b = group_stats(facts, DEALS)
    assert (a.key, a.label, a.interactions, a.mean_score) == ("a", "A", 3, 60.0)
    assert [(p.month, p.interactions, p.mean_score) for p in a.trend] == [
        ("2026-09", 2, 50.0),
        ("2026-10", 1, 80.0),
    ]
    assert a.expansion_share == 0.6  # 6 of 10 questions
    assert a.quantified_per_interaction == 1.0
    assert (a.deals_worked, a.deals_closed, a.win_rate) == (3, 2, 0.5)
    assert a.price_realisation == Decimal("0.8000")  # the won deal only: 8000 / 10000
    assert (b.win_rate, b.price_realisation, b.expansion_share) == (1.0, Decimal("0.9500"), 0.0)


def test_no_closed_deals_no_questions() -> None:
    (g,) = group_stats([fact("a", "2026-01", 20, None), fact("a", "2026-01", 30, 3)], DEALS)
    assert g.win_rate is None and g.price_realisation is None and g.expansion_share is None
    assert (g.deals_worked, g.deals_closed) == (1, 0)


def test_a_deal_worked_twice_counts_once() -> None:
    (g,) = group_stats([fact("a", "2026-01", 20, 1), fact("a", "2026-02", 30, 1)], DEALS)
    assert g.deals_worked == 1 and g.win_rate == 1.0
