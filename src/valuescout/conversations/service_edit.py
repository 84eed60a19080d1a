"""Editing and deleting an interaction.

Who: the interaction must be in the caller's sight (the read rule: row scope on the author;
404 otherwise); then its author, or whoever may edit its deal - Permission.EDIT_DEALS with the
opportunity (or, without one, the account) in scope (403 otherwise). So a manager corrects
their sellers' logs; an executive or the price desk, who read them, may not. A contributor
edits their own interactions; the form and the output carry no deal money.

An edit is checked like a new interaction (the place, the call plan, contacts and outcomes of
that account and network, not in the future), replaces the details sent, recomputes the
counts and the value-quality score, and is audited with what changed. If the day, kind or
deal changes, the interaction's meeting is withdrawn from the deal and recorded again
(service_meetings.py). Contacts newly marked as allies become allies; none is un-marked.

Deleting removes the details with the row (one transaction), withdraws its meeting and is
audited with what was deleted.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import ValidationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from valuescout.conversations import quality, service, service_meetings
from valuescout.conversations.models import (
    Interaction,
    InteractionInsight,
    InteractionOutcome,
    InteractionQuestion,
    InteractionStakeholder,
)
from valuescout.conversations.schemas import InteractionIn, InteractionUpdate
from valuescout.core import audit
from valuescout.core.errors import Forbidden, Invalid
from valuescout.identity.principal import Principal

DETAILS = (InteractionInsight, InteractionQuestion, InteractionStakeholder, InteractionOutcome)
PLACE_FIELDS = ("occurred_on", "kind", "opportunity_id")  # a change re-records the meeting


def changeable(session: Session, principal: Principal, interaction_id: int) -> Interaction:
    row = service.visible_interaction(session, principal, interaction_id)
    if not service.may_change(session, principal, row):
        raise Forbidden("Only the author or someone who may edit the deal changes an interaction.")
    return row


def _stored(session: Session, row: Interaction) -> dict[str, Any]:
    """The interaction as input, from what is stored."""

    def children(model: Any) -> list[Any]:
        return list(
            session.scalars(select(model).where(model.interaction_id == row.id).order_by(model.id))
        )

    return {
        "account_id": row.account_id,
        "opportunity_id": row.opportunity_id,
        "call_plan_id": row.call_plan_id,
        "occurred_on": row.occurred_on,
        "kind": row.kind,
        "notes": row.notes,
        "insights": [{"text": i.text} for i in children(InteractionInsight)],
        "questions": [
            {"text": q.text, "kind": q.kind, "category": q.category}
            for q in children(InteractionQuestion)
        ],
        "stakeholders": [
            {"contact_id": p.contact_id, "name": p.name, "title": p.title, "is_ally": p.is_ally}
            for p in children(InteractionStakeholder)
        ],
        "outcomes": [
            {
                "outcome_id": o.outcome_id,
                "text": o.text,
                "kind": o.kind,
                "amount": o.amount,
                "unit": o.unit,
            }
            for o in children(InteractionOutcome)
        ],
    }


def _audited(row: Interaction) -> dict[str, Any]:
    fields = ("account_id", "opportunity_id", "call_plan_id", "occurred_on", "kind")
    counts = tuple(quality.Counts.__dataclass_fields__)
    return {
        **{f: getattr(row, f) for f in (*fields, *counts)},
        "quality_score": row.quality_score,
        "notes_length": len(row.notes),
    }


def _merged(session: Session, row: Interaction, changes: InteractionUpdate) -> InteractionIn:
    sent = changes.model_dump(exclude_unset=True)
    merged = {**_stored(session, row), **sent}
    if "opportunity_id" in sent and "account_id" not in sent and sent["opportunity_id"]:
        merged["account_id"] = None  # the new deal's account
    try:
        return InteractionIn.model_validate(merged)
    except ValidationError as exc:  # a rule across fields: e.g. neither account nor deal left
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        message = str(err["msg"]).removeprefix("Value error, ")
        raise Invalid(f"{where}: {message}" if where else message, field=where or None) from None


def update_interaction(
    session: Session,
    principal: Principal,
    interaction_id: int,
    changes: InteractionUpdate,
    today: date,
) -> Interaction:
    row = changeable(session, principal, interaction_id)
    data = _merged(session, row, changes)
    if data.occurred_on > today:
        raise Invalid("occurred_on: the interaction cannot be in the future.", field="occurred_on")
    account_id, opp = service.check_input(session, principal, data)
    before = _audited(row)
    replaces_meeting = any(
        getattr(row, f) != v for f, v in (("occurred_on", data.occurred_on), ("kind", data.kind))
    ) or row.opportunity_id != (opp.id if opp else None)
    if replaces_meeting:
        service_meetings.withdraw(session, principal.actor, row)
    counts = service.counts_of(data.insights, data.questions, data.stakeholders, data.outcomes)
    row.account_id = account_id
    row.opportunity_id = opp.id if opp else None
    row.call_plan_id = data.call_plan_id
    row.occurred_on = data.occurred_on
    row.kind = data.kind
    row.notes = data.notes
    row.quality_score = quality.score(counts).score
    for name, value in counts.__dict__.items():
        setattr(row, name, value)
    for model in DETAILS:
        session.execute(delete(model).where(model.interaction_id == row.id))
    session.flush()
    service.add_details(session, principal.actor, row, data)
    if replaces_meeting:
        service_meetings.record(session, principal.actor, row, opp)
    session.flush()
    diff = audit.diff(before, _audited(row))
    sent = sorted(changes.model_dump(exclude_unset=True))
    audit.record(
        session,
        principal.actor,
        "interaction.updated",
        service.ENTITY,
        row.id,
        {**diff, "fields_sent": sent},
    )
    return row


def delete_interaction(session: Session, principal: Principal, interaction_id: int) -> None:
    row = changeable(session, principal, interaction_id)
    record = {"author_id": row.author_id, **_audited(row)}
    service_meetings.withdraw(session, principal.actor, row)
    for model in DETAILS:
        session.execute(delete(model).where(model.interaction_id == row.id))
    session.delete(row)
    session.flush()
    audit.record(
        session, principal.actor, "interaction.deleted", service.ENTITY, interaction_id, record
    )
