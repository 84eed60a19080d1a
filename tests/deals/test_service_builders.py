"""Builders for deals tests, through the services (so the audit trail and history are real).

`build_deal` makes an account with a contact, an opportunity and (by default) a value case with
one outcome, all owned by one user; the API, service, CLI and role-matrix tests share it. The
tests at the bottom check that the builders make what they say.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import count
from typing import Any

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from tests.factories import Org, bearer, make_org, seeded_org, token_for
from valuescout.core.audit import AuditEntry
from valuescout.deals import accounts, service, setup, valuecases
from valuescout.deals.account_schemas import AccountIn, ContactIn
from valuescout.deals.models import Opportunity, OpportunityChange, ValueOutcome
from valuescout.deals.schemas import LineIn, OpportunityIn, OutcomeIn
from valuescout.deals.setup_schemas import ProductIn
from valuescout.deals.terms import AlternativeKind, BuyingRole
from valuescout.identity import service as people
from valuescout.identity.models import User
from valuescout.identity.principal import Principal

_seq = count(1)


@dataclass(frozen=True)
class Built:
    opp_id: int
    account_id: int
    contact_id: int
    outcome_id: int | None  # the value case's one outcome, when it has a value case
    product_id: int | None  # the line's product, when the deal has lines


def principal(session: Session, user: User | int) -> Principal:
    found = session.get(User, user if isinstance(user, int) else user.id)
    assert found is not None
    return people.principal_of(found)


def unique(prefix: str) -> str:
    return f"{prefix} {next(_seq)}"


def make_product(
    session: Session,
    admin: User,
    *,
    name: str | None = None,
    list_price: str = "1000",
    unit_cost: str | None = "400",
) -> int:
    product = setup.create_product(
        session,
        principal(session, admin),
        ProductIn(
            name=name or unique("Product"),
            list_price=Decimal(list_price),
            unit_cost=None if unit_cost is None else Decimal(unit_cost),
        ),
    )
    return product.id


def build_deal(
    session: Session,
    owner: User,
    *,
    by: User | None = None,
    name: str | None = None,
    account: str | None = None,
    amount: str = "250000",
    stage_id: int | None = None,
    close_date: date | None = date(2027, 3, 31),
    alternative_price: str | None = "200000",
    value_case: bool = True,
    line_product_of: User | None = None,  # an admin: the deal gets one line of a new product
) -> Built:
    """The worked example's deal: 250k against a 200k rival, with one 100k outcome for us."""
    creator = principal(session, by or owner)
    acc = accounts.create_account(
        session,
        creator,
        AccountIn(
            name=account or unique("Account"), owner_id=owner.id, annual_revenue=Decimal("5000000")
        ),
    )
    contact = accounts.add_contact(
        session,
        creator,
        acc.id,
        ContactIn(name="Dana Buyer", title="Plant manager", buying_role=BuyingRole.ECONOMIC_BUYER),
    )
    product_id = None
    lines: list[LineIn] = []
    if line_product_of is not None:
        product_id = make_product(session, line_product_of, list_price=amount)
        lines = [LineIn(product_id=product_id, quantity=Decimal(1))]
    opp = service.create_opportunity(
        session,
        creator,
        OpportunityIn(
            name=name or unique("Deal"),
            account_id=acc.id,
            owner_id=owner.id,
            stage_id=stage_id,
            amount=Decimal(amount),
            alternative_kind=AlternativeKind.COMPETITOR,
            alternative_name="Rival Corp",
            alternative_price=None if alternative_price is None else Decimal(alternative_price),
            close_date=close_date,
            lines=lines,
        ),
    )
    outcome_id = None
    if value_case:
        valuecases.start_value_case(session, creator, opp.id)
        case = valuecases.add_outcome(
            session,
            creator,
            opp.id,
            OutcomeIn(
                name="Less unplanned downtime",
                yearly_value=Decimal(100000),
                confidence=Decimal(1),
                contact_id=contact.id,
            ),
        )
        outcome_id = case.outcomes[0].id
    session.flush()
    return Built(opp.id, acc.id, contact.id, outcome_id, product_id)


