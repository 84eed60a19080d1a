"""Did coaching move the metric it was about? A difference-in-differences over interactions.

Pure: no database. For each coaching session (seller, day, focus) the focus's metric is
averaged over the seller's interactions in the window before the session day and in the window
after it; the same is done, in the same two windows, for every interaction by sellers NOT
coached on that focus anywhere in the span (the comparison group). The effect is the coached
seller's change minus the comparison group's change, so a trend everyone shares (a season, a
new analyzer, a better quarter) cancels out. The session day itself belongs to neither window.

Sessions are then summarised per focus, overall and per coach: each readable session counts
once, so the summary's effect is exactly the summary's coached change minus its comparison
change. A session is readable only when each of its four cells rests on enough interactions;
the counts behind every figure are reported, and a note says when there are too few to read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import fmean

DEFAULT_WINDOW_DAYS = 90
MIN_COACHED = 3  # interactions by the coached seller in each window
MIN_COMPARISON = 10  # interactions by the comparison group in each window


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    unit: str  # what one interaction's value is, for the pages


@dataclass(frozen=True)
class Focus:
    key: str
    label: str
    metric: str  # a Metric key: what coaching on this focus should move


METRICS: dict[str, Metric] = {
    m.key: m
    for m in (
        Metric("expansion_questions", "Expansion questions", "per interaction"),
        Metric("quantified_outcomes", "Quantified outcomes", "per interaction"),
        Metric("allies_added", "Allies added", "per interaction"),
        Metric("insights_offered", "Insights offered", "per interaction"),
        Metric("business_outcomes", "Business outcomes found", "per interaction"),
        Metric("personal_outcomes", "Personal outcomes found", "per interaction"),
        Metric("planned_share", "Interactions with a call plan", "share"),
        Metric("quality_score", "Value-quality score", "0-100"),
    )
}

FOCUSES: dict[str, Focus] = {
    f.key: f
    for f in (
        Focus("expansion_questions", "Asking expansion questions", "expansion_questions"),
        Focus("quantifying_outcomes", "Quantifying outcomes", "quantified_outcomes"),
        Focus("building_allies", "Building allies in the buying team", "allies_added"),
        Focus("offering_insights", "Offering business insights", "insights_offered"),
        Focus("business_outcomes", "Finding business outcomes", "business_outcomes"),
        Focus("personal_outcomes", "Finding personal outcomes", "personal_outcomes"),
        Focus("call_planning", "Planning calls", "planned_share"),
        Focus("value_quality", "Overall value quality", "quality_score"),
    )
}


@dataclass(frozen=True)
class InteractionFacts:
    """One logged interaction as the calculation sees it: whose, when, and its metric values
    (a metric missing or None — e.g. no quality score yet — leaves it out of that metric)."""

    id: int
    seller_id: int
    day: date
    values: Mapping[str, float | None]


@dataclass(frozen=True)
class SessionFacts:
    id: int
    seller_id: int
    coach_id: int | None
    day: date
    focus: str


@dataclass(frozen=True)
class Cell:
    """A metric's mean over a set of interactions, and how many there were."""

    mean: float | None
    ids: frozenset[int]

    @property
    def count(self) -> int:
        return len(self.ids)


@dataclass(frozen=True)
class SessionEffect:
    session_id: int
    focus: str
    metric: str
    coach_id: int | None
    coached_before: Cell
    coached_after: Cell
    comparison_before: Cell
    comparison_after: Cell
    comparison_sellers: int

    @property
    def readable(self) -> bool:
        return (
            min(self.coached_before.count, self.coached_after.count) >= MIN_COACHED
            and min(self.comparison_before.count, self.comparison_after.count) >= MIN_COMPARISON
        )

    @property
    def effect(self) -> float | None:
        """(coached after - before) - (comparison after - before); None when not readable."""
        if not self.readable:
            return None
        return _change(self.coached_before, self.coached_after) - _change(
            self.comparison_before, self.comparison_after
        )


@dataclass(frozen=True)
class Summary:
    """A focus's sessions together (overall, or one coach's): means over readable sessions."""

    focus: str
    metric: str
    coach_id: int | None  # None: every coach
    sessions: int
    readable: int
    coached_before: float | None
    coached_after: float | None
    comparison_before: float | None
    comparison_after: float | None
    effect: float | None
    n_coached_before: int  # distinct interactions behind the figures, readable sessions only
    n_coached_after: int
    n_comparison_before: int
    n_comparison_after: int
    note: str | None


def _change(before: Cell, after: Cell) -> float:
    assert before.mean is not None and after.mean is not None
    return after.mean - before.mean


def _cell(rows: Iterable[InteractionFacts], metric: str) -> Cell:
    pairs = [(r.id, r.values.get(metric)) for r in rows]
    kept = [(i, float(v)) for i, v in pairs if v is not None]
    if not kept:
        return Cell(None, frozenset())
    return Cell(fmean(v for _, v in kept), frozenset(i for i, _ in kept))


