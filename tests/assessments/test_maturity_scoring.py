"""Scoring rules, hand-worked on small content: median and ties, missing answers (not zero),
"not enough answers", level shares at the threshold, levels counting only above a counting
level, evidence, disagreement, overall, next steps, gaps, comparing rounds; and properties."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.assessments.maturity_builders import small
from valuescout.assessments import maturity_content, maturity_scoring
from valuescout.assessments.maturity_scoring import median, score
from valuescout.assessments.schemas import EvidenceOut

CONTENT = small()


def _evidence(supports: bool | None) -> dict[str, EvidenceOut]:
    item = EvidenceOut(id="call_planning", title="t", value="v", meaning="m", period="p",
                       supports=supports)  # fmt: skip
    return {"call_planning": item}


def _domain(result, domain_id="d1"):  # type: ignore[no-untyped-def]
    return next(d for d in result.domains if d.id == domain_id)


def _ind(result, ident):  # type: ignore[no-untyped-def]
    return next(s for d in result.domains for s in d.indicators if s.id == ident)


def test_median_of_odd_and_even_counts() -> None:
    assert median([3, 1, 2]) == Decimal(2)
    assert median([1, 2, 3, 4]) == Decimal("2.5")
    assert median([4]) == Decimal(4)


def test_met_at_the_threshold_counts_and_half_below_does_not() -> None:
    result = score(CONTENT, {"a": {"g1": 3, "g2": 2}, "b": {"g1": 3, "g2": 3}})
    assert _ind(result, "g1").met is True and _ind(result, "g1").median == 3.0
    g2 = _ind(result, "g2")
    assert g2.median == 2.5 and g2.met is False and g2.shortfall == 0.5
    assert g2.mean == 2.5


def test_dont_know_is_missing_not_zero() -> None:
    missing = score(CONTENT, {"a": {"g1": 4}, "b": {"g1": None}, "c": {"g1": None}})
    zero = score(CONTENT, {"a": {"g1": 4}, "b": {"g1": 0}, "c": {"g1": 0}})
    assert _ind(missing, "g1").met is True and _ind(missing, "g1").dont_know == 2
    assert _ind(missing, "g1").answers == [4]
    assert _ind(zero, "g1").met is False and _ind(zero, "g1").median == 0.0


def test_unanswered_indicator_is_undecided_and_a_thin_level_is_not_enough_answers() -> None:
    one = score(CONTENT, {"a": {"g1": 4}})  # 1 of 4 good indicators answered, needs 2
    assert _ind(one, "g2").met is None and _ind(one, "g2").median is None
    good = _domain(one).levels[0]
    assert (good.status, good.decided, good.met, good.counts) == ("not_enough_answers", 1, 1, False)
    assert _domain(one).level == "average"
    two = score(CONTENT, {"a": {"g1": 4, "g2": 4}})  # 2 of 4: exactly the minimum share
    assert _domain(two).levels[0].status == "reached"  # met share over the answered ones
    assert _domain(two).level == "good"


def test_level_share_threshold_is_inclusive() -> None:
    three_of_four = score(CONTENT, {"a": {"g1": 4, "g2": 4, "g3": 4, "g4": 1}})
    assert _domain(three_of_four).levels[0].share_met == 0.75
    assert _domain(three_of_four).levels[0].status == "reached"
    two_of_four = score(CONTENT, {"a": {"g1": 4, "g2": 4, "g3": 1, "g4": 1}})
    assert _domain(two_of_four).levels[0].status == "not_reached"
    assert _domain(two_of_four).level == "average"


def test_a_level_counts_only_when_the_level_below_counts() -> None:
    answers = {"a": {"g1": 1, "g2": 1, "g3": 1, "g4": 1, "r1": 4, "r2": 4, "e1": 4}}
    d1 = _domain(score(CONTENT, answers))
    assert [(lv.level, lv.status, lv.counts) for lv in d1.levels] == [
        ("good", "not_reached", False), ("great", "reached", False), ("elite", "reached", False),
    ]  # fmt: skip
    assert d1.level == "average" and d1.next_level == "good"
    assert [s.id for s in d1.next_steps] == ["g1", "g2", "g3", "g4"]


def test_levels_climb_to_elite() -> None:
    every = {i: 4 for i in CONTENT.indicators}
    result = score(CONTENT, {"a": every})
    assert [d.level for d in result.domains] == ["elite", "elite"]
    assert result.overall == "elite"
    assert _domain(result).next_level is None and _domain(result).next_steps == []
    assert _domain(result).position == 3.0


def test_overall_is_the_lowest_domain() -> None:
    answers = {i: 4 for i in CONTENT.indicators}
    answers["x1"] = 0
    result = score(CONTENT, {"a": answers})
    assert (_domain(result).level, _domain(result, "d2").level, result.overall) == (
        "elite", "average", "average",
    )  # fmt: skip


def test_supporting_evidence_counts_as_met_and_contrary_evidence_unmeets_nothing() -> None:
    good = {"g1": 4, "g2": 4, "g3": 4, "g4": 4}
    by_data = score(CONTENT, {"a": {**good, "r2": 4}}, _evidence(True))
    r1 = _ind(by_data, "r1")
    assert (r1.met, r1.met_by) == (True, "evidence")
    assert _domain(by_data).level == "great"
    against = score(CONTENT, {"a": {**good, "r1": 4, "r2": 4}}, _evidence(False))
    assert (_ind(against, "r1").met, _ind(against, "r1").met_by) == (True, "answers")
    no_data = score(CONTENT, {"a": good}, _evidence(None))
    assert _ind(no_data, "r1").met is None
    switched_off = score(small(evidence_counts="false"), {"a": good}, _evidence(True))
    assert _ind(switched_off, "r1").met is None
    assert by_data.evidence[0].id == "call_planning"


def test_evidence_lifts_an_answered_indicator_that_falls_short() -> None:
    result = score(CONTENT, {"a": {"r1": 1}}, _evidence(True))
    r1 = _ind(result, "r1")
    assert (r1.met, r1.met_by, r1.median, r1.shortfall) == (True, "evidence", 1.0, None)


def test_disagreement_needs_two_answers_and_the_spread() -> None:
    result = score(CONTENT, {"a": {"g1": 1, "g2": 2, "g3": 4}, "b": {"g1": 3, "g2": 3}})
    assert _ind(result, "g1").disagreement is True and _ind(result, "g1").spread == 2
    assert _ind(result, "g2").disagreement is False
    assert _ind(result, "g3").disagreement is False and _ind(result, "g3").spread == 0
    assert [s.id for s in result.disagreements] == ["g1"]
    wider = score(small(disagreement_spread=3), {"a": {"g1": 1}, "b": {"g1": 3}})
    assert _ind(wider, "g1").disagreement is False


def test_respondents_count_only_people_with_an_answer() -> None:
    result = score(CONTENT, {"a": {"g1": 3}, "b": {"g1": None}, "c": {}})
    assert result.respondents == 1


def test_gaps_largest_shortfall_first_up_to_the_next_level() -> None:
    answers = {"g1": 4, "g2": 4, "g3": 4, "g4": 2, "r1": 0, "r2": 1, "e1": 0, "x1": 1}
    result = score(CONTENT, {"a": answers})
    # d1 is Good (3 of 4), next Great: r1 (short 3) and r2 (short 2), g4 (short 1); e1 is
    # beyond the next level. d2 is Average, next Good: x1 (short 2), which goes before r2
    # (a tie on shortfall: the lower level first).
    assert [g.id for g in result.gaps] == ["r1", "x1", "r2", "g4"]
    assert [s.id for s in _domain(result).next_steps] == ["r1", "r2"]


def test_position_adds_the_share_met_of_the_next_level() -> None:
    answers = {"g1": 4, "g2": 4, "g3": 4, "g4": 4, "r1": 4, "r2": 1}
    d1 = _domain(score(CONTENT, {"a": answers}))
    assert d1.level == "good" and d1.position == 1.5


def test_compare_rounds() -> None:
    before = score(CONTENT, {"a": {"g1": 4, "g2": 4, "g3": 4, "g4": 1, "x1": 4}})
    after = score(CONTENT, {"a": {"g1": 4, "g2": 4, "g3": 1, "g4": 4, "x1": 1}})
    changes, newly, lost = maturity_scoring.compare(before, after)
    assert [(c.domain, c.before, c.after, c.change) for c in changes] == [
        ("d1", "good", "good", 0), ("d2", "good", "average", -1),
    ]  # fmt: skip
    assert newly == ["g4"] and lost == ["g3", "x1"]


def test_shipped_content_scores_every_indicator() -> None:
    content = maturity_content.load()
    result = score(content, {"a": {i: 3 for i in content.indicators}})
    assert result.overall == "elite"
    assert sum(len(d.indicators) for d in result.domains) == len(content.indicators)


ANSWER = st.one_of(st.none(), st.integers(0, 4))
SHEETS = st.dictionaries(
    st.sampled_from(["a", "b", "c", "d"]),
    st.dictionaries(st.sampled_from(sorted(CONTENT.indicators)), ANSWER),
    max_size=4,
)
ORDER = maturity_scoring.ORDER


@settings(max_examples=150, deadline=None)
@given(SHEETS)
def test_levels_hold_from_the_bottom_and_medians_stay_in_range(sheets) -> None:  # type: ignore[no-untyped-def]
    result = score(CONTENT, sheets)
    for domain in result.domains:
        counts = [lv.counts for lv in domain.levels]
        assert counts == sorted(counts, reverse=True)  # no counting level above a failing one
        assert ORDER.index(domain.level) == sum(counts)
        for s in domain.indicators:
            if s.answers:
                assert s.answers[0] <= (s.median or 0) <= s.answers[-1]
            else:
                assert s.met is None and s.median is None


@settings(max_examples=150, deadline=None)
@given(SHEETS)
def test_raising_every_answer_never_lowers_a_level(sheets) -> None:  # type: ignore[no-untyped-def]
    raised = {p: {i: (None if a is None else min(4, a + 1)) for i, a in per.items()}
              for p, per in sheets.items()}  # fmt: skip
    before, after = score(CONTENT, sheets), score(CONTENT, raised)
    for b, a in zip(before.domains, after.domains, strict=True):
        assert ORDER.index(a.level) >= ORDER.index(b.level)
