"""General English senses for outcome matching (`analyzer_wordnet`, the WordNet 3.0 subset in
conversations/data/wordnet/): dictionary forms, shared senses, and what they do to a match."""

from __future__ import annotations

import pytest

from valuescout.conversations import analyzer_outcomes
from valuescout.conversations.analyzer import OutcomeRef, analyze
from valuescout.conversations.analyzer_wordnet import lemma, senses

OUTCOMES = (
    OutcomeRef("supply", "Reliable supply to our customers", "Deliveries arrive on time."),
    OutcomeRef("energy", "Lower energy cost", "The electricity bill goes down."),
    OutcomeRef("stops", "Fewer line stops", "The filling line stops less often."),
)


@pytest.mark.parametrize(
    ("word", "base"),
    [
        ("throttled", "throttle"),
        ("stopping", "stop"),
        ("seized", "seize"),
        ("leaking", "leak"),
        ("changing", "change"),
        ("running", "run"),
        ("pumps", "pump"),
        ("went", "go"),
        ("feed", "feed"),  # a known word in -ed stays as it is
        ("xyzzy", None),
    ],
)
def test_words_take_their_dictionary_form(word: str, base: str | None) -> None:
    assert lemma(word) == base


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("quit", "stop"),  # a synonym in a common sense
        ("fail", "failure"),  # a derived form
        ("unreliable", "reliability"),  # the opposite, derived: a problem told as its outcome
        ("invoice", "bill"),
        ("unpredictable", "predictable"),
    ],
)
def test_related_words_share_a_sense(a: str, b: str) -> None:
    assert set(senses(a)) & set(senses(b))


@pytest.mark.parametrize(("a", "b"), [("pump", "energy"), ("supply", "cost"), ("night", "bill")])
def test_unrelated_words_share_none(a: str, b: str) -> None:
    assert not set(senses(a)) & set(senses(b))


@pytest.mark.parametrize(
    ("text", "key", "cue"),
    [
        ("Their supply has been unreliable all winter.", "supply", "unreliable~reliable"),
        ("They want the invoices for power to shrink.", "energy", "invoices~cost"),
    ],
)
def test_a_sentence_meets_an_outcome_through_a_shared_sense(text: str, key: str, cue: str) -> None:
    matches = analyze(text, OUTCOMES).outcomes
    assert [m.key for m in matches] == [key]
    assert cue in matches[0].cue.split()  # the cue names the sentence's and the outcome's word


def test_without_senses_those_sentences_fall_short(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(analyzer_outcomes, "senses", lambda word: ())
    analyzer_outcomes._index.cache_clear()
    try:
        assert analyze("Their supply has been unreliable all winter.", OUTCOMES).outcomes == ()
    finally:
        analyzer_outcomes._index.cache_clear()


def test_a_shared_sense_alone_is_one_piece_of_evidence() -> None:
    """Sharing one sense (however many senses the two words share) counts as one shared word:
    the single-word threshold applies, so a lone sense in a long unrelated sentence is no
    match."""
    text = "We talked for an hour about football, the weather and why the canteen cannot quit."
    assert analyze(text, OUTCOMES).outcomes == ()
