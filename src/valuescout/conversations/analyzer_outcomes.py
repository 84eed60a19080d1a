"""Match sentences to a value network's outcomes by word similarity.

Text becomes terms: lower-cased words, stop words (and direction words such as "less",
"more", "lower", which outcomes use but problems are told without) dropped, a light suffix
stemming, then a small domain synonym table folds words that mean the same thing here
(outage/stoppage -> downtime, spend/expense/bill -> cost, electricity/power -> energy ...).
Each outcome is a document of its name (counted twice) and its description; a term's weight
is its TF-IDF over the outcome documents. A sentence's score for an outcome is the cosine of
the two weight vectors; the best outcome counts as a match when the score reaches
`THRESHOLD` (`SINGLE_WORD_THRESHOLD` when only one word is shared). The cue is the shared
terms.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from valuescout.conversations.analyzer_concepts import concept_terms
from valuescout.conversations.analyzer_synonyms import STOP_WORDS, SYNONYMS
from valuescout.conversations.analyzer_types import OutcomeMatch, OutcomeRef
from valuescout.conversations.analyzer_wordnet import lemma, senses
from valuescout.conversations.transcript import Sentence

THRESHOLD = 0.15
# one shared word is weak evidence (a sentence about the site's "plant" or "engineer" shares
# one word with many outcomes): a single-word match needs a much higher score
SINGLE_WORD_THRESHOLD = 0.4
# ... unless that word is a concept found by its phrasing ("seized up" -> failure)
SINGLE_CONCEPT_FACTOR = 0.75
NAME_WEIGHT = 2
# a concept (a phrasing such as "seized up" -> failure) weighs more than one word
CONCEPT_WEIGHT = 1.5
# the network around an outcome (linked differentiators, rationales) is weaker evidence
CONTEXT_WEIGHT = 0.2
# words of every sales call about plants: shared, they say little about which outcome is meant
GENERIC_WORDS = frozenset(
    ["pump", "plant", "site", "call", "manager", "system", "house", "room", "equipment", "people"]
)
UNSEEN_FACTOR = 0.7
# a sentence word the outcome does not use, but which shares a general sense (WordNet) with
# one of its words ("quit" ~ "stop", "unreliable" ~ "reliability"), counts as that word at
# this fraction
SENSE_FACTOR = 0.5
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def stem(word: str) -> str:
    """A light English suffix stripper: enough to join plural/verb forms, not a full Porter."""
    if len(word) <= 3 or word.isdigit():
        return word
    for suffix, replacement in (
        ("ies", "y"),
        ("sses", "ss"),
        ("ings", ""),
        ("ing", ""),
        ("edly", ""),
        ("ed", ""),
        ("ers", "er"),
        ("ly", ""),
        ("es", "e"),
        ("s", ""),
    ):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            word = word[: len(word) - len(suffix)] + replacement
            break
    if len(word) > 4 and word[-1] == word[-2] and word[-1] not in "lsz":
        word = word[:-1]  # stopped -> stopp -> stop
    return word


@lru_cache(maxsize=16384)
def fold(word: str) -> str:
    """A word's term: its synonym group's, else the stem of its dictionary form (WordNet's
    lemma where it knows the word, so "throttled" and "throttle", "broke" and "break" meet)."""
    base = lemma(word) or word
    return SYNONYMS.get(word) or SYNONYMS.get(stem(word)) or SYNONYMS.get(base) or stem(base)


def sense_words(text: str) -> list[str]:
    """The words of a text whose general senses count: no stop word, number or generic word."""
    out = []
    for raw in _WORD.findall(text.lower().replace("\u2019", "'")):
        word = raw.split("'")[0]
        if word in STOP_WORDS or word.isdigit() or fold(word) in GENERIC_WORDS:
            continue
        out.append(word)
    return out


def terms(text: str) -> list[str]:
    out = []
    for raw in _WORD.findall(text.lower().replace("\u2019", "'")):
        word = raw.split("'")[0]
        if word in STOP_WORDS or word.isdigit():
            continue
        folded = fold(word)
        if folded and folded not in STOP_WORDS:
            out.append(folded)
    return out


def profile(*parts: tuple[str, float]) -> dict[str, float]:
    """The weighted terms of (text, weight) parts: each text's words, plus the concept terms
    of its phrasings, which weigh `CONCEPT_WEIGHT` times more (a concept is the gist of a
    phrase, stronger than one word)."""
    counts: dict[str, float] = {}
    for text, weight in parts:
        if weight <= 0:
            continue
        for term in terms(text):
            counts[term] = counts.get(term, 0.0) + weight
        for term in concept_terms(text):
            counts[term] = counts.get(term, 0.0) + weight * CONCEPT_WEIGHT
    return counts


def _tf(count: float) -> float:
    return 1 + math.log(count) if count >= 1 else count


@dataclass
class Best:
    """The best outcome for a sentence: its score, the shared terms, and the sentence words
    that meet it only through a general sense (word, its term, the outcome's term)."""

    outcome: OutcomeRef
    score: float
    shared: list[str]
    bridged: list[tuple[str, str, str]]
    concepts: list[str]  # the sentence's concept terms


class OutcomeIndex:
    """TF-IDF vectors of the outcomes, built once per analysis."""

    def __init__(self, outcomes: Sequence[OutcomeRef]) -> None:
        self.outcomes = tuple(outcomes)
        own = [profile((o.name, NAME_WEIGHT), (o.description, 1.0)) for o in self.outcomes]
        around = [profile((o.context, CONTEXT_WEIGHT)) for o in self.outcomes]
        docs = [
            {t: a.get(t, 0.0) + b.get(t, 0.0) for t in a.keys() | b.keys()}
            for a, b in zip(own, around, strict=True)
        ]
        n = len(docs)
        # document frequency from the outcomes' own words: the context, shared by neighbours,
        # must not make an outcome's own words look common
        df = Counter(term for doc in own for term in doc)
        context_df = Counter(term for doc in around for term in doc if term not in df)
        self.idf = {
            t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in (df + context_df).items()
        }
        # a word no outcome uses weighs like the rarest outcome word: a sentence mostly about
        # other things scores low even when it shares one word with an outcome
        self.unseen_idf = max(self.idf.values(), default=1.0) * UNSEEN_FACTOR
        self.vectors = [self._weigh(doc) for doc in docs]
        # each outcome's senses -> its term that has it (its own words win over its context)
        self.bridges = [
            {
                sense: fold(word)
                for text in (o.context, o.description, o.name)
                for word in sense_words(text)
                for sense in senses(word)
                if fold(word) in vector
            }
            for o, vector in zip(self.outcomes, self.vectors, strict=True)
        ]
        self.sense_sets = [frozenset(b) for b in self.bridges]

    def _weigh(self, counts: dict[str, float]) -> dict[str, float]:
        vector = {t: _tf(c) * self.idf.get(t, self.unseen_idf) for t, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        return {t: v / norm for t, v in vector.items()}

    def best(self, text: str) -> Best | None:
        concepts = concept_terms(text)
        counts: dict[str, float] = {}
        for term in terms(text):
            counts[term] = counts.get(term, 0.0) + 1.0
        for term in concepts:
            counts[term] = counts.get(term, 0.0) + CONCEPT_WEIGHT
        query = self._weigh(counts)
        words = [(w, fold(w), senses(w)) for w in sense_words(text)]
        words = [(w, t, s) for w, t, s in words if s and t in query]
        sentence_senses = {sense for _, _, word_senses in words for sense in word_senses}
        scored = []
        for i, vector in enumerate(self.vectors):
            shared = [t for t in query if t in vector]
            score = sum(query[t] * vector[t] for t in shared)
            bridged = (
                self._bridge(i, words, shared)
                if not self.sense_sets[i].isdisjoint(sentence_senses)
                else []
            )
            score += sum(SENSE_FACTOR * query[t] * vector[theirs] for _, t, theirs in bridged)
            if shared or bridged:
                scored.append(Best(self.outcomes[i], score, shared, bridged, concepts))
        if not scored:
            return None
        best = max(scored, key=lambda b: b.score)
        best.shared.sort(key=lambda t: -query[t] * self.idf[t])
        return best

    def _bridge(
        self, i: int, words: list[tuple[str, str, tuple[int, ...]]], shared: list[str]
    ) -> list[tuple[str, str, str]]:
        """(sentence word, its term, the outcome's term) for each sentence word the outcome
        does not use that shares a general sense with one of its words (each used once)."""
        vector, bridges = self.vectors[i], self.bridges[i]
        used = set(shared)
        out = []
        for word, term, word_senses in words:
            if term in used:
                continue
            theirs = [bridges[s] for s in word_senses if s in bridges and bridges[s] not in used]
            if theirs:
                best = max(theirs, key=lambda t: vector[t])
                used |= {term, best}
                out.append((word, term, best))
        return out


@lru_cache(maxsize=32)
def _index(outcomes: tuple[OutcomeRef, ...]) -> OutcomeIndex:
    return OutcomeIndex(outcomes)


def match_outcomes(
    sentences: tuple[Sentence, ...],
    outcomes: Sequence[OutcomeRef],
    threshold: float = THRESHOLD,
    single_threshold: float = SINGLE_WORD_THRESHOLD,
) -> tuple[OutcomeMatch, ...]:
    if not outcomes:
        return ()
    index = _index(tuple(outcomes))
    found = []
    for sentence in sentences:
        best = index.best(sentence.text)
        if best is None:
            continue
        outcome, score, shared = best.outcome, best.score, best.shared
        evidence = _strong(shared) + len(best.bridged)
        # shared generic words alone ("the plant", "the pump house") are no evidence at all;
        # one shared concept found by its phrasing ("seized up", "burn power for nothing") is
        # better evidence than one shared everyday word
        phrased = bool(shared) and shared[0] in best.concepts
        single = single_threshold * (SINGLE_CONCEPT_FACTOR if phrased else 1.0)
        if evidence and score >= (threshold if evidence > 1 else single):
            cue = shared + [f"{word}~{theirs}" for word, _, theirs in best.bridged]
            found.append(
                OutcomeMatch(outcome.key, outcome.name, sentence.text, score, " ".join(cue))
            )
    return tuple(found)


def _strong(shared: list[str]) -> int:
    """How many shared terms are evidence: generic words ("plant", "pump", "manager") are not."""
    return sum(term not in GENERIC_WORDS for term in shared)
