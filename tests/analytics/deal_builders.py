"""Won, open and lost deals with line items, written straight into the tables: the analytics
tests need many deals with known prices, and only read them.

`book(session, org)` gives the seeded organisation a small, hand-checkable book of deals:

    seller   (team A)  Alpha Ltd (enterprise): 10 x Pump at list 1,000, net 800  -> 20% off
                       Beta GmbH (mid-market):  5 x Pump at list 1,000, net 950  ->  5% off
    seller_b (team B)  Gamma AG  (enterprise): 10 x Pump at list 1,000, net 900  -> 10% off
    open deal (seller): 2 x Pump at 1,000, net 500;  lost deal (seller_b): 1 x Pump, net 600

Unit cost 400 on every line. seller_b's Gamma deal has an approved price request decided by
the price desk user; seller's Alpha deal one approved by the manager.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from itertools import count
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories import Org
from valuescout.deals.models import (
    Account,
    LineItem,
    Opportunity,
    Product,
    Stage,
    ValueCase,
    ValueOutcome,
)
from valuescout.identity.models import User
from valuescout.pricing.models import PriceRequest, PriceRequestEvent

_seq = count(1)
CLOSE = date(2026, 3, 15)


def stage_id(session: Session, outcome: str) -> int:
    found = session.scalar(select(Stage.id).where(Stage.outcome == outcome).order_by(Stage.id))
    assert found is not None
    return found


def account(session: Session, owner: User, name: str, segment: str, **kw: Any) -> Account:
    acc = Account(
        name=name,
        name_key=name.lower(),
        owner_id=owner.id,
        industry=kw.pop("industry", "Utilities"),
        region=kw.pop("region", "West"),
        territory=kw.pop("territory", "Coast"),
        attributes={"segment": segment},
        **kw,
    )
    session.add(acc)
    session.flush()
    return acc


def product(
    session: Session, name: str = "Pump", list_price: str = "1000", cost: str = "400"
) -> Product:
    p = Product(
        name=name, name_key=name.lower(), list_price=Decimal(list_price), unit_cost=Decimal(cost)
    )
    session.add(p)
    session.flush()
    return p


def deal(
    session: Session,
    owner: User,
    acc: Account | None,
    prod: Product,
    lines: list[tuple[str, str]],  # (quantity, net price) at the product's list price
    *,
    outcome: str = "won",
    close: date | None = CLOSE,
    deal_type: str = "new",
    currency: str = "USD",
    name: str | None = None,
) -> Opportunity:
    opp = Opportunity(
        name=name or f"Deal {next(_seq)}",
        account_id=acc.id if acc else None,
        owner_id=owner.id,
        team_id=owner.team_id,
        stage_id=stage_id(session, outcome),
        close_date=close,
        deal_type=deal_type,
        currency=currency,
        amount=sum((Decimal(q) * Decimal(n) for q, n in lines), Decimal(0)),
    )
    session.add(opp)
    session.flush()
    for qty, net in lines:
        session.add(
            LineItem(
                opportunity_id=opp.id,
                product_id=prod.id,
                quantity=Decimal(qty),
                list_price=prod.list_price,
                net_price=Decimal(net),
                unit_cost=prod.unit_cost,
            )
        )
    session.flush()
    return opp


def approved_request(
    session: Session,
    opp: Opportunity,
    approver: User | None,
    *,
    action: str = "approve",
    requested: str | None = None,
    price: str | None = None,  # a counter-offer's price
    list_price: str | None = None,  # the deal at list (default: its amount)
    evidence: dict[str, Any] | None = None,
) -> PriceRequest:
    """A decided price request on the deal at list `opp.amount`, decided by `approver` (None:
    the policy) with `action`: approve (or counter, at `price`) ends approved, reject rejected."""
    rejected = action in ("reject", "auto_reject")
    asked = Decimal(requested) if requested is not None else opp.amount
    final = None if rejected else (Decimal(price) if price is not None else asked)
    req = PriceRequest(
        opportunity_id=opp.id,
        requester_id=opp.owner_id,
        owner_id=opp.owner_id,
        state="rejected" if rejected else "approved",
        route=[],
        reason="competition",
        justification="test",
        currency=opp.currency,
        list_price=Decimal(list_price) if list_price is not None else opp.amount,
        price_before=opp.amount,
        requested_price=asked,
        approved_price=final,
        evidence=evidence or {},
        decision={},
        request_hash="x" * 64,
        decided_at=datetime(2026, 3, 1, tzinfo=UTC),
    )
    session.add(req)
    session.flush()
    session.add(
        PriceRequestEvent(
            request_id=req.id,
            action=action,
            actor_id=approver.id if approver else None,
            actor_email=approver.email if approver else "",
            price=Decimal(price) if price is not None else None,
            state_after="rejected" if rejected else "approved",
        )
    )
    session.flush()
    return req


def value_case(session: Session, opp: Opportunity, yearly_value: str) -> ValueCase:
    """A value case with one confirmed outcome worth `yearly_value` once, at full confidence
    (so the deal's risk-adjusted value is exactly that)."""
    case = ValueCase(
        opportunity_id=opp.id, discount_rate=Decimal("0.1"), target_share=Decimal("0.5")
    )
    session.add(case)
    session.flush()
    session.add(
        ValueOutcome(
            value_case_id=case.id,
            name="Less downtime",
            yearly_value=Decimal(yearly_value),
            recurrence="one_time",
            years=1,
            confidence=Decimal(1),
            state="confirmed",
        )
    )
    session.flush()
    return case


@dataclass
class Book:
    deals: dict[str, Opportunity] = field(default_factory=dict)


def book(session: Session, org: Org) -> Book:
    seller, seller_b = org.user("seller"), org.user("seller_b")
    pump = product(session, f"Pump {next(_seq)}")
    alpha = account(session, seller, f"Alpha Ltd {next(_seq)}", "enterprise")
    beta = account(session, seller, f"Beta GmbH {next(_seq)}", "mid-market", region="North")
    gamma = account(session, seller_b, f"Gamma AG {next(_seq)}", "enterprise")
    out = Book()
    out.deals["alpha"] = deal(session, seller, alpha, pump, [("10", "800")])
    out.deals["beta"] = deal(session, seller, beta, pump, [("5", "950")], deal_type="renewal")
    out.deals["gamma"] = deal(session, seller_b, gamma, pump, [("10", "900")])
    out.deals["open"] = deal(session, seller, alpha, pump, [("2", "500")], outcome="open")
    out.deals["lost"] = deal(session, seller_b, gamma, pump, [("1", "600")], outcome="lost")
    approved_request(session, out.deals["alpha"], org.user("manager"))
    approved_request(session, out.deals["gamma"], org.user("price_desk"))
    return out
