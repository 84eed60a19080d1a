"""The small service pieces the forecast's adapters use: the teams a caller may pick (the same
rules as the forecast's team check), a team by name or id, and the quota service's rules."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from tests.deals.test_service_builders import principal
from tests.factories import Org, make_org
from valuescout.core.errors import Forbidden, NotFound
from valuescout.forecasting import quotas, service
from valuescout.forecasting.periods import Period


@pytest.fixture()
def org(session: Session) -> Org:
    return make_org(session)


def _teams(session: Session, org: Org, role: str) -> list[tuple[str, int]]:
    return [
        (t.name, t.depth)
        for t in service.visible_teams(session, principal(session, org.user(role)))
    ]


def test_visible_teams_follow_the_forecast_rules(session: Session, org: Org) -> None:
    tree = [("Acme", 0), ("West", 1), ("West A", 2), ("West B", 2)]
    for role in ("executive", "admin", "price_desk"):
        assert _teams(session, org, role) == tree
    assert _teams(session, org, "manager") == [("West A", 0)]
    assert _teams(session, org, "seller") == []
    with pytest.raises(Forbidden):
        _teams(session, org, "contributor")
    # Every team offered is one the forecast accepts.
    for role in ("executive", "manager"):
        who = principal(session, org.user(role))
        for t in service.visible_teams(session, who):
            assert service._team(session, who, t.team_id) is not None


def test_team_named(session: Session, org: Org) -> None:
    executive = principal(session, org.user("executive"))
    assert service.team_named(session, executive, "west b") == org.team_b.id
    assert service.team_named(session, executive, f" {org.region.id} ") == org.region.id
    with pytest.raises(NotFound):
        service.team_named(session, executive, "Nowhere")
    manager = principal(session, org.user("manager"))
    with pytest.raises(NotFound):
        service.team_named(session, manager, "West B")


def test_set_quota(session: Session, org: Org) -> None:
    q4 = Period(2026, 4)
    executive = principal(session, org.user("executive"))
    out = quotas.set_quota(session, executive, org.team_a.id, q4, Decimal("1000.005"))
    assert out.amount == Decimal("1000.00") and out.currency == "USD"
    again = quotas.set_quota(session, executive, org.team_a.id, q4, Decimal(2000))
    assert again.amount == Decimal("2000.00")
    for role in ("manager", "price_desk", "seller", "contributor"):
        with pytest.raises(Forbidden):
            quotas.set_quota(
                session, principal(session, org.user(role)), org.team_a.id, q4, Decimal(1)
            )
    with pytest.raises(NotFound):
        quotas.set_quota(session, executive, 999_999, q4, Decimal(1))
