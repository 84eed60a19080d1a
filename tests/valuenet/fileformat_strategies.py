"""Hypothesis strategies for valid NetworkSpecs with names YAML and diagrams could misread."""

from __future__ import annotations

from hypothesis import strategies as st

from valuescout.valuenet.fileformat_rules import name_problem
from valuescout.valuenet.spec import (
    Competitor,
    CompetitorMatch,
    Differentiator,
    DifferentiatorKind,
    Link,
    Match,
    NetworkSpec,
    Offer,
    OfferKind,
    Outcome,
    OutcomeKind,
    Persona,
    PersonaOutcome,
    Strength,
)

# Text that YAML (1.1 and 1.2), JSON, Mermaid or DOT would read as something else.
TRICKY = [
    "yes", "No", "null", "~", "true", "OFF", "on", "y", "1", "007", "0x1F", "1e3", "1.5", ".inf",
    "-", "- item", "-1", "#hash", "a # b", "a: b", "key:", ":", "'q'", '"dq"', "it's", "@at",
    "`tick`", "%pct", "%%", "!bang", "!!str", "&anchor", "*star", "[x]", "{y}", ">fold", "|lit",
    "? q", "2024-01-01", "12:30", "été", "日本語", "😀", "a\\b", "\\n", "<b>", "&amp;", "#quot;",
    "a;b", "-->", "end", "style", "classDef x", "\u00a0x", "x\u200by", "Ω≈ç√", "---", "...",
]  # fmt: skip

_chars = st.characters(exclude_categories=["Cs"])  # lone surrogates are not text
_piece = st.one_of(st.sampled_from(TRICKY), st.text(_chars, min_size=1, max_size=12))

names = (
    st.lists(_piece, min_size=1, max_size=3)
    .map(" ".join)
    .map(str.strip)
    .filter(lambda name: name_problem(name) is None)
)

texts = st.one_of(
    st.just(""),
    _piece,
    st.text(_chars, max_size=40),
    st.lists(st.one_of(_piece, st.sampled_from(["\n", "\r\n", " ", "  \n", "\t", "\n\n"]))).map(
        "".join
    ),
)


@st.composite
def specs(draw: st.DrawFn) -> NetworkSpec:
    node_names = draw(st.lists(names, unique_by=str.casefold, max_size=8))
    split = draw(st.integers(0, len(node_names)))
    differentiator_names, outcome_names = node_names[:split], node_names[split:]
    differentiators = [
        Differentiator(name, draw(st.sampled_from(DifferentiatorKind)), draw(texts))
        for name in differentiator_names
    ]
    outcomes = [
        Outcome(
            name,
            draw(st.sampled_from(OutcomeKind)),
            draw(st.booleans()),
            draw(texts),
            draw(texts),
            draw(texts),
        )
        for name in outcome_names
    ]
    pairs = [(s, t) for s in node_names for t in outcome_names if s != t]
    chosen = (
        draw(st.lists(st.sampled_from(pairs), unique_by=frozenset, max_size=10)) if pairs else []
    )
    links = [Link(s, t, s in outcome_names and draw(st.booleans()), draw(texts)) for s, t in chosen]
    personas = [
        Persona(
            name,
            draw(texts),
            [
                PersonaOutcome(outcome, draw(st.sampled_from(Strength)))
                for outcome in draw(st.lists(st.sampled_from(outcome_names), unique=True))
            ]
            if outcome_names
            else [],
        )
        for name in draw(st.lists(names, unique_by=str.casefold, max_size=4))
    ]
    competitors = [
        Competitor(
            name,
            draw(texts),
            [
                CompetitorMatch(differentiator, draw(st.sampled_from(Match)))
                for differentiator in draw(
                    st.lists(st.sampled_from(differentiator_names), unique=True)
                )
            ]
            if differentiator_names
            else [],
        )
        for name in draw(st.lists(names, unique_by=str.casefold, max_size=3))
    ]
    return NetworkSpec(
        name=draw(names),
        offer=Offer(draw(names), draw(st.sampled_from(OfferKind)), draw(texts)),
        description=draw(texts),
        differentiators=differentiators,
        outcomes=outcomes,
        links=links,
        personas=personas,
        competitors=competitors,
    )
