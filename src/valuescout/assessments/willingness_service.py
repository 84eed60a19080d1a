"""Willingness-to-engage use cases: assess an account or an opportunity (kept with its time),
read a record's latest assessment and history, and the portfolio across the caller's scope.

Who may do what: reading follows the deals' row scope (a record out of scope is not found);
assessing needs Permission.EDIT_DEALS, checked before the record is looked up, so a role that
may never assess is refused (403) whatever the record; the portfolio needs
Permission.VIEW_ANALYTICS and covers the accounts and deals in the caller's scope.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Literal

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from valuescout.assessments import willingness as w
from valuescout.assessments.engagement_models import WillingnessAssessment
from valuescout.assessments.engagement_schemas import (
    AnswersIn,
    ChoiceOut,
    PortfolioOut,
    PortfolioRowOut,
    QuadrantCountOut,
    QuestionOut,
    ScoreOut,
    SubjectWillingnessOut,
    WillingnessOut,
)
from valuescout.conversations.models import CallPlan
from valuescout.core.errors import Invalid
from valuescout.deals import access
from valuescout.deals.models import Account, LineItem, Opportunity, Stage, ValueCase, ValueOutcome
from valuescout.identity.models import User
from valuescout.identity.principal import Principal
from valuescout.identity.roles import Permission
from valuescout.identity.scope import Scope, scope_for

Subject = Literal["account", "opportunity"]


def questions() -> list[QuestionOut]:
    return [
        QuestionOut(
            id=q.id,
            group=q.group.value,
            kind=q.kind.value,
            text=q.text,
            low=q.low,
            high=q.high,
            choices=[ChoiceOut(value=v, label=label) for v, label, _ in q.choices],
        )
        for q in w.QUESTIONS
    ]


def score(raw: Mapping[str, object]) -> w.Result:
    """Score answers, or refuse them naming every question at fault (Invalid)."""
    try:
        return w.score(raw)
    except w.AnswerError as exc:
        details = [f"{qid}: {msg}" for qid, msg in exc.problems]
        raise Invalid(
            f"Answers refused: {'; '.join(details)}", field=exc.problems[0][0], details=details
        ) from exc


def score_out(result: w.Result) -> ScoreOut:
    return ScoreOut(
        newness=result.newness, risk=result.risk, willingness=result.willingness,
        quadrant=result.quadrant.value, quadrant_label=w.QUADRANT_LABELS[result.quadrant],
        model=result.model.value, model_label=w.MODEL_LABELS[result.model],
        close_call=result.close_call, reasons=list(result.reasons),
        expert_opening=w.expert_opening(result), answers=dict(result.answers),
    )  # fmt: skip


def assess_account(
    session: Session, principal: Principal, account_id: int, data: AnswersIn
) -> WillingnessOut:
    principal.require(Permission.EDIT_DEALS)
    access.visible_account(session, principal, account_id)
    return _store(session, principal, data, account_id=account_id)


def assess_opportunity(
    session: Session, principal: Principal, opp_id: int, data: AnswersIn
) -> WillingnessOut:
    principal.require(Permission.EDIT_DEALS)
    access.visible_opportunity(session, principal, opp_id)
    return _store(session, principal, data, opportunity_id=opp_id)


def _store(
    session: Session,
    principal: Principal,
    data: AnswersIn,
    *,
    account_id: int | None = None,
    opportunity_id: int | None = None,
) -> WillingnessOut:
    result = score(data.answers)
    row = WillingnessAssessment(
        account_id=account_id, opportunity_id=opportunity_id,
        assessed_by_id=principal.user_id or None, answers=dict(result.answers),
        newness=result.newness, risk=result.risk, willingness=result.willingness,
        quadrant=result.quadrant.value, model=result.model.value, note=data.note.strip(),
    )  # fmt: skip
    session.add(row)
    session.flush()
    return _out(row, scope_for(session, principal), _names(session, [row]))


def account_view(session: Session, principal: Principal, account_id: int) -> SubjectWillingnessOut:
    account = access.visible_account(session, principal, account_id)
    scope = scope_for(session, principal)
    rows = _history(session, WillingnessAssessment.account_id == account_id)
    deal = _account_deals(session, scope, [account_id]).get(account_id)
    return _subject("account", account_id, account.name, rows, deal, session, scope)


def opportunity_view(session: Session, principal: Principal, opp_id: int) -> SubjectWillingnessOut:
    opp = access.visible_opportunity(session, principal, opp_id)
    scope = scope_for(session, principal)
    rows = _history(session, WillingnessAssessment.opportunity_id == opp_id)
    signals = deal_signals(session, [opp_id]).get(opp_id)
    return _subject("opportunity", opp_id, opp.name, rows, signals, session, scope)


def _subject(
    kind: Subject,
    subject_id: int,
    name: str,
    rows: list[WillingnessAssessment],
    signals: w.DealSignals | None,
    session: Session,
    scope: Scope,
) -> SubjectWillingnessOut:
    names = _names(session, rows)
    history = [_out(r, scope, names) for r in rows]
    motion = w.motion_of(signals)
    latest = history[0] if history else None
    problem = w.mismatch(w.SalesModel(latest.model), motion) if latest else None
    return SubjectWillingnessOut(
        subject=kind, subject_id=subject_id, name=name, latest=latest, history=history,
        motion=motion.value, motion_label=w.MOTION_LABELS[motion], mismatch=problem,
    )  # fmt: skip


def _history(session: Session, where: ColumnElement[bool]) -> list[WillingnessAssessment]:
    stmt = select(WillingnessAssessment).where(where)
    order = (WillingnessAssessment.assessed_at.desc(), WillingnessAssessment.id.desc())
    return list(session.scalars(stmt.order_by(*order)))


def _names(session: Session, rows: Iterable[WillingnessAssessment]) -> dict[int, str]:
    ids = {r.assessed_by_id for r in rows if r.assessed_by_id is not None}
    if not ids:
        return {}
    return dict(session.execute(select(User.id, User.full_name).where(User.id.in_(ids))).all())


def _out(row: WillingnessAssessment, scope: Scope, names: Mapping[int, str]) -> WillingnessOut:
    by = row.assessed_by_id
    # Who assessed shows only to those who may see that person (the matrix's leak rule).
    shown = names.get(by, "") if by is not None and scope.allows_owner(by) else ""
    try:
        scored = score_out(w.score(row.answers))
        reasons, opening = scored.reasons, scored.expert_opening
    except w.AnswerError:  # questions changed since: the stored scores stand, unexplained
        reasons, opening = [], None
    quadrant, model = w.Quadrant(row.quadrant), w.SalesModel(row.model)
    return WillingnessOut(
        id=row.id, assessed_at=row.assessed_at, assessed_by=shown or "a colleague",
        note=row.note, newness=row.newness, risk=row.risk, willingness=row.willingness,
        quadrant=quadrant.value, quadrant_label=w.QUADRANT_LABELS[quadrant],
        model=model.value, model_label=w.MODEL_LABELS[model],
        close_call=abs(row.willingness - w.HIGH) < w.CLOSE_CALL, reasons=reasons,
        expert_opening=opening, answers=dict(row.answers),
    )  # fmt: skip


# --- what the deals show about the motion in use ---------------------------------------------


def deal_signals(session: Session, opp_ids: Iterable[int]) -> dict[int, w.DealSignals]:
    """Per deal: a value case, its customer-confirmed outcomes, a mutual plan, the discount,
    the call plans prepared for its meetings."""
    ids = list(set(opp_ids))
    if not ids:
        return {}
    plans = dict(
        session.execute(
            select(Opportunity.id, Opportunity.mutual_plan).where(Opportunity.id.in_(ids))
        ).all()
    )
    cases = dict(
        session.execute(
            select(ValueCase.opportunity_id, ValueCase.id).where(ValueCase.opportunity_id.in_(ids))
        ).all()
    )
    confirmed_stmt = (
        select(ValueCase.opportunity_id, func.count(ValueOutcome.id))
        .join(ValueOutcome, ValueOutcome.value_case_id == ValueCase.id)
        .where(ValueCase.opportunity_id.in_(ids), ValueOutcome.state == "confirmed")
        .group_by(ValueCase.opportunity_id)
    )
    confirmed = dict(session.execute(confirmed_stmt).all())
    lines_stmt = (
        select(
            LineItem.opportunity_id,
            func.sum(LineItem.quantity * LineItem.list_price),
            func.sum(LineItem.quantity * LineItem.net_price),
        )
        .where(LineItem.opportunity_id.in_(ids), LineItem.list_price > 0)
        .group_by(LineItem.opportunity_id)
    )
    plans_stmt = (
        select(CallPlan.opportunity_id, func.count(CallPlan.id))
        .where(CallPlan.opportunity_id.in_(ids))
        .group_by(CallPlan.opportunity_id)
    )
    call_plans = dict(session.execute(plans_stmt).all())
    discount: dict[int, Decimal] = {}
    for opp_id, listed, net in session.execute(lines_stmt):
        if listed and Decimal(listed) > 0:
            discount[opp_id] = 1 - Decimal(net) / Decimal(listed)
    return {
        i: w.DealSignals(
            has_value_case=i in cases,
            confirmed_outcomes=int(confirmed.get(i, 0)),
            mutual_plan=bool(plans.get(i)),
            discount=discount.get(i),
            call_plans=int(call_plans.get(i, 0)),
        )
        for i in ids
        if i in plans
    }


def _account_deals(
    session: Session, scope: Scope, account_ids: Iterable[int]
) -> dict[int, w.DealSignals]:
    """Each account's deal the motion is read from: its newest open deal in the caller's
    scope, else its most recently closed one."""
    stmt = scope.filter(
        select(Opportunity.account_id, Opportunity.id, Stage.outcome, Opportunity.close_date)
        .join(Stage, Stage.id == Opportunity.stage_id)
        .where(Opportunity.account_id.in_(list(account_ids))),
        Opportunity.owner_id,
    )
    best: dict[int, tuple[tuple[int, str, int], int]] = {}
    for account_id, opp_id, outcome, close in session.execute(stmt):
        rank = (1 if outcome == "open" else 0, close.isoformat() if close else "", opp_id)
        if account_id is None:
            continue
        if account_id not in best or rank > best[account_id][0]:
            best[account_id] = (rank, opp_id)
    signals = deal_signals(session, [opp for _, opp in best.values()])
    return {a: signals[opp] for a, (_, opp) in best.items() if opp in signals}


# --- the portfolio -------------------------------------------------------------------------


def portfolio(session: Session, principal: Principal) -> PortfolioOut:
    principal.require(Permission.VIEW_ANALYTICS)
    scope = scope_for(session, principal)
    accounts_stmt = select(Account.id, Account.name)
    clause = access.visible_accounts_clause(scope)
    if clause is not None:
        accounts_stmt = accounts_stmt.where(clause)
    account_names = dict(session.execute(accounts_stmt).all())
    opp_names = dict(
        session.execute(
            scope.filter(select(Opportunity.id, Opportunity.name), Opportunity.owner_id)
        ).all()
    )
    latest_acc = _latest(session, WillingnessAssessment.account_id, account_names)
    latest_opp = _latest(session, WillingnessAssessment.opportunity_id, opp_names)
    acc_signals = _account_deals(session, scope, latest_acc)
    opp_signals = deal_signals(session, latest_opp)
    rows = [
        _row("account", i, account_names[i], r, acc_signals.get(i)) for i, r in latest_acc.items()
    ]
    rows += [
        _row("opportunity", i, opp_names[i], r, opp_signals.get(i)) for i, r in latest_opp.items()
    ]
    rows.sort(key=lambda r: (r.willingness, r.name, r.subject_id))
    counts = {q: 0 for q in w.Quadrant}
    for r in rows:
        counts[w.Quadrant(r.quadrant)] += 1
    experts = sum(1 for r in rows if r.model == w.SalesModel.TRUSTED_EXPERT)
    return PortfolioOut(
        assessed=len(rows), trusted_expert=experts, divide_and_optimise=len(rows) - experts,
        quadrants=[QuadrantCountOut(quadrant=q.value, label=w.QUADRANT_LABELS[q], count=n)
                   for q, n in counts.items()],
        rows=rows, mismatches=[r for r in rows if r.mismatch],
        candidates=[r for r in rows if r.expert_opening],
    )  # fmt: skip


def _latest(
    session: Session, column: object, visible: Mapping[int, str]
) -> dict[int, WillingnessAssessment]:
    """The latest assessment of each visible subject."""
    stmt = select(WillingnessAssessment).where(column.is_not(None))  # type: ignore[attr-defined]
    stmt = stmt.order_by(WillingnessAssessment.assessed_at, WillingnessAssessment.id)
    out: dict[int, WillingnessAssessment] = {}
    for row in session.scalars(stmt):
        key = row.account_id if row.account_id is not None else row.opportunity_id
        if key is not None and key in visible:
            out[key] = row
    return out


def _row(
    kind: Subject,
    subject_id: int,
    name: str,
    row: WillingnessAssessment,
    signals: w.DealSignals | None,
) -> PortfolioRowOut:
    motion = w.motion_of(signals)
    model = w.SalesModel(row.model)
    try:
        opening = w.expert_opening(w.score(row.answers))
    except w.AnswerError:
        opening = None
    return PortfolioRowOut(
        subject=kind, subject_id=subject_id, name=name, assessed_at=row.assessed_at,
        newness=row.newness, risk=row.risk, willingness=row.willingness,
        quadrant=row.quadrant, model=model.value, motion=motion.value,
        mismatch=w.mismatch(model, motion), expert_opening=opening,
    )  # fmt: skip
