"""Use cases for a deal's value case: its outcomes and the figures computed from them.

Seeing the value case follows the opportunity's visibility; its figures are money, so
callers who may not see money get the outcomes without values or figures. The figures
themselves, and their previews for unsaved outcomes, are in valuecase_figures.py.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from valuescout.core import audit
from valuescout.core.errors import Invalid, NotFound
from valuescout.core.models import utcnow
from valuescout.deals import valuecase as vc
from valuescout.deals.access import editable_opportunity, money, visible_opportunity
from valuescout.deals.models import (
    Contact,
    Opportunity,
    OpportunityChange,
    ValueCase,
    ValueOutcome,
)
from valuescout.deals.schemas import (
    OutcomeIn,
    OutcomeOut,
    OutcomeUpdate,
    ValueCaseOut,
    ValueCaseUpdate,
)
from valuescout.deals.valuecase_figures import (
    case_of,
    deal_settings,
    figures_for,
    figures_out,
    outcomes_of,
)
from valuescout.deals.valuecase_rows import as_input
from valuescout.identity.principal import Principal
from valuescout.identity.scope import Scope, scope_for
from valuescout.valuenet.models import NetworkNode, Persona

ENTITY = "value_case"


def _outcome_out(scope: Scope, o: ValueOutcome) -> OutcomeOut:
    item = as_input(o)
    return OutcomeOut(
        id=o.id,
        name=o.name,
        network_outcome_id=o.network_outcome_id,
        direction=item.direction,
        yearly_value=money(scope, o.yearly_value),
        recurrence=item.recurrence,
        years=o.years,
        confidence=o.confidence,
        state=item.state,
        evidence_source=o.evidence_source,
        evidence_note=o.evidence_note,
        persona_id=o.persona_id,
        contact_id=o.contact_id,
        horizon_value=money(scope, vc.outcome_value(item, risk_adjusted=False)),
        risk_adjusted_value=money(scope, vc.outcome_value(item, risk_adjusted=True)),
    )


def value_case(session: Session, principal: Principal, opp_id: int) -> ValueCaseOut:
    opp = visible_opportunity(session, principal, opp_id)
    case = case_of(session, opp)
    if case is None:
        raise NotFound(f"Opportunity {opp_id} has no value case yet.")
    return _case_out(session, principal, opp, case)


def _case_out(
    session: Session, principal: Principal, opp: Opportunity, case: ValueCase
) -> ValueCaseOut:
    scope = scope_for(session, principal)
    outcomes = outcomes_of(session, case)
    figures = None
    if scope.sees_money:
        figures = figures_out(*figures_for(session, opp, case, outcomes))
    return ValueCaseOut(
        opportunity_id=opp.id,
        discount_rate=case.discount_rate,
        target_share=case.target_share,
        assumptions=case.assumptions,
        internal_notes=case.internal_notes,
        outcomes=[_outcome_out(scope, o) for o in outcomes],
        figures=figures,
        updated_at=case.updated_at,
    )


def start_value_case(session: Session, principal: Principal, opp_id: int) -> ValueCaseOut:
    """Open the deal's value case; a second start returns the one that exists."""
    opp = editable_opportunity(session, principal, opp_id)
    case = case_of(session, opp)
    if case is None:
        settings = deal_settings(session)
        case = ValueCase(
            opportunity_id=opp.id,
            discount_rate=settings.discount_rate,
            target_share=settings.target_share,
        )
        session.add(case)
        session.flush()
        audit.record(session, principal.actor, "value_case.created", ENTITY, opp.id)
    return _case_out(session, principal, opp, case)


def _editable_case(session: Session, principal: Principal, opp_id: int) -> tuple[Any, ValueCase]:
    opp = editable_opportunity(session, principal, opp_id)
    case = case_of(session, opp)
    if case is None:
        raise NotFound(f"Opportunity {opp_id} has no value case yet.")
    return opp, case


def update_value_case(
    session: Session, principal: Principal, opp_id: int, data: ValueCaseUpdate
) -> ValueCaseOut:
    opp, case = _editable_case(session, principal, opp_id)
    _set_terms(session, principal, opp, case, data)
    return _case_out(session, principal, opp, case)


