"""Maturity assessment use cases: open and close rounds, answer one domain at a time (progress
saved), read one's own answers, the company's result and the journey across rounds.

Who may do what: those who RUN_ASSESSMENTS (executive, admin) open and close rounds; any
signed-in user (contributors too) answers the open round and reads their own answers; the
company's result, other people's answers and the journey need VIEW_MATURITY_RESULTS (manager,
executive, admin). A round that does not exist answers 404.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from valuescout.assessments import evidence as evidence_data
from valuescout.assessments import maturity_content, maturity_scoring
from valuescout.assessments.maturity_content import Content
from valuescout.assessments.models import MaturityAnswer, MaturityRound
from valuescout.assessments.schemas import (
    JourneyOut,
    JourneyStepOut,
    MaturityResultOut,
    ProgressOut,
    RoundOut,
)
from valuescout.core import audit
from valuescout.core.errors import Conflict, Invalid, NotFound
from valuescout.core.models import utcnow
from valuescout.identity.principal import Principal
from valuescout.identity.roles import Permission

ENTITY = "maturity_round"


def content_of(row: MaturityRound) -> Content:
    return maturity_content.load(row.content_version)


def get_round(session: Session, round_id: int) -> MaturityRound:
    row = session.get(MaturityRound, round_id)
    if row is None:
        raise NotFound(f"No maturity assessment round {round_id}.")
    return row


def open_round(session: Session) -> MaturityRound | None:
    return session.scalar(select(MaturityRound).where(MaturityRound.status == "open").limit(1))


def _respondents(session: Session, round_id: int) -> int:
    query = select(func.count(func.distinct(MaturityAnswer.respondent_id))).where(
        MaturityAnswer.round_id == round_id
    )
    return session.scalar(query) or 0


def round_out(session: Session, principal: Principal, row: MaturityRound) -> RoundOut:
    """A round as anyone may see it; counts and levels only for who sees results."""
    sees = principal.can(Permission.VIEW_MATURITY_RESULTS)
    stored = row.result or {}
    return RoundOut(
        id=row.id,
        title=row.title,
        status="open" if row.status == "open" else "closed",
        content_version=row.content_version,
        opened_at=row.opened_at,
        closed_at=row.closed_at,
        respondents=_respondents(session, row.id) if sees else None,
        overall=stored.get("overall") if sees else None,
    )


def list_rounds(session: Session, principal: Principal) -> list[RoundOut]:
    rows = session.scalars(select(MaturityRound).order_by(MaturityRound.opened_at.desc()))
    return [round_out(session, principal, r) for r in rows]


def start_round(session: Session, principal: Principal, title: str) -> MaturityRound:
    principal.require(Permission.RUN_ASSESSMENTS)
    if open_round(session) is not None:
        raise Conflict("A maturity round is already open; close it before opening another.")
    row = MaturityRound(
        title=title.strip()[:200],
        content_version=maturity_content.load().version,
        status="open",
        opened_by_id=principal.user_id or None,
    )
    session.add(row)
    session.flush()
    audit.record(session, principal.actor, "maturity_round.open", ENTITY, row.id, {"title": title})
    return row


def close_round(
    session: Session, principal: Principal, round_id: int, today: date | None = None
) -> MaturityResultOut:
    """Close the round and store its result with the evidence of the day."""
    principal.require(Permission.RUN_ASSESSMENTS)
    row = get_round(session, round_id)
    if row.status != "open":
        raise Conflict(f"Round {round_id} is already closed.")
    result = score_round(session, row, today or date.today())
    row.status = "closed"
    row.closed_at = utcnow()
    row.closed_by_id = principal.user_id or None
    row.result = result.model_dump(mode="json")
    session.flush()
    audit.record(
        session, principal.actor, "maturity_round.close", ENTITY, row.id,
        {"overall": result.overall, "respondents": result.respondents},
    )  # fmt: skip
    return result


# --- answering --------------------------------------------------------------------------------


def _own_answers(session: Session, principal: Principal, round_id: int) -> list[MaturityAnswer]:
    query = select(MaturityAnswer).where(
        MaturityAnswer.round_id == round_id, MaturityAnswer.respondent_id == principal.user_id
    )
    return list(session.scalars(query))


def progress(session: Session, principal: Principal, round_id: int) -> ProgressOut:
    """The caller's own answers and where to resume."""
    row = get_round(session, round_id)
    content = content_of(row)
    mine = _own_answers(session, principal, round_id)
    done = {a.domain for a in mine}
    ordered = [d.id for d in content.domains if d.id in done]
    pending = [d.id for d in content.domains if d.id not in done]
    return ProgressOut(
        round_id=round_id,
        domains_done=ordered,
        next_domain=pending[0] if pending else None,
        answers={a.indicator_id: a.answer for a in mine},
    )


