"""How willing a customer is to let a seller into their buying decision, and which sales
model fits them. Pure: answers in, scores, quadrant, model and reasons out; no database.

Buyers let sellers in earlier when a decision is new to them (they have not bought this kind
of thing before, or the solution is novel) or risky (implementation, the vendor, the change it
forces, how visible it is to executives, its strategic weight, the money). Buyers making a
familiar, low-stakes purchase feel self-sufficient: an efficient, structured process serves
them. Buyers facing a new or risky decision want a credible expert.

Scoring (every score 0-100, whole numbers, half rounded up):
- each answer is turned into 0-100: a choice by its table below; a 1-5 rating as
  (rating - 1) * 25; the buying team's experience counts inverted (little experience, more new);
- newness = 50% purchase history + 30% innovation + 20% inexperience;
- risk = 70% the mean of the six risks + 30% the highest one (one serious risk is enough to
  make a buyer look for help, so the worst risk is not averaged away);
- willingness = 75% the higher of newness and risk + 25% the lower ("new and/or risky": either
  raises willingness, both raise it most);
- the quadrant places newness and risk each as high at 50 or more;
- the model is the trusted expert at a willingness of 50 or more, else divide and optimise;
  within 10 points of 50 it is a close call, and the reasons say so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum


class Kind(StrEnum):
    CHOICE = "choice"
    RATING = "rating"  # 1..5


class Group(StrEnum):
    NEWNESS = "newness"
    RISK = "risk"


@dataclass(frozen=True)
class Question:
    id: str
    group: Group
    kind: Kind
    text: str
    short: str  # the topic in a few words, for the reasons
    low: str = ""  # what 1 means, for ratings
    high: str = ""  # what 5 means
    choices: tuple[tuple[str, str, int], ...] = ()  # (value, label, points 0..100)
    inverted: bool = False  # a high rating lowers the score


PURCHASE = (
    ("new_to_org", "Nobody in their organisation has bought anything like it", 100),
    ("bought_before", "They have bought something like it before, though not recently", 50),
    ("routine_rebuy", "A routine purchase they make again and again", 0),
)

QUESTIONS: tuple[Question, ...] = (
    Question("purchase_history", Group.NEWNESS, Kind.CHOICE,
             "How familiar is this kind of purchase to the customer's organisation?",
             "purchase history", choices=PURCHASE),
    Question("solution_innovation", Group.NEWNESS, Kind.RATING,
             "How new is the solution itself to the market and to them?", "innovation",
             low="a commodity everybody offers", high="new to the market"),
    Question("team_experience", Group.NEWNESS, Kind.RATING,
             "How experienced is the buying team with a decision like this one?",
             "the buying team's experience", low="no experience", high="very experienced",
             inverted=True),
    Question("risk_implementation", Group.RISK, Kind.RATING,
             "How hard could it be to put in place and make work?", "implementation risk",
             low="plug in and go", high="a long, uncertain project"),
    Question("risk_vendor", Group.RISK, Kind.RATING,
             "How much does choosing the wrong supplier worry them?", "supplier risk",
             low="any supplier will do", high="a wrong choice would hurt for years"),
    Question("risk_change", Group.RISK, Kind.RATING,
             "How much must their people change how they work?", "change to how people work",
             low="nothing changes", high="many people must work differently"),
    Question("risk_visibility", Group.RISK, Kind.RATING,
             "How closely will their executives watch this decision?", "executive attention",
             low="nobody above the buyer notices", high="the board will ask about it"),
    Question("risk_strategic", Group.RISK, Kind.RATING,
             "How much does it matter to where their business is going?", "strategic weight",
             low="housekeeping", high="central to their strategy"),
    Question("risk_financial", Group.RISK, Kind.RATING,
             "How large is the money at stake for them?", "financial exposure",
             low="petty cash", high="a large share of their budget"),
)  # fmt: skip

BY_ID = {q.id: q for q in QUESTIONS}
NEWNESS_WEIGHTS = {"purchase_history": Decimal("0.5"), "solution_innovation": Decimal("0.3"),
                   "team_experience": Decimal("0.2")}  # fmt: skip
RISK_IDS = tuple(q.id for q in QUESTIONS if q.group == Group.RISK)
HIGH = 50  # a newness or risk score at or above this is high; willingness too
CLOSE_CALL = 10  # willingness within this many points of HIGH is a close call


class Quadrant(StrEnum):
    NEW_AND_RISKY = "new_and_risky"
    NEW_LOW_RISK = "new_low_risk"
    FAMILIAR_BUT_RISKY = "familiar_but_risky"
    ROUTINE = "routine"


class SalesModel(StrEnum):
    TRUSTED_EXPERT = "trusted_expert"
    DIVIDE_AND_OPTIMISE = "divide_and_optimise"


QUADRANT_LABELS = {
    Quadrant.NEW_AND_RISKY: "New and risky",
    Quadrant.NEW_LOW_RISK: "New, little at stake",
    Quadrant.FAMILIAR_BUT_RISKY: "Familiar but risky",
    Quadrant.ROUTINE: "Routine",
}
MODEL_LABELS = {
    SalesModel.TRUSTED_EXPERT: "Trusted expert",
    SalesModel.DIVIDE_AND_OPTIMISE: "Divide and optimise (structured process)",
}


class AnswerError(ValueError):
    """Answers that cannot be scored: each problem names its question id."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{qid}: {msg}" for qid, msg in problems))