def _set_terms(
    session: Session, principal: Principal, opp: Opportunity, case: ValueCase, data: ValueCaseUpdate
) -> None:
    changes = data.model_dump(exclude_unset=True)
    before = {k: getattr(case, k) for k in changes}
    for name, value in changes.items():
        setattr(case, name, value)
    case.updated_at = utcnow()
    session.flush()
    diff = audit.diff(before, changes)
    if diff:
        audit.record(session, principal.actor, "value_case.updated", ENTITY, opp.id, diff)


def _check_links(session: Session, opp: Opportunity, fields: dict[str, Any]) -> None:
    node_id = fields.get("network_outcome_id")
    if node_id is not None:
        node = session.get(NetworkNode, node_id)
        if node is None or node.node_type != "outcome":
            raise Invalid(f"Network outcome {node_id} not found.", field="network_outcome_id")
        if opp.value_network_id is not None and node.network_id != opp.value_network_id:
            raise Invalid(
                "That outcome belongs to another value network than the deal's.",
                field="network_outcome_id",
            )
    persona_id = fields.get("persona_id")
    if persona_id is not None:
        persona = session.get(Persona, persona_id)
        if persona is None:
            raise Invalid(f"Persona {persona_id} not found.", field="persona_id")
        if opp.value_network_id is not None and persona.network_id != opp.value_network_id:
            raise Invalid(
                "That persona belongs to another value network than the deal's.",
                field="persona_id",
            )
    contact_id = fields.get("contact_id")
    if contact_id is not None:
        contact = session.get(Contact, contact_id)
        if contact is None or contact.account_id != opp.account_id:
            raise Invalid(
                f"Contact {contact_id} is not on this deal's account.", field="contact_id"
            )


def _outcome_fields(o: ValueOutcome) -> dict[str, Any]:
    return {
        name: getattr(o, name)
        for name in (
            "name",
            "network_outcome_id",
            "direction",
            "yearly_value",
            "recurrence",
            "years",
            "confidence",
            "state",
            "evidence_source",
            "evidence_note",
            "persona_id",
            "contact_id",
        )
    }


def confirmed_count(session: Session, case: ValueCase) -> int:
    return int(
        session.scalar(
            select(func.count()).where(
                ValueOutcome.value_case_id == case.id,
                ValueOutcome.state == vc.OutcomeState.CONFIRMED.value,
            )
        )
        or 0
    )


def _note_confirmed(
    session: Session, opp: Any, case: ValueCase, before: int, principal: Principal
) -> None:
    """A change in how many outcomes the customer confirmed goes to the deal's history (with
    its time), so a forecast rebuilt for a past day knows what was confirmed by then."""
    after = confirmed_count(session, case)
    if after != before:
        session.add(
            OpportunityChange(
                opportunity_id=opp.id,
                field="confirmed",
                old_value=str(before),
                new_value=str(after),
                changed_at=utcnow(),
                actor_id=principal.actor.id,
            )
        )


def add_outcome(
    session: Session, principal: Principal, opp_id: int, data: OutcomeIn
) -> ValueCaseOut:
    opp, case = _editable_case(session, principal, opp_id)
    confirmed = confirmed_count(session, case)
    _add(session, principal, opp, case, data)
    _note_confirmed(session, opp, case, confirmed, principal)
    return _case_out(session, principal, opp, case)


def _add(
    session: Session, principal: Principal, opp: Opportunity, case: ValueCase, data: OutcomeIn
) -> None:
    fields = data.model_dump()
    _check_links(session, opp, fields)
    last = session.scalar(
        select(func.max(ValueOutcome.position)).where(ValueOutcome.value_case_id == case.id)
    )
    outcome = ValueOutcome(value_case_id=case.id, position=(last or 0) + 1, **fields)
    session.add(outcome)
    case.updated_at = utcnow()
    session.flush()
    audit.record(
        session,
        principal.actor,
        "value_case.outcome_added",
        ENTITY,
        opp.id,
        {"outcome_id": outcome.id, **_outcome_fields(outcome)},
    )


