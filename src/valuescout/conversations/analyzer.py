"""The conversation analyzer: proposes an interaction's value-quality fields from notes or a
pasted transcript, by transparent rules and without any hosted model.

`analyze(text, outcomes)` returns the questions asked (expansion or qualification, with the
category and the cue that decided), the quantifying figures, the people and titles mentioned,
the sentences that match the given value-network outcomes, the business insights offered and
the transcript's speakers. Each part has its own module with its rules documented there:
`transcript` (speakers, sentences), `analyzer_questions` + `analyzer_lexicon` (+ `_expansion`),
`analyzer_figures`, `analyzer_people`, `analyzer_outcomes` + `analyzer_synonyms`,
`analyzer_insights`. Pure: no database, no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from valuescout.conversations import transcript
from valuescout.conversations.analyzer_figures import find_figures
from valuescout.conversations.analyzer_insights import find_insights
from valuescout.conversations.analyzer_outcomes import match_outcomes
from valuescout.conversations.analyzer_people import find_people
from valuescout.conversations.analyzer_questions import find_questions
from valuescout.conversations.analyzer_types import (
    Analysis,
    FoundFigure,
    FoundInsight,
    FoundPerson,
    FoundQuestion,
    OutcomeMatch,
    OutcomeRef,
)
from valuescout.valuenet.spec import NetworkSpec, Strength

__all__ = [
    "Analysis",
    "FoundFigure",
    "FoundInsight",
    "FoundPerson",
    "FoundQuestion",
    "OutcomeMatch",
    "OutcomeRef",
    "analyze",
    "outcome_refs",
]


def analyze(text: str, outcomes: Sequence[OutcomeRef] = ()) -> Analysis:
    parsed = transcript.parse(text)
    questions = find_questions(parsed.sentences)
    asked = {q.text for q in questions}
    statements = tuple(s for s in parsed.sentences if s.text not in asked)
    return Analysis(
        questions=questions,
        figures=find_figures(parsed.sentences),
        people=find_people(parsed.sentences, parsed.speakers),
        outcomes=match_outcomes(parsed.sentences, outcomes),
        insights=find_insights(statements),
        speakers=parsed.speakers,
    )


def outcome_refs(
    spec: NetworkSpec, keys: Mapping[str, str] | None = None
) -> tuple[OutcomeRef, ...]:
    """The outcomes of a value network, keyed by name (unique within a network) or by
    `keys[name]` (e.g. the node id in the database); the measure joins the description because
    it often names the thing a customer talks about. The context is what the network says
    around the outcome: the differentiators linked to it (name and description), the
    rationales of its incoming links, the outcomes it leads to (name and the link's rationale), and
    the personas who hold it as a primary outcome. Every caller that matches outcomes (the
    evaluation, the CLI, "propose from text", the demo) builds its references here, so what is
    measured is what the product does."""
    differentiators = {d.name: f"{d.name}. {d.description}" for d in spec.differentiators}
    context: dict[str, list[str]] = {o.name: [] for o in spec.outcomes}
    for link in spec.links:
        if link.target in context:
            context[link.target] += [differentiators.get(link.source, ""), link.rationale]
        if link.source in context and link.target in context:
            context[link.source] += [link.target, link.rationale]
    for persona in spec.personas:
        for wanted in persona.outcomes:
            if wanted.strength == Strength.PRIMARY and wanted.outcome in context:
                context[wanted.outcome].append(persona.name)
    return tuple(
        OutcomeRef(
            keys[o.name] if keys is not None else o.name,
            o.name,
            " ".join(p for p in (o.description, o.measure) if p),
            " ".join(p for p in context[o.name] if p),
        )
        for o in spec.outcomes
    )
