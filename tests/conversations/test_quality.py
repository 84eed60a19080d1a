"""The value-quality score: hand-worked examples, caps, and properties over any counts."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from valuescout.conversations.quality import MAX_SCORE, WEIGHTS, Counts, score

counts = st.builds(
    Counts,
    *(st.integers(min_value=0, max_value=30) for _ in range(7)),
)


def test_the_weights_add_up_to_a_hundred() -> None:
    assert MAX_SCORE == 100
    assert [w.name for w in WEIGHTS] == [
        "insights",
        "expansion",
        "balance",
        "allies",
        "business",
        "personal",
        "quantified",
    ]


def test_an_empty_meeting_scores_nothing() -> None:
    q = score(Counts())
    assert q.score == 0 and all(p.points == 0 for p in q.parts)


def test_a_hand_worked_meeting() -> None:
    # 2 insights 20, 3 expansion 15, balance 3/4 of 10 = 7.5, 1 ally 5, 1 business 5,
    # 1 personal 5, 1 quantified 7.5 -> 65
    q = score(Counts(2, 3, 1, 1, 1, 1, 1))
    assert q.score == 65.0
    assert {p.name: p.points for p in q.parts} == {
        "insights": 20,
        "expansion": 15,
        "balance": 7.5,
        "allies": 5,
        "business": 5,
        "personal": 5,
        "quantified": 7.5,
    }


def test_qualification_alone_earns_nothing() -> None:
    assert score(Counts(qualification_questions=12)).score == 0


def test_each_part_is_capped() -> None:
    assert score(Counts(50, 50, 0, 50, 50, 50, 50)).score == 100
    assert score(Counts(insights_offered=9)).score == 20


def test_negative_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="allies_added"):
        Counts(allies_added=-1)


@given(counts)
def test_the_score_stays_within_0_and_100_and_is_the_sum_of_its_parts(c: Counts) -> None:
    q = score(c)
    assert 0 <= q.score <= 100
    assert q.score == pytest.approx(sum(p.points for p in q.parts), abs=0.05)
    assert all(0 <= p.points <= p.cap for p in q.parts)


@given(
    counts,
    st.sampled_from(
        [
            "insights_offered",
            "expansion_questions",
            "allies_added",
            "business_outcomes",
            "personal_outcomes",
            "quantified_outcomes",
        ]
    ),
)
def test_more_of_a_good_thing_never_lowers_the_score(c: Counts, field: str) -> None:
    more = Counts(**{**c.__dict__, field: getattr(c, field) + 1})
    assert score(more).score >= score(c).score
