"""The value-quality score of one interaction: 0-100, with its parts.

Activity counts (calls made, minutes talked) say nothing about whether a meeting moved a
value-based deal. This score rewards what does: teaching the customer something, questions
that widen their view of the problem rather than only qualify the deal, new allies in the
buying team, and outcomes named and put into figures. Pure: no database.

Weights (points; each part is capped, so a long list of one thing cannot make up for the
others):

- insights offered: 10 each, at most 20;
- expansion questions (implication, need-payoff, future state, cost of inaction): 5 each,
  at most 25;
- question balance: 10 x the share of expansion among all questions asked (none asked: 0);
- allies added to the buying team: 5 each, at most 10;
- business outcomes identified: 5 each, at most 10;
- personal outcomes identified: 5 each, at most 10;
- outcomes quantified (a figure the customer agreed to): 7.5 each, at most 15.

Qualification questions earn nothing on their own: they are needed, but they serve the
seller, not the customer; they only lower the balance part.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Weight:
    name: str
    label: str
    each: float
    cap: float


WEIGHTS = (
    Weight("insights", "Insights offered", 10.0, 20.0),
    Weight("expansion", "Expansion questions", 5.0, 25.0),
    Weight("balance", "Expansion share of questions", 10.0, 10.0),
    Weight("allies", "Allies added", 5.0, 10.0),
    Weight("business", "Business outcomes identified", 5.0, 10.0),
    Weight("personal", "Personal outcomes identified", 5.0, 10.0),
    Weight("quantified", "Outcomes quantified", 7.5, 15.0),
)
MAX_SCORE = sum(w.cap for w in WEIGHTS)  # 100


@dataclass(frozen=True)
class Counts:
    insights_offered: int = 0
    expansion_questions: int = 0
    qualification_questions: int = 0
    allies_added: int = 0
    business_outcomes: int = 0
    personal_outcomes: int = 0
    quantified_outcomes: int = 0

    def __post_init__(self) -> None:
        for name, value in self.__dict__.items():
            if value < 0:
                raise ValueError(f"{name} must not be negative")


@dataclass(frozen=True)
class Part:
    name: str
    label: str
    points: float
    cap: float
    count: float  # the count (or, for the balance, the share) the points come from


@dataclass(frozen=True)
class Quality:
    score: float  # 0-100, one decimal
    parts: tuple[Part, ...]


def _capped(w: Weight, count: int) -> Part:
    return Part(w.name, w.label, min(w.cap, w.each * count), w.cap, count)


def score(c: Counts) -> Quality:
    """The score and its parts (in WEIGHTS order)."""
    by_name = {w.name: w for w in WEIGHTS}
    asked = c.expansion_questions + c.qualification_questions
    share = c.expansion_questions / asked if asked else 0.0
    balance = by_name["balance"]
    parts = (
        _capped(by_name["insights"], c.insights_offered),
        _capped(by_name["expansion"], c.expansion_questions),
        Part(balance.name, balance.label, balance.each * share, balance.cap, round(share, 3)),
        _capped(by_name["allies"], c.allies_added),
        _capped(by_name["business"], c.business_outcomes),
        _capped(by_name["personal"], c.personal_outcomes),
        _capped(by_name["quantified"], c.quantified_outcomes),
    )
    total = round(sum(p.points for p in parts), 1)
    return Quality(min(MAX_SCORE, total), parts)
