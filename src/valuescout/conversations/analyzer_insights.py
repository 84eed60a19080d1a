"""Statements where the seller offered a business insight: experience from other customers,
benchmarks, data. A question is never an insight (the caller passes statements only)."""

from __future__ import annotations

import re

from valuescout.conversations.analyzer_types import FoundInsight
from valuescout.conversations.transcript import Sentence

_INSIGHT_CUES = re.compile(
    r"\b(?:we(?:'ve| have)? (?:seen|found|measured|learned|observed|noticed)|we see|"
    r"we typically see|"
    r"(?:companies|plants|sites|customers|operators|utilities|mills|refineries|"
    r"firms) like (?:yours|you)|"
    r"(?:other|similar) (?:customers|plants|sites|operators|utilities|mills)|"
    r"benchmarks?|our (?:data|numbers|figures|fleet data|monitoring data|research|study|survey) "
    r"(?:shows?|says|suggests?|tells?)|what we found at|in our experience|industry average|"
    r"(?:on average|typically|usually),? (?:plants|sites|customers|pumps|operators)|"
    r"(?:research|studies|data) (?:shows?|suggests?)|across (?:our|the) (?:fleet|installed base|"
    r"customers)|"
    r"(?:at|for) (?:a|one) (?:customer|client|plant|site) of ours|a customer of ours|"
    r"most (?:plants|sites|customers|operators) (?:we|that)|the best(?:-in-class|"
    r" in class)? (?:plants|sites))\b",
    re.IGNORECASE,
)


def find_insights(statements: tuple[Sentence, ...]) -> tuple[FoundInsight, ...]:
    found = []
    for sentence in statements:
        match = _INSIGHT_CUES.search(sentence.text)
        if match:
            found.append(FoundInsight(sentence.text, match.group(0).lower()))
    return tuple(found)
