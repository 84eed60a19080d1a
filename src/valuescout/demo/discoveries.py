"""The demo company's discoveries: a few dozen value gaps heard by sellers, managers and
contributors over the last nine months, in every review state (demo/discoveries_content.py).

Each gap of the content is logged once or more, at different customers, so the product-ideas
list has gaps heard more than once. Reviews go through the discoveries service, so outcomes
added for a gap are added through the value network's editing service (audit-logged); a gap
heard again after its outcome was added is attached to it. Dates are then set back to when
each was logged and reviewed. Deterministic: random.Random(demo.seed + 11).
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from valuescout.deals import setup
from valuescout.deals.models import Account
from valuescout.demo.discoveries_content import GAPS, Gap
from valuescout.discoveries import service
from valuescout.discoveries.models import Discovery
from valuescout.discoveries.schemas import ReviewIn
from valuescout.discoveries.transitions import Status
from valuescout.identity.models import User
from valuescout.identity.principal import Principal
from valuescout.identity.roles import Role
from valuescout.identity.service import principal_of
from valuescout.valuenet import audience, editing
from valuescout.valuenet.models import NetworkNode, Persona, ValueNetwork
from valuescout.valuenet.schemas import LinkCreate, PersonaOutcomeSet

if TYPE_CHECKING:
    from valuescout.demo.generator import DemoCompany

SPAN_DAYS = 270  # how far back discoveries go
COPIES = (1, 1, 1, 2, 2, 3)  # how many customers voiced each gap


def _network_ids(session: Session) -> dict[str, int]:
    """'flowcare' / 'smartflow' -> the demo network whose name starts with it."""
    out = {}
    for network_id, name in session.execute(select(ValueNetwork.id, ValueNetwork.name)):
        out[name.split()[0].lower()] = network_id
    return out


def _node_id(session: Session, network_id: int, name: str) -> int | None:
    return session.scalar(
        select(NetworkNode.id).where(
            NetworkNode.network_id == network_id, NetworkNode.name_key == name.casefold()
        )
    )


def _review(session: Session, gap: Gap, network_id: int) -> ReviewIn | None:
    if gap.review == "new":
        return None
    if gap.review == "decline":
        return ReviewIn(action="decline", decline_reason=gap.reason, note=gap.note)
    existing = _node_id(session, network_id, gap.target)
    if existing is not None:  # in the network already, or added for an earlier customer
        return ReviewIn(action="attach", outcome_id=existing, note=gap.note)
    link_from = _node_id(session, network_id, gap.link_from) if gap.link_from else None
    return ReviewIn(
        action="create", network_id=network_id, outcome_name=gap.target,
        outcome_description=gap.situation, link_from_id=link_from, note=gap.note,
    )  # fmt: skip


def _place(session: Session, editor: Principal, gap: Gap, network_id: int, node: int) -> None:
    """What an editor does next with a new outcome: link it to the outcome it drives and
    attach the persona who wants it (through the network's editing services)."""
    target = _node_id(session, network_id, gap.leads_to)
    if target is not None:
        editing.add_link(session, editor, network_id, LinkCreate(source_id=node, target_id=target))
    persona = session.scalar(
        select(Persona.id).where(
            Persona.network_id == network_id, Persona.name_key == gap.persona.casefold()
        )
    )
    if persona is not None:
        audience.set_persona_outcome(
            session, editor, network_id, persona, node, PersonaOutcomeSet()
        )


def _stamp(day: datetime, rng: random.Random) -> datetime:
    return datetime.combine(day.date(), time(rng.randint(8, 17), rng.randint(0, 59)), UTC)


def seed_discoveries(session: Session, demo: DemoCompany) -> None:
    rng = random.Random(demo.seed + 11)
    users = session.scalars(select(User).order_by(User.id)).all()
    reporters = [u for u in users if u.role in (Role.SELLER, Role.CONTRIBUTOR, Role.MANAGER)]
    reviewers = [u for u in users if u.role in (Role.MANAGER, Role.ADMIN)]
    accounts = session.execute(select(Account.id, Account.name).order_by(Account.id)).all()
    networks = _network_ids(session)
    if not (reporters and reviewers and accounts and networks):
        return
    currency = setup.settings(session).currency
    today = datetime.combine(demo.today, time(12), UTC)
    for gap in GAPS:
        network_id = networks.get(gap.network)
        if network_id is None:
            continue
        for _ in range(rng.choice(COPIES)):
            # Unreviewed gaps are recent; reviewed ones spread over the whole span.
            back = rng.randint(1, 30) if gap.review == "new" else rng.randint(20, SPAN_DAYS)
            logged_at = _stamp(today - timedelta(days=back), rng)
            account_id, account_name = rng.choice(accounts)
            amount = None
            if gap.amount is not None:
                amount = Decimal(rng.randrange(gap.amount[0], gap.amount[1] + 1, 1000))
            row = Discovery(
                account_id=account_id, customer_name=account_name, situation=gap.situation,
                desired_outcome=gap.desired_outcome, value_hint=gap.value_hint,
                value_amount=amount, currency=currency, theme=gap.theme,
                network_id=network_id if rng.random() < 0.7 else None,
                status=Status.NEW.value, reported_by_id=rng.choice(reporters).id,
                created_at=logged_at, updated_at=logged_at,
            )  # fmt: skip
            session.add(row)
            session.flush()
            review = _review(session, gap, network_id)
            if review is None:
                continue
            editor = principal_of(rng.choice(reviewers))
            service.review(session, editor, row.id, review)
            if review.action == "create" and row.outcome_id is not None:
                _place(session, editor, gap, network_id, row.outcome_id)
            reviewed_at = min(logged_at + timedelta(days=rng.randint(1, 18)), today)
            row.reviewed_at = row.updated_at = reviewed_at
    session.flush()
