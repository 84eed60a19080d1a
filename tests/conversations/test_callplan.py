"""What a call plan suggests from an outcome: three expansion questions, the line to
quantify, and the default good result."""

from __future__ import annotations

from valuescout.conversations.callplan import (
    QUESTION_CATEGORIES,
    OutcomeInfo,
    expansion_questions,
    good_result,
    quantify_line,
)

DOWNTIME = OutcomeInfo(7, "Less downtime", "hours of downtime avoided per year", "hours/year")


def test_three_expansion_questions_one_per_category() -> None:
    qs = expansion_questions(DOWNTIME)
    assert [q.category for q in qs] == list(QUESTION_CATEGORIES)
    assert all(q.outcome_id == 7 and q.text.endswith("?") for q in qs)
    assert "less downtime" in qs[0].text
    assert "hours of downtime avoided per year" in qs[1].text and "(in hours/year)" in qs[1].text
    assert qs[2].text.startswith("If you get less downtime")


def test_an_outcome_without_a_measure_is_asked_about_by_name() -> None:
    qs = expansion_questions(OutcomeInfo(1, "Reduce scrap"))
    assert qs[1].text.startswith("If nothing changes on reducing scrap")
    assert qs[2].text.startswith("If you can reduce scrap")
    assert quantify_line(OutcomeInfo(1, "Reduce scrap")) == (
        "Reduce scrap: agree a measure and today's figure."
    )


def test_quantify_names_the_measure_and_unit() -> None:
    assert quantify_line(DOWNTIME) == (
        "Less downtime: today's hours of downtime avoided per year (hours/year) and the target."
    )


def test_good_result_names_the_outcomes_or_asks_for_them() -> None:
    assert "names the business outcomes" in good_result([], 0)
    text = good_result([DOWNTIME, OutcomeInfo(2, "Higher output")], 2)
    assert "Less downtime, Higher output" in text and "each attendee" in text
