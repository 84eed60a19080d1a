"""The analyzer's result types. Kept apart from the rules so every rule module can build them
without importing the orchestrating `analyzer` module (which re-exports them)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

EXPANSION = "expansion"
QUALIFICATION = "qualification"
EXPANSION_CATEGORIES = ("implication", "need_payoff", "future_state", "cost_of_inaction")
QUALIFICATION_CATEGORIES = ("budget", "timeline", "authority", "situation")
FIGURE_KINDS = ("money", "percent", "time", "volume")


@dataclass(frozen=True)
class OutcomeRef:
    """An outcome of a value network the text can be matched to."""

    key: str  # stable id, e.g. str(node id) or a YAML outcome name
    name: str
    description: str = ""
    # the network around the outcome (the differentiators that lead to it, link rationales):
    # weaker evidence than the outcome's own words, used to widen its vocabulary
    context: str = ""


@dataclass(frozen=True)
class FoundQuestion:
    text: str
    kind: str  # "expansion" | "qualification"
    category: str
    cue: str  # the words that decided the category ("" when the default applied)
    speaker: str | None = None


@dataclass(frozen=True)
class FoundFigure:
    text: str
    kind: str  # "money" | "percent" | "time" | "volume"
    value: Decimal | None
    unit: str
    sentence: str


@dataclass(frozen=True)
class FoundPerson:
    name: str | None
    title: str | None
    sentence: str


@dataclass(frozen=True)
class OutcomeMatch:
    key: str
    name: str
    sentence: str
    score: float
    cue: str  # the shared (stemmed, synonym-folded) words


@dataclass(frozen=True)
class FoundInsight:
    text: str
    cue: str


@dataclass(frozen=True)
class Analysis:
    questions: tuple[FoundQuestion, ...]
    figures: tuple[FoundFigure, ...]
    people: tuple[FoundPerson, ...]
    outcomes: tuple[OutcomeMatch, ...]
    insights: tuple[FoundInsight, ...]
    speakers: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        """A JSON-safe dict: Decimal values become strings, scores are rounded."""
        figures = [
            {**asdict(f), "value": None if f.value is None else str(f.value)} for f in self.figures
        ]
        outcomes = [{**asdict(m), "score": round(m.score, 4)} for m in self.outcomes]
        return {
            "questions": [asdict(q) for q in self.questions],
            "figures": figures,
            "people": [asdict(p) for p in self.people],
            "outcomes": outcomes,
            "insights": [asdict(i) for i in self.insights],
            "speakers": list(self.speakers),
        }
