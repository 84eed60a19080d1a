"""Editing who a network speaks to: personas (and the outcomes they desire) and competitors
(and whether they match each of our differentiators)."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from valuescout.core.errors import Invalid, NotFound
from valuescout.identity.principal import Principal
from valuescout.valuenet.editing import (
    child,
    editable,
    record_change,
    refuse_taken,
    rename_and_describe,
)
from valuescout.valuenet.models import (
    Competitor,
    CompetitorMatch,
    NetworkNode,
    Persona,
    PersonaOutcome,
)
from valuescout.valuenet.repository import DIFFERENTIATOR, OUTCOME, key
from valuescout.valuenet.schemas import (
    CompetitorCreate,
    CompetitorUpdate,
    MatchSet,
    PersonaCreate,
    PersonaOutcomeSet,
    PersonaUpdate,
)

# --- personas ----------------------------------------------------------------------------------


def add_persona(
    session: Session, principal: Principal, network_id: int, data: PersonaCreate
) -> Persona:
    network = editable(session, principal, network_id)
    refuse_taken(session, Persona, network.id, data.name)
    persona = Persona(
        network_id=network.id, name=data.name, name_key=key(data.name), description=data.description
    )
    session.add(persona)
    session.flush()
    record_change(
        session, principal, network, "persona.added", {"id": persona.id, "name": persona.name}
    )
    return persona


def update_persona(
    session: Session, principal: Principal, network_id: int, persona_id: int, data: PersonaUpdate
) -> Persona:
    network = editable(session, principal, network_id)
    persona = child(session, Persona, network.id, persona_id, "Persona")
    rename_and_describe(
        session, principal, network, persona, data.model_dump(exclude_unset=True), "persona.updated"
    )
    return persona


def delete_persona(
    session: Session, principal: Principal, network_id: int, persona_id: int
) -> None:
    network = editable(session, principal, network_id)
    persona = child(session, Persona, network.id, persona_id, "Persona")
    gone = {"id": persona.id, "name": persona.name}
    session.delete(persona)
    session.flush()
    record_change(session, principal, network, "persona.deleted", gone)


def set_persona_outcome(
    session: Session,
    principal: Principal,
    network_id: int,
    persona_id: int,
    outcome_id: int,
    data: PersonaOutcomeSet,
) -> PersonaOutcome:
    """Attach a persona to an outcome it desires (or change how strongly)."""
    network = editable(session, principal, network_id)
    persona = child(session, Persona, network.id, persona_id, "Persona")
    outcome = child(session, NetworkNode, network.id, outcome_id, "Outcome")
    if outcome.node_type != OUTCOME:
        raise Invalid(
            f"{outcome.name!r} is a differentiator; personas attach to outcomes.",
            field="outcome_id",
        )
    tie = _set_tie(
        session,
        PersonaOutcome,
        {"persona_id": persona.id, "outcome_id": outcome.id},
        owner="persona_id",
        strength=data.strength.value,
    )
    record_change(
        session,
        principal,
        network,
        "persona.outcome_set",
        {"persona": persona.name, "outcome": outcome.name, "strength": tie.strength},
    )
    return tie


def remove_persona_outcome(
    session: Session, principal: Principal, network_id: int, persona_id: int, outcome_id: int
) -> None:
    network = editable(session, principal, network_id)
    persona = child(session, Persona, network.id, persona_id, "Persona")
    tie = session.get(PersonaOutcome, (persona.id, outcome_id))
    if tie is None:
        raise NotFound(f"{persona.name!r} is not attached to outcome {outcome_id}.")
    session.delete(tie)
    session.flush()
    record_change(
        session,
        principal,
        network,
        "persona.outcome_removed",
        {"persona": persona.name, "outcome_id": outcome_id},
    )


# --- competitors -------------------------------------------------------------------------------


def add_competitor(
    session: Session, principal: Principal, network_id: int, data: CompetitorCreate
) -> Competitor:
    network = editable(session, principal, network_id)
    refuse_taken(session, Competitor, network.id, data.name)
    competitor = Competitor(
        network_id=network.id, name=data.name, name_key=key(data.name), description=data.description
    )
    session.add(competitor)
    session.flush()
    record_change(
        session,
        principal,
        network,
        "competitor.added",
        {"id": competitor.id, "name": competitor.name},
    )
    return competitor


def update_competitor(
    session: Session,
    principal: Principal,
    network_id: int,
    competitor_id: int,
    data: CompetitorUpdate,
) -> Competitor:
    network = editable(session, principal, network_id)
    competitor = child(session, Competitor, network.id, competitor_id, "Competitor")
    rename_and_describe(
        session,
        principal,
        network,
        competitor,
        data.model_dump(exclude_unset=True),
        "competitor.updated",
    )
    return competitor


def delete_competitor(
    session: Session, principal: Principal, network_id: int, competitor_id: int
) -> None:
    network = editable(session, principal, network_id)
    competitor = child(session, Competitor, network.id, competitor_id, "Competitor")
    gone = {"id": competitor.id, "name": competitor.name}
    session.delete(competitor)
    session.flush()
    record_change(session, principal, network, "competitor.deleted", gone)


def set_match(
    session: Session,
    principal: Principal,
    network_id: int,
    competitor_id: int,
    differentiator_id: int,
    data: MatchSet,
) -> CompetitorMatch:
    """Say whether a competitor matches one of our differentiators: yes, partly or no."""
    network = editable(session, principal, network_id)
    competitor = child(session, Competitor, network.id, competitor_id, "Competitor")
    node = child(session, NetworkNode, network.id, differentiator_id, "Differentiator")
    if node.node_type != DIFFERENTIATOR:
        raise Invalid(
            f"{node.name!r} is an outcome; competitors are matched on differentiators.",
            field="differentiator_id",
        )
    match = _set_tie(
        session,
        CompetitorMatch,
        {"competitor_id": competitor.id, "differentiator_id": node.id},
        owner="competitor_id",
        match=data.match.value,
    )
    record_change(
        session,
        principal,
        network,
        "competitor.match_set",
        {"competitor": competitor.name, "differentiator": node.name, "match": match.match},
    )
    return match


Tie = TypeVar("Tie", PersonaOutcome, CompetitorMatch)


def _set_tie(
    session: Session, model: type[Tie], key: dict[str, int], *, owner: str, **values: str
) -> Tie:
    """Create or change a persona-outcome or competitor-match tie. New ties go last in their
    owner's list, so files keep the order people entered them in."""
    tie = session.get(model, tuple(key.values()))
    if tie is None:
        owner_column = getattr(model, owner)
        position = session.scalar(select(func.count()).where(owner_column == key[owner])) or 0
        tie = model(**key, **values, position=position)
        session.add(tie)
    else:
        for field, value in values.items():
            setattr(tie, field, value)
    session.flush()
    return tie
