"""The learned methods' training examples: closed deals seen on days of their open life, one
deal's examples weighing one deal; duplicates hand their weight to the copy that stays."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from tests.analytics.deal_builders import account, deal, product
from tests.factories import make_org
from valuescout.forecasting.tabular import first_copies
from valuescout.forecasting.training import MAX_SAMPLES, sample_days, training_examples


def test_sample_days_cover_the_open_life() -> None:
    assert sample_days(date(2026, 1, 1), date(2026, 1, 1)) == []
    assert sample_days(date(2026, 1, 1), date(2026, 2, 15)) == [date(2026, 1, 1), date(2026, 1, 31)]
    long = sample_days(date(2024, 1, 1), date(2026, 1, 1))
    assert len(long) == MAX_SAMPLES and long[-1] < date(2026, 1, 1)  # the last ones kept


def test_each_deal_weighs_one(session: Session) -> None:
    org = make_org(session)
    pump = product(session, "Pump")
    acc = account(session, org.user("seller"), "Plant", "enterprise")
    for j in range(4):
        deal(
            session,
            org.user("seller"),
            acc,
            pump,
            [("1", "900")],
            outcome="won" if j % 2 else "lost",
            close=date(2026, 3, 1 + j),
        )
    examples, weights = training_examples(session, date(2026, 6, 1))
    per_deal: dict[int, float] = {}
    for d, w in zip(examples, weights, strict=True):
        per_deal[d.opportunity_id] = per_deal.get(d.opportunity_id, 0.0) + w
    assert len(per_deal) == 4 and all(v == pytest.approx(1.0) for v in per_deal.values())
    assert training_examples(session, date(2026, 6, 1), before=date(2026, 3, 3))[
        0
    ]  # 2 closed before
    assert all(
        d.close_date and d.close_date < date(2026, 3, 3)
        for d in training_examples(session, date(2026, 6, 1), before=date(2026, 3, 3))[0]
    )


def test_first_copies() -> None:
    rows = [{"a": 1}, {"a": 2}, {"a": 1}, {"a": 2}, {"a": 3}]
    assert first_copies(rows, ["a"]) == [0, 1, 0, 1, 4]
