"""Question classification by cue families: each family is checked with wordings that are in
no labelled set, so a rule that only knows the labelled sentences fails here."""

from __future__ import annotations

import re

import pytest

from valuescout.conversations.analyzer import analyze
from valuescout.conversations.analyzer_questions import CUES, classify

EXPANSION_BY_FAMILY = [
    # implication: impact words, what X does to / means for Y, reactions, where it leaves you
    ("What knock-on effect does that have on quality?", "implication"),
    ("How does a late shipment play out with your biggest customer?", "implication"),
    ("Does that put your certification at risk?", "implication"),
    ("Where does that leave your delivery promise?", "implication"),
    ("How does that translate into lost output?", "implication"),
    ("Who ends up paying for those delays?", "implication"),
    ("Would the regulator accept another exceedance this year?", "implication"),
    ("Who notices first when the chiller goes down?", "implication"),
    ("Is it getting worse over time?", "implication"),
    ("How many complaints do those late trucks generate?", "implication"),
    ("What are the implications for your expansion plans?", "implication"),
    ("Does that make it harder to meet your production targets?", "implication"),
    ("And how does your team feel about being called in every weekend?", "implication"),
    ("Are you seeing more rework since the new line came in?", "implication"),
    ("Where do the costs of those emergency call-outs actually land?", "implication"),
    ("Do those stoppages eat into your margin?", "implication"),
    ("Who carries the can when the batch is out of spec?", "implication"),
    ("How many sales have you lost to competitors because of lead times?", "implication"),
    ("What's the knock-on for your spare-parts budget?", "implication"),
    ("What did the hospital have to cancel the last time the chiller failed?", "implication"),
    ("Does it keep you up at night?", "implication"),
    ("How are the operators coping with all the manual resets?", "implication"),
    ("How do your customers feel about the missed deliveries?", "implication"),
    ("What gets delayed when your technicians are stuck on breakdowns?", "implication"),
    ("Has the downtime ever made you miss a shipping slot?", "implication"),
    ("Does it slow down the whole line?", "implication"),
    # need_payoff: value, help, freed money or time, a hypothetical change
    ("Where would that money go?", "need_payoff"),
    ("What would you spend the savings on?", "need_payoff"),
    ("Would faster delivery change your choice of supplier?", "need_payoff"),
    ("How would that change your week?", "need_payoff"),
    ("Would that be valuable for you?", "need_payoff"),
    ("What's the upside for the plant?", "need_payoff"),
    ("Would that give you an edge in tenders?", "need_payoff"),
    ("If the audit took a day instead of a week, what would the team do instead?", "need_payoff"),
    ("How much calmer would the night shift be with remote alarms?", "need_payoff"),
    ("Would you sleep better if the alarms came to your phone?", "need_payoff"),
    ("Asked what she would do with a spare afternoon every week.", "need_payoff"),
    ("Would a dashboard like that save you time in the morning meeting?", "need_payoff"),
    ("Is there a project you'd start if the team had more time?", "need_payoff"),
    ("Say the energy bill came down by a fifth - who would notice?", "need_payoff"),
    ("Would it make the conversation with finance any easier?", "need_payoff"),
    ("How would a faster service response help the plant?", "need_payoff"),
    ("Is it useful to solve this before the summer?", "need_payoff"),
    ("Could the savings pay for the second phase?", "need_payoff"),
    ("What would you stop worrying about?", "need_payoff"),
    ("Which of your goals would that move forward?", "need_payoff"),
    # future_state: ideal, goals, where someone wants things to be
    ("Describe the perfect maintenance week for me?", "future_state"),
    ("What are you hoping to achieve by 2027?", "future_state"),
    ("What's the end goal here?", "future_state"),
    ("Where does she want scrap to be next year?", "future_state"),
    ("How should the pump room run once the new hall is open?", "future_state"),
    ("What would you build if you started over?", "future_state"),
    ("What's your wish list for the new pump house?", "future_state"),
    # cost_of_inaction: costing, losing, waiting, how long it can go on
    ("What's a bad month costing the team?", "cost_of_inaction"),
    ("What are you losing each week the line is down?", "cost_of_inaction"),
    ("What's the risk of keeping the old pumps?", "cost_of_inaction"),
    ("How much longer can you put up with that?", "cost_of_inaction"),
    ("How much longer can the old chiller carry the summer load?", "cost_of_inaction"),
    ("What are you giving up by keeping the old drives?", "cost_of_inaction"),
    ("How much energy are you wasting with the throttled valves?", "cost_of_inaction"),
    ("What's the cost to the business of sticking with the current setup?", "cost_of_inaction"),
    ("How much longer is the board willing to accept that?", "cost_of_inaction"),
    ("Are these costs likely to rise if you leave it?", "cost_of_inaction"),
    ("How many more summers can the old fans get through?", "cost_of_inaction"),
    ("How long before the old controls stop being supported?", "cost_of_inaction"),
    (
        "If you wait for the next budget cycle, what do you lose in the meantime?",
        "cost_of_inaction",
    ),
    (
        "If prices stay this high, what does your energy budget look like next year?",
        "cost_of_inaction",
    ),
]

