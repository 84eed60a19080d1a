"""Read-only questions the value-network pages ask: the diagram page's header, a persona's view
and its message themes.

Everyone signed in may read. The answers come from the pure modules (`views`, `messages`), run
over the network's graph (`analysis.value_graph`, cached by the network's update time); this
module finds the persona and competitor by id and checks that they belong to the network.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from valuescout.core.errors import NotFound
from valuescout.identity.principal import Principal
from valuescout.valuenet import analysis, messages, service, views
from valuescout.valuenet import spec as s
from valuescout.valuenet.models import Competitor, Offer, Persona


@dataclass(frozen=True)
class Choice:
    id: int
    name: str


@dataclass(frozen=True)
class NetworkHeader:
    """What the diagram page shows around the diagram (the script loads the rest from the API)."""

    id: int
    name: str
    description: str
    offer_name: str
    offer_kind: s.OfferKind
    personas: tuple[Choice, ...]
    competitors: tuple[Choice, ...]


@dataclass(frozen=True)
class PersonaPage:
    network_id: int
    network_name: str
    persona: Choice
    view: views.PersonaView  # the persona's outcomes with the chains leading to each
    outcomes: dict[str, s.Outcome]  # every outcome by name, for measures and units
    themes: messages.MessageThemes  # ranked value message themes
    personas: tuple[Choice, ...]  # every persona of the network, for switching
    competitors: tuple[Choice, ...]
    competitor: Choice | None  # the competitor the themes are positioned against


def _choices(
    session: Session, model: type[Persona] | type[Competitor], network_id: int
) -> tuple[Choice, ...]:
    rows = session.execute(
        select(model.id, model.name).where(model.network_id == network_id).order_by(model.id)
    ).all()
    return tuple(Choice(row.id, row.name) for row in rows)


def _find(choices: tuple[Choice, ...], wanted: int, what: str) -> Choice:
    found = next((c for c in choices if c.id == wanted), None)
    if found is None:
        raise NotFound(f"{what} {wanted} not found in this network.", field=what.lower())
    return found


def network_header(session: Session, principal: Principal, network_id: int) -> NetworkHeader:
    network = service.get_network(session, network_id)
    offer = session.get(Offer, network.offer_id)
    assert offer is not None
    return NetworkHeader(
        id=network.id,
        name=network.name,
        description=network.description,
        offer_name=offer.name,
        offer_kind=s.OfferKind(offer.kind),
        personas=_choices(session, Persona, network.id),
        competitors=_choices(session, Competitor, network.id),
    )


def persona_messages(
    session: Session,
    principal: Principal,
    network_id: int,
    persona_id: int,
    competitor_id: int | None = None,
) -> PersonaPage:
    """A persona's outcomes, the chains to them, and its value message themes."""
    network = service.get_network(session, network_id)
    personas = _choices(session, Persona, network.id)
    competitors = _choices(session, Competitor, network.id)
    persona = _find(personas, persona_id, "Persona")
    competitor = _find(competitors, competitor_id, "Competitor") if competitor_id else None
    value_graph = analysis.value_graph(session, network.id)
    return PersonaPage(
        network_id=network.id,
        network_name=network.name,
        persona=persona,
        view=views.persona_view(value_graph, persona.name),
        outcomes=dict(value_graph.outcomes),
        themes=messages.value_messages(
            value_graph, persona.name, competitor.name if competitor else None
        ),
        personas=personas,
        competitors=competitors,
        competitor=competitor,
    )
