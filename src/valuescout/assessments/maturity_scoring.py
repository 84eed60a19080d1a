"""Scoring the maturity assessment. Pure: content, answers and evidence in, a result out.

The rules (thresholds come from the content file's `scoring`):
- An indicator's answers are aggregated by median (and mean, shown); a "don't know" (None) is
  missing, never zero. An even number of answers has the mean of the middle two as median.
- Met: median >= `met_at` (equal counts). With no answers it is undecided (None), unless its
  evidence supports it and `evidence_counts` is on: then it is met by evidence. Evidence that
  supports an indicator whose answers fall short also counts it as met; evidence that does not
  support never unmeets what the answers met (it is shown beside it).
- Disagreement: at least two answers and highest - lowest >= `disagreement_spread`.
- A level is "not enough answers" when fewer than `min_answered_share` of its indicators are
  decided; otherwise "reached" when met / decided >= `level_share` (equal counts), else
  "not reached". It counts only when reached and the level below counts (Average always does).
- A domain's level is its highest counting level; the overall level is the lowest domain level.
- Next steps: the next level's indicators not met (undecided ones included: answer them).
- Gaps: every decided, unmet indicator at or below each domain's next level, the largest
  shortfall first, then the lower level, then content order.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from valuescout.assessments.maturity_content import LEVELS, Content, Domain, Indicator
from valuescout.assessments.schemas import (
    DomainChangeOut,
    DomainScoreOut,
    EvidenceOut,
    IndicatorScoreOut,
    LevelName,
    LevelScoreOut,
    LevelStatus,
    MaturityResultOut,
)

ORDER: tuple[LevelName, ...] = ("average", "good", "great", "elite")
MAX_GAPS = 6
Answers = Mapping[str, Mapping[str, int | None]]  # respondent -> indicator id -> answer


def median(values: list[int]) -> Decimal:
    ordered = sorted(values)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return Decimal(ordered[mid])
    return (Decimal(ordered[mid - 1]) + Decimal(ordered[mid])) / 2


def _round(value: Decimal) -> float:
    return float(value.quantize(Decimal("0.01")))


def score_indicator(
    content: Content,
    indicator: Indicator,
    given: list[int | None],
    evidence: EvidenceOut | None,
) -> IndicatorScoreOut:
    rules = content.rules
    answers = sorted(a for a in given if a is not None)
    mid = median(answers) if answers else None
    mean = Decimal(sum(answers)) / len(answers) if answers else None
    spread = answers[-1] - answers[0] if answers else None
    met_by_answers = mid is not None and mid >= rules.met_at
    supported = bool(rules.evidence_counts and evidence is not None and evidence.supports)
    met: bool | None
    if met_by_answers:
        met, how = True, "answers"
    elif supported:
        met, how = True, "evidence"
    else:
        met, how = (None if mid is None else False), None
    return IndicatorScoreOut(
        id=indicator.id,
        domain=indicator.domain,
        level=indicator.level,
        text=indicator.text,
        world_class=indicator.world_class,
        evidence_id=indicator.evidence,
        answers=answers,
        dont_know=sum(1 for a in given if a is None),
        median=None if mid is None else _round(mid),
        mean=None if mean is None else _round(mean),
        spread=spread,
        disagreement=len(answers) >= 2
        and spread is not None
        and spread >= rules.disagreement_spread,
        met=met,
        met_by=how,
        shortfall=None if met is not False or mid is None else _round(rules.met_at - mid),
    )


def score_level(content: Content, level: str, scores: list[IndicatorScoreOut]) -> LevelScoreOut:
    rules = content.rules
    decided = [s for s in scores if s.met is not None]
    met = sum(1 for s in decided if s.met)
    total = len(scores)
    status: LevelStatus
    if total == 0 or Decimal(len(decided)) < rules.min_answered_share * total:
        status = "not_enough_answers"
    elif Decimal(met) >= rules.level_share * len(decided):
        status = "reached"
    else:
        status = "not_reached"
    return LevelScoreOut(
        level=level,
        total=total,
        decided=len(decided),
        met=met,
        share_met=None if not decided else round(met / len(decided), 4),
        status=status,
        counts=False,  # set by score_domain, which knows the level below
    )


def score_domain(
    content: Content, domain: Domain, answers: Answers, evidence: Mapping[str, EvidenceOut]
) -> DomainScoreOut:
    scores = [
        score_indicator(
            content,
            ind,
            [per.get(ind.id) for per in answers.values() if ind.id in per],
            evidence.get(ind.evidence) if ind.evidence else None,
        )
        for ind in domain.indicators
    ]
    levels: list[LevelScoreOut] = []
    reached: LevelName = "average"
    below_counts = True
    for name in LEVELS:
        level = score_level(content, name, [s for s in scores if s.level == name])
        counts = below_counts and level.status == "reached"
        levels.append(level.model_copy(update={"counts": counts}))
        if counts:
            reached = name  # type: ignore[assignment]
        below_counts = counts
    index = ORDER.index(reached)
    next_level = ORDER[index + 1] if index + 1 < len(ORDER) else None
    next_steps = [s for s in scores if s.level == next_level and s.met is not True]
    position = float(index)
    if next_level is not None:
        share = levels[index].share_met  # levels[] starts at "good", ORDER at "average"
        position += min(share or 0.0, 0.99)
    return DomainScoreOut(
        id=domain.id,
        title=domain.title,
        level=reached,
        next_level=next_level,
        position=round(position, 2),
        levels=levels,
        indicators=scores,
        next_steps=next_steps,
    )


def score(
    content: Content, answers: Answers, evidence: Mapping[str, EvidenceOut] | None = None
) -> MaturityResultOut:
    """The whole result: every domain, the overall level, gaps and disagreements."""
    found = evidence or {}
    domains = [score_domain(content, d, answers, found) for d in content.domains]
    overall = min((d.level for d in domains), key=ORDER.index)
    return MaturityResultOut(
        content_version=content.version,
        respondents=sum(1 for per in answers.values() if any(v is not None for v in per.values())),
        overall=overall,
        domains=domains,
        gaps=gaps(domains),
        disagreements=[s for d in domains for s in d.indicators if s.disagreement],
        evidence=[found[k] for k in sorted(found)],
        rules={
            "met_at": float(content.rules.met_at),
            "level_share": float(content.rules.level_share),
            "min_answered_share": float(content.rules.min_answered_share),
            "disagreement_spread": content.rules.disagreement_spread,
            "evidence_counts": content.rules.evidence_counts,
        },
    )


def gaps(domains: list[DomainScoreOut], limit: int = MAX_GAPS) -> list[IndicatorScoreOut]:
    found: list[tuple[float, int, int, IndicatorScoreOut]] = []
    for domain in domains:
        ceiling = ORDER.index(domain.next_level) if domain.next_level else len(ORDER) - 1
        for position, s in enumerate(domain.indicators):
            if s.met is False and ORDER.index(s.level) <= ceiling:
                found.append((-(s.shortfall or 0.0), ORDER.index(s.level), position, s))
    found.sort(key=lambda t: (t[0], t[1], t[2]))
    return [t[3] for t in found[:limit]]


def compare(
    before: MaturityResultOut, after: MaturityResultOut
) -> tuple[list[DomainChangeOut], list[str], list[str]]:
    """Level changes per domain, and indicator ids newly met / no longer met (ids in both)."""
    old = {d.id: d for d in before.domains}
    changes = [
        DomainChangeOut(
            domain=d.id,
            title=d.title,
            before=old[d.id].level,
            after=d.level,
            change=ORDER.index(d.level) - ORDER.index(old[d.id].level),
        )
        for d in after.domains
        if d.id in old
    ]
    was = {s.id: s.met for d in before.domains for s in d.indicators}
    now = {s.id: s.met for d in after.domains for s in d.indicators}
    newly = [i for i, met in now.items() if met and i in was and not was[i]]
    lost = [i for i, met in now.items() if not met and i in was and was[i]]
    return changes, newly, lost