def session_effect(
    s: SessionFacts,
    interactions: Sequence[InteractionFacts],
    sessions: Sequence[SessionFacts],
    window_days: int = DEFAULT_WINDOW_DAYS,
) -> SessionEffect:
    """One session's four cells. The comparison group: sellers with interactions in the span
    who had no session on this focus within it (the coached seller is never one of them)."""
    focus = FOCUSES[s.focus]
    window = timedelta(days=window_days)
    start, end = s.day - window, s.day + window
    coached_on_focus = {
        o.seller_id for o in sessions if o.focus == s.focus and start <= o.day <= end
    }
    coached_on_focus.add(s.seller_id)
    mine = [r for r in interactions if r.seller_id == s.seller_id]
    others = [r for r in interactions if r.seller_id not in coached_on_focus]
    before = lambda r: start <= r.day < s.day  # noqa: E731
    after = lambda r: s.day < r.day <= end  # noqa: E731
    others_in_span = {r.seller_id for r in others if start <= r.day <= end}
    return SessionEffect(
        session_id=s.id,
        focus=s.focus,
        metric=focus.metric,
        coach_id=s.coach_id,
        coached_before=_cell(filter(before, mine), focus.metric),
        coached_after=_cell(filter(after, mine), focus.metric),
        comparison_before=_cell(filter(before, others), focus.metric),
        comparison_after=_cell(filter(after, others), focus.metric),
        comparison_sellers=len(others_in_span),
    )


def summarise(focus: str, effects: Sequence[SessionEffect], coach_id: int | None = None) -> Summary:
    """The focus's sessions as one figure: each readable session weighs the same."""
    metric = FOCUSES[focus].metric
    ok = [e for e in effects if e.readable]

    def mean(pick: Callable[[SessionEffect], Cell]) -> float | None:
        values = [pick(e).mean for e in ok]
        return fmean(v for v in values if v is not None) if ok else None

    def distinct(pick: Callable[[SessionEffect], Cell]) -> int:
        return len(frozenset().union(*(pick(e).ids for e in ok))) if ok else 0

    effect_values = [e.effect for e in ok]
    return Summary(
        focus=focus,
        metric=metric,
        coach_id=coach_id,
        sessions=len(effects),
        readable=len(ok),
        coached_before=mean(lambda e: e.coached_before),
        coached_after=mean(lambda e: e.coached_after),
        comparison_before=mean(lambda e: e.comparison_before),
        comparison_after=mean(lambda e: e.comparison_after),
        effect=fmean(v for v in effect_values if v is not None) if ok else None,
        n_coached_before=distinct(lambda e: e.coached_before),
        n_coached_after=distinct(lambda e: e.coached_after),
        n_comparison_before=distinct(lambda e: e.comparison_before),
        n_comparison_after=distinct(lambda e: e.comparison_after),
        note=_note(len(effects), len(ok)),
    )


def _note(sessions: int, readable: int) -> str | None:
    """Short, for a table cell; the pages and the CLI state the rule (MIN_COACHED and
    MIN_COMPARISON interactions in each window) once."""
    if sessions == 0:
        return "No sessions on this focus."
    if readable == 0:
        return "Too few interactions to read."
    if readable < sessions:
        return f"{sessions - readable} of {sessions} sessions left out: too few interactions."
    return None


@dataclass(frozen=True)
class Effectiveness:
    window_days: int
    overall: list[Summary]  # one per focus with sessions, in FOCUSES order
    by_coach: list[Summary]  # one per (coach, focus) with sessions
    sessions: list[SessionEffect]


def effectiveness(
    sessions: Sequence[SessionFacts],
    interactions: Sequence[InteractionFacts],
    *,
    window_days: int = DEFAULT_WINDOW_DAYS,
    all_sessions: Sequence[SessionFacts] | None = None,
) -> Effectiveness:
    """Every session's effect and the summaries. `sessions` are the ones to report on;
    `all_sessions` (default: the same) decide who is excluded from the comparison group, so a
    narrower view still compares against sellers truly not coached on the focus."""
    if window_days < 1:
        raise ValueError("window_days must be at least 1")
    everyone = sessions if all_sessions is None else all_sessions
    effects = [session_effect(s, interactions, everyone, window_days) for s in sessions]
    overall = [
        summarise(f, [e for e in effects if e.focus == f]) for f in FOCUSES
        if any(e.focus == f for e in effects)
    ]  # fmt: skip
    coaches = sorted({e.coach_id for e in effects if e.coach_id is not None})
    by_coach = [
        summarise(f, group, coach)
        for coach in coaches
        for f in FOCUSES
        if (group := [e for e in effects if e.focus == f and e.coach_id == coach])
    ]
    return Effectiveness(window_days, overall, by_coach, effects)
