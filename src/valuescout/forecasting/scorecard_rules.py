"""The scorecard's parts as data, and how one rule turns one value into points (pure).

`scorecard.py` holds the public API and the explanation of the scoring; `scorecard_yaml.py`
reads the YAML into these classes. Every rule returns a `ScorePart`: the value it saw (as
text for a person to read), the points it gave, the most it could give, whether it was met
(gave any points) and whether the value was known at all.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

DEFAULT_BANDS: tuple[float, float, float] = (75.0, 50.0, 25.0)  # lowest totals of A, B, C
MAX_TOTAL = 100.0
UNKNOWN = "unknown"

_TRUE_TEXTS = {"true", "yes", "y", "1", "on"}
_FALSE_TEXTS = {"false", "no", "n", "0", "off", "none"}


@dataclass(frozen=True)
class ScorePart:
    name: str
    value: str  # what the rule saw, for people; "unknown" when missing
    points: float
    max_points: float
    met: bool  # gave points
    known: bool  # the value was there (a lead's missing opportunity signal is not known)


def unknown_part(name: str, max_points: float) -> ScorePart:
    return ScorePart(name, UNKNOWN, 0.0, max_points, met=False, known=False)


def known_part(name: str, shown: str, points: float, max_points: float) -> ScorePart:
    return ScorePart(name, shown, points, max_points, met=points > 0, known=True)


def is_missing(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def as_number(raw: Any) -> float | None:
    """A finite number from an int, float, Decimal or text such as "1,200"; None otherwise
    (a bool is not a number here)."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float | Decimal):
        value = float(raw)
    elif isinstance(raw, str):
        try:
            value = float(raw.strip().replace(",", "").replace("_", ""))
        except ValueError:
            return None
    else:
        return None
    return value if math.isfinite(value) else None


def as_flag(raw: Any) -> bool | None:
    """True or False from a bool, 0/1 or a yes/no text; None when it reads as neither."""
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int) and raw in (0, 1):
        return bool(raw)
    if isinstance(raw, str):
        text = raw.strip().lower()
        if text in _TRUE_TEXTS:
            return True
        if text in _FALSE_TEXTS:
            return False
    return None


def show_number(value: float) -> str:
    return f"{value:,.0f}" if value.is_integer() else f"{value:,.2f}"


# --- fit: one rule per account field or attribute --------------------------------------------


@dataclass(frozen=True)
class CategoryRule:
    """Points per value of a field (`segment: {enterprise: 30, ...}`), matched without regard
    to case or surrounding spaces; a value not listed gives 0 points (known, not met)."""

    name: str
    points: tuple[tuple[str, float], ...]  # (value as written, points), in the file's order

    @property
    def max_points(self) -> float:
        return max((p for _, p in self.points), default=0.0)

    def score(self, raw: Any) -> ScorePart:
        if is_missing(raw):
            return unknown_part(self.name, self.max_points)
        shown = str(raw).strip()
        if isinstance(raw, bool):
            shown = "true" if raw else "false"
        wanted = shown.casefold()
        points = next((p for label, p in self.points if label.casefold() == wanted), 0.0)
        return known_part(self.name, shown, points, self.max_points)


@dataclass(frozen=True)
class Threshold:
    at_least: float
    points: float


@dataclass(frozen=True)
class ThresholdRule:
    """Numeric steps, highest first: the first step the value reaches gives its points."""

    name: str
    steps: tuple[Threshold, ...]

    @property
    def max_points(self) -> float:
        return max((s.points for s in self.steps), default=0.0)

    def score(self, raw: Any) -> ScorePart:
        value = None if is_missing(raw) else as_number(raw)
        if value is None:
            return unknown_part(self.name, self.max_points)
        points = next((s.points for s in self.steps if value >= s.at_least), 0.0)
        return known_part(self.name, show_number(value), points, self.max_points)


@dataclass(frozen=True)
class FlagRule:
    """Points when the field is true (`sustainability_target: 10`)."""

    name: str
    points: float

    @property
    def max_points(self) -> float:
        return self.points

    def score(self, raw: Any) -> ScorePart:
        flag = None if is_missing(raw) else as_flag(raw)
        if flag is None:
            return unknown_part(self.name, self.points)
        shown = "yes" if flag else "no"
        return known_part(self.name, shown, self.points if flag else 0.0, self.points)


FitRule = CategoryRule | ThresholdRule | FlagRule


# --- engagement: one rule per named buyer signal ----------------------------------------------


@dataclass(frozen=True)
class FlagSignal:
    """economic_buyer, champion, mutual_plan: points when it holds."""

    name: str
    points: float

    @property
    def max_points(self) -> float:
        return self.points

    def score(self, held: bool | None) -> ScorePart:
        if held is None:
            return unknown_part(self.name, self.points)
        return known_part(
            self.name, "yes" if held else "no", self.points if held else 0.0, self.points
        )


@dataclass(frozen=True)
class CountSignal:
    """stakeholders, confirmed_outcomes, meetings: `each` point per one, at most `max`.
    `within_days` is the look-back window of `meetings` (None for the others)."""

    name: str
    each: float
    max_points: float
    within_days: int | None = None

    def score(self, count: int | None) -> ScorePart:
        if count is None:
            return unknown_part(self.name, self.max_points)
        points = min(self.max_points, self.each * max(count, 0))
        return known_part(self.name, str(count), points, self.max_points)


@dataclass(frozen=True)
class RecencySignal:
    """recent_meeting: full points when the last meeting held is at most `within_days` old,
    half up to twice that, none after (or without any meeting held)."""

    name: str
    points: float
    within_days: int

    @property
    def max_points(self) -> float:
        return self.points

    def score(self, days_since: int | None, known: bool) -> ScorePart:
        if not known:
            return unknown_part(self.name, self.points)
        if days_since is None:
            return known_part(self.name, "no meeting held", 0.0, self.points)
        if days_since <= self.within_days:
            points = self.points
        elif days_since <= 2 * self.within_days:
            points = self.points / 2
        else:
            points = 0.0
        shown = "today" if days_since == 0 else f"{days_since} days ago"
        return known_part(self.name, shown, points, self.points)


EngagementRule = FlagSignal | CountSignal | RecencySignal

FLAG_SIGNALS = ("economic_buyer", "champion", "mutual_plan")
COUNT_SIGNALS = ("stakeholders", "confirmed_outcomes", "meetings")
RECENCY_SIGNALS = ("recent_meeting",)
MEETINGS_WINDOW_DAYS = 90


# --- value: features for the value-informed model, declared with their clipping --------------

VALUE_FEATURES = {
    "preference_to_price": "the customer's preference in money divided by our price",
    "value_to_price": "the most the customer would pay (the corridor ceiling) over our price",
    "confirmed_share": "the share of the value case the customer has confirmed (0 to 1)",
}


@dataclass(frozen=True)
class ValueFeature:
    name: str
    low: float
    high: float

    def clip(self, value: float | None) -> float | None:
        return None if value is None else min(self.high, max(self.low, value))


@dataclass(frozen=True)
class Scorecard:
    name: str
    description: str
    fit: tuple[FitRule, ...]
    engagement: tuple[EngagementRule, ...]
    value: tuple[ValueFeature, ...] = ()
    bands: tuple[float, float, float] = DEFAULT_BANDS  # lowest totals of A, B and C
