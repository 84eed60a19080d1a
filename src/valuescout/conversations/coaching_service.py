"""Coaching sessions: record (coaches), read (in scope), tick off agreed actions, and the
coaching-effectiveness view over the interaction log.

Who: a coach (Permission.COACH_SELLERS: managers for people in their team subtree, admins for
anyone) records sessions with sellers and managers in scope; a seller reads their own
sessions; managers their subtree's; price desk, executives and admins everyone's;
contributors nothing (403). A session or seller out of scope answers 404. The agreed actions
are ticked by the coach (in scope) or by the coached seller. The effectiveness view is for
coaches and analysts (COACH_SELLERS or VIEW_ANALYTICS): the sessions in their scope, compared
with every seller in the company not coached on the same focus (names never leave the
service; only the coaches of sessions in scope are named).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from valuescout.conversations import coaching_effect as fx
from valuescout.conversations.coaching_models import CoachingAction, CoachingSession
from valuescout.conversations.coaching_schemas import (
    ActionOut,
    DueActionOut,
    EffectivenessOut,
    SessionEffectOut,
    SessionIn,
    SessionOut,
    SummaryOut,
)
from valuescout.conversations.models import Interaction
from valuescout.core import audit
from valuescout.core.errors import Forbidden, Invalid, NotFound
from valuescout.identity.models import User
from valuescout.identity.principal import Principal
from valuescout.identity.roles import Permission, Role
from valuescout.identity.scope import Scope, scope_for

ENTITY = "coaching_session"
COACHABLE_ROLES = (Role.SELLER, Role.MANAGER)
MAX_WINDOW_DAYS = 365


def _reader_scope(session: Session, principal: Principal) -> Scope:
    if principal.role == Role.CONTRIBUTOR:
        raise Forbidden("Your role does not allow this.")
    return scope_for(session, principal)


def _names(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.execute(select(User.id, User.full_name).where(User.id.in_(wanted)))
    return {row.id: row.full_name for row in rows}


def _named_coaches(
    session: Session, principal: Principal, ids: Iterable[int | None]
) -> dict[int, str]:
    """Coaches' names, only for coaches within the caller's row scope (a seller sees their own
    sessions, not who their manager is by name; the page says "your coach")."""
    scope = scope_for(session, principal)
    return _names(session, {i for i in ids if i is not None and scope.allows_owner(i)})


def _action_out(a: CoachingAction, today: date) -> ActionOut:
    return ActionOut(
        id=a.id, text=a.text, due_on=a.due_on, done=a.done, done_on=a.done_on,
        overdue=not a.done and a.due_on < today,
    )  # fmt: skip


def _outs(
    session: Session, principal: Principal, rows: Sequence[CoachingSession], today: date
) -> list[SessionOut]:
    ids = [r.id for r in rows]
    actions: dict[int, list[CoachingAction]] = {i: [] for i in ids}
    if ids:
        stmt = select(CoachingAction).where(CoachingAction.session_id.in_(ids))
        for a in session.scalars(stmt.order_by(CoachingAction.position, CoachingAction.id)):
            actions[a.session_id].append(a)
    coaches = _named_coaches(session, principal, {r.coach_id for r in rows})
    names = _names(session, {r.seller_id for r in rows}) | coaches
    out = []
    for r in rows:
        focus = fx.FOCUSES[r.focus]
        out.append(
            SessionOut(
                id=r.id, seller_id=r.seller_id, seller_name=names.get(r.seller_id, "—"),
                coach_id=r.coach_id, coach_name=coaches.get(r.coach_id) if r.coach_id else None,
                held_on=r.held_on, focus=r.focus, focus_label=focus.label, metric=focus.metric,
                notes=r.notes, actions=[_action_out(a, today) for a in actions[r.id]],
            )
        )  # fmt: skip
    return out


def _visible(session: Session, principal: Principal) -> Select[CoachingSession]:
    return _reader_scope(session, principal).filter(
        select(CoachingSession), CoachingSession.seller_id
    )


def _visible_actions(
    session: Session, principal: Principal
) -> Select[CoachingSession, CoachingAction]:
    stmt = select(CoachingSession, CoachingAction).join(
        CoachingAction, CoachingAction.session_id == CoachingSession.id
    )
    return _reader_scope(session, principal).filter(stmt, CoachingSession.seller_id)


def list_sessions(
    session: Session,
    principal: Principal,
    today: date,
    *,
    seller_id: int | None = None,
    focus: str | None = None,
) -> list[SessionOut]:
    """Sessions in the caller's scope, newest first."""
    stmt = _visible(session, principal)
    if seller_id is not None:
        stmt = stmt.where(CoachingSession.seller_id == seller_id)
    if focus is not None:
        stmt = stmt.where(CoachingSession.focus == focus)
    rows = session.scalars(stmt.order_by(CoachingSession.held_on.desc(), CoachingSession.id.desc()))
    return _outs(session, principal, list(rows), today)


