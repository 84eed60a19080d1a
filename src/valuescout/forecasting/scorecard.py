"""The scorecard: one definition that scores a lead, an account and an opportunity in the same
terms — fit to the ideal customer profile, and the buyer's engagement (pure: no database).

The file (YAML; the demo company's is `default_scorecard.yaml` next to this module):

    name: ...                 optional
    description: ...          optional
    bands: {A: 75, B: 50, C: 25}      lowest total of each band (these are the defaults)
    fit:                      one rule per account field or attribute; its form says its kind
      segment: {enterprise: 30, mid-market: 20, small: 5}     points per value
      employees:                                              numeric thresholds, highest first
        - {at_least: 1000, points: 20}
        - {at_least: 250, points: 10}
      sustainability_target: 10                               points when true
    engagement:               named buyer signals (see below); leave out any you do not score
      economic_buyer: 15
      stakeholders: {each: 4, max: 12}
      recent_meeting: {points: 15, within_days: 14}
      meetings: {each: 2, max: 10, within_days: 90}
    value:                    optional: features for the value-informed model, with clipping
      preference_to_price: {min: -1, max: 2}

Fit. A rule's field (letters, digits, _ and -) is looked up on the account first (columns
such as industry, employees, annual_revenue, region, country), then in its `attributes`
(segment, pump_fleet, growth ...). A missing or empty value gives 0 points and is listed in
`Score.unknown`; a value that is there but not listed (or below every threshold) gives 0
points and is known. Category values match without regard to case. Points are never
negative; the total is the sum of the points, clipped at 100 (a card whose rules could add up
to more saturates at 100 rather than being rescaled, so every rule keeps the weight it was
written with).

Engagement signals (`EngagementSignals`):

    economic_buyer      points when the economic buyer is identified
    champion            points when a champion is identified
    mutual_plan         points when buyer and seller work to a shared (mutual) plan
    stakeholders        `each` per stakeholder engaged, at most `max`
    confirmed_outcomes  `each` per value-case outcome the customer confirmed, at most `max`
    meetings            `each` per meeting held at most `within_days` (default 90) ago, at most
                        `max`
    recent_meeting      full `points` when the last meeting held was at most `within_days` ago,
                        half up to twice that, none after it or without any meeting

Meetings are dates; only those on or before `as_of` count as held (so a score taken as of a
past date, e.g. for a forecast snapshot, ignores what came later). `as_of` None means today.

Continuity. A lead, an account and an opportunity are scored by the same rules on the same
0..100 scale. A signal that does not exist yet for what is scored — a lead has no mutual plan,
an account without an opportunity has no confirmed outcomes — is passed as None: it gives 0
points, counts as not met, is listed in `unknown`, and the scale is NOT rescaled to the
signals present. So the same buyer scores the same wherever they are, and a score can only
grow as the lead becomes an opportunity and more signals are met. Typically:

    lead:         meetings, recent_meeting, stakeholders (the people in touch)
    account:      + economic_buyer, champion (from the buying roles of its contacts)
    opportunity:  + confirmed_outcomes (its value case), mutual_plan

Value. The `value` section only declares which value-case figures feed the value-informed
forecast and how they are clipped; `value_features` returns them. The model that maps fit,
engagement and these features to a win probability is trained elsewhere on closed deals.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from importlib import resources
from typing import Any

from valuescout.forecasting.scorecard_rules import (
    DEFAULT_BANDS,
    MAX_TOTAL,
    MEETINGS_WINDOW_DAYS,
    CountSignal,
    FlagSignal,
    RecencySignal,
    Scorecard,
    ScorePart,
    as_number,
)
from valuescout.forecasting.scorecard_yaml import ScorecardError, parse_scorecard

__all__ = [
    "EngagementSignals",
    "Score",
    "ScorePart",
    "Scorecard",
    "ScorecardError",
    "ValueSignals",
    "band",
    "default_scorecard",
    "parse_scorecard",
    "score_engagement",
    "score_fit",
    "value_features",
]

DEFAULT_FILE = "default_scorecard.yaml"


@dataclass(frozen=True)
class Score:
    total: float  # 0..100
    parts: tuple[ScorePart, ...]  # one per rule, in the file's order
    unknown: tuple[str, ...]  # rules whose value was missing or does not apply yet
    bands: tuple[float, float, float] = DEFAULT_BANDS  # the card's band thresholds


def _day(value: date) -> date:
    return value.date() if isinstance(value, datetime) else value


@dataclass(frozen=True)
class EngagementSignals:
    """What is known of the buyer's engagement; None where it does not exist or is unknown."""

    economic_buyer: bool | None = None  # identified
    champion: bool | None = None  # identified
    stakeholders: int | None = None  # people engaged
    confirmed_outcomes: int | None = None  # value-case outcomes the customer confirmed
    mutual_plan: bool | None = None
    meetings: tuple[date, ...] | None = None  # dates of meetings (later than as_of ignored)
    as_of: date | None = None  # None: today

    def __post_init__(self) -> None:
        if self.as_of is not None:
            object.__setattr__(self, "as_of", _day(self.as_of))
        if self.meetings is not None:
            object.__setattr__(self, "meetings", tuple(_day(d) for d in self.meetings))
        for name in ("stakeholders", "confirmed_outcomes"):
            count = getattr(self, name)
            if count is not None and (isinstance(count, bool) or count < 0):
                raise ValueError(f"{name} is a count of at least 0, not {count!r}")

    def day(self) -> date:
        return self.as_of or date.today()

    def held(self, as_of: date) -> tuple[date, ...]:
        return tuple(d for d in self.meetings or () if d <= as_of)

    def meetings_within(self, days: int, as_of: date) -> int | None:
        if self.meetings is None:
            return None
        return sum(1 for d in self.held(as_of) if (as_of - d).days <= days)

    def days_since_last_meeting(self, as_of: date) -> int | None:
        held = self.held(as_of)
        return (as_of - max(held)).days if held else None


