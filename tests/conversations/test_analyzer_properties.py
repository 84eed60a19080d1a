"""Properties of the analyzer over arbitrary text: it never fails, what it reports comes from
the text, and its JSON form is JSON."""

from __future__ import annotations

import json
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from valuescout.conversations.analyzer import OutcomeRef, analyze
from valuescout.conversations.analyzer_outcomes import stem, terms
from valuescout.conversations.analyzer_synonyms import STOP_WORDS

OUTCOMES = (
    OutcomeRef("a", "Less unplanned downtime", "Production stops less often."),
    OutcomeRef("b", "Lower energy cost", "The electricity bill goes down."),
)
_VOCABULARY = (
    "what how who when if we asked pump pumps downtime cost you $40k 12% 3 weeks 30 trucks "
    "Maria Lopez plant manager CFO ? . , : \n [00:01] Anna: Tom (00:02): would it help budget "
    '"why now?" nothing changes ideal \' - 1,200 units two million dollars'
)
WORDS = st.sampled_from(_VOCABULARY.split(" "))
TEXTS = st.one_of(st.text(max_size=300), st.lists(WORDS, max_size=60).map(" ".join))


@settings(max_examples=200, deadline=None)
@given(TEXTS)
def test_analyze_never_fails_and_reports_only_what_is_in_the_text(text: str) -> None:
    result = analyze(text, OUTCOMES)
    json.dumps(result.to_json())
    flat = " ".join(text.split())
    for q in result.questions:
        assert q.kind in {"expansion", "qualification"}
        assert " ".join(q.text.split()) in flat
    for f in result.figures:
        assert f.kind in {"money", "percent", "time", "volume"}
        assert f.text in f.sentence and " ".join(f.sentence.split()) in flat
        assert f.value is None or f.value >= 0
    for m in result.outcomes:
        assert m.key in {"a", "b"} and 0 < m.score <= 1.0000001
    for speaker in result.speakers:
        assert speaker in text


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=20))
def test_stems_are_never_longer_nor_empty(word: str) -> None:
    assert 0 < len(stem(word)) <= len(word)


@given(st.text(max_size=200))
def test_terms_hold_no_stop_words_nor_bare_numbers(text: str) -> None:
    assert all(t not in STOP_WORDS and not t.isdigit() for t in terms(text))


def test_stemming_and_synonyms_fold_word_forms() -> None:
    assert stem("pumps") == stem("pump") and stem("stopped") == stem("stop")
    assert stem("failures") == stem("failure") and stem("batteries") == "battery"
    assert terms("outages stoppages downtime") == ["downtime"] * 3
    assert terms("electricity bill") == ["energy", "cost"]


@given(
    st.integers(min_value=0, max_value=10**12),
    st.sampled_from([("$", "", "USD"), ("\u20ac", "", "EUR"), ("", " EUR", "EUR")]),
)
def test_money_written_with_thousands_separators_parses_to_its_value(
    amount: int, currency: tuple[str, str, str]
) -> None:
    before, after, code = currency
    [figure] = analyze(f"It cost {before}{amount:,}{after} last year.").figures
    assert (figure.kind, figure.value, figure.unit) == ("money", amount, code)


@given(st.decimals(min_value=0, max_value=1000, places=1), st.sampled_from(["k", "M"]))
def test_scaled_money_multiplies_out(amount: Decimal, scale: str) -> None:
    [figure] = analyze(f"We lose ${amount}{scale} a year.").figures
    factor = 1000 if scale == "k" else 1_000_000
    assert figure.value == amount * factor
