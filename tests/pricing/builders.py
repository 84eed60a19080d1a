"""Builders for price desk tests: asks, moves, policies, and a look into the event log."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.deals.test_service_builders import principal
from tests.factories import TEST_ACTOR
from valuescout.core.audit import AuditEntry
from valuescout.deals.models import Stage
from valuescout.identity.models import User
from valuescout.pricing import policies, service
from valuescout.pricing.fields import Reason
from valuescout.pricing.models import PriceRequest, PriceRequestEvent
from valuescout.pricing.schemas import MoveIn, PriceRequestIn
from valuescout.pricing.workflow import Move


def ask(price: str | None = None, **kw: Any) -> PriceRequestIn:
    """A request body: a deal price by default; pass discount= or lines= instead."""
    if price is not None:
        kw["net_price"] = Decimal(price)
    kw.setdefault("reason", Reason.COMPETITIVE_MATCH)
    kw.setdefault("justification", "Rival at 200k")
    return PriceRequestIn(**kw)


def submit(session: Session, user: User, opp_id: int, body: PriceRequestIn) -> PriceRequest:
    return service.submit(session, principal(session, user), opp_id, body)


def move(session: Session, user: User, request_id: int, what: Move, **kw: Any) -> PriceRequest:
    if "price" in kw:
        kw["price"] = Decimal(kw["price"])
    return service.act(session, principal(session, user), request_id, MoveIn(move=what, **kw))


def routing_policy(*route: str, name: str = "Everything routed") -> str:
    return f"name: {name}\nrules: []\notherwise:\n  route: [{', '.join(route)}]\n"


APPROVE_ALL = "name: Approve all\nrules: []\notherwise: approve\n"


def use_policy(session: Session, source: str) -> None:
    policies.apply_as(session, TEST_ACTOR, source)


def events(session: Session, request_id: int) -> list[PriceRequestEvent]:
    return list(
        session.scalars(
            select(PriceRequestEvent)
            .where(PriceRequestEvent.request_id == request_id)
            .order_by(PriceRequestEvent.id)
        )
    )


def actions(session: Session, request_id: int) -> list[str]:
    return [e.action for e in events(session, request_id)]


def audit_actions(session: Session, entity_type: str, entity_id: int) -> list[str]:
    return list(
        session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.entity_type == entity_type, AuditEntry.entity_id == str(entity_id))
            .order_by(AuditEntry.id)
        )
    )


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def stage_id(session: Session, name: str) -> int:
    found = session.scalar(select(Stage.id).where(Stage.name == name))
    assert found is not None
    return found
