"""What a call plan suggests, from the value network alone: expansion questions for an
outcome and the line on what a good result looks like. Pure: no database.

Expansion questions widen the customer's view of a problem instead of qualifying the deal.
For each outcome the plan offers three kinds (the analyzer's categories):

- implication: what a shortfall on the outcome causes elsewhere in their business;
- cost of inaction: what it costs them if nothing changes;
- need-payoff: what reaching it would let them do, in their own words and figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from valuescout.valuenet.phrasing import clean, lead, lower_first, noun

QUESTION_CATEGORIES = ("implication", "cost_of_inaction", "need_payoff")


@dataclass(frozen=True)
class OutcomeInfo:
    id: int
    name: str
    measure: str = ""
    unit: str = ""


@dataclass(frozen=True)
class SuggestedQuestion:
    outcome_id: int
    category: str
    text: str


def _measure_words(o: OutcomeInfo) -> str:
    measure = clean(o.measure)
    return lower_first(measure) if measure else noun(o.name)


def expansion_questions(o: OutcomeInfo) -> tuple[SuggestedQuestion, ...]:
    """Three expansion questions about one outcome, in QUESTION_CATEGORIES order."""
    thing = noun(o.name)
    measure = _measure_words(o)
    unit = f" (in {clean(o.unit)})" if clean(o.unit) else ""
    return (
        SuggestedQuestion(
            o.id,
            "implication",
            f"What does falling short on {thing} cause elsewhere in the business, "
            "and who has to deal with it?",
        ),
        SuggestedQuestion(
            o.id,
            "cost_of_inaction",
            f"If nothing changes on {measure} over the next year, what will that cost you{unit}?",
        ),
        SuggestedQuestion(
            o.id,
            "need_payoff",
            f"If {lead(o.name)}, what would that let you do that you cannot do today, "
            "and how would you measure it?",
        ),
    )


def quantify_line(o: OutcomeInfo) -> str:
    """The outcome to put a number on, with the measure the network gives it."""
    measure = clean(o.measure)
    if not measure:
        return f"{clean(o.name)}: agree a measure and today's figure."
    unit = f" ({clean(o.unit)})" if clean(o.unit) else ""
    return f"{clean(o.name)}: today's {lower_first(measure)}{unit} and the target."


def good_result(outcomes: Sequence[OutcomeInfo], attendees: int) -> str:
    """A default 'what a good result looks like', when the seller writes none."""
    if not outcomes:
        return (
            "The customer names the business outcomes that matter to them and agrees "
            "a next step with a date."
        )
    names = ", ".join(clean(o.name) for o in outcomes[:2])
    who = "each attendee" if attendees > 1 else "the attendee"
    return (
        f"The customer confirms {names} matter, puts today's figure on at least one, "
        f"{who} names what they personally gain, and we agree a dated next step."
    )
