"""Append-only audit trail: who changed what, when. Written by services, never updated.

The database refuses UPDATE and DELETE on this table (triggers in the migration), so the
trail holds even against a bug or a hand-written query.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from valuescout.core.models import Base, utcnow
from valuescout.core.pagination import Page, PageRequest


class AuditEntry(Base):
    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # The actor is a snapshot (id and email), so the trail stays readable if users change.
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), index=True
    )
    actor_email: Mapped[str] = mapped_column(String(320))
    action: Mapped[str] = mapped_column(String(64), index=True)
    entity_type: Mapped[str] = mapped_column(String(64), index=True)
    entity_id: Mapped[str] = mapped_column(String(64))
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


@dataclass(frozen=True)
class Actor:
    """Who is acting: a user, or the system (id None) for CLI bootstrap and jobs."""

    id: int | None
    email: str


SYSTEM_ACTOR = Actor(id=None, email="system")


def record(
    session: Session,
    actor: Actor,
    action: str,
    entity_type: str,
    entity_id: object,
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    entry = AuditEntry(
        actor_id=actor.id,
        actor_email=actor.email,
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        changes=_jsonable(changes or {}),
    )
    session.add(entry)
    session.flush()
    return entry


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """Only the fields that changed, as {field: [old, new]}."""
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def _jsonable(value: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(json.dumps(value, default=str))
    return result


@dataclass(frozen=True)
class AuditFilter:
    actor_email: str | None = None
    action: str | None = None
    entity_type: str | None = None
    entity_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def search(session: Session, flt: AuditFilter, page: PageRequest) -> Page[AuditEntry]:
    stmt = select(AuditEntry)
    if flt.actor_email:
        stmt = stmt.where(AuditEntry.actor_email == flt.actor_email.strip().lower())
    if flt.action:
        stmt = stmt.where(AuditEntry.action == flt.action)
    if flt.entity_type:
        stmt = stmt.where(AuditEntry.entity_type == flt.entity_type)
    if flt.entity_id:
        stmt = stmt.where(AuditEntry.entity_id == flt.entity_id)
    if flt.since:
        stmt = stmt.where(AuditEntry.at >= flt.since)
    if flt.until:
        stmt = stmt.where(AuditEntry.at < flt.until)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(
        stmt.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(page.limit)
        .offset(page.offset)
    ).all()
    return Page(items=list(rows), total=total, limit=page.limit, offset=page.offset)


def distinct_values(session: Session) -> tuple[list[str], list[str]]:
    """Actions and entity types present, for filter drop-downs."""
    actions = session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action))
    types = session.scalars(
        select(AuditEntry.entity_type).distinct().order_by(AuditEntry.entity_type)
    )
    return list(actions), list(types)