def get_session(session: Session, principal: Principal, session_id: int, today: date) -> SessionOut:
    row = session.scalar(_visible(session, principal).where(CoachingSession.id == session_id))
    if row is None:
        raise NotFound(f"Coaching session {session_id} not found.")
    return _outs(session, principal, [row], today)[0]


def coachable(session: Session, principal: Principal) -> list[User]:
    """Active sellers and managers the caller may coach (never the caller), by name."""
    principal.require(Permission.COACH_SELLERS)
    stmt = select(User).where(
        User.is_active.is_(True), User.role.in_(COACHABLE_ROLES), User.id != principal.user_id
    )
    stmt = scope_for(session, principal).filter(stmt, User.id)
    return list(session.scalars(stmt.order_by(User.full_name, User.id)))


def create_session(
    session: Session, principal: Principal, data: SessionIn, today: date
) -> SessionOut:
    """Record a session and its agreed actions (all or nothing; audited)."""
    principal.require(Permission.COACH_SELLERS)
    if data.seller_id not in {u.id for u in coachable(session, principal)}:
        if data.seller_id == principal.user_id:
            raise Invalid("seller_id: you cannot record a coaching session with yourself.",
                          field="seller_id")  # fmt: skip
        raise NotFound(f"Seller {data.seller_id} not found.")
    if data.held_on > today:
        raise Invalid("held_on: a session is recorded once held; the date is in the future.",
                      field="held_on")  # fmt: skip
    for n, action in enumerate(data.actions, start=1):
        if action.due_on < data.held_on:
            raise Invalid(f"actions {n}: the due date {action.due_on} is before the session.",
                          field="actions")  # fmt: skip
    row = CoachingSession(
        seller_id=data.seller_id, coach_id=principal.user_id, held_on=data.held_on,
        focus=data.focus, notes=data.notes.strip(),
    )  # fmt: skip
    session.add(row)
    session.flush()
    for n, action in enumerate(data.actions):
        session.add(
            CoachingAction(session_id=row.id, position=n, text=action.text, due_on=action.due_on)
        )
    session.flush()
    audit.record(
        session, principal.actor, "coaching_session.create", ENTITY, row.id,
        {"seller_id": [None, row.seller_id], "focus": [None, row.focus],
         "held_on": [None, str(row.held_on)], "actions": [0, len(data.actions)]},
    )  # fmt: skip
    return _outs(session, principal, [row], today)[0]


def set_action_done(
    session: Session, principal: Principal, action_id: int, done: bool, today: date
) -> ActionOut:
    """Tick (or untick) an agreed action: the coached seller, or a coach who has them in scope."""
    stmt = _visible_actions(session, principal).where(CoachingAction.id == action_id)
    row = session.execute(stmt).first()
    if row is None:
        raise NotFound(f"Action {action_id} not found.")
    coached, action = row[0], row[1]
    if coached.seller_id != principal.user_id:
        principal.require(Permission.COACH_SELLERS)
    if action.done != done:
        action.done, action.done_on = done, (today if done else None)
        session.flush()
        audit.record(
            session, principal.actor, "coaching_action.done", ENTITY, coached.id,
            {"action_id": action.id, "done": [not done, done]},
        )  # fmt: skip
    return _action_out(action, today)


def due_actions(session: Session, principal: Principal, today: date) -> list[DueActionOut]:
    """Open actions of the sessions in scope, soonest due first."""
    stmt = _visible_actions(session, principal).where(CoachingAction.done.is_(False))
    rows = session.execute(stmt.order_by(CoachingAction.due_on, CoachingAction.id)).all()
    names = _names(session, {r[0].seller_id for r in rows})
    return [
        DueActionOut(
            **_action_out(a, today).model_dump(),
            session_id=s.id,
            seller_name=names.get(s.seller_id, "—"),
            focus_label=fx.FOCUSES[s.focus].label,
        )
        for s, a in rows
    ]


# --- effectiveness ----------------------------------------------------------------------------