@dataclass(frozen=True)
class Result:
    answers: dict[str, str | int]
    newness: int
    risk: int
    willingness: int
    quadrant: Quadrant
    model: SalesModel
    close_call: bool
    reasons: tuple[str, ...]


def _whole(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def validate(raw: Mapping[str, object]) -> dict[str, str | int]:
    """Answers checked against the questions: every question answered, no unknown ids,
    choices from their list, ratings whole numbers 1..5. Raises AnswerError with them all."""
    problems: list[tuple[str, str]] = []
    clean: dict[str, str | int] = {}
    for key in raw:
        if key not in BY_ID:
            problems.append((str(key), "not a question of this assessment"))
    for q in QUESTIONS:
        value = raw.get(q.id)
        if value is None or value == "":
            problems.append((q.id, "not answered"))
        elif q.kind == Kind.CHOICE:
            allowed = [c[0] for c in q.choices]
            if value not in allowed:
                problems.append((q.id, f"must be one of {', '.join(allowed)}"))
            else:
                clean[q.id] = str(value)
        else:
            rating = _rating(value)
            if rating is None:
                problems.append((q.id, "must be a whole number from 1 to 5"))
            else:
                clean[q.id] = rating
    if problems:
        raise AnswerError(problems)
    return clean


def _rating(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, int) and 1 <= value <= 5:
        return value
    return None


def points(q: Question, answer: str | int) -> Decimal:
    """An answer on 0..100."""
    if q.kind == Kind.CHOICE:
        return Decimal(next(p for v, _, p in q.choices if v == answer))
    assert isinstance(answer, int)
    score = Decimal((answer - 1) * 25)
    return Decimal(100) - score if q.inverted else score


def score(raw: Mapping[str, object]) -> Result:
    answers = validate(raw)
    pts = {qid: points(BY_ID[qid], a) for qid, a in answers.items()}
    newness = sum((pts[k] * w for k, w in NEWNESS_WEIGHTS.items()), Decimal(0))
    risks = [pts[k] for k in RISK_IDS]
    risk = Decimal("0.7") * sum(risks, Decimal(0)) / len(risks) + Decimal("0.3") * max(risks)
    n, r = _whole(newness), _whole(risk)
    willingness = _whole(
        Decimal("0.75") * max(newness, risk) + Decimal("0.25") * min(newness, risk)
    )
    quadrant = quadrant_of(n, r)
    model = SalesModel.TRUSTED_EXPERT if willingness >= HIGH else SalesModel.DIVIDE_AND_OPTIMISE
    close = abs(willingness - HIGH) < CLOSE_CALL
    reasons = _reasons(answers, n, r, willingness, model, close)
    return Result(answers, n, r, willingness, quadrant, model, close, reasons)


def quadrant_of(newness: int, risk: int) -> Quadrant:
    if newness >= HIGH:
        return Quadrant.NEW_AND_RISKY if risk >= HIGH else Quadrant.NEW_LOW_RISK
    return Quadrant.FAMILIAR_BUT_RISKY if risk >= HIGH else Quadrant.ROUTINE


def _reasons(
    a: Mapping[str, str | int], n: int, r: int, w: int, model: SalesModel, close: bool
) -> tuple[str, ...]:
    out: list[str] = []
    history = {
        "new_to_org": "Nobody in their organisation has bought this before",
        "bought_before": "They have bought something like this before, but not routinely",
        "routine_rebuy": "They buy this routinely and know what they want",
    }[str(a["purchase_history"])]
    out.append(f"{history} (newness {n} of 100).")
    if int(a["solution_innovation"]) >= 4:
        out.append(f"The solution is novel to them (innovation {a['solution_innovation']} of 5).")
    experience = int(a["team_experience"])
    if experience <= 2:
        out.append(f"Their buying team has little experience of such a decision "
                   f"({experience} of 5).")  # fmt: skip
    elif experience >= 4:
        out.append(f"Their buying team has made such decisions before ({experience} of 5).")
    high = sorted((k for k in RISK_IDS if int(a[k]) >= 4), key=lambda k: -int(a[k]))
    if high:
        named = ", ".join(f"{BY_ID[k].short} ({a[k]} of 5)" for k in high[:3])
        out.append(f"What worries them most: {named} (risk {r} of 100).")
    else:
        out.append(f"No risk stands out: every one is rated 3 or less (risk {r} of 100).")
    if model == SalesModel.TRUSTED_EXPERT:
        out.append(f"Willingness to engage {w}: they will welcome a seller who brings "
                   "expertise early; lead with a credible expert who helps shape the decision "
                   "and quantifies its value, not with a scripted process.")  # fmt: skip
    else:
        out.append(
            f"Willingness to engage {w}: they feel able to decide alone; a structured, "
            "efficient process fits, and an early expert may be seen as a time waster."
        )
    if close:
        out.append("It is a close call: check the answers with a second person who knows them.")
    return tuple(out)


def expert_opening(result: Result) -> str | None:
    """Why a credible expert could raise a low-willingness buyer's view, or None.

    Only for buyers below HIGH: when the solution is novel (4-5) but they treat the purchase
    as familiar, an expert can show what is new; when one risk is rated 4-5, a quantified value
    case and references address it; when willingness is within a close call, a little
    credibility may tip it."""
    if result.willingness >= HIGH:
        return None
    a = result.answers
    if int(a["solution_innovation"]) >= 4:
        return "The solution is newer than they think: show what it makes possible."
    worst = max(RISK_IDS, key=lambda k: int(a[k]))
    if int(a[worst]) >= 4:
        return (f"They worry about {BY_ID[worst].short}: a quantified value case and "
                "references from similar customers could earn an expert's seat.")  # fmt: skip
    if result.close_call:
        return "Just below the line: a credible first conversation could tip it."
    return None


# --- the motion a deal is worked with, read from its data ------------------------------------


class Motion(StrEnum):
    EXPERT = "expert"  # value-led: the customer confirmed value, or agreed a plan on a case
    PROCESS = "process"  # no value case: a features-and-price process
    MIXED = "mixed"  # a value case nobody has confirmed yet
    UNKNOWN = "unknown"  # no deal to read


MOTION_LABELS = {
    Motion.EXPERT: "Value-led (expert)",
    Motion.PROCESS: "Process and price",
    Motion.MIXED: "Value case, unconfirmed",
    Motion.UNKNOWN: "No deal",
}
DISCOUNT_LED = Decimal("0.15")  # a deal at this discount or more with no confirmed value


@dataclass(frozen=True)
class DealSignals:
    has_value_case: bool
    confirmed_outcomes: int
    mutual_plan: bool
    discount: Decimal | None  # 1 - net/list over its lines; None without lines at a list price
    call_plans: int = 0  # meetings prepared with a call plan (conversations)


def motion_of(deal: DealSignals | None) -> Motion:
    """How the deal is being sold, from what the data shows: a value case with a
    customer-confirmed outcome, a mutual plan agreed or a meeting prepared with a call plan is
    the expert motion; no value case, or an unconfirmed one at a discount of DISCOUNT_LED or
    more, is the process-and-price motion; an unconfirmed case at a small discount is mixed."""
    if deal is None:
        return Motion.UNKNOWN
    engaged = deal.confirmed_outcomes > 0 or deal.mutual_plan or deal.call_plans > 0
    if deal.has_value_case and engaged:
        return Motion.EXPERT
    if not deal.has_value_case:
        return Motion.PROCESS
    if deal.discount is not None and deal.discount >= DISCOUNT_LED:
        return Motion.PROCESS
    return Motion.MIXED


def mismatch(model: SalesModel, motion: Motion) -> str | None:
    """The mismatch between the model the buyer needs and the motion used, in words."""
    if model == SalesModel.TRUSTED_EXPERT and motion == Motion.PROCESS:
        return ("A buyer who wants an expert is being worked with a process and price: "
                "a more trusted competitor may be guiding them.")  # fmt: skip
    if model == SalesModel.DIVIDE_AND_OPTIMISE and motion == Motion.EXPERT:
        return ("A self-sufficient buyer gets a full expert treatment: a leaner process "
                "may win it at lower cost.")  # fmt: skip
    return None
