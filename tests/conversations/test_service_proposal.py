"""'Propose from text' gives the analyzer the network around each outcome, as the evaluation
does (`analyzer.outcome_refs`): product behaviour is measured behaviour."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from tests.conversations.builders import World, build_world
from tests.deals.test_service_builders import principal
from valuescout.conversations.analyzer import analyze, outcome_refs
from valuescout.conversations.analyzer_types import OutcomeRef
from valuescout.conversations.service_proposal import (
    network_outcomes,
    network_refs,
    propose_from_text,
)
from valuescout.valuenet.models import ValueNetwork
from valuescout.valuenet.repository import load_spec

# shares no word with the outcome "Less downtime" itself ("hours of downtime avoided per
# year"), only with the differentiator linked to it ("Predictive sensors") and that link's
# rationale ("failures caught early")
THROUGH_THE_DIFFERENTIATOR = "Dana wants predictive sensors so problems are caught early."


@pytest.fixture()
def world(session: Session) -> World:
    return build_world(session)


def test_a_sentence_matched_only_through_a_linked_differentiator_is_proposed(
    session: Session, world: World
) -> None:
    seller = principal(session, world.org.user("seller"))
    proposal = propose_from_text(session, seller, THROUGH_THE_DIFFERENTIATOR, world.open_deal.id)
    assert [o.outcome_id for o in proposal.outcomes] == [world.outcomes["Less downtime"]]
    # without the network's context the outcome's own words do not reach it
    nodes = network_outcomes(session, world.network_id)
    bare = [OutcomeRef(str(n.id), n.name, f"{n.description} {n.measure}") for n in nodes]
    assert analyze(THROUGH_THE_DIFFERENTIATOR, bare).outcomes == ()


def test_the_proposal_sees_the_same_references_as_the_evaluation(
    session: Session, world: World
) -> None:
    nodes = network_outcomes(session, world.network_id)
    refs = network_refs(session, world.network_id, nodes)
    network = session.get(ValueNetwork, world.network_id)
    assert network is not None
    by_name = {r.name: r for r in outcome_refs(load_spec(session, network))}
    assert [r.key for r in refs] == [str(n.id) for n in nodes]
    for ref in refs:
        measured = by_name[ref.name]
        assert (ref.description, ref.context) == (measured.description, measured.context)
    downtime = next(r for r in refs if r.name == "Less downtime")
    assert "Predictive sensors" in downtime.context and "failures caught early" in downtime.context
    assert "Higher output" in downtime.context  # the outcome it leads to


def test_no_deal_or_no_network_gives_no_references(session: Session, world: World) -> None:
    assert network_refs(session, None, []) == ()
    assert network_refs(session, world.network_id, []) == ()
