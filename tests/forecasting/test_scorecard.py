"""The scorecard: the shipped file, hand-worked scores, lead/account/opportunity continuity,
errors by line, and properties (totals within 0..100, more signals never lower a score)."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta
from decimal import Decimal
from importlib import resources
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from valuescout.core.errors import Invalid
from valuescout.forecasting.scorecard import (
    EngagementSignals,
    Score,
    ScorecardError,
    ValueSignals,
    band,
    default_scorecard,
    parse_scorecard,
    score_engagement,
    score_fit,
    value_features,
)

AS_OF = date(2025, 3, 31)
CARD = default_scorecard()

CHEMICALS_PLANT: dict[str, Any] = {
    "name": "Meridian Specialty Chemicals GmbH",
    "industry": "Chemicals",
    "employees": 1200,
    "annual_revenue": Decimal("450000000.00"),
    "region": "EMEA",
    "country": "Germany",
    "attributes": {
        "segment": "mid-market",
        "pump_fleet": 220,
        "growth": "growing",
        "sustainability_target": True,
        "maintenance_model": "outsourced",
        "icp_fit": "A",
    },
}
MEETINGS = (
    date(2025, 3, 10),  # 21 days before: within twice 14 days, so half the recency points
    date(2025, 2, 1),  # 58 days: inside the 90-day window
    date(2024, 12, 1),  # 120 days: outside it
    date(2025, 4, 5),  # after as_of: not held yet, ignored
)


def points_of(score: Score) -> dict[str, float]:
    return {p.name: p.points for p in score.parts}


def test_default_scorecard_parses_and_ships_with_the_package() -> None:
    shipped = resources.files("valuescout.forecasting").joinpath("default_scorecard.yaml")
    assert shipped.is_file()
    assert CARD.bands == (75.0, 50.0, 25.0)
    assert sum(rule.max_points for rule in CARD.fit) == 100
    assert sum(rule.max_points for rule in CARD.engagement) == 100
    assert [f.name for f in CARD.value] == [
        "preference_to_price",
        "value_to_price",
        "confirmed_share",
    ]


def test_fit_of_a_hand_worked_account() -> None:
    score = score_fit(CARD, CHEMICALS_PLANT)
    assert points_of(score) == {
        "segment": 15,
        "industry": 15,
        "pump_fleet": 14,  # 220 reaches 150, not 500
        "growth": 15,
        "sustainability_target": 10,
        "employees": 8,
        "annual_revenue": 4,  # 450 million reaches 100 million, not a billion
        "maintenance_model": 0,  # outsourced: known, no points
    }
    assert score.total == 81
    assert score.unknown == ()
    assert band(score) == "A"
    parts = {p.name: p for p in score.parts}
    assert parts["maintenance_model"].known and not parts["maintenance_model"].met
    assert parts["annual_revenue"].value == "450,000,000"
    assert parts["pump_fleet"].max_points == 20


def test_missing_fit_fields_give_nothing_and_are_listed() -> None:
    sparse = {
        "industry": "water & WASTEWATER ",
        "employees": "",
        "attributes": {"segment": "small"},
    }
    score = score_fit(CARD, sparse)
    assert score.total == 15 + 5  # industry matched without regard to case, small segment
    assert set(score.unknown) == {
        "pump_fleet",
        "growth",
        "sustainability_target",
        "employees",
        "annual_revenue",
        "maintenance_model",
    }
    assert band(score) == "D"


def test_fit_reads_a_flat_mapping_and_texts_from_an_import() -> None:
    flat = {"segment": "Enterprise", "pump_fleet": "1,250", "sustainability_target": "yes"}
    assert points_of(score_fit(CARD, flat))["pump_fleet"] == 20
    assert points_of(score_fit(CARD, flat))["sustainability_target"] == 10
    assert points_of(score_fit(CARD, flat))["segment"] == 20


def test_engagement_of_a_hand_worked_opportunity() -> None:
    signals = EngagementSignals(
        economic_buyer=True,
        champion=False,
        stakeholders=4,
        confirmed_outcomes=2,
        mutual_plan=False,
        meetings=MEETINGS,
        as_of=AS_OF,
    )
    score = score_engagement(CARD, signals)
    assert points_of(score) == {
        "economic_buyer": 15,
        "champion": 0,
        "stakeholders": 12,  # 4 x 4 capped at 12
        "confirmed_outcomes": 10,
        "recent_meeting": 7.5,
        "meetings": 4,  # two held within 90 days
        "mutual_plan": 0,
    }
    assert score.total == 48.5
    assert score.unknown == ()
    assert band(score) == "C"
    recent = next(p for p in score.parts if p.name == "recent_meeting")
    assert recent.value == "21 days ago"


def test_the_same_buyer_as_lead_account_and_opportunity() -> None:
    # The lead carries the company facts without the id fields; fit is the same everywhere.
    lead_company = {k: v for k, v in CHEMICALS_PLANT.items() if k != "name"}
    assert score_fit(CARD, lead_company) == score_fit(CARD, CHEMICALS_PLANT)

    lead = EngagementSignals(stakeholders=4, meetings=MEETINGS, as_of=AS_OF)
    account = dataclasses.replace(lead, economic_buyer=True, champion=False)
    opportunity = dataclasses.replace(account, confirmed_outcomes=2, mutual_plan=False)
    scores = [score_engagement(CARD, s) for s in (lead, account, opportunity)]
    assert [s.total for s in scores] == [23.5, 38.5, 48.5]
    assert scores[0].unknown == ("economic_buyer", "champion", "confirmed_outcomes", "mutual_plan")
    assert scores[1].unknown == ("confirmed_outcomes", "mutual_plan")
    # Every signal the lead has scores exactly as it does on the opportunity.
    for earlier in scores[:2]:
        later = {p.name: p for p in scores[2].parts}
        for part in earlier.parts:
            if part.known:
                assert later[part.name] == part
            else:
                assert part.points == 0 and not part.met
    # Same scale: an unmet-but-known signal scores as a missing one.
    assert (
        scores[2].total
        == score_engagement(CARD, dataclasses.replace(opportunity, champion=None)).total
    )


def test_recency_decays_by_halves_and_meetings_count_within_the_window() -> None:
    def recency(days: int) -> float:
        signals = EngagementSignals(meetings=(AS_OF - timedelta(days=days),), as_of=AS_OF)
        return points_of(score_engagement(CARD, signals))["recent_meeting"]

    assert [recency(d) for d in (0, 14, 15, 28, 29)] == [15, 15, 7.5, 7.5, 0]
    none_held = EngagementSignals(meetings=(AS_OF + timedelta(days=3),), as_of=AS_OF)
    score = score_engagement(CARD, none_held)
    assert points_of(score)["recent_meeting"] == 0 and "recent_meeting" not in score.unknown
    as_datetime = EngagementSignals(
        meetings=(datetime(2025, 3, 30, 15),), as_of=datetime(2025, 3, 31, 9)
    )
    assert points_of(score_engagement(CARD, as_datetime))["recent_meeting"] == 15
    assert EngagementSignals().day() == date.today()
    with pytest.raises(ValueError, match="stakeholders"):
        EngagementSignals(stakeholders=-1)


def test_value_features_are_clipped_and_unknown_without_a_price() -> None:
    signals = ValueSignals(
        preference=Decimal("300000"),
        price=Decimal("100000"),
        value_to_price=2.5,
        confirmed_share=1.2,
    )
    assert value_features(CARD, signals) == {
        "preference_to_price": 2.0,  # 3.0 clipped at 2
        "value_to_price": 2.5,
        "confirmed_share": 1.0,
    }
    assert value_features(CARD, ValueSignals(preference=5, price=0)) == {
        "preference_to_price": None,
        "value_to_price": None,
        "confirmed_share": None,
    }


def test_bands_come_from_the_card() -> None:
    card = parse_scorecard(
        "bands: {A: 80, B: 60, C: 10}\n"
        "fit: {sustainability_target: 55}\n"
        "engagement: {champion: 5}\n"
    )
    score = score_fit(card, {"sustainability_target": True})
    # 55 is C on this card, B on the default thresholds a bare number falls back to
    assert score.total == 55
    assert (band(score), band(score.total), band(score.total, card)) == ("C", "B", "C")
    assert [band(x) for x in (75, 74.9, 50, 25, 24.9)] == ["A", "B", "B", "C", "D"]


def test_totals_are_clipped_at_100() -> None:
    card = parse_scorecard(
        "fit: {a: 80, b: 80}\nengagement: {champion: 100, economic_buyer: 100}\n"
    )
    assert score_fit(card, {"a": True, "b": True}).total == 100
    assert (
        score_engagement(card, EngagementSignals(champion=True, economic_buyer=True)).total == 100
    )


FIT = "engagement: {champion: 1}\nfit:\n"  # fit rules follow, from line 3
VALID = """\
fit:
  segment: {enterprise: 30}