def _facts(session: Session, since: date) -> list[fx.InteractionFacts]:
    """Sellers' and managers' interactions since the day (contributors are not coached, so
    their interactions would only dilute the comparison group)."""
    counts = [m for m in fx.METRICS if m not in ("planned_share", "quality_score")]
    cols = [getattr(Interaction, m) for m in counts]
    stmt = select(
        Interaction.id, Interaction.author_id, Interaction.occurred_on,
        Interaction.call_plan_id, Interaction.quality_score, *cols,
    ).join(User, User.id == Interaction.author_id).where(
        Interaction.occurred_on >= since, User.role.in_(COACHABLE_ROLES)
    )  # fmt: skip
    out = []
    for row in session.execute(stmt):
        values: dict[str, float | None] = {m: float(row[5 + i]) for i, m in enumerate(counts)}
        values["planned_share"] = 1.0 if row.call_plan_id is not None else 0.0
        values["quality_score"] = row.quality_score
        out.append(fx.InteractionFacts(row.id, row.author_id, row.occurred_on, values))
    return out


def _session_facts(rows: Sequence[CoachingSession]) -> list[fx.SessionFacts]:
    return [fx.SessionFacts(r.id, r.seller_id, r.coach_id, r.held_on, r.focus) for r in rows]


def _summary_out(s: fx.Summary, names: dict[int, str]) -> SummaryOut:
    focus, metric = fx.FOCUSES[s.focus], fx.METRICS[s.metric]
    return SummaryOut(
        focus=s.focus, focus_label=focus.label, metric=s.metric, metric_label=metric.label,
        unit=metric.unit, coach_id=s.coach_id,
        coach_name=names.get(s.coach_id) if s.coach_id is not None else None,
        sessions=s.sessions, readable_sessions=s.readable, coached_before=s.coached_before,
        coached_after=s.coached_after, comparison_before=s.comparison_before,
        comparison_after=s.comparison_after, effect=s.effect,
        interactions_coached_before=s.n_coached_before,
        interactions_coached_after=s.n_coached_after,
        interactions_comparison_before=s.n_comparison_before,
        interactions_comparison_after=s.n_comparison_after, note=s.note,
    )  # fmt: skip


def _require_reader(principal: Principal) -> None:
    if not (principal.can(Permission.COACH_SELLERS) or principal.can(Permission.VIEW_ANALYTICS)):
        raise Forbidden("Your role does not allow this.")


def _compute(
    session: Session, principal: Principal, window_days: int, only: int | None = None
) -> fx.Effectiveness:
    if not 1 <= window_days <= MAX_WINDOW_DAYS:
        raise Invalid(f"window_days: between 1 and {MAX_WINDOW_DAYS} days.", field="window_days")
    everyone = list(session.scalars(select(CoachingSession)))
    stmt = _visible(session, principal)
    if only is not None:
        stmt = stmt.where(CoachingSession.id == only)
    mine = list(session.scalars(stmt.order_by(CoachingSession.held_on, CoachingSession.id)))
    if not mine:
        return fx.effectiveness([], [], window_days=window_days)
    since = min(r.held_on for r in mine) - timedelta(days=window_days)
    return fx.effectiveness(
        _session_facts(mine), _facts(session, since),
        window_days=window_days, all_sessions=_session_facts(everyone),
    )  # fmt: skip


def effectiveness(
    session: Session, principal: Principal, today: date, window_days: int = fx.DEFAULT_WINDOW_DAYS
) -> EffectivenessOut:
    """Per focus, overall and per coach: the coached sellers' change against the comparison's."""
    _require_reader(principal)
    result = _compute(session, principal, window_days)
    names = _named_coaches(session, principal, {s.coach_id for s in result.by_coach})
    return EffectivenessOut(
        window_days=window_days, as_of=today, min_coached=fx.MIN_COACHED,
        min_comparison=fx.MIN_COMPARISON,
        overall=[_summary_out(s, names) for s in result.overall],
        by_coach=[_summary_out(s, names) for s in result.by_coach],
    )  # fmt: skip


def session_effect(
    session: Session, principal: Principal, session_id: int,
    window_days: int = fx.DEFAULT_WINDOW_DAYS,
) -> SessionEffectOut:  # fmt: skip
    """One session's four cells, for its page (whoever may read the session)."""
    result = _compute(session, principal, window_days, only=session_id)
    if not result.sessions:
        raise NotFound(f"Coaching session {session_id} not found.")
    e = result.sessions[0]
    return SessionEffectOut(
        session_id=e.session_id, focus=e.focus, readable=e.readable,
        coached_before=e.coached_before.mean, coached_after=e.coached_after.mean,
        comparison_before=e.comparison_before.mean, comparison_after=e.comparison_after.mean,
        effect=e.effect, interactions_coached_before=e.coached_before.count,
        interactions_coached_after=e.coached_after.count,
        interactions_comparison_before=e.comparison_before.count,
        interactions_comparison_after=e.comparison_after.count,
        comparison_sellers=e.comparison_sellers,
    )  # fmt: skip