QUALIFICATION_LOOKALIKES = [
    ("Would it help if we sent you a proposal first?", "situation"),  # an offer, no payoff
    ("What does a new seal kit cost?", "budget"),  # a price, not a loss
    ("What are those pumps worth on the second-hand market?", "situation"),
    ("Who looks after the compressors at night?", "situation"),
    ("What does the evaluation look like from here?", "authority"),
    ("How many hours per week does the team spend on call-outs?", "situation"),
    ("Would you be able to send the drawings?", "situation"),
    ("Do you need the pumps to be ATEX certified?", "situation"),
    ("Did the board say yes to the budget?", "budget"),
    ("Who do you turn to for service today?", "situation"),
    ("Does he have numbers on what a stop costs?", "situation"),
    ("Is that the same pump that failed in May?", "situation"),  # a lone lean word
    ("If we sent a draft contract, who would review it?", "authority"),  # a seller's step
    ("How would you like us to run the site visit?", "situation"),
    ("Is the vision system on the same network?", "situation"),
    ("What would delivery to the island cost?", "budget"),
    ("How much did the last set of fans cost?", "budget"),
    ("What was the reason for the last failure?", "situation"),  # a cause is a fact
    ("What does the site look like today?", "situation"),
    ("How long does a repair usually take?", "situation"),
]


@pytest.mark.parametrize(("question", "category"), EXPANSION_BY_FAMILY)
def test_expansion_cue_families(question: str, category: str) -> None:
    assert classify(question)[:2] == ("expansion", category)


@pytest.mark.parametrize(("question", "category"), QUALIFICATION_LOOKALIKES)
def test_fact_questions_that_look_like_expansion(question: str, category: str) -> None:
    assert classify(question)[:2] == ("qualification", category)


def test_several_expansion_cues_outweigh_one_strong_budget_word() -> None:
    kind, category, cue = classify("And if nothing is done, what does that do to your budget?")
    assert (kind, category, cue) == ("expansion", "cost_of_inaction", "nothing is done")


@pytest.mark.parametrize(
    ("note", "kind", "category"),
    [
        ("Asked where the saved energy budget would be spent.", "expansion", "need_payoff"),
        ("Asked how long they can keep patching the old line.", "expansion", "cost_of_inaction"),
        ("Asked whether they can afford another failed audit.", "expansion", "cost_of_inaction"),
        (
            "I wanted to understand what a breach of the permit would mean for the plant.",
            "expansion",
            "implication",
        ),
        # a reported "if" is a whether, not a hypothetical
        ("Asked if they would share last year's failure log.", "qualification", "situation"),
    ],
)
def test_questions_reported_in_notes(note: str, kind: str, category: str) -> None:
    [q] = analyze(note).questions
    assert (q.kind, q.category) == (kind, category)


def test_an_invitation_to_describe_is_a_question() -> None:
    [q] = analyze("I asked them to describe the site they want in three years.").questions
    assert (q.kind, q.category) == ("expansion", "future_state")


def test_every_cue_is_a_clean_pattern() -> None:
    """A quantifier written inside an f-string ("{1,30}" instead of "{{1,30}}") turns into a
    tuple's text and silently never matches."""
    for _, weight, pattern in CUES:
        assert not re.search(r"\(\d+, \d+\)", pattern.pattern), pattern.pattern
        assert weight != 0
