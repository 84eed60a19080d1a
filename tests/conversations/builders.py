"""A small world for the conversations tests: the seeded organisation, the test value network,
an account of the seller's with two contacts (with personas), the seller's open deal against
the competitor Hydrix, a won deal with lines, and seller_b's deal on another account."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.analytics.deal_builders import account, deal, product
from tests.factories import TEST_ACTOR, Org, make_org
from tests.valuenet.factories import small_spec
from valuescout.deals.models import Contact, Opportunity
from valuescout.valuenet import service as valuenet_service
from valuescout.valuenet.models import Competitor, NetworkNode, Persona


@dataclass
class World:
    org: Org
    network_id: int
    open_deal: Opportunity
    won_deal: Opportunity
    other_deal: Opportunity  # seller_b's, out of the seller's scope
    plant_manager: Contact  # persona Plant manager
    maintenance: Contact  # persona Maintenance lead
    outsider: Contact  # a contact of seller_b's account
    outcomes: dict[str, int]  # outcome name -> node id


def build_world(session: Session) -> World:
    org = make_org(session)
    network = valuenet_service.import_as(session, TEST_ACTOR, small_spec())
    personas = dict(
        session.execute(
            select(Persona.name, Persona.id).where(Persona.network_id == network.id)
        ).all()
    )
    hydrix = session.scalar(select(Competitor).where(Competitor.network_id == network.id))
    assert hydrix is not None
    pump = product(session)
    seller, seller_b = org.user("seller"), org.user("seller_b")
    acc = account(session, seller, "Harbour Water", "enterprise")
    other_acc = account(session, seller_b, "Inland Power", "small")
    pm = Contact(
        account_id=acc.id,
        name="Dana Whitfield",
        title="Plant Manager",
        persona_id=personas["Plant manager"],
    )
    ml = Contact(
        account_id=acc.id,
        name="Ravi Patel",
        title="Maintenance Lead",
        persona_id=personas["Maintenance lead"],
    )
    outsider = Contact(account_id=other_acc.id, name="Olga Berg", title="CFO")
    session.add_all([pm, ml, outsider])
    open_deal = deal(
        session, seller, acc, pump, [("10", "900")], outcome="open", name="Harbour pumps"
    )
    open_deal.value_network_id = network.id
    open_deal.alternative_kind = "competitor"
    open_deal.competitor_id = hydrix.id
    won_deal = deal(
        session, seller, acc, pump, [("10", "800")], outcome="won", name="Harbour spares"
    )
    other = deal(session, seller_b, other_acc, pump, [("2", "1000")], outcome="lost", name="Inland")
    session.flush()
    outcomes = dict(
        session.execute(
            select(NetworkNode.name, NetworkNode.id).where(
                NetworkNode.network_id == network.id, NetworkNode.node_type == "outcome"
            )
        ).all()
    )
    return World(org, network.id, open_deal, won_deal, other, pm, ml, outsider, outcomes)