def _outcome_of(session: Session, case: ValueCase, outcome_id: int) -> ValueOutcome:
    outcome = session.get(ValueOutcome, outcome_id)
    if outcome is None or outcome.value_case_id != case.id:
        raise NotFound(f"Outcome {outcome_id} is not in this value case.")
    return outcome


def update_outcome(
    session: Session, principal: Principal, opp_id: int, outcome_id: int, data: OutcomeUpdate
) -> ValueCaseOut:
    opp, case = _editable_case(session, principal, opp_id)
    confirmed = confirmed_count(session, case)
    _update(session, principal, opp, case, _outcome_of(session, case, outcome_id), data)
    _note_confirmed(session, opp, case, confirmed, principal)
    return _case_out(session, principal, opp, case)


def _update(
    session: Session,
    principal: Principal,
    opp: Opportunity,
    case: ValueCase,
    outcome: ValueOutcome,
    data: OutcomeUpdate,
) -> None:
    changes = data.model_dump(exclude_unset=True)
    _check_links(session, opp, changes)
    before = _outcome_fields(outcome)
    for name, value in changes.items():
        setattr(outcome, name, value)
    case.updated_at = utcnow()
    session.flush()
    diff = audit.diff(before, _outcome_fields(outcome))
    if diff:
        audit.record(
            session,
            principal.actor,
            "value_case.outcome_updated",
            ENTITY,
            opp.id,
            {"outcome_id": outcome.id, **diff},
        )


def remove_outcome(
    session: Session, principal: Principal, opp_id: int, outcome_id: int
) -> ValueCaseOut:
    opp, case = _editable_case(session, principal, opp_id)
    confirmed = confirmed_count(session, case)
    _remove(session, principal, opp, _outcome_of(session, case, outcome_id), case)
    _note_confirmed(session, opp, case, confirmed, principal)
    return _case_out(session, principal, opp, case)


def _remove(
    session: Session, principal: Principal, opp: Opportunity, outcome: ValueOutcome, case: ValueCase
) -> None:
    record = {"outcome_id": outcome.id, **_outcome_fields(outcome)}
    session.delete(outcome)
    case.updated_at = utcnow()
    session.flush()
    audit.record(session, principal.actor, "value_case.outcome_removed", ENTITY, opp.id, record)


@dataclass(frozen=True)
class CaseEdit:
    """What one save of the value-case form asks: the terms, outcomes to remove, changes to
    outcomes by id, and new outcomes, applied in that order."""

    terms: ValueCaseUpdate
    removed: Sequence[int] = ()
    changed: Mapping[int, OutcomeUpdate] = field(default_factory=dict)
    added: Sequence[OutcomeIn] = ()


def save_case(session: Session, principal: Principal, opp_id: int, edit: CaseEdit) -> None:
    """Apply a whole form's edit at once: one access check and one confirmed-count note for
    the save, rows whose every sent field already holds its value left alone, and no figures
    read back (the page shows them after its redirect)."""
    opp, case = _editable_case(session, principal, opp_id)
    confirmed = confirmed_count(session, case)
    _set_terms(session, principal, opp, case, edit.terms)
    current = {o.id: o for o in outcomes_of(session, case)}
    for outcome_id in edit.removed:
        if outcome_id not in current:
            raise NotFound(f"Outcome {outcome_id} is not in this value case.")
        _remove(session, principal, opp, current.pop(outcome_id), case)
    for outcome_id, change in edit.changed.items():
        outcome = current.get(outcome_id)
        if outcome is None:
            raise NotFound(f"Outcome {outcome_id} is not in this value case.")
        if not _holds(outcome, change):
            _update(session, principal, opp, case, outcome, change)
    for data in edit.added:
        _add(session, principal, opp, case, data)
    _note_confirmed(session, opp, case, confirmed, principal)


def _holds(outcome: ValueOutcome, change: OutcomeUpdate) -> bool:
    """Whether every field the change sends already holds the sent value: a form sends every
    row, and rewriting the ones nobody touched would only cost (links, flush, audit diff)."""
    fields = _outcome_fields(outcome)
    sent = change.model_dump(exclude_unset=True)
    return all(k in fields and fields[k] == v for k, v in sent.items())