engagement:
  champion: 10
"""

BROKEN = [
    ("fit: [\n  engagement", 2, "not valid YAML"),
    ("- a list\n", 1, "a scorecard is a mapping"),
    (VALID + "fitness: 3\n", 5, "unknown key 'fitness'"),
    (VALID + "  mutual_planning: 5\n", 5, "unknown key 'mutual_planning'"),
    (VALID.replace("champion: 10", "champion: -10"), 4, "must not be negative"),
    (VALID.replace("enterprise: 30", "enterprise: lots"), 2, "must be a number"),
    (VALID.replace("enterprise: 30", "enterprise: .nan"), 2, "must be a number"),
    (VALID.replace("champion: 10", "champion: 150"), 4, "at most 100"),
    (
        VALID + "  stakeholders: {each: 5, max: 3}\n",
        5,
        "`stakeholders.max` 3 is below `each` 5",
    ),
    (VALID + "  stakeholders: {each: 5}\n", 5, "`stakeholders` needs `max`"),
    (VALID + "  stakeholders: {each: 5, max: 9, within_days: 9}\n", 5, "unknown key 'within_days'"),
    (VALID + "  recent_meeting: {points: 5, within_days: 0}\n", 5, "whole number of days"),
    (FIT + "  n:\n    - {at_least: 2, points: 1}\n    - {at_least: 9, points: 2}\n", 5, "highest"),
    (FIT + "  employees:\n    - {at_least: 250}\n", 4, "needs `points`"),
    (FIT + "  employees: {at_least: 250, points: 10}\n", 3, "thresholds go in a list"),
    (FIT + "  name: {x: 1}\n", 3, "unknown field 'name'"),
    (FIT + "  attributes.segment: 5\n", 3, "not a field name"),
    (FIT + "  segment: {Small: 1, small: 2}\n", 3, "given twice"),
    ("fit:\n  segment: 1\n", 1, "the `engagement` section is missing"),
    (VALID + "bands: {A: 50, B: 60, C: 10}\n", 5, "bands must fall from A to C"),
    (VALID + "bands: {A: 80, B: 60}\n", 5, "`bands` needs `C`"),
    (VALID + "value:\n  price_ratio: {min: 0, max: 1}\n", 6, "unknown key 'price_ratio'"),
    (VALID + "value:\n  value_to_price: {min: 3, max: 1}\n", 6, "must be above `min`"),
    (VALID + "value:\n  confirmed_share: {min: 0, max: 2}\n", 6, "clip it within 0 and 1"),
]


@pytest.mark.parametrize(("source", "line", "text"), BROKEN)
def test_every_error_names_its_line(source: str, line: int, text: str) -> None:
    with pytest.raises(ScorecardError) as caught:
        parse_scorecard(source, "my-card.yaml")
    assert isinstance(caught.value, Invalid)
    assert any(n == line and text in reason for n, reason in caught.value.problems), (
        caught.value.problems
    )
    assert str(caught.value).startswith("my-card.yaml: line ")


def test_all_problems_are_reported_at_once() -> None:
    source = "fit:\n  segment: {big: -1}\n  employees: []\nengagement:\n  champion: x\n  fans: 3\n"
    with pytest.raises(ScorecardError) as caught:
        parse_scorecard(source)
    assert [n for n, _ in caught.value.problems] == [2, 3, 5, 6]
    assert caught.value.details is not None and len(caught.value.details) == 4


# --- properties ------------------------------------------------------------------------------

counts = st.none() | st.integers(0, 40)
flags = st.none() | st.booleans()
days_back = st.integers(-30, 400)


@st.composite
def engagement_signals(draw: st.DrawFn) -> EngagementSignals:
    meetings = draw(st.none() | st.lists(days_back, max_size=12))
    return EngagementSignals(
        economic_buyer=draw(flags),
        champion=draw(flags),
        stakeholders=draw(counts),
        confirmed_outcomes=draw(counts),
        mutual_plan=draw(flags),
        meetings=None if meetings is None else tuple(AS_OF - timedelta(days=d) for d in meetings),
        as_of=AS_OF,
    )


points = st.integers(0, 100)
each = st.integers(0, 20)
most = st.integers(20, 100)
window = st.integers(1, 180)


@st.composite
def cards(draw: st.DrawFn) -> Any:
    """Random cards whose points may add up past 100."""
    lines = [
        "fit:",
        f"  segment: {{enterprise: {draw(points)}, mid-market: {draw(points)}}}",
        "  pump_fleet:",
        f"    - {{at_least: 500, points: {draw(points)}}}",
        f"    - {{at_least: 50, points: {draw(points)}}}",
        f"  sustainability_target: {draw(points)}",
        "engagement:",
        f"  economic_buyer: {draw(points)}",
        f"  champion: {draw(points)}",
        f"  mutual_plan: {draw(points)}",
        f"  stakeholders: {{each: {draw(each)}, max: {draw(most)}}}",
        f"  confirmed_outcomes: {{each: {draw(each)}, max: {draw(most)}}}",
        f"  meetings: {{each: {draw(each)}, max: {draw(most)}, within_days: {draw(window)}}}",
        f"  recent_meeting: {{points: {draw(points)}, within_days: {draw(st.integers(1, 60))}}}",
    ]
    return parse_scorecard("\n".join(lines) + "\n")


accounts = st.fixed_dictionaries(
    {},
    optional={
        "segment": st.sampled_from(["enterprise", "mid-market", "small", ""]),
        "pump_fleet": st.integers(0, 5000) | st.none(),
        "sustainability_target": st.booleans() | st.none(),
    },
)


@settings(max_examples=200, deadline=None)
@given(card=st.just(CARD) | cards(), signals=engagement_signals(), account=accounts)
def test_totals_stay_within_0_and_100(
    card: Any, signals: EngagementSignals, account: dict[str, Any]
) -> None:
    for score in (score_engagement(card, signals), score_fit(card, account)):
        assert 0 <= score.total <= 100
        assert all(0 <= p.points <= p.max_points for p in score.parts)
        assert band(score) in "ABCD"


@settings(max_examples=300, deadline=None)
@given(
    card=st.just(CARD) | cards(),
    signals=engagement_signals(),
    change=st.integers(0, 5),
    extra=days_back,
)
def test_a_further_met_signal_never_lowers_engagement(
    card: Any, signals: EngagementSignals, change: int, extra: int
) -> None:
    met: dict[str, Any]
    if change < 3:
        name = ("economic_buyer", "champion", "mutual_plan")[change]
        met = {name: True}
    elif change < 5:
        name = ("stakeholders", "confirmed_outcomes")[change - 3]
        met = {name: (getattr(signals, name) or 0) + 1}
    else:
        met = {"meetings": (*(signals.meetings or ()), AS_OF - timedelta(days=extra))}
    more = dataclasses.replace(signals, **met)
    assert score_engagement(card, more).total >= score_engagement(card, signals).total


@settings(max_examples=200, deadline=None)
@given(card=st.just(CARD) | cards(), account=accounts, filled=accounts)
def test_knowing_more_of_an_account_never_lowers_fit(
    card: Any, account: dict[str, Any], filled: dict[str, Any]
) -> None:
    known_more = {
        **{k: v for k, v in filled.items() if v not in (None, "")},
        **{k: v for k, v in account.items() if v not in (None, "")},
    }
    before = score_fit(card, account)
    after = score_fit(card, known_more)
    assert after.total >= before.total
    assert set(after.unknown) <= set(before.unknown)
