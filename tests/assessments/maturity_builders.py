"""Small content for hand-worked scoring tests: one or two domains, few indicators per level."""

from __future__ import annotations

from valuescout.assessments import maturity_content
from valuescout.assessments.maturity_content import Content

SMALL = """\
version: 1
title: Small
scale: {min: 0, max: 4, labels: {0: no, 4: yes}}
scoring:
  met_at: 3
  level_share: 0.75
  min_answered_share: 0.5
  disagreement_spread: 2
  evidence_counts: true
domains:
  - id: d1
    title: Domain one
    question: How?
    indicators:
      - {id: g1, level: good, text: good one}
      - {id: g2, level: good, text: good two}
      - {id: g3, level: good, text: good three}
      - {id: g4, level: good, text: good four}
      - {id: r1, level: great, text: great one, evidence: call_planning}
      - {id: r2, level: great, text: great two}
      - {id: e1, level: elite, text: elite one}
  - id: d2
    title: Domain two
    question: How?
    indicators:
      - {id: x1, level: good, text: x good}
      - {id: x2, level: great, text: x great}
      - {id: x3, level: elite, text: x elite}
"""


def small(**rules: object) -> Content:
    text = SMALL
    for key, value in rules.items():
        text = "\n".join(
            f"  {key}: {value}" if line.startswith(f"  {key}:") else line
            for line in text.splitlines()
        )
    return maturity_content.parse(text, "small")
