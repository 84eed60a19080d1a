"""Meeting notes for the demo's interaction log, written from templates at a quality level
0..1: a better conversation teaches the customer something, asks questions that widen their
view of the problem rather than only qualify the deal, brings in allies, and gets the
customer to name outcomes and put figures on them. A weaker one is mostly qualification.
The analyzer reads these notes the way it reads a seller's, so the scores come from it.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from valuescout.valuenet.phrasing import clean, lead, lower_first, noun


@dataclass(frozen=True)
class Person:
    name: str
    title: str


INSIGHTS = (
    "Plants like yours usually find that most unplanned stops start with a part nobody watched.",
    "We have seen sites cut their call-outs by a third once they track the first warning signs.",
    "Our fleet data shows the worst month of the year costs twice an average one.",
    "Other utilities we work with found their real cost was in overtime, not in spare parts.",
    "In our experience the savings only stick when operations owns the measure.",
    "A customer of ours in the same region moved from monthly checks to alerts within a quarter.",
    "Benchmarks put the best sites at half the maintenance hours of the median.",
)
EXPANSION = (
    "What happens to your delivery promises when {thing} goes wrong?",
    "If nothing changes, what will {thing} cost you next year?",
    "{lead_cap}, what would that let you do that you cannot do today?",
    "What does a bad week on {thing} do to the rest of the plant?",
    "What would it mean for your team if {thing} were solved for good?",
    "If this stays as it is for another year, who feels it first?",
)
QUALIFICATION = (
    "What budget have you set aside for this?",
    "When do you need to have a decision?",
    "Who else has to sign off on a purchase like this?",
    "How many sites run this equipment today?",
    "Which supplier do you use at the moment?",
    "Is this in this year's plan or next year's?",
)
OUTCOME_LINES = (
    "{who}: Top of our list this year: {name}.",
    "{who}: Honestly, the project exists for one reason: {name}.",
    "{who}: What we need most is simple: {name}.",
)
FIGURES = (
    ", and we lose about {n} hours a year to it.",
    ", which costs us roughly ${k},000 a year.",
    ", worth about {p}% of our maintenance budget.",
)
ALLY_LINES = (
    "{who}: {ally}, our {title}, wants to join the next meeting and will back this internally.",
    "{who}: I will bring {ally}, our {title}, in; {ally} has been asking for this for a year.",
)
FILLER = (
    "We walked through the current set-up and the last two outages.",
    "Agreed to send the reference case and a draft agenda for the site visit.",
    "Discussed the service contract and the timing of the renewal.",
    "They shared the maintenance schedule for the coming quarter.",
)


def _thing(outcome: str) -> str:
    return noun(outcome)


def _expansion(rng: random.Random, outcome: str) -> str:
    template = rng.choice(EXPANSION)
    first = lead(outcome)
    return template.format(thing=_thing(outcome), lead_cap="If " + lower_first(clean(first)))


def notes_for(
    rng: random.Random,
    level: float,
    seller: str,
    customer: Person | None,
    others: Sequence[Person],
    outcomes: Sequence[str],
    personal: Sequence[str],
) -> str:
    """Notes in the `Speaker: text` form of a meeting with `customer` (None: plain notes)."""
    level = min(1.0, max(0.0, level))
    me = seller.split(" ")[0]
    who = customer.name.split(" ")[0] if customer else "They"
    lines = [rng.choice(FILLER)]
    for insight in rng.sample(INSIGHTS, 2):
        if rng.random() < 0.8 * level:
            lines.append(f"{me}: {insight}")
    for _ in range(rng.choice((1, 2, 2, 3)) + (1 if level < 0.4 else 0)):
        lines.append(f"{me}: {rng.choice(QUALIFICATION)}")
    for _ in range(int(level * 4.5 + rng.uniform(-0.8, 0.8))):
        if outcomes:
            lines.append(f"{me}: {_expansion(rng, rng.choice(outcomes))}")
    for outcome in list(outcomes)[: int(level * 3 + rng.uniform(-0.5, 0.7))]:
        line = rng.choice(OUTCOME_LINES).format(who=who, name=lower_first(clean(outcome)))
        if rng.random() < 0.85 * level:
            line = line.removesuffix(".") + rng.choice(FIGURES).format(
                n=rng.randint(40, 400), k=rng.randint(20, 900), p=rng.randint(3, 30)
            )
        lines.append(line)
    if personal and rng.random() < 0.7 * level:
        lines.append(f"{who}: Personally, {_thing(rng.choice(personal))} would make my year.")
    if others and rng.random() < 0.9 * level:
        ally = rng.choice(list(others))
        lines.append(
            rng.choice(ALLY_LINES).format(who=who, ally=ally.name, title=ally.title or "colleague")
        )
    return "\n".join(lines)