def check_answers(
    content: Content, domain_id: str, answers: Mapping[str, int | None]
) -> dict[str, int | None]:
    """Every indicator of the domain with its answer (omitted: don't know); an id outside the
    domain or an answer outside the scale is refused, naming it."""
    domain = content.domain(domain_id)
    if domain is None:
        known = ", ".join(d.id for d in content.domains)
        raise Invalid(f"Unknown domain {domain_id!r} (known: {known}).", field="domain")
    ids = {i.id for i in domain.indicators}
    problems = [f"{key}: not an indicator of {domain_id}" for key in answers if key not in ids]
    low, high = content.scale.low, content.scale.high
    problems += [
        f"{key}: answer {value} is outside {low}-{high}"
        for key, value in answers.items()
        if key in ids and value is not None and not low <= value <= high
    ]
    if problems:
        raise Invalid("; ".join(problems), field="answers", details=problems)
    return {i.id: answers.get(i.id) for i in domain.indicators}


def save_domain(
    session: Session,
    principal: Principal,
    round_id: int,
    domain_id: str,
    answers: Mapping[str, int | None],
) -> ProgressOut:
    """Replace the caller's answers for one domain of the open round."""
    row = get_round(session, round_id)
    if row.status != "open":
        raise Conflict(f"Round {round_id} is closed; its answers can no longer change.")
    complete = check_answers(content_of(row), domain_id, answers)
    session.execute(
        delete(MaturityAnswer).where(
            MaturityAnswer.round_id == round_id,
            MaturityAnswer.respondent_id == principal.user_id,
            MaturityAnswer.domain == domain_id,
        )
    )
    now = utcnow()
    session.add_all(
        MaturityAnswer(
            round_id=round_id, respondent_id=principal.user_id, domain=domain_id,
            indicator_id=key, answer=value, answered_at=now,
        )
        for key, value in complete.items()
    )  # fmt: skip
    session.flush()
    return progress(session, principal, round_id)


# --- results ----------------------------------------------------------------------------------


def round_answers(session: Session, round_id: int) -> dict[str, dict[str, int | None]]:
    """Every respondent's answers, keyed by user id (as text)."""
    out: dict[str, dict[str, int | None]] = defaultdict(dict)
    query = select(MaturityAnswer).where(MaturityAnswer.round_id == round_id)
    for answer in session.scalars(query):
        out[str(answer.respondent_id)][answer.indicator_id] = answer.answer
    return dict(out)


def score_round(session: Session, row: MaturityRound, today: date) -> MaturityResultOut:
    evidence = evidence_data.gather(session, today)
    return maturity_scoring.score(content_of(row), round_answers(session, row.id), evidence)


def result(
    session: Session, principal: Principal, round_id: int, today: date | None = None
) -> MaturityResultOut:
    """The company's result: stored for a closed round, scored now for the open one."""
    principal.require(Permission.VIEW_MATURITY_RESULTS)
    row = get_round(session, round_id)
    if row.result is not None:
        return MaturityResultOut.model_validate(row.result)
    return score_round(session, row, today or date.today())


def journey(session: Session, principal: Principal) -> JourneyOut:
    """Every closed round, oldest first, each compared with the one before."""
    principal.require(Permission.VIEW_MATURITY_RESULTS)
    rows = session.scalars(
        select(MaturityRound)
        .where(MaturityRound.status == "closed", MaturityRound.result.is_not(None))
        .order_by(MaturityRound.closed_at, MaturityRound.id)
    ).all()
    steps: list[JourneyStepOut] = []
    previous: tuple[int, MaturityResultOut] | None = None
    for row in rows:
        current = MaturityResultOut.model_validate(row.result)
        changes, newly, lost = (
            maturity_scoring.compare(previous[1], current) if previous else ([], [], [])
        )
        steps.append(
            JourneyStepOut(
                round_id=row.id,
                title=row.title,
                closed_at=row.closed_at,
                previous_round_id=previous[0] if previous else None,
                overall=current.overall,
                levels={d.id: d.level for d in current.domains},
                positions={d.id: d.position for d in current.domains},
                changes=changes,
                newly_met=newly,
                lost=lost,
            )
        )
        previous = (row.id, current)
    return JourneyOut(steps=steps)
