"""A small value network for tests, built through the API's service layer."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from tests.factories import TEST_ACTOR
from valuescout.valuenet import service
from valuescout.valuenet import spec as s


def small_spec(name: str = "Pumps") -> s.NetworkSpec:
    return s.NetworkSpec(
        name=name,
        offer=s.Offer("SmartFlow pumps", s.OfferKind.PRODUCT, "Connected pumps"),
        description="Test network",
        differentiators=[
            s.Differentiator("Predictive sensors", s.DifferentiatorKind.FITNESS_FOR_USE),
            s.Differentiator("4-hour service", s.DifferentiatorKind.BETWEEN_SALES_SERVICE),
        ],
        outcomes=[
            s.Outcome(
                "Less downtime",
                executive=True,
                measure="hours of downtime avoided per year",
                unit="hours/year",
            ),
            s.Outcome("Higher output"),
            s.Outcome("Calmer nights", kind=s.OutcomeKind.PERSONAL),
        ],
        links=[
            s.Link("Predictive sensors", "Less downtime", rationale="failures caught early"),
            s.Link("4-hour service", "Less downtime"),
            s.Link("Less downtime", "Higher output", two_way=True),
            s.Link("Less downtime", "Calmer nights"),
        ],
        personas=[
            s.Persona(
                "Plant manager",
                outcomes=[
                    s.PersonaOutcome("Higher output"),
                    s.PersonaOutcome("Less downtime", s.Strength.SECONDARY),
                ],
            ),
            s.Persona("Maintenance lead", outcomes=[s.PersonaOutcome("Calmer nights")]),
        ],
        competitors=[
            s.Competitor(
                "Hydrix",
                matches=[
                    s.CompetitorMatch("Predictive sensors", s.Match.YES),
                    s.CompetitorMatch("4-hour service", s.Match.NO),
                ],
            ),
        ],
    )


def seeded_network(session_factory: sessionmaker[Session], name: str = "Pumps") -> int:
    with session_factory() as session:
        network = service.import_as(session, TEST_ACTOR, small_spec(name))
        session.commit()
        return network.id
