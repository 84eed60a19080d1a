"""The conversation analyzer: transcript forms, questions and their classification, figures,
people, outcome matching, insights and the JSON form."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from valuescout.conversations.analyzer import Analysis, OutcomeRef, analyze
from valuescout.conversations.transcript import parse, split_sentences

OUTCOMES = (
    OutcomeRef(
        "1", "Less unplanned downtime", "Production stops far less often because of a pump failure."
    ),
    OutcomeRef(
        "2", "Lower energy cost", "The pumping share of the site's electricity bill goes down."
    ),
    OutcomeRef(
        "3",
        "Fewer night call-outs for the maintenance lead",
        "The maintenance lead is no longer called out of bed when a pump trips.",
    ),
    OutcomeRef(
        "4",
        "Looks good in front of the plant director",
        "The plant manager brings better results to the plant director.",
    ),
    OutcomeRef(
        "5",
        "Right part on hand at the first visit",
        "The technician does not wait for a part to be shipped.",
    ),
)


# --- transcripts ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Anna: How many pumps run here?\nTom: Thirty.",
        "[00:01:02] Anna: How many pumps run here?\n[00:01:09] Tom: Thirty.",
        "00:01 Anna: How many pumps run here?\n00:02 Tom: Thirty.",
        "Anna (00:01): How many pumps run here?\nTom (00:02): Thirty.",
        "Anna (00:01):\nHow many pumps run here?\nTom (00:02):\nThirty.",
    ],
)
def test_transcript_forms_give_speakers_and_sentences(text: str) -> None:
    parsed = parse(text)
    assert parsed.speakers == ("Anna", "Tom")
    assert [(s.speaker, s.text) for s in parsed.sentences] == [
        ("Anna", "How many pumps run here?"),
        ("Tom", "Thirty."),
    ]


def test_speaker_with_a_role_in_brackets_and_continuation_lines() -> None:
    parsed = parse("Lena (Kestrel): Hello.\nHow old are the pumps?\nRolf: Old.")
    assert parsed.speakers == ("Lena (Kestrel)", "Rolf")
    assert parsed.sentences[1].speaker == "Lena (Kestrel)"


def test_free_notes_have_no_speakers_and_headings_are_not_speakers() -> None:
    parsed = parse("Note: call went well.\n- asked about budget\nNext steps: send the quote.")
    assert parsed.speakers == ()
    assert all(s.speaker is None for s in parsed.sentences)
    assert parsed.sentences[1].text == "asked about budget"  # bullet stripped


def test_sentences_do_not_split_after_abbreviations_or_decimals() -> None:
    assert split_sentences("Dr. Weber said 3.5 hours. Mr. Reed agreed e.g. on Friday.") == [
        "Dr. Weber said 3.5 hours.",
        "Mr. Reed agreed e.g. on Friday.",
    ]


# --- questions --------------------------------------------------------------------------------


def _questions(text: str) -> list[tuple[str, str, str]]:
    return [(q.text, q.kind, q.category) for q in analyze(text).questions]


@pytest.mark.parametrize(
    ("question", "kind", "category"),
    [
        ("What does that do to your deliveries?", "expansion", "implication"),
        ("Who else is affected when the line stops?", "expansion", "implication"),
        ("What would it be worth to you to halve those stops?", "expansion", "need_payoff"),
        (
            "If you could see every fault a week ahead, how would that help?",
            "expansion",
            "need_payoff",
        ),
        ("In an ideal world, what would maintenance look like here?", "expansion", "future_state"),
        ("Where do you want the plant to be in five years?", "expansion", "future_state"),
        ("If nothing changes, what will next winter cost you?", "expansion", "cost_of_inaction"),
        ("What does waiting another year cost the plant?", "expansion", "cost_of_inaction"),
        ("Is there a budget for this?", "qualification", "budget"),
        ("By when do you need the pumps installed?", "qualification", "timeline"),
        ("Who signs off on a contract like this?", "qualification", "authority"),
        ("How many pumps do you run on line 2?", "qualification", "situation"),
        ("Fair enough?", "qualification", "situation"),  # no cue: the default
    ],
)
def test_question_classification(question: str, kind: str, category: str) -> None:
    [(_, found_kind, found_category)] = _questions(question)
    assert (found_kind, found_category) == (kind, category)


def test_question_keeps_speaker_and_cue() -> None:
    [q] = analyze("Anna: What does downtime cost you?\nTom: A lot.").questions
    assert q.speaker == "Anna" and q.cue == "cost you" and q.kind == "expansion"


@pytest.mark.parametrize(
    "sentence",
    [
        "We asked whether the CFO signs off.",
        "Asked how many stations they run - 14.",
        "She wanted to know when the audit is.",
        "I'd be curious whether there is a range in mind.",
        "what would change if the pumps never tripped",
        "Do you track energy per pump",
        'He asked, "why now?" and waited.',
    ],
)
def test_questions_without_a_question_mark_or_reported(sentence: str) -> None:
    assert len(_questions(sentence)) == 1


@pytest.mark.parametrize(
    "sentence",
    [
        'Their slide is titled "Why invest in uptime?" and hangs in the hall.',
        "The brochure headline 'Ready for zero surprises?' got a smile.",
        "What we found at a similar plant is a 30% drop in call-outs.",
        "When the pump trips, the whole line stops.",
        "The asset manager asks me about it every week.",
        "They asked us for a quote.",
    ],
)
def test_statements_are_not_questions(sentence: str) -> None:
    assert _questions(sentence) == []


# --- figures ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "value", "unit"),
    [
        ("We lose $1.2M every year.", "money", Decimal("1200000"), "USD"),
        ("The spares are worth 40k EUR.", "money", Decimal("40000"), "EUR"),
        ("That's two million dollars.", "money", Decimal("2000000"), "USD"),
        ("It costs \u20ac3,500 a stop.", "money", Decimal("3500"), "EUR"),
        ("Energy is up 12.5% this year.", "percent", Decimal("12.5"), "%"),
        ("About ten percent of pumps.", "percent", Decimal("10"), "%"),
        ("It took 3 weeks to fix.", "time", Decimal("3"), "weeks"),
        ("We lose 4 hours a day.", "time", Decimal("4"), "hours/day"),
        ("Half a day per week goes on paperwork.", "time", Decimal("0.5"), "days/week"),
        ("They ship 1,200 units a day.", "volume", Decimal("1200"), "units"),
        ("A fleet of 30 trucks waits.", "volume", Decimal("30"), "trucks"),
        ("We run twenty-five pumps.", "volume", Decimal("25"), "pumps"),
    ],
)
def test_figures_with_parsed_values(text: str, kind: str, value: Decimal, unit: str) -> None:
    [figure] = analyze(text).figures
    assert (figure.kind, figure.value, figure.unit, figure.sentence) == (kind, value, unit, text)


def test_years_and_clock_times_are_not_figures() -> None:
    assert analyze("Since 2019 we meet at 10:30 on line 2.").figures == ()


# --- people -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name", "title"),
    [
        ("We met Maria Lopez, the plant manager, in the hall.", "Maria Lopez", "plant manager"),
        ("VP of Operations Tom Reed joined late.", "Tom Reed", "VP of Operations"),
        ("Tom Reed (CFO) signs everything.", "Tom Reed", "CFO"),
        ("Their CFO wants a payback under two years.", None, "CFO"),
        ("The senior reliability engineer is our champion.", None, "senior reliability engineer"),
    ],
)
def test_people_and_titles(text: str, name: str | None, title: str) -> None:
    assert [(p.name, p.title) for p in analyze(text).people] == [(name, title)]


def test_speakers_are_people_but_generic_labels_are_not() -> None:
    people = analyze("Anna Berg: Hello.\nCustomer: Hi.\nAnna Berg: Bye.").people
    assert [(p.name, p.title, p.sentence) for p in people] == [("Anna Berg", None, "Hello.")]


# --- outcomes ---------------------------------------------------------------------------------


def test_outcome_matching_uses_synonyms_and_reports_shared_words() -> None:
    [match] = analyze("We had three outages on line 2 last quarter.", OUTCOMES).outcomes
    assert (match.key, match.cue) == ("1", "downtime")
    assert 0 < match.score <= 1


def test_best_outcome_per_sentence_and_none_below_the_threshold() -> None:
    text = (
        "The electricity bill for pumping went up again. "
        "The maintenance lead gets called out at night when a pump trips. "
        "Thanks for the coffee and the tour."
    )
    matches = analyze(text, OUTCOMES).outcomes
    assert [m.key for m in matches] == ["2", "3"]


def test_one_shared_everyday_word_is_not_a_match() -> None:
    assert analyze("The plant is an hour from the airport.", OUTCOMES).outcomes == ()


def test_no_outcomes_given_means_no_matches() -> None:
    assert analyze("We had three outages last quarter.").outcomes == ()


# --- insights and JSON ------------------------------------------------------------------------


def test_insights_are_statements_with_an_insight_cue() -> None:
    text = (
        "We've seen plants like yours cut call-outs by half. "
        "Our data shows most seal failures follow a dry start. "
        "Have you seen that too? We like your canteen."
    )
    assert [i.cue for i in analyze(text).insights] == ["we've seen", "our data shows"]


def test_to_json_is_json_safe() -> None:
    result = analyze("Anna: Does it cost you $40k a year?\nTom: 40k EUR, yes.", OUTCOMES)
    data = json.loads(json.dumps(result.to_json()))
    assert set(data) == {"questions", "figures", "people", "outcomes", "insights", "speakers"}
    assert data["questions"][0] == {
        "text": "Does it cost you $40k a year?",
        "kind": "expansion",
        "category": "cost_of_inaction",
        "cue": "cost you",
        "speaker": "Anna",
    }
    assert [f["value"] for f in data["figures"]] == ["40000", "40000"]


def test_empty_text_gives_an_empty_analysis() -> None:
    assert analyze("   \n") == Analysis((), (), (), (), (), ())


def test_role_speakers_are_titles_and_verbs_after_a_title_are_not() -> None:
    people = analyze("Ops manager: Hi.\nSeller: Has Frank seen it?\nOps manager: No.").people
    assert [(p.name, p.title) for p in people] == [(None, "Ops manager")]
    assert analyze("I asked how the director reacted.").people == ()