@dataclass(frozen=True)
class ValueSignals:
    """Value-case figures of an opportunity (None when it has no value case or no price)."""

    preference: Decimal | float | None = None  # value minus price difference, in money
    price: Decimal | float | None = None  # our price
    value_to_price: Decimal | float | None = None  # corridor ceiling over our price
    confirmed_share: Decimal | float | None = None  # 0..1


@functools.cache  # parsing it cost ~13 ms, on every scores panel and forecast; it is frozen
def default_scorecard() -> Scorecard:
    """The scorecard shipped with the package (written for the demo company)."""
    text = resources.files("valuescout.forecasting").joinpath(DEFAULT_FILE).read_text("utf-8")
    return parse_scorecard(text, DEFAULT_FILE)


def _lookup(account: Mapping[str, Any], name: str) -> Any:
    value = account.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        attributes = account.get("attributes")
        if isinstance(attributes, Mapping):
            return attributes.get(name, value)
    return value


def _total(parts: tuple[ScorePart, ...]) -> float:
    return round(min(MAX_TOTAL, max(0.0, sum(p.points for p in parts))), 6)


def _score(card: Scorecard, parts: tuple[ScorePart, ...]) -> Score:
    unknown = tuple(p.name for p in parts if not p.known)
    return Score(_total(parts), parts, unknown, card.bands)


def score_fit(card: Scorecard, account: Mapping[str, Any]) -> Score:
    """Fit to the ideal customer profile, from an account's fields and its `attributes`. A lead
    is scored the same way from the company facts it carries."""
    return _score(card, tuple(rule.score(_lookup(account, rule.name)) for rule in card.fit))


def score_engagement(card: Scorecard, signals: EngagementSignals) -> Score:
    """The buyer's engagement on the card's 0..100 scale (signals that are None: 0 points)."""
    as_of = signals.day()
    parts: list[ScorePart] = []
    for rule in card.engagement:
        if isinstance(rule, FlagSignal):
            parts.append(rule.score(getattr(signals, rule.name)))
        elif isinstance(rule, CountSignal):
            if rule.name == "meetings":
                count = signals.meetings_within(rule.within_days or MEETINGS_WINDOW_DAYS, as_of)
            else:
                count = getattr(signals, rule.name)
            parts.append(rule.score(count))
        elif isinstance(rule, RecencySignal):
            since = signals.days_since_last_meeting(as_of)
            parts.append(rule.score(since, known=signals.meetings is not None))
    return _score(card, tuple(parts))


def value_features(card: Scorecard, signals: ValueSignals) -> dict[str, float | None]:
    """The card's value features in its order, each clipped to its range; None when unknown
    (preference_to_price needs a price above 0)."""
    preference, price = as_number(signals.preference), as_number(signals.price)
    raw = {
        "preference_to_price": (
            preference / price
            if preference is not None and price is not None and price > 0
            else None
        ),
        "value_to_price": as_number(signals.value_to_price),
        "confirmed_share": as_number(signals.confirmed_share),
    }
    return {f.name: f.clip(raw[f.name]) for f in card.value}


def band(score: Score | float, card: Scorecard | None = None) -> str:
    """ "A", "B", "C" or "D": the band whose lowest total the score reaches. The thresholds come
    from `card` when given, else from the Score (its card's), else the defaults 75/50/25."""
    if card is not None:
        bands = card.bands
    elif isinstance(score, Score):
        bands = score.bands
    else:
        bands = DEFAULT_BANDS
    total = score.total if isinstance(score, Score) else float(score)
    for letter, lowest in zip("ABC", bands, strict=True):
        if total >= lowest:
            return letter
    return "D"