def seeded_deal(session_factory: sessionmaker[Session], owner: User, **kwargs: object) -> Built:
    """`build_deal`, committed, for API, CLI and matrix tests."""
    with session_factory() as s:
        built = build_deal(s, owner, **kwargs)  # type: ignore[arg-type]
        s.commit()
        return built


ROLES = ("seller", "seller_b", "manager", "price_desk", "executive", "admin", "contributor")


@dataclass
class ApiWorld:
    """A seeded organisation with a bearer token per role, and ways to look into the database."""

    client: TestClient
    session_factory: sessionmaker[Session]
    org: Org
    headers: dict[str, dict[str, str]]

    def call(
        self,
        role: str,
        method: str,
        path: str,
        json: object = None,
        params: dict[str, object] | None = None,
    ) -> httpx.Response:
        return self.client.request(
            method,
            f"/api/v1{path}",
            json=json,
            params=params,  # type: ignore[arg-type]
            headers=self.headers[role],
        )

    def ok(self, role: str, method: str, path: str, json: object = None) -> dict[str, Any]:
        """The JSON body of a call that must succeed."""
        response = self.call(role, method, path, json)
        assert response.status_code in (200, 201), response.text
        body: dict[str, Any] = response.json()
        return body

    def ok_list(
        self, role: str, method: str, path: str, json: object = None
    ) -> list[dict[str, Any]]:
        """The JSON list a call that must succeed answers."""
        response = self.call(role, method, path, json)
        assert response.status_code in (200, 201), response.text
        body: list[dict[str, Any]] = response.json()
        return body

    def deal(self, owner: str = "seller", **kwargs: object) -> Built:
        return seeded_deal(self.session_factory, self.org.user(owner), **kwargs)

    def count(self, model: type) -> int:
        with self.session_factory() as s:
            return s.scalar(select(func.count()).select_from(model)) or 0

    def audit(self, action: str | None = None, entity_id: object = None) -> list[AuditEntry]:
        """Audit entries, oldest first, optionally of one action and one entity."""
        stmt = select(AuditEntry).order_by(AuditEntry.id)
        if action is not None:
            stmt = stmt.where(AuditEntry.action == action)
        if entity_id is not None:
            stmt = stmt.where(AuditEntry.entity_id == str(entity_id))
        with self.session_factory() as s:
            return list(s.scalars(stmt))

    def user_id(self, role: str) -> int:
        return self.org.user(role).id


def api_world(client: TestClient, session_factory: sessionmaker[Session]) -> ApiWorld:
    org = seeded_org(session_factory)
    headers = {role: bearer(token_for(session_factory, org.user(role))) for role in ROLES}
    return ApiWorld(client, session_factory, org, headers)


def test_build_deal_makes_the_worked_example(session: Session) -> None:
    org = make_org(session)
    built = build_deal(session, org.user("seller"))
    opp = session.get(Opportunity, built.opp_id)
    assert opp is not None and opp.amount == Decimal("250000.00")
    assert opp.owner_id == org.user("seller").id and opp.team_id == org.team_a.id
    case = valuecases.value_case(session, principal(session, org.user("seller")), opp.id)
    assert [o.id for o in case.outcomes] == [built.outcome_id]
    assert built.product_id is None


def test_build_deal_with_a_line_for_someone_else(session: Session) -> None:
    org = make_org(session)
    admin = org.user("admin")
    built = build_deal(
        session,
        org.user("contributor"),
        by=admin,
        amount="1200",
        value_case=False,
        line_product_of=admin,
    )
    assert built.outcome_id is None and built.product_id is not None
    opp = session.get(Opportunity, built.opp_id)
    assert opp is not None and opp.owner_id == org.user("contributor").id
    assert opp.amount == Decimal("1200.00")
    assert session.scalar(select(func.count()).select_from(ValueOutcome)) == 0
    history = session.scalars(select(OpportunityChange.field).order_by(OpportunityChange.id))
    assert list(history) == ["stage", "amount", "close_date"]
