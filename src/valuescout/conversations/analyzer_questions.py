"""Find the questions in a conversation and classify each one (cues in `analyzer_lexicon` and
`analyzer_lexicon_expansion`).

A sentence is a question when it has a `?` outside quotation marks, or when a `?` inside a
quotation follows a reporting verb ("he asked, 'why now?'"). Without a `?` it is a question
when it reports one ("we asked whether ...", "asked the CFO about ...", "wanted to know how
...", "wanted to understand what ...", "asked them to describe ...") or opens like one (a
question word followed by a verb, "what would ...", or a verb followed by a subject, "do you
...", "is there ..."). A `?` inside a quoted title or slide
("the slide said 'Why now?'") does not make a question.
"""

from __future__ import annotations

import re

from valuescout.conversations.analyzer_lexicon import EXPANSION_SET, QUALIFICATION_CUES
from valuescout.conversations.analyzer_lexicon_expansion import EXPANSION_CUES
from valuescout.conversations.analyzer_types import EXPANSION, QUALIFICATION, FoundQuestion
from valuescout.conversations.transcript import Sentence

_QUOTED = re.compile(
    r"\"[^\"]*\"|\u201c[^\u201d]*\u201d|\u2018[^\u2019]*\u2019|(?<!\w)'[^']*'(?!\w)"
)
_REPORTING = re.compile(
    r"\b(?:asked|asks|ask|asking|queried|enquired|inquired|wondered|wonder|probed|"
    r"wanted to know|want to know|wants to know|checked|check|question(?:ed)?|raised)\b"
)
_REPORTED = re.compile(
    r"\b(?:asked|asking|queried|enquired|inquired|wondered|wondering|curious|probed|"
    r"wanted to know|want to know|wants to know|question(?:ed)?|raised the question of|"
    r"(?:wanted|want|wants|tried|trying) to (?:understand|find out|learn|hear|see))"
    r"(?:,)?\s+(?:[\w'-]+\s+){0,4}?(?:whether|if|about|how|what|why|when|who|whom|which|where)\b"
)
# an invitation to answer at length is a question too: "asked them to describe ..."
_ELICITED = re.compile(
    r"\b(?:asked|asking|ask|invited|got) (?:him|her|them|the \w+|each of them|everyone) to "
    r"(?:describe|explain|imagine|picture|estimate|list|name|rank|sketch|walk us through|"
    r"walk me through|tell us|tell me|talk us through|think about|put a number on)\b"
)
_CHECKED = re.compile(r"\b(?:checked|check|confirm(?:ed)?|verified|verify) (?:whether|if)\b")
_WH_OPENING = re.compile(
    r"^(?:so |and |but |ok |okay |then |also |right |well )?(?:what|how|why|when|who|which|where)"
    r"(?: \w+)?(?: \w+)? (?:do|does|did|is|are|was|were|can|could|would|will|should|has|have|"
    r"had|might|may|must)\b"
)
_HOW_MUCH = re.compile(r"^(?:so |and )?how (?:much|many|long|often|soon|big|old)\b")
_AUX_OPENING = re.compile(
    r"^(?:so |and |but |ok |okay |then |also |right |well )?"
    r"(?:do|does|did|is|are|was|were|can|could|would|will|should|have|has|had|shall|might)"
    r"(?:n't)? (?:you|your|they|their|we|our|it|there|the|this|that|these|those|anyone|"
    r"someone|anybody|somebody|i|he|she|kestrel)\b"
)
CUES = [*EXPANSION_CUES, *QUALIFICATION_CUES]
_WOULD = re.compile(r"\b(i|you|we|they|he|she|it|that|who|what|where|how)'d\b")
MIN_SCORE = 1.0
_STATEMENT_AFTER_WH = re.compile(
    r"^(?:what|how|when|where|why) (?:we|i|they|you) (?!do|did|would|will|can|could|should|have|"
    r"are|were)\w+"
)


def find_questions(sentences: tuple[Sentence, ...]) -> tuple[FoundQuestion, ...]:
    found = []
    for sentence in sentences:
        if is_question(sentence.text):
            kind, category, cue = classify(sentence.text)
            found.append(FoundQuestion(sentence.text, kind, category, cue, sentence.speaker))
    return tuple(found)


def is_question(text: str) -> bool:
    text = text.strip()
    if "?" in text:
        outside = _QUOTED.sub(" ", text)
        if "?" in outside:
            return True
        # the ? sits inside a quotation: a question only when someone is reported asking it
        first_quote = _QUOTED.search(text)
        lead = text[: first_quote.start()] if first_quote else ""
        return bool(_REPORTING.search(lead.lower()))
    lowered = _QUOTED.sub(" ", text).lower().strip(" .!;:-")
    if _REPORTED.search(lowered) or _CHECKED.search(lowered) or _ELICITED.search(lowered):
        return True
    if _STATEMENT_AFTER_WH.match(lowered):
        return False
    return bool(
        _WH_OPENING.match(lowered) or _HOW_MUCH.match(lowered) or _AUX_OPENING.match(lowered)
    )


def classify(text: str) -> tuple[str, str, str]:
    """(kind, category, cue) from the weighted cues; without any cue: qualification/situation.

    The kind is decided first, on the summed weights of all its categories, so several
    expansion cues of different categories (a consequence and a cost) together outweigh one
    strong qualification word ("budget"); the category is then the strongest of that kind."""
    lowered = " ".join(text.lower().replace("\u2019", "'").split())
    lowered = _WOULD.sub(r"\1 would", lowered)  # "you'd start" -> "you would start"
    scores: dict[str, float] = {}
    best_cue: dict[str, tuple[float, str]] = {}
    for category, weight, pattern in CUES:
        match = pattern.search(lowered)
        if not match:
            continue
        scores[category] = scores.get(category, 0.0) + weight
        if weight > best_cue.get(category, (0.0, ""))[0]:
            best_cue[category] = (weight, match.group(0))
    # a lone lean word ("failed" in "the pump that failed in May") decides nothing
    scores = {c: s for c, s in scores.items() if s >= MIN_SCORE and c in best_cue}
    if not scores:
        return QUALIFICATION, "situation", ""

    def kind_of(category: str) -> str:
        return EXPANSION if category in EXPANSION_SET else QUALIFICATION

    def kind_key(kind: str) -> tuple[float, float, bool]:
        mine = [c for c in scores if kind_of(c) == kind]
        return (
            sum(scores[c] for c in mine),
            max((best_cue[c][0] for c in mine), default=0.0),
            kind == EXPANSION,
        )

    kind = max((EXPANSION, QUALIFICATION), key=kind_key)
    category = max(
        (c for c in scores if kind_of(c) == kind), key=lambda c: (best_cue[c][0], scores[c])
    )
    return kind, category, best_cue[category][1]
