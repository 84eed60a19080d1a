"""Precision and recall of the conversation analyzer on the labelled set shipped in
`conversations/data/evaluation/` (questions_<part>.yaml, outcomes_<part>.yaml).

Parts: `dev` (the rules were tuned on it), `holdout` (written at the same time, checked only
at the end), `fresh` (written by a different engineer after the rules were tuned, from other
industries and in other words; later run, pass or fail, while widening the rules) and `blind`
(written by an engineer who never saw the analyzer, its lexicons or its docs, after all the
tuning; measured once), reported separately so the held-out figures show how the rules
generalise.

Question detection: a found question is correct when its sentence is a labelled question of
its snippet (same text, ignoring case, spacing and end punctuation). Kind (expansion,
qualification): precision = found questions of that kind that are labelled questions of that
kind / all found questions of that kind; recall = the same / labelled questions of that
kind. A question found but not labelled counts against precision, one missed against recall.
Outcome matching: the best match of each mention counts only if it is the labelled outcome;
precision = correct / mentions with a match, recall = correct / mentions labelled with an
outcome; a match on a sentence labelled `none` counts against precision.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

from valuescout.conversations.analyzer import OutcomeRef, analyze, outcome_refs
from valuescout.conversations.analyzer_types import (
    EXPANSION,
    EXPANSION_CATEGORIES,
    QUALIFICATION,
    QUALIFICATION_CATEGORIES,
)
from valuescout.valuenet import fileformat

PARTS = ("dev", "holdout", "fresh", "blind")
NONE = "none"
_CATEGORIES = {EXPANSION: EXPANSION_CATEGORIES, QUALIFICATION: QUALIFICATION_CATEGORIES}


@dataclass(frozen=True)
class LabelledQuestion:
    text: str
    kind: str
    category: str


@dataclass(frozen=True)
class Snippet:
    id: str
    text: str
    questions: tuple[LabelledQuestion, ...]


@dataclass(frozen=True)
class Mention:
    network: str
    text: str
    outcome: str  # an outcome name of the network, or "none"


@dataclass(frozen=True)
class Score:
    correct: int
    predicted: int
    actual: int

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.correct / self.actual if self.actual else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "correct": self.correct,
            "predicted": self.predicted,
            "actual": self.actual,
        }


@dataclass(frozen=True)
class PartReport:
    part: str
    detection: Score
    kinds: dict[str, Score]
    category_correct: int  # detected questions whose category is also the labelled one
    outcomes: Score
    none_mentions: int
    mistakes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "part": self.part,
            "question_detection": self.detection.as_dict(),
            "question_kind": {kind: score.as_dict() for kind, score in self.kinds.items()},
            "question_category_accuracy": round(
                self.category_correct / self.detection.correct if self.detection.correct else 0.0,
                4,
            ),
            "outcome_matching": self.outcomes.as_dict(),
            "none_mentions": self.none_mentions,
        }


def evaluate(parts: tuple[str, ...] = PARTS) -> list[PartReport]:
    return [evaluate_part(part) for part in parts]


def evaluate_part(part: str) -> PartReport:
    mistakes: list[str] = []
    detection, kinds, category_correct = _score_questions(load_questions(part), mistakes)
    outcomes, none_mentions = _score_outcomes(load_mentions(part), mistakes)
    return PartReport(part, detection, kinds, category_correct, outcomes, none_mentions, mistakes)


def _score_questions(
    snippets: list[Snippet], mistakes: list[str]
) -> tuple[Score, dict[str, Score], int]:
    found_total = labelled_total = detected = category_correct = 0
    kind_correct = dict.fromkeys(_CATEGORIES, 0)
    kind_predicted = dict.fromkeys(_CATEGORIES, 0)
    kind_actual = dict.fromkeys(_CATEGORIES, 0)
    for snippet in snippets:
        labels = {_normal(q.text): q for q in snippet.questions}
        found = analyze(snippet.text).questions
        found_total += len(found)
        labelled_total += len(labels)
        for q in snippet.questions:
            kind_actual[q.kind] += 1
        matched: set[str] = set()
        for question in found:
            kind_predicted[question.kind] += 1
            label = labels.get(_normal(question.text))
            if label is None or _normal(label.text) in matched:
                mistakes.append(f"{snippet.id}: not a labelled question: {question.text!r}")
                continue
            matched.add(_normal(label.text))
            detected += 1
            if question.kind == label.kind:
                kind_correct[label.kind] += 1
            else:
                mistakes.append(
                    f"{snippet.id}: {question.text!r} is {label.kind}/{label.category}, "
                    f"found {question.kind}/{question.category} (cue {question.cue!r})"
                )
            if question.category == label.category:
                category_correct += 1
        for key, label in labels.items():
            if key not in matched:
                mistakes.append(f"{snippet.id}: missed question: {label.text!r}")
    kinds = {k: Score(kind_correct[k], kind_predicted[k], kind_actual[k]) for k in _CATEGORIES}
    return Score(detected, found_total, labelled_total), kinds, category_correct


def _score_outcomes(mentions: list[Mention], mistakes: list[str]) -> tuple[Score, int]:
    correct = predicted = actual = none_mentions = 0
    for mention in mentions:
        matches = analyze(mention.text, network_outcomes(mention.network)).outcomes
        best = max(matches, key=lambda m: m.score) if matches else None
        if mention.outcome == NONE:
            none_mentions += 1
        else:
            actual += 1
        if best is not None:
            predicted += 1
            if best.key == mention.outcome:
                correct += 1
        got = f"{best.name} ({best.score:.2f}, {best.cue})" if best else NONE
        if (best.key if best else NONE) != mention.outcome:
            mistakes.append(f"{mention.network}: {mention.text!r} is {mention.outcome}, got {got}")
    return Score(correct, predicted, actual), none_mentions


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower()).strip(" .?!")


# --- the labelled set -------------------------------------------------------------------------


def _data(name: str) -> Any:
    folder = resources.files("valuescout.conversations") / "data" / "evaluation"
    return yaml.safe_load(folder.joinpath(name).read_text(encoding="utf-8"))


def load_questions(part: str) -> list[Snippet]:
    """The labelled snippets of a part; ValueError naming the file and snippet when a label
    is not a known kind/category pair or its text is not in the snippet."""
    name = f"questions_{part}.yaml"
    snippets = []
    for raw in _data(name)["snippets"]:
        questions = []
        for q in raw["questions"]:
            label = LabelledQuestion(q["text"], q["kind"], q["category"])
            if label.category not in _CATEGORIES.get(label.kind, ()):
                raise ValueError(f"{name} {raw['id']}: {label.kind}/{label.category} is unknown")
            if label.text not in raw["text"]:
                raise ValueError(f"{name} {raw['id']}: {label.text!r} is not in the snippet")
            questions.append(label)
        snippets.append(Snippet(raw["id"], raw["text"], tuple(questions)))
    return snippets


def load_mentions(part: str) -> list[Mention]:
    """The labelled outcome mentions of a part; ValueError when a label names no outcome of
    its network."""
    name = f"outcomes_{part}.yaml"
    mentions = []
    for network, items in _data(name)["networks"].items():
        keys = {ref.key for ref in network_outcomes(network)}
        for item in items:
            if item["outcome"] != NONE and item["outcome"] not in keys:
                raise ValueError(f"{name} {network}: no outcome named {item['outcome']!r}")
            mentions.append(Mention(network, item["text"], item["outcome"]))
    return mentions


@cache
def network_outcomes(network: str) -> tuple[OutcomeRef, ...]:
    """The outcomes of a demo value network (valuenet/data/demo/<network>.yaml)."""
    folder = resources.files("valuescout.valuenet") / "data" / "demo"
    text = folder.joinpath(f"{network}.yaml").read_text(encoding="utf-8")
    return outcome_refs(fileformat.load_yaml(text))
