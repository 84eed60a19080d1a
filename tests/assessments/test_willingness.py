"""Willingness scoring (pure): the worked example, the boundaries at 50, refused answers
naming their question, the motion read from a deal, mismatches and expert openings."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.assessments.willingness_builders import EXPERT, ROUTINE
from valuescout.assessments import willingness as w

MIXED = {
    "purchase_history": "bought_before", "solution_innovation": 4, "team_experience": 2,
    "risk_implementation": 3, "risk_vendor": 2, "risk_change": 4, "risk_visibility": 1,
    "risk_strategic": 3, "risk_financial": 2,
}  # fmt: skip
MIDDLE = {**{k: 3 for k in w.RISK_IDS}, "purchase_history": "bought_before",
          "solution_innovation": 3, "team_experience": 3}  # fmt: skip


def test_the_worked_example() -> None:
    # newness 0.5*50 + 0.3*75 + 0.2*(100-25) = 62.5; risk 0.7*37.5 + 0.3*75 = 48.75;
    # willingness 0.75*62.5 + 0.25*48.75 = 59.06
    r = w.score(MIXED)
    assert (r.newness, r.risk, r.willingness) == (63, 49, 59)
    assert r.quadrant == w.Quadrant.NEW_LOW_RISK
    assert r.model == w.SalesModel.TRUSTED_EXPERT and r.close_call
    text = " ".join(r.reasons)
    assert "bought something like this before" in text
    assert "innovation 4 of 5" in text and "little experience" in text
    assert "change to how people work (4 of 5)" in text and "close call" in text


def test_extremes() -> None:
    top, bottom = w.score(EXPERT), w.score(ROUTINE)
    assert (top.newness, top.risk, top.willingness) == (100, 100, 100)
    assert top.quadrant == w.Quadrant.NEW_AND_RISKY and not top.close_call
    assert (bottom.newness, bottom.risk, bottom.willingness) == (0, 0, 0)
    assert bottom.quadrant == w.Quadrant.ROUTINE
    assert bottom.model == w.SalesModel.DIVIDE_AND_OPTIMISE
    assert "No risk stands out" in " ".join(bottom.reasons)


def test_fifty_is_high_and_forty_nine_is_not() -> None:
    at = w.score(MIDDLE)
    assert (at.newness, at.risk, at.willingness) == (50, 50, 50)
    assert at.quadrant == w.Quadrant.NEW_AND_RISKY and at.model == w.SalesModel.TRUSTED_EXPERT
    # One risk down a step: risk 0.7*45.83 + 0.3*50 = 47.08; willingness 37.5 + 11.77 = 49.27
    below = w.score({**MIDDLE, "risk_vendor": 2})
    assert (below.newness, below.risk, below.willingness) == (50, 47, 49)
    assert below.quadrant == w.Quadrant.NEW_LOW_RISK
    assert below.model == w.SalesModel.DIVIDE_AND_OPTIMISE and below.close_call


def test_quadrant_boundaries() -> None:
    assert w.quadrant_of(50, 50) == w.Quadrant.NEW_AND_RISKY
    assert w.quadrant_of(49, 50) == w.Quadrant.FAMILIAR_BUT_RISKY
    assert w.quadrant_of(50, 49) == w.Quadrant.NEW_LOW_RISK
    assert w.quadrant_of(49, 49) == w.Quadrant.ROUTINE


def test_missing_answers_are_refused_by_question_id() -> None:
    partial = {k: v for k, v in MIXED.items() if k not in ("risk_vendor", "purchase_history")}
    with pytest.raises(w.AnswerError) as caught:
        w.score(partial)
    assert ("purchase_history", "not answered") in caught.value.problems
    assert ("risk_vendor", "not answered") in caught.value.problems


@pytest.mark.parametrize(
    ("change", "qid", "message"),
    [
        ({"risk_vendor": 6}, "risk_vendor", "must be a whole number from 1 to 5"),
        ({"risk_vendor": 0}, "risk_vendor", "must be a whole number from 1 to 5"),
        ({"risk_vendor": "3.5"}, "risk_vendor", "must be a whole number from 1 to 5"),
        ({"risk_vendor": True}, "risk_vendor", "must be a whole number from 1 to 5"),
        ({"purchase_history": "sometimes"}, "purchase_history", "must be one of"),
        ({"mood": 3}, "mood", "not a question of this assessment"),
    ],
)
def test_bad_answers_are_refused(change: dict[str, object], qid: str, message: str) -> None:
    with pytest.raises(w.AnswerError) as caught:
        w.score({**MIXED, **change})
    assert any(p[0] == qid and p[1].startswith(message) for p in caught.value.problems)


def test_ratings_may_arrive_as_text_from_a_form() -> None:
    as_text = {k: str(v) for k, v in MIXED.items()}
    assert w.score(as_text).willingness == 59


ratings = st.integers(min_value=1, max_value=5)
answers = st.fixed_dictionaries(
    {
        "purchase_history": st.sampled_from([c[0] for c in w.PURCHASE]),
        **{q.id: ratings for q in w.QUESTIONS if q.kind == w.Kind.RATING},
    }
)


@given(answers)
def test_scores_stay_in_range_and_between_newness_and_risk(a: dict[str, object]) -> None:
    r = w.score(a)
    assert 0 <= r.newness <= 100 and 0 <= r.risk <= 100
    assert min(r.newness, r.risk) - 1 <= r.willingness <= max(r.newness, r.risk) + 1
    assert (r.model == w.SalesModel.TRUSTED_EXPERT) == (r.willingness >= w.HIGH)


@given(answers, st.sampled_from(w.RISK_IDS))
def test_more_risk_never_lowers_willingness(a: dict[str, object], qid: str) -> None:
    rating = a[qid]
    assert isinstance(rating, int)
    if rating < 5:
        assert w.score({**a, qid: rating + 1}).willingness >= w.score(a).willingness


def test_motion_read_from_the_deal() -> None:
    def signals(case: bool, confirmed: int = 0, plan: bool = False, off: str | None = None):  # type: ignore[no-untyped-def]
        return w.DealSignals(case, confirmed, plan, Decimal(off) if off else None)

    assert w.motion_of(None) == w.Motion.UNKNOWN
    assert w.motion_of(signals(True, confirmed=1)) == w.Motion.EXPERT
    assert w.motion_of(signals(True, plan=True)) == w.Motion.EXPERT
    assert w.motion_of(signals(False, plan=True, off="0.3")) == w.Motion.PROCESS
    assert w.motion_of(signals(True, off="0.15")) == w.Motion.PROCESS  # at the line: process
    assert w.motion_of(signals(True, off="0.1499")) == w.Motion.MIXED
    assert w.motion_of(signals(True)) == w.Motion.MIXED
    planned = w.DealSignals(True, 0, False, Decimal("0.3"), call_plans=1)
    assert w.motion_of(planned) == w.Motion.EXPERT  # a prepared meeting on a value case
    assert w.motion_of(w.DealSignals(False, 0, False, None, call_plans=2)) == w.Motion.PROCESS


def test_mismatches_both_ways() -> None:
    assert w.mismatch(w.SalesModel.TRUSTED_EXPERT, w.Motion.PROCESS)
    assert w.mismatch(w.SalesModel.DIVIDE_AND_OPTIMISE, w.Motion.EXPERT)
    assert w.mismatch(w.SalesModel.TRUSTED_EXPERT, w.Motion.EXPERT) is None
    assert w.mismatch(w.SalesModel.DIVIDE_AND_OPTIMISE, w.Motion.PROCESS) is None
    assert w.mismatch(w.SalesModel.TRUSTED_EXPERT, w.Motion.MIXED) is None


def test_expert_openings_only_below_the_line() -> None:
    assert w.expert_opening(w.score(EXPERT)) is None
    assert w.expert_opening(w.score(ROUTINE)) is None  # nothing to build on
    novel = w.score({**ROUTINE, "solution_innovation": 4})
    assert novel.willingness < 50 and "newer than they think" in (w.expert_opening(novel) or "")
    worried = w.score({**ROUTINE, "risk_financial": 5})
    assert worried.willingness < 50
    assert "financial exposure" in (w.expert_opening(worried) or "")
