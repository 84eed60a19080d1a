"""The coaching effect (difference-in-differences), by hand-worked examples and properties."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from valuescout.conversations.coaching_effect import (
    FOCUSES,
    METRICS,
    InteractionFacts,
    SessionFacts,
    effectiveness,
    session_effect,
)

DAY = date(2026, 6, 1)
COACHED, OTHER, ALSO_COACHED = 1, 2, 3


def rows(
    seller: int, offsets: list[int], values: list[float], metric: str = "expansion_questions"
) -> list[InteractionFacts]:
    start = 1000 * seller + len(offsets)
    return [
        InteractionFacts(start + i, seller, DAY + timedelta(days=o), {metric: v})
        for i, (o, v) in enumerate(zip(offsets, values, strict=True))
    ]


def session(
    seller: int = COACHED, focus: str = "expansion_questions", day: date = DAY, sid: int = 1
) -> SessionFacts:
    return SessionFacts(sid, seller, coach_id=50, day=day, focus=focus)


def test_every_focus_names_a_metric() -> None:
    assert all(f.metric in METRICS for f in FOCUSES.values())


def test_hand_worked_example() -> None:
    # Coached seller: before 1, 1, 2 (mean 4/3); after 3, 3, 4 (mean 10/3): +2.
    # Comparison: before ten at 1, after ten at 1.5: +0.5. Effect: 2 - 0.5 = 1.5.
    mine = rows(COACHED, [-30, -20, -10, 10, 20, 30], [1, 1, 2, 3, 3, 4])
    others = rows(OTHER, [-k for k in range(1, 11)] + list(range(1, 11)), [1] * 10 + [1.5] * 10)
    effect = session_effect(session(), mine + others, [session()])
    assert effect.coached_before.mean == pytest.approx(4 / 3)
    assert effect.coached_after.mean == pytest.approx(10 / 3)
    assert effect.comparison_before.count == 10 and effect.comparison_after.mean == 1.5
    assert effect.comparison_sellers == 1
    assert effect.readable and effect.effect == pytest.approx(1.5)


def test_windows_exclude_the_session_day_and_what_lies_outside() -> None:
    mine = rows(COACHED, [-91, -90, -1, 0, 1, 90, 91], [100, 1, 1, 50, 2, 2, 100])
    effect = session_effect(session(), mine, [session()], window_days=90)
    assert effect.coached_before.count == 2 and effect.coached_before.mean == 1
    assert effect.coached_after.count == 2 and effect.coached_after.mean == 2


def test_sellers_coached_on_the_focus_in_the_span_are_not_comparison() -> None:
    others = rows(OTHER, list(range(-10, 0)) + list(range(1, 11)), [1] * 20)
    coached_too = rows(ALSO_COACHED, [-5, 5], [0, 9])
    # Coached on the same focus 60 days later: inside the 90-day span, so left out.
    later = session(ALSO_COACHED, day=DAY + timedelta(days=60), sid=2)
    effect = session_effect(session(), others + coached_too, [session(), later])
    assert effect.comparison_before.ids.isdisjoint({r.id for r in coached_too})
    # Coached on another focus: still a comparison seller for this one.
    other_focus = session(ALSO_COACHED, focus="building_allies", sid=3)
    effect = session_effect(session(), others + coached_too, [session(), other_focus])
    assert effect.comparison_sellers == 2 and effect.comparison_before.count == 11


def test_too_few_interactions_is_not_read_and_says_so() -> None:
    mine = rows(COACHED, [-10, -5, 5, 10], [1, 1, 5, 5])  # two per window: too few
    others = rows(OTHER, list(range(-12, 0)) + list(range(1, 13)), [1] * 24)
    result = effectiveness([session()], mine + others)
    (summary,) = result.overall
    assert summary.sessions == 1 and summary.readable == 0 and summary.effect is None
    assert summary.note and "Too few interactions" in summary.note
    assert summary.n_coached_before == 0


def test_missing_values_do_not_count() -> None:
    mine = [
        InteractionFacts(1, COACHED, DAY - timedelta(days=3), {"quality_score": None}),
        InteractionFacts(2, COACHED, DAY - timedelta(days=2), {"quality_score": 40.0}),
    ]
    effect = session_effect(session(focus="value_quality"), mine, [])
    assert effect.coached_before.count == 1 and effect.coached_before.mean == 40.0


def test_summaries_per_focus_and_per_coach() -> None:
    others = rows(OTHER, list(range(-20, 0)) + list(range(1, 21)), [1] * 40)
    mine = rows(COACHED, [-9, -8, -7, 7, 8, 9], [1, 1, 1, 4, 4, 4])
    second = rows(ALSO_COACHED, [-9, -8, -7, 7, 8, 9], [1, 1, 1, 2, 2, 2])
    a = SessionFacts(1, COACHED, 50, DAY, "expansion_questions")
    b = SessionFacts(2, ALSO_COACHED, 60, DAY, "expansion_questions")
    result = effectiveness([a, b], others + mine + second)
    (overall,) = result.overall
    assert overall.readable == 2 and overall.effect == pytest.approx((3 + 1) / 2)
    assert overall.n_coached_before == 6 and overall.n_comparison_before == 20
    assert [(s.coach_id, s.effect) for s in result.by_coach] == [(50, 3.0), (60, 1.0)]
    assert overall.note is None


# --- properties -------------------------------------------------------------------------------

values = st.floats(min_value=0, max_value=20, allow_nan=False)
offsets = st.integers(min_value=-120, max_value=120).filter(lambda d: d != 0)
world = st.lists(
    st.tuples(st.sampled_from([COACHED, OTHER, ALSO_COACHED, 4]), offsets, values),
    min_size=0,
    max_size=80,
)


def facts(drawn: list[tuple[int, int, float]], shift: float = 0.0) -> list[InteractionFacts]:
    return [
        InteractionFacts(i, s, DAY + timedelta(days=o), {"expansion_questions": v + shift})
        for i, (s, o, v) in enumerate(drawn)
    ]


def with_floor(drawn: list[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    """Enough interactions in every cell for the session to be read."""
    base = [(COACHED, o, 1.0) for o in (-3, -2, -1, 1, 2, 3)]
    return drawn + base + [(OTHER, o, 1.0) for o in [*range(-12, 0), *range(1, 13)]]


@settings(max_examples=60, deadline=None)
@given(world, st.floats(min_value=-5, max_value=5, allow_nan=False))
def test_a_shift_everyone_shares_changes_nothing(drawn: list, shift: float) -> None:
    drawn = with_floor(drawn)
    plain = session_effect(session(), facts(drawn), [session()])
    shifted = session_effect(session(), facts(drawn, shift), [session()])
    assert plain.effect is not None and shifted.effect is not None
    assert shifted.effect == pytest.approx(plain.effect, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(world, st.floats(min_value=-5, max_value=5, allow_nan=False))
def test_a_lift_only_the_coached_seller_gets_after_the_session_is_the_effect(
    drawn: list, lift: float
) -> None:
    drawn = with_floor(drawn)
    plain = session_effect(session(), facts(drawn), [session()])
    lifted = [(s, o, v + lift) if s == COACHED and o > 0 else (s, o, v) for s, o, v in drawn]
    after = session_effect(session(), facts(lifted), [session()])
    assert plain.effect is not None and after.effect is not None
    assert after.effect - plain.effect == pytest.approx(lift, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(world)
def test_summary_effect_is_its_coached_change_minus_its_comparison_change(drawn: list) -> None:
    sessions = [session(), session(ALSO_COACHED, sid=2, day=DAY + timedelta(days=10))]
    result = effectiveness(sessions, facts(with_floor(drawn)))
    for s in result.overall + result.by_coach:
        if s.effect is None:
            assert s.readable == 0
            continue
        assert s.coached_before is not None and s.coached_after is not None
        assert s.comparison_before is not None and s.comparison_after is not None
        expected = (s.coached_after - s.coached_before) - (s.comparison_after - s.comparison_before)
        assert s.effect == pytest.approx(expected, abs=1e-9)
        assert s.n_coached_before >= 3 and s.n_comparison_after >= 10


@settings(max_examples=40, deadline=None)
@given(
    world,
    st.lists(
        st.tuples(
            st.sampled_from([COACHED, OTHER, ALSO_COACHED, 4]),
            st.sampled_from([50, 60]),
            st.sampled_from(list(FOCUSES)),
            st.integers(-60, 60),
        ),
        max_size=6,
    ),
)
def test_the_coaches_rows_split_the_overall_rows(drawn: list, made: list) -> None:
    sessions = [
        SessionFacts(i, seller, coach, DAY + timedelta(days=d), focus)
        for i, (seller, coach, focus, d) in enumerate(made)
    ]
    result = effectiveness(sessions, facts(with_floor(drawn)))
    for overall in result.overall:
        parts = [s for s in result.by_coach if s.focus == overall.focus]
        assert sum(p.sessions for p in parts) == overall.sessions
        assert sum(p.readable for p in parts) == overall.readable
    assert sum(s.sessions for s in result.overall) == len(sessions)


def test_a_window_below_one_day_is_refused() -> None:
    with pytest.raises(ValueError, match="window_days"):
        effectiveness([], [], window_days=0)
